#include "medtwin/core/downsample.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "medtwin/core/error.hpp"

namespace medtwin {
namespace {

TEST(MinMaxThinning, KeepsEverySpikeWithinTheBudget) {
  std::vector<double> t, v;
  for (int i = 0; i < 100000; ++i) {
    t.push_back(i);
    v.push_back(std::sin(i / 500.0));
  }
  v[12345] = 50;    // a spike
  v[67890] = -40;   // a dip
  const auto kept = min_max_thinning(t, v, 200);
  EXPECT_LE(kept.size(), 200u);
  EXPECT_GE(kept.size(), 190u);
  EXPECT_TRUE(std::is_sorted(kept.begin(), kept.end()));
  EXPECT_NE(std::find(kept.begin(), kept.end(), 12345u), kept.end());
  EXPECT_NE(std::find(kept.begin(), kept.end(), 67890u), kept.end());
}

TEST(MinMaxThinning, ShortSeriesAreKeptWhole) {
  const std::vector<double> t{0, 1, 2}, v{3, 1, 2};
  EXPECT_EQ(min_max_thinning(t, v, 3), (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_TRUE(min_max_thinning(t, v, 0).empty());
  EXPECT_EQ(min_max_thinning(t, v, 1), (std::vector<std::size_t>{0}));
  EXPECT_THROW(min_max_thinning(t, std::vector<double>{1}, 2), Error);
}

TEST(MinMaxThinning, UnevenSamplingFollowsTime) {
  // Dense points in the first second, a few later: buckets are by time, not by count.
  std::vector<double> t, v;
  for (int i = 0; i < 1000; ++i) {
    t.push_back(i / 1000.0);
    v.push_back(i % 2);
  }
  for (int i = 1; i <= 9; ++i) {
    t.push_back(i);
    v.push_back(10 + i);
  }
  const auto kept = min_max_thinning(t, v, 20);
  EXPECT_LE(kept.size(), 20u);
  EXPECT_EQ(kept.back(), t.size() - 1);  // the last point: the maximum of the last bucket
}

}  // namespace
}  // namespace medtwin

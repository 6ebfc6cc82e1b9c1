#include "medtwin/core/downsample.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "medtwin/core/error.hpp"

namespace medtwin {
namespace {

std::vector<double> times_of(const std::vector<MinMaxThinner::Point>& points) {
  std::vector<double> t;
  for (const auto& p : points) t.push_back(p.t);
  return t;
}

TEST(MinMaxThinner, KeepsEverySpikeWithinTheBudget) {
  MinMaxThinner thin(0, 99999, 200);
  for (int i = 0; i < 100000; ++i) thin.add(i, i == 12345 ? 50 : i == 67890 ? -40 : std::sin(i / 500.0));
  const auto kept = thin.points();
  EXPECT_EQ(thin.added(), 100000u);
  EXPECT_LE(kept.size(), 200u);
  EXPECT_GE(kept.size(), 190u);
  const auto t = times_of(kept);
  EXPECT_TRUE(std::adjacent_find(t.begin(), t.end(), std::greater_equal<>()) == t.end());  // strictly increasing
  EXPECT_NE(std::find(t.begin(), t.end(), 12345.0), t.end());
  EXPECT_NE(std::find(t.begin(), t.end(), 67890.0), t.end());
}

TEST(MinMaxThinner, GapsLeaveBucketsEmptyWithoutRepeatingPoints) {
  // A watch off at night: points only in the first and last tenth.
  MinMaxThinner thin(0, 1000, 100);
  for (int i = 0; i <= 100; ++i) thin.add(i, i % 7);
  for (int i = 900; i <= 1000; ++i) thin.add(i, i % 5);
  thin.add(500, NAN);     // ignored
  thin.add(2000, 1);      // outside: ignored
  const auto t = times_of(thin.points());
  EXPECT_TRUE(std::adjacent_find(t.begin(), t.end(), std::greater_equal<>()) == t.end());
  EXPECT_EQ(std::count_if(t.begin(), t.end(), [](double x) { return x > 100 && x < 900; }), 0);
  EXPECT_EQ(thin.added(), 202u);
}

TEST(MinMaxThinner, OnePointOrAFlatBucketIsKeptOnce) {
  MinMaxThinner thin(0, 10, 4);
  thin.add(3, 1);
  thin.add(8, 2);
  thin.add(9, 2);
  const auto kept = thin.points();
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].t, 3);
  EXPECT_EQ(kept[1].t, 8);  // the earlier of equal maxima
  EXPECT_THROW(MinMaxThinner(5, 5, 10), Error);
  EXPECT_THROW(MinMaxThinner(0, 1, 1), Error);
}

}  // namespace
}  // namespace medtwin

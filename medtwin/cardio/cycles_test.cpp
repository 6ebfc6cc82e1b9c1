#include "medtwin/cardio/cycles.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "medtwin/core/error.hpp"

namespace medtwin::cardio {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

TEST(Cycles, BridgeGapsDrawsStraightLinesAndHoldsEnds) {
  const std::vector<double> x = {nan, 1, nan, nan, 4, nan};
  const auto b = bridge_gaps(x, "test");
  EXPECT_EQ(b.samples, (std::vector<double>{1, 1, 2, 3, 4, 4}));
  ASSERT_EQ(b.gaps.size(), 3u);
  EXPECT_EQ(b.gaps[1].begin, 2);
  EXPECT_EQ(b.gaps[1].end, 4);
  EXPECT_THROW(bridge_gaps(std::vector<double>{nan, nan}, "test"), NotEnoughData);
  EXPECT_THROW(bridge_gaps(std::vector<double>{}, "test"), Error);
}

TEST(Cycles, DropNearGaps) {
  const std::vector<std::int64_t> events = {5, 20, 31, 45, 60};
  const std::vector<Gap> gaps = {{25, 30}, {50, 51}};
  // Margin 2: 31 is within 2 of the first gap's last sample (29). Margin 5:
  // 20 and 31 of the first gap, 45 of the second (50 − 5).
  EXPECT_EQ(drop_near_gaps(events, gaps, 2), (std::vector<std::int64_t>{5, 20, 45, 60}));
  EXPECT_EQ(drop_near_gaps(events, gaps, 5), (std::vector<std::int64_t>{5, 60}));
}

// Events every 1 s at 10 samples/s over 150 s: 60 /min in each window; the
// last (30 s) window holds the 30 intervals ending at 120 … 149 s.
TEST(Cycles, RatePerWindow) {
  std::vector<std::int64_t> events;
  for (std::int64_t i = 0; i < 1500; i += 10) events.push_back(i);
  const auto w = rate_per_window(events, 10, 1500, 60, 2);
  ASSERT_EQ(w.size(), 3u);
  for (const auto& r : w) EXPECT_DOUBLE_EQ(*r.per_minute, 60);
  EXPECT_EQ(w[2].intervals, 30u);
  EXPECT_DOUBLE_EQ(w[2].end_s, 150);
}

// Intervals 1 s then 2 s (events at 0, 10, 30 at 10 samples/s): periods
// 1.5 (mean), 1, 2 s at those events, interpolated linearly.
TEST(Cycles, TimeAveragedRateInterpolatesPeriods) {
  const std::vector<std::int64_t> events = {0, 10, 30};
  const auto rate = time_averaged_rate(events, 10, 31);
  double sum = 0;
  for (int i = 0; i <= 30; ++i) {
    const double period = i <= 10 ? 1.5 - 0.05 * i : 1 + 0.05 * (i - 10);
    sum += 60 / period;
  }
  EXPECT_NEAR(*rate, sum / 31, 1e-12);
  EXPECT_FALSE(time_averaged_rate(std::vector<std::int64_t>{3}, 10, 31));
}

}  // namespace
}  // namespace medtwin::cardio

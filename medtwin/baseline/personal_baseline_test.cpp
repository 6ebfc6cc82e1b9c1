#include "medtwin/baseline/personal_baseline.hpp"

#include <gtest/gtest.h>

namespace medtwin::baseline {
namespace {

DailySeries series_of(std::vector<double> v) {
  return DailySeries{"resting_hr", "/min", DailyKind::level, std::chrono::local_days{}, std::move(v)};
}

TEST(PersonalBaseline, RobustZScoreAgainstThePast) {
  // 30 days alternating 60/62 (median 61, MAD 1 → spread 1.4826), then 70.
  std::vector<double> v;
  for (int i = 0; i < 30; ++i) v.push_back(i % 2 ? 62 : 60);
  v.push_back(70);
  const auto b = personal_baseline(series_of(v), 30);
  EXPECT_EQ(b.long_days, 30);
  EXPECT_DOUBLE_EQ(*b.long_median, 61);
  EXPECT_NEAR(*b.long_spread, 1.4826, 1e-4);
  EXPECT_NEAR(*b.z, 9 / 1.482602218505602, 1e-9);
  EXPECT_NEAR(*b.trend_per_week, 0, 1e-12);
}

TEST(PersonalBaseline, AnOutlierWeekBarelyMovesTheLongBaseline) {
  std::vector<double> v(40, 60.0);
  for (int i = 0; i < 40; ++i) v[i] += (i % 3) - 1;  // 59, 60, 61
  for (int i = 33; i < 40; ++i) v[i] = 75;          // a week of fever
  const auto b = personal_baseline(series_of(v), 40);
  EXPECT_DOUBLE_EQ(*b.long_median, 60);
  EXPECT_DOUBLE_EQ(*b.short_median, 75);
  EXPECT_GT(*b.short_vs_long, 5);
}

TEST(PersonalBaseline, TooLittleHistoryGivesNoZ) {
  const auto b = personal_baseline(series_of({60, 61, 62, 63, 64}), 4);
  EXPECT_FALSE(b.long_median);
  EXPECT_FALSE(b.z);
  EXPECT_TRUE(b.short_median);  // 4 days ≥ 3
}

TEST(PersonalBaseline, TrendPerWeekOfALinearRise) {
  std::vector<double> v;
  for (int i = 0; i < 20; ++i) v.push_back(50 + 0.5 * i);
  const auto b = personal_baseline(series_of(v), 20);
  EXPECT_NEAR(*b.trend_per_week, 3.5, 1e-12);
}

}  // namespace
}  // namespace medtwin::baseline

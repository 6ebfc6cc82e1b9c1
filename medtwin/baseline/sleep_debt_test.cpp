#include "medtwin/baseline/sleep_debt.hpp"

#include <gtest/gtest.h>

namespace medtwin::baseline {
namespace {

DailySeries nights(std::vector<double> hours) {
  return DailySeries{"sleep_hours", "h", DailyKind::level, std::chrono::local_days{}, std::move(hours)};
}

TEST(SleepDebt, SumsTheShortfallOfTheLastSevenNights) {
  // 6, 7, 8, 9, 5, missing, 7 against a need of 8: 2 + 1 + 0 + 0 + 3 + 1 = 7 h over 6 nights → 8.17 h per week.
  const auto s = nights({6, 7, 8, 9, 5, missing, 7});
  EXPECT_NEAR(*sleep_debt_hours(s, 6, 8), 7.0 * 7 / 6, 1e-12);
  EXPECT_FALSE(sleep_debt_hours(nights({6, 7, 8}), 2, 8));  // 3 nights are too few
}

TEST(SleepDebt, NeedIsThePersonalMedianWithinSevenToNine) {
  EXPECT_DOUBLE_EQ(sleep_need_hours(nights(std::vector<double>(30, 7.5)), 30), 7.5);
  EXPECT_DOUBLE_EQ(sleep_need_hours(nights(std::vector<double>(30, 5.0)), 30), 7);
  EXPECT_DOUBLE_EQ(sleep_need_hours(nights(std::vector<double>(30, 10.0)), 30), 9);
  EXPECT_DOUBLE_EQ(sleep_need_hours(nights({7, 7}), 2), 8);  // no history yet
}

}  // namespace
}  // namespace medtwin::baseline

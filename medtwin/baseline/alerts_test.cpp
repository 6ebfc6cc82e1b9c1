#include "medtwin/baseline/alerts.hpp"

#include <gtest/gtest.h>

namespace medtwin::baseline {
namespace {

TEST(Alerts, RaisedOnlyOnTheBadSide) {
  const DailySeries rhr{"resting_hr", "/min", DailyKind::level, {}, {}};
  PersonalBaseline b;
  b.long_median = 60, b.long_spread = 2, b.long_days = 60;
  Forecast high, low;
  high.point = 64, low.point = 56;
  const auto alert = forecast_alert(rhr, high, b);
  ASSERT_TRUE(alert);
  EXPECT_DOUBLE_EQ(alert->forecast_z, 2);
  EXPECT_EQ(alert->reason, "resting_hr tomorrow 64/min, 2.0 SD above your usual 60 (the median of the last 60 days)");
  EXPECT_FALSE(forecast_alert(rhr, low, b));  // a lower resting HR is not a warning
}

TEST(Alerts, StepsAreNotJudged) {
  const DailySeries steps{"steps", "{steps}", DailyKind::total, {}, {}};
  PersonalBaseline b;
  b.long_median = 8000, b.long_spread = 1000;
  Forecast f;
  f.point = 1000;
  EXPECT_FALSE(forecast_alert(steps, f, b));
}

}  // namespace
}  // namespace medtwin::baseline

#include "medtwin/twin/person_glucose_day.hpp"

#include <gtest/gtest.h>

namespace medtwin {
namespace {

using namespace std::chrono;

// Two local days (UTC+2) of flat readings every 5 minutes, a meal on each.
metabolic::GlucoseHistory two_days() {
  metabolic::GlucoseHistory h;
  h.utc_offset_minutes = 120;
  const double midnight = double(sys_days(2024y / 5 / 1).time_since_epoch().count()) * 1440 - 120;
  for (double m = midnight; m < midnight + 2 * 1440; m += 5) h.cgm.push_back({m, 100});
  h.meals = {{midnight + 8 * 60, 40}, {midnight + 1440 + 12 * 60, 60}};
  return h;
}

metabolic::MealResponseFit flat_fit() {
  metabolic::MealResponseFit fit;
  fit.model = {100, 0.01, 1e-4, 40, 2};
  return fit;
}

TEST(GlucoseDay, LocalDaysSplitAtTheLocalMidnight) {
  const auto h = two_days();
  const auto dates = glucose_dates(h);
  ASSERT_EQ(dates.size(), 2u);
  EXPECT_EQ(dates[0], sys_days(2024y / 5 / 1));
  const auto day = glucose_day(h, dates[1]);
  EXPECT_EQ(day.start, h.cgm.front().minute + 1440);
  EXPECT_EQ(day.readings.size(), 288u);
  ASSERT_EQ(day.meals.size(), 1u);
  EXPECT_EQ(day.meals[0].carbs_g, 60);
}

TEST(GlucoseDay, AnAddedMealChangesTheDayOnlyAfterIt) {
  const auto h = two_days();
  const auto day = glucose_day(h, glucose_dates(h)[1]);
  const metabolic::MealIntake added{15 * 60, 75};
  const auto w = meal_what_if(flat_fit(), h, day, std::span(&added, 1));
  ASSERT_EQ(w.as_logged.curve.size(), w.what_if.curve.size());
  for (std::size_t i = 0; i < w.what_if.curve.size(); ++i) {
    const double minute = w.what_if.curve[i].minute - day.start;
    if (minute <= 15 * 60) {
      EXPECT_EQ(w.what_if.curve[i].mg_dl, w.as_logged.curve[i].mg_dl) << minute;
    } else if (minute > 15 * 60 + 30 && minute < 18 * 60) {
      EXPECT_GT(w.what_if.curve[i].mg_dl, w.as_logged.curve[i].mg_dl) << minute;
    }
  }
  EXPECT_GT(w.what_if.peak_mg_dl, w.as_logged.peak_mg_dl);
  EXPECT_EQ(w.as_logged.curve.front().mg_dl, 100);  // from the reading at midnight
}

}  // namespace
}  // namespace medtwin

#include "medtwin/twin/person_glucose_day.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace medtwin {
namespace {

using namespace std::chrono;

// Two local days in Amsterdam (UTC+2 in May) of flat readings every 5 minutes, a meal on each.
PersonGlucoseHistory two_days() {
  PersonGlucoseHistory p;
  p.time_zone = "Europe/Amsterdam";
  auto& h = p.history;
  const double midnight = double(sys_days(2024y / 5 / 1).time_since_epoch().count()) * 1440 - 120;
  for (double m = midnight; m < midnight + 2 * 1440; m += 5) h.cgm.push_back({m, 100});
  h.meals = {{midnight + 8 * 60, 40}, {midnight + 1440 + 12 * 60, 60}};
  return p;
}

metabolic::MealResponseFit flat_fit() {
  metabolic::MealResponseFit fit;
  fit.model = {100, 0.01, 1e-4, 40, 2};
  return fit;
}

TEST(GlucoseDay, LocalDaysSplitAtTheLocalMidnight) {
  const auto p = two_days();
  const auto dates = glucose_dates(p);
  ASSERT_EQ(dates.size(), 2u);
  EXPECT_EQ(dates[0], sys_days(2024y / 5 / 1));
  const auto day = glucose_day(p, dates[1]);
  EXPECT_EQ(day.start, p.history.cgm.front().minute + 1440);
  EXPECT_EQ(day.end - day.start, 1440);
  EXPECT_EQ(day.readings.size(), 288u);
  ASSERT_EQ(day.meals.size(), 1u);
  EXPECT_EQ(day.meals[0].carbs_g, 60);
}

TEST(GlucoseDay, TheDayTheClocksGoForwardHas23Hours) {
  PersonGlucoseHistory p;
  p.time_zone = "Europe/Amsterdam";
  const auto day = glucose_day(p, sys_days(2024y / 3 / 31));
  EXPECT_EQ(day.end - day.start, 23 * 60);
  EXPECT_EQ(local_minute(p, day.date, std::chrono::hours(15)) - day.start, 14 * 60);  // 15:00 is 14 hours after midnight
}

TEST(GlucoseDay, AnAddedMealChangesTheDayOnlyAfterIt) {
  const auto p = two_days();
  const auto& h = p.history;
  const auto day = glucose_day(p, glucose_dates(p)[1]);
  const metabolic::MealIntake added{day.start + 15 * 60, 75};
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

// Heart rate every minute of the first day at `rest`, with `bouts` half-hour
// bouts at `exercising` two hours apart from 14:00 (six hours after the day's meal).
void add_heart_rate(PersonGlucoseHistory& p, double rest, int bouts, double exercising) {
  const double start = p.history.cgm.front().minute;
  for (double m = 0; m < 1440; m += 1) {
    const double since_first = m - 14 * 60;
    const bool in_bout = since_first >= 0 && since_first < bouts * 120 && std::fmod(since_first, 120) < 30;
    p.history.heart_rate.push_back({start + m, in_bout ? exercising : rest});
  }
}

TEST(GlucoseDay, WithoutExerciseInTheRecordARunCountsAtTheLiteraturesRate) {
  auto p = two_days();
  add_heart_rate(p, 55, 0, 55);
  const auto day = glucose_day(p, glucose_dates(p)[1]);
  const AddedExercise run{day.start + 17 * 60, 40, 150};
  const auto w = meal_what_if(flat_fit(), p.history, day, {}, std::span(&run, 1));
  ASSERT_TRUE(w.exercise.has_value());
  EXPECT_TRUE(w.exercise->rest_measured);
  EXPECT_EQ(w.exercise->rest_bpm, 55);
  EXPECT_FALSE(w.exercise->gain.has_value());
  // Unfitted, the band spans the gains from 0 (the curve as logged) to 1.
  for (std::size_t i = 0; i < w.what_if.curve.size(); ++i) {
    EXPECT_LE(w.what_if_low[i], w.what_if.curve[i].mg_dl);
    EXPECT_GE(w.what_if_high[i], w.as_logged.curve[i].mg_dl);
  }
  for (std::size_t i = 0; i < w.what_if.curve.size(); ++i) {
    const double minute = w.what_if.curve[i].minute - day.start;
    if (minute <= 17 * 60) {
      EXPECT_EQ(w.what_if.curve[i].mg_dl, w.as_logged.curve[i].mg_dl) << minute;
    } else if (minute < 23 * 60) {
      EXPECT_LT(w.what_if.curve[i].mg_dl, w.as_logged.curve[i].mg_dl) << minute;
    }
  }
  EXPECT_LT(w.what_if.outcomes.mean_mg_dl, w.as_logged.outcomes.mean_mg_dl);
}

// Five bouts 30 bpm above rest with glucose flat at basal: the record says
// exercise does not move this person's glucose, and the run barely does.
TEST(GlucoseDay, ARecordWhereExerciseLeftGlucoseFlatGivesAGainNearZero) {
  auto p = two_days();
  add_heart_rate(p, 55, 5, 85);
  const auto day = glucose_day(p, glucose_dates(p)[1]);
  const AddedExercise run{day.start + 17 * 60, 40, 150};
  const auto w = meal_what_if(flat_fit(), p.history, day, {}, std::span(&run, 1));
  ASSERT_TRUE(w.exercise && w.exercise->gain);
  EXPECT_EQ(w.exercise->gain->bouts, 5);
  EXPECT_LT(w.exercise->gain->gain, 0.01);
  EXPECT_NEAR(w.what_if.outcomes.mean_mg_dl, w.as_logged.outcomes.mean_mg_dl, 0.1);
}

TEST(GlucoseDay, WithoutHeartRateARunCountsFromTheModelsDefaultRest) {
  const auto p = two_days();
  const auto day = glucose_day(p, glucose_dates(p)[1]);
  const AddedExercise walk{day.start + 9 * 60, 30, 70};  // below the default rest: no effect
  const auto w = meal_what_if(flat_fit(), p.history, day, {}, std::span(&walk, 1));
  ASSERT_TRUE(w.exercise.has_value());
  EXPECT_FALSE(w.exercise->rest_measured);
  EXPECT_EQ(w.exercise->rest_bpm, metabolic::ExerciseResponse{}.rest_bpm);
  for (std::size_t i = 0; i < w.what_if.curve.size(); ++i) EXPECT_EQ(w.what_if.curve[i].mg_dl, w.as_logged.curve[i].mg_dl);
}

}  // namespace
}  // namespace medtwin

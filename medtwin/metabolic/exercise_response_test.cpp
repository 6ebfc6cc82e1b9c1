#include "medtwin/metabolic/exercise_response.hpp"

#include <gtest/gtest.h>

#include "medtwin/core/error.hpp"

namespace medtwin::metabolic {
namespace {

constexpr double kRest = 60;
constexpr int kDays = 6;

// Six days of a minute-by-minute heart rate at rest with a 40-minute bout
// (+50 bpm, a 3-minute stop in the middle) every afternoon, a meal every morning, and CGM every 5 minutes
// from a known model whose exercise response is `gain` times Breton's. Each
// day starts afresh at basal (H, the beats exercise added, never decays).
GlucoseHistory exercising_days(const MealResponseModel& truth, double gain) {
  GlucoseHistory h;
  ExerciseResponse response;
  response.rest_bpm = kRest;
  for (int day = 0; day < kDays; ++day) {
    const double start = day * 1440.0;
    h.meals.push_back({start + 8 * 60, 60});
    for (int m = 0; m < 1440; ++m) {
      const bool running = m >= 15 * 60 && m < 15 * 60 + 40 && !(m >= 15 * 60 + 20 && m < 15 * 60 + 23);
      h.heart_rate.push_back({start + m, running ? kRest + 50 : kRest});
    }
    const auto rise = measured_heart_rate_rise(h.heart_rate, kRest, start, start + 1440, 5);
    const std::span meal(&h.meals.back(), 1);
    for (const auto& r : simulate_meal_response(truth, truth.gb, start, start + 1435, meal, 5, {rise, response.scaled(gain)}))
      h.cgm.push_back(r);
  }
  return h;
}

const MealResponseModel kTruth{95, 0.015, 2e-4, 50, 2.0};

TEST(ExerciseResponse, TheRestIsTheTenthPercentileOfTheHeartRate) {
  const auto h = exercising_days(kTruth, 1);
  EXPECT_NEAR(*resting_heart_rate(h, 0, 1440), kRest, 1e-9);
  EXPECT_FALSE(resting_heart_rate(h, 0, 30).has_value()) << "half an hour is too little";
}

TEST(ExerciseResponse, RecoversTheGainThatMadeTheReadings) {
  for (double gain : {0.0, 0.4, 1.0}) {
    const auto h = exercising_days(kTruth, gain);
    const auto fit = fit_exercise_gain(kTruth, h, kRest, 0, kDays * 1440);
    ASSERT_TRUE(fit.has_value());
    EXPECT_EQ(fit->bouts, kDays) << "a 3-minute stop does not split a bout";
    EXPECT_NEAR(fit->gain, gain, 0.01) << gain;
    EXPECT_LE(fit->gain_low, fit->gain) << gain;
    EXPECT_GE(fit->gain_high, fit->gain) << gain;
    EXPECT_LT(fit->rmse, 0.5) << gain;
  }
}

TEST(ExerciseResponse, PredictionsOfLaterBoutsUseTheFittedGain) {
  const auto h = exercising_days(kTruth, 0.4);
  const auto fit = fit_exercise_gain(kTruth, h, kRest, 0, (kDays - 1) * 1440);
  ASSERT_TRUE(fit.has_value());
  EXPECT_EQ(fit->bouts, kDays - 1);
  const auto later = predict_exercise_windows(kTruth, h, kRest, fit->gain, (kDays - 1) * 1440, kDays * 1440);
  EXPECT_EQ(later.bouts, 1);
  EXPECT_LT(later.rmse, 0.5);
  EXPECT_GT(later.rmse_without, 2);
  EXPECT_GT(later.rmse_literature, 2);
}

TEST(ExerciseResponse, TooFewBoutsLeaveTheGainUnfitted) {
  const auto h = exercising_days(kTruth, 1);
  EXPECT_FALSE(fit_exercise_gain(kTruth, h, kRest, 0, 4 * 1440).has_value()) << "4 bouts";
  auto resting = h;
  for (auto& s : resting.heart_rate) s.bpm = std::min(s.bpm, kRest + 10);
  EXPECT_FALSE(fit_exercise_gain(kTruth, resting, kRest, 0, kDays * 1440).has_value());
  EXPECT_THROW(fit_exercise_gain(kTruth, h, NAN, 0, kDays * 1440), Error);
}

TEST(ExerciseResponse, HeartRateIsAveragedPerMinute) {
  const std::vector<HeartRateSample> samples{{10.0, 60}, {10.2, 90}, {10.9, 90}, {12.5, 70}};
  const auto minutes = per_minute_heart_rate(samples);
  ASSERT_EQ(minutes.size(), 2u);
  EXPECT_EQ(minutes[0].minute, 10);
  EXPECT_EQ(minutes[0].bpm, 80);
  EXPECT_EQ(minutes[1].minute, 12);
}

}  // namespace
}  // namespace medtwin::metabolic

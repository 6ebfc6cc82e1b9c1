#include "medtwin/metabolic/meal_response.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "medtwin/core/error.hpp"

namespace medtwin::metabolic {
namespace {

// Four days of three meals, read every 15 minutes from a known model.
GlucoseHistory synthetic_days(const MealResponseModel& truth) {
  GlucoseHistory h;
  for (int day = 0; day < 4; ++day)
    for (auto [hour, carbs] : {std::pair{2.0, 50.0}, {10.0, 80.0}, {18.0, 65.0}})  // 8 h apart: each meal starts at rest
      h.meals.push_back({day * 1440 + hour * 60, carbs + 5 * day});
  for (const auto& r : simulate_meal_response(truth, truth.gb, 0, 4 * 1440, h.meals, 15)) h.cgm.push_back(r);
  return h;
}

TEST(MealResponse, RecoversTheParametersThatMadeTheReadings) {
  MealResponseModel truth{95, 0.015, 2e-4, 50, 2.0};
  MealWindowSettings plain_least_squares;
  plain_least_squares.prior_weight = 0;
  auto fit = fit_meal_response(synthetic_days(truth), 4 * 1440, plain_least_squares);
  EXPECT_EQ(fit.meals, 12);
  EXPECT_NEAR(fit.model.tau, truth.tau, 0.05 * truth.tau);
  EXPECT_NEAR(fit.model.gain, truth.gain, 0.05 * truth.gain);
  EXPECT_NEAR(fit.model.sg, truth.sg, 0.15 * truth.sg);
  EXPECT_NEAR(fit.model.sr, truth.sr, 0.15 * truth.sr);
  EXPECT_LT(fit.rmse, 0.5);
}

TEST(MealResponse, ThePriorKeepsEstimatesNearTypicalValuesWithoutBiasingMuch) {
  MealResponseModel truth{95, 0.015, 2e-4, 50, 2.0};
  auto fit = fit_meal_response(synthetic_days(truth), 4 * 1440);
  EXPECT_NEAR(fit.model.tau, truth.tau, 0.2 * truth.tau);
  EXPECT_NEAR(fit.model.gain, truth.gain, 0.3 * truth.gain);
  EXPECT_LT(fit.rmse, 3);
}

TEST(MealResponse, PredictsLaterMealsBetterThanAFlatLine) {
  MealResponseModel truth{95, 0.015, 2e-4, 50, 2.0};
  auto h = synthetic_days(truth);
  MealResponseFit exact;
  exact.model = truth;
  auto e = predict_meal_windows(exact, h, 2 * 1440, 4 * 1440);
  EXPECT_EQ(e.meals, 6);
  EXPECT_LT(e.rmse, 0.01);  // each window restarts with insulin action at rest
  EXPECT_GT(e.flat_rmse, 20);
}

TEST(MealResponse, SamplesAroundTheFitAreReproducibleAndSpreadAsItsCovariance) {
  MealResponseModel truth{95, 0.015, 2e-4, 50, 2.0};
  auto fit = fit_meal_response(synthetic_days(truth), 4 * 1440);
  fit.log_covariance = Eigen::Vector4d(0.04, 0.09, 0.01, 0.0025).asDiagonal();  // SDs of log: 0.2, 0.3, 0.1, 0.05
  auto a = sample_meal_responses(fit, 4000, 7), b = sample_meal_responses(fit, 4000, 7);
  ASSERT_EQ(a.size(), 4000u);
  EXPECT_EQ(a[123].tau, b[123].tau);
  double sum = 0, sum2 = 0;
  for (const auto& m : a) {
    double x = std::log(m.sr / fit.model.sr);
    sum += x, sum2 += x * x;
    EXPECT_EQ(m.gb, fit.model.gb);
  }
  EXPECT_NEAR(sum / 4000, 0, 0.02);
  EXPECT_NEAR(std::sqrt(sum2 / 4000), 0.3, 0.015);
  EXPECT_THROW(sample_meal_responses(fit, 0, 1), Error);
}

TEST(MealResponse, TooFewMealsIsAnError) {
  GlucoseHistory h;
  for (int i = 0; i < 100; ++i) h.cgm.push_back({i * 15.0, 100});
  h.meals.push_back({300, 50});
  EXPECT_THROW(fit_meal_response(h, 1e9), Error);
}

// A day without meals from basal glucose, with one bout at minute 60.
std::vector<GlucoseReading> exercise_day(const MealResponseModel& m, ExerciseBout bout, ExerciseResponse response = {},
                                         double step = 5) {
  bout.start_minute = 60;
  return simulate_meal_response(m, m.gb, 0, 1440, {}, step, Exercise{heart_rate_steps(std::span(&bout, 1)), response});
}

TEST(MealResponseExercise, ABoutWithoutAHeartRateRiseChangesNothing) {
  MealResponseModel m{95, 0.015, 2e-4, 50, 2.0};
  std::vector<MealIntake> meals{{120, 60}, {600, 40}};
  auto plain = simulate_meal_response(m, 110, 0, 1440, meals);
  const ExerciseBout idle_bout{100, 60, 0};
  auto idle = simulate_meal_response(m, 110, 0, 1440, meals, 5, Exercise{heart_rate_steps(std::span(&idle_bout, 1)), {}});
  ASSERT_EQ(plain.size(), idle.size());
  for (std::size_t i = 0; i < plain.size(); ++i) EXPECT_EQ(plain[i].mg_dl, idle[i].mg_dl);
}

// With glucose effectiveness negligible and no insulin action (glucose stays
// below basal), dG/dt = −β·Y·G with Y = R·(1 − e^(−t/τHR)), so
// G(t) = G0·exp(−β·R·(t − τHR·(1 − e^(−t/τHR)))).
TEST(MealResponseExercise, MuscleUptakeFollowsTheHeartRateLag) {
  MealResponseModel m{100, 1e-9, 2e-4, 50, 2.0};
  ExerciseResponse r;
  r.alpha = 0;
  const double rise = 40;
  auto day = exercise_day(m, {0, 120, rise}, r, 1);
  for (double t : {2.0, 5.0, 10.0, 30.0, 120.0}) {
    const double exact = m.gb * std::exp(-r.beta * rise * (t - r.tau_hr * (1 - std::exp(-t / r.tau_hr))));
    EXPECT_NEAR(day[std::size_t(60 + t)].mg_dl, exact, 1e-4 * exact) << t << " min into the bout";
  }
}

// Long enough for Y to settle: SG·(Gb − G) = β·ΔHR·G, so G = SG·Gb / (SG + β·ΔHR).
TEST(MealResponseExercise, GlucoseSettlesWhereEffectivenessBalancesUptake) {
  MealResponseModel m{95, 0.015, 2e-4, 50, 2.0};
  ExerciseResponse r;
  r.alpha = 0;
  auto day = exercise_day(m, {0, 600, 30}, r);
  const double settled = m.sg * m.gb / (m.sg + r.beta * 30);
  EXPECT_NEAR(day[(60 + 590) / 5].mg_dl, settled, 1e-3 * settled);
  EXPECT_NEAR(day.back().mg_dl, m.gb, 0.01) << "back to basal when the bout is long over";
}

// The α term: insulin action raised after exercise, for hours, in proportion
// to the heart beats the exercise added (H): a stroll 4 bpm above rest adds
// 15 times fewer than a run 60 above.
TEST(MealResponseExercise, InsulinActionStaysRaisedForHoursAfterARun) {
  MealResponseModel m{95, 0.015, 2e-4, 50, 2.0};
  ExerciseResponse r;
  r.beta = 0;
  auto run = exercise_day(m, {0, 30, 60}, r);
  auto longer_run = exercise_day(m, {0, 60, 60}, r);
  auto stroll = exercise_day(m, {0, 30, 4}, r);
  const auto at = [](const auto& day, double minute) { return day[std::size_t(minute / 5)].mg_dl; };
  const double after_3h = m.gb - at(run, 90 + 180), after_10h = m.gb - at(run, 90 + 600);
  EXPECT_GT(after_3h, 2);
  EXPECT_GT(after_10h, 0.1);
  EXPECT_LT(after_10h, after_3h);
  EXPECT_GT(m.gb - at(longer_run, 120 + 180), 1.5 * after_3h);
  EXPECT_LT(m.gb - at(stroll, 90 + 180), after_3h / 10);
}

TEST(MealResponseExercise, ABadBoutIsAnError) {
  MealResponseModel m{95, 0.015, 2e-4, 50, 2.0};
  EXPECT_THROW(exercise_day(m, {0, -5, 40}), Error);
  EXPECT_THROW(exercise_day(m, {0, 30, NAN}), Error);
  ExerciseResponse no_rest;
  no_rest.rest_bpm = 0;
  EXPECT_THROW(exercise_day(m, {0, 30, 40}, no_rest), Error);
}

}  // namespace
}  // namespace medtwin::metabolic

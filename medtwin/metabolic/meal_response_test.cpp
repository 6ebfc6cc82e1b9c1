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

}  // namespace
}  // namespace medtwin::metabolic

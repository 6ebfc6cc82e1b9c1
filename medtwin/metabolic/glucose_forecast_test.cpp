#include "medtwin/metabolic/glucose_forecast.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "medtwin/core/error.hpp"

namespace medtwin::metabolic {
namespace {

// Ten days of readings every 15 min: a daily meal rise after each logged meal
// on a slow random walk, so trend and meals both carry information.
GlucoseHistory synthetic_history() {
  GlucoseHistory h;
  std::mt19937 rng(7);
  std::normal_distribution<double> step(0, 2);
  for (int day = 0; day < 10; ++day)
    for (double hour : {8.0, 13.0, 19.0}) h.meals.push_back({day * 1440 + hour * 60, 60});
  double drift = 0;
  for (double t = 0; t < 10 * 1440; t += 15) {
    drift = 0.95 * drift + step(rng);
    double meal_rise = 0;
    for (const auto& m : h.meals)
      if (t > m.minute) meal_rise += 1.2 * (t - m.minute) * std::exp(-(t - m.minute) / 45);
    h.cgm.push_back({t, 100 + drift + meal_rise});
  }
  return h;
}

TEST(GlucoseForecast, BeatsPersistenceWhenMealsAreLogged) {
  auto b = backtest_glucose_forecasts(synthetic_history(), 3);
  EXPECT_GT(b.errors.forecasts, 500);
  // The random walk is unpredictable; the meal rises are not.
  EXPECT_LT(b.errors.rmse, 0.7 * b.errors.persistence_rmse);
  EXPECT_NEAR(b.errors.interval_coverage, 0.8, 0.1);
}

TEST(GlucoseForecast, UsesNothingAfterItsOrigin) {
  auto h = synthetic_history();
  auto model = fit_glucose_forecaster(h, 5 * 1440);
  double at = 6 * 1440 + 600;
  auto before = forecast_glucose(model, h, at);
  for (auto& r : h.cgm)
    if (r.minute > at) r.mg_dl += 50;
  h.meals.push_back({at + 10, 100});
  auto after = forecast_glucose(model, h, at);
  ASSERT_TRUE(before && after);
  EXPECT_EQ(before->mg_dl, after->mg_dl);
  EXPECT_EQ(before->target_minute, before->origin_minute + 30);
}

TEST(GlucoseForecast, NoForecastFromAStaleReadingAndErrorsOnBadHistory) {
  auto h = synthetic_history();
  auto model = fit_glucose_forecaster(h, 5 * 1440);
  EXPECT_FALSE(forecast_glucose(model, h, 20 * 1440));
  EXPECT_THROW(fit_glucose_forecaster(h, 200), Error);
  h.meals.back().carbs_g = -1;
  EXPECT_THROW(fit_glucose_forecaster(h, 5 * 1440), Error);
}

}  // namespace
}  // namespace medtwin::metabolic

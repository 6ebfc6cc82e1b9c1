#include "medtwin/baseline/structural_model.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "medtwin/baseline/backtest.hpp"
#include "medtwin/core/error.hpp"

namespace medtwin::baseline {
namespace {

using std::chrono::local_days;

DailySeries series_of(std::vector<double> values, DailyKind kind = DailyKind::level) {
  return DailySeries{"x", "1", kind, local_days{std::chrono::days{16000}}, std::move(values)};
}

// Level 50, a weekly pattern of ±10, and N(0, 2²) noise.
DailySeries weekly_series(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0, 2);
  const double pattern[7] = {-10, -5, 0, 5, 10, 3, -3};
  std::vector<double> v(n);
  for (std::size_t t = 0; t < n; ++t) v[t] = 50 + pattern[t % 7] + noise(rng);
  return series_of(std::move(v));
}

TEST(StructuralModel, LearnsAWeeklyPattern) {
  const auto s = weekly_series(140, 1);
  const auto f = StructuralModel().forecast(s, 7);
  ASSERT_EQ(f.size(), 7u);
  const double pattern[7] = {-10, -5, 0, 5, 10, 3, -3};
  for (int h = 0; h < 7; ++h) {
    EXPECT_NEAR(f[h].point, 50 + pattern[(140 + h) % 7], 2.0) << "day ahead " << h + 1;
    EXPECT_LT(f[h].lo95, f[h].lo80);
    EXPECT_LT(f[h].lo80, f[h].point);
    EXPECT_GT(f[h].hi80, f[h].point);
  }
}

TEST(StructuralModel, BacktestBeatsNaiveOnAWeeklyPatternAndCoversNominally) {
  const auto s = weekly_series(400, 2);
  const auto scores = backtest(s, StructuralModel());
  EXPECT_GT(scores.n(), 350u);
  EXPECT_LT(scores.mae(), 0.5 * scores.mae_mean7());
  EXPECT_NEAR(scores.mae(), 2 * std::sqrt(2 / M_PI), 0.25);  // E|N(0, 2²)| = 1.60
  EXPECT_NEAR(scores.coverage80(), 0.80, 0.05);
  EXPECT_NEAR(scores.coverage95(), 0.95, 0.03);
}

TEST(StructuralModel, RandomWalkFollowsTheLevel) {
  std::mt19937 rng(3);
  std::normal_distribution<double> step(0, 1);
  std::vector<double> v{100};
  for (int t = 1; t < 300; ++t) v.push_back(v.back() + step(rng));
  const auto s = series_of(v);
  const auto scores = backtest(s, StructuralModel());
  EXPECT_LT(scores.mae(), 1.05 * scores.mae_persistence());
  EXPECT_NEAR(scores.coverage80(), 0.80, 0.06);
}

TEST(StructuralModel, CovariatesExplainWhatTheyDrive) {
  // Resting HR 55 + 0.02 per unit of yesterday's training load (0–400), noise N(0, 1).
  std::mt19937 rng(4);
  std::normal_distribution<double> noise(0, 1);
  std::uniform_real_distribution<double> load(0, 400);
  std::vector<double> x(200), y(200);
  for (std::size_t t = 0; t < y.size(); ++t) x[t] = load(rng), y[t] = 55 + 0.02 * x[t] + noise(rng);
  auto s = series_of(y);
  s.regressors.push_back({"load_yesterday", "training_load", x});
  const auto with = backtest(s, StructuralModel({.weekly = false, .covariates = true}));
  const auto without = backtest(s, StructuralModel({.weekly = false}));
  EXPECT_LT(with.mae(), 0.5 * without.mae());          // the load swings HR by ±4 bpm around 59
  EXPECT_NEAR(with.mae(), std::sqrt(2 / M_PI), 0.15);  // then only the N(0, 1) noise is left
  // A known covariate for tomorrow moves tomorrow's forecast by β·Δx.
  s.regressors[0].values.push_back(400);
  const double high = StructuralModel({.weekly = false, .covariates = true}).forecast(s, 1)[0].point;
  s.regressors[0].values.back() = 0;
  const double low = StructuralModel({.weekly = false, .covariates = true}).forecast(s, 1)[0].point;
  EXPECT_NEAR(high - low, 8, 0.6);
}

TEST(StructuralModel, TotalsStayNonNegative) {
  std::vector<double> v;
  for (int t = 0; t < 60; ++t) v.push_back(t % 7 == 0 ? 0.5 : 3 + (t % 3));
  const auto f = StructuralModel().forecast(series_of(v, DailyKind::total), 7);
  for (const auto& d : f) EXPECT_GE(d.lo95, 0);
}

TEST(StructuralModel, RefusesShortHistory) {
  const auto s = series_of({1, 2, 3});
  try {
    StructuralModel().forecast(s, 1);
    FAIL() << "expected NotEnoughData";
  } catch (const NotEnoughData& e) {
    EXPECT_STREQ(e.what(), "not enough history to forecast x (needs 14 days with data, has 3)");
  }
}

}  // namespace
}  // namespace medtwin::baseline

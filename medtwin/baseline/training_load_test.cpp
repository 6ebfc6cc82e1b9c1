#include "medtwin/baseline/training_load.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <vector>

#include "medtwin/core/error.hpp"

namespace medtwin::baseline {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

TEST(TrainingImpulse, TanakaEquation) {
  EXPECT_DOUBLE_EQ(tanaka_hr_max(40), 180);  // 208 - 0.7 * 40
  EXPECT_DOUBLE_EQ(tanaka_hr_max(20), 194);
  EXPECT_THROW(tanaka_hr_max(0), Error);
  EXPECT_THROW(tanaka_hr_max(nan), Error);
}

TEST(TrainingImpulse, EdwardsZonesByHand) {
  // HRmax 190: 55 % = 104.5, 75 % = 142.5, 95 % = 180.5 beats/min; 90 is below 50 %.
  std::vector<double> hr;
  hr.insert(hr.end(), 30, 104.5);  // zone 1: 30
  hr.insert(hr.end(), 20, 142.5);  // zone 3: 60
  hr.insert(hr.end(), 10, 180.5);  // zone 5: 50
  hr.insert(hr.end(), 15, 90.0);   // below zone 1: 0
  hr.insert(hr.end(), 5, nan);     // not worn: skipped
  EXPECT_DOUBLE_EQ(edwards_trimp(hr, 190), 140);
}

TEST(TrainingImpulse, EdwardsZoneEdgesBelongToTheUpperZone) {
  EXPECT_DOUBLE_EQ(edwards_trimp(std::vector<double>{95}, 190), 1);   // exactly 50 %
  EXPECT_DOUBLE_EQ(edwards_trimp(std::vector<double>{114}, 190), 2);  // exactly 60 %
  EXPECT_DOUBLE_EQ(edwards_trimp(std::vector<double>{171}, 190), 5);  // exactly 90 %
  EXPECT_DOUBLE_EQ(edwards_trimp(std::vector<double>{200}, 190), 5);  // above HRmax stays in zone 5
  EXPECT_THROW(edwards_trimp(std::vector<double>{-3}, 190), Error);
  EXPECT_THROW(edwards_trimp(std::vector<double>{100}, 20), Error);
}

TEST(TrainingImpulse, IntensityWeightsAreEdwardsMeansOverAcsmBands) {
  const auto w = acsm_edwards_weights();
  EXPECT_DOUBLE_EQ(w.light, 1.5);           // 57-63 %: 3 points at 1, 3 at 2
  EXPECT_DOUBLE_EQ(w.moderate, 2.5);        // 64-76 %: 6 at 2, 6 at 3
  EXPECT_DOUBLE_EQ(w.vigorous, 74.0 / 18);  // 77-95 %: 3 at 3, 10 at 4, 5 at 5
}

TEST(TrainingImpulse, ModerateWeightEqualsEdwardsTrimpOfHeartRatesSpreadOverTheBand) {
  // Heart rates spread evenly over 64-76 % of HRmax score 2.5 a minute in Edwards' TRIMP,
  // the weight a "moderate" minute gets: the two loads share one scale.
  const double hr_max = 200;
  const int n = 1200;
  std::vector<double> hr(n);
  for (int i = 0; i < n; ++i) hr[i] = hr_max * (64 + 12 * (i + 0.5) / n) / 100;
  EXPECT_NEAR(edwards_trimp(hr, hr_max) / n, acsm_edwards_weights().moderate, 1e-12);
}

TEST(TrainingImpulse, ActivityTrimpByHand) {
  EXPECT_NEAR(activity_trimp({100, 30, 20}), 100 * 1.5 + 30 * 2.5 + 20 * 74.0 / 18, 1e-12);  // 307.22
  EXPECT_THROW(activity_trimp({-1, 0, 0}), Error);
  EXPECT_THROW(activity_trimp({1000, 500, 0}), Error);  // more than a day
}

TEST(Banister, ImpulseDecaysWithEachTimeConstant) {
  std::vector<double> load(61, 0.0);
  load[0] = 100;
  const auto s = training_load(load);
  EXPECT_DOUBLE_EQ(s[0]->fitness, 100);
  EXPECT_NEAR(s[42]->fitness, 100 * std::exp(-1.0), 1e-10);  // 36.788 after tau1 days
  EXPECT_NEAR(s[7]->fatigue, 100 * std::exp(-1.0), 1e-10);   // 36.788 after tau2 days
  EXPECT_NEAR(s[20]->performance, 100 * std::exp(-20 / 42.0) - 2 * 100 * std::exp(-20 / 7.0), 1e-10);
}

TEST(Banister, PerformanceAfterOneSessionDipsThenPeaksWhereTheAnalyticSolutionSays) {
  // p(t) = w (k1 e^{-t/tau1} - k2 e^{-t/tau2}) turns positive at
  // t0 = ln(k2/k1) / (1/tau2 - 1/tau1) = 5.82 d and peaks at
  // t* = ln(k2 tau1 / (k1 tau2)) / (1/tau2 - 1/tau1) = 20.87 d (k1 = 1, k2 = 2, 42 d, 7 d).
  std::vector<double> load(80, 0.0);
  load[0] = 100;
  const auto s = training_load(load);
  EXPECT_LT(s[5]->performance, 0);
  EXPECT_GT(s[6]->performance, 0);
  int best = 0;
  for (int t = 1; t < 80; ++t)
    if (s[t]->performance > s[best]->performance) best = t;
  EXPECT_EQ(best, 21);
  std::printf("figure: impulse: p < 0 until day 5, p > 0 from day 6; best day %d (analytic 20.87)\n", best);
}

TEST(Banister, ConstantLoadApproachesTheGeometricSteadyState) {
  const double w = 50;
  const std::vector<double> load(400, w);
  const auto s = training_load(load);
  const double a1 = std::exp(-1 / 42.0), a2 = std::exp(-1 / 7.0);
  EXPECT_NEAR(s[399]->fitness, w * (1 - std::pow(a1, 400)) / (1 - a1), 1e-9);
  // The limit w / (1 - e^{-1/42}) = 42.50 w = 2125.1, reached but for e^{-400/42} = 7e-5 of it.
  EXPECT_NEAR(s[399]->fitness, w / (1 - a1), 1e-4 * w / (1 - a1));
  EXPECT_NEAR(w / (1 - a1), 2125.1, 0.05);
  EXPECT_NEAR(s[399]->fatigue, w / (1 - a2), 1e-9);
}

TEST(Banister, RecursionEqualsTheDirectSum) {
  std::mt19937 rng(7);
  std::vector<double> load(300);
  for (auto& x : load) x = rng() % 300;
  const auto s = training_load(load);
  for (int t : {0, 1, 50, 299}) {
    double g = 0, h = 0;
    for (int u = 0; u <= t; ++u) {
      g += load[u] * std::exp(-(t - u) / 42.0);
      h += load[u] * std::exp(-(t - u) / 7.0);
    }
    EXPECT_NEAR(s[t]->fitness, g, 1e-10 * g + 1e-12);
    EXPECT_NEAR(s[t]->fatigue, h, 1e-10 * h + 1e-12);
  }
}

TEST(Acwr, ConstantLoadGivesOneAfterTheChronicWindow) {
  const auto s = training_load(std::vector<double>(60, 30.0));
  EXPECT_FALSE(s[26]->acwr);  // 27 days: the chronic window is not yet covered
  ASSERT_TRUE(s[27]->acwr);
  EXPECT_NEAR(*s[27]->acwr, 1, 1e-12);
  EXPECT_NEAR(*s[59]->acwr, 1, 1e-12);
}

TEST(Acwr, StepInLoadFollowsTheClosedFormEwma) {
  // 60 days at w, then 2w: a zero-started EWMA is w(1-q^60) q^k + 2w(1-q^k),
  // divided by 1 - q^(60+k) (the bias correction), q = 1 - 2/(N+1).
  const double w = 40;
  std::vector<double> load(60, w);
  load.insert(load.end(), 20, 2 * w);
  const auto s = training_load(load);
  const auto ewma = [&](int n_window, int k) {
    const double q = 1 - 2.0 / (n_window + 1);
    return (w * (1 - std::pow(q, 60)) * std::pow(q, k) + 2 * w * (1 - std::pow(q, k))) / (1 - std::pow(q, 60 + k));
  };
  for (int k : {1, 7, 20}) {
    EXPECT_NEAR(*s[59 + k]->acwr, ewma(7, k) / ewma(28, k), 1e-12) << "k = " << k;
    std::printf("figure: ACWR %d day(s) after doubling the load: %.4f\n", k, *s[59 + k]->acwr);
  }
  // One day of double load: acute 0.75 w + 0.25 (2w) = 1.25 w, chronic w + (2/29) w = (31/29) w,
  // the bias correction on 61 days moving the ratio by less than 1e-3.
  EXPECT_NEAR(*s[60]->acwr, 1.25 * 29 / 31, 1e-3);
}

TEST(Acwr, AllZeroLoadHasNoRatio) {
  const auto s = training_load(std::vector<double>(40, 0.0));
  EXPECT_FALSE(s[39]->acwr);
}

TEST(MissingDays, AreImputedWithTheRecentMedianAndFlagged) {
  const std::vector<double> load{10, 20, 30, nan, 40};
  const auto s = training_load(load);
  ASSERT_TRUE(s[3]);
  EXPECT_TRUE(s[3]->imputed);
  EXPECT_DOUBLE_EQ(s[3]->load, 20);  // median of 10, 20, 30
  const double a = std::exp(-1 / 7.0);
  EXPECT_NEAR(s[3]->imputed_share_fatigue, 1 / (1 + a + a * a + a * a * a), 1e-12);
  EXPECT_NEAR(s[4]->imputed_share_fatigue, a / (1 + a + a * a + a * a * a + a * a * a * a), 1e-12);
  EXPECT_FALSE(s[4]->imputed);
  EXPECT_EQ(s[4]->days_of_history, 5);
  EXPECT_NEAR(s[4]->fitness, training_load(std::vector<double>{10, 20, 30, 20, 40})[4]->fitness, 1e-12);
}

TEST(MissingDays, LeadingAndLongGapsAreUnknownAndTheStateRestarts) {
  std::vector<double> load(40, nan);
  load[2] = 100;  // first measured day
  load[35] = 50;  // after a gap longer than the 28-day imputation window
  const auto s = training_load(load);
  EXPECT_FALSE(s[0]);
  EXPECT_FALSE(s[1]);
  EXPECT_TRUE(s[30]);   // day 30: day 2 is still inside the 28 days before it
  EXPECT_FALSE(s[31]);  // day 31: no measured day in days 3..30
  ASSERT_TRUE(s[35]);
  EXPECT_EQ(s[35]->days_of_history, 1);
  EXPECT_DOUBLE_EQ(s[35]->fitness, 50);
}

TEST(TrainingLoadInput, BadValuesAreRejected) {
  EXPECT_THROW(training_load(std::vector<double>{}), NotEnoughData);
  EXPECT_THROW(training_load(std::vector<double>{1, -2}), Error);
  EXPECT_THROW(training_load(std::vector<double>{1, std::numeric_limits<double>::infinity()}), Error);
  BanisterParameters p;
  p.fatigue_time_constant_days = 0;
  EXPECT_THROW(training_load(std::vector<double>{1}, p), Error);
}

}  // namespace
}  // namespace medtwin::baseline

#include "medtwin/baseline/readiness.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <vector>

#include "medtwin/core/error.hpp"

namespace medtwin::baseline {
namespace {

ReadinessInputs poor_morning() {
  ReadinessInputs in;
  in.hrv_z = -1.2;
  in.resting_hr_z = 1.0;
  in.sleep_hours = 6.5;
  in.sleep_debt_hours = 4;
  in.acute_chronic_ratio = 1.5;
  in.temperature_deviation_c = 0.3;
  return in;
}

TEST(Readiness, HandComputedMorningWithEveryPart) {
  // Every part present (weights 30/15/20/10/15/10 of 100), centre 70, all below neutral, so each
  // part adds w/100 * g * 70:
  //   HRV -1.2 SD:         g = -0.8/1.5 ... -0.4667 -> -9.8
  //   resting HR +1.0 SD:  g = -0.5/1.5 = -0.3333  -> -3.5
  //   sleep 6.5 h of 8:    g = -0.5              -> -7.0
  //   debt 4 h:            g = -2/5 = -0.4       -> -2.8
  //   ACWR 1.5:            g = -0.2/0.7          -> -3.0
  //   temperature +0.3 C:  g = -0.5 * 0.1/0.3    -> -1.1667
  // score = 70 - 27.2667 = 42.7333
  const auto r = readiness(poor_morning());
  EXPECT_NEAR(r.score, 70 - 27.26666666666667, 1e-9);
  std::printf("figure: poor morning, every part: %.4f\n", r.score);
  EXPECT_DOUBLE_EQ(r.confidence, 1);
  EXPECT_TRUE(r.missing.empty());
  ASSERT_EQ(r.contributions.size(), 6u);
  const std::vector<double> points{-9.8, -3.5, -7.0, -2.8, -3.0, -7.0 / 6};
  const std::vector<std::string> sentences{
      "HRV 1.2 SD below your baseline: -9.8",
      "Resting heart rate 1.0 SD above your baseline: -3.5",
      "Slept 6.5 h, 1.5 h less than your need of 8.0 h: -7.0",
      "Sleep debt 4.0 h over the last 7 nights: -2.8",
      "Acute:chronic training load 1.50 (1.00 = training as usual): -3.0",
      "Temperature +0.3 °C from your baseline: -1.2",
  };
  for (std::size_t i = 0; i < points.size(); ++i) {
    EXPECT_NEAR(r.contributions[i].points, points[i], 1e-9) << to_string(r.contributions[i].part);
    EXPECT_EQ(r.contributions[i].sentence, sentences[i]);
  }
}

TEST(Readiness, MissingPartsAreRenormalisedAndReported) {
  // Only HRV (+1.25 SD, g = 0.5) and sleep (7.5 h of 8, g = 0.5): 50 of 100 weight present, so
  // HRV adds 30/50 * 0.5 * 30 = 9 and sleep 20/50 * 0.5 * 30 = 6: score 85, confidence 0.5.
  ReadinessInputs in;
  in.hrv_z = 1.25;
  in.sleep_hours = 7.5;
  const auto r = readiness(in);
  EXPECT_NEAR(r.score, 85, 1e-9);
  std::printf("figure: HRV + sleep only: %.4f, confidence %.2f\n", r.score, r.confidence);
  EXPECT_DOUBLE_EQ(r.confidence, 0.5);
  ASSERT_EQ(r.contributions.size(), 2u);
  EXPECT_NEAR(r.contributions[0].points, 9, 1e-9);
  EXPECT_NEAR(r.contributions[1].points, 6, 1e-9);
  const std::vector<ReadinessPart> missing{ReadinessPart::resting_hr, ReadinessPart::sleep_debt,
                                           ReadinessPart::training_load, ReadinessPart::temperature};
  EXPECT_EQ(r.missing, missing);
}

TEST(Readiness, SleepAloneStillScoresOverTheFullRange) {
  ReadinessInputs in;
  in.sleep_hours = 8;
  EXPECT_NEAR(readiness(in).score, 100, 1e-9);
  EXPECT_NEAR(readiness(in).confidence, 0.2, 1e-12);
  in.sleep_hours = 5.5;
  EXPECT_NEAR(readiness(in).score, 0, 1e-9);
  in.sleep_hours = 7;  // one hour short: neutral
  EXPECT_NEAR(readiness(in).score, 70, 1e-9);
}

TEST(Readiness, NeutralMorningScoresTheCentre) {
  ReadinessInputs in;
  in.hrv_z = 0.3;
  in.resting_hr_z = -0.4;
  in.sleep_hours = 7;
  in.sleep_debt_hours = 2;
  in.acute_chronic_ratio = 1.3;
  in.temperature_deviation_c = 0.1;
  EXPECT_NEAR(readiness(in).score, 70, 1e-12);
  EXPECT_EQ(readiness(in).contributions[0].sentence, "HRV 0.3 SD above your baseline: +0.0");
}

TEST(Readiness, BestMorningWithEveryPartIs97BecauseTemperatureHasNoUpside) {
  ReadinessInputs in;
  in.hrv_z = 3;
  in.resting_hr_z = -3;
  in.sleep_hours = 9;
  in.sleep_debt_hours = 0;
  in.acute_chronic_ratio = 0.5;
  in.temperature_deviation_c = 0;
  EXPECT_NEAR(readiness(in).score, 70 + 30 * 0.9, 1e-9);
}

TEST(Readiness, StaysInBoundsAndPointsAddUpForEveryCombination) {
  // 3 values (low, middle, high) or absent for each of 6 parts: 4^6 = 4096 mornings.
  const std::vector<std::vector<double>> levels{{-4, 0, 4},  {-4, 0, 4},  {0, 7.2, 14},
                                                {-5, 3, 30}, {0, 1.1, 5}, {-1, 0.4, 3}};
  int checked = 0;
  for (int code = 0; code < 4096; ++code) {
    std::vector<std::optional<double>> v(6);
    for (int p = 0, c = code; p < 6; ++p, c /= 4)
      if (c % 4 < 3) v[p] = levels[p][c % 4];
    if (std::none_of(v.begin(), v.end(), [](const auto& x) { return x.has_value(); })) continue;
    ReadinessInputs in;
    in.hrv_z = v[0];
    in.resting_hr_z = v[1];
    in.sleep_hours = v[2];
    in.sleep_debt_hours = v[3];
    in.acute_chronic_ratio = v[4];
    in.temperature_deviation_c = v[5];
    const auto r = readiness(in);
    double sum = 70;
    for (const auto& c : r.contributions) sum += c.points;
    ASSERT_GE(r.score, 0);
    ASSERT_LE(r.score, 100);
    ASSERT_NEAR(sum, r.score, 1e-9);
    ASSERT_EQ(r.contributions.size() + r.missing.size(), 6u);
    ++checked;
  }
  EXPECT_EQ(checked, 4095);
}

// Sweeps one input over a range, the others fixed at a poor morning, and
// checks the score moves only in `direction` (+1 up, -1 down), and does move.
void expect_monotone(const std::function<void(ReadinessInputs&, double)>& set, double lo, double hi, int direction,
                     const char* what) {
  double previous = direction > 0 ? -1 : 101, first = 0, last = 0;
  for (int i = 0; i <= 400; ++i) {
    auto in = poor_morning();
    set(in, lo + (hi - lo) * i / 400);
    const double s = readiness(in).score;
    EXPECT_GE(direction * (s - previous), -1e-12) << what << " at step " << i;
    previous = s;
    (i == 0 ? first : last) = s;
  }
  EXPECT_GT(direction * (last - first), 1) << what;
}

TEST(Readiness, EachPartIsMonotone) {
  expect_monotone([](auto& in, double x) { in.hrv_z = x; }, -4, 4, +1, "hrv_z");
  expect_monotone([](auto& in, double x) { in.resting_hr_z = x; }, -4, 4, -1, "resting_hr_z");
  expect_monotone([](auto& in, double x) { in.sleep_hours = x; }, 0, 12, +1, "sleep_hours");
  expect_monotone([](auto& in, double x) { in.sleep_need_hours = x; }, 4, 11, -1, "sleep_need_hours");
  expect_monotone([](auto& in, double x) { in.sleep_debt_hours = x; }, -3, 20, -1, "sleep_debt_hours");
  expect_monotone([](auto& in, double x) { in.acute_chronic_ratio = x; }, 0, 3, -1, "acute_chronic_ratio");
  expect_monotone([](auto& in, double x) { in.temperature_deviation_c = x; }, -1, 2, -1, "temperature");
}

TEST(Readiness, TemperatureRiseOfHalfADegreeIsFlagged) {
  ReadinessInputs in;
  in.temperature_deviation_c = 0.6;
  EXPECT_EQ(readiness(in).contributions[0].sentence.find("Temperature +0.6 °C from your baseline, a warning sign"), 0u);
}

TEST(Readiness, BadInputIsRejected) {
  EXPECT_THROW(readiness(ReadinessInputs{}), NotEnoughData);
  ReadinessInputs in;
  in.hrv_z = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(readiness(in), Error);
  in.hrv_z.reset();
  in.sleep_hours = 25;
  EXPECT_THROW(readiness(in), Error);
  in.sleep_hours = 7;
  ReadinessParameters p;
  p.sleep.knots = {{0, 0}, {-1, 1}};  // x not increasing
  EXPECT_THROW(readiness(in, p), Error);
  p.sleep.knots = {{-2, -1}, {0, 1}, {2, 0}};  // not monotone
  EXPECT_THROW(readiness(in, p), Error);
}

}  // namespace
}  // namespace medtwin::baseline

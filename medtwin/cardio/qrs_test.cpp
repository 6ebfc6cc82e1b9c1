#include "medtwin/cardio/qrs.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "medtwin/cardio/synthetic_ecg_testing.hpp"
#include "medtwin/core/error.hpp"

namespace medtwin::cardio {
namespace {

constexpr double pi = std::numbers::pi;

// A synthetic ECG as a sum of Gaussian waves per beat (the morphology model of
// McSharry et al. 2003, "A dynamical model for generating synthetic
// electrocardiogram signals", IEEE TBME 50:289, with amplitudes and widths of
// a typical lead II): P, Q, R, S, T. Every 7th beat is a premature wide
// ventricular-like beat (no P, QRS 3× wider, inverted T). RR 0.8 s ± 0.05 s.
struct Synthetic {
  std::vector<double> ecg;            // mV
  std::vector<std::int64_t> r_peaks;  // sample of each R wave
};

Synthetic synthetic_ecg(double seconds, double rate) {
  Synthetic s;
  s.ecg.assign(std::size_t(seconds * rate), 0.0);
  auto wave = [&](double centre_s, double amplitude, double width_s) {
    testing::add_gaussian(s.ecg, rate, centre_s, amplitude, width_s);
  };
  int beat = 0;
  for (double t = 0.5; t < seconds - 0.5; ++beat) {
    bool ectopic = beat % 7 == 6;
    if (ectopic) {
      wave(t, 1.4, 0.03);
      wave(t + 0.3, -0.4, 0.07);
    } else {
      wave(t - 0.2, 0.15, 0.025);
      wave(t - 0.03, -0.1, 0.01);
      wave(t, 1.2, 0.01);
      wave(t + 0.03, -0.25, 0.01);
      wave(t + 0.3, 0.35, 0.06);
    }
    s.r_peaks.push_back(std::llround(t * rate));
    double rr = 0.8 + 0.05 * std::sin(2 * pi * t / 20);
    t += ectopic ? 1.4 * rr : (beat % 7 == 5 ? 0.6 * rr : rr);  // short coupling, compensatory pause
  }
  return s;
}

// Every true R found within `tolerance_s`, and nothing else.
void expect_exact(const QrsResult& found, const std::vector<std::int64_t>& truth, double rate,
                  double tolerance_s = 0.02) {
  ASSERT_EQ(found.r_peaks.size(), truth.size());
  ASSERT_EQ(found.confidence.size(), truth.size());
  for (std::size_t i = 0; i < truth.size(); ++i) {
    EXPECT_LE(std::abs(double(found.r_peaks[i] - truth[i])) / rate, tolerance_s) << "beat " << i;
    EXPECT_GE(found.confidence[i], 0);
    EXPECT_LE(found.confidence[i], 1);
  }
}

TEST(Qrs, FindsEverySyntheticBeatAtCommonRates) {
  for (double rate : {125.0, 250.0, 360.0, 500.0, 1000.0}) {
    SCOPED_TRACE(rate);
    Synthetic s = synthetic_ecg(120, rate);
    expect_exact(detect_qrs(s.ecg, rate), s.r_peaks, rate);
  }
}

TEST(Qrs, RobustToBaselineWanderPowerlineAndNoise) {
  const double rate = 360;
  Synthetic s = synthetic_ecg(180, rate);
  std::mt19937 random(3);
  std::normal_distribution<double> noise(0, 0.05);  // mV
  for (std::size_t i = 0; i < s.ecg.size(); ++i) {
    double t = double(i) / rate;
    s.ecg[i] += 0.5 * std::sin(2 * pi * 0.3 * t) + 0.1 * std::sin(2 * pi * 50 * t) + noise(random);
  }
  expect_exact(detect_qrs(s.ecg, rate), s.r_peaks, rate);
}

TEST(Qrs, FlatOrSaturatedSignalsGiveNoBeats) {
  EXPECT_TRUE(detect_qrs(std::vector<double>(36000, 0.0), 360).r_peaks.empty());
  EXPECT_TRUE(detect_qrs(std::vector<double>(36000, 5.12), 360).r_peaks.empty());  // stuck at the ADC rail
  std::vector<double> step(36000, -5.12);
  std::fill(step.begin() + 18000, step.end(), 5.12);  // a lead that jumps from one rail to the other
  EXPECT_LE(detect_qrs(step, 360).r_peaks.size(), 1u);
}

TEST(Qrs, ClippedEcgStillGivesEveryBeat) {
  const double rate = 360;
  Synthetic s = synthetic_ecg(60, rate);
  for (double& v : s.ecg) v = std::clamp(v, -0.3, 0.6);          // R waves cut at half their height
  expect_exact(detect_qrs(s.ecg, rate), s.r_peaks, rate, 0.04);  // the extremum is somewhere on the plateau
}

TEST(Qrs, PureNoiseGivesNoBeats) {
  std::mt19937 random(5);
  for (double sd : {0.01, 0.1, 1.0}) {
    std::normal_distribution<double> noise(0, sd);
    std::vector<double> a(360 * 120), b(360 * 120);
    for (double& v : a) v = noise(random);
    for (double& v : b) v = noise(random);
    EXPECT_TRUE(detect_qrs(a, 360).r_peaks.empty()) << sd;
    EXPECT_TRUE(detect_qrs(a, b, 360).r_peaks.empty()) << sd;
  }
}

TEST(Qrs, ThreeSecondRecordGivesItsBeatsOnly) {
  Synthetic s = synthetic_ecg(3, 360);
  ASSERT_EQ(s.r_peaks.size(), 3u);
  expect_exact(detect_qrs(s.ecg, 360), s.r_peaks, 360);
}

TEST(Qrs, NonFiniteSamplesReadAsAGap) {
  const double rate = 360;
  Synthetic s = synthetic_ecg(60, rate);
  const std::int64_t from = 20 * 360, to = 25 * 360;
  for (std::int64_t i = from; i < to; ++i) s.ecg[std::size_t(i)] = std::nan("");
  QrsResult found = detect_qrs(s.ecg, rate);
  for (std::int64_t r : found.r_peaks) EXPECT_FALSE(r > from + 36 && r < to) << r;  // nothing inside the gap
  std::vector<std::int64_t> outside;
  for (std::int64_t r : s.r_peaks)
    if (r < from - 18 || r > to + 18) outside.push_back(r);
  std::size_t hits = 0;
  for (std::int64_t r : outside)
    hits +=
        std::any_of(found.r_peaks.begin(), found.r_peaks.end(), [&](std::int64_t d) { return std::abs(d - r) <= 7; });
  EXPECT_EQ(hits, outside.size());
}

TEST(Qrs, TwoLeadsSurviveOneFlatOrNoisyLead) {
  const double rate = 360;
  Synthetic s = synthetic_ecg(120, rate);
  std::vector<double> flat(s.ecg.size(), 0.0);
  expect_exact(detect_qrs(s.ecg, flat, rate), s.r_peaks, rate);
  expect_exact(detect_qrs(flat, s.ecg, rate), s.r_peaks, rate);  // R placed on lead 1 where lead 0 is flat
  // Lead 1 buried in noise every other 5 seconds: at 0.5 mV SD (R waves are
  // 1.2 mV) nothing changes; at 1 and 2 mV SD no beat is lost and at most 1 %
  // and 2 % of the detections are noise (measured robustness, in the model card).
  std::mt19937 random(9);
  for (double sd : {0.5, 1.0, 2.0}) {
    SCOPED_TRACE(sd);
    std::normal_distribution<double> noise(0, sd);
    std::vector<double> noisy = s.ecg;
    for (std::size_t i = 0; i < noisy.size(); ++i)
      if ((i / 1800) % 2 == 1) noisy[i] += noise(random);
    QrsResult found = detect_qrs(s.ecg, noisy, rate);
    if (sd == 0.5) {
      expect_exact(found, s.r_peaks, rate);
      continue;
    }
    for (std::int64_t r : s.r_peaks)
      EXPECT_TRUE(std::any_of(found.r_peaks.begin(), found.r_peaks.end(), [&](std::int64_t d) {
        return std::abs(d - r) <= 7;
      })) << r;
    EXPECT_LE(double(found.r_peaks.size()), double(s.r_peaks.size()) * (1 + 0.01 * sd));
  }
}

TEST(Qrs, ImpossibleInputThrows) {
  std::vector<double> x(3600, 0.0);
  for (double rate : {0.0, -360.0, std::nan(""), 10.0, 1e6}) EXPECT_THROW(detect_qrs(x, rate), Error) << rate;
  EXPECT_THROW(detect_qrs(std::vector<double>{}, 360), Error);
  EXPECT_THROW(detect_qrs(x, std::vector<double>(100, 0.0), 360), Error);
  try {
    detect_qrs(x, 0);
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("sampling rate"), std::string::npos);
  }
}

}  // namespace
}  // namespace medtwin::cardio

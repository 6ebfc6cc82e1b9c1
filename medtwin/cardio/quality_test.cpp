// Unit tests of ECG signal quality (quality.hpp) on synthetic signals whose
// defects are known: a clean sum-of-Gaussians ECG, a flat line, a clipped
// ECG, 50 Hz interference, baseline wander, white noise alone, and a wrong
// sampling rate.
#include "medtwin/cardio/quality.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <vector>

#include "medtwin/cardio/synthetic_ecg_testing.hpp"
#include "medtwin/core/error.hpp"

namespace medtwin::cardio {
namespace {

constexpr double kRate = 360;  // Hz, MIT-BIH's

// 60 s at 72 bpm (RR 0.833 s).
std::vector<double> clean_ecg(double rate = kRate, double duration = 60) {
  const auto rr = testing::regular_rr(60.0 / 72, duration);
  return testing::synthetic_ecg(testing::r_times(rr), duration, rate);
}

void add_sine(std::vector<double>& x, double amplitude_mv, double f_hz, double rate) {
  for (std::size_t n = 0; n < x.size(); ++n)
    x[n] += amplitude_mv * std::sin(2 * std::numbers::pi * f_hz * static_cast<double>(n) / rate);
}

TEST(EcgQuality, CleanEcgIsUsableWithPerfectAgreementAndTheRightRate) {
  const QualityReport r = assess_quality(clean_ecg(), kRate);
  ASSERT_EQ(r.segments.size(), 6u);  // 60 s in 10 s segments
  EXPECT_DOUBLE_EQ(r.usable_fraction, 1);
  for (const SegmentQuality& q : r.segments) {
    EXPECT_EQ(q.quality, Quality::usable);
    EXPECT_DOUBLE_EQ(q.bsqi, 1);           // both detectors find every beat
    EXPECT_GT(q.ksqi, 5);                  // Li 2008: ECG-like
    EXPECT_GT(q.tsqi, 0.99);               // identical beats
    EXPECT_NEAR(q.heart_rate_bpm, 72, 1);  // one sample of RR rounding at 360 Hz: < 0.1 bpm; 1 bpm allowed
    EXPECT_FALSE(q.flat || q.clipped || q.powerline || q.baseline_wander || q.implausible_rhythm);
  }
}

TEST(EcgQuality, FlatLineIsUnusable) {
  const QualityReport r = assess_quality(std::vector<double>(20 * 360, 0.0), kRate);
  for (const SegmentQuality& q : r.segments) {
    EXPECT_TRUE(q.flat);
    EXPECT_DOUBLE_EQ(q.flat_fraction, 1);
    EXPECT_EQ(q.beats, 0);
    EXPECT_EQ(q.quality, Quality::unusable);
  }
}

TEST(EcgQuality, ClippedEcgIsUnusable) {
  // Amplified 4× into a ±1.5 mV input range: every R (4 mV) and T (1.2 mV… below) saturates at +1.5 mV.
  std::vector<double> x = clean_ecg();
  for (double& v : x) v = std::clamp(4 * v, -1.5, 1.5);
  const QualityReport r = assess_quality(x, kRate);
  for (const SegmentQuality& q : r.segments) {
    EXPECT_TRUE(q.clipped);
    EXPECT_GE(q.clipped_fraction, 0.01);
    EXPECT_EQ(q.quality, Quality::unusable);
  }
}

TEST(EcgQuality, PowerlineInterferenceIsFlaggedAt50Hz) {
  std::vector<double> x = clean_ecg();
  add_sine(x, 0.2, 50, kRate);  // 0.2 mV of mains hum
  const QualityReport r = assess_quality(x, kRate);
  for (const SegmentQuality& q : r.segments) {
    EXPECT_TRUE(q.powerline) << q.line_ratio;
    EXPECT_FALSE(q.clipped || q.flat);
  }
  // The clean ECG carries almost nothing there.
  for (const SegmentQuality& q : assess_quality(clean_ecg(), kRate).segments) EXPECT_LT(q.line_ratio, 0.01);
}

TEST(EcgQuality, BaselineWanderIsFlaggedButBeatsStayReadable) {
  std::vector<double> x = clean_ecg();
  add_sine(x, 1.0, 0.3, kRate);  // 1 mV at 0.3 Hz (breathing)
  const QualityReport r = assess_quality(x, kRate);
  for (const SegmentQuality& q : r.segments) {
    EXPECT_TRUE(q.baseline_wander) << q.bassqi;
    EXPECT_EQ(q.quality, Quality::usable);
  }
}

TEST(EcgQuality, WhiteNoiseAloneIsNotUsable) {
  std::mt19937 rng(17);
  std::normal_distribution<double> noise(0, 0.1);
  std::vector<double> x(60 * 360);
  for (double& v : x) v = noise(rng);
  const QualityReport r = assess_quality(x, kRate);
  EXPECT_DOUBLE_EQ(r.usable_fraction, 0);
  for (const SegmentQuality& q : r.segments) {
    EXPECT_NE(q.quality, Quality::usable);
    // White noise: pSQI = 10 Hz / 35 Hz ≈ 0.29 of a flat spectrum, kurtosis 3 (Gaussian).
    EXPECT_TRUE(q.high_frequency_noise) << q.psqi;
    EXPECT_NEAR(q.ksqi, 3, 0.3) << q.start_sample;
    EXPECT_TRUE(q.not_ecg_like);
  }
}

TEST(EcgQuality, WrongSamplingRateGivesImplausibleRhythmNotInventedBeats) {
  // 300 Hz data declared as 1000 Hz: 72 bpm reads as 21.6 bpm.
  const std::vector<double> x = clean_ecg(300, 60);
  const QualityReport r = assess_quality(x, 1000);
  EXPECT_DOUBLE_EQ(r.usable_fraction, 0);
  for (const SegmentQuality& q : r.segments) {
    EXPECT_TRUE(q.implausible_rhythm);
    EXPECT_EQ(q.quality, Quality::unusable);
  }
}

TEST(EcgQuality, ShortTailJoinsTheLastSegment) {
  const QualityReport r = assess_quality(clean_ecg(kRate, 21), kRate);
  ASSERT_EQ(r.segments.size(), 2u);
  EXPECT_EQ(r.segments.back().end_sample, 21 * 360);
}

TEST(EcgQuality, BadInputThrows) {
  EXPECT_THROW(assess_quality(std::vector<double>(360, 0.0), kRate), NotEnoughData);  // 1 s < 2 s
  EXPECT_THROW(assess_quality(std::vector<double>(3600, std::numeric_limits<double>::quiet_NaN()), kRate),
               NotEnoughData);
  EXPECT_THROW(assess_quality(clean_ecg(), 10), Error);
}

TEST(EcgQuality, MissingSamplesMakeTheirSegmentUnusable) {
  std::vector<double> x = clean_ecg(kRate, 30);
  for (int i = 15 * 360; i < 15 * 360 + 100; ++i) x[std::size_t(i)] = std::numeric_limits<double>::quiet_NaN();
  const QualityReport r = assess_quality(x, kRate);
  ASSERT_EQ(r.segments.size(), 3u);
  EXPECT_EQ(r.segments[0].quality, Quality::usable);
  EXPECT_TRUE(r.segments[1].missing);
  EXPECT_EQ(r.segments[1].quality, Quality::unusable);
  EXPECT_EQ(r.segments[2].quality, Quality::usable);
}

TEST(EcgQuality, BeatAgreementIsMatchedOverUnion) {
  const std::vector<std::int64_t> a{100, 200, 300}, b{105, 400};
  // One match (100~105) of 3 + 2 − 1 distinct beats.
  EXPECT_DOUBLE_EQ(beat_agreement(a, b, 0, 1000, 10), 0.25);
  EXPECT_DOUBLE_EQ(beat_agreement(a, a, 0, 1000, 10), 1);
  EXPECT_DOUBLE_EQ(beat_agreement(a, b, 500, 1000, 10), 0);  // neither detects there
}

TEST(EcgQuality, CurveLengthDetectorFindsEverySyntheticBeat) {
  const auto rr = testing::regular_rr(60.0 / 72, 60);
  const auto times = testing::r_times(rr);
  const auto x = testing::synthetic_ecg(times, 60, kRate);
  const auto found = detect_qrs_curve_length(x, kRate);
  ASSERT_EQ(found.size(), times.size());
  for (std::size_t i = 0; i < found.size(); ++i)
    EXPECT_NEAR(static_cast<double>(found[i]) / kRate, times[i], 0.010);  // within 10 ms of the true R
}

// Long leads are processed in 300 s chunks (quality.cpp): over 11 minutes,
// across two chunk seams, the detector must neither miss nor repeat a beat,
// and segments of the same content must get the same indices wherever they lie.
TEST(EcgQuality, ChunkSeamsOfALongLeadLeaveNoTrace) {
  for (double rate : {kRate, 250.0}) {
    const double duration = 660;  // s
    const auto times = testing::r_times(testing::regular_rr(60.0 / 72, duration));
    const auto x = testing::synthetic_ecg(times, duration, rate);
    const auto found = detect_qrs_curve_length(x, rate);
    ASSERT_EQ(found.size(), times.size()) << rate << " Hz";
    for (std::size_t i = 0; i < found.size(); ++i)
      EXPECT_NEAR(static_cast<double>(found[i]) / rate, times[i], 0.010);  // within 10 ms, as above
  }
  // At 360 Hz the RR is 300 samples and a 10 s segment exactly 12 beats: every
  // segment but the two at the lead's ends (whose running mean sees an edge)
  // holds nearly the same samples — the synthetic beats repeat to about 3e-7 of
  // kSQI and sSQI (measured) — so nearly the same figures; a seam that cut the
  // running mean or a template short would move them by percents.
  const QualityReport r = assess_quality(clean_ecg(kRate, 660), kRate);
  ASSERT_EQ(r.segments.size(), 66u);
  EXPECT_DOUBLE_EQ(r.usable_fraction, 1);
  const SegmentQuality& first = r.segments[1];
  for (std::size_t i = 1; i + 1 < r.segments.size(); ++i) {
    const SegmentQuality& q = r.segments[i];
    EXPECT_DOUBLE_EQ(q.bsqi, 1) << "segment " << i;
    EXPECT_NEAR(q.ksqi, first.ksqi, 1e-5 * first.ksqi) << "segment " << i;
    EXPECT_NEAR(q.ssqi, first.ssqi, 1e-5 * std::abs(first.ssqi)) << "segment " << i;
    EXPECT_NEAR(q.tsqi, first.tsqi, 1e-6) << "segment " << i;
  }
}

}  // namespace
}  // namespace medtwin::cardio

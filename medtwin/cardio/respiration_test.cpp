#include "medtwin/cardio/respiration.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <random>

#include "medtwin/cardio/neurokit2_test_data.hpp"
#include "medtwin/cardio/qrs.hpp"
#include "medtwin/core/error.hpp"

namespace medtwin::cardio {
namespace {

using std::int64_t;
using std::numbers::pi;

// ------------------------------------------- NeuroKit2's resting record ---
// bio_resting_5min_100hz.csv (RSP column, 100 Hz) and NeuroKit2 0.2.0's
// rsp_process summary on it: mean RSP_Rate 15.8603 /min, mean RSP_Amplitude
// 0.399077, 77 peaks. Our time averages interpolate linearly where NeuroKit2
// uses monotone cubic splines; measured: rate −0.53 %, amplitude −0.17 %.
struct Summary {
  double rate, amplitude;
  std::size_t peaks;
};

Summary read_summary() {
  const auto rows = testdata::read_reference_table("bio_resting_5min_RSP_summary.csv");
  if (rows.size() != 2 || rows[0].size() != 3 || rows[0][0] != "RSP_Rate_mean")
    throw std::runtime_error("bio_resting_5min_RSP_summary.csv: unexpected layout");
  return {std::stod(rows[1][0]), std::stod(rows[1][1]), std::stoul(rows[1][2])};
}

TEST(BreathingNeuroKit2, RateAmplitudeAndBreathsAgree) {
  const auto ref = read_summary();
  const auto r = analyse_breathing(testdata::read_resting_5min().rsp, 100);
  EXPECT_EQ(r.breaths.peaks.size(), ref.peaks);
  EXPECT_EQ(r.breaths.troughs.size(), ref.peaks);
  ASSERT_TRUE(r.mean_rate && r.mean_amplitude);
  EXPECT_TRUE(r.plausible);
  EXPECT_NEAR(*r.mean_rate, ref.rate, 0.01 * ref.rate);
  EXPECT_NEAR(*r.mean_amplitude, ref.amplitude, 0.01 * ref.amplitude);
  for (std::size_t i = 0; i < r.breaths.peaks.size(); ++i) {
    EXPECT_LT(r.breaths.troughs[i], r.breaths.peaks[i]);
    if (i + 1 < r.breaths.peaks.size()) {
      EXPECT_LT(r.breaths.peaks[i], r.breaths.troughs[i + 1]);
    }
  }
}

// EDR on the same record: R peaks by detect_qrs on the ECG column, rates
// against the belt's. Acceptable: within ±2 /min (Charlton et al. 2016's
// clinical tolerance, see docs/models/respiration.md). Measured per 1-min
// window (belt 17.44, 15.39, 14.24, 15.41, 15.87 /min):
//   amplitude (AM) errors −0.33, +5.47, +1.94, +4.04, −1.10;
//   RSA (FM)       errors −0.33, −3.67, +1.00, +1.23, −1.34;
//   fused          errors −0.33, none (AM and FM disagree), +1.47, +2.64, −1.22.
// Whole record (belt 15.78): AM 17.11, FM 16.64, fused 16.88 (+1.10).
// The per-window target is missed in one fused window (+2.64); the bounds
// below are those measured figures, not the target.
TEST(EdrNeuroKit2, RateAgreesWithTheBelt) {
  const auto rec = testdata::read_resting_5min();
  const auto belt = analyse_breathing(rec.rsp, 100);
  const auto edr = ecg_derived_respiration(rec.ecg, detect_qrs(rec.ecg, 100).r_peaks, 100);
  ASSERT_TRUE(belt.mean_rate && edr.overall.fused_rate);
  EXPECT_NEAR(*edr.overall.fused_rate, *belt.mean_rate, 2.0);
  ASSERT_EQ(edr.windows.size(), belt.rate_per_minute.size());
  std::size_t fused = 0, within_2 = 0;
  for (std::size_t w = 0; w < edr.windows.size(); ++w) {
    if (!edr.windows[w].fused_rate) continue;
    ++fused;
    within_2 += std::abs(*edr.windows[w].fused_rate - *belt.rate_per_minute[w].per_minute) <= 2;
  }
  EXPECT_EQ(fused, 4u);
  EXPECT_GE(within_2, 3u);
}

// Out of sample (the EDR choices were made on the 5-min record): NeuroKit2's
// 8.4-min resting record (ECG and RSP at 100 Hz). Measured, fused vs belt per
// window (/min): −2.85, +0.11, none, −1.12, +0.39, +0.47, +0.02, −0.33, +0.11
// (the last window 27 s); whole record 9.02 vs 9.60 (−0.58).
TEST(EdrNeuroKit2, RateAgreesWithTheBeltOnThe8MinuteRecord) {
  auto c = testdata::read_recording("bio_resting_8min_100hz.csv");
  const auto belt = analyse_breathing(c.at("RSP"), 100);
  const auto edr = ecg_derived_respiration(c.at("ECG"), detect_qrs(c.at("ECG"), 100).r_peaks, 100);
  ASSERT_TRUE(belt.mean_rate && edr.overall.fused_rate);
  EXPECT_NEAR(*edr.overall.fused_rate, *belt.mean_rate, 2.0);
  ASSERT_EQ(edr.windows.size(), belt.rate_per_minute.size());
  std::size_t fused = 0, within_2 = 0;
  for (std::size_t w = 0; w < edr.windows.size(); ++w) {
    if (!edr.windows[w].fused_rate || !belt.rate_per_minute[w].per_minute) continue;
    ++fused;
    within_2 += std::abs(*edr.windows[w].fused_rate - *belt.rate_per_minute[w].per_minute) <= 2;
  }
  EXPECT_EQ(fused, 8u);
  EXPECT_GE(within_2, 7u);
}

// NeuroKit2's 2.5-min event-related record (stimuli, so less steady
// breathing): belt 16.95 /min. Measured: AM 11.95 and FM 18.28 over the whole
// record, so fusion abstains; per window fused +3.81, none, none. Only the
// RSA estimate is usable here (+1.33).
TEST(EdrNeuroKit2, EventRelatedRecordOnlyRsaAgrees) {
  auto c = testdata::read_recording("bio_eventrelated_100hz.csv");
  const auto belt = analyse_breathing(c.at("RSP"), 100);
  const auto edr = ecg_derived_respiration(c.at("ECG"), detect_qrs(c.at("ECG"), 100).r_peaks, 100);
  ASSERT_TRUE(belt.mean_rate && edr.overall.rsa_rate);
  EXPECT_NEAR(*edr.overall.rsa_rate, *belt.mean_rate, 2.0);
  EXPECT_FALSE(edr.overall.fused_rate);
}

// ---------------------------------------------------------- synthetic ---

constexpr double rate_hz = 25;

// A belt signal 1 + A sin(2π f t) on a slow drift.
std::vector<double> sinusoid(double seconds, double f_hz, double amplitude) {
  std::vector<double> x(static_cast<std::size_t>(seconds * rate_hz));
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double t = double(i) / rate_hz;
    x[i] = 1 + 0.002 * t + amplitude * std::sin(2 * pi * f_hz * t);
  }
  return x;
}

// 15 /min for 2 minutes: 30 cycles, of which the first trough precedes the
// first peak and the last peak ends the series; depth 2A (the band-pass
// passes 0.25 Hz at unit gain within 0.1 %).
TEST(BreathingSynthetic, SinusoidGivesItsRateAndDepth) {
  const auto r = analyse_breathing(sinusoid(120, 0.25, 0.5), rate_hz);
  EXPECT_GE(r.breaths.peaks.size(), 28u);
  EXPECT_LE(r.breaths.peaks.size(), 30u);
  ASSERT_TRUE(r.mean_rate && r.mean_amplitude);
  EXPECT_NEAR(*r.mean_rate, 15, 0.15);
  EXPECT_TRUE(r.plausible);
  EXPECT_NEAR(*r.mean_amplitude, 1.0, 0.01);
  for (const auto& w : r.rate_per_minute) {
    ASSERT_TRUE(w.per_minute);
    EXPECT_NEAR(*w.per_minute, 15, 0.15);
  }
}

TEST(BreathingRobustness, FlatSignalHasNoBreaths) {
  const auto r = analyse_breathing(std::vector<double>(3000, 2.0), rate_hz);
  EXPECT_TRUE(r.breaths.peaks.empty());
  EXPECT_FALSE(r.mean_rate);
  EXPECT_FALSE(r.mean_amplitude);
}

// A belt off the body: band-passed noise crosses zero ~100 times a minute.
TEST(BreathingRobustness, NoiseIsImplausible) {
  std::mt19937 rng(3);
  std::normal_distribution<double> noise(0, 1e-6);
  std::vector<double> x(3000);
  for (auto& v : x) v = 2 + noise(rng);
  const auto r = analyse_breathing(x, rate_hz);
  EXPECT_FALSE(r.plausible);
  for (const auto& w : r.rate_per_minute) EXPECT_FALSE(w.per_minute);
}

TEST(BreathingRobustness, ThreeSecondsGiveNoRate) {
  const auto r = analyse_breathing(sinusoid(3, 0.25, 0.5), rate_hz);
  EXPECT_LE(r.breaths.peaks.size(), 1u);
  EXPECT_FALSE(r.mean_rate);
}

TEST(BreathingRobustness, MissingSamplesGiveNoBreaths) {
  auto x = sinusoid(120, 0.25, 0.5);
  for (std::size_t i = 1000; i < 1250; ++i) x[i] = std::numeric_limits<double>::quiet_NaN();  // 40–50 s
  const auto r = analyse_breathing(x, rate_hz);
  for (auto p : r.breaths.peaks) EXPECT_TRUE(p < 1000 - 50 || p >= 1250 + 50) << "peak at " << p;
  for (auto t : r.breaths.troughs) EXPECT_TRUE(t < 1000 - 50 || t >= 1250 + 50) << "trough at " << t;
  ASSERT_TRUE(r.mean_rate);
}

TEST(BreathingRobustness, BadInputThrows) {
  EXPECT_THROW(analyse_breathing(std::vector<double>{}, rate_hz), Error);
  EXPECT_THROW(analyse_breathing(std::vector<double>(100, std::nan("")), rate_hz), NotEnoughData);
  EXPECT_THROW(analyse_breathing(std::vector<double>(100, 0.0), 5), Error);  // 3 Hz band edge above Nyquist
  EXPECT_THROW(clean_breathing(std::vector<double>{0, std::nan(""), 0}, rate_hz), Error);
}

// Spikes at R peaks whose height and spacing are modulated at 0.25 Hz:
// height 1 + 0.1 sin(2π·0.25 t) mV, RR 0.8 + 0.05 sin(2π·0.25 t) s. Both
// modulations give 15 /min to the grid of the zero-padded spectrum (0.12 /min)
// and the resolution of a 60-s window (1 /min).
TEST(EdrSynthetic, ModulationsGiveTheirRate) {
  const double fs = 250;
  std::vector<double> lead(static_cast<std::size_t>(180 * fs), 0.0);
  std::vector<int64_t> peaks;
  for (double t = 0.5; t < 179.5; t += 0.8 + 0.05 * std::sin(2 * pi * 0.25 * t)) {
    const auto i = std::lround(t * fs);
    peaks.push_back(i);
    lead[std::size_t(i)] = 1 + 0.1 * std::sin(2 * pi * 0.25 * t);
  }
  const auto edr = ecg_derived_respiration(lead, peaks, fs);
  ASSERT_EQ(edr.windows.size(), 3u);
  for (const auto& w : edr.windows) {
    ASSERT_TRUE(w.amplitude_rate && w.rsa_rate && w.fused_rate);
    EXPECT_NEAR(*w.amplitude_rate, 15, 0.5);
    EXPECT_NEAR(*w.rsa_rate, 15, 0.5);
  }
  ASSERT_TRUE(edr.overall.fused_rate);
  EXPECT_NEAR(*edr.overall.fused_rate, 15, 0.5);
}

TEST(EdrRobustness, FewBeatsGiveNoEstimateAndBadPeaksThrow) {
  const std::vector<double> lead(2500, 0.0);
  const std::vector<int64_t> two = {100, 300};
  const auto edr = ecg_derived_respiration(lead, two, 250);
  ASSERT_EQ(edr.windows.size(), 1u);
  EXPECT_FALSE(edr.windows[0].fused_rate);
  EXPECT_FALSE(edr.overall.fused_rate);
  const std::vector<int64_t> outside = {100, 3000};
  EXPECT_THROW(ecg_derived_respiration(lead, outside, 250), Error);
  const std::vector<int64_t> unordered = {300, 100};
  EXPECT_THROW(ecg_derived_respiration(lead, unordered, 250), Error);
  EXPECT_THROW(ecg_derived_respiration(std::vector<double>{}, two, 250), Error);
}

}  // namespace
}  // namespace medtwin::cardio

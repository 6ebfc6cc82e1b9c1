// Unit tests of the short-recording rhythm label (rhythm_label.hpp) on
// synthetic strips with a known rhythm, on broken input (too short, flat,
// saturated, noise only, wrong sampling rate), and of COSEn on series whose
// value follows from the definition.
#include "medtwin/cardio/rhythm_label.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "medtwin/cardio/synthetic_ecg_testing.hpp"
#include "medtwin/core/error.hpp"

namespace medtwin::cardio {
namespace {

constexpr double kRate = 300;     // Hz, CinC 2017's
constexpr double kDuration = 30;  // s

std::vector<double> strip(const std::vector<double>& rr, bool p_waves = true, double rate = kRate) {
  return testing::synthetic_ecg(testing::r_times(rr), kDuration, rate, p_waves);
}

// Sinus rhythm at `bpm` with ±2 % beat-to-beat jitter (respiratory variation).
std::vector<double> sinus_rr(double bpm, unsigned seed = 3) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> jitter(-0.02, 0.02);
  std::vector<double> rr = testing::regular_rr(60 / bpm, kDuration);
  for (double& v : rr) v *= 1 + jitter(rng);
  return rr;
}

TEST(RhythmLabel, SinusRhythmAt72IsNormal) {
  const RhythmLabel r = label_rhythm(strip(sinus_rr(72)), kRate);
  EXPECT_EQ(r.label, RhythmClass::normal) << r.reason;
  EXPECT_NEAR(r.features.heart_rate_bpm, 72, 1);
  EXPECT_FALSE(r.features.dash_irregular);
  EXPECT_LT(r.features.cosen, -1.4);
  EXPECT_EQ(r.features.premature_beats, 0);
  EXPECT_EQ(r.features.ventricular_beats + r.features.supraventricular_beats, 0);
  ASSERT_TRUE(r.features.p_wave_share.has_value());
  EXPECT_EQ(*r.features.p_wave_share, 1.0);  // every 10 s median beat shows the 0.15 mV P wave
  ASSERT_TRUE(r.features.qtc_ms.has_value());
  EXPECT_LT(*r.features.qtc_ms, 480);  // T peak 250 ms after R: QT ≈ 0.4 s
  // Synthetic QRS (Q, R, S Gaussians, ±30 ms centres, SD 8–10 ms) spans about 80 ms; the estimate must say narrow.
  EXPECT_GT(r.features.qrs_width_s, 0.04);
  EXPECT_LT(r.features.qrs_width_s, 0.12);
}

TEST(RhythmLabel, IrregularlyIrregularRhythmWithoutPWavesIsAf) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> rr(0.4, 1.0);  // independent intervals, mean 0.7 s (86 bpm)
  std::vector<double> intervals;
  for (double t = 1; t < kDuration - 1.2;) intervals.push_back(rr(rng)), t += intervals.back();
  const RhythmLabel r = label_rhythm(strip(intervals, false), kRate);
  EXPECT_EQ(r.label, RhythmClass::af) << r.reason;
  EXPECT_TRUE(r.features.dash_irregular);
  EXPECT_GT(r.features.cosen, -1.4);
  EXPECT_LT(r.features.p_wave_share.value_or(0), 0.5);
}

TEST(RhythmLabel, IrregularRhythmWithPWavesIsOther) {
  // The same kind of irregularity with a P wave before every QRS (sinus arrhythmia, wandering or multifocal
  // atrial rhythm): not AF, which has no P waves (ESC 2020). Intervals 0.6–1.2 s keep each P clear of the T before.
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> rr(0.6, 1.2);
  std::vector<double> intervals;
  for (double t = 1; t < kDuration - 1.5;) intervals.push_back(rr(rng)), t += intervals.back();
  const RhythmLabel r = label_rhythm(strip(intervals, true), kRate);
  EXPECT_EQ(r.label, RhythmClass::other) << r.reason;
  EXPECT_EQ(r.reason, "irregular RR with P waves");
  EXPECT_GE(r.features.p_wave_share.value_or(0), 0.5);
}

TEST(RhythmLabel, BradycardiaTachycardiaAndEctopyAreOther) {
  EXPECT_EQ(label_rhythm(strip(sinus_rr(45)), kRate).label, RhythmClass::other);
  EXPECT_EQ(label_rhythm(strip(sinus_rr(120)), kRate).label, RhythmClass::other);
  // Every fourth beat premature (coupling 0.6 of the cycle) with a compensatory pause: quadrigeminy.
  std::vector<double> rr;
  while (rr.size() < 36) {
    rr.insert(rr.end(), {0.8, 0.8, 0.48});
    rr.push_back(1.12);
  }
  const RhythmLabel r = label_rhythm(strip(rr), kRate);
  EXPECT_EQ(r.label, RhythmClass::other) << r.reason;
  EXPECT_GE(r.features.premature_beats, 8);
}

// Sinus beats (with P) at the given R times, and ventricular beats — wide
// (R SD 30 ms against 10 ms), no P, discordant T — at `pvc_times_s`.
std::vector<double> strip_with_pvcs(const std::vector<double>& sinus_times_s, const std::vector<double>& pvc_times_s) {
  std::vector<double> x = testing::synthetic_ecg(sinus_times_s, kDuration, kRate);
  const std::vector<testing::Wave> pvc{{1.2, 0.0, 0.030}, {-0.4, 0.070, 0.025}, {-0.4, 0.320, 0.060}};
  for (double r : pvc_times_s)
    for (const auto& w : pvc)
      for (std::size_t n = 0; n < x.size(); ++n) {
        const double z = (static_cast<double>(n) / kRate - r - w.offset_s) / w.width_s;
        x[n] += w.amplitude_mv * std::exp(-0.5 * z * z);
      }
  return x;
}

TEST(RhythmLabel, FrequentPvcsAreOtherNotAf) {
  // Sinus at 75 bpm (±2 % jitter); after a random 1–2 sinus beats a PVC, coupled 0.35–0.65 s after the sinus beat
  // (multifocal-like variation), with a full compensatory pause. The intervals of all beats are irregular
  // (several premature beats), those between the sinus beats alone are regular.
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> run(1, 2);
  std::uniform_real_distribution<double> coupling(0.35, 0.65), jitter(-0.02, 0.02);
  std::vector<double> sinus, pvcs;
  for (double t = 0.5; t < kDuration - 1;) {
    const int beats = run(rng);
    for (int k = 0; k < beats && t < kDuration - 1; ++k) sinus.push_back(t), t += 0.8 * (1 + jitter(rng));
    if (t < kDuration - 1) pvcs.push_back(sinus.back() + coupling(rng)), sinus.push_back(t), t += 0.8;
  }
  const RhythmLabel r = label_rhythm(strip_with_pvcs(sinus, pvcs), kRate);
  EXPECT_EQ(r.label, RhythmClass::other) << r.reason;
  EXPECT_GE(r.features.ventricular_beats, static_cast<int>(pvcs.size()) - 1);
  EXPECT_GT(r.features.premature_beats, 1);
  ASSERT_TRUE(r.features.nn_cosen.has_value());
  EXPECT_LT(*r.features.nn_cosen, -1.4);
  EXPECT_LT(*r.features.nn_cosen, r.features.cosen);
}

TEST(RhythmLabel, DecisionRulesOnStoredFeatures) {
  RhythmFeatures f;
  f.usable_fraction = 1;
  f.beats = 36;
  f.heart_rate_bpm = 72;
  f.cosen = -2.2;
  f.nn_cosen = -2.2;
  f.qrs_width_s = 0.08;
  f.p_wave_share = 1;
  f.qtc_ms = 470;
  EXPECT_EQ(decide_rhythm(f).label, RhythmClass::normal);
  RhythmFeatures g = f;
  g.qtc_ms = 480;  // Priori et al. 2013: QTc ≥ 480 ms
  EXPECT_EQ(decide_rhythm(g).reason, "long QTc");
  g = f;
  g.ventricular_beats = 2;
  EXPECT_EQ(decide_rhythm(g).label, RhythmClass::normal);
  g.supraventricular_beats = 1;
  EXPECT_EQ(decide_rhythm(g).reason, "ectopic beats");
  // Irregular by Dash and COSEn of all intervals, but no NN intervals to judge (bigeminy): not AF.
  g = f;
  g.dash_irregular = true;
  g.cosen = -0.5;
  g.nn_cosen.reset();
  g.p_wave_share = 0;
  EXPECT_NE(decide_rhythm(g).label, RhythmClass::af);
  g.nn_cosen = -0.5;
  EXPECT_EQ(decide_rhythm(g).label, RhythmClass::af);
  g.p_wave_share = 0.5;  // P waves on half the median beats
  EXPECT_EQ(decide_rhythm(g).reason, "irregular RR with P waves");
  g.p_wave_share.reset();  // no median beat: no P wave seen
  EXPECT_EQ(decide_rhythm(g).label, RhythmClass::af);
}

TEST(RhythmLabel, BrokenRecordingsAreNoisyOrRefused) {
  // Too short for a label (the Challenge's strips are at least 9 s).
  EXPECT_THROW(label_rhythm(std::vector<double>(3 * 300, 0.0), kRate), NotEnoughData);
  // Flat line (lead off).
  EXPECT_EQ(label_rhythm(std::vector<double>(30 * 300, 0.0), kRate).label, RhythmClass::noisy);
  // Saturated: amplified 4× into ±1.5 mV.
  std::vector<double> clipped = strip(sinus_rr(72));
  for (double& v : clipped) v = std::clamp(4 * v, -1.5, 1.5);
  EXPECT_EQ(label_rhythm(clipped, kRate).label, RhythmClass::noisy);
  // Noise only.
  std::mt19937 rng(5);
  std::normal_distribution<double> noise(0, 0.1);
  std::vector<double> white(30 * 300);
  for (double& v : white) v = noise(rng);
  EXPECT_EQ(label_rhythm(white, kRate).label, RhythmClass::noisy);
  // 300 Hz data declared as 1000 Hz: 72 bpm would read 21.6 bpm — noisy, not bradycardia.
  const std::vector<double> slow = testing::synthetic_ecg(testing::r_times(sinus_rr(72)), 100, 300);
  const RhythmLabel wrong = label_rhythm(slow, 1000);
  EXPECT_EQ(wrong.label, RhythmClass::noisy) << wrong.reason;
  // A missing sample: bridged, and its 10 s segment graded unusable (quality.hpp).
  std::vector<double> gap = strip(sinus_rr(72));
  gap[500] = std::numeric_limits<double>::quiet_NaN();
  const RhythmLabel with_gap = label_rhythm(gap, kRate);
  EXPECT_LT(with_gap.features.usable_fraction, 0.7);
}

TEST(RhythmLabel, CosenOfIdenticalIntervalsIsLnTwoROverMean) {
  // All templates match: SampEn = −ln(1) = 0, so COSEn = ln(2 · 0.03) − ln(1) (Lake & Moorman 2011).
  const std::vector<double> rr(20, 1.0);
  EXPECT_NEAR(coefficient_of_sample_entropy(rr), std::log(0.06), 1e-12);
  const std::vector<double> rr_fast(20, 0.5);
  EXPECT_NEAR(coefficient_of_sample_entropy(rr_fast), std::log(0.06) - std::log(0.5), 1e-12);
  EXPECT_THROW(coefficient_of_sample_entropy(std::vector<double>{1, 1}), NotEnoughData);
}

TEST(RhythmLabel, CosenCountsTemplateMatchesByHand) {
  // r = 0.03. Length-1 templates (the first 5 intervals): pairs (0,1) (0,3) (0,4) (1,3) (1,4) (3,4) match, B = 6.
  // Their successors also match for (0,3): 1.01~1.00 and (1,4): 1.50~1.51, A = 2. With min_matches = 2 the
  // tolerance stays at 0.03 and SampEn = ln(B / A) = ln 3.
  const std::vector<double> rr{1.00, 1.01, 1.50, 1.02, 1.00, 1.51};
  const double mean = (1.00 + 1.01 + 1.50 + 1.02 + 1.00 + 1.51) / 6;
  EXPECT_NEAR(coefficient_of_sample_entropy(rr, 0.03, 2), std::log(3.0) + std::log(0.06) - std::log(mean), 1e-12);
}

}  // namespace
}  // namespace medtwin::cardio

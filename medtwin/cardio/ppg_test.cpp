#include "medtwin/cardio/ppg.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <random>

#include "medtwin/cardio/hrv.hpp"
#include "medtwin/cardio/neurokit2_test_data.hpp"
#include "medtwin/core/error.hpp"

namespace medtwin::cardio {
namespace {

using std::int64_t;

// Distance (samples) from `at` to the nearest of `peaks`.
int64_t nearest(const std::vector<int64_t>& peaks, int64_t at) {
  int64_t best = std::numeric_limits<int64_t>::max();
  for (auto p : peaks) best = std::min(best, std::abs(p - at));
  return best;
}

// ------------------------------------------- NeuroKit2's resting record ---
// bio_resting_5min_100hz.csv (PPG column, 100 Hz) and NeuroKit2 0.2.0's
// ppg_process peaks on it (424). Measured (docs/models/ppg.md): we find 432
// pulses; of the 424 reference peaks 10 coincide with ours, 49 are within
// ±1 sample, 103 within ±2, all 424 within ±150 ms. The reference peaks lie
// 0–8 samples after the systolic maximum of both the raw and the band-passed
// PPG, where neither has a local maximum, and 8 clear pulses have none (the
// reference's PRV has SDNN 85 ms and RMSSD 104 ms against the ECG's 49 and
// 39): the brief's target (all within ±1 sample) is not met and not sought.
TEST(PpgNeuroKit2, EveryReferencePeakHasOneOfOursWithin150ms) {
  const auto rec = testdata::read_resting_5min();
  const auto ref = testdata::read_reference_peaks("bio_resting_5min_PPG_peaks.csv");
  ASSERT_EQ(ref.size(), 424u);
  const auto ours = analyse_ppg(rec.ppg, 100).peaks;
  EXPECT_EQ(ours.size(), 432u);
  std::size_t within_150ms = 0, within_2 = 0;
  for (auto q : ref) within_150ms += nearest(ours, q) <= 15, within_2 += nearest(ours, q) <= 2;
  EXPECT_EQ(within_150ms, ref.size());  // the EC57 beat-matching window (150 ms)
  EXPECT_EQ(within_2, 103u);            // the measured figure, so a change shows
}

// Each heart beat gives one pulse: NeuroKit2's 432 R peaks on the ECG column
// of the same record, each followed by exactly one of our pulses within
// 600 ms (pulse arrival time; measured 370–570 ms, mean 433 ms), but for 2.
TEST(PpgNeuroKit2, OnePulsePerHeartBeat) {
  const auto rec = testdata::read_resting_5min();
  const auto r_peaks = testdata::read_reference_peaks("bio_resting_5min_ECG_Rpeaks.csv");
  const auto pulses = analyse_ppg(rec.ppg, 100).peaks;
  std::size_t paired = 0;
  for (std::size_t i = 0; i < r_peaks.size(); ++i) {
    const int64_t next = i + 1 < r_peaks.size() ? r_peaks[i + 1] : std::numeric_limits<int64_t>::max();
    const auto n = std::count_if(pulses.begin(), pulses.end(),
                                 [&](int64_t p) { return p > r_peaks[i] && p <= r_peaks[i] + 60 && p < next; });
    paired += n == 1;
  }
  EXPECT_GE(paired, r_peaks.size() - 2);
}

// PRV = the HRV functions on pulse intervals. At rest PRV tracks HRV
// (Schäfer & Vagedes 2013, Int J Cardiol 166:15–29); they differ by the
// beat-to-beat variation of the pulse transit time and, here, by the 10 ms
// sampling step on both sides. Bounds: mean interval 0.1 % (the same beats
// over nearly the same span), SDNN and RMSSD 2 % (measured: +0.70 %, +0.95 %).
TEST(PpgNeuroKit2, PulseRateVariabilityTracksHeartRateVariability) {
  const auto rec = testdata::read_resting_5min();
  const TimeDomainOptions nk{.compatibility = Compatibility::neurokit2_0_2};
  const auto prv = hrv_time(rr_from_peaks(analyse_ppg(rec.ppg, 100).peaks, 100).rr_ms, nk);
  const auto r_peaks = testdata::read_reference_peaks("bio_resting_5min_ECG_Rpeaks.csv");
  const auto ecg = hrv_time(rr_from_peaks(r_peaks, 100).rr_ms, nk);
  EXPECT_NEAR(prv.mean_nn, ecg.mean_nn, 0.001 * ecg.mean_nn);
  EXPECT_NEAR(prv.sdnn, ecg.sdnn, 0.02 * ecg.sdnn);
  EXPECT_NEAR(prv.rmssd, ecg.rmssd, 0.02 * ecg.rmssd);
}

// A clean resting PPG: every 10-s segment passes Orphanidou et al.'s rules
// (measured template correlations 0.975–0.999); pulse rate 85–88 /min each minute.
TEST(PpgNeuroKit2, RestingRecordIsAcceptableThroughout) {
  const auto rec = testdata::read_resting_5min();
  const auto r = analyse_ppg(rec.ppg, 100);
  ASSERT_EQ(r.quality.size(), 30u);
  for (const auto& q : r.quality) EXPECT_TRUE(q.acceptable) << "segment at " << q.start_s << " s";
  ASSERT_EQ(r.rate_per_minute.size(), 5u);
  for (const auto& w : r.rate_per_minute) {
    ASSERT_TRUE(w.per_minute);
    EXPECT_GT(*w.per_minute, 85);
    EXPECT_LT(*w.per_minute, 88);
  }
}

// ---------------------------------------------------------- synthetic ---

constexpr double rate_hz = 100;

// A PPG-like pulse train: systolic wave (Gaussian, SD 80 ms) at each beat
// time and a diastolic wave 40 % as high 300 ms later, at 72 /min.
struct Synthetic {
  std::vector<double> ppg;
  std::vector<int64_t> beats;  // systolic maxima, samples
};

Synthetic synthetic_ppg(double seconds, double bpm = 72) {
  Synthetic s;
  s.ppg.assign(static_cast<std::size_t>(seconds * rate_hz), 0.0);
  for (double t = 0.5; t < seconds; t += 60 / bpm) s.beats.push_back(std::lround(t * rate_hz));
  for (std::size_t i = 0; i < s.ppg.size(); ++i) {
    const double t = double(i) / rate_hz;
    for (auto b : s.beats) {
      const double d = t - double(b) / rate_hz;
      s.ppg[i] += std::exp(-d * d / (2 * 0.08 * 0.08)) + 0.4 * std::exp(-(d - 0.3) * (d - 0.3) / (2 * 0.1 * 0.1));
    }
  }
  return s;
}

// Every complete pulse found once, within 20 ms of its systolic maximum (the
// band-pass and the diastolic wave move the filtered maximum slightly).
TEST(PpgSynthetic, FindsEveryPulse) {
  const auto s = synthetic_ppg(60);
  const auto r = analyse_ppg(s.ppg, rate_hz);
  EXPECT_GE(r.peaks.size(), s.beats.size() - 2);  // a pulse at either end may be cut
  EXPECT_LE(r.peaks.size(), s.beats.size());
  for (auto p : r.peaks) EXPECT_LE(nearest(s.beats, p), 2) << "peak at " << p;
  ASSERT_TRUE(r.rate_per_minute.at(0).per_minute);
  EXPECT_NEAR(*r.rate_per_minute[0].per_minute, 72, 0.5);
  for (const auto& q : r.quality) EXPECT_TRUE(q.acceptable) << "segment at " << q.start_s << " s";
}

TEST(PpgRobustness, FlatSignalHasNoPulsesAndFailsQuality) {
  const std::vector<double> flat(6000, 0.5);
  const auto r = analyse_ppg(flat, rate_hz);
  EXPECT_TRUE(r.peaks.empty());
  for (const auto& q : r.quality) EXPECT_FALSE(q.acceptable);
  for (const auto& w : r.rate_per_minute) EXPECT_FALSE(w.per_minute);
}

// A saturated sensor: the tops cut at 60 % of the pulse height. Pulses are
// still found, but every segment is flagged clipped.
TEST(PpgRobustness, ClippedSignalIsFlagged) {
  auto s = synthetic_ppg(60);
  for (auto& v : s.ppg) v = std::min(v, 0.6);
  const auto r = analyse_ppg(s.ppg, rate_hz);
  EXPECT_GE(r.peaks.size(), s.beats.size() - 2);
  for (const auto& q : r.quality) {
    EXPECT_TRUE(q.clipped) << "segment at " << q.start_s << " s";
    EXPECT_FALSE(q.acceptable);
  }
}

// Band-passed white noise has "peaks" but no pulse shape: every segment fails.
TEST(PpgRobustness, NoiseFailsQuality) {
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0, 1);
  std::vector<double> x(6000);
  for (auto& v : x) v = noise(rng);
  const auto r = analyse_ppg(x, rate_hz);
  for (const auto& q : r.quality) EXPECT_FALSE(q.acceptable) << "segment at " << q.start_s << " s";
}

TEST(PpgRobustness, ThreeSecondsGiveOnlyRealPulses) {
  const auto s = synthetic_ppg(3);
  const auto r = analyse_ppg(s.ppg, rate_hz);
  EXPECT_LE(r.peaks.size(), s.beats.size());
  for (auto p : r.peaks) EXPECT_LE(nearest(s.beats, p), 2);
  ASSERT_EQ(r.quality.size(), 1u);
  ASSERT_EQ(r.rate_per_minute.size(), 1u);
}

TEST(PpgRobustness, MissingSamplesGiveNoPulsesAndAreFlagged) {
  auto s = synthetic_ppg(60);
  for (std::size_t i = 2000; i < 2500; ++i) s.ppg[i] = std::numeric_limits<double>::quiet_NaN();
  const auto r = analyse_ppg(s.ppg, rate_hz);
  for (auto p : r.peaks) EXPECT_TRUE(p < 2000 - 67 || p >= 2500 + 67) << "peak at " << p;
  for (auto p : r.peaks) EXPECT_LE(nearest(s.beats, p), 2);
  ASSERT_EQ(r.quality.size(), 6u);
  EXPECT_TRUE(r.quality[2].missing);
  EXPECT_FALSE(r.quality[2].acceptable);
  EXPECT_TRUE(r.quality[0].acceptable);
}

TEST(PpgRobustness, BadInputThrows) {
  EXPECT_THROW(analyse_ppg(std::vector<double>{}, rate_hz), Error);
  EXPECT_THROW(analyse_ppg(std::vector<double>(500, std::nan("")), rate_hz), NotEnoughData);
  EXPECT_THROW(analyse_ppg(std::vector<double>(500, 0.0), 10), Error);  // 8 Hz band edge above Nyquist
  // analyse_ppg bridges missing samples, clean_ppg does not.
  EXPECT_THROW(clean_ppg(std::vector<double>{0, std::nan(""), 0}, rate_hz), Error);
}

}  // namespace
}  // namespace medtwin::cardio

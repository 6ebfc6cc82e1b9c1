#include "medtwin/cardio/rhythm_label.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <vector>

#include "medtwin/cardio/af.hpp"
#include "medtwin/cardio/beat_class.hpp"
#include "medtwin/cardio/delineate.hpp"
#include "medtwin/cardio/hrv.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/core/stats.hpp"
#include "medtwin/signal/filter.hpp"

namespace medtwin::cardio {
namespace {

// Average-beat geometry (s relative to R): the QRS search window below and
// its smoothing fit well inside.
constexpr double kBeatBeforeS = 0.300, kBeatAfterS = 0.300;
// QRS width: the 24 ms-smoothed slope envelope above 15 % of its peak, searched
// within 150 ms before and 200 ms after R. Chosen.
constexpr double kSlopeSmoothingS = 0.024, kSlopeFraction = 0.15;
constexpr double kQrsSearchBeforeS = 0.150, kQrsSearchAfterS = 0.200;
constexpr double kCosenStepS = 0.010;  // s, tolerance growth step

std::vector<double> intervals_s(std::span<const std::int64_t> peaks, double rate_hz) {
  std::vector<double> rr;
  for (std::size_t i = 1; i < peaks.size(); ++i) rr.push_back(static_cast<double>(peaks[i] - peaks[i - 1]) / rate_hz);
  return rr;
}

// The upper median of a copy.
double upper_median(std::vector<double> v) { return select_in_place(v, 0.5); }

// premature[i]: interval i is short and the rhythm resumes after it.
std::vector<bool> premature_intervals(const std::vector<double>& rr, const RhythmParams& p) {
  const double m = upper_median(rr);
  std::vector<bool> out(rr.size(), false);
  for (std::size_t i = 0; i + 1 < rr.size(); ++i)
    out[i] = rr[i] < p.premature_ratio * m && rr[i + 1] >= p.resume_ratio * m;
  return out;
}

// Dash 2009 on all intervals of the strip as one window (af.hpp).
bool dash_irregular(std::span<const std::int64_t> peaks, double rate_hz, std::size_t intervals, double trim) {
  AfOptions o;
  o.window_beats = static_cast<int>(intervals);
  o.trimmed_beats = static_cast<int>(std::lround(trim * static_cast<double>(intervals)));
  o.min_episode = std::chrono::seconds(0);
  const AfResult r = detect_af(peaks, rate_hz, {}, o);
  return std::find(r.beat_in_af.begin(), r.beat_in_af.end(), true) != r.beat_in_af.end();
}

// COSEn of the intervals between beats that are neither artefacts nor
// ventricular (the NN intervals of Lake & Moorman 2011): frequent PVCs make a
// sinus rhythm look irregular otherwise. Dash 2009 trims its own extremes.
void measure_nn_cosen(std::span<const std::int64_t> beats, const std::vector<bool>& ventricular, double rate_hz,
                      const RhythmParams& p, RhythmFeatures& f) {
  std::vector<double> nn;
  for (std::size_t i = 1; i < beats.size(); ++i)
    if (!ventricular[i] && !ventricular[i - 1]) nn.push_back(static_cast<double>(beats[i] - beats[i - 1]) / rate_hz);
  f.nn_intervals = static_cast<int>(nn.size());
  if (nn.size() >= 3) f.nn_cosen = coefficient_of_sample_entropy(nn, p.cosen_tolerance_s, p.cosen_min_matches);
}

// P waves, PR, QRS and QTc on the 10 s median beats of the beats that are not
// ventricular (delineate.hpp) — the median averages AF's f-waves away.
void measure_median_beats(std::span<const double> lead, double rate_hz, std::span<const std::int64_t> beats,
                          const std::vector<bool>& ventricular, RhythmFeatures& f) {
  std::vector<bool> included(ventricular.size());
  std::transform(ventricular.begin(), ventricular.end(), included.begin(), [](bool v) { return !v; });
  const std::vector<MedianBeat> medians = median_beats(lead, rate_hz, beats, included);
  if (medians.empty()) return;
  const IntervalSummary s = summarise_intervals(medians);
  f.p_wave_share = s.p_wave_share;
  f.pr_ms = s.pr_ms;
  f.qrs_ms = s.qrs_ms;
  if (s.qtc) f.qtc_ms = s.qtc->framingham_ms;
}

// Mean of the beats (−300…+300 ms around R) of the 0.5–40 Hz band-passed lead,
// skipping beats that end a premature interval. Empty when no beat fits.
std::vector<double> average_beat(std::span<const double> lead, double rate_hz, std::span<const std::int64_t> peaks,
                                 const std::vector<bool>& premature, std::int64_t before, std::int64_t after) {
  const double high = std::min(40.0, 0.45 * rate_hz);
  const std::vector<double> x = signal::sos_filtfilt(signal::butterworth_bandpass(2, 0.5, high, rate_hz), lead);
  std::vector<double> sum(static_cast<std::size_t>(before + after + 1), 0);
  int count = 0;
  for (std::size_t i = 0; i < peaks.size(); ++i) {
    if (i > 0 && premature[i - 1]) continue;
    if (peaks[i] < before || peaks[i] + after >= static_cast<std::int64_t>(x.size())) continue;
    for (std::size_t k = 0; k < sum.size(); ++k) sum[k] += x[static_cast<std::size_t>(peaks[i] - before) + k];
    ++count;
  }
  if (count == 0) return {};
  for (double& v : sum) v /= count;
  return sum;
}

double qrs_width_s(const std::vector<double>& beat, std::int64_t r, double rate_hz) {
  std::vector<double> slope(beat.size(), 0);
  for (std::size_t k = 1; k < beat.size(); ++k) slope[k] = std::abs(beat[k] - beat[k - 1]);
  const std::vector<double> env =
      signal::moving_average(slope, static_cast<std::size_t>(std::lround(kSlopeSmoothingS * rate_hz)) | 1);
  const auto first = static_cast<std::size_t>(r - std::lround(kQrsSearchBeforeS * rate_hz));
  const auto last = static_cast<std::size_t>(r + std::lround(kQrsSearchAfterS * rate_hz));
  const auto ru = static_cast<std::size_t>(r);
  const double peak =
      *std::max_element(env.begin() + static_cast<long>(first), env.begin() + static_cast<long>(last) + 1);
  if (!(peak > 0)) return 0;
  const double level = kSlopeFraction * peak;
  std::size_t lo = ru, hi = ru;
  while (lo > first && env[lo - 1] >= level) --lo;
  while (hi < last && env[hi + 1] >= level) ++hi;
  return static_cast<double>(hi - lo) / rate_hz;
}

}  // namespace

RhythmFeatures measure_rhythm(std::span<const double> lead, double rate_hz, const RhythmParams& p) {
  const double duration = static_cast<double>(lead.size()) / (rate_hz > 0 ? rate_hz : 1);
  if (duration < p.min_duration_s)
    throw NotEnoughData(fmt::format("rhythm label: needs at least {:g} s of ECG, got {:.1f} s", p.min_duration_s,
                                    duration));
  const QualityReport quality = assess_quality(lead, rate_hz, p.quality);
  RhythmFeatures f;
  f.duration_s = static_cast<double>(lead.size()) / rate_hz;
  f.usable_fraction = quality.usable_fraction;
  const std::vector<std::int64_t>& peaks = quality.qrs.r_peaks;
  f.beats = static_cast<int>(peaks.size());
  if (f.beats < std::max(p.min_beats, 4)) return f;
  const std::vector<double> rr = intervals_s(peaks, rate_hz);
  std::vector<double> rr_ms(rr.size());
  std::transform(rr.begin(), rr.end(), rr_ms.begin(), [](double s) { return 1000 * s; });
  const TimeDomain t = hrv_time(rr_ms);
  f.heart_rate_bpm = 60000 / t.mean_nn;
  f.normalised_rmssd = t.cvsd;
  f.dash_irregular = dash_irregular(peaks, rate_hz, rr.size(), p.dash_trim_fraction);
  f.cosen = coefficient_of_sample_entropy(rr, p.cosen_tolerance_s, p.cosen_min_matches);
  const std::vector<bool> premature = premature_intervals(rr, p);
  f.premature_beats = static_cast<int>(std::count(premature.begin(), premature.end(), true));
  const auto before = static_cast<std::int64_t>(std::lround(kBeatBeforeS * rate_hz));
  const auto after = static_cast<std::int64_t>(std::lround(kBeatAfterS * rate_hz));
  const std::vector<double> beat = average_beat(lead, rate_hz, peaks, premature, before, after);
  if (!beat.empty()) f.qrs_width_s = qrs_width_s(beat, before, rate_hz);
  const std::vector<BeatLabel> labels = classify_beats(lead, {}, rate_hz, peaks);
  const BeatCounts counts = count_beats(labels);
  f.ventricular_beats = static_cast<int>(counts.ventricular + counts.fusion);
  f.supraventricular_beats = static_cast<int>(counts.supraventricular);
  f.artefacts = static_cast<int>(counts.artefacts);
  const std::vector<std::int64_t> beats = drop_artefacts(peaks, labels);
  const std::vector<bool> ventricular = ventricular_flags(labels);
  measure_nn_cosen(beats, ventricular, rate_hz, p, f);
  measure_median_beats(lead, rate_hz, beats, ventricular, f);
  return f;
}

RhythmLabel decide_rhythm(const RhythmFeatures& f, const RhythmParams& p) {
  RhythmLabel out;
  out.features = f;
  auto set = [&](RhythmClass c, std::string why) {
    out.label = c;
    out.reason = std::move(why);
    return out;
  };
  if (f.usable_fraction < p.min_usable_fraction) return set(RhythmClass::noisy, "too little usable signal");
  if (f.beats < p.min_beats) return set(RhythmClass::noisy, "too few beats detected");
  // Too few NN intervals (bigeminy, frequent PVCs): no COSEn call; the ectopy rule speaks.
  const bool cosen = p.cosen_on_nn ? f.nn_cosen && *f.nn_cosen > p.cosen_af : f.cosen > p.cosen_af;
  bool irregular = false;
  switch (p.irregularity) {
    case Irregularity::dash:
      irregular = f.dash_irregular;
      break;
    case Irregularity::cosen:
      irregular = cosen;
      break;
    case Irregularity::either:
      irregular = f.dash_irregular || cosen;
      break;
    case Irregularity::both:
      irregular = f.dash_irregular && cosen;
      break;
  }
  // No median beat (too few non-ventricular beats in any 10 s): no P wave seen.
  const bool p_waves = p.af_needs_absent_p_wave && f.p_wave_share.value_or(0) >= p.min_p_wave_share;
  if (irregular && !p_waves) return set(RhythmClass::af, "irregularly irregular RR without P waves");
  if (irregular) return set(RhythmClass::other, "irregular RR with P waves");
  if (f.heart_rate_bpm < p.min_normal_rate_bpm) return set(RhythmClass::other, "bradycardia");
  if (f.heart_rate_bpm > p.max_normal_rate_bpm) return set(RhythmClass::other, "tachycardia");
  if (f.qrs_width_s >= p.wide_qrs_s) return set(RhythmClass::other, "wide QRS");
  if (p.long_qtc_ms > 0 && f.qtc_ms && *f.qtc_ms >= p.long_qtc_ms) return set(RhythmClass::other, "long QTc");
  if (f.premature_beats > p.max_premature_beats) return set(RhythmClass::other, "premature beats");
  if (p.min_ectopic_beats > 0 && f.ventricular_beats + f.supraventricular_beats >= p.min_ectopic_beats)
    return set(RhythmClass::other, "ectopic beats");
  return set(RhythmClass::normal, "regular sinus-rate rhythm, narrow QRS");
}

double coefficient_of_sample_entropy(std::span<const double> rr_s, double tolerance_s, int min_matches) {
  if (rr_s.size() < 3) throw NotEnoughData("COSEn: needs at least 3 RR intervals, got " + std::to_string(rr_s.size()));
  for (double v : rr_s)
    if (!(std::isfinite(v) && v > 0)) throw Error("COSEn: RR intervals must be positive and finite");
  if (!(tolerance_s > 0)) throw Error("COSEn: the tolerance must be positive");
  const std::size_t templates = rr_s.size() - 1;  // N − m templates of length m = 1 and m + 1 = 2
  const auto [lo, hi] = std::minmax_element(rr_s.begin(), rr_s.end());
  double mean = 0;
  for (double v : rr_s) mean += v;
  mean /= static_cast<double>(rr_s.size());
  for (double r = tolerance_s;; r += kCosenStepS) {
    long a = 0, b = 0;  // matching pairs of length 2 and of length 1
    for (std::size_t i = 0; i < templates; ++i)
      for (std::size_t j = i + 1; j < templates; ++j)
        if (std::abs(rr_s[i] - rr_s[j]) <= r) {
          ++b;
          a += std::abs(rr_s[i + 1] - rr_s[j + 1]) <= r;
        }
    // Once r spans every interval all pairs match, so the loop ends.
    if (a >= min_matches || r > *hi - *lo)
      return (a > 0 ? -std::log(static_cast<double>(a) / static_cast<double>(b)) : 0) + std::log(2 * r) -
             std::log(mean);
  }
}

RhythmLabel label_rhythm(std::span<const double> lead, double rate_hz, const RhythmParams& p) {
  return decide_rhythm(measure_rhythm(lead, rate_hz, p), p);
}

const char* to_string(RhythmClass label) {
  switch (label) {
    case RhythmClass::normal:
      return "normal";
    case RhythmClass::af:
      return "af";
    case RhythmClass::other:
      return "other";
    case RhythmClass::noisy:
      return "noisy";
  }
  return "?";
}

}  // namespace medtwin::cardio

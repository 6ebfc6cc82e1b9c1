#include "medtwin/cardio/quality.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "medtwin/cardio/cycles.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/signal/filter.hpp"
#include "medtwin/signal/spectrum.hpp"

namespace medtwin::cardio {
namespace {

// Curve-length detector constants (Zong, Moody & Jiang 2003).
constexpr double kLowpassHz = 16;  // Hz, low-pass before the transform (Zong 2003)
// Hz, our addition: a high-pass at Pan & Tompkins' (1985) 5 Hz, so that the
// transform of tall, slow T waves (common in the CinC 2017 strips) stays below
// that of the QRS; without it T waves crossed the threshold after the 250 ms
// eye-closing period.
constexpr double kHighpassHz = 5;
constexpr double kLengthWindowS = 0.130;  // s, transform window: a QRS length (Zong 2003)
constexpr double kEyeClosingS = 0.250;    // s, no second QRS sooner (Zong 2003)
// T-wave rejection of Pan & Tompkins 1985: within 360 ms of the last QRS, a
// candidate whose transform peak is under half the last one's is a T wave.
constexpr double kTWaveWindowS = 0.360, kTWaveRatio = 0.5;
// Our simplification of Zong's adaptive threshold: a fraction of the median of
// the 2 s maxima of the transform over ±5 s, and an absolute floor — the total
// variation over 130 ms of a 0.5 mV (low-voltage) QRS is about 1 mV, so 0.1 mV
// is far below any real QRS. Chosen.
constexpr double kThresholdFraction = 0.35;
constexpr double kThresholdBlockS = 2;
constexpr int kThresholdBlocks = 2;  // blocks either side
constexpr double kThresholdFloorMv = 0.1;
constexpr double kBaselineS = 0.200;  // s, running mean removed before locating R (as detect_qrs does)

void check_input(std::span<const double> lead, double rate_hz) {
  check_ecg_rate(rate_hz, "ECG quality");
  for (double v : lead)
    if (!std::isfinite(v)) throw Error("ECG quality: the lead holds a non-finite sample; fill or cut gaps first");
}

// Long leads are processed a chunk at a time (bounded memory, as qrs.cpp
// does): a core of whole 2 s threshold blocks, with the context the detector
// looks at — ±2 blocks for the threshold, 130 ms for R and the transform peak —
// and beyond that a margin filtered only to let the band-pass settle. Its
// poles (5–16 Hz, first order) decay with time constant 1/(π · 11 Hz) ≈ 29 ms at
// any rate, so over the margin (less the running means' reach back, < 0.6 s)
// a start-up transient falls by e⁻⁸⁰ or more, far below double rounding: the
// chunk's samples equal the whole lead's to the last bit (checked on 24 h of
// MIT-BIH at 128, 250, 360 and 1000 Hz).
constexpr double kChunkS = 300;  // s, core of a chunk (rounded to whole threshold blocks)
constexpr double kMarginS = 3;   // s, filtered beyond the context either side

// A stretch of a signal over the whole lead: values at lead samples first … first + v.size() − 1.
struct Part {
  std::int64_t first = 0;
  std::vector<double> v;
  double operator[](std::int64_t i) const { return v[static_cast<std::size_t>(i - first)]; }
};

// signal::moving_average(whole, width, window) at least over [from, to),
// from `part`, which holds whole[first …]; `total` is the length of the whole
// signal. The moving average re-sums its window at every multiple of `width`
// (filter.cpp), so started at such a multiple one window and more before
// `from` it gives the whole signal's figures exactly. `part` must reach back
// that far and forward to `to` plus the window's look-ahead (or the end of the
// whole signal).
Part moving_average_part(std::span<const double> part, std::int64_t first, std::int64_t total, std::size_t width,
                         signal::Window window, std::int64_t from, std::int64_t to) {
  const auto w = static_cast<std::int64_t>(width);
  const std::int64_t behind = window == signal::Window::centered ? (w - 1) / 2 : w - 1, ahead = w - 1 - behind;
  const std::int64_t lo = std::max<std::int64_t>(0, (from - behind - w) / w * w);
  const std::int64_t hi = std::min(total, to + ahead);
  return {lo, signal::moving_average(part.subspan(static_cast<std::size_t>(lo - first),
                                                  static_cast<std::size_t>(hi - lo)),
                                     width, window)};
}

// Threshold of the transform per block b of `block` samples: kThresholdFraction
// × the median of the maxima of blocks b ± kThresholdBlocks (of `blocks` in the
// lead), at least kThresholdFloorMv; for blocks b_first … b_last. `length`
// must hold those blocks' neighbours.
std::vector<double> block_levels(const Part& length, std::int64_t n, std::int64_t block, std::int64_t b_first,
                                 std::int64_t b_last) {
  const std::int64_t blocks = (n + block - 1) / block;
  const std::int64_t m_first = std::max<std::int64_t>(0, b_first - kThresholdBlocks);
  const std::int64_t m_last = std::min(blocks - 1, b_last + kThresholdBlocks);
  std::vector<double> maxima(static_cast<std::size_t>(m_last - m_first + 1), 0);
  for (std::int64_t b = m_first; b <= m_last; ++b)
    for (std::int64_t i = b * block; i < std::min(n, (b + 1) * block); ++i)
      maxima[static_cast<std::size_t>(b - m_first)] =
          std::max(maxima[static_cast<std::size_t>(b - m_first)], length[i]);
  std::vector<double> level(static_cast<std::size_t>(b_last - b_first + 1));
  std::vector<double> near;
  for (std::int64_t b = b_first; b <= b_last; ++b) {
    const std::int64_t lo = std::max<std::int64_t>(0, b - kThresholdBlocks);
    const std::int64_t hi = std::min(blocks, b + kThresholdBlocks + 1);
    near.assign(maxima.begin() + (lo - m_first), maxima.begin() + (hi - m_first));
    std::nth_element(near.begin(), near.begin() + static_cast<long>(near.size() / 2), near.end());
    level[static_cast<std::size_t>(b - b_first)] =
        std::max(kThresholdFloorMv, kThresholdFraction * near[near.size() / 2]);
  }
  return level;
}

// The filtered lead and its transforms around one chunk.
struct CurveLengthChunk {
  Part y;         // band-passed lead (mV)
  Part length;    // curve length of the trailing 130 ms (mV)
  Part baseline;  // 200 ms running mean of y (mV)
};

// The curve-length detector's state, carried from chunk to chunk.
struct CurveLengthState {
  std::vector<std::int64_t> peaks;
  double last_height = 0;  // transform peak of the last detection (mV)
};

// Sample rate-dependent lengths of the detector, in samples.
struct CurveLengthGeometry {
  std::int64_t window, block, margin, eye, t_window, baseline;
  explicit CurveLengthGeometry(double rate_hz)
      : window(std::max<std::int64_t>(2, std::lround(kLengthWindowS * rate_hz))),
        block(std::max<std::int64_t>(1, std::lround(kThresholdBlockS * rate_hz))),
        margin(std::lround(kMarginS * rate_hz)),
        eye(std::lround(kEyeClosingS * rate_hz)),
        t_window(std::lround(kTWaveWindowS * rate_hz)),
        baseline(std::lround(kBaselineS * rate_hz) | 1) {}
};

// Where one chunk's work lies, in lead samples: detections whose threshold
// crossing lies in [c0, c1) (c0 a whole number of blocks); the threshold
// looks kThresholdBlocks blocks either side, R and the transform peak one
// window either side [near_from, near_to); the transform is needed over
// [from, to) and the band-pass runs over [e0, e1), the margin beyond.
struct ChunkPlan {
  std::int64_t c0, c1, near_from, near_to, from, to, e0, e1;
  ChunkPlan(std::int64_t chunk_start, std::int64_t chunk_end, std::int64_t n, const CurveLengthGeometry& g)
      : c0(chunk_start), c1(chunk_end) {
    const std::int64_t b_first = c0 / g.block, b_last = (c1 - 1) / g.block;
    near_from = std::max<std::int64_t>(0, c0 - g.window);
    near_to = std::min(n, c1 + g.window);
    from = std::min(near_from, std::max<std::int64_t>(0, (b_first - kThresholdBlocks) * g.block));
    to = std::max(near_to, std::min(n, (b_last + kThresholdBlocks + 1) * g.block));
    e0 = std::max<std::int64_t>(0, from - g.margin);
    e1 = std::min(n, to + g.margin);
  }
};

// The band-passed lead over each plan's [e0, e1). Plans of equal extent (all
// but the lead's first and last) are filtered four at a time as channels of
// one filter run: the same figures, with the recursions overlapped.
std::vector<std::vector<double>> band_passed(std::span<const double> lead, double rate_hz,
                                             std::span<const ChunkPlan> plans) {
  const signal::Sos band = signal::butterworth_bandpass(1, kHighpassHz, kLowpassHz, rate_hz);
  std::vector<std::vector<double>> out;
  for (std::size_t k = 0; k < plans.size();) {
    const std::int64_t length = plans[k].e1 - plans[k].e0;
    std::vector<std::span<const double>> group;
    for (; k < plans.size() && group.size() < 4 && plans[k].e1 - plans[k].e0 == length; ++k)
      group.push_back(lead.subspan(static_cast<std::size_t>(plans[k].e0), static_cast<std::size_t>(length)));
    for (auto& y : signal::sos_filtfilt(band, group)) out.push_back(std::move(y));
  }
  return out;
}

// The transforms of one chunk from its band-passed lead `y`: the curve length
// over [from, to), the baseline over [near_from, near_to).
CurveLengthChunk curve_length_transform(std::vector<double> y, std::int64_t n, const CurveLengthGeometry& g,
                                        const ChunkPlan& plan, std::vector<double>& step) {
  CurveLengthChunk c;
  c.y = {plan.e0, std::move(y)};
  // Curve length of the last 130 ms in its amplitude part, Σ|Δy| (mV): Zong's
  // √(Δt² + Δy²) with the time term dropped, so the scale constant is moot.
  step.resize(c.y.v.size());
  step[0] = 0;  // the lead's first sample has no step; elsewhere outside the exact part
  for (std::size_t i = 1; i < step.size(); ++i) step[i] = std::abs(c.y.v[i] - c.y.v[i - 1]);
  c.length = moving_average_part(step, plan.e0, n, static_cast<std::size_t>(g.window), signal::Window::trailing,
                                 plan.from, plan.to);
  for (double& v : c.length.v) v *= static_cast<double>(g.window);
  c.baseline = moving_average_part(c.y.v, plan.e0, n, static_cast<std::size_t>(g.baseline), signal::Window::centered,
                                   plan.near_from, plan.near_to);
  return c;
}

// Detections of one chunk, appended to `state`.
void curve_length_chunk(const CurveLengthChunk& c, std::int64_t n, const CurveLengthGeometry& g,
                        const ChunkPlan& plan, CurveLengthState& state) {
  const std::int64_t b_first = plan.c0 / g.block, b_last = (plan.c1 - 1) / g.block;
  const std::vector<double> level = block_levels(c.length, n, g.block, b_first, b_last);
  auto& peaks = state.peaks;
  for (std::int64_t b = b_first; b <= b_last; ++b) {
    const double threshold = level[static_cast<std::size_t>(b - b_first)];  // constant over the block
    const std::int64_t end = std::min(plan.c1, (b + 1) * g.block);
    for (std::int64_t i = std::max<std::int64_t>(1, b * g.block); i < end; ++i) {
      if (!(c.length[i - 1] <= threshold && c.length[i] > threshold)) continue;
      if (!peaks.empty() && i < peaks.back() + g.eye) continue;
      // R: the largest deviation from the running mean within one transform window either side.
      const std::int64_t lo = std::max<std::int64_t>(0, i - g.window), hi = std::min(n, i + g.window);
      std::int64_t r = lo;
      for (std::int64_t k = lo; k < hi; ++k)
        if (std::abs(c.y[k] - c.baseline[k]) > std::abs(c.y[r] - c.baseline[r])) r = k;
      if (!peaks.empty() && r < peaks.back() + g.eye) continue;
      double height = c.length[i];
      for (std::int64_t k = i + 1; k < hi; ++k) height = std::max(height, c.length[k]);
      if (!peaks.empty() && r < peaks.back() + g.t_window && height < kTWaveRatio * state.last_height) continue;
      peaks.push_back(r);
      state.last_height = height;
    }
  }
}

// detect_qrs_curve_length without the input check: chunk after chunk, the
// band-pass a batch of chunks ahead.
std::vector<std::int64_t> curve_length_peaks(std::span<const double> lead, double rate_hz) {
  const auto n = static_cast<std::int64_t>(lead.size());
  const CurveLengthGeometry g(rate_hz);
  const std::int64_t core = std::max<std::int64_t>(1, std::lround(kChunkS / kThresholdBlockS)) * g.block;
  constexpr std::int64_t batch = 4;  // chunks band-passed together
  CurveLengthState state;
  std::vector<double> step;  // scratch, reused by every chunk
  for (std::int64_t first = 0; first < n; first += batch * core) {
    std::vector<ChunkPlan> plans;
    for (std::int64_t c0 = first; c0 < std::min(n, first + batch * core); c0 += core)
      plans.emplace_back(c0, std::min(n, c0 + core), n, g);
    std::vector<std::vector<double>> y = band_passed(lead, rate_hz, plans);
    for (std::size_t k = 0; k < plans.size(); ++k)
      curve_length_chunk(curve_length_transform(std::move(y[k]), n, g, plans[k], step), n, g, plans[k], state);
  }
  return std::move(state.peaks);
}

// Skewness E[d³]/σ³ and kurtosis E[d⁴]/σ⁴ of x, d = x − mean, in one pass
// over the deviations with products instead of pow (0, 0 for a constant x).
struct Moments {
  double skewness = 0, kurtosis = 0;
};

Moments standardised_moments(std::span<const double> x) {
  double mean = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(x.size());
  double m2 = 0, m3 = 0, m4 = 0;
  for (double v : x) {
    const double d = v - mean, d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const auto size = static_cast<double>(x.size());
  m2 /= size;
  m3 /= size;
  m4 /= size;
  if (!(m2 > 0)) return {};
  return {m3 / std::pow(m2, 1.5), m4 / (m2 * m2)};
}

double power_or_zero(const signal::Spectrum& s, double lo, double hi) {
  return s.frequency_hz.empty() ? 0 : band_power(s, lo, hi).value_or(0);
}

// Spectral indices of one segment: pSQI, basSQI, powerline ratio. `welch`
// keeps the Welch window and FFT plan from segment to segment (remade only
// when a short segment needs a shorter Welch segment).
void spectral_indices(std::span<const double> x, double rate_hz, std::optional<signal::WelchEstimator>& welch,
                      SegmentQuality& q) {
  // 4 s Welch segments: 0.25 Hz resolution, so the 0–1 Hz band of basSQI holds points (fewer in short segments).
  const std::size_t segment_length = std::min<std::size_t>(x.size(), static_cast<std::size_t>(4 * rate_hz));
  if (!welch || welch->options().segment_length != segment_length)
    welch.emplace(rate_hz, signal::WelchOptions{.segment_length = segment_length});
  const signal::Spectrum s = welch->estimate(x);
  const double qrs_band = power_or_zero(s, 5, 40);
  const double all = power_or_zero(s, 0, 40);
  q.psqi = qrs_band > 0 ? power_or_zero(s, 5, 15) / qrs_band : 0;
  q.bassqi = all > 0 ? power_or_zero(s, 1, 40) / all : 0;
  double line = 0;
  for (double f : {50.0, 60.0})
    if (f + 1 < rate_hz / 2) line += power_or_zero(s, f - 1, f + 1);
  q.line_ratio = qrs_band > 0 ? line / qrs_band : 0;
}

// Smallest and largest sample (mV) of a non-empty stretch, in one branch-free pass.
struct Range {
  double lo, hi;
};

Range range_of(std::span<const double> x) {
  Range r{x[0], x[0]};
  for (double v : x) {
    r.lo = std::min(r.lo, v);
    r.hi = std::max(r.hi, v);
  }
  return r;
}

double flat_fraction(std::span<const double> x, std::size_t block, double range_mv) {
  const std::size_t blocks = std::max<std::size_t>(1, x.size() / block);
  int flat = 0;
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::size_t end = b + 1 == blocks ? x.size() : (b + 1) * block;
    const Range r = range_of(x.subspan(b * block, end - b * block));
    if (r.hi - r.lo < range_mv) ++flat;
  }
  return static_cast<double>(flat) / static_cast<double>(blocks);
}

// Share of samples on constant plateaus at the segment's maximum or minimum
// at least `min_run` long: an amplifier or ADC at its rail. Runs at both
// rails in one pass; a run ends where the value leaves its rail.
double clipped_fraction(std::span<const double> x, std::size_t min_run) {
  const Range r = range_of(x);
  if (r.hi <= r.lo) return 0;
  std::size_t clipped = 0, run = 0;
  double rail = r.lo;  // the rail of the current run
  for (std::size_t i = 0; i <= x.size(); ++i) {
    const bool on_rail = i < x.size() && (x[i] == r.lo || x[i] == r.hi);
    if (on_rail && run > 0 && x[i] == rail) {
      ++run;
      continue;
    }
    if (run >= min_run) clipped += run;
    run = on_rail ? 1 : 0;  // a run at the other rail may start right here
    if (on_rail) rail = x[i];
  }
  return static_cast<double>(clipped) / static_cast<double>(x.size());
}

// Beat count, heart rate (from the median RR) and longest gap of the
// detections within [start, end).
void rhythm_indices(std::span<const std::int64_t> peaks, std::int64_t start, std::int64_t end, double rate_hz,
                    SegmentQuality& q) {
  const auto first = std::lower_bound(peaks.begin(), peaks.end(), start);
  const auto last = std::lower_bound(peaks.begin(), peaks.end(), end);
  std::vector<std::int64_t> in(first, last);
  q.beats = static_cast<int>(in.size());
  if (in.empty()) {
    q.max_rr_s = static_cast<double>(end - start) / rate_hz;
    return;
  }
  std::int64_t gap = std::max(in.front() - start, end - in.back());
  std::vector<double> rr;
  for (std::size_t i = 1; i < in.size(); ++i) {
    gap = std::max(gap, in[i] - in[i - 1]);
    rr.push_back(static_cast<double>(in[i] - in[i - 1]) / rate_hz);
  }
  q.max_rr_s = static_cast<double>(gap) / rate_hz;
  if (rr.empty()) return;
  std::nth_element(rr.begin(), rr.begin() + static_cast<long>(rr.size() / 2), rr.end());
  q.heart_rate_bpm = 60 / rr[rr.size() / 2];
}

// Orphanidou 2015's template match: beats of one median RR centred on their R
// peaks (those that fit in the signal), averaged into a template; the mean of
// their correlations with it. 0 with fewer than 2 beats.
// `x` holds the signal of at least [start − half, end + half) of a lead of `total` samples.
double template_correlation(const Part& x, std::int64_t total, std::span<const std::int64_t> peaks,
                            std::int64_t start, std::int64_t end, double rate_hz, double heart_rate_bpm) {
  if (!(heart_rate_bpm > 0)) return 0;
  const auto half = static_cast<std::int64_t>(std::lround(30 / heart_rate_bpm * rate_hz));
  std::vector<std::span<const double>> beats;
  for (auto it = std::lower_bound(peaks.begin(), peaks.end(), start); it != peaks.end() && *it < end; ++it)
    if (*it - half >= 0 && *it + half < total)
      beats.emplace_back(x.v.data() + (*it - half - x.first), static_cast<std::size_t>(2 * half + 1));
  return mean_template_correlation(beats).value_or(0);
}

// Kurtosis, skewness and beat shapes without the baseline (wander would
// dominate the moments): the lead minus its centred 1 s running mean, here at
// least over [from, to). A running mean, not a high-pass filter, because a
// filter's edge extension about a noisy end sample bends the last second and
// inflates the kurtosis.
Part centred_lead(std::span<const double> lead, double rate_hz, std::int64_t from, std::int64_t to) {
  const auto width = static_cast<std::size_t>(std::lround(rate_hz)) | 1;
  Part out = moving_average_part(lead, 0, static_cast<std::int64_t>(lead.size()), width, signal::Window::centered,
                                 from, to);
  for (std::size_t i = 0; i < out.v.size(); ++i) out.v[i] = lead[static_cast<std::size_t>(out.first) + i] - out.v[i];
  return out;
}

void decide(const QualityParams& p, SegmentQuality& q) {
  q.flat = q.flat_fraction >= p.max_flat_fraction;
  q.clipped = q.clipped_fraction >= p.max_clipped_fraction;
  q.implausible_rhythm = q.beats < 2 || q.heart_rate_bpm < p.min_heart_rate_bpm ||
                         q.heart_rate_bpm > p.max_heart_rate_bpm || q.max_rr_s > p.max_rr_gap_s;
  q.detectors_disagree = q.bsqi < p.min_bsqi;
  q.not_ecg_like = q.ksqi < p.min_ksqi;
  q.inconsistent_beats = q.tsqi < p.min_template_correlation;
  q.high_frequency_noise = q.psqi < p.min_psqi;
  q.baseline_wander = q.bassqi < p.min_bassqi;
  q.powerline = q.line_ratio > p.max_line_ratio;
  // The grade asks whether beats can be read: lead off, rails and impossible
  // rhythm make a segment unusable; disagreeing detectors make it noisy, and
  // so do a non-ECG-like amplitude distribution and beats unlike each other
  // together. Neither of the last two grades alone: clean CinC 2017 strips with
  // tall T waves have kSQI 2.4–3.1, and frequent ectopy (bigeminy in MIT-BIH
  // 200) fails the template match — a rhythm, not noise. Nor do the spectral
  // flags, which name the kind of interference: clean MLII of MIT-BIH 100 has
  // pSQI 0.48–0.56 and basSQI down to 0.94 (docs/models/ecg_quality.md).
  if (q.missing || q.flat || q.clipped || q.implausible_rhythm)
    q.quality = Quality::unusable;
  else if (q.detectors_disagree || (q.not_ecg_like && q.inconsistent_beats))
    q.quality = Quality::noisy;
  else
    q.quality = Quality::usable;
}

}  // namespace

std::vector<std::int64_t> detect_qrs_curve_length(std::span<const double> lead, double rate_hz) {
  check_input(lead, rate_hz);
  return curve_length_peaks(lead, rate_hz);
}

double beat_agreement(std::span<const std::int64_t> a, std::span<const std::int64_t> b, std::int64_t start,
                      std::int64_t end, std::int64_t window_samples) {
  auto ia = std::lower_bound(a.begin(), a.end(), start);
  auto ib = std::lower_bound(b.begin(), b.end(), start);
  const auto ea = std::lower_bound(a.begin(), a.end(), end);
  const auto eb = std::lower_bound(b.begin(), b.end(), end);
  const auto na = ea - ia, nb = eb - ib;
  long matched = 0;
  while (ia != ea && ib != eb) {
    if (std::abs(*ia - *ib) <= window_samples) {
      ++matched;
      ++ia;
      ++ib;
    } else if (*ia < *ib) {
      ++ia;
    } else {
      ++ib;
    }
  }
  const auto denominator = na + nb - matched;
  return denominator > 0 ? static_cast<double>(matched) / static_cast<double>(denominator) : 0;
}

QualityReport assess_quality(std::span<const double> lead, double rate_hz, const QualityParams& p) {
  check_ecg_rate(rate_hz, "ECG quality");
  return assess_quality(lead, rate_hz, detect_qrs(lead, rate_hz, p.qrs), p);
}

QualityReport assess_quality(std::span<const double> with_gaps, double rate_hz, QrsResult qrs,
                             const QualityParams& p) {
  check_ecg_rate(rate_hz, "ECG quality");
  // A lead without gaps (the usual case) is used as it is: no copy of the whole recording.
  const bool complete =
      !with_gaps.empty() && std::all_of(with_gaps.begin(), with_gaps.end(), [](double v) { return std::isfinite(v); });
  const Bridged bridged = complete ? Bridged{} : bridge_gaps(with_gaps, "ECG quality");
  const std::span<const double> lead = complete ? with_gaps : std::span<const double>(bridged.samples);
  const auto segment = static_cast<std::int64_t>(std::lround(p.segment_s * rate_hz));
  const auto min_segment = static_cast<std::int64_t>(std::lround(p.min_segment_s * rate_hz));
  const auto n = static_cast<std::int64_t>(lead.size());
  if (n < min_segment)
    throw NotEnoughData("ECG quality: needs at least " + std::to_string(p.min_segment_s) + " s of signal, got " +
                        std::to_string(static_cast<double>(n) / rate_hz) + " s");
  QualityReport out;
  out.qrs = std::move(qrs);
  const std::vector<std::int64_t> second = curve_length_peaks(lead, rate_hz);
  const auto match = static_cast<std::int64_t>(std::lround(p.match_window_s * rate_hz));
  // The baseline-removed lead is made this many samples (plus the reach) at a time: bounded memory.
  const std::int64_t chunk = std::max(segment, std::lround(kChunkS * rate_hz));
  Part centred;
  std::int64_t centred_from = 0, centred_to = 0;  // where `centred` holds whole-lead figures
  std::int64_t usable = 0;
  std::optional<signal::WelchEstimator> welch;
  for (std::int64_t start = 0; start < n;) {
    std::int64_t end = std::min(n, start + segment);
    if (n - end < min_segment) end = n;  // a short tail joins this segment
    // The template match reaches half a median RR (at most half the segment) beyond the segment.
    const std::int64_t reach = (end - start) / 2 + 2;
    if (std::max<std::int64_t>(0, start - reach) < centred_from || std::min(n, end + reach) > centred_to) {
      centred_from = std::max<std::int64_t>(0, start - reach);
      centred_to = std::min(n, std::max(end, start + chunk) + reach);
      centred = centred_lead(lead, rate_hz, centred_from, centred_to);
    }
    SegmentQuality q;
    q.start_sample = start;
    q.end_sample = end;
    q.missing = std::any_of(bridged.gaps.begin(), bridged.gaps.end(),
                            [&](const Gap& g) { return g.begin < end && g.end > start; });
    const auto raw = lead.subspan(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start));
    const std::span<const double> hp(centred.v.data() + (start - centred.first), raw.size());
    q.bsqi = beat_agreement(out.qrs.r_peaks, second, start, end, match);
    const Moments moments = standardised_moments(hp);
    q.ksqi = moments.kurtosis;
    q.ssqi = moments.skewness;
    spectral_indices(raw, rate_hz, welch, q);
    q.flat_fraction =
        flat_fraction(raw, static_cast<std::size_t>(std::lround(p.flat_block_s * rate_hz)), p.flat_range_mv);
    q.clipped_fraction =
        clipped_fraction(raw, static_cast<std::size_t>(std::max(2L, std::lround(p.clip_run_s * rate_hz))));
    rhythm_indices(out.qrs.r_peaks, start, end, rate_hz, q);
    q.tsqi = template_correlation(centred, n, out.qrs.r_peaks, start, end, rate_hz, q.heart_rate_bpm);
    decide(p, q);
    if (q.quality == Quality::usable) usable += end - start;
    out.segments.push_back(q);
    start = end;
  }
  out.usable_fraction = static_cast<double>(usable) / static_cast<double>(n);
  return out;
}

const char* to_string(Quality quality) {
  switch (quality) {
    case Quality::usable:
      return "usable";
    case Quality::noisy:
      return "noisy";
    case Quality::unusable:
      return "unusable";
  }
  return "?";
}

}  // namespace medtwin::cardio

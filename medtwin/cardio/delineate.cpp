#include "medtwin/cardio/delineate.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "medtwin/cardio/cycles.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/core/stats.hpp"
#include "medtwin/signal/filter.hpp"
#include "medtwin/signal/interpolate.hpp"

namespace medtwin::cardio {
namespace {

constexpr double wt_rate = 250;            // Hz: the rate Martínez et al. 2004 designed the spline filters for (§II)
constexpr int scale_count = 5;             // scales 2¹…2⁵, Martínez 2004 §II
constexpr double block_s = 60;             // s of R peaks delineated per block (bounds memory); ours
constexpr double pad_s = 3;                // s of signal either side of a block: covers P and T search windows; ours
constexpr std::size_t noise_chunk = 2500;  // 250 Hz samples (10 s) per noise estimate; ours
constexpr double median_pre_s = 0.45;      // s before R in a median beat: P onset at PR ≤ 300 ms; ours
constexpr double median_post_s = 0.75;     // s after R: T end at QT ≤ 600 ms; ours
constexpr double qrs_w4_half_s = 0.06;     // s around R where the QRS's |W₄| is taken as the reference level; ours

using Scales = std::array<std::vector<double>, scale_count>;

// The quadratic-spline dyadic wavelet transform by the à trous algorithm
// (Mallat & Zhong 1992; Martínez 2004 Eq. 2–3): prototype filters
// h = (1, 3, 3, 1)/8 and g = 2(1, −1), upsampled by 2^(k−1) at scale 2^k. The
// taps are placed (h at −1…2, g at 0, −1 times the step) so that every scale
// carries the same delay: w[k][i] is the smoothed derivative at i − ½.
Scales wavelet_transform(const std::vector<double>& x) {
  const std::ptrdiff_t n = std::ssize(x);
  std::vector<double> a = x, smoother(x.size());
  Scales w;
  for (int k = 0; k < scale_count; ++k) {
    const std::ptrdiff_t s = std::ptrdiff_t(1) << k;
    auto at = [&](std::ptrdiff_t i) { return a[std::size_t(std::clamp<std::ptrdiff_t>(i, 0, n - 1))]; };
    // Direct indexing inside, clamped (ends held) only within 2s of the ends.
    const std::ptrdiff_t inner_from = std::min(n, s), inner_to = std::max(inner_from, n - 2 * s);
    std::vector<double>& wk = w[std::size_t(k)];
    wk.resize(k == 0 ? 0 : x.size());  // scale 2¹ is not used (Martínez 2004 delineates at 2²–2⁵)
    if (k > 0) {
      for (std::ptrdiff_t i = 0; i < inner_from; ++i) wk[std::size_t(i)] = 2 * (at(i) - at(i - s));
      for (std::ptrdiff_t i = inner_from; i < n; ++i)
        wk[std::size_t(i)] = 2 * (a[std::size_t(i)] - a[std::size_t(i - s)]);
    }
    if (k + 1 == scale_count) break;
    for (std::ptrdiff_t i = 0; i < inner_from; ++i)
      smoother[std::size_t(i)] = (at(i - s) + 3 * at(i) + 3 * at(i + s) + at(i + 2 * s)) / 8;
    for (std::ptrdiff_t i = inner_from; i < inner_to; ++i)
      smoother[std::size_t(i)] =
          (a[std::size_t(i - s)] + 3 * a[std::size_t(i)] + 3 * a[std::size_t(i + s)] + a[std::size_t(i + 2 * s)]) / 8;
    for (std::ptrdiff_t i = inner_to; i < n; ++i)
      smoother[std::size_t(i)] = (at(i - s) + 3 * at(i) + 3 * at(i + s) + at(i + 2 * s)) / 8;
    std::swap(a, smoother);
  }
  return w;
}

// A stretch of ECG resampled to 250 Hz and transformed. Original sample
// positions p map to 250 Hz positions (p − origin) / step.
struct Transformed {
  std::vector<double> x;  // the signal at 250 Hz
  Scales w;
  double origin = 0;                // original sample index of the first 250 Hz sample
  double step = 1;                  // original samples per 250 Hz sample
  std::vector<double> noise_w3_sd;  // per noise_chunk of x: SD of white noise at scale 2³, see noise_levels
  std::ptrdiff_t size() const { return std::ssize(x); }
  double noise_w3(std::ptrdiff_t i) const {
    return noise_w3_sd[std::size_t(
        std::clamp<std::ptrdiff_t>(i / std::ptrdiff_t(noise_chunk), 0, std::ssize(noise_w3_sd) - 1))];
  }
  std::ptrdiff_t to_wt(double original) const { return std::ptrdiff_t(std::lround((original - origin) / step)); }
  // A position read off a wavelet index (derivatives sit half a sample early).
  std::int64_t to_original(double wt_index) const { return std::llround(origin + (wt_index - 0.5) * step); }
};

// The SD of white noise at scale 2³, per chunk of `x`, from the finest scale
// 2¹ (whose 62–125 Hz band holds little of the ECG outside the QRS): the
// median |W₁| is 0.6745 σ₁ for Gaussian noise, robust to the QRS's few
// samples, and white noise has σ₃ = σ₁ √(Σq₃² / Σq₁²) = σ₁ √((91/128) / 8)
// with the equivalent filters q₁ = 2(1, −1) and q₃ = h ∗ h↑2 ∗ g↑4 (Σq₃² =
// 91/128, summed by hand from h = (1, 3, 3, 1)/8, g = 2(1, −1)). Ours.
std::vector<double> noise_levels(const std::vector<double>& x) {
  std::vector<double> out, w1;
  for (std::size_t from = 0; from < x.size(); from += noise_chunk) {
    const std::size_t to = std::min(x.size(), from + noise_chunk);
    w1.clear();
    // Every 4th value: the median of ~600 is precise enough, at a quarter of the cost.
    for (std::size_t i = std::max<std::size_t>(from, 1); i < to; i += 4) w1.push_back(std::abs(2 * (x[i] - x[i - 1])));
    if (w1.empty()) w1.push_back(0);
    const auto mid = w1.begin() + std::ptrdiff_t(w1.size() / 2);
    std::nth_element(w1.begin(), mid, w1.end());
    out.push_back(*mid / 0.6745 * std::sqrt(91.0 / 128 / 8));
  }
  return out;
}

// Samples [from, to) of `lead`, non-finite values held, averaged over ~4 ms
// when the rate is well above 250 Hz, linearly interpolated onto the 250 Hz grid.
Transformed transform(std::span<const double> lead, std::int64_t from, std::int64_t to, double rate_hz) {
  std::vector<double> x(lead.begin() + from, lead.begin() + to);
  const auto first_finite = std::find_if(x.begin(), x.end(), [](double v) { return std::isfinite(v); });
  double held = first_finite == x.end() ? 0.0 : *first_finite;
  for (double& v : x) {
    if (std::isfinite(v))
      held = v;
    else
      v = held;
  }
  // Anti-aliasing before resampling: the mean over about one 250 Hz sample
  // period (a boxcar of the odd number of samples nearest rate/250, so that it
  // is centred and shifts nothing). Cheap, and enough here: the scales used,
  // 2²–2⁵, see only 2–60 Hz.
  const auto width = std::size_t(2 * std::lround((rate_hz / wt_rate - 1) / 2) + 1);
  if (width > 1) x = signal::moving_average(x, width);
  Transformed t;
  t.origin = double(from);
  t.step = rate_hz / wt_rate;
  const auto count = std::size_t(double(x.size() - 1) / t.step) + 1;
  std::vector<double> resampled(count);
  if (rate_hz < wt_rate && x.size() >= 4) {
    // Upsampling: a cubic spline, since linear interpolation visibly widens a
    // QRS only a few samples long (at 100 Hz).
    std::vector<double> at(x.size());
    for (std::size_t i = 0; i < at.size(); ++i) at[i] = double(i);
    resampled = signal::resample_regular(at, x, 0, 1 / t.step, count, signal::Interpolation::cubic_spline);
  } else {
    for (std::size_t j = 0; j < count; ++j) {
      const double pos = double(j) * t.step;
      const auto i = std::min(std::size_t(pos), x.size() - 1);
      const double frac = pos - double(i);
      resampled[j] = i + 1 < x.size() ? x[i] + frac * (x[i + 1] - x[i]) : x[i];
    }
  }
  t.w = wavelet_transform(resampled);
  t.noise_w3_sd = noise_levels(resampled);
  t.x = std::move(resampled);
  return t;
}

// One beat's context, in 250 Hz indices of its Transformed.
struct BeatInput {
  std::ptrdiff_t r = 0;
  std::ptrdiff_t prev_r = 0, next_r = 0;  // neighbours (or where they would be at the local RR)
  double rr_s = 1;                        // RR used for the T window, s
  std::ptrdiff_t prev_t_end = -1;         // previous beat's T end, −1 if unknown
};

// 250 Hz samples in `seconds`.
std::ptrdiff_t samples(double seconds) { return std::ptrdiff_t(std::lround(seconds * wt_rate)); }

bool is_modulus_max(const std::vector<double>& w, std::ptrdiff_t i) {
  const double m = std::abs(w[std::size_t(i)]);
  return m > 0 && m >= std::abs(w[std::size_t(i - 1)]) && m > std::abs(w[std::size_t(i + 1)]);
}

std::ptrdiff_t argmax_abs(const std::vector<double>& w, std::ptrdiff_t from, std::ptrdiff_t to) {
  std::ptrdiff_t best = from;
  for (std::ptrdiff_t i = from; i <= to; ++i)
    if (std::abs(w[std::size_t(i)]) > std::abs(w[std::size_t(best)])) best = i;
  return best;
}

// From the modulus maximum at `from`, stepping `dir` (±1): the first sample
// where |w| drops below `threshold` or reaches a local minimum, whichever
// comes first (Martínez 2004 §III-C); none within `max_steps` or before the
// edge of the transform.
std::optional<std::ptrdiff_t> wave_edge(const std::vector<double>& w, std::ptrdiff_t from, int dir, double threshold,
                                        std::ptrdiff_t max_steps) {
  const std::ptrdiff_t n = std::ssize(w);
  for (std::ptrdiff_t k = 1; k <= max_steps; ++k) {
    const std::ptrdiff_t i = from + dir * k;
    if (i < 1 || i > n - 2) return std::nullopt;
    const double m = std::abs(w[std::size_t(i)]);
    if (m < threshold || std::abs(w[std::size_t(i + dir)]) > m) return i;
  }
  return std::nullopt;
}

// Where w changes sign between indices a < b (interpolated); the wave's peak.
double zero_crossing(const std::vector<double>& w, std::ptrdiff_t a, std::ptrdiff_t b) {
  for (std::ptrdiff_t i = a + 1; i <= b; ++i) {
    const double u = w[std::size_t(i - 1)], v = w[std::size_t(i)];
    if ((u > 0) != (v > 0) || v == 0) return double(i - 1) + (u == v ? 0 : u / (u - v));
  }
  return double(a + b) / 2;
}

// How wave_pair picks a wave's two slopes. The main maximum must exceed
// `main_floor`; an opposite-sign neighbour must exceed `neighbour_floor` and
// `neighbour_ratio` × the main maximum's modulus.
struct PairRule {
  double main_floor = 0, neighbour_floor = 0, neighbour_ratio = 0;
  bool earliest = false;  // of two candidate neighbours, take the one before the main maximum
};

// The wave in [from, to] at one scale: the largest modulus maximum and the
// nearest significant opposite-sign maximum before or after it (the two
// slopes of a monophasic wave, Martínez 2004 §III-D). With candidates on both
// sides: the one before if `rule.earliest`, else the one whose zero crossing
// with the main maximum lies further from the isoelectric level `baseline` of
// the signal `x` (250 Hz samples) — the wave's peak rather than the dip
// beside it; ours. Maxima at the window edges do not count (they are the
// tails of the QRS's response).
std::optional<std::pair<std::ptrdiff_t, std::ptrdiff_t>> wave_pair(const std::vector<double>& w,
                                                                   const std::vector<double>& x, double baseline,
                                                                   std::ptrdiff_t from, std::ptrdiff_t to,
                                                                   const PairRule& rule) {
  from = std::max<std::ptrdiff_t>(from, 1);
  to = std::min<std::ptrdiff_t>(to, std::ssize(w) - 2);
  std::vector<std::ptrdiff_t> maxima;
  const double floor = std::min(rule.main_floor, rule.neighbour_floor);
  for (std::ptrdiff_t i = from + 1; i < to; ++i)
    if (std::abs(w[std::size_t(i)]) > floor && is_modulus_max(w, i)) maxima.push_back(i);
  if (maxima.size() < 2) return std::nullopt;
  auto modulus = [&](std::size_t k) { return std::abs(w[std::size_t(maxima[k])]); };
  std::size_t main = 0;
  for (std::size_t k = 1; k < maxima.size(); ++k)
    if (modulus(k) > modulus(main)) main = k;
  if (modulus(main) <= rule.main_floor) return std::nullopt;
  const bool positive = w[std::size_t(maxima[main])] > 0;
  const double neighbour_floor = std::max(rule.neighbour_floor, rule.neighbour_ratio * modulus(main));
  auto is_neighbour = [&](std::size_t k) {
    return (w[std::size_t(maxima[k])] > 0) != positive && modulus(k) > neighbour_floor;
  };
  std::optional<std::pair<std::ptrdiff_t, std::ptrdiff_t>> before, after;
  for (std::size_t k = main; k-- > 0;)
    if (is_neighbour(k)) {
      before = std::pair{maxima[k], maxima[main]};
      break;
    }
  for (std::size_t k = main + 1; k < maxima.size(); ++k)
    if (is_neighbour(k)) {
      after = std::pair{maxima[main], maxima[k]};
      break;
    }
  if (!before || !after) return before ? before : after;
  if (rule.earliest) return before;
  auto excursion = [&](const std::pair<std::ptrdiff_t, std::ptrdiff_t>& pair) {
    const double peak = zero_crossing(w, pair.first, pair.second) - 0.5;  // w[i] sits at x position i − ½
    const auto i = std::clamp<std::ptrdiff_t>(std::lround(peak), 0, std::ssize(x) - 1);
    return std::abs(x[std::size_t(i)] - baseline);
  };
  return excursion(*after) >= excursion(*before) ? after : before;
}

double rms(const std::vector<double>& w, std::ptrdiff_t from, std::ptrdiff_t to) {
  double sum = 0;
  for (std::ptrdiff_t i = from; i <= to; ++i) sum += w[std::size_t(i)] * w[std::size_t(i)];
  return to >= from ? std::sqrt(sum / double(to - from + 1)) : 0;
}

// The modulus of W₃ on the maxima line through the W₂ maximum at `i`: the
// largest same-sign |W₃| within ±2 samples (lines drift by about a sample per
// scale); 0 if there is none.
double line_at_scale3(const Scales& w, std::ptrdiff_t i) {
  const std::vector<double>& w3 = w[2];
  const bool positive = w[1][std::size_t(i)] > 0;
  const std::ptrdiff_t from = std::max<std::ptrdiff_t>(0, i - 2), to = std::min(std::ssize(w3) - 1, i + 2);
  double best = 0;
  for (std::ptrdiff_t j = from; j <= to; ++j)
    if ((w3[std::size_t(j)] > 0) == positive) best = std::max(best, std::abs(w3[std::size_t(j)]));
  return best;
}

// Significant maxima of W₂ next to `edge` going `dir`, each within `gap` of
// the last, no further than `limit`, at most three: the outermost slope of the
// QRS (a Q or S wave beyond the R slopes, a notch or a slurred upstroke as in
// ventricular beats). Significant: above `threshold` at 2² (Martínez's γ),
// and on a maxima line that reaches scale 2³ above `floor` — noise maxima fade
// towards coarser scales while those of a wave persist (Mallat & Hwang 1992;
// Li, Zheng & Tai 1995 reject noise maxima so), and a Q or S wave of 8–20 ms
// has more of its energy at 2³ than white noise (the synthetic 0.12 mV Q wave
// is 3.7 noise SDs at 2² but 6.7 at 2³); ours. A second or third maximum must
// also exceed `further_threshold` (as in the wavedet code of Martínez's group)
// unless its line does not shrink from 2² to 2³ (Lipschitz regularity ≥ 0: a
// slow slur or notch of a wide complex, not noise, whose maxima shrink by
// √(Σq₃²/Σq₂²) = 0.64 per scale); ours.
std::ptrdiff_t outermost_slope(const Scales& scales, std::ptrdiff_t edge, int dir, double threshold,
                               double further_threshold, double floor, std::ptrdiff_t gap, std::ptrdiff_t limit) {
  const std::vector<double>& w = scales[1];
  for (int step = 0; step < 3; ++step) {
    std::optional<std::ptrdiff_t> next;
    for (std::ptrdiff_t k = 1; k <= gap; ++k) {
      const std::ptrdiff_t i = edge + dir * k;
      if ((i - limit) * dir > 0 || i < 1 || i > std::ssize(w) - 2) break;
      const double m = std::abs(w[std::size_t(i)]);
      if (m <= threshold || !is_modulus_max(w, i)) continue;
      if (next && m <= std::abs(w[std::size_t(*next)])) continue;
      const double m3 = line_at_scale3(scales, i);
      if (m3 > floor && (step == 0 || m > further_threshold || m3 >= m)) next = i;
    }
    if (!next) return edge;
    edge = *next;
  }
  return edge;
}

struct Found {  // 250 Hz positions (wavelet indices, before the −½ shift)
  std::optional<double> p_on, p_peak, p_off, qrs_on, qrs_off, t_peak, t_end;
};

// QRS onset and end at scale 2² (Martínez 2004 §III-C).
void find_qrs(const Transformed& t, const BeatInput& b, const DelineationParams& p, Found& f) {
  const std::vector<double>& w = t.w[1];
  const std::ptrdiff_t lo = std::max<std::ptrdiff_t>(1, b.r - samples(p.qrs_main_search_s));
  const std::ptrdiff_t hi = std::min<std::ptrdiff_t>(t.size() - 2, b.r + samples(p.qrs_main_search_s));
  if (b.r <= lo || b.r >= hi) return;
  const std::ptrdiff_t pre = argmax_abs(w, lo, b.r), post = argmax_abs(w, b.r, hi);
  const double peak = std::max(std::abs(w[std::size_t(pre)]), std::abs(w[std::size_t(post)]));
  if (peak == 0) return;
  const std::ptrdiff_t gap = samples(p.qrs_extend_gap_s), half = samples(p.qrs_max_half_s);
  const double floor = p.qrs_noise_floor * t.noise_w3(b.r);
  const std::ptrdiff_t first = outermost_slope(t.w, pre, -1, p.gamma_qrs_pre * peak, p.gamma_qrs_pre_further * peak,
                                               floor, gap, b.r - half);
  const std::ptrdiff_t last = outermost_slope(t.w, post, +1, p.gamma_qrs_post * peak, p.gamma_qrs_post_further * peak,
                                              floor, gap, b.r + half);
  const double w_first = w[std::size_t(first)], w_last = w[std::size_t(last)];
  const auto on = wave_edge(w, first, -1, (w_first > 0 ? p.xi_qrs_on_pos : p.xi_qrs_on_neg) * std::abs(w_first),
                            samples(p.edge_search_s));
  const auto end = wave_edge(w, last, +1, (w_last > 0 ? p.xi_qrs_end_pos : p.xi_qrs_end_neg) * std::abs(w_last),
                             samples(p.edge_search_s));
  if (on) f.qrs_on = double(*on);
  if (end) f.qrs_off = double(*end);
}

// The QRS's level at scale 2⁴: what P and T moduli are compared with.
double qrs_level_w4(const Transformed& t, const BeatInput& b) {
  const std::ptrdiff_t half = samples(qrs_w4_half_s);
  const std::ptrdiff_t lo = std::max<std::ptrdiff_t>(0, b.r - half), hi = std::min(t.size() - 1, b.r + half);
  return std::abs(t.w[3][std::size_t(argmax_abs(t.w[3], lo, hi))]);
}

// The isoelectric level: the signal's mean over the 20 ms before QRS onset
// (the end of the PR segment), else before R − 60 ms; ours.
double isoelectric(const Transformed& t, const BeatInput& b, const Found& f) {
  const std::ptrdiff_t end = f.qrs_on ? std::ptrdiff_t(*f.qrs_on) : b.r - samples(0.06);
  const std::ptrdiff_t to = std::clamp<std::ptrdiff_t>(end, 0, std::ssize(t.x) - 1);
  const std::ptrdiff_t from = std::max<std::ptrdiff_t>(0, to - samples(0.02));
  double sum = 0;
  for (std::ptrdiff_t i = from; i <= to; ++i) sum += t.x[std::size_t(i)];
  return sum / double(to - from + 1);
}

// T peak and end at scale 2⁴, else 2⁵ (Martínez 2004 §III-D).
void find_t(const Transformed& t, const BeatInput& b, double qrs_w4, const DelineationParams& p, Found& f) {
  const bool slow = b.rr_s > 0.7;  // s, Martínez 2004's RR split of the T window
  std::ptrdiff_t from = b.r + samples(slow ? p.t_window_start_slow_s : p.t_window_start_s);
  std::ptrdiff_t to = b.r + samples(slow ? p.t_window_end_s : p.t_window_end_rr * b.rr_s);
  if (f.qrs_off) from = std::max(from, std::ptrdiff_t(*f.qrs_off));
  to = std::min({to, b.next_r - samples(p.qrs_main_search_s), t.size() - 2});
  if (to - from < 4) return;
  for (int scale : {3, 4}) {
    const std::vector<double>& w = t.w[std::size_t(scale)];
    // Martínez: maxima above ε_T·RMS are significant; ours: the T's largest also above a share of the QRS's.
    // Its partner need only be a significant maximum of at least t_neighbour_ratio of it (T waves are
    // asymmetric, and an inverted T before a U wave has a shallow first slope).
    const double significant = p.epsilon_t * rms(w, from, to);
    const PairRule rule{std::max(significant, p.t_min_qrs_ratio * qrs_w4), significant, p.t_neighbour_ratio, true};
    const auto pair = wave_pair(w, t.x, isoelectric(t, b, f), from, to, rule);
    if (!pair) continue;
    f.t_peak = zero_crossing(w, pair->first, pair->second);
    const auto end =
        wave_edge(w, pair->second, +1, p.xi_t_end * std::abs(w[std::size_t(pair->second)]), samples(p.t_end_search_s));
    if (end && *end < b.next_r - samples(p.qrs_main_search_s)) f.t_end = double(*end);
    return;
  }
}

// P onset, peak and end at scale 2⁴ before the QRS (Martínez 2004 §III-E).
void find_p(const Transformed& t, const BeatInput& b, double qrs_w4, const DelineationParams& p, Found& f) {
  const std::vector<double>& w = t.w[3];
  const std::ptrdiff_t to = f.qrs_on ? std::ptrdiff_t(*f.qrs_on) : b.r - samples(p.qrs_main_search_s / 2);
  std::ptrdiff_t from = std::max(to - samples(p.p_window_s), b.prev_r + (b.r - b.prev_r) / 2);
  from = std::max({from, b.prev_t_end, std::ptrdiff_t(1)});
  if (to - from < 4) return;
  const double floor = p.p_min_qrs_ratio * qrs_w4;
  const auto pair = wave_pair(w, t.x, isoelectric(t, b, f), from, to, PairRule{floor, floor, 0, false});
  if (!pair) return;
  const auto on =
      wave_edge(w, pair->first, -1, p.xi_p_on * std::abs(w[std::size_t(pair->first)]), samples(p.edge_search_s));
  const auto off =
      wave_edge(w, pair->second, +1, p.xi_p_end * std::abs(w[std::size_t(pair->second)]), samples(p.edge_search_s));
  f.p_peak = zero_crossing(w, pair->first, pair->second);
  if (on) f.p_on = double(*on);
  if (off && *off <= to) f.p_off = double(*off);
}

BeatWaves delineate_beat(const Transformed& t, const BeatInput& b, const DelineationParams& p) {
  Found f;
  find_qrs(t, b, p, f);
  const double qrs_w4 = qrs_level_w4(t, b);
  if (qrs_w4 > 0) {
    find_t(t, b, qrs_w4, p, f);
    find_p(t, b, qrs_w4, p, f);
  }
  auto out = [&](const std::optional<double>& x) -> std::optional<std::int64_t> {
    if (!x) return std::nullopt;
    return t.to_original(*x);
  };
  return {out(f.p_on), out(f.p_peak), out(f.p_off), out(f.qrs_on), out(f.qrs_off), out(f.t_peak), out(f.t_end)};
}

void check_peaks(std::span<const std::int64_t> r_peaks, std::size_t n) {
  for (std::size_t i = 0; i < r_peaks.size(); ++i) {
    if (r_peaks[i] < 0 || r_peaks[i] >= std::int64_t(n))
      throw Error("R peak " + std::to_string(i) + " at sample " + std::to_string(r_peaks[i]) +
                  " lies outside the signal of " + std::to_string(n) + " samples");
    if (i > 0 && r_peaks[i] <= r_peaks[i - 1])
      throw Error("R peaks must be strictly increasing; peak " + std::to_string(i) + " is not");
  }
}

// Sorts, sample by sample, the `count` rows of `length` samples in `rows`
// (row k at k · length): afterwards row m holds the m-th smallest value of
// every column. Batcher's odd–even merge network (Knuth, TAOCP vol. 3,
// §5.3.4, Algorithm M), comparators reaching past the last row dropped (as if
// padded with +∞): O(count log² count) compare–exchanges, each a min/max
// over a whole row — no data-dependent branches, unlike one selection per
// column.
void sort_columns(std::vector<double>& rows, std::size_t count, std::size_t length) {
  auto exchange = [&](std::size_t a, std::size_t b) {
    double* lo = rows.data() + a * length;
    double* hi = rows.data() + b * length;
    for (std::size_t j = 0; j < length; ++j) {
      const double x = lo[j], y = hi[j];
      lo[j] = std::min(x, y);
      hi[j] = std::max(x, y);
    }
  };
  for (std::size_t p = 1; p < count; p *= 2)
    for (std::size_t k = p; k >= 1; k /= 2)
      for (std::size_t j = k % p; j + k < count; j += 2 * k)
        for (std::size_t i = 0; i < std::min(k, count - j - k); ++i)
          if ((i + j) / (2 * p) == (i + j + k) / (2 * p)) exchange(i + j, i + j + k);
}

}  // namespace

std::vector<BeatWaves> delineate(std::span<const double> lead, double rate_hz, std::span<const std::int64_t> r_peaks,
                                 const DelineationParams& params) {
  check_ecg_rate(rate_hz, "ECG delineation");
  if (lead.empty()) throw Error("ECG delineation needs a non-empty signal");
  check_peaks(r_peaks, lead.size());
  const auto n = std::int64_t(lead.size());
  const auto block = std::int64_t(block_s * rate_hz), pad = std::int64_t(pad_s * rate_hz);
  std::vector<BeatWaves> out;
  out.reserve(r_peaks.size());
  std::size_t i = 0;
  while (i < r_peaks.size()) {
    const std::int64_t block_start = r_peaks[i] / block * block;
    const std::int64_t from = std::max<std::int64_t>(0, block_start - pad);
    const std::int64_t to = std::min(n, block_start + block + pad);
    const Transformed t = transform(lead, from, to, rate_hz);
    for (; i < r_peaks.size() && r_peaks[i] < block_start + block; ++i) {
      const double r = double(r_peaks[i]);
      // Missing neighbours sit one local RR away (1 s if there is none).
      const double rr_prev =
          i > 0 ? r - double(r_peaks[i - 1]) : (i + 1 < r_peaks.size() ? double(r_peaks[i + 1]) - r : rate_hz);
      const double rr_next = i + 1 < r_peaks.size() ? double(r_peaks[i + 1]) - r : rr_prev;
      BeatInput b;
      b.r = t.to_wt(r);
      b.prev_r = t.to_wt(r - rr_prev);
      b.next_r = t.to_wt(r + rr_next);
      b.rr_s = rr_next / rate_hz;
      if (i > 0 && out.back().t_end) b.prev_t_end = t.to_wt(double(*out.back().t_end));
      out.push_back(delineate_beat(t, b, params));
    }
  }
  return out;
}

QtcValues correct_qt(double qt_ms, double rr_ms) {
  if (!(qt_ms > 0 && rr_ms > 0 && std::isfinite(qt_ms) && std::isfinite(rr_ms)))
    throw Error("QT correction needs a positive, finite QT and RR in ms");
  const double rr_s = rr_ms / 1000;
  const double hr_per_min = 60000 / rr_ms;
  return {
      qt_ms / std::sqrt(rr_s),           // Bazett 1920
      qt_ms / std::cbrt(rr_s),           // Fridericia 1920
      qt_ms + 154 * (1 - rr_s),          // Sagie et al. 1992: QTc = QT + 0.154 s (1 − RR)
      qt_ms + 1.75 * (hr_per_min - 60),  // Hodges et al. 1983: QTc = QT + 1.75 (HR − 60) ms
  };
}

std::vector<Intervals> measure_intervals(std::span<const BeatWaves> waves, std::span<const std::int64_t> r_peaks,
                                         double rate_hz) {
  check_ecg_rate(rate_hz, "ECG delineation");
  if (waves.size() != r_peaks.size())
    throw Error("measure_intervals needs one BeatWaves per R peak: " + std::to_string(waves.size()) + " vs " +
                std::to_string(r_peaks.size()));
  const double ms_per_sample = 1000 / rate_hz;
  auto span_ms = [&](const std::optional<std::int64_t>& a,
                     const std::optional<std::int64_t>& b) -> std::optional<double> {
    if (!a || !b || *b <= *a) return std::nullopt;
    return double(*b - *a) * ms_per_sample;
  };
  std::vector<Intervals> out(waves.size());
  for (std::size_t i = 0; i < waves.size(); ++i) {
    const BeatWaves& w = waves[i];
    out[i] = {span_ms(w.p_on, w.qrs_on), span_ms(w.qrs_on, w.qrs_off), span_ms(w.qrs_on, w.t_end),
              i > 0 ? std::optional<double>(double(r_peaks[i] - r_peaks[i - 1]) * ms_per_sample) : std::nullopt};
  }
  return out;
}

std::vector<MedianBeat> median_beats(std::span<const double> lead, double rate_hz,
                                     std::span<const std::int64_t> r_peaks, const std::vector<bool>& normal,
                                     const DelineationParams& params) {
  check_ecg_rate(rate_hz, "ECG delineation");
  if (lead.empty()) throw Error("median beats need a non-empty signal");
  check_peaks(r_peaks, lead.size());
  if (!normal.empty() && normal.size() != r_peaks.size())
    throw Error("median beats need one normal flag per R peak or none");
  if (!(params.median_window_s > 0)) throw Error("median beats need a positive window length");
  const auto n = std::int64_t(lead.size());
  const auto pre = std::int64_t(median_pre_s * rate_hz), post = std::int64_t(median_post_s * rate_hz);
  const auto window = std::max<std::int64_t>(1, std::int64_t(params.median_window_s * rate_hz));
  auto is_normal = [&](std::size_t i) { return normal.empty() || normal[i]; };
  const std::size_t length = std::size_t(pre + post + 1);
  std::vector<MedianBeat> out;
  // Scratch reused by every window: the members, the finite ones' RR, their
  // mean-removed samples (kept beat k at k · length), the template.
  std::vector<std::size_t> members, kept;
  std::vector<double> rr, beats, template_beat(length);
  auto flush = [&](std::int64_t start) {
    if (std::ssize(members) < params.median_min_beats) return;
    kept.clear();
    rr.clear();
    for (std::size_t i : members) {
      const auto seg = lead.subspan(std::size_t(r_peaks[i] - pre), length);
      if (!std::all_of(seg.begin(), seg.end(), [](double v) { return std::isfinite(v); })) continue;
      kept.push_back(i);
      rr.push_back(double(r_peaks[i] - r_peaks[i - 1]));
    }
    if (kept.empty() || std::ssize(kept) < params.median_min_beats) return;
    const std::size_t count = kept.size();
    beats.resize(length * count);
    for (std::size_t k = 0; k < count; ++k) {
      const auto seg = lead.subspan(std::size_t(r_peaks[kept[k]] - pre), length);
      double mean = 0;
      for (double v : seg) mean += v / double(length);
      // Beats in a window differ in baseline offset, not shape.
      for (std::size_t j = 0; j < length; ++j) beats[k * length + j] = seg[j] - mean;
    }
    sort_columns(beats, count, length);
    // Odd count: the middle row; even: the mean of the two middle rows.
    const double* upper = beats.data() + count / 2 * length;
    const double* lower = count % 2 ? upper : upper - length;
    for (std::size_t j = 0; j < length; ++j) template_beat[j] = count % 2 ? upper[j] : (upper[j] + lower[j]) / 2;
    const double rr_samples = *medtwin::median(rr);
    const Transformed t = transform(template_beat, 0, std::int64_t(length), rate_hz);
    BeatInput b;
    b.r = t.to_wt(double(pre));
    b.prev_r = t.to_wt(double(pre) - rr_samples);
    b.next_r = t.to_wt(double(pre) + rr_samples);
    b.rr_s = rr_samples / rate_hz;
    BeatWaves waves = delineate_beat(t, b, params);
    for (auto* point :
         {&waves.p_on, &waves.p_peak, &waves.p_off, &waves.qrs_on, &waves.qrs_off, &waves.t_peak, &waves.t_end})
      if (*point) **point -= pre;
    const std::int64_t zero = 0;
    MedianBeat m{start, std::min(n, start + window), int(count), waves, {}};
    m.intervals = measure_intervals(std::span(&waves, 1), std::span(&zero, 1), rate_hz).front();
    m.intervals.rr_ms = rr_samples * 1000 / rate_hz;
    out.push_back(m);
  };
  std::int64_t current = -1;
  for (std::size_t i = 1; i + 1 < r_peaks.size(); ++i) {
    if (!is_normal(i - 1) || !is_normal(i) || !is_normal(i + 1)) continue;
    if (r_peaks[i] - pre < 0 || r_peaks[i] + post >= n) continue;
    const std::int64_t start = r_peaks[i] / window * window;
    if (start != current) {
      flush(current);
      members.clear();
      current = start;
    }
    members.push_back(i);
  }
  flush(current);
  return out;
}

IntervalSummary summarise_intervals(std::span<const Intervals> intervals, std::span<const BeatWaves> waves,
                                    const std::vector<bool>& include) {
  if (waves.size() != intervals.size() || (!include.empty() && include.size() != intervals.size()))
    throw Error("summarise_intervals needs as many BeatWaves (and include flags, if any) as Intervals");
  std::vector<double> pr, qrs, qt, rr, bazett, fridericia, framingham, hodges;
  IntervalSummary s;
  std::size_t with_p = 0;
  for (std::size_t i = 0; i < intervals.size(); ++i) {
    if (!include.empty() && !include[i]) continue;
    const Intervals& v = intervals[i];
    ++s.count;
    with_p += waves[i].has_p();
    if (v.pr_ms) pr.push_back(*v.pr_ms);
    if (v.qrs_ms) qrs.push_back(*v.qrs_ms);
    if (v.qt_ms) qt.push_back(*v.qt_ms);
    if (v.rr_ms) rr.push_back(*v.rr_ms);
    if (v.qt_ms && v.rr_ms) {
      const QtcValues c = correct_qt(*v.qt_ms, *v.rr_ms);
      bazett.push_back(c.bazett_ms), fridericia.push_back(c.fridericia_ms);
      framingham.push_back(c.framingham_ms), hodges.push_back(c.hodges_ms);
    }
  }
  s.pr_ms = medtwin::median(pr), s.qrs_ms = medtwin::median(qrs);
  s.qt_ms = medtwin::median(qt), s.rr_ms = medtwin::median(rr);
  s.with_pr = pr.size(), s.with_qrs = qrs.size(), s.with_qt = qt.size();
  if (!bazett.empty())
    s.qtc = QtcValues{*medtwin::median(bazett), *medtwin::median(fridericia), *medtwin::median(framingham),
                      *medtwin::median(hodges)};
  s.p_wave_share = s.count ? double(with_p) / double(s.count) : 0;
  return s;
}

IntervalSummary summarise_intervals(std::span<const MedianBeat> medians) {
  std::vector<Intervals> intervals;
  std::vector<BeatWaves> waves;
  for (const MedianBeat& m : medians) intervals.push_back(m.intervals), waves.push_back(m.waves);
  return summarise_intervals(intervals, waves);
}

}  // namespace medtwin::cardio

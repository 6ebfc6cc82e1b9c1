#include "medtwin/cardio/respiration.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include "medtwin/core/error.hpp"
#include "medtwin/signal/filter.hpp"
#include "medtwin/signal/interpolate.hpp"
#include "medtwin/signal/spectrum.hpp"

namespace medtwin::cardio {
namespace {

using std::int64_t;

constexpr double gap_margin_s = 2;     // s, no breath reported this close to missing samples (half a breath at 15 /min)

// One extremum between each pair of zero crossings of x (mean-centred): the
// maximum after an upward crossing, the minimum after a downward one.
std::vector<int64_t> extrema_between_crossings(std::span<const double> x) {
  std::vector<int64_t> crossings;  // index i: the sign changes between i and i + 1
  std::vector<bool> upward;
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    if (x[i] < 0 && x[i + 1] > 0) crossings.push_back(int64_t(i)), upward.push_back(true);
    if (x[i] > 0 && x[i + 1] < 0) crossings.push_back(int64_t(i)), upward.push_back(false);
  }
  std::vector<int64_t> extrema;
  for (std::size_t k = 0; k + 1 < crossings.size(); ++k) {
    const auto first = x.begin() + crossings[k], last = x.begin() + crossings[k + 1];
    const auto at = upward[k] ? std::max_element(first, last) : std::min_element(first, last);
    extrema.push_back(at - x.begin());
  }
  return extrema;
}

// Drops extrema whose step to the next one is at most min_step × the median
// step (the last, with no next step, goes too), then those breaking the
// peak/trough alternation (NeuroKit2 0.2.0's reading of Khodadad 2018).
std::vector<int64_t> drop_small_steps(std::span<const double> x, const std::vector<int64_t>& extrema,
                                      double min_step) {
  if (extrema.size() < 2) return {};
  std::vector<double> steps(extrema.size() - 1);
  for (std::size_t i = 0; i + 1 < extrema.size(); ++i)
    steps[i] = std::abs(x[std::size_t(extrema[i + 1])] - x[std::size_t(extrema[i])]);
  std::vector<double> sorted = steps;
  const auto mid = sorted.begin() + std::ptrdiff_t(sorted.size() / 2);
  std::nth_element(sorted.begin(), mid, sorted.end());
  double median = *mid;
  if (sorted.size() % 2 == 0) median = (median + *std::max_element(sorted.begin(), mid)) / 2;
  std::vector<int64_t> kept;
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (steps[i] > min_step * median) kept.push_back(extrema[i]);
  // An extremum whose steps in and out go the same way is not a turning point.
  auto sign = [&](std::size_t i) {
    const double d = x[std::size_t(kept[i + 1])] - x[std::size_t(kept[i])];
    return (d > 0) - (d < 0);
  };
  std::vector<int64_t> alternating;
  for (std::size_t i = 0; i < kept.size(); ++i)
    if (i == 0 || i + 1 == kept.size() || sign(i - 1) + sign(i) == 0) alternating.push_back(kept[i]);
  return alternating;
}

}  // namespace

std::vector<double> clean_breathing(std::span<const double> belt, double rate_hz, const BreathingParams& params) {
  check_sampling_rate(rate_hz, params.band_high_hz, "Respiration");
  require_finite(belt, "Respiration");
  return signal::sos_filtfilt(
      signal::butterworth_bandpass(params.band_order, params.band_low_hz, params.band_high_hz, rate_hz), belt);
}

Breaths find_breaths(std::span<const double> cleaned, const BreathingParams& params) {
  if (cleaned.empty()) return {};
  const double mean = std::accumulate(cleaned.begin(), cleaned.end(), 0.0) / double(cleaned.size());
  std::vector<double> x(cleaned.size());
  std::transform(cleaned.begin(), cleaned.end(), x.begin(), [&](double v) { return v - mean; });
  auto extrema = drop_small_steps(x, extrema_between_crossings(x), params.min_step);
  // Start with a trough and end with a peak: amplitude is peak − preceding trough.
  auto value = [&](std::size_t i) { return x[std::size_t(extrema[i])]; };
  if (extrema.size() >= 2 && value(0) > value(1)) extrema.erase(extrema.begin());
  if (extrema.size() >= 2 && value(extrema.size() - 1) < value(extrema.size() - 2)) extrema.pop_back();
  Breaths out;
  for (std::size_t i = 0; i + 1 < extrema.size(); i += 2) {
    out.troughs.push_back(extrema[i]);
    out.peaks.push_back(extrema[i + 1]);
  }
  return out;
}

BreathingResult analyse_breathing(std::span<const double> belt, double rate_hz, const BreathingParams& params) {
  check_sampling_rate(rate_hz, params.band_high_hz, "Respiration");
  const auto bridged = bridge_gaps(belt, "Respiration");
  BreathingResult out;
  out.cleaned = clean_breathing(bridged.samples, rate_hz, params);
  out.breaths = find_breaths(out.cleaned, params);
  if (!bridged.gaps.empty()) {
    // Drop whole breaths (trough and peak together) near missing samples.
    const auto margin = static_cast<int64_t>(std::lround(gap_margin_s * rate_hz));
    const auto peaks = drop_near_gaps(out.breaths.peaks, bridged.gaps, margin);
    const auto troughs = drop_near_gaps(out.breaths.troughs, bridged.gaps, margin);
    Breaths kept;
    for (std::size_t i = 0; i < out.breaths.peaks.size(); ++i)
      if (std::binary_search(peaks.begin(), peaks.end(), out.breaths.peaks[i]) &&
          std::binary_search(troughs.begin(), troughs.end(), out.breaths.troughs[i]))
        kept.peaks.push_back(out.breaths.peaks[i]), kept.troughs.push_back(out.breaths.troughs[i]);
    out.breaths = kept;
  }
  const auto n = belt.size();
  const auto& b = out.breaths;
  out.rate_per_minute = rate_per_window(b.troughs, rate_hz, n, 60, 1);
  auto plausible = [&](double rate) { return rate >= params.min_rate && rate <= params.max_rate; };
  for (auto& w : out.rate_per_minute)
    if (w.per_minute && !plausible(*w.per_minute)) w.per_minute.reset();
  out.mean_rate = time_averaged_rate(b.troughs, rate_hz, n);
  out.plausible = out.mean_rate && plausible(*out.mean_rate);
  if (b.peaks.size() >= 2) {
    std::vector<double> amplitude(b.peaks.size());
    for (std::size_t i = 0; i < b.peaks.size(); ++i)
      amplitude[i] = out.cleaned[std::size_t(b.peaks[i])] - out.cleaned[std::size_t(b.troughs[i])];
    const auto series = interpolate_events(b.peaks, amplitude, n);
    out.mean_amplitude = std::accumulate(series.begin(), series.end(), 0.0) / double(n);
  }
  return out;
}

// ------------------------------------------------------------------ EDR ---

namespace {

// Frequency (Hz) of the largest spectral peak of y in [low, high), y on a
// regular grid at rate_hz: Welch's average of Hann periodograms of `segment`
// samples (one periodogram when segment = y.size()), zero-padded to at least
// 4× the segment and 512 points so the peak is located to a fraction of the
// resolution.
std::optional<double> dominant_frequency(std::span<const double> y, std::size_t segment, double rate_hz,
                                         double low_hz, double high_hz) {
  if (y.size() < 8 || segment < 8 || segment > y.size()) return std::nullopt;
  std::size_t fft = 1;
  while (fft < std::max<std::size_t>(512, 4 * segment)) fft *= 2;
  const auto psd = signal::welch_psd(y, rate_hz, {.segment_length = segment, .fft_length = fft});
  std::optional<double> best;
  double top = 0;
  for (std::size_t k = 0; k < psd.frequency_hz.size(); ++k)
    if (psd.frequency_hz[k] >= low_hz && psd.frequency_hz[k] < high_hz && psd.power[k] > top)
      top = psd.power[k], best = psd.frequency_hz[k];
  return best;
}

// Smart fusion (Karlen et al. 2013): the mean when the estimates' SD (n − 1) is small.
void fuse(EdrWindow& w, double max_sd) {
  if (w.amplitude_rate && w.rsa_rate && std::abs(*w.amplitude_rate - *w.rsa_rate) / std::sqrt(2.0) <= max_sd)
    w.fused_rate = (*w.amplitude_rate + *w.rsa_rate) / 2;
}

// A respiratory modulation on the regular grid t0 + k / resample_hz.
struct Modulation {
  double t0 = 0;           // s
  std::vector<double> y;   // empty when there are too few beats
};

// Values v at times t (s) resampled linearly to the grid, with the variability
// below the band (Mayer waves, drift) removed: it is far stronger than the
// respiratory part and would leak into the band through the window's side lobes.
Modulation on_grid(const std::vector<double>& t, const std::vector<double>& v, const EdrParams& params) {
  if (t.size() < 2) return {};
  const auto count = static_cast<std::size_t>((t.back() - t.front()) * params.resample_hz) + 1;
  const auto y = signal::resample_regular(t, v, t.front(), params.resample_hz, count, signal::Interpolation::linear);
  return {t.front(), signal::sos_filtfilt(signal::butterworth_highpass(2, params.low_hz, params.resample_hz), y)};
}

// AM: R height above the minimum of the preceding trough window (Moody et al.
// 1985), at each R; FM: each RR interval at its later beat.
std::pair<Modulation, Modulation> modulations(std::span<const double> lead, std::span<const int64_t> r_peaks,
                                              double rate_hz, const EdrParams& params) {
  const auto back = static_cast<int64_t>(std::lround(params.trough_window_s * rate_hz));
  std::vector<double> t_am, am, t_fm, fm;
  for (std::size_t i = 0; i < r_peaks.size(); ++i) {
    const auto r = r_peaks[i];
    const double trough = *std::min_element(lead.begin() + std::max<int64_t>(0, r - back), lead.begin() + r + 1);
    const double height = lead[std::size_t(r)] - trough;
    if (std::isfinite(height)) t_am.push_back(double(r) / rate_hz), am.push_back(height);
    if (i > 0) t_fm.push_back(double(r) / rate_hz), fm.push_back(double(r - r_peaks[i - 1]) / rate_hz);
  }
  return {on_grid(t_am, am, params), on_grid(t_fm, fm, params)};
}

// Breaths/min in [start_s, end_s) from a modulation; none when it covers
// less than min_coverage of the window.
std::optional<double> window_rate(const Modulation& m, double start_s, double end_s, const EdrParams& params) {
  if (m.y.empty()) return std::nullopt;
  const double from = std::max(start_s, m.t0), to = std::min(end_s, m.t0 + double(m.y.size()) / params.resample_hz);
  if (to - from < params.min_coverage * (end_s - start_s)) return std::nullopt;
  const auto a = static_cast<std::size_t>(std::ceil((from - m.t0) * params.resample_hz));
  const auto b = std::min(m.y.size(), static_cast<std::size_t>((to - m.t0) * params.resample_hz));
  if (b <= a) return std::nullopt;
  const auto f =
      dominant_frequency(std::span(m.y).subspan(a, b - a), b - a, params.resample_hz, params.low_hz, params.high_hz);
  return f ? std::optional(60 * *f) : std::nullopt;
}

// Breaths/min over the whole modulation: Welch's average of window-long
// segments; none when the modulation covers less than one window's worth
// (min_coverage of window_s), as for a single window.
std::optional<double> record_rate(const Modulation& m, const EdrParams& params) {
  const auto segment = static_cast<std::size_t>(std::lround(params.window_s * params.resample_hz));
  if (double(m.y.size()) < params.min_coverage * double(segment)) return std::nullopt;
  const auto f =
      dominant_frequency(m.y, std::min(segment, m.y.size()), params.resample_hz, params.low_hz, params.high_hz);
  return f ? std::optional(60 * *f) : std::nullopt;
}

}  // namespace

EdrResult ecg_derived_respiration(std::span<const double> lead, std::span<const int64_t> r_peaks, double rate_hz,
                                  const EdrParams& params) {
  check_sampling_rate(rate_hz, params.high_hz, "ECG");
  if (lead.empty()) throw Error("EDR: the ECG lead is empty");
  for (std::size_t i = 0; i < r_peaks.size(); ++i)
    if (r_peaks[i] < 0 || r_peaks[i] >= int64_t(lead.size()) || (i > 0 && r_peaks[i] <= r_peaks[i - 1]))
      throw Error(fmt::format("EDR: R peak {} at sample {} is outside the lead ({} samples) or not increasing", i,
                              r_peaks[i], lead.size()));
  if (!(params.window_s > 0)) throw Error("EDR: the window must be positive");
  const double duration_s = double(lead.size()) / rate_hz;
  EdrResult out;
  out.overall.end_s = duration_s;
  for (double start = 0; params.per_window && start < duration_s; start += params.window_s)
    out.windows.push_back({start, std::min(duration_s, start + params.window_s), {}, {}, {}});
  if (r_peaks.size() < 4) return out;  // no spectrum from so few beats
  const auto [am, fm] = modulations(lead, r_peaks, rate_hz, params);
  for (auto& w : out.windows) {
    w.amplitude_rate = window_rate(am, w.start_s, w.end_s, params);
    w.rsa_rate = window_rate(fm, w.start_s, w.end_s, params);
    fuse(w, params.fusion_max_sd);
  }
  out.overall.amplitude_rate = record_rate(am, params);
  out.overall.rsa_rate = record_rate(fm, params);
  fuse(out.overall, params.fusion_max_sd);
  return out;
}

}  // namespace medtwin::cardio

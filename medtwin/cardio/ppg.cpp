#include "medtwin/cardio/ppg.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "medtwin/core/error.hpp"
#include "medtwin/signal/filter.hpp"

namespace medtwin::cardio {
namespace {

using std::int64_t;

// A duration in samples, rounded to the nearest sample, at least 1.
std::size_t samples(double seconds, double rate_hz) {
  return std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(seconds * rate_hz)));
}

// Mean correlation of each pulse (a window of the median interval centred on
// its peak) with the average pulse; nullopt under 2 complete pulse windows.
std::optional<double> template_correlation(std::span<const double> cleaned, std::span<const int64_t> peaks,
                                           int64_t width) {
  const int64_t n = int64_t(cleaned.size()), half = width / 2;
  std::vector<std::span<const double>> pulses;
  for (auto p : peaks)
    if (p - half >= 0 && p - half + width <= n)
      pulses.push_back(cleaned.subspan(std::size_t(p - half), std::size_t(width)));
  return mean_template_correlation(pulses);
}

// Orphanidou et al. 2015's rules (i)–(iii) on the peaks of [begin, end).
bool feasible(std::span<const int64_t> peaks, int64_t begin, int64_t end, double rate_hz, const PpgParams& params) {
  if (peaks.size() < 2) return false;
  std::vector<double> intervals(peaks.size() - 1);
  for (std::size_t i = 1; i < peaks.size(); ++i) intervals[i - 1] = double(peaks[i] - peaks[i - 1]) / rate_hz;
  const auto [shortest, longest] = std::minmax_element(intervals.begin(), intervals.end());
  const double mean = std::accumulate(intervals.begin(), intervals.end(), 0.0) / double(intervals.size());
  const double rate = 60 / mean;
  const double edge_gap = double(std::max(peaks.front() - begin, end - 1 - peaks.back())) / rate_hz;
  return rate >= params.min_rate && rate <= params.max_rate && std::max(*longest, edge_gap) <= params.max_gap_s &&
         *longest / *shortest < params.max_interval_ratio;
}

}  // namespace

std::vector<double> clean_ppg(std::span<const double> ppg, double rate_hz, const PpgParams& params) {
  check_sampling_rate(rate_hz, params.band_high_hz, "PPG");
  require_finite(ppg, "PPG");
  return signal::sos_filtfilt(
      signal::butterworth_bandpass(params.band_order, params.band_low_hz, params.band_high_hz, rate_hz), ppg);
}

std::vector<int64_t> find_ppg_peaks(std::span<const double> cleaned, double rate_hz, const PpgParams& params) {
  check_sampling_rate(rate_hz, params.band_high_hz, "PPG");
  // Clip negatives and square: only the systolic upstroke and peak remain (Elgendi 2013).
  std::vector<double> squared(cleaned.size());
  std::transform(cleaned.begin(), cleaned.end(), squared.begin(), [](double v) { return v > 0 ? v * v : 0; });
  if (squared.empty()) return {};
  const std::size_t w1 = samples(params.peak_window_s, rate_hz), w2 = samples(params.beat_window_s, rate_hz);
  const auto ma_peak = signal::moving_average(squared, w1);  // over the systolic peak (W1)
  const auto ma_beat = signal::moving_average(squared, w2);  // over the beat (W2)
  const double alpha =
      params.offset_fraction * std::accumulate(squared.begin(), squared.end(), 0.0) / double(squared.size());
  const auto min_delay = static_cast<int64_t>(samples(params.min_delay_s, rate_hz));

  std::vector<int64_t> peaks;
  const auto n = static_cast<int64_t>(squared.size());
  auto in_block = [&](int64_t i) { return ma_peak[std::size_t(i)] > ma_beat[std::size_t(i)] + alpha; };
  for (int64_t i = 0; i < n;) {
    if (!in_block(i)) {
      ++i;
      continue;
    }
    int64_t end = i;
    while (end < n && in_block(end)) ++end;
    // Complete blocks only, at least W1 wide (THR2, Elgendi 2013).
    if (i > 0 && end < n && end - i >= int64_t(w1)) {
      const auto top = std::max_element(cleaned.begin() + i, cleaned.begin() + end) - cleaned.begin();
      if (peaks.empty() || top - peaks.back() > min_delay) peaks.push_back(top);
    }
    i = end;
  }
  return peaks;
}

std::vector<PpgSegmentQuality> ppg_quality(std::span<const double> raw, std::span<const double> cleaned,
                                           std::span<const int64_t> peaks, std::span<const Gap> gaps,
                                           double rate_hz, const PpgParams& params) {
  if (raw.size() != cleaned.size()) throw Error("PPG quality: raw and cleaned signals differ in length");
  if (raw.empty()) return {};
  const auto extremes = std::minmax_element(raw.begin(), raw.end());
  const double lo = *extremes.first, hi = *extremes.second;  // plain values: lambdas below capture them
  const double tolerance = 1e-9 * (hi - lo);
  const auto n = static_cast<int64_t>(raw.size()), step = static_cast<int64_t>(samples(params.segment_s, rate_hz));
  std::vector<PpgSegmentQuality> out;
  for (int64_t begin = 0; begin < n; begin += step) {
    const int64_t end = std::min(n, begin + step);
    PpgSegmentQuality q;
    q.start_s = double(begin) / rate_hz;
    q.end_s = double(end) / rate_hz;
    const auto first = std::lower_bound(peaks.begin(), peaks.end(), begin);
    const auto last = std::lower_bound(first, peaks.end(), end);
    const std::span<const int64_t> inside(first, last);
    q.pulses = inside.size();
    if (inside.size() >= 2) {
      q.pulse_rate = 60.0 * double(inside.size() - 1) / (double(inside.back() - inside.front()) / rate_hz);
      std::vector<int64_t> intervals(inside.size() - 1);
      for (std::size_t i = 1; i < inside.size(); ++i) intervals[i - 1] = inside[i] - inside[i - 1];
      std::nth_element(intervals.begin(), intervals.begin() + std::ptrdiff_t(intervals.size() / 2), intervals.end());
      q.template_correlation = template_correlation(cleaned, inside, intervals[intervals.size() / 2]);
    }
    q.feasible = feasible(inside, begin, end, rate_hz, params);
    const auto at_extreme = std::count_if(raw.begin() + begin, raw.begin() + end, [&](double v) {
      return v - lo <= tolerance || hi - v <= tolerance;
    });
    q.clipped = double(at_extreme) > params.max_clipped_fraction * double(end - begin);
    q.missing = std::any_of(gaps.begin(), gaps.end(), [&](const Gap& g) { return g.begin < end && g.end > begin; });
    q.acceptable = q.feasible && !q.clipped && !q.missing && q.template_correlation &&
                   *q.template_correlation >= params.min_correlation;
    out.push_back(q);
  }
  return out;
}

PpgResult analyse_ppg(std::span<const double> ppg, double rate_hz, const PpgParams& params) {
  check_sampling_rate(rate_hz, params.band_high_hz, "PPG");
  const auto bridged = bridge_gaps(ppg, "PPG");
  PpgResult out;
  out.cleaned = clean_ppg(bridged.samples, rate_hz, params);
  out.peaks = drop_near_gaps(find_ppg_peaks(out.cleaned, rate_hz, params), bridged.gaps,
                             static_cast<int64_t>(samples(params.beat_window_s, rate_hz)));
  out.rate_per_minute = rate_per_window(out.peaks, rate_hz, ppg.size(), 60, 2);
  out.quality = ppg_quality(bridged.samples, out.cleaned, out.peaks, bridged.gaps, rate_hz, params);
  return out;
}

}  // namespace medtwin::cardio

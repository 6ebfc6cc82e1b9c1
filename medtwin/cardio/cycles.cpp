#include "medtwin/cardio/cycles.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "medtwin/core/error.hpp"
#include "medtwin/core/stats.hpp"

namespace medtwin::cardio {

void check_sampling_rate(double rate_hz, double band_high_hz, std::string_view what) {
  constexpr double max_rate_hz = 10000;
  if (!(rate_hz > 2 * band_high_hz) || !(rate_hz <= max_rate_hz))
    throw Error(fmt::format("{} rate {} samples/s: needs more than {} (twice the {} Hz band edge) and at most {}",
                            what, rate_hz, 2 * band_high_hz, band_high_hz, max_rate_hz));
}

void check_ecg_rate(double rate_hz, std::string_view stage) {
  constexpr double min_rate_hz = 50, max_rate_hz = 20000;
  if (!(rate_hz >= min_rate_hz && rate_hz <= max_rate_hz))
    throw Error(fmt::format("{}: sampling rate {} Hz is outside {}–{} Hz (QRS energy reaches 20 Hz; check the "
                            "record's header)",
                            stage, rate_hz, min_rate_hz, max_rate_hz));
}

std::optional<double> mean_template_correlation(std::span<const std::span<const double>> windows) {
  if (windows.size() < 2) return std::nullopt;
  const auto count = static_cast<double>(windows.size());
  std::vector<double> average(windows.front().size(), 0.0);
  for (const auto& w : windows)
    for (std::size_t k = 0; k < average.size(); ++k) average[k] += w[k] / count;
  double sum = 0;
  for (const auto& w : windows) sum += pearson_correlation(w, average).value_or(0);
  return sum / count;
}

void require_finite(std::span<const double> x, std::string_view what) {
  if (x.empty()) throw Error(fmt::format("{} signal is empty", what));
  const auto bad = std::find_if(x.begin(), x.end(), [](double v) { return !std::isfinite(v); });
  if (bad != x.end())
    throw Error(fmt::format("{} signal has a non-finite sample at index {} (bridge gaps first, or use the analyse_ "
                            "function, which does)",
                            what, bad - x.begin()));
}

Bridged bridge_gaps(std::span<const double> x, std::string_view what) {
  if (x.empty()) throw Error(fmt::format("{} signal is empty", what));
  Bridged out{std::vector<double>(x.begin(), x.end()), {}};
  const auto n = static_cast<std::int64_t>(x.size());
  std::int64_t last_finite = -1;  // index of the last finite sample before the current run
  for (std::int64_t i = 0; i < n;) {
    if (std::isfinite(x[std::size_t(i)])) {
      last_finite = i++;
      continue;
    }
    std::int64_t end = i;
    while (end < n && !std::isfinite(x[std::size_t(end)])) ++end;
    out.gaps.push_back({i, end});
    for (std::int64_t k = i; k < end; ++k) {
      double v;
      if (last_finite < 0 && end == n) {
        throw NotEnoughData(fmt::format("{} signal has no finite sample ({} samples, all NaN or infinite)", what, n));
      } else if (last_finite < 0) {
        v = x[std::size_t(end)];
      } else if (end == n) {
        v = x[std::size_t(last_finite)];
      } else {
        const double f = double(k - last_finite) / double(end - last_finite);
        v = x[std::size_t(last_finite)] + f * (x[std::size_t(end)] - x[std::size_t(last_finite)]);
      }
      out.samples[std::size_t(k)] = v;
    }
    i = end;
  }
  return out;
}

std::vector<std::int64_t> drop_near_gaps(std::span<const std::int64_t> events, std::span<const Gap> gaps,
                                         std::int64_t margin) {
  std::vector<std::int64_t> kept;
  kept.reserve(events.size());
  std::size_t g = 0;  // first gap that does not end more than `margin` before the event
  for (auto e : events) {
    while (g < gaps.size() && gaps[g].end - 1 + margin < e) ++g;
    if (g < gaps.size() && gaps[g].begin - margin <= e) continue;
    kept.push_back(e);
  }
  return kept;
}

std::vector<WindowRate> rate_per_window(std::span<const std::int64_t> events, double rate_hz,
                                        std::size_t n_samples, double window_s, std::size_t min_intervals) {
  if (!(rate_hz > 0) || !(window_s > 0)) throw Error("rate per window: rate and window must be positive");
  const double duration_s = double(n_samples) / rate_hz;
  const auto windows = static_cast<std::size_t>(std::ceil(duration_s / window_s));
  if (windows == 0) return {};
  for (std::size_t i = 0; i < events.size(); ++i)
    if (events[i] < 0 || (i > 0 && events[i] <= events[i - 1]))
      throw Error("rate per window: events must be non-negative sample indices in increasing order");
  std::vector<WindowRate> out(windows);
  std::vector<double> sum_s(windows, 0.0);
  for (std::size_t w = 0; w < windows; ++w)
    out[w].start_s = double(w) * window_s, out[w].end_s = std::min(duration_s, double(w + 1) * window_s);
  for (std::size_t i = 1; i < events.size(); ++i) {
    const double end_s = double(events[i]) / rate_hz;
    const auto w = std::min(windows - 1, static_cast<std::size_t>(end_s / window_s));
    ++out[w].intervals;
    sum_s[w] += double(events[i] - events[i - 1]) / rate_hz;
  }
  for (std::size_t w = 0; w < windows; ++w)
    if (out[w].intervals >= std::max<std::size_t>(1, min_intervals))
      out[w].per_minute = 60.0 * double(out[w].intervals) / sum_s[w];
  return out;
}

std::vector<double> interpolate_events(std::span<const std::int64_t> events, std::span<const double> values,
                                       std::size_t n_samples) {
  if (events.size() < 2 || values.size() != events.size())
    throw Error("interpolating event values: needs at least 2 events, one value each");
  std::vector<double> out(n_samples);
  std::size_t k = 0;  // segment [events[k], events[k + 1]]
  for (std::size_t i = 0; i < n_samples; ++i) {
    const auto t = static_cast<std::int64_t>(i);
    if (t <= events.front()) {
      out[i] = values.front();
    } else if (t >= events.back()) {
      out[i] = values.back();
    } else {
      while (events[k + 1] < t) ++k;
      const double f = double(t - events[k]) / double(events[k + 1] - events[k]);
      out[i] = values[k] + f * (values[k + 1] - values[k]);
    }
  }
  return out;
}

std::optional<double> time_averaged_rate(std::span<const std::int64_t> events, double rate_hz,
                                         std::size_t n_samples) {
  if (events.size() < 2 || n_samples == 0) return std::nullopt;
  std::vector<double> period_s(events.size());
  for (std::size_t i = 1; i < events.size(); ++i) period_s[i] = double(events[i] - events[i - 1]) / rate_hz;
  period_s[0] = double(events.back() - events.front()) / rate_hz / double(events.size() - 1);
  double sum = 0;
  for (double p : interpolate_events(events, period_s, n_samples)) sum += 60.0 / p;
  return sum / double(n_samples);
}

}  // namespace medtwin::cardio

#include "medtwin/sleep/activity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "medtwin/core/error.hpp"

namespace medtwin::sleep {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds one_hour = std::chrono::hours(1);
constexpr milliseconds one_day = std::chrono::hours(24);
// 95 years of 1-min epochs (400 MB of counts): beyond any recording; guards
// against a stray timestamp turning into a grid that cannot be allocated.
constexpr std::int64_t max_epochs = 50'000'000;
constexpr double missing = std::numeric_limits<double>::quiet_NaN();

void check_epoch(milliseconds epoch, std::string_view what) {
  if (epoch.count() <= 0 || one_hour.count() % epoch.count() != 0)
    throw Error(fmt::format("{}: the epoch ({} ms) must be positive and divide one hour (60 s, 30 s, 5 min, …)", what,
                            epoch.count()));
}

// Floor of `t` to a multiple of `step` since the Unix epoch.
Instant floor_to(Instant t, milliseconds step) {
  auto ms = t.time_since_epoch().count();
  auto q = ms / step.count() - (ms % step.count() < 0 ? 1 : 0);
  return Instant{step * q};
}

// Throws unless every observation has the same code and a usable value.
void check_single_metric(std::span<const Observation> observations) {
  const Code& code = observations.front().code;
  for (const auto& obs : observations) {
    if (!(obs.code == code))
      throw Error(fmt::format("activity grid: observations mix metrics '{}' and '{}'; pass one metric", code.token(),
                              obs.code.token()));
    if (!obs.value || !std::isfinite(*obs.value))
      throw Error(fmt::format("activity grid: an observation of '{}' at {} has no finite numeric value", code.token(),
                              format_instant(obs.start)));
    if (obs.end < obs.start)
      throw Error(fmt::format("activity grid: an observation of '{}' ends before it starts ({})", code.token(),
                              format_instant(obs.start)));
  }
}

// Adds `obs` to the grid cells it overlaps, in proportion to the overlap.
void spread(const Observation& obs, const ActivitySeries& grid, std::vector<double>& sum, std::vector<char>& touched) {
  const auto first = (floor_to(obs.start, grid.epoch) - grid.start) / grid.epoch;
  if (obs.end == obs.start) {
    sum[first] += *obs.value, touched[first] = 1;
    return;
  }
  const double total = static_cast<double>((obs.end - obs.start).count());
  for (auto i = first; grid.time_of(i) < obs.end; ++i) {
    const Instant lo = std::max(obs.start, grid.time_of(i)), hi = std::min(obs.end, grid.time_of(i + 1));
    sum[i] += *obs.value * static_cast<double>((hi - lo).count()) / total, touched[i] = 1;
  }
}

}  // namespace

void check_series(const ActivitySeries& series, std::string_view what) {
  check_epoch(series.epoch, what);
  if (series.counts.empty()) throw Error(fmt::format("{}: the activity series is empty", what));
  bool any = false;
  for (double c : series.counts) {
    if (std::isnan(c)) continue;
    if (!std::isfinite(c) || c < 0)
      throw Error(fmt::format("{}: activity counts must be finite and non-negative", what));
    any = true;
  }
  if (!any) throw Error(fmt::format("{}: every epoch of the activity series is missing (NaN)", what));
}

double covered_days(const ActivitySeries& series) {
  const auto present = std::count_if(series.counts.begin(), series.counts.end(), [](double c) { return !std::isnan(c); });
  return static_cast<double>(present) * static_cast<double>(series.epoch.count()) / static_cast<double>(one_day.count());
}

void require_days(const ActivitySeries& series, double min_days, std::string_view what) {
  const double days = covered_days(series);
  if (days < min_days)
    throw NotEnoughData(fmt::format("not enough data for {}: needs at least {} days of non-missing epochs, got {:.2f}", what,
                            min_days, days));
}

ActivitySeries activity_from_signal(const Signal& signal) {
  if (signal.kind != "actigraphy")
    throw Error(fmt::format("activity from signal: expected a signal of kind 'actigraphy', got '{}'", signal.kind));
  if (!(signal.sample_rate_hz > 0) || signal.samples.empty())
    throw Error("activity from signal: the actigraphy signal has no sample rate or no activity channel");
  const double epoch_ms = 1000.0 / signal.sample_rate_hz;
  ActivitySeries out{signal.start, milliseconds(std::llround(epoch_ms)), {}};
  if (std::abs(epoch_ms - static_cast<double>(out.epoch.count())) > 1e-6 * epoch_ms)
    throw Error(fmt::format("activity from signal: epoch of {} ms is not a whole number of milliseconds", epoch_ms));
  check_epoch(out.epoch, "activity from signal");
  out.counts.assign(signal.samples.front().begin(), signal.samples.front().end());
  return out;
}

ActivitySeries activity_from_observations(std::span<const Observation> observations, const GridOptions& options) {
  check_epoch(options.epoch, "activity grid");
  if (observations.empty()) throw Error("activity grid: no observations given");
  check_single_metric(observations);
  Instant first = observations.front().start, last = observations.front().end;
  for (const auto& obs : observations) first = std::min(first, obs.start), last = std::max(last, obs.end);
  ActivitySeries grid{floor_to(first, options.epoch), options.epoch, {}};
  const auto n = (floor_to(last, options.epoch) - grid.start) / options.epoch + 1;
  if (n > max_epochs)
    throw Error(fmt::format("activity grid: observations span {} epochs ({} to {}); check for a stray timestamp", n,
                            format_instant(first), format_instant(last)));
  std::vector<double> sum(static_cast<std::size_t>(n), 0.0);
  std::vector<char> touched(sum.size(), 0);
  for (const auto& obs : observations) spread(obs, grid, sum, touched);
  for (std::size_t i = 0; i < sum.size(); ++i)
    if (!touched[i] && !options.gaps_are_zero) sum[i] = missing;
  // An interval ending exactly on the last grid line leaves an empty last cell.
  if (!touched.back() && last == grid.time_of(sum.size() - 1)) sum.pop_back();
  grid.counts = std::move(sum);
  return grid;
}

ActivitySeries binarize(const ActivitySeries& series, double threshold) {
  ActivitySeries out{series.start, series.epoch, series.counts};
  for (double& c : out.counts)
    if (!std::isnan(c)) c = c > threshold ? 1.0 : 0.0;
  return out;
}

}  // namespace medtwin::sleep

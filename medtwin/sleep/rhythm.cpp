#include "medtwin/sleep/rhythm.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "medtwin/core/error.hpp"

namespace medtwin::sleep {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds one_day = std::chrono::hours(24);
constexpr double missing = std::numeric_limits<double>::quiet_NaN();
// IS compares days with each other: one day alone would give IS = 1.
constexpr double is_min_days = 2;
// IV, L5 and M10 are defined on one day; the average day needs every clock time.
constexpr double single_day_min_days = 1;
// Window sums closer than this (relative) are ties: the same sum can differ in
// its last bits depending on the order of the additions.
constexpr double tie_tolerance = 1e-12;

// Bin sums over `options.bin`, anchored at the first epoch (as pyActigraphy's
// resampling); NaN for a bin the formula cannot use.
struct Bins {
  std::vector<double> values;
  std::vector<std::int64_t> slots;  // local clock slot (bin-long) of each bin's start
};

std::int64_t epochs_per_bin(const ActivitySeries& series, const RhythmOptions& options, std::string_view what) {
  const milliseconds bin = options.bin;
  if (bin.count() <= 0 || bin % series.epoch != milliseconds(0) || one_day % bin != milliseconds(0))
    throw Error(fmt::format("{}: the bin ({} min) must be a multiple of the epoch ({} ms) and divide 24 h", what,
                            options.bin.count(), series.epoch.count()));
  return bin / series.epoch;
}

double bin_value(const ActivitySeries& series, std::size_t from, std::int64_t per_bin, RhythmFormula formula) {
  double sum = 0;
  std::int64_t present = 0;
  const std::size_t to = std::min(series.counts.size(), from + static_cast<std::size_t>(per_bin));
  for (std::size_t i = from; i < to; ++i)
    if (!std::isnan(series.counts[i])) sum += series.counts[i], ++present;
  if (formula == RhythmFormula::classical) return present == per_bin ? sum : missing;
  return present > 0 ? sum : missing;
}

Bins make_bins(const ActivitySeries& series, const TimeZoneHistory* zones, const RhythmOptions& options,
               std::string_view what) {
  const std::int64_t per_bin = epochs_per_bin(series, options, what);
  const milliseconds bin = options.bin;
  Bins bins;
  for (std::size_t from = 0; from < series.counts.size(); from += static_cast<std::size_t>(per_bin)) {
    bins.values.push_back(bin_value(series, from, per_bin, options.formula));
    if (zones) bins.slots.push_back(local_time_of_day(series.time_of(from), *zones) / bin);
  }
  return bins;
}

// Mean and sum of squared deviations of the non-missing values.
struct Spread {
  double mean = 0, squares = 0;
  std::size_t n = 0;
};

Spread spread_of(const std::vector<double>& values) {
  Spread s;
  for (double v : values)
    if (!std::isnan(v)) s.mean += v, ++s.n;
  if (s.n == 0) return s;
  s.mean /= static_cast<double>(s.n);
  for (double v : values)
    if (!std::isnan(v)) s.squares += (v - s.mean) * (v - s.mean);
  return s;
}

void require_variation(const Spread& s, std::string_view what) {
  if (s.n < 2) throw NotEnoughData(fmt::format("not enough data for {}: needs at least 2 usable bins, got {}", what, s.n));
  if (!(s.squares > 0)) throw Error(fmt::format("{} is undefined for constant activity (zero variance)", what));
}

// The mean of the bins in each local clock slot.
std::vector<double> hourly_profile(const Bins& bins) {
  std::map<std::int64_t, std::pair<double, int>> slot_sums;
  for (std::size_t i = 0; i < bins.values.size(); ++i) {
    if (std::isnan(bins.values[i])) continue;
    auto& [sum, n] = slot_sums[bins.slots[i]];
    sum += bins.values[i], ++n;
  }
  std::vector<double> profile;
  for (const auto& [slot, acc] : slot_sums) profile.push_back(acc.first / acc.second);
  return profile;
}

double profile_squares_about(const std::vector<double>& profile, double centre) {
  double sum = 0;
  for (double v : profile) sum += (v - centre) * (v - centre);
  return sum;
}

void check_window(const ActivitySeries& series, std::chrono::minutes length, std::string_view what) {
  const milliseconds len = length;
  if (len.count() <= 0 || len >= one_day || len % series.epoch != milliseconds(0))
    throw Error(fmt::format("{}: the window ({} min) must be a multiple of the epoch shorter than 24 h", what,
                            length.count()));
}

// Prefix sums of the average day laid twice end to end, so windows can wrap
// past midnight. Long double keeps every window sum exact far below the tie
// tolerance.
std::vector<long double> cyclic_prefix_sums(const std::vector<double>& day, milliseconds epoch, std::string_view what) {
  std::vector<long double> prefix(2 * day.size() + 1, 0.0L);
  for (std::size_t k = 0; k < 2 * day.size(); ++k) {
    const double v = day[k % day.size()];
    if (std::isnan(v))
      throw NotEnoughData(fmt::format("not enough data for {}: no epoch at local time {:%H:%M:%S} on any day", what,
                              std::chrono::floor<std::chrono::seconds>(epoch * static_cast<std::int64_t>(k))));
    prefix[k + 1] = prefix[k] + v;
  }
  return prefix;
}

// The least or most active window of the cyclic average day.
ActivityWindow extreme_window(const ActivitySeries& series, const TimeZoneHistory& zones, std::chrono::minutes length,
                              bool lowest, std::string_view what) {
  check_series(series, what);
  check_window(series, length, what);
  require_days(series, single_day_min_days, what);
  const std::vector<double> day = average_day(series, zones);
  const std::vector<long double> prefix = cyclic_prefix_sums(day, series.epoch, what);
  const std::size_t width = static_cast<std::size_t>(milliseconds(length) / series.epoch);
  const auto window_sum = [&](std::size_t s) { return prefix[s + width] - prefix[s]; };
  const double largest = std::abs(*std::max_element(day.begin(), day.end()));  // counts are ≥ 0
  const long double tolerance = tie_tolerance * largest * static_cast<double>(width);
  std::size_t best = 0;
  for (std::size_t s = 1; s < day.size(); ++s)
    if (lowest ? window_sum(s) < window_sum(best) - tolerance : window_sum(s) > window_sum(best) + tolerance) best = s;
  const double mean = static_cast<double>(window_sum(best) / static_cast<long double>(width));
  return {mean, series.epoch * static_cast<std::int64_t>(best)};
}

}  // namespace

double interdaily_stability(const ActivitySeries& series, const TimeZoneHistory& zones, const RhythmOptions& options) {
  check_series(series, "IS");
  require_days(series, is_min_days, "IS");
  const Bins bins = make_bins(series, &zones, options, "IS");
  const Spread all = spread_of(bins.values);
  require_variation(all, "IS");
  const std::vector<double> profile = hourly_profile(bins);
  if (profile.size() < 2) throw Error("IS: the bins fall on a single clock time; use a bin shorter than 12 h");
  const double p = static_cast<double>(profile.size()), n = static_cast<double>(all.n);
  if (options.formula == RhythmFormula::classical)
    return n * profile_squares_about(profile, all.mean) / (p * all.squares);
  const Spread prof = spread_of(profile);
  return (prof.squares / (p - 1)) / (all.squares / (n - 1));
}

double intradaily_variability(const ActivitySeries& series, const RhythmOptions& options) {
  check_series(series, "IV");
  require_days(series, single_day_min_days, "IV");
  const Bins bins = make_bins(series, nullptr, options, "IV");
  const Spread all = spread_of(bins.values);
  require_variation(all, "IV");
  double steps = 0;
  std::size_t n_steps = 0;
  for (std::size_t i = 1; i < bins.values.size(); ++i) {
    const double d = bins.values[i] - bins.values[i - 1];
    if (!std::isnan(d)) steps += d * d, ++n_steps;
  }
  if (n_steps == 0) throw NotEnoughData("not enough data for IV: no two consecutive usable bins");
  const double n = static_cast<double>(all.n);
  const double denominator = options.formula == RhythmFormula::classical ? n : n - 1;
  return (steps / static_cast<double>(n_steps)) / (all.squares / denominator);
}

std::vector<double> average_day(const ActivitySeries& series, const TimeZoneHistory& zones) {
  check_series(series, "average day");
  const std::size_t slots = static_cast<std::size_t>(one_day / series.epoch);
  std::vector<double> sum(slots, 0.0);
  std::vector<int> n(slots, 0);
  for (std::size_t i = 0; i < series.counts.size(); ++i) {
    if (std::isnan(series.counts[i])) continue;
    const auto slot = static_cast<std::size_t>(local_time_of_day(series.time_of(i), zones) / series.epoch);
    sum[slot] += series.counts[i], ++n[slot];
  }
  for (std::size_t k = 0; k < slots; ++k) sum[k] = n[k] > 0 ? sum[k] / n[k] : missing;
  return sum;
}

ActivityWindow least_active_window(const ActivitySeries& series, const TimeZoneHistory& zones,
                                   std::chrono::minutes length) {
  return extreme_window(series, zones, length, true, "L5");
}

ActivityWindow most_active_window(const ActivitySeries& series, const TimeZoneHistory& zones,
                                  std::chrono::minutes length) {
  return extreme_window(series, zones, length, false, "M10");
}

double relative_amplitude(const ActivityWindow& l5, const ActivityWindow& m10) {
  if (!(l5.mean >= 0) || !(m10.mean >= l5.mean) || !(m10.mean + l5.mean > 0))
    throw Error("RA: needs 0 ≤ L5 ≤ M10 and M10 > 0");
  return (m10.mean - l5.mean) / (m10.mean + l5.mean);
}

NonparametricRhythm nonparametric_rhythm(const ActivitySeries& series, const TimeZoneHistory& zones,
                                         const RhythmOptions& options) {
  NonparametricRhythm r;
  r.is = interdaily_stability(series, zones, options);
  r.iv = intradaily_variability(series, options);
  r.l5 = least_active_window(series, zones);
  r.m10 = most_active_window(series, zones);
  r.ra = relative_amplitude(r.l5, r.m10);
  return r;
}

}  // namespace medtwin::sleep

#include "medtwin/baseline/stress.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <utility>

#include "medtwin/core/error.hpp"
#include "medtwin/core/stats.hpp"

namespace medtwin::baseline {
namespace {

using MinuteIndex = std::int64_t;  // whole minutes since the Unix epoch (UTC)
constexpr double none = std::numeric_limits<double>::quiet_NaN();

MinuteIndex floor_minute(Instant t) { return std::chrono::floor<std::chrono::minutes>(t).time_since_epoch().count(); }
MinuteIndex ceil_minute(Instant t) { return std::chrono::ceil<std::chrono::minutes>(t).time_since_epoch().count(); }
Instant minute_start(MinuteIndex m) { return Instant{std::chrono::minutes{m}}; }

// ---- Minutes left out: movement, workouts and their recovery, sleep -------

using MinuteRanges = std::vector<std::pair<MinuteIndex, MinuteIndex>>;  // [first, end), sorted, disjoint

void require_ordered(const Instant& start, const Instant& end, const char* what) {
  if (end < start)
    throw Error(fmt::format("{} ends before it starts", what));
}

MinuteRanges excluded_minutes(const StressInputs& in, const StressParameters& p) {
  MinuteRanges ranges;
  const auto add = [&](Instant start, Instant end, int extra_minutes) {
    const MinuteIndex first = floor_minute(start);
    ranges.emplace_back(first, std::max(ceil_minute(end), first + 1) + extra_minutes);
  };
  for (const auto& s : in.steps) {
    require_ordered(s.start, s.end, "a step count");
    if (!(std::isfinite(s.steps) && s.steps >= 0))
      throw Error("step counts must be numbers >= 0");
    const double minutes = std::max(1.0, std::chrono::duration<double, std::ratio<60>>(s.end - s.start).count());
    if (s.steps / minutes >= p.active_cadence_steps_per_min) add(s.start, s.end, p.recovery_minutes);
  }
  for (const auto& w : in.workouts) {
    require_ordered(w.start, w.end, "a workout");
    add(w.start, w.end, p.recovery_minutes);
  }
  for (const auto& s : in.sleep) {
    require_ordered(s.start, s.end, "a sleep period");
    add(s.start, s.end, 0);
  }
  std::sort(ranges.begin(), ranges.end());
  MinuteRanges merged;
  for (const auto& r : ranges) {
    if (!merged.empty() && r.first <= merged.back().second)
      merged.back().second = std::max(merged.back().second, r.second);
    else
      merged.push_back(r);
  }
  return merged;
}

bool is_excluded(const MinuteRanges& ranges, MinuteIndex m) {
  auto after =
      std::upper_bound(ranges.begin(), ranges.end(), m, [](MinuteIndex x, const auto& r) { return x < r.first; });
  return after != ranges.begin() && m < std::prev(after)->second;
}

// ---- Per-minute values ----------------------------------------------------

struct MinuteSum {
  MinuteIndex minute;
  double sum = 0;
  int count = 0;
};

// Sums and counts of (minute, value) pairs per minute, in minute order.
std::vector<MinuteSum> per_minute(std::vector<std::pair<MinuteIndex, double>> values) {
  std::sort(values.begin(), values.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<MinuteSum> out;
  for (const auto& [m, v] : values) {
    if (out.empty() || out.back().minute != m) out.push_back({m});
    out.back().sum += v;
    ++out.back().count;
  }
  return out;
}

struct Minute {
  MinuteIndex index;
  double hr = none;     // mean heart rate, beats/min
  double rmssd = none;  // ms
  double scr = none;    // skin-conductance responses in the minute
};

void add_heart_rate(std::span<const TimedValue> samples, std::vector<Minute>& out) {
  std::vector<std::pair<MinuteIndex, double>> values;
  values.reserve(samples.size());
  for (const auto& s : samples) {
    if (!(std::isfinite(s.value) && s.value > 0 && s.value < 300))
      throw Error("heart-rate samples must lie in 1..299 beats/min");
    values.emplace_back(floor_minute(s.time), s.value);
  }
  for (const auto& m : per_minute(std::move(values))) out.push_back({m.minute, m.sum / m.count, none, none});
}

// RMSSD per minute from successive RR pairs that are both physiological,
// neighbours in time (the beats less than 1.5 RR apart, so a beat missing
// from the series breaks the chain) and within the successive-change rule.
void add_rmssd(std::span<const TimedValue> rr, const StressParameters& p, std::vector<Minute>& out) {
  std::vector<std::pair<MinuteIndex, double>> squared_differences;
  for (const auto& d : clean_successive_differences(rr, {p.min_rr_ms, p.max_rr_ms, p.max_successive_rr_change}))
    squared_differences.emplace_back(floor_minute(d.time), d.squared_ms2);
  constexpr double rr_resolution_ms = 1;  // keeps log(RMSSD) finite for a flat synthetic series
  for (const auto& m : per_minute(std::move(squared_differences)))
    if (m.count >= p.min_rr_pairs_per_minute)
      out.push_back({m.minute, none, std::max(rr_resolution_ms, std::sqrt(m.sum / m.count)), none});
}

void add_scr(std::span<const TimedValue> counts, std::vector<Minute>& out) {
  std::vector<std::pair<MinuteIndex, double>> values;
  for (const auto& s : counts) {
    if (!(std::isfinite(s.value) && s.value >= 0))
      throw Error("SCR counts must be numbers >= 0");
    values.emplace_back(floor_minute(s.time), s.value);
  }
  for (const auto& m : per_minute(std::move(values))) out.push_back({m.minute, none, none, m.sum});
}

// One Minute per minute index, the fields from whichever input had them,
// minutes left out dropped.
std::vector<Minute> still_minutes(std::vector<Minute> parts, const MinuteRanges& excluded) {
  std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
  std::vector<Minute> out;
  for (const auto& m : parts) {
    if (is_excluded(excluded, m.index)) continue;
    if (out.empty() || out.back().index != m.index) {
      out.push_back(m);
      continue;
    }
    auto& merged = out.back();
    if (!std::isnan(m.hr)) merged.hr = m.hr;
    if (!std::isnan(m.rmssd)) merged.rmssd = m.rmssd;
    if (!std::isnan(m.scr)) merged.scr = m.scr;
  }
  return out;
}

// ---- Personal baselines and the minute index --------------------------------

struct Baselines {
  double resting_hr = none;  // beats/min
  double ln_rmssd = none;    // ln ms
  double scr = none;         // per minute
};

std::vector<double> field(const std::vector<Minute>& minutes, double Minute::*member) {
  std::vector<double> v;
  v.reserve(minutes.size());
  for (const auto& m : minutes) v.push_back(m.*member);
  return v;
}

Baselines baselines(const StressInputs& in, const std::vector<Minute>& minutes, const StressParameters& p) {
  const auto given = [](std::optional<double> v, double lo, double hi, const char* what) {
    if (v && !(std::isfinite(*v) && *v >= lo && *v <= hi))
      throw Error(fmt::format("{} must lie in {}..{}", what, lo, hi));
    return v;
  };
  Baselines b;
  const auto rest = given(in.resting_hr_bpm, 20, 200, "resting heart rate (beats/min)");
  b.resting_hr = rest ? *rest : quantile(field(minutes, &Minute::hr), p.resting_hr_quantile).value_or(none);
  if (const auto rmssd = given(in.baseline_rmssd_ms, 1, 500, "baseline RMSSD (ms)")) {
    b.ln_rmssd = std::log(*rmssd);
  } else {
    auto ln = field(minutes, &Minute::rmssd);
    for (double& x : ln) x = std::log(x);  // NaN stays NaN, which median() skips
    b.ln_rmssd = median(ln).value_or(none);
  }
  const auto scr = given(in.baseline_scr_per_minute, 0, 60, "baseline SCR rate (per minute)");
  b.scr = scr ? *scr : median(field(minutes, &Minute::scr)).value_or(none);
  return b;
}

// Mean of the available components, each on 0..1, times 100.
double minute_stress(const Minute& m, const Baselines& b, const StressParameters& p) {
  double sum = 0;
  int n = 0;
  const auto add = [&](double x) { sum += std::clamp(x, 0.0, 1.0), ++n; };
  if (!std::isnan(m.hr)) add((m.hr - b.resting_hr) / p.hr_full_scale_bpm);
  if (!std::isnan(m.rmssd)) add((b.ln_rmssd - std::log(m.rmssd)) / std::log(p.rmssd_full_scale_ratio));
  if (!std::isnan(m.scr)) add((m.scr - b.scr) / p.scr_full_scale_per_minute);
  return 100 * sum / n;
}

// Local clock time of the start of a minute, with the zone's UTC offset
// looked up once per 15-minute block: when the offsets at the block's first
// and last minute agree, no change happened in between (zones change offset
// at most once in 15 minutes); otherwise each minute is looked up.
class LocalClock {
  using Quarter = std::chrono::duration<std::int64_t, std::ratio<900>>;

 public:
  explicit LocalClock(const TimeZoneHistory& zones) : zones_(zones) {}
  LocalTime operator()(Instant minute) {
    const std::string& zone = zones_.zone_at(minute);
    const auto block = std::chrono::floor<Quarter>(minute);
    if (&zone != zone_ || block != block_) {
      zone_ = &zone;
      block_ = block;
      offset_ = offset(block, zone);
      uniform_ = offset_ == offset(block + std::chrono::minutes(14), zone);
    }
    return LocalTime{minute.time_since_epoch() + (uniform_ ? offset_ : offset(minute, zone))};
  }

 private:
  static std::chrono::milliseconds offset(Instant t, const std::string& zone) {
    return to_local(t, zone).time_since_epoch() - t.time_since_epoch();
  }

  const TimeZoneHistory& zones_;
  const std::string* zone_ = nullptr;
  std::chrono::sys_time<Quarter> block_{};
  std::chrono::milliseconds offset_{0};
  bool uniform_ = true;
};

void check(const StressParameters& p) {
  const bool positive = p.hr_full_scale_bpm > 0 && p.rmssd_full_scale_ratio > 1 && p.scr_full_scale_per_minute > 0 &&
                        p.active_cadence_steps_per_min > 0 && p.max_successive_rr_change > 0 && p.min_rr_ms > 0 &&
                        p.max_rr_ms > p.min_rr_ms;
  const bool counts = p.recovery_minutes >= 0 && p.min_rr_pairs_per_minute >= 1 && p.min_minutes_per_hour >= 1 &&
                      p.min_hours_per_day >= 1 && p.min_days_per_hour >= 1 && p.trend_window_days >= 3 &&
                      p.min_trend_days >= 3 && p.min_trend_days <= p.trend_window_days;
  const bool levels = p.resting_hr_quantile >= 0 && p.resting_hr_quantile <= 1 && p.trend_alpha > 0 &&
                      p.trend_alpha < 1 && p.rise_mads >= 0 && p.min_rise_points >= 0;
  if (!(positive && counts && levels))
    throw Error(
        "stress parameters out of range: scales and thresholds must be positive, the RMSSD ratio > 1, "
        "quantile and alpha in (0, 1), and min_trend_days within the trend window (>= 3 days)");
}

// Hourly or daily values handed back in must still be scores.
template <class Value>
void require_scores(std::span<const Value> values, const char* what) {
  for (const auto& v : values)
    if (!(v.stress >= 0 && v.stress <= 100))
      throw Error(fmt::format("{} stress values must lie in 0..100", what));
}

}  // namespace

std::vector<HourlyStress> hourly_stress(const StressInputs& in, const TimeZoneHistory& zones,
                                        const StressParameters& p) {
  check(p);
  if (in.heart_rate.empty() && in.rr_intervals.empty() && in.scr_counts.empty())
    throw NotEnoughData("stress needs heart-rate, RR-interval or EDA samples, got none");
  std::vector<Minute> parts;
  add_heart_rate(in.heart_rate, parts);
  add_rmssd(in.rr_intervals, p, parts);
  add_scr(in.scr_counts, parts);
  const auto minutes = still_minutes(std::move(parts), excluded_minutes(in, p));
  const auto base = baselines(in, minutes, p);

  std::vector<HourlyStress> out;
  LocalClock clock(zones);
  HourlyStress current;
  double sum = 0;
  const auto close = [&] {
    if (current.minutes >= p.min_minutes_per_hour)
      out.push_back({current.hour, current.start, sum / current.minutes, current.minutes});
  };
  for (const auto& m : minutes) {
    const Instant t = minute_start(m.index);
    const LocalTime local = clock(t);
    const LocalTime hour = std::chrono::floor<std::chrono::hours>(local);
    if (current.minutes == 0 || hour != current.hour) {
      if (current.minutes > 0) close();
      current = {hour, t - (local - hour), 0, 0};
      sum = 0;
    }
    sum += minute_stress(m, base, p);
    ++current.minutes;
  }
  if (current.minutes > 0) close();
  return out;
}

std::vector<DailyStress> daily_stress(std::span<const HourlyStress> hours, const StressParameters& p) {
  check(p);
  require_scores(hours, "hourly");
  std::map<std::chrono::local_days, std::pair<double, int>> days;  // sum, count
  for (const auto& h : hours) {
    auto& d = days[std::chrono::floor<std::chrono::days>(h.hour)];
    d.first += h.stress;
    ++d.second;
  }
  std::vector<DailyStress> out;
  for (const auto& [day, d] : days)
    if (d.second >= p.min_hours_per_day) out.push_back({day, d.first / d.second, d.second});
  return out;
}

StressProfile stress_profile(std::span<const HourlyStress> hours, const StressParameters& p) {
  check(p);
  require_scores(hours, "hourly");
  if (hours.empty()) throw NotEnoughData("a stress profile needs hourly stress values, got none");
  std::array<std::vector<double>, 24> by_hour;
  std::vector<double> all;
  for (const auto& h : hours) {
    const auto clock_hour =
        std::chrono::floor<std::chrono::hours>(h.hour - std::chrono::floor<std::chrono::days>(h.hour));
    by_hour[clock_hour.count()].push_back(h.stress);
    all.push_back(h.stress);
  }
  StressProfile out;
  out.median = *median(all);
  out.mad = *median_absolute_deviation(all);
  const double threshold = out.median + std::max(p.rise_mads * out.mad, p.min_rise_points);
  for (int h = 0; h < 24; ++h) {
    out.values_by_hour[h] = static_cast<int>(by_hour[h].size());
    if (out.values_by_hour[h] < p.min_days_per_hour) continue;
    out.median_by_hour[h] = median(by_hour[h]);
    if (*out.median_by_hour[h] > threshold) out.rising_hours.push_back(h);
  }
  return out;
}

StressTrend stress_trend(std::span<const DailyStress> days, const StressParameters& p) {
  check(p);
  require_scores(days, "daily");
  if (days.empty()) throw NotEnoughData("a stress trend needs daily stress values, got none");
  StressTrend out;
  out.last_day = std::max_element(days.begin(), days.end(), [](auto& a, auto& b) { return a.day < b.day; })->day;
  out.first_day = out.last_day - std::chrono::days(p.trend_window_days - 1);
  std::vector<std::pair<double, double>> points;  // (day offset, stress)
  for (const auto& d : days)
    if (d.day >= out.first_day) points.emplace_back((d.day - out.first_day).count(), d.stress);
  std::sort(points.begin(), points.end());
  out.days = static_cast<int>(points.size());
  if (out.days < p.min_trend_days)
    throw NotEnoughData(fmt::format("a stress trend needs at least {} days with a value in the last {}, got {}",
                                    p.min_trend_days, p.trend_window_days, out.days));

  std::vector<double> x, y;
  double s = 0;  // Mann–Kendall S
  for (std::size_t i = 0; i < points.size(); ++i) {
    x.push_back(points[i].first), y.push_back(points[i].second);
    for (std::size_t j = i + 1; j < points.size(); ++j) {
      const double dy = points[j].second - points[i].second;
      s += (dy > 0) - (dy < 0);
    }
  }
  out.slope_per_day = theil_sen_slope(x, y).value_or(0);
  out.kendall_s = s;

  // Var(S) = [n(n-1)(2n+5) - sum over tied groups t(t-1)(2t+5)] / 18 (Kendall 1975).
  std::sort(y.begin(), y.end());  // ties are runs of equal values
  const double n = static_cast<double>(y.size());
  double variance = n * (n - 1) * (2 * n + 5);
  for (std::size_t i = 0, j = 0; i < y.size(); i = j) {
    while (j < y.size() && y[j] == y[i]) ++j;
    const double t = static_cast<double>(j - i);
    variance -= t * (t - 1) * (2 * t + 5);
  }
  variance /= 18;
  if (variance > 0 && s != 0) {
    const double z = (s - (s > 0 ? 1 : -1)) / std::sqrt(variance);  // continuity correction
    out.p_value = std::erfc(std::abs(z) / std::sqrt(2.0));
  }
  out.worsening = out.slope_per_day > 0 && out.p_value < p.trend_alpha &&
                  out.slope_per_day * (p.trend_window_days - 1) >= p.min_trend_change_points;
  return out;
}

}  // namespace medtwin::baseline

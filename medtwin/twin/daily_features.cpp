#include "medtwin/twin/daily_features.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <map>

#include "medtwin/baseline/hrv.hpp"
#include "medtwin/baseline/training_load.hpp"
#include "medtwin/core/codes.hpp"
#include "medtwin/core/daily.hpp"
#include "medtwin/core/stats.hpp"
#include "medtwin/sleep/episodes.hpp"

namespace medtwin {
namespace {

using baseline::missing;
using std::chrono::local_days;
using DayValues = std::map<local_days, double>;
using BySource = std::map<std::string, std::vector<Observation>>;  // one metric, by source

local_days to_local_days(std::chrono::year_month_day ymd) {
  return local_days{std::chrono::sys_days{ymd}.time_since_epoch()};
}

// Observations of each metric, by metric code and then by source.
std::map<std::string, BySource> group(std::span<const Observation> observations) {
  std::map<std::string, BySource> out;
  for (const auto& obs : observations) out[obs.code.code][obs.source].push_back(obs);
  return out;
}

const BySource* find_metric(const std::map<std::string, BySource>& groups, const Metric& metric) {
  auto it = groups.find(metric.code.code);
  return it == groups.end() ? nullptr : &it->second;
}

// Observations that report the same interval twice with different values
// (a partial day in one export, the full day in the next) collapse to the
// larger: the later, more complete count.
std::vector<Observation> without_contradictions(std::vector<Observation> obs) {
  std::sort(obs.begin(), obs.end(), [](const Observation& a, const Observation& b) {
    return std::tie(a.start, a.end) < std::tie(b.start, b.end) ||
           (a.start == b.start && a.end == b.end && a.value.value_or(0) > b.value.value_or(0));
  });
  obs.erase(std::unique(obs.begin(), obs.end(),
                        [](const Observation& a, const Observation& b) { return a.start == b.start && a.end == b.end; }),
            obs.end());
  return obs;
}

// A source may report a day both as one total and as intraday pieces (Fitbit
// daily and hourly calories): the two are the same quantity, never added.
bool is_daily_summary(const Observation& o) { return o.end - o.start >= std::chrono::hours(20); }

// How intraday pieces of a total are booked: split across the local days they
// overlap (steps walked around midnight), or whole on the day they end (a
// night's sleep belongs to the day the person woke up on).
enum class Booking { split, on_end_day };

DayValues sum_by_day(const std::vector<Observation>& pieces, const TimeZoneHistory& zones, Booking booking) {
  DayValues out;
  if (booking == Booking::split) {
    for (const auto& dv : aggregate_daily(pieces, zones, DailyAggregate::sum)) out[to_local_days(dv.day)] = dv.value;
  } else {
    for (const auto& o : pieces)
      if (o.value) out[local_day_of(o.end, zones)] += *o.value;
  }
  return out;
}

// Per day, each source's total (the larger of its daily summary and the sum of
// its intraday pieces), then the largest over sources.
DayValues totals(const BySource& sources, const TimeZoneHistory& zones, Booking intraday_booking = Booking::split) {
  DayValues out;
  for (const auto& [source, obs] : sources) {
    std::vector<Observation> daily, intraday;
    for (const auto& o : without_contradictions(obs)) (is_daily_summary(o) ? daily : intraday).push_back(o);
    for (const auto& by_day : {sum_by_day(daily, zones, Booking::split), sum_by_day(intraday, zones, intraday_booking)})
      for (const auto& [day, value] : by_day) {
        double& best = out.try_emplace(day, value).first->second;
        best = std::max(best, value);
      }
  }
  return out;
}

// Per day, the median of the sources' daily aggregates.
DayValues levels(const BySource& sources, const TimeZoneHistory& zones, DailyAggregate how = DailyAggregate::mean) {
  std::map<local_days, std::vector<double>> by_day;
  for (const auto& [source, obs] : sources)
    for (const auto& dv : aggregate_daily(obs, zones, how)) by_day[to_local_days(dv.day)].push_back(dv.value);
  DayValues out;
  for (auto& [day, values] : by_day) out[day] = *median(values);
  return out;
}

DayValues add_days(const DayValues& a, const DayValues& b) {
  DayValues out = a;
  for (const auto& [day, v] : b) out[day] += v;
  return out;
}

// Resting HR estimated from heart-rate samples when no device reports it:
// the 5th percentile of a day's samples, given at least 60 of them.
DayValues resting_hr_from_samples(const BySource& sources, const TimeZoneHistory& zones) {
  std::map<local_days, std::vector<double>> samples;
  for (const auto& [source, obs] : sources)
    for (const auto& o : obs)
      if (o.value) samples[local_day_of(o.start, zones)].push_back(*o.value);
  DayValues out;
  for (const auto& [day, v] : samples)
    if (v.size() >= 60) out[day] = *quantile(v, 0.05);
  return out;
}

// RMSSD (ms) of a day's beat-to-beat intervals from clean successive pairs
// (baseline/hrv.hpp), given 100 of them; the median over sources.
DayValues rmssd_from_rr(const BySource& sources, const TimeZoneHistory& zones) {
  std::map<local_days, std::vector<double>> by_day;
  for (const auto& [source, obs] : sources) {
    std::vector<baseline::TimedValue> beats;
    for (const auto& o : obs)
      if (o.value) beats.push_back({o.start, *o.value});
    std::map<local_days, std::pair<double, int>> sum_sq;
    for (const auto& d : baseline::clean_successive_differences(beats)) {
      auto& [sum, n] = sum_sq[local_day_of(d.time, zones)];
      sum += d.squared_ms2, ++n;
    }
    for (const auto& [day, s] : sum_sq)
      if (s.second >= 100) by_day[day].push_back(std::sqrt(s.first / s.second));
  }
  DayValues out;
  for (auto& [day, values] : by_day) out[day] = *median(values);
  return out;
}

// The day's training impulse from minutes of light, moderate and vigorous
// activity (Fitbit's lightly / fairly / very active; exercise minutes count
// as moderate), on the Edwards TRIMP scale (docs/models/readiness.md).
DayValues training_impulse(const DayValues& light, const DayValues& moderate, const DayValues& vigorous) {
  std::map<local_days, baseline::ActivityMinutes> minutes;
  for (const auto& [day, v] : light) minutes[day].light = v;
  for (const auto& [day, v] : moderate) minutes[day].moderate = v;
  for (const auto& [day, v] : vigorous) minutes[day].vigorous = v;
  DayValues out;
  for (const auto& [day, m] : minutes)
    if (m.light >= 0 && m.moderate >= 0 && m.vigorous >= 0 && m.light + m.moderate + m.vigorous <= 1440)
      out[day] = baseline::activity_trimp(m);  // a day claiming more minutes than it has is left out
  return out;
}

struct SleepDays {
  DayValues hours, efficiency, onset, offset, midpoint, deep, rem;
};

double hours(std::chrono::milliseconds d) { return std::chrono::duration<double, std::ratio<3600>>(d).count(); }

// Clock time of `t` in hours after the local midnight that starts `day`.
double hours_after_midnight(Instant t, local_days day, const TimeZoneHistory& zones) {
  const auto local = to_local(t, zones.zone_at(t));
  return hours(local - LocalTime{day.time_since_epoch()});
}

// Hours of `stage` inside the episode.
double stage_hours(const std::vector<Observation>& obs, const Code& stage, const sleep::SleepEpisode& e) {
  std::chrono::milliseconds total{0};
  for (const auto& o : obs)
    if (o.value_code && *o.value_code == stage && o.end > e.onset && o.start < e.offset)
      total += std::min(o.end, e.offset) - std::max(o.start, e.onset);
  return hours(total);
}

// Each day's main sleep, from the source whose night was longest.
SleepDays sleep_from_stages(const BySource& sources, const TimeZoneHistory& zones) {
  SleepDays out;
  for (const auto& [source, obs] : sources) {
    for (const auto& e : sleep::main_sleep_per_day(sleep::sleep_episodes(obs), zones)) {
      const local_days day = local_day_of(e.offset, zones);
      if (out.hours.contains(day) && out.hours[day] >= hours(e.asleep)) continue;
      out.hours[day] = hours(e.asleep);
      out.efficiency[day] = e.efficiency();
      out.onset[day] = hours_after_midnight(e.onset, day, zones);
      out.offset[day] = hours_after_midnight(e.offset, day, zones);
      out.midpoint[day] = (out.onset[day] + out.offset[day]) / 2;
      const double deep = stage_hours(obs, sleep_stages::deep(), e), rem = stage_hours(obs, sleep_stages::rem(), e);
      if (deep > 0 || rem > 0) {  // a hypnogram with stages, not just asleep/awake
        out.deep[day] = deep;
        out.rem[day] = rem;
      } else {
        out.deep.erase(day), out.rem.erase(day);
      }
    }
  }
  return out;
}

// Sleep from nightly totals (e.g. Fitbit sleepDay) where no hypnogram exists.
void add_sleep_totals(SleepDays& sleep, const std::map<std::string, BySource>& groups, const TimeZoneHistory& zones) {
  const BySource* asleep = find_metric(groups, metrics::sleep_duration());
  if (!asleep) return;
  const DayValues asleep_h = totals(*asleep, zones, Booking::on_end_day);
  const BySource* bed = find_metric(groups, metrics::time_in_bed());
  const DayValues bed_h = bed ? totals(*bed, zones, Booking::on_end_day) : DayValues{};
  for (const auto& [day, h] : asleep_h) {
    if (sleep.hours.contains(day)) continue;
    sleep.hours[day] = h;
    auto b = bed_h.find(day);
    if (b != bed_h.end() && b->second > 0) sleep.efficiency[day] = std::min(1.0, h / b->second);
  }
}

struct Collected {
  struct Feature {
    std::string_view name;
    std::string unit;
    baseline::DailyKind kind;
    DayValues values;
  };
  std::vector<Feature> features;
  void add(std::string_view name, std::string unit, DayValues values, baseline::DailyKind kind = baseline::DailyKind::level) {
    if (!values.empty()) features.push_back({name, std::move(unit), kind, std::move(values)});
  }
  void add_total(std::string_view name, std::string unit, DayValues values) {
    add(name, std::move(unit), std::move(values), baseline::DailyKind::total);
  }
};

void collect_activity(Collected& c, const std::map<std::string, BySource>& g, const TimeZoneHistory& zones) {
  // A day without a single step is a day the tracker was not worn: every
  // activity total of it (Fitbit still books the basal energy) is missing.
  DayValues worn;
  if (auto* s = find_metric(g, metrics::steps())) {
    worn = totals(*s, zones);
    std::erase_if(worn, [](const auto& kv) { return kv.second <= 0; });
  }
  auto add = [&](std::string_view name, std::string unit, DayValues values) {
    if (!worn.empty()) std::erase_if(values, [&](const auto& kv) { return !worn.contains(kv.first); });
    c.add_total(name, std::move(unit), std::move(values));
  };
  add(feature::steps, "{steps}", worn);
  if (auto* s = find_metric(g, metrics::active_energy())) add(feature::active_energy, "kcal", totals(*s, zones));
  if (auto* s = find_metric(g, metrics::total_energy())) add(feature::total_energy, "kcal", totals(*s, zones));
  auto* very = find_metric(g, metrics::very_active_minutes());
  auto* fairly = find_metric(g, metrics::fairly_active_minutes());
  auto* light = find_metric(g, metrics::lightly_active_minutes());
  auto* exercise = find_metric(g, metrics::active_minutes());
  if (very && fairly) add(feature::active_minutes, "min", add_days(totals(*very, zones), totals(*fairly, zones)));
  else if (exercise) add(feature::active_minutes, "min", totals(*exercise, zones));
  if (very && fairly && light)
    add(feature::training_load, "1", training_impulse(totals(*light, zones), totals(*fairly, zones), totals(*very, zones)));
  else if (exercise)
    add(feature::training_load, "1", training_impulse({}, totals(*exercise, zones), {}));
}

void collect_heart(Collected& c, const std::map<std::string, BySource>& g, const TimeZoneHistory& zones) {
  if (auto* s = find_metric(g, metrics::resting_heart_rate())) c.add(feature::resting_hr, "/min", levels(*s, zones));
  else if (auto* s = find_metric(g, metrics::heart_rate())) c.add(feature::resting_hr, "/min", resting_hr_from_samples(*s, zones));
  if (auto* s = find_metric(g, metrics::hrv_rmssd())) c.add(feature::hrv_rmssd, "ms", levels(*s, zones));
  else if (auto* s = find_metric(g, metrics::rr_interval())) c.add(feature::hrv_rmssd, "ms", rmssd_from_rr(*s, zones));
  if (auto* s = find_metric(g, metrics::hrv_sdnn())) c.add(feature::hrv_sdnn, "ms", levels(*s, zones));
}

void collect_sleep(Collected& c, const std::map<std::string, BySource>& g, const TimeZoneHistory& zones) {
  SleepDays sleep;
  if (auto* s = find_metric(g, metrics::sleep_stage())) sleep = sleep_from_stages(*s, zones);
  add_sleep_totals(sleep, g, zones);
  c.add(feature::sleep_hours, "h", std::move(sleep.hours));
  c.add(feature::sleep_efficiency, "1", std::move(sleep.efficiency));
  c.add(feature::sleep_onset, "h", std::move(sleep.onset));
  c.add(feature::sleep_offset, "h", std::move(sleep.offset));
  c.add(feature::sleep_midpoint, "h", std::move(sleep.midpoint));
  c.add(feature::deep_sleep_hours, "h", std::move(sleep.deep));
  c.add(feature::rem_sleep_hours, "h", std::move(sleep.rem));
}

void collect_vitals(Collected& c, const std::map<std::string, BySource>& g, const TimeZoneHistory& zones) {
  if (auto* s = find_metric(g, metrics::respiratory_rate())) c.add(feature::respiratory_rate, "/min", levels(*s, zones));
  if (auto* s = find_metric(g, metrics::oxygen_saturation())) c.add(feature::spo2, "%", levels(*s, zones));
  if (auto* s = find_metric(g, metrics::wrist_temperature())) c.add(feature::wrist_temperature, "Cel", levels(*s, zones));
  if (auto* s = find_metric(g, metrics::body_weight()))
    c.add(feature::weight, "kg", levels(*s, zones, DailyAggregate::last));
}

// The values a feature can take, so that forecasts and their intervals stay
// possible: clock times are signed hours, fractions and percentages bounded.
void set_range(DailySeries& s) {
  if (!is_clock_time(s.name)) s.lowest = 0;
  if (s.name == feature::sleep_efficiency) s.highest = 1;
  if (s.name == feature::spo2) s.highest = 100;
  if (s.name == feature::sleep_hours || s.name == feature::deep_sleep_hours || s.name == feature::rem_sleep_hours)
    s.highest = 24;
}

}  // namespace

std::vector<DailySeries> daily_features(std::span<const Observation> observations, const TimeZoneHistory& zones) {
  const auto groups = group(observations);
  Collected c;
  collect_activity(c, groups, zones);
  collect_heart(c, groups, zones);
  collect_sleep(c, groups, zones);
  collect_vitals(c, groups, zones);
  if (c.features.empty()) return {};
  local_days first = local_days::max(), last = local_days::min();
  for (const auto& f : c.features) {
    first = std::min(first, f.values.begin()->first);
    last = std::max(last, f.values.rbegin()->first);
  }
  const auto n = static_cast<std::size_t>((last - first).count() + 1);
  std::vector<DailySeries> out;
  for (auto& f : c.features) {
    DailySeries s{std::string(f.name), f.unit, f.kind, first, std::vector<double>(n, missing)};
    for (const auto& [day, v] : f.values) s.values[static_cast<std::size_t>((day - first).count())] = v;
    set_range(s);
    out.push_back(std::move(s));
  }
  return out;
}

bool is_clock_time(std::string_view f) {
  return f == feature::sleep_onset || f == feature::sleep_offset || f == feature::sleep_midpoint;
}

const DailySeries* find_feature(std::span<const DailySeries> features, std::string_view name) {
  for (const auto& f : features)
    if (f.name == name) return &f;
  return nullptr;
}

}  // namespace medtwin

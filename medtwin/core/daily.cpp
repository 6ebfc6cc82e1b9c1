#include "medtwin/core/daily.hpp"

#include <algorithm>
#include <map>

namespace medtwin {
namespace {

using std::chrono::days;
using std::chrono::local_days;

struct Accumulator {
  double sum = 0, min = 0, max = 0, last = 0;
  Instant last_start{};
  int n = 0;

  void add(double v, Instant start) {
    if (n == 0 || v < min) min = v;
    if (n == 0 || v > max) max = v;
    if (n == 0 || start >= last_start) {
      last = v;
      last_start = start;
    }
    sum += v;
    ++n;
  }
};

// The instant a local day ends (next local midnight), in the zone of `t`.
Instant local_day_end(Instant t, const TimeZoneHistory& zones) {
  const std::string& tz = zones.zone_at(t);
  auto next_midnight = std::chrono::floor<days>(to_local(t, tz)) + days{1};
  return to_instant(LocalTime{next_midnight.time_since_epoch()}, tz);
}

// Splits a value over [start, end) across local days in proportion to overlap.
void add_split(std::map<local_days, Accumulator>& by_day, const Observation& obs, const TimeZoneHistory& zones) {
  double total_ms = double((obs.end - obs.start).count());
  if (total_ms <= 0) {
    by_day[local_day_of(obs.start, zones)].add(*obs.value, obs.start);
    return;
  }
  Instant cursor = obs.start;
  while (cursor < obs.end) {
    Instant piece_end = std::min(obs.end, local_day_end(cursor, zones));
    if (piece_end <= cursor) break;  // defensive: a zone table that does not advance
    double share = double((piece_end - cursor).count()) / total_ms;
    by_day[local_day_of(cursor, zones)].add(*obs.value * share, cursor);
    cursor = piece_end;
  }
}

double pick(const Accumulator& acc, DailyAggregate how) {
  switch (how) {
    case DailyAggregate::sum: return acc.sum;
    case DailyAggregate::mean: return acc.sum / acc.n;
    case DailyAggregate::min: return acc.min;
    case DailyAggregate::max: return acc.max;
    case DailyAggregate::last: return acc.last;
    case DailyAggregate::count: return acc.n;
  }
  return acc.sum;
}

}  // namespace

local_days local_day_of(Instant t, const TimeZoneHistory& zones) {
  return std::chrono::floor<days>(to_local(t, zones.zone_at(t)));
}

std::chrono::milliseconds local_time_of_day(Instant t, const TimeZoneHistory& zones) {
  const LocalTime local = to_local(t, zones.zone_at(t));
  return local - std::chrono::floor<days>(local);
}

std::vector<DailyValue> aggregate_daily(std::span<const Observation> series, const TimeZoneHistory& zones,
                                        DailyAggregate how) {
  std::map<local_days, Accumulator> by_day;
  for (const auto& obs : series) {
    if (how == DailyAggregate::count) {
      by_day[local_day_of(obs.start, zones)].add(1, obs.start);
    } else if (obs.value) {
      if (how == DailyAggregate::sum) add_split(by_day, obs, zones);
      else by_day[local_day_of(obs.start, zones)].add(*obs.value, obs.start);
    }
  }
  std::vector<DailyValue> out;
  out.reserve(by_day.size());
  for (const auto& [day, acc] : by_day) {
    out.push_back(DailyValue{std::chrono::year_month_day{std::chrono::sys_days{day.time_since_epoch()}},
                             pick(acc, how), acc.n});
  }
  return out;
}

}  // namespace medtwin

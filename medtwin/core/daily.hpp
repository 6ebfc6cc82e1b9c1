// Daily aggregation of a series by the person's local calendar day, following
// their time zones over time (travel moves the day boundary with them).
#pragma once

#include <chrono>
#include <span>
#include <vector>

#include "medtwin/core/records.hpp"
#include "medtwin/core/time.hpp"

namespace medtwin {

enum class DailyAggregate {
  sum,    // interval values are split across local midnights in proportion to overlap
  mean,   // the rest attribute each observation to the local day it starts in
  min,
  max,
  last,
  count,
};

// The person's local calendar day that instant `t` falls in.
std::chrono::local_days local_day_of(Instant t, const TimeZoneHistory& zones);

// The person's local clock time at instant `t`, since local midnight, in [0, 24 h).
std::chrono::milliseconds local_time_of_day(Instant t, const TimeZoneHistory& zones);

struct DailyValue {
  std::chrono::year_month_day day;  // local calendar day
  double value = 0;
  int observations = 0;             // observations (or day-pieces of split ones) that contributed
};

// One value per local day that has data, in day order. Coded observations
// (no numeric value) count for `count` only.
std::vector<DailyValue> aggregate_daily(std::span<const Observation> series, const TimeZoneHistory& zones,
                                        DailyAggregate how);

}  // namespace medtwin

// Helpers the sleep unit tests share (include only from *_test.cpp): the
// shared actigraphy recordings as activity series, synthetic series, clock
// formatting.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/actigraphy.hpp"
#include "medtwin/io/testing.hpp"
#include "medtwin/sleep/activity.hpp"

namespace medtwin::sleep::test_data {

// An AWD file of ../shared/data/wearables/actigraphy. AWD start times are
// local without a zone: read in UTC, local clock time equals the file's.
inline ActivitySeries read_awd_file(const std::string& name) {
  const auto path = shared_data("wearables/actigraphy/" + name);
  std::ifstream in(path);
  CollectingSink sink;
  read_awd(in, name, with_tz("UTC"), sink);
  if (sink.signals.size() != 1) throw Error("expected one signal in " + name);
  return activity_from_signal(sink.signals.front());
}

// "HH:MM" of a time since midnight.
inline std::string hhmm(std::chrono::milliseconds t) {
  const auto m = std::chrono::floor<std::chrono::minutes>(t).count();
  char out[8];
  std::snprintf(out, sizeof out, "%02d:%02d", int(m / 60 % 24), int(m % 60));
  return out;
}

// A series of `days` days of 1-min epochs from `start`: `active` counts per
// minute, `rest` between local `rest_from` and `rest_to` (minutes after
// midnight, may wrap past midnight) in time zone `tz`.
inline ActivitySeries rest_activity_days(Instant start, int days, int rest_from, int rest_to, double rest = 0,
                                         double active = 100, const std::string& tz = "UTC") {
  ActivitySeries s{start, std::chrono::minutes(1), {}};
  const TimeZoneHistory zones({{start, tz}});
  for (int i = 0; i < days * 1440; ++i) {
    const auto m = std::chrono::floor<std::chrono::minutes>(local_time_of_day(s.time_of(std::size_t(i)), zones)).count();
    const bool resting = rest_from < rest_to ? (m >= rest_from && m < rest_to) : (m >= rest_from || m < rest_to);
    s.counts.push_back(resting ? rest : active);
  }
  return s;
}

inline Instant at(const char* iso) { return parse_instant(iso); }

}  // namespace medtwin::sleep::test_data

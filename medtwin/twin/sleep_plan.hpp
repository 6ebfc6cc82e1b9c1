// A planned night from the command line: "23:30-07:00" (local clock, 24 h),
// the sleep window of one night — the scenario the two-process model runs.
#pragma once

#include <chrono>
#include <string_view>

namespace medtwin {

struct SleepPlan {
  std::chrono::minutes onset;   // local clock time, since midnight, [0, 24 h)
  std::chrono::minutes offset;  // local clock time; the next morning when before onset
  std::chrono::minutes length() const;
};

// Parses "HH:MM-HH:MM"; throws ParseError saying what was expected.
SleepPlan parse_sleep_plan(std::string_view text);

}  // namespace medtwin

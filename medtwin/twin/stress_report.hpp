// The daytime stress side of a person's twin: hourly stress from intraday
// heart rate and beat-to-beat intervals, leaving out movement, workouts and
// sleep; the hours of the day when it tends to rise; and whether recent days
// trend worse. (The stress index also takes skin-conductance responses; no
// stored series provides them yet.)
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "medtwin/baseline/stress.hpp"
#include "medtwin/store/store.hpp"

namespace medtwin {

struct StressReport {
  std::vector<baseline::HourlyStress> hours;
  std::vector<baseline::DailyStress> days;
  std::optional<baseline::StressProfile> profile;
  std::optional<baseline::StressTrend> trend;
  std::vector<std::string> unavailable;  // what could not be computed and why
};

// Empty `hours` (with the reason in `unavailable`) when the person has no
// intraday heart rate, RR intervals or skin-conductance responses.
StressReport build_stress_report(Store& store, const std::string& person);

}  // namespace medtwin

// One night's sleep stages as a wearable recorded them: the main sleep that
// woke on a local day (sleep/episodes.hpp), its stages from the source that
// staged most of it (a watch and a phone may both write stages; time in bed
// does not count), an hour either side. What the sleep page's hypnogram draws.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "medtwin/store/store.hpp"

namespace medtwin {

struct Hypnogram {
  std::vector<std::chrono::local_days> nights;  // the local days a main sleep woke on, in order
  std::chrono::local_days night{};              // the chosen one
  std::string source;
  std::vector<Observation> stages;  // of that source, by start
  TimeZoneHistory zones;
};

// The night that woke on `night` (default: the last). Throws NotFound when the
// person has no sleep stages, no main sleep, or none that woke on that day.
Hypnogram build_hypnogram(Store& store, const std::string& person, std::optional<std::chrono::local_days> night);

}  // namespace medtwin

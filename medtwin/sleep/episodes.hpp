// Sleep episodes: contiguous stretches of sleep built from sleep-stage
// observations (a wearable's hypnogram or a scored actigraphy record). They
// are what the circadian metrics and the two-process model take as timing.
#pragma once

#include <chrono>
#include <span>
#include <vector>

#include "medtwin/core/records.hpp"
#include "medtwin/core/time.hpp"

namespace medtwin::sleep {

struct SleepEpisode {
  Instant onset;                           // first asleep moment (UTC)
  Instant offset;                          // last asleep moment (UTC)
  std::chrono::milliseconds asleep{0};     // time asleep inside [onset, offset)
  std::chrono::milliseconds in_bed{0};     // time in bed, when the source records it; else the span
  double efficiency() const;               // asleep / in bed, in [0, 1]
};

// Merges the asleep stages (asleep, light, deep, REM) of `stages` into
// episodes; a wake gap shorter than `max_wake_gap` stays inside an episode.
// In-bed and awake observations that overlap an episode count towards its
// time in bed. Observations of other codes are ignored. Sorted by onset.
std::vector<SleepEpisode> sleep_episodes(std::span<const Observation> stages,
                                         std::chrono::minutes max_wake_gap = std::chrono::minutes(60));

// The main (longest) episode ending on each local calendar day — the night
// that day woke up from — at least `min_asleep` long; naps are left out.
std::vector<SleepEpisode> main_sleep_per_day(std::span<const SleepEpisode> episodes, const TimeZoneHistory& zones,
                                             std::chrono::minutes min_asleep = std::chrono::minutes(180));

}  // namespace medtwin::sleep

// What the two Fitbit importers share: the Fitbit-only concepts that have no
// place in the canonical vocabulary (codes.hpp), the mapping of Fitbit sleep
// levels to sleep stages, and small helpers to emit observations over local
// spans of time. Sources: Fitabase data dictionary, Fitbit Web API docs.
#pragma once

#include <optional>
#include <string_view>

#include "medtwin/core/codes.hpp"
#include "medtwin/core/records.hpp"
#include "medtwin/core/sink.hpp"

namespace medtwin::fitbit {

inline constexpr const char* kSource = "Fitbit";

// Fitbit-only metrics (medtwin code system).
Metric very_active_distance();        // fitbit-very-active-distance, km
Metric moderately_active_distance();  // fitbit-moderately-active-distance, km
Metric light_active_distance();       // fitbit-light-active-distance, km
Metric sedentary_active_distance();   // fitbit-sedentary-active-distance, km
Metric intensity_level();             // fitbit-intensity-level, 1: mean per-minute level, 0 sedentary … 3 very active
Metric metabolic_equivalent();        // fitbit-mets, {MET}
Metric elevation_gain();              // fitbit-elevation-gain, m
Metric sleep_efficiency();            // fitbit-sleep-efficiency, %
Metric sleep_score(std::string_view part);  // fitbit-sleep-score[-part], {score} (overall, composition, …)
Metric restlessness();                // fitbit-sleep-restlessness, 1 (share of the night restless)
// Minutes in a heart-rate zone: 0 below zone 1 ("out of range"), 1 fat burn, 2 cardio, 3 peak.
Metric time_in_heart_rate_zone(int zone);  // fitbit-time-in-hr-zone-N, min

// The sleep stage of a Fitbit sleep level: "wake", "light", "deep", "rem"
// (stages logs) and "asleep", "restless", "awake" (classic logs); nullopt otherwise.
std::optional<Code> sleep_stage_of_level(std::string_view level);

// The sleep stage of a classic per-minute value (Fitabase minuteSleep): 1
// asleep, 2 restless, 3 awake; nullopt otherwise.
std::optional<Code> sleep_stage_of_value(int value);

// Emits `value` (in `from_unit`, converted to the metric's unit) over [start, end].
void emit(RecordSink& sink, const Metric& metric, double value, std::string_view from_unit, Instant start,
          Instant end);
// Emits a sleep-stage interval [start, end).
void emit_stage(RecordSink& sink, const Code& stage, Instant start, Instant end);

// The instants bounding the local span [t, t + length) in zone `tz`.
struct Span {
  Instant start;
  Instant end;
};
Span local_span(LocalTime t, std::chrono::milliseconds length, const std::string& tz);
// The local calendar day holding `t`: [midnight, next midnight).
Span local_day(LocalTime t, const std::string& tz);

}  // namespace medtwin::fitbit

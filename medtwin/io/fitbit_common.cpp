#include "medtwin/io/fitbit_common.hpp"

#include <fmt/format.h>

#include "medtwin/core/error.hpp"
#include "medtwin/core/units.hpp"

namespace medtwin::fitbit {
namespace {

Metric local(std::string code, std::string display, const char* unit) {
  return Metric{Code{std::string(systems::medtwin), std::move(code), std::move(display)}, unit};
}

}  // namespace

Metric very_active_distance() { return local("fitbit-very-active-distance", "Very active distance (Fitbit)", "km"); }
Metric moderately_active_distance() {
  return local("fitbit-moderately-active-distance", "Moderately active distance (Fitbit)", "km");
}
Metric light_active_distance() { return local("fitbit-light-active-distance", "Light active distance (Fitbit)", "km"); }
Metric sedentary_active_distance() {
  return local("fitbit-sedentary-active-distance", "Sedentary active distance (Fitbit)", "km");
}
Metric intensity_level() { return local("fitbit-intensity-level", "Mean activity intensity level 0-3 (Fitbit)", "1"); }
Metric metabolic_equivalent() { return local("fitbit-mets", "Metabolic equivalent (Fitbit)", "{MET}"); }
Metric elevation_gain() { return local("fitbit-elevation-gain", "Elevation gained (Fitbit)", "m"); }
Metric sleep_efficiency() { return local("fitbit-sleep-efficiency", "Sleep efficiency (Fitbit)", "%"); }
Metric restlessness() { return local("fitbit-sleep-restlessness", "Sleep restlessness (Fitbit)", "1"); }

Metric sleep_score(std::string_view part) {
  if (part == "overall") return local("fitbit-sleep-score", "Sleep score (Fitbit)", "{score}");
  return local(fmt::format("fitbit-sleep-score-{}", part), fmt::format("Sleep {} score (Fitbit)", part), "{score}");
}

Metric time_in_heart_rate_zone(int zone) {
  static constexpr const char* kNames[] = {"Time below heart-rate zone 1 (Fitbit)",
                                           "Time in heart-rate zone 1, fat burn (Fitbit)",
                                           "Time in heart-rate zone 2, cardio (Fitbit)",
                                           "Time in heart-rate zone 3, peak (Fitbit)"};
  if (zone < 0 || zone > 3) throw Error(fmt::format("no Fitbit heart-rate zone {}", zone));
  return local(fmt::format("fitbit-time-in-hr-zone-{}", zone), kNames[zone], "min");
}

std::optional<Code> sleep_stage_of_level(std::string_view level) {
  if (level == "wake" || level == "awake") return sleep_stages::awake();
  if (level == "light") return sleep_stages::light();
  if (level == "deep") return sleep_stages::deep();
  if (level == "rem") return sleep_stages::rem();
  if (level == "asleep") return sleep_stages::asleep();
  if (level == "restless") return sleep_stages::restless();
  return std::nullopt;
}

std::optional<Code> sleep_stage_of_value(int value) {
  switch (value) {
    case 1: return sleep_stages::asleep();
    case 2: return sleep_stages::restless();
    case 3: return sleep_stages::awake();
    default: return std::nullopt;
  }
}

void emit(RecordSink& sink, const Metric& metric, double value, std::string_view from_unit, Instant start,
          Instant end) {
  auto converted = convert_unit(value, from_unit, metric.unit);
  // Every caller passes a unit of the metric's dimension; failing here is a bug, not bad input.
  if (!converted) throw Error(fmt::format("cannot convert {} to {}", from_unit, metric.unit));
  Observation obs;
  obs.code = metric.code;
  obs.value = *converted;
  obs.unit = metric.unit;
  obs.start = start;
  obs.end = end;
  obs.source = kSource;
  sink.observation(obs);
}

void emit_stage(RecordSink& sink, const Code& stage, Instant start, Instant end) {
  Observation obs;
  obs.code = metrics::sleep_stage().code;
  obs.value_code = stage;
  obs.start = start;
  obs.end = end;
  obs.source = kSource;
  sink.observation(obs);
}

Span local_span(LocalTime t, std::chrono::milliseconds length, const std::string& tz) {
  return Span{to_instant(t, tz), to_instant(t + length, tz)};
}

Span local_day(LocalTime t, const std::string& tz) {
  auto midnight = std::chrono::floor<std::chrono::days>(t);
  return local_span(midnight, std::chrono::days{1}, tz);
}

}  // namespace medtwin::fitbit

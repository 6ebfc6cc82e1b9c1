#include "medtwin/twin/glucose_history.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "medtwin/core/codes.hpp"
#include "medtwin/core/error.hpp"

namespace medtwin {
namespace {

double epoch_minutes(Instant t) { return double(to_epoch_ms(t)) / 60000.0; }

// Sorted by time, one entry per minute (the first of duplicates: a reading stored twice).
template <typename T>
void sort_by_minute(std::vector<T>& list) {
  std::stable_sort(list.begin(), list.end(), [](const T& a, const T& b) { return a.minute < b.minute; });
  list.erase(std::unique(list.begin(), list.end(), [](const T& a, const T& b) { return a.minute == b.minute; }),
             list.end());
}

// Meals logged in the same minute (a dish and a drink) are one intake.
void merge_same_minute_meals(std::vector<metabolic::MealIntake>& meals) {
  std::vector<metabolic::MealIntake> merged;
  for (const auto& m : meals) {
    if (!merged.empty() && merged.back().minute == m.minute) merged.back().carbs_g += m.carbs_g;
    else merged.push_back(m);
  }
  meals = std::move(merged);
}

std::string densest_sensor(std::span<const Observation> observations) {
  std::map<std::string, std::size_t> counts;
  for (const auto& obs : observations)
    if (obs.code == metrics::interstitial_glucose().code && obs.value) ++counts[obs.source];
  auto best = std::max_element(counts.begin(), counts.end(),
                               [](const auto& a, const auto& b) { return a.second < b.second; });
  return best == counts.end() ? std::string() : best->first;
}

}  // namespace

PersonGlucoseHistory glucose_history_from_records(std::span<const Observation> observations,
                                                  std::span<const Event> events,
                                                  const std::optional<std::string>& sensor,
                                                  const std::string& time_zone) {
  PersonGlucoseHistory out;
  out.sensor = sensor.value_or(densest_sensor(observations));
  out.time_zone = time_zone;
  auto& h = out.history;
  for (const auto& obs : observations) {
    if (!obs.value) continue;
    if (obs.code == metrics::interstitial_glucose().code && obs.source == out.sensor)
      h.cgm.push_back({epoch_minutes(obs.start), *obs.value});
    else if (obs.code == metrics::heart_rate().code)  // known once its interval has passed
      h.heart_rate.push_back({epoch_minutes(obs.end), *obs.value});
  }
  for (const auto& event : events)
    if (event.kind == event_kinds::meal && event.amount && event.unit == "g")
      h.meals.push_back({epoch_minutes(event.start), *event.amount});
  sort_by_minute(h.cgm);
  sort_by_minute(h.heart_rate);
  std::sort(h.meals.begin(), h.meals.end(), [](const auto& a, const auto& b) { return a.minute < b.minute; });
  merge_same_minute_meals(h.meals);
  if (!h.cgm.empty()) {
    Instant first = from_epoch_ms(std::int64_t(h.cgm.front().minute * 60000));
    h.utc_offset_minutes = double(std::chrono::duration_cast<std::chrono::minutes>(
                                      to_local(first, time_zone).time_since_epoch() - first.time_since_epoch())
                                      .count());
  }
  return out;
}

PersonGlucoseHistory gather_glucose_history(Store& store, const std::string& person,
                                            const std::optional<std::string>& sensor) {
  if (!store.find_person(person)) throw NotFound(fmt::format("no person named '{}' (see `medtwin persons`)", person));
  std::vector<Observation> observations;
  for (const auto& metric : {metrics::interstitial_glucose(), metrics::heart_rate()}) {
    auto some = store.observations(ObservationQuery{person, metric.code, {}});
    observations.insert(observations.end(), some.begin(), some.end());
  }
  auto events = store.events(EventQuery{person, std::string(event_kinds::meal), {}});
  auto zones = store.time_zones(person);
  std::string zone = "UTC";
  if (!observations.empty() && !zones.spans().empty()) zone = zones.zone_at(observations.front().start);
  auto out = glucose_history_from_records(observations, events, sensor, zone);
  if (out.history.cgm.empty())
    throw NotFound(fmt::format("person '{}' has no CGM readings{} (import a CGM export first)", person,
                               sensor ? " from sensor '" + *sensor + "'" : ""));
  return out;
}

}  // namespace medtwin

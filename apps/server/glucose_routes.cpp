#include "apps/server/glucose_routes.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <cmath>

#include "apps/server/request_values.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/twin/glucose_history.hpp"
#include "medtwin/twin/person_glucose_day.hpp"

namespace medtwin::server {
namespace {

using nlohmann::json;

std::int64_t minute_ms(double minute) { return std::llround(minute * 60000); }
std::string date_text(std::chrono::sys_days date) { return fmt::format("{:%F}", date); }

PersonGlucoseHistory history_of(Store& store, const PersonRecord& person, const std::optional<std::string>& sensor) {
  try {
    return gather_glucose_history(store, person.name, sensor);
  } catch (const NotFound&) {  // its message names the person
    throw ApiError(404, sensor ? "no CGM readings from this sensor" : "no CGM readings for this person yet");
  }
}

// The day asked for (its CGM must have readings), or the last day with readings.
GlucoseDay day_of(const PersonGlucoseHistory& history, const std::optional<std::string>& date_text) {
  const auto dates = glucose_dates(history);
  if (!date_text) return glucose_day(history, dates.back());
  const auto date = date_value(*date_text, "date");
  if (!std::binary_search(dates.begin(), dates.end(), date)) throw ApiError(404, "date: no CGM readings on that day");
  return glucose_day(history, date);
}

json readings_json(std::span<const metabolic::GlucoseReading> readings) {
  json t = json::array(), mg_dl = json::array();
  for (const auto& r : readings) {
    t.push_back(minute_ms(r.minute));
    mg_dl.push_back(r.mg_dl);
  }
  return {{"t_ms", std::move(t)}, {"mg_dl", std::move(mg_dl)}};
}

json meals_json(std::span<const metabolic::MealIntake> meals) {
  json out = json::array();
  for (const auto& m : meals) out.push_back({{"t_ms", minute_ms(m.minute)}, {"carbs_g", m.carbs_g}});
  return out;
}

json insulin_json(Store& store, const PersonRecord& person, const GlucoseDay& day) {
  const TimeRange range{from_epoch_ms(minute_ms(day.start)), from_epoch_ms(minute_ms(day.end))};
  json out = json::array();
  for (const auto& e : store.events({person.name, std::string(event_kinds::insulin), range})) {
    json dose = {{"t_ms", to_epoch_ms(e.start)}, {"display", e.code.display}};
    if (e.amount) dose.update({{"amount", *e.amount}, {"unit", e.unit}});
    out.push_back(std::move(dose));
  }
  return out;
}

json curve_json(const DayCurve& c) {
  json j = readings_json(c.curve);
  j.update({{"peak_mg_dl", c.peak_mg_dl},
            {"mean_mg_dl", c.outcomes.mean_mg_dl},
            {"time_in_range_percent", c.outcomes.time_in_range},
            {"time_above_180_percent", c.outcomes.time_above_180}});
  return j;
}

constexpr std::size_t kMaxAdded = 10;  // meals, and exercise bouts
constexpr double kMaxCarbsG = 500;
constexpr double kMaxExerciseMinutes = 600;
constexpr double kMinHeartRate = 30, kMaxHeartRate = 250;

// The list `key` of a what-if body (absent is empty; at most 10 entries),
// each read by `entry(item, "key[i]")`.
template <class Entry>
std::vector<Entry> added_list(const json& body, const std::string& key, auto&& entry) {
  if (!body.contains(key)) return {};
  const auto& list = body[key];
  if (!list.is_array() || list.size() > kMaxAdded) throw ApiError(400, fmt::format("{}: a list of at most {}", key, kMaxAdded));
  std::vector<Entry> out;
  for (std::size_t i = 0; i < list.size(); ++i) out.push_back(entry(list[i], fmt::format("{}[{}]", key, i)));
  return out;
}

// The local time of day of an entry's "time" (HH:MM) on the day, in minutes since the epoch.
double entry_minute(const json& entry, const std::string& where, const PersonGlucoseHistory& person, const GlucoseDay& day) {
  const auto time = entry.is_object() && entry.contains("time") && entry["time"].is_string()
                        ? parse_clock(entry["time"].get<std::string>())
                        : ClockTime{{}, ClockError::not_hh_mm};
  if (time.error != ClockError::none) throw ApiError(400, where + ".time: expected HH:MM");
  return local_minute(person, day.date, time.after_midnight);
}

// The entry's number `key`, above `low` and at most `high`.
double entry_number(const json& entry, const std::string& where, const std::string& key, double low, double high,
                    const char* what) {
  if (!entry.contains(key) || !entry[key].is_number() || !(entry[key].get<double>() > low) || entry[key].get<double>() > high)
    throw ApiError(400, fmt::format("{}.{}: {} above {:g} and at most {:g}", where, key, what, low, high));
  return entry[key].get<double>();
}

// The additions of a what-if body: "meals" ([{"time": "HH:MM", "carbs_g": G}])
// and "exercise" ([{"time", "minutes", "heart_rate_bpm"}]), at least one in all.
struct Additions {
  std::vector<metabolic::MealIntake> meals;
  std::vector<AddedExercise> exercise;
};

Additions additions(const json& body, const PersonGlucoseHistory& person, const GlucoseDay& day) {
  Additions out;
  out.meals = added_list<metabolic::MealIntake>(body, "meals", [&](const json& m, const std::string& where) {
    const double minute = entry_minute(m, where, person, day);
    return metabolic::MealIntake{minute, entry_number(m, where, "carbs_g", 0, kMaxCarbsG, "a number of grams")};
  });
  out.exercise = added_list<AddedExercise>(body, "exercise", [&](const json& e, const std::string& where) {
    const double minute = entry_minute(e, where, person, day);
    return AddedExercise{minute, entry_number(e, where, "minutes", 0, kMaxExerciseMinutes, "a number of minutes"),
                         entry_number(e, where, "heart_rate_bpm", kMinHeartRate, kMaxHeartRate, "beats per minute")};
  });
  if (out.meals.empty() && out.exercise.empty()) throw ApiError(400, "meals, exercise: add at least one meal or exercise");
  return out;
}

json exercise_json(std::span<const AddedExercise> exercise) {
  json out = json::array();
  for (const auto& e : exercise)
    out.push_back({{"t_ms", minute_ms(e.minute)}, {"minutes", e.minutes}, {"heart_rate_bpm", e.heart_rate_bpm}});
  return out;
}

json exercise_response_json(const PersonExercise& e) {
  json out = {{"resting_heart_rate_bpm", e.rest_bpm}, {"resting_heart_rate_measured", e.rest_measured}};
  if (!e.gain) return out;
  out["gain"] = {{"value", e.gain->gain},
                 {"low", e.gain->gain_low},
                 {"high", e.gain->gain_high},
                 {"bouts", e.gain->bouts},
                 {"rmse_mg_dl", e.gain->rmse}};
  return out;
}

}  // namespace

json glucose_day_view(ApiRequest& r) {
  const auto history = history_of(r.store, *r.person, r.query("sensor"));
  const auto day = day_of(history, r.query("date"));
  json dates = json::array();
  for (const auto& d : glucose_dates(history)) dates.push_back(date_text(d));
  return {{"sensor", history.sensor},
          {"date", date_text(day.date)},
          {"dates", std::move(dates)},
          {"start_ms", minute_ms(day.start)},
          {"end_ms", minute_ms(day.end)},
          {"readings", readings_json(day.readings)},
          {"meals", meals_json(day.meals)},
          {"insulin", insulin_json(r.store, *r.person, day)}};
}

// Checks the body and reads the record now (a bad day or sensor is a 4xx, not
// a failed job); the meal response is fitted and the day simulated on a job worker.
json start_glucose_what_if(ApiRequest& r) {
  const auto body = json_body(r);
  auto history = history_of(r.store, *r.person, text_field(body, "sensor"));
  const auto day = day_of(history, text_field(body, "date"));
  const auto added = additions(body, history, day);
  auto work = [history = std::move(history.history), sensor = history.sensor, day, added](Store&, JobProgress& progress) -> json {
    progress.report(0.1, "calibrating the meal response");
    const auto fit = metabolic::fit_meal_response(history, INFINITY);
    progress.report(0.8, added.exercise.empty() ? "simulating the day" : "fitting the exercise response; simulating the day");
    const auto what_if = meal_what_if(fit, history, day, added.meals, added.exercise);
    json result = {{"date", date_text(day.date)},
                   {"sensor", sensor},
                   {"fit",
                    {{"meals", fit.meals},
                     {"rmse_mg_dl", fit.rmse},
                     {"interval_80_low_mg_dl", fit.residual_low},
                     {"interval_80_high_mg_dl", fit.residual_high}}},
                   {"added_meals", meals_json(added.meals)},
                   {"added_exercise", exercise_json(added.exercise)},
                   {"as_logged", curve_json(what_if.as_logged)},
                   {"what_if", curve_json(what_if.what_if)},
                   {"what_if_band", {{"low_mg_dl", what_if.what_if_low}, {"high_mg_dl", what_if.what_if_high}}}};
    if (what_if.exercise) result["exercise_response"] = exercise_response_json(*what_if.exercise);
    return result;
  };
  const auto job = r.jobs.start(r.person->id, "glucose-what-if", std::move(work));
  if (!job) throw ApiError(503, "too many jobs are waiting; try again shortly");
  return job_json(*job);
}

}  // namespace medtwin::server

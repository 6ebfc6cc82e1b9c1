#include "medtwin/twin/glucose_scenario.hpp"

#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "medtwin/core/error.hpp"
#include "medtwin/core/time.hpp"
#include "medtwin/twin/json_reader.hpp"

namespace medtwin {
namespace {

using nlohmann::json;

constexpr int kMaxDays = metabolic::kMaxScenarioMinutes / 1440;
// Plausibility bounds on one entry, not physiology: beyond them an entry is a
// typo or in another unit (mU for U, mg for g).
constexpr double kMaxMealCarbs = 500;     // g
constexpr double kMaxBolus = 50;          // U
constexpr double kMaxBasalPerHour = 10;   // U/h

// "HH:MM" on day `day` (1-based) → minutes from the scenario's start.
int minute(const JsonReader& r, const json& event, const std::string& path) {
  if (!event.contains("time") || !event.at("time").is_string()) r.fail(JsonReader::join(path, "time"), "expected \"HH:MM\"");
  const std::string t = event.at("time").get<std::string>();
  const ClockTime clock = parse_clock(t);
  if (clock.error != ClockError::none) r.fail(JsonReader::join(path, "time"), "'" + t + "' is not a time of day HH:MM");
  int day = 1;
  if (event.contains("day")) {
    const json& d = event.at("day");
    if (!d.is_number_integer() || d.get<std::int64_t>() < 1 || d.get<std::int64_t>() > kMaxDays)
      r.fail(JsonReader::join(path, "day"), "expected a day number 1 … " + std::to_string(kMaxDays));
    day = static_cast<int>(d.get<std::int64_t>());
  }
  return (day - 1) * 1440 + static_cast<int>(clock.after_midnight.count());
}

// "sensor": "Dexcom" or {"name": "Dexcom", "seed": 1}; "pump": "Insulet".
void read_devices(const JsonReader& r, const json& root, GlucoseScenarioFile& out) {
  if (root.contains("sensor")) {
    const json& sensor = root["sensor"];
    ScenarioSensor chosen;
    if (sensor.is_string()) {
      chosen.name = r.text(root, "sensor", "");
    } else {
      r.only_keys(sensor, "sensor", {"name", "seed"});
      if (!sensor.contains("name")) r.fail("sensor", "missing name");
      chosen.name = r.text(sensor, "name", "sensor");
      if (sensor.contains("seed")) {
        const json& seed = sensor["seed"];
        if (!seed.is_number_integer() || seed.get<std::int64_t>() < 0 || seed.get<std::int64_t>() > 4294967295)
          r.fail("sensor.seed", "expected a whole number 0 … 4294967295");
        chosen.seed = static_cast<std::uint32_t>(seed.get<std::int64_t>());
      }
    }
    out.sensor = chosen;
    // simglucose's controller always boluses for meals: by the patient's own rule unless the file says otherwise.
    if (!root.contains("meal_boluses")) out.meal_boluses_from_patient = true;
    if (root.contains("boluses"))
      r.fail("boluses", "with a sensor, insulin comes from the basal-bolus controller: remove the boluses");
  }
  if (root.contains("pump")) {
    if (!out.sensor) r.fail("pump", "a pump is driven by the controller, which needs a sensor");
    out.pump = r.text(root, "pump", "");
  }
}

}  // namespace

GlucoseScenarioFile parse_glucose_scenario(std::string_view text, const std::string& file) {
  const JsonReader r(file);
  const json root = r.parse(text);
  r.only_keys(root, "",
              {"description", "duration_hours", "meals", "boluses", "basal_units_per_hour", "meal_boluses", "sensor", "pump"});
  GlucoseScenarioFile out;
  if (root.contains("description")) {
    if (!root["description"].is_string()) r.fail("description", "expected text");
    out.description = root["description"].get<std::string>();
  }
  if (root.contains("duration_hours")) {
    const double hours = r.number(root, "duration_hours", "");
    if (!(hours > 0 && hours <= 24 * kMaxDays)) r.fail("duration_hours", "expected 0 < hours ≤ 8784");
    out.scenario.minutes = static_cast<int>(std::lround(hours * 60));
  }
  const auto events = [&](const char* key, const char* amount_key, double most, auto add) {
    if (!root.contains(key)) return;
    if (!root[key].is_array()) r.fail(key, "expected a list");
    for (std::size_t i = 0; i < root[key].size(); ++i) {
      const std::string path = std::string(key) + "[" + std::to_string(i) + "]";
      const json& e = root[key][i];
      r.only_keys(e, path, {"time", "day", amount_key});
      const double amount = r.number(e, amount_key, path);
      if (!(amount > 0) || amount > most)
        r.fail(JsonReader::join(path, amount_key), "must be > 0 and at most " + std::to_string(static_cast<int>(most)));
      add(minute(r, e, path), amount);
    }
  };
  events("meals", "carbs_g", kMaxMealCarbs, [&](int m, double g) { out.scenario.meals.push_back({m, g}); });
  events("boluses", "units", kMaxBolus, [&](int m, double u) { out.scenario.boluses.push_back({m, u}); });
  if (root.contains("basal_units_per_hour")) {
    const double per_hour = r.number(root, "basal_units_per_hour", "");
    if (!(per_hour >= 0) || per_hour > kMaxBasalPerHour)
      r.fail("basal_units_per_hour", "must be >= 0 and at most " + std::to_string(static_cast<int>(kMaxBasalPerHour)));
    out.scenario.basal_u_per_min = per_hour / 60;
  }
  if (root.contains("meal_boluses")) {
    const json& rule = root["meal_boluses"];
    if (rule.is_boolean()) {
      out.meal_boluses_from_patient = rule.get<bool>();
    } else {
      r.only_keys(rule, "meal_boluses",
                  {"carb_ratio_g_per_unit", "correction_factor_mg_dl_per_unit", "target_mg_dl", "correct_above_mg_dl"});
      metabolic::MealBolusRule b;
      b.carb_ratio_g_per_u = r.number(rule, "carb_ratio_g_per_unit", "meal_boluses");
      b.correction_factor_mg_dl_per_u = r.number(rule, "correction_factor_mg_dl_per_unit", "meal_boluses");
      if (rule.contains("target_mg_dl")) b.target_mg_dl = r.number(rule, "target_mg_dl", "meal_boluses");
      if (rule.contains("correct_above_mg_dl")) b.correct_above_mg_dl = r.number(rule, "correct_above_mg_dl", "meal_boluses");
      out.scenario.meal_bolus = b;
    }
  }
  read_devices(r, root, out);
  try {
    metabolic::validate_scenario(out.scenario);
  } catch (const Error& e) {
    throw ParseError(file + ": " + e.what());
  }
  return out;
}

}  // namespace medtwin

// Glucose scenario files (docs/glucose.md): a JSON object of meals, boluses,
// basal insulin and the meal-bolus rule, turned into the metabolic module's
// T1dScenario. Every key is known or an error — a misspelt or differently
// unitised key ("basal_mU_per_min") fails loudly instead of being ignored.
//
//   {"duration_hours": 24,
//    "meals":   [{"time": "07:00", "carbs_g": 50}, {"day": 2, "time": "12:30", "carbs_g": 70}],
//    "boluses": [{"time": "22:00", "units": 1.5}],
//    "basal_units_per_hour": 0.8,           // default: the patient's steady-state basal
//    "meal_boluses": true,                  // or {"carb_ratio_g_per_unit": 12, "correction_factor_mg_dl_per_unit": 40}
//    "sensor": {"name": "Dexcom", "seed": 1},  // optional: CGM, pump and the basal-bolus controller
//    "pump": "Insulet"}
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "medtwin/metabolic/t1d_simulation.hpp"

namespace medtwin {

struct ScenarioSensor {
  std::string name;        // a row of sensor_params.csv: Dexcom, GuardianRT, Navigator
  std::uint32_t seed = 0;  // of its noise
};

struct GlucoseScenarioFile {
  std::string description;
  metabolic::T1dScenario scenario;  // meal_bolus set when the file gives the rule's numbers
  bool meal_boluses_from_patient = false;  // "meal_boluses": true: the patient's own carb ratio and correction factor
  // With a sensor the patient wears a CGM and a pump (default Insulet) and the
  // basal-bolus controller doses from the CGM (medtwin/metabolic/closed_loop.hpp).
  std::optional<ScenarioSensor> sensor;
  std::optional<std::string> pump;
};

// Throws ParseError naming the file and the JSON path ("meals[1].carbs_g") of
// the first problem; the scenario is validated (metabolic::validate_scenario).
// Per entry at most 500 g of carbohydrate, 50 U of bolus, 10 U/h of basal:
// beyond that an entry is a typo or in another unit.
GlucoseScenarioFile parse_glucose_scenario(std::string_view json, const std::string& file);

}  // namespace medtwin

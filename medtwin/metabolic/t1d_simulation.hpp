// A day (or several) of one UVA/Padova virtual patient (uva_padova.hpp) under
// a scenario of meals, boluses and basal insulin, minute by minute as
// simglucose's simulation loop, with an optional meal-bolus rule computed from
// the noise-free glucose of the meal minute with the Quest carb ratio and
// correction factor (the rule of the shared reference scenario,
// glucose/MANIFEST.txt — not simglucose's basal-bolus controller, which reads
// the noisy CGM and spreads a bolus over the sensor's sample time). Pure:
// scenario in, trajectory out.
#pragma once

#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "medtwin/metabolic/hovorka.hpp"
#include "medtwin/metabolic/uva_padova.hpp"

namespace medtwin::metabolic {

struct MealEvent {
  int minute = 0;      // from the scenario's start
  double carbs_g = 0;  // announced; eaten at UvaPadovaPatient::kEatRate
};

struct BolusEvent {
  int minute = 0;
  double units = 0;  // U, delivered within that minute
};

// At a meal: carbs/carb_ratio + (BG > correct_above)·(BG − target)/correction_factor units.
struct MealBolusRule {
  double carb_ratio_g_per_u = 0;            // CR, g/U
  double correction_factor_mg_dl_per_u = 0;  // CF, mg/dL per U
  double target_mg_dl = 140;
  double correct_above_mg_dl = 150;
};

inline constexpr int kMaxScenarioMinutes = 366 * 1440;

struct T1dScenario {
  int minutes = 1440;  // 1 … kMaxScenarioMinutes
  std::vector<MealEvent> meals;      // at most one per minute
  std::vector<BolusEvent> boluses;   // besides the meal boluses
  std::optional<double> basal_u_per_min;  // default: the patient's steady-state basal
  std::optional<MealBolusRule> meal_bolus;
};

// Row t: glucose at minute t, before that minute's inputs, and the inputs of
// minute t (carbohydrate announced, insulin rate); the last row (t = minutes)
// has no inputs.
struct T1dMinute {
  int minute = 0;
  double glucose_mg_dl = 0;     // subcutaneous ("BG" in simglucose)
  double carbs_announced_g = 0;
  double insulin_u_per_min = 0;
  double cgm_mg_dl = std::numeric_limits<double>::quiet_NaN();  // the sensor's reading at minute t; NaN without one
};

// Throws Error naming the event ("meals[2]", 0-based as in scenario files)
// for a minute outside [0, minutes), two meals in one minute, carbs or insulin
// that are not positive finite numbers, a negative basal, a duration beyond
// kMaxScenarioMinutes, or a bolus rule with a non-positive ratio or factor or
// a correction threshold below its target.
void validate_scenario(const T1dScenario& scenario);

std::vector<T1dMinute> simulate_t1d(const UvaPadovaParams& patient, const T1dScenario& scenario);

// The glucose, or the CGM, column of minute rows (for outcomes).
std::vector<double> glucose_values(std::span<const T1dMinute> rows);
std::vector<double> cgm_values(std::span<const T1dMinute> rows);

// The same on the Hovorka 2004 patient, starting at the steady state of
// `start_mg_dl`, whose basal insulin is the default basal; a meal is eaten
// within its minute.
std::vector<T1dMinute> simulate_hovorka(const HovorkaParams& patient, const T1dScenario& scenario,
                                        double start_mg_dl = 100);

}  // namespace medtwin::metabolic

#include "medtwin/metabolic/t1d_simulation.hpp"

#include <cmath>
#include <string>

#include "medtwin/core/error.hpp"

namespace medtwin::metabolic {
namespace {

void check_minute(int minute, int minutes, const std::string& what) {
  if (minute < 0 || minute >= minutes)
    throw Error(what + ": minute " + std::to_string(minute) + " is outside the scenario's 0.." +
                std::to_string(minutes - 1));
}

}  // namespace

void validate_scenario(const T1dScenario& s) {
  if (s.minutes < 1 || s.minutes > kMaxScenarioMinutes)
    throw Error("glucose scenario: the duration must be 1 minute to 366 days");
  std::vector<bool> meal_at(static_cast<std::size_t>(s.minutes), false);
  for (std::size_t i = 0; i < s.meals.size(); ++i) {
    const std::string what = "meals[" + std::to_string(i) + "]";
    check_minute(s.meals[i].minute, s.minutes, what);
    require_positive(s.meals[i].carbs_g, what + ": carbs (g)");
    if (meal_at[static_cast<std::size_t>(s.meals[i].minute)])
      throw Error(what + ": another meal is announced in the same minute; give their sum as one meal");
    meal_at[static_cast<std::size_t>(s.meals[i].minute)] = true;
  }
  for (std::size_t i = 0; i < s.boluses.size(); ++i) {
    const std::string what = "boluses[" + std::to_string(i) + "]";
    check_minute(s.boluses[i].minute, s.minutes, what);
    require_positive(s.boluses[i].units, what + ": insulin (U)");
  }
  if (s.basal_u_per_min && (!(*s.basal_u_per_min >= 0) || !std::isfinite(*s.basal_u_per_min)))
    throw Error("glucose scenario: basal insulin must be a number >= 0");
  if (s.meal_bolus) {
    const MealBolusRule& r = *s.meal_bolus;
    require_positive(r.carb_ratio_g_per_u, "meal bolus: carb ratio (g/U)");
    require_positive(r.correction_factor_mg_dl_per_u, "meal bolus: correction factor (mg/dL per U)");
    require_positive(r.target_mg_dl, "meal bolus: target (mg/dL)");
    if (!(r.correct_above_mg_dl >= r.target_mg_dl) || !std::isfinite(r.correct_above_mg_dl))
      throw Error("meal bolus: the correction threshold must be a number at or above the target");
  }
}

namespace {

// The scenario minute by minute on any patient with glucose_mg_dl() and step(carbs, insulin).
template <class Patient>
std::vector<T1dMinute> run_scenario(Patient& patient, const T1dScenario& s, double default_basal) {
  validate_scenario(s);
  const auto n = static_cast<std::size_t>(s.minutes);
  std::vector<double> carbs(n, 0), extra_units(n, 0);
  for (const MealEvent& m : s.meals) carbs[static_cast<std::size_t>(m.minute)] = m.carbs_g;
  for (const BolusEvent& b : s.boluses) extra_units[static_cast<std::size_t>(b.minute)] += b.units;
  const double basal = s.basal_u_per_min.value_or(default_basal);
  std::vector<T1dMinute> rows;
  rows.reserve(n + 1);
  for (std::size_t t = 0; t <= n; ++t) {
    T1dMinute row{static_cast<int>(t), patient.glucose_mg_dl(), 0, 0};
    if (t < n) {
      row.carbs_announced_g = carbs[t];
      row.insulin_u_per_min = basal + extra_units[t];
      if (s.meal_bolus && carbs[t] > 0) {
        const MealBolusRule& r = *s.meal_bolus;
        const double bg = row.glucose_mg_dl;
        row.insulin_u_per_min += carbs[t] / r.carb_ratio_g_per_u +
                                 (bg > r.correct_above_mg_dl ? (bg - r.target_mg_dl) / r.correction_factor_mg_dl_per_u : 0);
      }
      patient.step(row.carbs_announced_g, row.insulin_u_per_min);
    }
    rows.push_back(row);
  }
  return rows;
}

}  // namespace

std::vector<double> glucose_values(std::span<const T1dMinute> rows) {
  std::vector<double> g;
  for (const auto& r : rows) g.push_back(r.glucose_mg_dl);
  return g;
}

std::vector<double> cgm_values(std::span<const T1dMinute> rows) {
  std::vector<double> g;
  for (const auto& r : rows) g.push_back(r.cgm_mg_dl);
  return g;
}

std::vector<T1dMinute> simulate_t1d(const UvaPadovaParams& params, const T1dScenario& s) {
  UvaPadovaPatient patient(params);
  return run_scenario(patient, s, basal_insulin_u_per_min(params));
}

std::vector<T1dMinute> simulate_hovorka(const HovorkaParams& params, const T1dScenario& s, double start_mg_dl) {
  HovorkaPatient patient(params, start_mg_dl);
  return run_scenario(patient, s, hovorka_basal_u_per_min(params, start_mg_dl));
}

}  // namespace medtwin::metabolic

#include "medtwin/metabolic/closed_loop.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "medtwin/core/error.hpp"

namespace medtwin::metabolic {
namespace {

constexpr double kPmolPerUnit = 6000;

// Rounded to the increment (pmol/min; half to even, as numpy.round) and limited.
double pump_rate(double u_per_min, double increment, double low, double high) {
  double pmol = std::nearbyint(u_per_min * kPmolPerUnit / increment) * increment;
  return std::max(std::min(pmol / kPmolPerUnit, high), low);
}

// Bolus rate (U/min) for the next period after one with `carbs_g_per_min`.
double bolus_rate(const BasalBolusController& c, double carbs_g_per_min, double cgm, double period) {
  if (carbs_g_per_min <= 0 || !c.rule) return 0;
  const MealBolusRule& r = *c.rule;
  double units = carbs_g_per_min * period / r.carb_ratio_g_per_u +
                 (cgm > r.correct_above_mg_dl ? (cgm - r.target_mg_dl) / r.correction_factor_mg_dl_per_u : 0.0);
  return units / period;
}

}  // namespace

double pump_bolus_rate(const InsulinPumpParams& p, double u_per_min) {
  return pump_rate(u_per_min, p.inc_bolus, p.min_bolus, p.max_bolus);
}
double pump_basal_rate(const InsulinPumpParams& p, double u_per_min) {
  return pump_rate(u_per_min, p.inc_basal, p.min_basal, p.max_basal);
}

ClosedLoopRun simulate_closed_loop(const UvaPadovaParams& patient, const ClosedLoopSetup& setup,
                                   std::span<const MealEvent> meals, int minutes) {
  const double period = setup.sensor.sample_time;
  if (!(period >= 1) || period != std::floor(period)) throw Error("CGM sensor: the sample time must be whole minutes");
  T1dScenario check;
  check.minutes = minutes;
  check.meals.assign(meals.begin(), meals.end());
  check.meal_bolus = setup.controller.rule;
  validate_scenario(check);
  std::map<int, double> meal_at;
  for (const auto& m : meals) meal_at[m.minute] = m.carbs_g;

  UvaPadovaPatient body(patient);
  CgmSensor sensor(setup.sensor, setup.sensor_seed);
  ClosedLoopRun run;
  auto& rows = run.periods;
  rows.push_back({0, body.glucose_mg_dl(), sensor.measure(0, body.glucose_mg_dl()), 0, 0});
  // simglucose reads the sensor once more when its simulation resets: that
  // second start value is the one held through the first period.
  double held = sensor.measure(0, body.glucose_mg_dl());
  double basal = setup.controller.basal_u_per_min, bolus = 0;
  int t = 0;
  while (t < minutes) {
    ClosedLoopRow next;
    auto& current = rows.back();
    for (int k = 0; k < int(period); ++k, ++t) {  // whole periods, past `minutes` if need be, as simglucose
      auto meal = meal_at.find(t);
      double cho = meal == meal_at.end() ? 0 : meal->second;
      double insulin = pump_basal_rate(setup.pump, basal) + pump_bolus_rate(setup.pump, bolus);
      run.minutes.push_back({t, body.glucose_mg_dl(), cho, insulin, held});
      body.step(cho, insulin);
      double bg = body.glucose_mg_dl();
      held = sensor.measure(t + 1, bg);
      next.glucose_mg_dl += bg / period;
      next.cgm_mg_dl += held / period;
      current.carbs_g_per_min += cho / period;
      current.insulin_u_per_min += insulin / period;
    }
    next.minute = t;
    bolus = bolus_rate(setup.controller, current.carbs_g_per_min, next.cgm_mg_dl, period);
    rows.push_back(next);
  }
  run.minutes.push_back({t, body.glucose_mg_dl(), 0, 0, held});
  return run;
}

}  // namespace medtwin::metabolic

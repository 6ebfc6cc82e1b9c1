// The UVA/Padova type 1 diabetes simulator: the glucose–insulin model of Dalla
// Man, Rizza & Cobelli 2007 (IEEE Trans Biomed Eng 54:1740–1749) with the
// subcutaneous insulin and glucose compartments of Kovatchev et al. 2009 (J
// Diabetes Sci Technol 3:44–55), written to behave exactly as the open
// simglucose simulator's T1DPatient (github.com/jxx123/simglucose) so that
// results are comparable minute by minute:
//  - 13 states in simglucose's order and units (mg/kg, pmol/kg, …);
//  - meals announced in grams are eaten at 5 g/min, and the nonlinear gastric
//    emptying uses the amount in the stomach when the meal began plus what has
//    been eaten since (simglucose's "Dbar");
//  - compartments that must not go negative stop changing once below zero;
//  - carbohydrate and insulin inputs are held constant over each minute.
// Pure: parameters in, trajectories out. Model card:
// docs/models/uva_padova.md.
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "medtwin/core/dopri5.hpp"

namespace medtwin::metabolic {

inline constexpr std::size_t kUvaPadovaStates = 13;
using UvaPadovaState = std::array<double, kUvaPadovaStates>;

// State indices (simglucose x0 … x12).
namespace uva {
enum Index : std::size_t {
  qsto1,  // solid glucose in the stomach, mg
  qsto2,  // liquid glucose in the stomach, mg
  qgut,   // glucose in the intestine, mg
  gp,     // plasma glucose, mg/kg
  gt,     // tissue glucose, mg/kg
  ip,     // plasma insulin, pmol/kg
  x,      // insulin action on glucose utilisation, pmol/L
  i1,     // delayed insulin signal (first compartment), pmol/L
  id,     // delayed insulin acting on production, pmol/L
  il,     // liver insulin, pmol/kg
  isc1,   // subcutaneous insulin, non-monomeric, pmol/kg
  isc2,   // subcutaneous insulin, monomeric, pmol/kg
  gs,     // subcutaneous glucose, mg/kg
};
}  // namespace uva

// One virtual patient's parameters, with simglucose's names (vpatient_params.csv).
struct UvaPadovaParams {
  std::string name;
  double bw = 0;     // body weight, kg
  double kabs = 0;   // intestinal absorption rate, 1/min
  double kmax = 0;   // maximal gastric emptying rate, 1/min
  double kmin = 0;   // minimal gastric emptying rate, 1/min
  double b = 0;      // fraction of the meal at which emptying falls to half (descending), dimensionless
  double d = 0;      // fraction at which it rises back (ascending), dimensionless
  double f = 0;      // fraction of intestinal glucose that appears in plasma
  double vg = 0;     // glucose distribution volume, dL/kg
  double vi = 0;     // insulin distribution volume, L/kg
  double k1 = 0, k2 = 0;  // plasma ↔ tissue glucose rates, 1/min
  double vm0 = 0, vmx = 0, km0 = 0;  // insulin-dependent utilisation: mg/kg/min, mg/kg/min per pmol/L, mg/kg
  double p2u = 0;    // rate of insulin action on utilisation, 1/min
  double ib = 0;     // basal plasma insulin, pmol/L
  double kp1 = 0, kp2 = 0, kp3 = 0;  // endogenous production: mg/kg/min, 1/min, mg/kg/min per pmol/L
  double ki = 0;     // delay of insulin action on production, 1/min
  double fsnc = 0;   // insulin-independent utilisation, mg/kg/min
  double ke1 = 0, ke2 = 0;  // renal excretion: 1/min, mg/kg threshold
  double m1 = 0, m2 = 0, m4 = 0, m30 = 0;  // insulin kinetics, 1/min
  double ka1 = 0, ka2 = 0, kd = 0;  // subcutaneous insulin absorption and dissociation, 1/min
  double ksc = 0;    // plasma → subcutaneous glucose rate, 1/min
  double u2ss = 0;   // basal insulin infusion at steady state, pmol/kg/min
  UvaPadovaState x0{};  // basal steady state (x0_1 … x0_13)
};

// From a row of simglucose's vpatient_params.csv, by column name (x0_ 1 …
// x0_13 for the state). Throws Error naming the patient and the first missing
// or non-finite column, or a non-positive body weight or volume.
UvaPadovaParams uva_padova_params(std::string_view name, const std::map<std::string, double, std::less<>>& columns);

// Basal insulin (U/min) that keeps the patient at steady state: u2ss·BW/6000.
double basal_insulin_u_per_min(const UvaPadovaParams& p);

// What the gastric emptying depends on besides the state (simglucose's
// _last_Qsto and _last_foodtaken).
struct MealMemory {
  double stomach_at_meal_start_mg = 0;  // qsto1 + qsto2 when the current (or last) meal began
  double eaten_since_g = 0;             // carbohydrate eaten since then, g
};

// dx/dt (per minute) for carbohydrate eaten at cho_g_per_min and insulin at
// insulin_u_per_min (U/min).
void uva_padova_rhs(const UvaPadovaParams& p, const UvaPadovaState& x, double cho_g_per_min, double insulin_u_per_min,
                    const MealMemory& meal, UvaPadovaState& dxdt);

// One patient advanced minute by minute, as simglucose's T1DPatient.step:
// each minute is one Dormand–Prince integration (core/dopri5.hpp) with
// scipy's dopri5 defaults (rtol 1e-6, atol 1e-12), starting from the step the
// previous minute predicted, so the steps, and their errors, are simglucose's own.
class UvaPadovaPatient {
 public:
  explicit UvaPadovaPatient(UvaPadovaParams params, Dopri5Options integration = {});

  // One minute with `announced_cho_g` grams newly announced (added to what is
  // still to be eaten; eaten at kEatRate g/min) and insulin at
  // insulin_u_per_min (U/min) over the minute. Throws Error on a negative or
  // non-finite input.
  void step(double announced_cho_g, double insulin_u_per_min);

  // Subcutaneous glucose Gs/Vg, mg/dL: simglucose's "BG" observation.
  double glucose_mg_dl() const { return state_[uva::gs] / params_.vg; }
  // Plasma glucose Gp/Vg, mg/dL.
  double plasma_glucose_mg_dl() const { return state_[uva::gp] / params_.vg; }
  const UvaPadovaState& state() const { return state_; }
  const UvaPadovaParams& params() const { return params_; }
  double minutes() const { return minutes_; }
  double cho_still_to_eat_g() const { return planned_g_; }
  long rhs_evaluations() const { return rhs_evaluations_; }

  static constexpr double kEatRate = 5;  // g/min (simglucose EAT_RATE)

 private:
  UvaPadovaParams params_;
  Dopri5Options integration_;
  UvaPadovaState state_;
  MealMemory meal_;
  double planned_g_ = 0;          // announced, not yet eaten
  double last_eaten_g_ = 0;       // eaten in the previous minute
  bool eating_ = false;
  double minutes_ = 0;
  double step_ = 0;  // the integrator's next step, min; 0: estimate it (the first minute)
  long rhs_evaluations_ = 0;
};

}  // namespace medtwin::metabolic

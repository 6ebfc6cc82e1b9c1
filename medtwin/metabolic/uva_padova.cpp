#include "medtwin/metabolic/uva_padova.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "medtwin/core/error.hpp"

namespace medtwin::metabolic {
namespace {

// U/min of insulin → pmol/kg/min (1 U = 6000 pmol).
double insulin_pmol_per_kg(double u_per_min, double bw) { return u_per_min * 6000 / bw; }

// Nonlinear gastric emptying (Dalla Man 2006, as simglucose evaluates it):
// kmax while the stomach holds no meal to refer to, else falling from kmax to
// kmin as the stomach empties past b·Dbar and recovering past d·Dbar, where
// Dbar (mg) is the stomach's content at the meal's start plus what was eaten since.
double gastric_emptying(const UvaPadovaParams& p, double stomach_mg, const MealMemory& meal) {
  const double dbar = meal.stomach_at_meal_start_mg + meal.eaten_since_g * 1000;
  if (!(dbar > 0)) return p.kmax;
  const double alpha = 5 / (2 * dbar * (1 - p.b));
  const double beta = 5 / (2 * dbar * p.d);
  return p.kmin + (p.kmax - p.kmin) / 2 *
                      (std::tanh(alpha * (stomach_mg - p.b * dbar)) - std::tanh(beta * (stomach_mg - p.d * dbar)) + 2);
}

// The state's derivative, held at zero once a compartment that must stay
// non-negative has gone below zero (simglucose's guard).
double unless_negative(double state, double derivative) { return state >= 0 ? derivative : 0; }

}  // namespace

UvaPadovaParams uva_padova_params(std::string_view name, const std::map<std::string, double, std::less<>>& columns) {
  UvaPadovaParams p;
  p.name = std::string(name);
  auto get = [&](std::string_view column) {
    const auto it = columns.find(column);
    if (it == columns.end() || !std::isfinite(it->second))
      throw Error("UVA/Padova patient '" + p.name + "': column " + std::string(column) + " is missing or not a number");
    return it->second;
  };
  const std::pair<const char*, double UvaPadovaParams::*> fields[] = {
      {"BW", &UvaPadovaParams::bw},     {"kabs", &UvaPadovaParams::kabs}, {"kmax", &UvaPadovaParams::kmax},
      {"kmin", &UvaPadovaParams::kmin}, {"b", &UvaPadovaParams::b},       {"d", &UvaPadovaParams::d},
      {"f", &UvaPadovaParams::f},       {"Vg", &UvaPadovaParams::vg},     {"Vi", &UvaPadovaParams::vi},
      {"k1", &UvaPadovaParams::k1},     {"k2", &UvaPadovaParams::k2},     {"Vm0", &UvaPadovaParams::vm0},
      {"Vmx", &UvaPadovaParams::vmx},   {"Km0", &UvaPadovaParams::km0},   {"p2u", &UvaPadovaParams::p2u},
      {"Ib", &UvaPadovaParams::ib},     {"kp1", &UvaPadovaParams::kp1},   {"kp2", &UvaPadovaParams::kp2},
      {"kp3", &UvaPadovaParams::kp3},   {"ki", &UvaPadovaParams::ki},     {"Fsnc", &UvaPadovaParams::fsnc},
      {"ke1", &UvaPadovaParams::ke1},   {"ke2", &UvaPadovaParams::ke2},   {"m1", &UvaPadovaParams::m1},
      {"m2", &UvaPadovaParams::m2},     {"m4", &UvaPadovaParams::m4},     {"m30", &UvaPadovaParams::m30},
      {"ka1", &UvaPadovaParams::ka1},   {"ka2", &UvaPadovaParams::ka2},   {"kd", &UvaPadovaParams::kd},
      {"ksc", &UvaPadovaParams::ksc},   {"u2ss", &UvaPadovaParams::u2ss}};
  for (const auto& [column, field] : fields) p.*field = get(column);
  for (std::size_t k = 0; k < kUvaPadovaStates; ++k)  // simglucose pads one-digit indices with a space: "x0_ 1"
    p.x0[k] = get((k < 9 ? "x0_ " : "x0_") + std::to_string(k + 1));
  const std::string who = "UVA/Padova patient '" + p.name + "': ";
  require_positive(p.bw, who + "body weight BW");
  require_positive(p.vg, who + "glucose volume Vg");
  require_positive(p.vi, who + "insulin volume Vi");
  return p;
}

double basal_insulin_u_per_min(const UvaPadovaParams& p) { return p.u2ss * p.bw / 6000; }

void uva_padova_rhs(const UvaPadovaParams& p, const UvaPadovaState& x, double cho_g_per_min, double insulin_u_per_min,
                    const MealMemory& meal, UvaPadovaState& dxdt) {
  using namespace uva;
  // Meal: stomach (solid → liquid), intestine, rate of appearance in plasma.
  const double kgut = gastric_emptying(p, x[qsto1] + x[qsto2], meal);
  dxdt[qsto1] = -p.kmax * x[qsto1] + cho_g_per_min * 1000;
  dxdt[qsto2] = p.kmax * x[qsto1] - kgut * x[qsto2];
  dxdt[qgut] = kgut * x[qsto2] - p.kabs * x[qgut];
  const double ra = p.f * p.kabs * x[qgut] / p.bw;  // mg/kg/min
  // Glucose: endogenous production (never negative), utilisation, renal excretion.
  const double egp = std::max(p.kp1 - p.kp2 * x[gp] - p.kp3 * x[id], 0.0);
  const double renal = x[gp] > p.ke2 ? p.ke1 * (x[gp] - p.ke2) : 0;
  dxdt[gp] = unless_negative(x[gp], egp + ra - p.fsnc - renal - p.k1 * x[gp] + p.k2 * x[gt]);
  const double uid = (p.vm0 + p.vmx * x[uva::x]) * x[gt] / (p.km0 + x[gt]);
  dxdt[gt] = unless_negative(x[gt], -uid + p.k1 * x[gp] - p.k2 * x[gt]);
  // Insulin: plasma, its actions on utilisation and (delayed) production, liver, subcutaneous depot.
  dxdt[ip] = unless_negative(x[ip], -(p.m2 + p.m4) * x[ip] + p.m1 * x[il] + p.ka1 * x[isc1] + p.ka2 * x[isc2]);
  const double plasma_insulin = x[ip] / p.vi;  // pmol/L
  dxdt[uva::x] = -p.p2u * x[uva::x] + p.p2u * (plasma_insulin - p.ib);
  dxdt[i1] = -p.ki * (x[i1] - plasma_insulin);
  dxdt[id] = -p.ki * (x[id] - x[i1]);
  dxdt[il] = unless_negative(x[il], -(p.m1 + p.m30) * x[il] + p.m2 * x[ip]);
  dxdt[isc1] = unless_negative(x[isc1], insulin_pmol_per_kg(insulin_u_per_min, p.bw) - (p.ka1 + p.kd) * x[isc1]);
  dxdt[isc2] = unless_negative(x[isc2], p.kd * x[isc1] - p.ka2 * x[isc2]);
  // Subcutaneous glucose follows plasma glucose.
  dxdt[gs] = unless_negative(x[gs], -p.ksc * x[gs] + p.ksc * x[gp]);
}

UvaPadovaPatient::UvaPadovaPatient(UvaPadovaParams params, Dopri5Options integration)
    : params_(std::move(params)), integration_(integration), state_(params_.x0) {
  if (!(integration.atol > 0) || !(integration.rtol > 0)) throw Error("UVA/Padova: tolerances must be positive");
  meal_.stomach_at_meal_start_mg = state_[uva::qsto1] + state_[uva::qsto2];
}

void UvaPadovaPatient::step(double announced_cho_g, double insulin_u_per_min) {
  if (!(announced_cho_g >= 0) || !std::isfinite(announced_cho_g))
    throw Error("UVA/Padova: carbohydrate must be a number of grams >= 0, got " + std::to_string(announced_cho_g));
  if (!(insulin_u_per_min >= 0) || !std::isfinite(insulin_u_per_min))
    throw Error("UVA/Padova: insulin must be a rate in U/min >= 0, got " + std::to_string(insulin_u_per_min));
  // Eating at kEatRate, and the meal memory of the gastric emptying (simglucose's T1DPatient.step).
  planned_g_ += announced_cho_g;
  const double eaten = std::min(kEatRate, planned_g_);
  planned_g_ = std::max(0.0, planned_g_ - kEatRate);
  if (eaten > 0 && last_eaten_g_ <= 0) {
    meal_ = {state_[uva::qsto1] + state_[uva::qsto2], 0};
    eating_ = true;
  }
  if (eating_) meal_.eaten_since_g += eaten;
  if (eaten <= 0 && last_eaten_g_ > 0) eating_ = false;
  last_eaten_g_ = eaten;

  const auto system = [&](double, const UvaPadovaState& x, UvaPadovaState& dxdt) {
    uva_padova_rhs(params_, x, eaten, insulin_u_per_min, meal_, dxdt);
  };
  try {
    rhs_evaluations_ += dopri5_integrate(system, minutes_, minutes_ + 1, state_, step_, integration_);
  } catch (const Error& e) {
    throw Error("UVA/Padova patient '" + params_.name + "', minute " + std::to_string(static_cast<long>(minutes_)) +
                ": " + e.what() + " (an implausible input, e.g. insulin in the wrong unit?)");
  }
  minutes_ += 1;
}

}  // namespace medtwin::metabolic

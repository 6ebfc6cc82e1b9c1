#include "medtwin/metabolic/hovorka.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "medtwin/core/dopri5.hpp"
#include "medtwin/core/error.hpp"

namespace medtwin::metabolic {
namespace {

enum Index { d1, d2, s1, s2, ins, x1, x2, x3, q1, q2 };
constexpr double kMuPerUnit = 1000;       // mU per U
constexpr double kRenalThreshold = 9;     // mmol/L (Hovorka 2004)
constexpr double kRenalRate = 0.003;      // 1/min
constexpr double kF01Threshold = 4.5;     // mmol/L: below, non-insulin-dependent flux falls with G
constexpr double kLowestBasalMgDl = 30, kHighestBasalMgDl = 160;

double f01c(const HovorkaParams& p, double g) { return p.f01 * p.bw * std::min(1.0, g / kF01Threshold); }
double renal(const HovorkaParams& p, double g) {
  return g > kRenalThreshold ? kRenalRate * (g - kRenalThreshold) * p.vg * p.bw : 0.0;
}

// dQ1/dt at a steady state with plasma insulin `i` and glucose `g` (mmol/L): zero at the basal insulin.
double glucose_balance(const HovorkaParams& p, double i, double g) {
  const double a1 = p.sit * i, a2 = p.sid * i, a3 = p.sie * i;
  const double qa = g * p.vg * p.bw, qb = a1 * qa / (p.k12 + a2);
  return -f01c(p, g) - a1 * qa + p.k12 * qb - renal(p, g) + p.egp0 * p.bw * std::max(0.0, 1 - a3);
}

// Plasma insulin (mU/L) holding glucose `g`: the balance falls with insulin, so bisect.
double basal_insulin_level(const HovorkaParams& p, double g) {
  double low = 0, high = 1;
  if (glucose_balance(p, low, g) <= 0) throw Error("Hovorka: no insulin level holds this glucose (too low)");
  while (glucose_balance(p, high, g) > 0) {
    high *= 2;
    if (high > 1e6) throw Error("Hovorka: no insulin level holds this glucose");
  }
  for (int k = 0; k < 200 && high - low > 1e-14 * high; ++k) {
    const double mid = (low + high) / 2;
    (glucose_balance(p, mid, g) > 0 ? low : high) = mid;
  }
  return (low + high) / 2;
}

double checked_glucose_mmol(double glucose_mg_dl) {
  if (!(glucose_mg_dl >= kLowestBasalMgDl && glucose_mg_dl <= kHighestBasalMgDl))
    throw Error(fmt::format("Hovorka: a steady state needs glucose between {} and {} mg/dL", kLowestBasalMgDl,
                            kHighestBasalMgDl));
  return glucose_mg_dl / kMgDlPerMmolL;
}

}  // namespace

double hovorka_basal_u_per_min(const HovorkaParams& p, double glucose_mg_dl) {
  const double i = basal_insulin_level(p, checked_glucose_mmol(glucose_mg_dl));
  return p.ke * i * p.vi * p.bw / kMuPerUnit;  // UI = ke·I·VI·BW at steady state, and UI = u
}

HovorkaState hovorka_steady_state(const HovorkaParams& p, double glucose_mg_dl) {
  const double g = checked_glucose_mmol(glucose_mg_dl);
  const double i = basal_insulin_level(p, g);
  const double u = p.ke * i * p.vi * p.bw;  // mU/min
  HovorkaState x{};
  x[s1] = x[s2] = u * p.tmax_i;
  x[ins] = i;
  x[x1] = p.sit * i, x[x2] = p.sid * i, x[x3] = p.sie * i;
  x[q1] = g * p.vg * p.bw;
  x[q2] = x[x1] * x[q1] / (p.k12 + x[x2]);
  return x;
}

void hovorka_rhs(const HovorkaParams& p, const HovorkaState& x, double carbs_g_per_min, double insulin_u_per_min,
                 HovorkaState& dxdt) {
  const double g = x[q1] / (p.vg * p.bw);
  const double ug = x[d2] / p.tmax_g, ui = x[s2] / p.tmax_i;
  dxdt[d1] = p.ag * carbs_g_per_min * kMmolPerGramGlucose - x[d1] / p.tmax_g;
  dxdt[d2] = (x[d1] - x[d2]) / p.tmax_g;
  dxdt[s1] = insulin_u_per_min * kMuPerUnit - x[s1] / p.tmax_i;
  dxdt[s2] = (x[s1] - x[s2]) / p.tmax_i;
  dxdt[ins] = ui / (p.vi * p.bw) - p.ke * x[ins];
  dxdt[x1] = p.ka1 * (p.sit * x[ins] - x[x1]);
  dxdt[x2] = p.ka2 * (p.sid * x[ins] - x[x2]);
  dxdt[x3] = p.ka3 * (p.sie * x[ins] - x[x3]);
  dxdt[q1] = -f01c(p, g) - x[x1] * x[q1] + p.k12 * x[q2] - renal(p, g) + ug + p.egp0 * p.bw * std::max(0.0, 1 - x[x3]);
  dxdt[q2] = x[x1] * x[q1] - (p.k12 + x[x2]) * x[q2];
}

HovorkaPatient::HovorkaPatient(const HovorkaParams& params, double initial_glucose_mg_dl)
    : params_(params), state_(hovorka_steady_state(params, initial_glucose_mg_dl)) {}

void HovorkaPatient::step(double carbs_g, double insulin_u_per_min) {
  if (!(carbs_g >= 0) || !std::isfinite(carbs_g)) throw Error("Hovorka: carbohydrate must be a number of grams >= 0");
  if (!(insulin_u_per_min >= 0) || !std::isfinite(insulin_u_per_min))
    throw Error("Hovorka: insulin must be a rate in U/min >= 0");
  const auto system = [&](double, const HovorkaState& x, HovorkaState& dxdt) {
    hovorka_rhs(params_, x, carbs_g, insulin_u_per_min, dxdt);
  };
  Dopri5Options options;
  options.rtol = 1e-8;
  options.atol = 1e-10;
  try {
    dopri5_integrate(system, minutes_, minutes_ + 1, state_, step_, options);
  } catch (const Error& e) {
    throw Error(fmt::format("Hovorka patient, minute {}: {}", static_cast<long>(minutes_), e.what()));
  }
  for (double& v : state_) v = std::max(v, 0.0);  // amounts and actions cannot fall below zero
  minutes_ += 1;
}

}  // namespace medtwin::metabolic

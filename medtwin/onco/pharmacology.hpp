// Drug exposure and effect for chemotherapy on a tumour model.
// Pharmacokinetics: first-order absorption into a central compartment, with an
// optional peripheral one (linear, so doses superpose; solved exactly by the
// matrix exponential):
//   dA_gut/dt = −ka·A_gut
//   dA_c/dt   = F·ka·A_gut − (CL + Q)/Vc·A_c + Q/Vp·A_p
//   dA_p/dt   = Q/Vc·A_c − Q/Vp·A_p,          C = A_c / Vc.
// Pharmacodynamics: the share of maximal effect by the Hill (Emax) curve
// E(C) = Cʰ/(EC50ʰ + Cʰ); two drugs combine by Bliss independence
// (E = Ea + Eb − Ea·Eb), Loewe additivity, or Greco's universal response surface
// (Greco, Park & Rustum 1990, Cancer Res 50:5318), which is Loewe at α = 0:
//   1 = a/(EC50a·(E/(1−E))^(1/ha)) + b/(EC50b·(E/(1−E))^(1/hb))
//       + α·a·b/(EC50a·EC50b·(E/(1−E))^(1/(2ha) + 1/(2hb))),   α > 0 synergy.
// The kill rate of a population is its maximal rate times the effect.
// Pure; card docs/models/chemotherapy.md.
#pragma once

#include <string>
#include <vector>

namespace medtwin::onco {

struct Pharmacokinetics {
  double absorption_per_h = 0;      // ka (1/h); 0 = intravenous bolus into the central compartment
  double bioavailability = 1;       // F
  double clearance_l_per_h = 0;     // CL
  double central_volume_l = 0;      // Vc
  double intercompartmental_l_per_h = 0;  // Q; 0 = one compartment
  double peripheral_volume_l = 0;   // Vp
};

struct DrugDose {
  double day = 0;
  double amount_mg = 0;
};

// Plasma concentration (mg/L) on a grid: `from_day` + i·`step_days` up to
// `to_day`. Throws Error on invalid parameters, doses or grid.
std::vector<double> concentration_profile(const Pharmacokinetics& pk, const std::vector<DrugDose>& doses,
                                          double from_day, double to_day, double step_days);

struct HillCurve {
  double ec50_mg_per_l = 1;
  double hill = 1;
  double effect(double concentration) const;  // in [0, 1)
};

enum class Interaction { bliss, loewe, greco };

// The combined share of maximal effect of concentrations `a` and `b`. `alpha`
// is Greco's interaction parameter (ignored otherwise). Throws Error when the
// Greco equation has no solution below full effect (strong antagonism).
double combined_effect(Interaction rule, const HillCurve& drug_a, double a, const HillCurve& drug_b, double b,
                       double alpha = 0);

Interaction interaction_from_string(const std::string& name);
const char* to_string(Interaction rule);

}  // namespace medtwin::onco

// Chemotherapy as a cell-kill rate on the tumour model. Each drug's plasma
// concentration (pharmacology.hpp) reaches the tumour as a share of it; the
// drugs' Hill curves combine into one share of the maximal kill rate (Bliss,
// Loewe or Greco). Resistance: a second population whose concentrations act as
// if `resistance_fold` times lower (its EC50s that many times higher).
// Temozolomide in the Stupp schedule (Stupp et al. 2005, N Engl J Med
// 352:987): 75 mg/m² daily through radiotherapy, then 4 weeks later six
// cycles of days 1–5 every 28 days, 150 mg/m² in the first, 200 mg/m² after.
// Pure; card docs/models/chemotherapy.md.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "medtwin/onco/pharmacology.hpp"

namespace medtwin::onco {

struct Drug {
  std::string name;
  Pharmacokinetics pk;
  HillCurve curve;              // on the concentration reaching the tumour
  double tumour_share = 1;      // tumour (or CSF) over plasma exposure
};

struct DrugCourse {
  Drug drug;
  std::vector<DrugDose> doses;
};

struct Chemotherapy {
  std::vector<DrugCourse> drugs;  // one or two
  Interaction interaction = Interaction::bliss;
  double greco_alpha = 0;
  double max_kill_per_day = 0;    // at full effect
  double resistance_fold = 10;    // the resistant population's EC50 multiplier
  double resistant_share = 0;     // of the cells when treatment starts; 0 = one population
};

// Temozolomide: population PK (see the card for sources) and the Hill curve.
Drug temozolomide();

// The Stupp doses in mg for a body surface area (m²), radiotherapy from
// `radiotherapy_first_day` to `radiotherapy_last_day`. `adjuvant_cycles` 0–6.
std::vector<DrugDose> stupp_temozolomide(double radiotherapy_first_day, double radiotherapy_last_day,
                                         double body_surface_m2, int adjuvant_cycles = 6);

// The cumulative kill −log(survival) of each population from `from_day`,
// tabulated every `step_days` to `to_day` and linear between.
struct CellKill {
  double from_day = 0, step_days = 1;
  std::vector<double> sensitive, resistant;
  double sensitive_between(double day0, double day1) const;
  double resistant_between(double day0, double day1) const;
};

// Throws Error on more than two drugs, none, or invalid parameters.
CellKill cell_kill(const Chemotherapy& chemo, double from_day, double to_day, double step_days = 1.0 / 96);

}  // namespace medtwin::onco

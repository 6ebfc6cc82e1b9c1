// A candidate treatment plan for a tumour twin (docs/formats/tumour_plan.md):
// radiotherapy by name or phases, temozolomide in the Stupp schedule, other
// drugs with their PK/PD and doses, how drugs combine, and resistance. Days
// count from the plan's start. Every key is known or an error.
//
//   {"name": "Stupp", "start_after_days": 14,
//    "radiotherapy": "standard",        // or "hypofractionated", or {"phases": [{"fractions": 30,
//                                       //   "dose_gy": 2, "target": "T2", "margin_mm": 20}]}
//    "alpha_per_gy": 0.05,              // default: from the twin's ρ (docs/models/proliferation_invasion.md)
//    "temozolomide": {"adjuvant_cycles": 6},
//    "max_kill_per_day": 0.6, "resistant_share": 0.01, "resistance_fold": 10,
//    "follow_up_days": 365}
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "medtwin/onco/chemotherapy.hpp"
#include "medtwin/onco/radiotherapy.hpp"
#include "medtwin/onco/spherical_course.hpp"

namespace medtwin {

struct PlanDrug {
  onco::Drug drug;
  std::vector<onco::DrugDose> doses;  // days from the plan's start
};

struct TumourPlan {
  std::string name;
  double start_after_days = 14;  // after the last calibration visit
  std::optional<onco::RadiotherapyPlan> radiotherapy;
  std::optional<double> alpha_per_gy;
  double alpha_beta_gy = 10;
  std::optional<int> temozolomide_adjuvant_cycles;  // set: temozolomide in the Stupp schedule
  std::vector<PlanDrug> drugs;
  onco::Interaction interaction = onco::Interaction::bliss;
  double greco_alpha = 0;
  // Required with drugs other than temozolomide; none: the twin's fitted temozolomide kill.
  std::optional<double> max_kill_per_day;
  double resistant_share = 0;
  double resistance_fold = 10;
  double follow_up_days = 365;

  bool has_drugs() const { return temozolomide_adjuvant_cycles.has_value() || !drugs.empty(); }
};

// Throws ParseError naming the file and the JSON path of the first problem.
TumourPlan parse_tumour_plan(std::string_view json, const std::string& file);

// The plan as the onco module runs it, starting on `start_day`: radiotherapy
// with `alpha_per_gy` unless the plan sets α, and drug doses (temozolomide by
// body surface) killing at most the plan's rate, else at
// `temozolomide_max_kill` when temozolomide is the plan's only drug. Throws
// Error when a drug needs a body surface area and there is none, the maximal
// kill is unknown, or temozolomide's Stupp schedule has no radiotherapy to follow.
onco::Treatment plan_treatment(const TumourPlan& plan, double start_day, double alpha_per_gy,
                               std::optional<double> body_surface_m2, std::optional<double> temozolomide_max_kill);

// The last day of treatment (radiotherapy or drug), from the plan's start day.
double plan_treatment_end(const TumourPlan& plan, double start_day);

}  // namespace medtwin

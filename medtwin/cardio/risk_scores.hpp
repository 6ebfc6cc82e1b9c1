// Published cardiovascular risk equations, as pure functions of a person's
// clinical values:
//  - Pooled Cohort Equations, 10-year risk of a first hard ASCVD event
//    (Goff et al. 2013 ACC/AHA Guideline on the Assessment of Cardiovascular
//    Risk, Circulation 129(25 Suppl 2):S49–S73; J Am Coll Cardiol 63:2935–2959);
//  - CHARGE-AF, 5-year risk of incident atrial fibrillation, simple model
//    (Alonso et al. 2013, J Am Heart Assoc 2:e000102);
//  - PCP-HF, 10-year risk of incident heart failure (Khan et al. 2019,
//    "10-Year Risk Equations for Incident Heart Failure in the General
//    Population", J Am Coll Cardiol 73:2388–2397).
// All three are Cox models: risk = 1 − S₀^exp(Σβx − mean Σβx).
//
// Unknown inputs are std::nullopt. A score never invents one: when an input
// its equation needs is missing, the result has no risk and names the missing
// inputs (by the input struct's field names), so a caller can ask for them.
// Values outside the range an equation was derived on are not refused and not
// clamped: the risk is computed and each such value is named in
// `outside_derivation`, so no extrapolation is silent. Values no person can
// have (not finite, or ≤ 0 where the equation takes a logarithm or a
// measurement must be positive) throw medtwin::Error naming the field.
// Cost: O(1) per call. Model cards: docs/models/pooled_cohort_equations.md,
// docs/models/charge_af.md, docs/models/pcp_hf.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "medtwin/core/records.hpp"

namespace medtwin::cardio {

// Self-reported race, as the equations were derived on it. The PCE and PCP-HF
// have separate white and African-American equations; CHARGE-AF has a "white"
// term.
enum class Race { unknown, white, african_american, other };

// What every score returns.
struct RiskResult {
  // Probability of the event within horizon_years, 0..1; empty if inputs are missing.
  std::optional<double> risk;
  // Σ βᵢxᵢ of the equation used (not centred); empty if inputs are missing.
  std::optional<double> linear_predictor;
  // Field names of the needed inputs that were not given.
  std::vector<std::string> missing;
  // One sentence per input outside the range or population the equation was derived on.
  std::vector<std::string> outside_derivation;
  std::string equation;     // the coefficient set used, e.g. "white women"; empty if not selected
  double horizon_years = 0;  // 10 for PCE and PCP-HF, 5 for CHARGE-AF
};

// Pooled Cohort Equations. Derived on ages 40–79; the ACC/AHA risk estimator
// accepts TC 130–320 mg/dL, HDL 20–100 mg/dL, SBP 90–200 mmHg. Race::other
// uses the white equations, as the guideline advises (flagged).
struct PooledCohortInput {
  Sex sex = Sex::unknown;                         // female or male; unknown/other → missing
  Race race = Race::unknown;
  std::optional<double> age_years;                // y
  std::optional<double> total_cholesterol_mg_dl;  // mg/dL (from mmol/L: core convert_cholesterol)
  std::optional<double> hdl_cholesterol_mg_dl;    // mg/dL
  std::optional<double> systolic_bp_mmhg;         // mmHg
  std::optional<bool> treated_hypertension;       // on blood-pressure-lowering medication
  std::optional<bool> current_smoker;
  std::optional<bool> diabetes;
};
RiskResult pooled_cohort_ascvd_10y(const PooledCohortInput& in);

// CHARGE-AF simple model. Derived on ages 46–94, white and African-American
// participants; "white" is the equation's race term, so Race::african_american
// and Race::other both enter as not white (other is flagged).
struct ChargeAfInput {
  Race race = Race::unknown;
  std::optional<double> age_years;          // y
  std::optional<double> height_cm;          // cm
  std::optional<double> weight_kg;          // kg
  std::optional<double> systolic_bp_mmhg;   // mmHg
  std::optional<double> diastolic_bp_mmhg;  // mmHg
  std::optional<bool> current_smoker;
  std::optional<bool> antihypertensive_medication;
  std::optional<bool> diabetes;
  std::optional<bool> heart_failure;          // history of
  std::optional<bool> myocardial_infarction;  // history of
};
RiskResult charge_af_5y(const ChargeAfInput& in);

// PCP-HF. Derived on ages 30–79 in white and African-American participants
// free of cardiovascular disease; Race::other uses the white equations
// (flagged). Only the inputs the selected equation uses are required: e.g. the
// white-women equation has no total-cholesterol term.
struct PcpHfInput {
  Sex sex = Sex::unknown;
  Race race = Race::unknown;
  std::optional<double> age_years;                // y
  std::optional<double> systolic_bp_mmhg;         // mmHg
  std::optional<bool> treated_hypertension;       // on blood-pressure-lowering medication
  std::optional<double> fasting_glucose_mg_dl;    // mg/dL (from mmol/L: core convert_glucose)
  std::optional<bool> treated_glucose;            // on glucose-lowering medication
  std::optional<double> total_cholesterol_mg_dl;  // mg/dL
  std::optional<double> hdl_cholesterol_mg_dl;    // mg/dL
  std::optional<double> bmi_kg_m2;                // kg/m²
  std::optional<bool> current_smoker;
  std::optional<double> qrs_duration_ms;  // ms, resting ECG; Intervals::qrs_ms of a median beat (delineate.hpp) fits
};
RiskResult pcp_hf_10y(const PcpHfInput& in);

}  // namespace medtwin::cardio

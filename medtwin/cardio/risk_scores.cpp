#include "medtwin/cardio/risk_scores.hpp"

#include <fmt/format.h>

#include <cmath>
#include <tuple>
#include <utility>

#include "medtwin/core/error.hpp"

namespace medtwin::cardio {
namespace {

// ---------------------------------------------------------------------------
// Fixed parameters.

// Pooled Cohort Equations: Goff et al. 2013, the table "Equation parameters of
// the Pooled Cohort Equations for estimation of 10-year risk of hard ASCVD"
// (Table A of the Risk Assessment Work Group report; the same numbers in the
// JACC publication, 63:2935–2959). Terms absent from a group's equation are 0.
struct PceCoefficients {
  const char* name;
  double ln_age, ln_age_sq, ln_tc, ln_age_ln_tc, ln_hdl, ln_age_ln_hdl;
  double ln_treated_sbp, ln_age_ln_treated_sbp, ln_untreated_sbp, ln_age_ln_untreated_sbp;
  double smoker, ln_age_smoker, diabetes;
  double mean_sum;           // "Mean (Coefficient × Value)" of the derivation sample
  double baseline_survival;  // S₀(10 y)
};
constexpr PceCoefficients pce_white_women{"white women", -29.799, 4.884, 13.540, -3.114, -13.578, 3.149,
                                          2.019, 0, 1.957, 0, 7.574, -1.665, 0.661, -29.18, 0.9665};
constexpr PceCoefficients pce_african_american_women{"African-American women", 17.114, 0, 0.940, 0, -18.920, 4.475,
                                                     29.291, -6.432, 27.820, -6.087, 0.691, 0, 0.874, 86.61, 0.9533};
constexpr PceCoefficients pce_white_men{"white men", 12.344, 0, 11.853, -2.664, -7.990, 1.769,
                                        1.797, 0, 1.764, 0, 7.837, -1.795, 0.658, 61.18, 0.9144};
constexpr PceCoefficients pce_african_american_men{"African-American men", 2.469, 0, 0.302, 0, -0.307, 0,
                                                   1.916, 0, 1.809, 0, 0.549, 0, 0.645, 19.54, 0.8954};
// Ranges: ages 40–79 (Goff et al. 2013, derivation cohorts); TC, HDL and SBP
// as the ACC/AHA ASCVD Risk Estimator accepts them.
constexpr double pce_age_min = 40, pce_age_max = 79;         // y
constexpr double pce_tc_min = 130, pce_tc_max = 320;         // mg/dL
constexpr double pce_hdl_min = 20, pce_hdl_max = 100;        // mg/dL
constexpr double pce_sbp_min = 90, pce_sbp_max = 200;        // mmHg

// CHARGE-AF simple model: Alonso et al. 2013, table of the simple model's
// β coefficients (per the units named), and the 5-year risk formula in the
// text: 1 − 0.9718412736^exp(Σβx − 12.58156).
struct ChargeAfCoefficients {
  double age_per_5y = 0.508;
  double white = 0.465;
  double height_per_10cm = 0.248;
  double weight_per_15kg = 0.115;
  double sbp_per_20mmhg = 0.197;
  double dbp_per_10mmhg = -0.101;
  double smoker = 0.359;
  double antihypertensive = 0.349;
  double diabetes = 0.237;
  double heart_failure = 0.701;
  double myocardial_infarction = 0.496;
  double mean_sum = 12.58156;
  double baseline_survival = 0.9718412736;  // S₀(5 y)
};
constexpr ChargeAfCoefficients charge_af{};
constexpr double charge_af_age_min = 46, charge_af_age_max = 94;  // y, derivation cohorts (Alonso et al. 2013)

// PCP-HF: Khan et al. 2019, race- and sex-specific coefficients, mean
// coefficient × value and 10-year baseline survival. Not read from the
// paper's table itself: transcribed from two independent public
// implementations that agree except in two white-men digits (see
// docs/models/pcp_hf.md). Terms absent from a group's equation are 0.
struct PcpHfCoefficients {
  const char* name;
  double ln_age, ln_age_sq;
  double ln_treated_sbp, ln_age_ln_treated_sbp, ln_untreated_sbp, ln_age_ln_untreated_sbp;
  double smoker, ln_age_smoker;
  double ln_treated_glucose, ln_untreated_glucose;
  double ln_tc, ln_hdl, ln_bmi, ln_age_ln_bmi, ln_qrs;
  double mean_sum;
  double baseline_survival;  // S₀(10 y)
};
constexpr PcpHfCoefficients pcp_white_men{"white men", 41.94101, -0.88115, 1.03508, 0, 0.91252, 0, 0.73839, 0,
                                          0.90072, 0.77805, 0.49323, -0.43686, 37.21577, -8.83278, 0.63224,
                                          171.59, 0.98752};
constexpr PcpHfCoefficients pcp_white_women{"white women", 20.54973, 0, 12.94937, -2.96923, 11.86273, -2.72538,
                                            11.01752, -2.50777, 1.04503, 0.91807, 0, -0.07455, 1.32948, 0, 1.06089,
                                            99.7321, 0.99348};
constexpr PcpHfCoefficients pcp_african_american_men{"African-American men", 2.88334, 0, 2.31106, 0, 2.17229, 0,
                                                     1.65337, -0.24665, 0.64704, 0.57891, 0, -0.80691, 1.16289, 0,
                                                     0.72646, 28.7369, 0.98295};
constexpr PcpHfCoefficients pcp_african_american_women{"African-American women", 51.75667, 0, 28.97791, -6.59777,
                                                       28.18530, -6.42425, 0.76532, 0, 0.96695, 0.79561, 0.32646,
                                                       0, 21.24763, -5.00068, 1.27475, 233.978, 0.99260};
constexpr double pcp_age_min = 30, pcp_age_max = 79;  // y, derivation cohorts (Khan et al. 2019)

// ---------------------------------------------------------------------------

// Cox model risk at the horizon the baseline survival belongs to.
double cox_risk(double linear_predictor, double mean_sum, double baseline_survival) {
  return 1 - std::pow(baseline_survival, std::exp(linear_predictor - mean_sum));
}

// Collects what is missing and what lies outside the derivation ranges while
// the inputs of one score are read.
class InputCheck {
 public:
  InputCheck(const char* score, RiskResult& result) : score_(score), result_(result) {}

  template <typename T>
  void require(const std::optional<T>& value, const char* field) {
    if (!value) result_.missing.emplace_back(field);
  }

  // Impossible values are errors, whatever else is missing.
  void positive(const std::optional<double>& value, const char* field) const {
    if (value && !(std::isfinite(*value) && *value > 0))
      throw Error(fmt::format("{}: {} must be a positive finite number, got {}", score_, field, *value));
  }

  void range(const std::optional<double>& value, const char* field, double lo, double hi, const char* unit) {
    if (value && (*value < lo || *value > hi))
      flag(fmt::format("{} {:g} {} is outside {:g}–{:g} {}, the range the equation is validated for", field, *value,
                       unit, lo, hi, unit));
  }

  void flag(std::string sentence) { result_.outside_derivation.push_back(std::move(sentence)); }

 private:
  const char* score_;
  RiskResult& result_;
};

template <typename Coefficients>
const Coefficients* select(Sex sex, Race race, const Coefficients& white_women, const Coefficients& aa_women,
                           const Coefficients& white_men, const Coefficients& aa_men) {
  if (race == Race::unknown) return nullptr;
  const bool african_american = race == Race::african_american;
  if (sex == Sex::female) return african_american ? &aa_women : &white_women;
  if (sex == Sex::male) return african_american ? &aa_men : &white_men;
  return nullptr;
}

void require_sex_and_race(Sex sex, Race race, RiskResult& result) {
  if (sex != Sex::female && sex != Sex::male) result.missing.emplace_back("sex");
  if (race == Race::unknown) result.missing.emplace_back("race");
}

double indicator(bool b) { return b ? 1 : 0; }

}  // namespace

RiskResult pooled_cohort_ascvd_10y(const PooledCohortInput& in) {
  RiskResult result;
  result.horizon_years = 10;
  InputCheck check("Pooled Cohort Equations", result);
  for (auto [value, field] : {std::pair{&in.age_years, "age_years"},
                              {&in.total_cholesterol_mg_dl, "total_cholesterol_mg_dl"},
                              {&in.hdl_cholesterol_mg_dl, "hdl_cholesterol_mg_dl"},
                              {&in.systolic_bp_mmhg, "systolic_bp_mmhg"}}) {
    check.positive(*value, field);
    check.require(*value, field);
  }
  require_sex_and_race(in.sex, in.race, result);
  check.require(in.treated_hypertension, "treated_hypertension");
  check.require(in.current_smoker, "current_smoker");
  check.require(in.diabetes, "diabetes");
  if (!result.missing.empty()) return result;

  check.range(in.age_years, "age_years", pce_age_min, pce_age_max, "y");
  check.range(in.total_cholesterol_mg_dl, "total_cholesterol_mg_dl", pce_tc_min, pce_tc_max, "mg/dL");
  check.range(in.hdl_cholesterol_mg_dl, "hdl_cholesterol_mg_dl", pce_hdl_min, pce_hdl_max, "mg/dL");
  check.range(in.systolic_bp_mmhg, "systolic_bp_mmhg", pce_sbp_min, pce_sbp_max, "mmHg");
  if (in.race == Race::other)
    check.flag("race: the guideline's white equations are used for races other than white and African American; "
               "they may over- or underestimate risk there");

  const PceCoefficients& c = *select(in.sex, in.race, pce_white_women, pce_african_american_women, pce_white_men,
                                     pce_african_american_men);
  const double ln_age = std::log(*in.age_years);
  const double ln_tc = std::log(*in.total_cholesterol_mg_dl);
  const double ln_hdl = std::log(*in.hdl_cholesterol_mg_dl);
  const double ln_sbp = std::log(*in.systolic_bp_mmhg);
  const double smoker = indicator(*in.current_smoker);
  const double sbp_terms = *in.treated_hypertension
                               ? (c.ln_treated_sbp + c.ln_age_ln_treated_sbp * ln_age) * ln_sbp
                               : (c.ln_untreated_sbp + c.ln_age_ln_untreated_sbp * ln_age) * ln_sbp;
  const double lp = c.ln_age * ln_age + c.ln_age_sq * ln_age * ln_age + (c.ln_tc + c.ln_age_ln_tc * ln_age) * ln_tc +
                    (c.ln_hdl + c.ln_age_ln_hdl * ln_age) * ln_hdl + sbp_terms +
                    (c.smoker + c.ln_age_smoker * ln_age) * smoker + c.diabetes * indicator(*in.diabetes);
  result.equation = c.name;
  result.linear_predictor = lp;
  result.risk = cox_risk(lp, c.mean_sum, c.baseline_survival);
  return result;
}

RiskResult charge_af_5y(const ChargeAfInput& in) {
  RiskResult result;
  result.horizon_years = 5;
  InputCheck check("CHARGE-AF", result);
  for (auto [value, field] : {std::pair{&in.age_years, "age_years"},
                              {&in.height_cm, "height_cm"},
                              {&in.weight_kg, "weight_kg"},
                              {&in.systolic_bp_mmhg, "systolic_bp_mmhg"},
                              {&in.diastolic_bp_mmhg, "diastolic_bp_mmhg"}}) {
    check.positive(*value, field);
    check.require(*value, field);
  }
  if (in.race == Race::unknown) result.missing.emplace_back("race");
  for (auto [value, field] : {std::pair{&in.current_smoker, "current_smoker"},
                              {&in.antihypertensive_medication, "antihypertensive_medication"},
                              {&in.diabetes, "diabetes"},
                              {&in.heart_failure, "heart_failure"},
                              {&in.myocardial_infarction, "myocardial_infarction"}})
    check.require(*value, field);
  if (!result.missing.empty()) return result;

  check.range(in.age_years, "age_years", charge_af_age_min, charge_af_age_max, "y");
  if (in.race == Race::other)
    check.flag("race: the equation was derived on white and African-American participants; other races enter as "
               "not white");

  const ChargeAfCoefficients& c = charge_af;
  const double lp = c.age_per_5y * *in.age_years / 5 + c.white * indicator(in.race == Race::white) +
                    c.height_per_10cm * *in.height_cm / 10 + c.weight_per_15kg * *in.weight_kg / 15 +
                    c.sbp_per_20mmhg * *in.systolic_bp_mmhg / 20 + c.dbp_per_10mmhg * *in.diastolic_bp_mmhg / 10 +
                    c.smoker * indicator(*in.current_smoker) +
                    c.antihypertensive * indicator(*in.antihypertensive_medication) +
                    c.diabetes * indicator(*in.diabetes) + c.heart_failure * indicator(*in.heart_failure) +
                    c.myocardial_infarction * indicator(*in.myocardial_infarction);
  result.equation = "simple model";
  result.linear_predictor = lp;
  result.risk = cox_risk(lp, c.mean_sum, c.baseline_survival);
  return result;
}

RiskResult pcp_hf_10y(const PcpHfInput& in) {
  RiskResult result;
  result.horizon_years = 10;
  InputCheck check("PCP-HF", result);
  require_sex_and_race(in.sex, in.race, result);
  const PcpHfCoefficients* selected = select(in.sex, in.race, pcp_white_women, pcp_african_american_women,
                                             pcp_white_men, pcp_african_american_men);
  // Cholesterol terms are absent from some equations; until the equation is
  // known, both are needed.
  const bool needs_tc = !selected || selected->ln_tc != 0;
  const bool needs_hdl = !selected || selected->ln_hdl != 0;
  for (auto [value, field, needed] : {std::tuple{&in.age_years, "age_years", true},
                                      {&in.systolic_bp_mmhg, "systolic_bp_mmhg", true},
                                      {&in.fasting_glucose_mg_dl, "fasting_glucose_mg_dl", true},
                                      {&in.total_cholesterol_mg_dl, "total_cholesterol_mg_dl", needs_tc},
                                      {&in.hdl_cholesterol_mg_dl, "hdl_cholesterol_mg_dl", needs_hdl},
                                      {&in.bmi_kg_m2, "bmi_kg_m2", true},
                                      {&in.qrs_duration_ms, "qrs_duration_ms", true}}) {
    check.positive(*value, field);
    if (needed) check.require(*value, field);
  }
  check.require(in.treated_hypertension, "treated_hypertension");
  check.require(in.treated_glucose, "treated_glucose");
  check.require(in.current_smoker, "current_smoker");
  if (!result.missing.empty()) return result;

  check.range(in.age_years, "age_years", pcp_age_min, pcp_age_max, "y");
  if (in.race == Race::other)
    check.flag("race: derived on white and African-American participants only; the white equations are used");

  const PcpHfCoefficients& c = *selected;
  const double ln_age = std::log(*in.age_years);
  const double ln_sbp = std::log(*in.systolic_bp_mmhg);
  const double ln_glucose = std::log(*in.fasting_glucose_mg_dl);
  const double ln_bmi = std::log(*in.bmi_kg_m2);
  const double smoker = indicator(*in.current_smoker);
  const double sbp_terms = *in.treated_hypertension
                               ? (c.ln_treated_sbp + c.ln_age_ln_treated_sbp * ln_age) * ln_sbp
                               : (c.ln_untreated_sbp + c.ln_age_ln_untreated_sbp * ln_age) * ln_sbp;
  const double glucose_term = (*in.treated_glucose ? c.ln_treated_glucose : c.ln_untreated_glucose) * ln_glucose;
  // A term whose coefficient is 0 contributes nothing, and its input may be absent.
  const double tc_term = c.ln_tc != 0 ? c.ln_tc * std::log(*in.total_cholesterol_mg_dl) : 0;
  const double hdl_term = c.ln_hdl != 0 ? c.ln_hdl * std::log(*in.hdl_cholesterol_mg_dl) : 0;
  const double lp = c.ln_age * ln_age + c.ln_age_sq * ln_age * ln_age + sbp_terms +
                    (c.smoker + c.ln_age_smoker * ln_age) * smoker + glucose_term + tc_term + hdl_term +
                    (c.ln_bmi + c.ln_age_ln_bmi * ln_age) * ln_bmi + c.ln_qrs * std::log(*in.qrs_duration_ms);
  result.equation = c.name;
  result.linear_predictor = lp;
  result.risk = cox_risk(lp, c.mean_sum, c.baseline_survival);
  return result;
}

}  // namespace medtwin::cardio

// The inputs of the cardiovascular risk scores (medtwin/cardio/risk_scores.hpp:
// Pooled Cohort Equations, CHARGE-AF, PCP-HF) taken from one person's twin, each
// with where it came from, and the scores computed from them. Which records are
// read, the code lists and the look-back windows: docs/risk.md.
//
// Numbers are the latest value of a metric within a look-back window before the
// as-of time; yes/no inputs come from smoking-status observations, condition
// and medication events. When the person has condition (medication) records
// but none matches, the input is "no", marked `assumed`: a problem list
// (medication list) that does not name diabetes is read as "no diabetes". With
// no such records at all the input stays missing. Race is never stored: it
// comes from the caller. Cost: one store query per metric and event kind; O(n)
// in the person's records of those kinds.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "medtwin/cardio/risk_scores.hpp"
#include "medtwin/store/store.hpp"

namespace medtwin {

// Look-back windows (docs/risk.md): blood pressure, weight, BMI and smoking
// status change within months; a lipid panel or glucose is reassessed every 4–6
// years in adults at low risk (2019 ACC/AHA Guideline on the Primary Prevention
// of Cardiovascular Disease, Arnett et al., Circulation 2019;140:e596, risk assessment),
// so labs and the ECG's QRS duration are taken up to 5 years back. Adult
// height is taken whenever it was measured.
inline constexpr std::chrono::days kVitalsLookBack{730};  // 2 years
inline constexpr std::chrono::days kLabLookBack{1826};    // 5 years
// Insulin doses (events of kind insulin) this recent mean glucose-lowering treatment.
inline constexpr std::chrono::days kInsulinLookBack{90};

// One input value: a number (in `unit`), a yes/no, or a category ("female", "white").
using RiskValue = std::variant<double, bool, std::string>;

struct RiskInput {
  RiskValue value;
  std::string unit;    // as people read it ("mg/dL", "y"); empty for yes/no and categories
  std::string source;  // "observation 2024-03-01, LOINC 2093-3 (lab)", "condition 44054006 …", "command line"
  bool assumed = false;            // "no" read from the absence of a matching record
  bool from_command_line = false;  // given by the caller, overriding what is stored
};

// What replaced a stored value.
struct RiskOverride {
  std::string field;
  RiskInput stored;
};

// Inputs by field name: sex, race, age_years, total_cholesterol_mg_dl,
// hdl_cholesterol_mg_dl, systolic_bp_mmhg, diastolic_bp_mmhg,
// fasting_glucose_mg_dl, height_cm, weight_kg, bmi_kg_m2, qrs_duration_ms,
// current_smoker, treated_hypertension, treated_glucose, diabetes,
// heart_failure, myocardial_infarction (the names of the cardio input structs;
// CHARGE-AF's antihypertensive_medication is treated_hypertension here).
struct RiskInputs {
  std::string person;
  Instant as_of{};
  std::map<std::string, RiskInput, std::less<>> values;
  std::vector<RiskOverride> overridden;
  std::vector<std::string> notes;  // records seen but not used, and why
};

// What the caller knows better than the store; unset fields keep the stored value.
struct RiskOverrides {
  std::optional<cardio::Race> race;
  std::optional<bool> current_smoker, treated_hypertension, treated_glucose, diabetes, heart_failure,
      myocardial_infarction;
};

// The inputs from records already read: the person, their observations of the
// metrics below and their condition, medication and insulin events (any
// order; records after `as_of` are ignored). Pure: no store.
RiskInputs risk_inputs_from_records(const PersonRecord& person, const std::vector<Observation>& observations,
                                    const std::vector<Event>& events, Instant as_of);

// Reads only `person`'s records (throws NotFound naming `medtwin persons` for
// an unknown person) and calls risk_inputs_from_records.
RiskInputs gather_risk_inputs(Store& store, const std::string& person, Instant as_of);

// Sets the given values with source "command line"; a stored value they
// replace is kept in `overridden`.
void apply_overrides(RiskInputs& inputs, const RiskOverrides& overrides);

// One score with the inputs its equation takes.
struct RiskScore {
  std::string id;       // "pce", "charge_af", "pcp_hf"
  std::string name;     // "Pooled Cohort Equations"
  std::string outcome;  // "first hard ASCVD event"
  cardio::RiskResult result;
  std::vector<std::pair<std::string, RiskInput>> inputs;  // by the equation's field names, those known
  std::string error;  // an impossible stored value (e.g. HDL 0): the score is not computed
};

std::vector<RiskScore> risk_scores(const RiskInputs& inputs);

// For people: a field's name ("HDL cholesterol"), and the option or record that supplies it.
std::string_view risk_input_label(std::string_view field);
std::string_view risk_input_supply(std::string_view field);

std::string_view to_string(cardio::Race race);  // "white", "african-american", "other", "unknown"

}  // namespace medtwin

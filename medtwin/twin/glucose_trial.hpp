// In-silico trials of glucose scenarios on the UVA/Padova virtual patients:
// each scenario file is an arm, run on every patient of a cohort (in parallel),
// open loop or, when the scenario names a sensor, through pump and basal-bolus
// controller; or on a virtual cohort sampled around one person's calibrated
// meal response. Outcomes per patient and summarised by arm, with each arm's
// paired difference from the first.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "medtwin/metabolic/closed_loop.hpp"
#include "medtwin/metabolic/glucose_outcomes.hpp"
#include "medtwin/metabolic/meal_response.hpp"
#include "medtwin/twin/glucose_scenario.hpp"
#include "medtwin/twin/virtual_patients.hpp"

namespace medtwin {

// A scenario with its sensor and pump read from the tables in `tables`
// (NotFound for an unknown name), ready to run on any patient.
struct GlucoseArm {
  std::string name;  // shown in the table (the file's name)
  GlucoseScenarioFile scenario;
  std::optional<metabolic::CgmSensorParams> sensor;
  std::optional<metabolic::InsulinPumpParams> pump;
};
GlucoseArm resolve_arm(std::string name, GlucoseScenarioFile scenario, const std::filesystem::path& tables);

// The arm on one patient (meal boluses from the patient's own carb ratio and
// correction factor when the file asks for them): open loop, or with its
// sensor through pump and controller. Minute rows as metabolic::simulate_t1d.
std::vector<metabolic::T1dMinute> simulate_glucose_arm(const VirtualPatient& patient, const GlucoseArm& arm);

// The patients of `cohort`: "all", "adults", "adolescents", "children", or
// names separated by commas (blanks around them ignored). Throws NotFound
// naming an unknown patient, ParseError for an empty or repeated name.
std::vector<VirtualPatient> select_cohort(const std::vector<VirtualPatient>& patients, const std::string& cohort);

// Mean, SD (NaN for one patient), median and quartiles of one outcome over the cohort.
struct OutcomeSummary {
  double mean = 0, sd = 0, median = 0, q1 = 0, q3 = 0;
};
// Mean paired difference from the first arm with its 95 % interval
// (mean ± t(0.975, n−1)·SD/√n of the per-patient differences; NaN when n < 2).
struct PairedDifference {
  double mean = 0, low = 0, high = 0;
};

// The outcomes a trial table reports, in its order.
struct TrialOutcome {
  const char* name;
  double metabolic::GlucoseOutcomes::*field;
};
const std::vector<TrialOutcome>& trial_outcomes();

struct TrialResult {
  std::vector<std::string> arms;
  std::vector<std::string> patients;
  std::vector<std::vector<metabolic::GlucoseOutcomes>> outcomes;  // [arm][patient], of the model's glucose
  std::vector<std::vector<OutcomeSummary>> summaries;             // [arm][trial_outcomes() index]
  std::vector<std::vector<PairedDifference>> differences;         // [arm][outcome], arm 0 against itself: zeros
};

TrialResult run_glucose_trial(const std::vector<GlucoseArm>& arms, const std::vector<VirtualPatient>& cohort,
                              int threads);

// A trial on a person's own meal response: each arm's meals (its insulin and
// devices unused) from basal glucose at minute 0, on `samples` parameter sets
// drawn from the person's calibration (metabolic::sample_meal_responses); the
// "patients" are the samples.
TrialResult run_person_meal_trial(const metabolic::MealResponseFit& fit, const std::vector<GlucoseArm>& arms,
                                  int samples, std::uint32_t seed);

}  // namespace medtwin

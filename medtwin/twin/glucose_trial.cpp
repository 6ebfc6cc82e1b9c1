#include "medtwin/twin/glucose_trial.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>

#include "medtwin/core/error.hpp"
#include "medtwin/core/parallel.hpp"
#include "medtwin/core/stats.hpp"
#include "medtwin/metabolic/closed_loop.hpp"
#include "medtwin/twin/person_glucose_day.hpp"

namespace medtwin {
namespace {

// Student's t 97.5 % quantiles for 1–30 degrees of freedom (standard tables);
// beyond, the Cornish–Fisher expansion about the normal quantile.
double t_quantile_975(std::size_t dof) {
  static constexpr double kTable[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                      2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                      2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  if (dof >= 1 && dof <= std::size(kTable)) return kTable[dof - 1];
  const double z = 1.959964, v = double(dof);
  return z + (z * z * z + z) / (4 * v) + (5 * std::pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * v * v);
}

OutcomeSummary summarise(const std::vector<double>& values) {
  return {*mean(values), values.size() > 1 ? *standard_deviation(values) : NAN, *median(values),
          *quantile(values, 0.25), *quantile(values, 0.75)};
}

PairedDifference paired(const std::vector<double>& arm, const std::vector<double>& first) {
  std::vector<double> d(arm.size());
  for (std::size_t i = 0; i < arm.size(); ++i) d[i] = arm[i] - first[i];
  const double m = *mean(d);
  if (d.size() < 2) return {m, NAN, NAN};
  const double half = t_quantile_975(d.size() - 1) * *standard_deviation(d) / std::sqrt(double(d.size()));
  return {m, m - half, m + half};
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

bool in_group(const std::string& name, const std::string& group) {
  const std::string prefix = group == "adults" ? "adult#" : group == "adolescents" ? "adolescent#" : "child#";
  return name.rfind(prefix, 0) == 0;
}

}  // namespace

GlucoseArm resolve_arm(std::string name, GlucoseScenarioFile scenario, const std::filesystem::path& tables) {
  GlucoseArm arm{std::move(name), std::move(scenario), {}, {}};
  if (arm.scenario.sensor) {
    arm.sensor = load_cgm_sensor(tables, arm.scenario.sensor->name);
    arm.pump = load_insulin_pump(tables, arm.scenario.pump.value_or("Insulet"));
  }
  return arm;
}

std::vector<metabolic::T1dMinute> simulate_glucose_arm(const VirtualPatient& patient, const GlucoseArm& arm) {
  metabolic::T1dScenario scenario = arm.scenario.scenario;
  if (arm.scenario.meal_boluses_from_patient)
    scenario.meal_bolus = metabolic::MealBolusRule{patient.carb_ratio_g_per_u, patient.correction_factor_mg_dl_per_u};
  if (!arm.sensor) return metabolic::simulate_t1d(patient.params, scenario);
  metabolic::ClosedLoopSetup setup;
  setup.sensor = *arm.sensor;
  setup.sensor_seed = arm.scenario.sensor->seed;
  setup.pump = *arm.pump;
  setup.controller.basal_u_per_min = scenario.basal_u_per_min.value_or(metabolic::basal_insulin_u_per_min(patient.params));
  setup.controller.rule = scenario.meal_bolus;
  return metabolic::simulate_closed_loop(patient.params, setup, scenario.meals, scenario.minutes).minutes;
}

std::vector<VirtualPatient> select_cohort(const std::vector<VirtualPatient>& patients, const std::string& cohort) {
  std::vector<VirtualPatient> out;
  if (cohort == "all") return patients;
  if (cohort == "adults" || cohort == "adolescents" || cohort == "children") {
    for (const auto& p : patients)
      if (in_group(p.params.name, cohort)) out.push_back(p);
    return out;
  }
  std::string rest = cohort;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string name = trimmed(rest.substr(0, comma));
    if (name.empty())
      throw ParseError("--cohort: an empty name (expected all, adults, adolescents, children or names such as "
                       "adult#001,child#004)");
    auto it = std::find_if(patients.begin(), patients.end(), [&](const auto& p) { return p.params.name == name; });
    if (it == patients.end())
      throw NotFound(fmt::format("no virtual patient '{}' (a cohort is all, adults, adolescents, children or names "
                                 "such as adult#001,child#004)",
                                 name));
    if (std::any_of(out.begin(), out.end(), [&](const auto& p) { return p.params.name == name; }))
      throw ParseError(fmt::format("--cohort names '{}' twice", name));
    out.push_back(*it);
    if (comma == std::string::npos) return out;
    rest = rest.substr(comma + 1);
  }
}

const std::vector<TrialOutcome>& trial_outcomes() {
  using O = metabolic::GlucoseOutcomes;
  static const std::vector<TrialOutcome> all = {
      {"time in range 70-180 (%)", &O::time_in_range}, {"time below 70 (%)", &O::time_below_70},
      {"time below 54 (%)", &O::time_below_54},        {"time above 180 (%)", &O::time_above_180},
      {"time above 250 (%)", &O::time_above_250},      {"mean glucose (mg/dL)", &O::mean_mg_dl},
      {"CV (%)", &O::cv_percent},                      {"GMI (%)", &O::gmi_percent},
      {"LBGI", &O::lbgi},                              {"HBGI", &O::hbgi}};
  return all;
}

namespace {

// Summaries by arm and paired differences from the first, from the outcomes.
void summarise_trial(TrialResult& r) {
  const auto& measures = trial_outcomes();
  auto column = [&](std::size_t arm, const TrialOutcome& o) {
    std::vector<double> v;
    for (const auto& out : r.outcomes[arm]) v.push_back(out.*(o.field));
    return v;
  };
  for (std::size_t a = 0; a < r.arms.size(); ++a) {
    r.summaries.emplace_back();
    r.differences.emplace_back();
    for (const auto& o : measures) {
      r.summaries[a].push_back(summarise(column(a, o)));
      r.differences[a].push_back(paired(column(a, o), column(0, o)));
    }
  }
}

}  // namespace

TrialResult run_glucose_trial(const std::vector<GlucoseArm>& arms, const std::vector<VirtualPatient>& cohort,
                              int threads) {
  if (arms.empty() || cohort.empty()) throw Error("a trial needs at least one arm and one patient");
  TrialResult r;
  for (const auto& a : arms) r.arms.push_back(a.name);
  for (const auto& p : cohort) r.patients.push_back(p.params.name);
  const std::size_t n = cohort.size();
  r.outcomes.assign(arms.size(), std::vector<metabolic::GlucoseOutcomes>(n));
  run_parallel(arms.size() * n, threads, [&](std::size_t job) {
    std::size_t arm = job / n, patient = job % n;
    r.outcomes[arm][patient] =
        metabolic::glucose_outcomes(metabolic::glucose_values(simulate_glucose_arm(cohort[patient], arms[arm])));
  });
  summarise_trial(r);
  return r;
}

TrialResult run_person_meal_trial(const metabolic::MealResponseFit& fit, const std::vector<GlucoseArm>& arms,
                                  int samples, std::uint32_t seed) {
  if (arms.empty()) throw Error("a trial needs at least one arm");
  const auto cohort = metabolic::sample_meal_responses(fit, samples, seed);
  TrialResult r;
  for (const auto& a : arms) r.arms.push_back(a.name);
  for (std::size_t i = 0; i < cohort.size(); ++i) r.patients.push_back(fmt::format("sample {}", i + 1));
  r.outcomes.assign(arms.size(), std::vector<metabolic::GlucoseOutcomes>(cohort.size()));
  for (std::size_t a = 0; a < arms.size(); ++a) {
    const auto meals = meal_intakes(arms[a].scenario.scenario, 0);
    for (std::size_t i = 0; i < cohort.size(); ++i)
      r.outcomes[a][i] = meal_curve_outcomes(
          metabolic::simulate_meal_response(cohort[i], cohort[i].gb, 0, arms[a].scenario.scenario.minutes, meals));
  }
  summarise_trial(r);
  return r;
}

}  // namespace medtwin

#include "medtwin/twin/glucose_trial.hpp"

#include <fmt/format.h>

#include <cmath>

#include "medtwin/core/error.hpp"
#include "medtwin/core/parallel.hpp"
#include "medtwin/core/stats.hpp"
#include "medtwin/metabolic/closed_loop.hpp"

namespace medtwin {
namespace {

constexpr double kNormal975 = 1.959964;  // two-sided 95 % normal quantile

std::vector<double> glucose_of(const std::vector<metabolic::T1dMinute>& rows) {
  std::vector<double> g;
  for (const auto& r : rows) g.push_back(r.glucose_mg_dl);
  return g;
}

OutcomeSummary summarise(const std::vector<double>& values) {
  return {*mean(values), values.size() > 1 ? *standard_deviation(values) : 0.0, *median(values),
          *quantile(values, 0.25), *quantile(values, 0.75)};
}

PairedDifference paired(const std::vector<double>& arm, const std::vector<double>& first) {
  std::vector<double> d(arm.size());
  for (std::size_t i = 0; i < arm.size(); ++i) d[i] = arm[i] - first[i];
  double m = *mean(d), half = d.size() > 1 ? kNormal975 * *standard_deviation(d) / std::sqrt(double(d.size())) : 0.0;
  return {m, m - half, m + half};
}

bool in_group(const std::string& name, const std::string& group) {
  const std::string prefix = group == "adults" ? "adult#" : group == "adolescents" ? "adolescent#" : "child#";
  return name.rfind(prefix, 0) == 0;
}

}  // namespace

std::vector<metabolic::T1dMinute> simulate_glucose_scenario(const VirtualPatient& patient, GlucoseScenarioFile file,
                                                            const std::filesystem::path& tables) {
  if (file.meal_boluses_from_patient)
    file.scenario.meal_bolus = metabolic::MealBolusRule{patient.carb_ratio_g_per_u, patient.correction_factor_mg_dl_per_u};
  if (!file.sensor) return metabolic::simulate_t1d(patient.params, file.scenario);
  metabolic::ClosedLoopSetup setup;
  setup.sensor = load_cgm_sensor(tables, file.sensor->name);
  setup.sensor_seed = file.sensor->seed;
  setup.pump = load_insulin_pump(tables, file.pump.value_or("Insulet"));
  setup.controller.basal_u_per_min =
      file.scenario.basal_u_per_min.value_or(metabolic::basal_insulin_u_per_min(patient.params));
  setup.controller.rule = file.scenario.meal_bolus;
  return metabolic::simulate_closed_loop(patient.params, setup, file.scenario.meals, file.scenario.minutes).minutes;
}

std::vector<VirtualPatient> select_cohort(const std::vector<VirtualPatient>& patients, const std::string& cohort) {
  std::vector<VirtualPatient> out;
  if (cohort == "all") return patients;
  if (cohort == "adults" || cohort == "adolescents" || cohort == "children") {
    for (const auto& p : patients)
      if (in_group(p.params.name, cohort)) out.push_back(p);
    return out;
  }
  std::size_t start = 0;
  while (start <= cohort.size()) {
    std::size_t comma = cohort.find(',', start);
    std::string name = cohort.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    auto it = std::find_if(patients.begin(), patients.end(), [&](const auto& p) { return p.params.name == name; });
    if (it == patients.end())
      throw NotFound(fmt::format("no virtual patient '{}' (a cohort is all, adults, adolescents, children or names "
                                 "such as adult#001,child#004)",
                                 name));
    out.push_back(*it);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
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

TrialResult run_glucose_trial(const std::vector<TrialArm>& arms, const std::vector<VirtualPatient>& cohort,
                              const std::filesystem::path& tables, int threads) {
  if (arms.empty() || cohort.empty()) throw Error("a trial needs at least one arm and one patient");
  TrialResult r;
  for (const auto& a : arms) r.arms.push_back(a.name);
  for (const auto& p : cohort) r.patients.push_back(p.params.name);
  const std::size_t n = cohort.size();
  r.outcomes.assign(arms.size(), std::vector<metabolic::GlucoseOutcomes>(n));
  run_parallel(arms.size() * n, threads, [&](std::size_t job) {
    std::size_t arm = job / n, patient = job % n;
    r.outcomes[arm][patient] =
        metabolic::glucose_outcomes(glucose_of(simulate_glucose_scenario(cohort[patient], arms[arm].scenario, tables)));
  });
  const auto& measures = trial_outcomes();
  auto column = [&](std::size_t arm, const TrialOutcome& o) {
    std::vector<double> v;
    for (const auto& out : r.outcomes[arm]) v.push_back(out.*(o.field));
    return v;
  };
  for (std::size_t a = 0; a < arms.size(); ++a) {
    r.summaries.emplace_back();
    r.differences.emplace_back();
    for (const auto& o : measures) {
      r.summaries[a].push_back(summarise(column(a, o)));
      r.differences[a].push_back(paired(column(a, o), column(0, o)));
    }
  }
  return r;
}

}  // namespace medtwin

#include "medtwin/metabolic/uva_padova.hpp"
#include "medtwin/metabolic/t1d_simulation.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "medtwin/core/error.hpp"
#include "medtwin/io/importer.hpp"
#include "medtwin/io/named_table.hpp"

namespace medtwin::metabolic {
namespace {

const std::string kGlucose = std::string(MEDTWIN_SHARED_DATA) + "/glucose/";

const std::vector<NamedRow>& patients() {
  static const std::vector<NamedRow> rows = read_named_table(
      read_file(kGlucose + "simglucose_params/vpatient_params.csv"), "vpatient_params.csv");
  return rows;
}

const std::vector<NamedRow>& quest() {
  static const std::vector<NamedRow> rows =
      read_named_table(read_file(kGlucose + "simglucose_params/Quest.csv"), "Quest.csv");
  return rows;
}

UvaPadovaParams params_of(const std::string& name) {
  const NamedRow* row = find_named_row(patients(), name);
  if (!row) throw Error("no patient " + name);
  return uva_padova_params(row->name, row->values);
}

// The scenario of glucose/MANIFEST.txt: meals announced at 07:00, 12:00 and
// 19:00 (50, 70, 80 g); basal insulin every minute; with `bolus`, at each meal
// minute also CHO/CR + (BG > 150)·(BG − 140)/CF units in that minute
// (simulate_t1d's meal-bolus rule). BG at t = 0 … 1440 (before each minute's
// inputs) and the states.
struct DayRun {
  std::vector<double> bg;
  std::vector<UvaPadovaState> states;
  long rhs_evaluations = 0;
};

T1dScenario reference_scenario(const UvaPadovaParams& p, bool bolus) {
  T1dScenario s;
  s.meals = {{420, 50}, {720, 70}, {1140, 80}};
  if (bolus) {
    const NamedRow* q = find_named_row(quest(), p.name);
    s.meal_bolus = MealBolusRule{q->values.at("CR"), q->values.at("CF")};
  }
  return s;
}

DayRun run_reference_day(const UvaPadovaParams& p, bool bolus) {
  DayRun run;
  // simulate_t1d gives BG and the inputs of every minute; replaying the inputs gives the states.
  const auto rows = simulate_t1d(p, reference_scenario(p, bolus));
  UvaPadovaPatient patient(p);
  for (const T1dMinute& row : rows) {
    run.bg.push_back(row.glucose_mg_dl);
    run.states.push_back(patient.state());
    if (row.minute < 1440) patient.step(row.carbs_announced_g, row.insulin_u_per_min);
  }
  run.rhs_evaluations = patient.rhs_evaluations();
  return run;
}

// Columns t_min, then one per patient.
std::vector<NamedRow> reference_by_minute(const std::string& file) {
  return read_named_table(read_file(kGlucose + "reference/" + file), file);
}

void expect_all_30_match(bool bolus) {
  const auto reference = reference_by_minute(bolus ? "all30_bolus_BG_1min.csv" : "all30_basal_BG_1min.csv");
  ASSERT_EQ(reference.size(), 1441u);
  double worst = 0;
  std::string worst_patient;
  long evaluations = 0;
  const auto start = std::chrono::steady_clock::now();
  for (const NamedRow& patient : patients()) {
    const DayRun run = run_reference_day(params_of(patient.name), bolus);
    evaluations += run.rhs_evaluations;
    for (std::size_t t = 0; t < reference.size(); ++t) {
      const double diff = std::abs(run.bg[t] - reference[t].values.at(patient.name));
      if (diff > worst) worst = diff, worst_patient = patient.name + " at minute " + std::to_string(t);
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s: 30 patients, largest |BG − simglucose| %.2e mg/dL (%s); %.1f RHS evaluations per patient-minute; %.1f ms\n",
              bolus ? "bolus" : "basal", worst, worst_patient.c_str(), evaluations / (30.0 * 1440), 1000 * seconds);
  EXPECT_LT(worst, 1e-5) << worst_patient;  // the issue asks 1e-3; same steps as simglucose give ~1e-7
}

TEST(UvaPadova, All30PatientsMatchSimglucoseBasalDay) { expect_all_30_match(false); }
TEST(UvaPadova, All30PatientsMatchSimglucoseBolusDay) { expect_all_30_match(true); }

// The 13 states of the three patients with state files, every minute: the
// same steps as simglucose's dopri5, so they agree to the 12 significant
// digits the reference was written with.
TEST(UvaPadova, StatesMatchSimglucose) {
  for (const char* patient : {"adolescent#001", "adult#001", "child#001"})
    for (bool bolus : {false, true}) {
      std::string file = std::string(patient).replace(std::string(patient).find('#'), 1, "") +
                         (bolus ? "_bolus_states_1min.csv" : "_basal_states_1min.csv");
      const auto reference = reference_by_minute(file);
      const DayRun run = run_reference_day(params_of(patient), bolus);
      double worst = 0;
      std::string where;
      for (std::size_t t = 0; t < reference.size(); ++t)
        for (std::size_t k = 0; k < kUvaPadovaStates; ++k) {
          const double want = reference[t].values.at("x" + std::to_string(k));
          const double diff = std::abs(run.states[t][k] - want) / (std::abs(want) + 1);
          if (diff > worst) worst = diff, where = "x" + std::to_string(k) + " at minute " + std::to_string(t);
        }
      std::printf("%s %s: largest relative state difference %.2e (%s)\n", patient, bolus ? "bolus" : "basal", worst,
                  where.c_str());
      EXPECT_LT(worst, 1e-9) << file << ": " << where;
    }
}

TEST(UvaPadova, BasalSteadyStateStaysPut) {
  const UvaPadovaParams p = params_of("adult#001");
  UvaPadovaPatient patient(p);
  for (int t = 0; t < 600; ++t) patient.step(0, basal_insulin_u_per_min(p));
  EXPECT_NEAR(patient.glucose_mg_dl(), p.x0[uva::gs] / p.vg, 1e-6);
}

TEST(UvaPadova, MealsAreEatenAtFiveGramsPerMinute) {
  UvaPadovaPatient patient(params_of("adult#001"));
  patient.step(12, 0);
  EXPECT_DOUBLE_EQ(patient.cho_still_to_eat_g(), 7);
  patient.step(0, 0);
  EXPECT_DOUBLE_EQ(patient.cho_still_to_eat_g(), 2);
  patient.step(0, 0);
  EXPECT_DOUBLE_EQ(patient.cho_still_to_eat_g(), 0);
}

TEST(UvaPadova, BadInputIsAnError) {
  UvaPadovaPatient patient(params_of("adult#001"));
  EXPECT_THROW(patient.step(-1, 0), Error);
  EXPECT_THROW(patient.step(0, -0.1), Error);
  EXPECT_THROW(patient.step(std::nan(""), 0), Error);
  std::map<std::string, double, std::less<>> columns = patients().front().values;
  columns.erase("Vg");
  EXPECT_THROW(uva_padova_params("x", columns), Error);
  columns = patients().front().values;
  columns["BW"] = 0;
  EXPECT_THROW(uva_padova_params("x", columns), Error);
}

}  // namespace
}  // namespace medtwin::metabolic

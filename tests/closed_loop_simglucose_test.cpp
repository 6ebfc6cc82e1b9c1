// The full simglucose stack — adult#001 with a Dexcom sensor (seed 1), an
// Insulet pump and the basal-bolus controller (target 140) on its CGM — against
// simglucose's own output (../shared/data/glucose/reference/
// adult001_fullenv_dexcom_seed1_insulet_bbctrl_3min.csv; scenario in MANIFEST.txt §3).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "cli_support.hpp"
#include "medtwin/metabolic/closed_loop.hpp"
#include "medtwin/twin/virtual_patients.hpp"

namespace medtwin {
namespace {

struct ReferenceRow {
  double bg = 0, cgm = 0, cho = NAN, insulin = NAN;
};

std::vector<ReferenceRow> reference_rows() {
  std::ifstream in(testing::shared_data("glucose/reference/adult001_fullenv_dexcom_seed1_insulet_bbctrl_3min.csv"));
  std::string line;
  std::getline(in, line);
  std::vector<ReferenceRow> rows;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');) f.push_back(cell);
    ReferenceRow r;
    r.bg = std::stod(f[1]);
    r.cgm = std::stod(f[2]);
    if (!f[3].empty()) r.cho = std::stod(f[3]), r.insulin = std::stod(f[4]);
    rows.push_back(r);
  }
  return rows;
}

TEST(ClosedLoopSimglucose, Adult001DexcomInsuletBasalBolusMatchesSimglucose) {
  auto folder = testing::shared_data("glucose/simglucose_params");
  auto patient = load_virtual_patient(folder, "adult#001");
  metabolic::ClosedLoopSetup setup;
  setup.sensor = load_cgm_sensor(folder, "Dexcom");
  setup.sensor_seed = 1;
  setup.pump = load_insulin_pump(folder, "Insulet");
  setup.controller.basal_u_per_min = metabolic::basal_insulin_u_per_min(patient.params);
  setup.controller.rule = metabolic::MealBolusRule{patient.carb_ratio_g_per_u, patient.correction_factor_mg_dl_per_u};
  std::vector<metabolic::MealEvent> meals = {{420, 50}, {720, 70}, {1140, 80}};
  auto run = metabolic::simulate_closed_loop(patient.params, setup, meals, 1440);
  const auto& rows = run.periods;
  ASSERT_EQ(run.minutes.size(), 1441u);
  auto reference = reference_rows();
  ASSERT_EQ(rows.size(), reference.size());
  double worst_bg = 0, worst_cgm = 0, worst_insulin = 0, worst_cho = 0;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    worst_bg = std::max(worst_bg, std::abs(rows[k].glucose_mg_dl - reference[k].bg));
    worst_cgm = std::max(worst_cgm, std::abs(rows[k].cgm_mg_dl - reference[k].cgm));
    if (std::isnan(reference[k].cho)) continue;
    worst_cho = std::max(worst_cho, std::abs(rows[k].carbs_g_per_min - reference[k].cho));
    worst_insulin = std::max(worst_insulin, std::abs(rows[k].insulin_u_per_min - reference[k].insulin));
  }
  std::printf("worst |ΔBG| %.3g, |ΔCGM| %.3g mg/dL, |Δinsulin| %.3g U/min, |ΔCHO| %.3g g/min\n", worst_bg, worst_cgm,
              worst_insulin, worst_cho);
  EXPECT_LT(worst_bg, 1e-3);
  EXPECT_LT(worst_cgm, 1e-3);
  EXPECT_LT(worst_insulin, 1e-6);
  EXPECT_LT(worst_cho, 1e-6);
}

TEST(ClosedLoopSimglucose, NumpyNormalDeviatesForSeedOne) {
  // numpy.random.RandomState(1).randn(3) (numpy 1.24, the version the reference ran on).
  metabolic::LegacyNormal normal(1);
  EXPECT_NEAR(normal.next(), 1.6243453636632417, 1e-15);
  EXPECT_NEAR(normal.next(), -0.6117564136500754, 1e-15);
  EXPECT_NEAR(normal.next(), -0.5281717522634557, 1e-15);
}

}  // namespace
}  // namespace medtwin

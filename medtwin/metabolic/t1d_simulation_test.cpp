#include "medtwin/metabolic/t1d_simulation.hpp"

#include <gtest/gtest.h>

#include "medtwin/core/error.hpp"

namespace medtwin::metabolic {
namespace {

UvaPadovaParams steady_patient() {
  UvaPadovaParams p;  // a made-up, well-formed patient is enough for the bookkeeping
  p.name = "test", p.bw = 70, p.kabs = 0.05, p.kmax = 0.02, p.kmin = 0.01, p.b = 0.8, p.d = 0.2, p.f = 0.9;
  p.vg = 1.8, p.vi = 0.05, p.k1 = 0.06, p.k2 = 0.05, p.vm0 = 3, p.vmx = 0.05, p.km0 = 250, p.p2u = 0.02;
  p.ib = 100, p.kp1 = 4.5, p.kp2 = 0.005, p.kp3 = 0.01, p.ki = 0.008, p.fsnc = 1, p.ke1 = 0.0005, p.ke2 = 339;
  p.m1 = 0.2, p.m2 = 0.3, p.m4 = 0.1, p.m30 = 0.3, p.ka1 = 0.003, p.ka2 = 0.02, p.kd = 0.02, p.ksc = 0.1, p.u2ss = 1;
  p.x0 = {0, 0, 0, 250, 150, 5, 0, 100, 100, 3, 70, 140, 250};
  return p;
}

TEST(T1dSimulation, RowsCarryTheInputsOfTheirMinute) {
  T1dScenario s;
  s.minutes = 30;
  s.meals = {{10, 40}};
  s.boluses = {{12, 2}};
  s.basal_u_per_min = 0.01;
  s.meal_bolus = MealBolusRule{10, 40};
  const auto rows = simulate_t1d(steady_patient(), s);
  ASSERT_EQ(rows.size(), 31u);
  EXPECT_EQ(rows[10].carbs_announced_g, 40);
  EXPECT_NEAR(rows[10].insulin_u_per_min, 0.01 + 4 + (rows[10].glucose_mg_dl > 150 ? (rows[10].glucose_mg_dl - 140) / 40 : 0), 1e-12);
  EXPECT_DOUBLE_EQ(rows[12].insulin_u_per_min, 2.01);
  EXPECT_DOUBLE_EQ(rows[11].insulin_u_per_min, 0.01);
  EXPECT_EQ(rows[30].insulin_u_per_min, 0);
}

TEST(T1dSimulation, BadScenariosNameTheEvent) {
  const auto fails_with = [](const T1dScenario& s, const std::string& text) {
    try {
      validate_scenario(s);
      ADD_FAILURE() << "no error for " << text;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
  };
  T1dScenario s;
  s.meals = {{10, -5}};
  fails_with(s, "meals[0]: carbs (g) must be a positive number");
  s.meals = {{10, 20}, {10, 30}};
  fails_with(s, "meals[1]: another meal is announced in the same minute");
  s.meals = {{1440, 20}};
  fails_with(s, "meals[0]: minute 1440 is outside");
  s.meals = {};
  s.boluses = {{5, 0}};
  fails_with(s, "boluses[0]: insulin (U) must be a positive number");
  s.boluses = {};
  s.basal_u_per_min = -1;
  fails_with(s, "basal insulin must be a number >= 0");
  s.basal_u_per_min.reset();
  s.meal_bolus = MealBolusRule{0, 40};
  fails_with(s, "carb ratio");
  s.meal_bolus = MealBolusRule{10, 40, 140, 100};
  fails_with(s, "correction threshold must be a number at or above the target");
  s.meal_bolus.reset();
  s.minutes = kMaxScenarioMinutes + 1;
  fails_with(s, "the duration must be 1 minute to 366 days");
}

}  // namespace
}  // namespace medtwin::metabolic

#include "medtwin/metabolic/hovorka.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "medtwin/core/error.hpp"
#include "medtwin/metabolic/t1d_simulation.hpp"

namespace medtwin::metabolic {
namespace {

double peak(const std::vector<T1dMinute>& rows) {
  double m = 0;
  for (const auto& r : rows) m = std::max(m, r.glucose_mg_dl);
  return m;
}

TEST(Hovorka, TheBasalSteadyStateIsOne) {
  const HovorkaParams p;
  for (double target : {70.0, 100.0, 150.0}) {
    HovorkaState dxdt{};
    hovorka_rhs(p, hovorka_steady_state(p, target), 0, hovorka_basal_u_per_min(p, target), dxdt);
    for (double d : dxdt) EXPECT_NEAR(d, 0, 1e-9);
    T1dScenario day;
    auto rows = simulate_hovorka(p, day, target);
    EXPECT_NEAR(rows.back().glucose_mg_dl, target, 1e-6);
  }
  std::printf("basal for 100 mg/dL, nominal 75 kg: %.3f U/h\n", 60 * hovorka_basal_u_per_min(p, 100));
  EXPECT_THROW(hovorka_basal_u_per_min(p, 250), Error);
}

TEST(Hovorka, AnInsulinDoseIsAllAbsorbedAndCleared) {
  const HovorkaParams p;
  const double basal = hovorka_basal_u_per_min(p, 100);
  HovorkaPatient patient(p, 100);
  const HovorkaState before = patient.state();
  patient.step(0, basal + 2);  // 2 U on top of the basal in one minute
  for (int t = 0; t < 24 * 60; ++t) patient.step(0, basal);
  for (int i : {2, 3, 4}) EXPECT_NEAR(patient.state()[i], before[i], 1e-3 * before[i]);  // depots and plasma back
}

TEST(Hovorka, MealsRaiseGlucoseAndABolusBluntsTheRise) {
  const HovorkaParams p;
  T1dScenario lunch;
  lunch.minutes = 6 * 60;
  lunch.meals = {{30, 60}};
  const auto unbolused = simulate_hovorka(p, lunch);
  lunch.boluses = {{30, 6}};
  const auto bolused = simulate_hovorka(p, lunch);
  const auto at_peak = std::max_element(unbolused.begin(), unbolused.end(), [](const auto& a, const auto& b) {
    return a.glucose_mg_dl < b.glucose_mg_dl;
  });
  std::printf("60 g: peak %.0f mg/dL at %d min after the meal; with 6 U %.0f mg/dL\n", peak(unbolused),
              at_peak->minute - 30, peak(bolused));
  EXPECT_GT(peak(unbolused), 180);
  EXPECT_LT(peak(bolused), peak(unbolused) - 30);
  EXPECT_GT(at_peak->minute - 30, 40);
}

}  // namespace
}  // namespace medtwin::metabolic

#include "medtwin/onco/chemotherapy.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "medtwin/core/error.hpp"
#include "medtwin/onco/spherical_course.hpp"

namespace medtwin::onco {
namespace {

TEST(Pharmacokinetics, OneCompartmentMatchesTheClosedForm) {
  const Pharmacokinetics pk{2.0, 0.8, 5.0, 40.0, 0, 0};
  const double step = 1.0 / 240;  // 6 minutes
  const auto c = concentration_profile(pk, {{0.1, 100}}, 0, 1, step);
  const double ka = 2.0, k = 5.0 / 40.0;
  for (std::size_t i = 0; i < c.size(); ++i) {
    const double h = (i * step - 0.1) * 24;
    const double exact = h < 0 ? 0 : 0.8 * 100 * ka / (40 * (ka - k)) * (std::exp(-k * h) - std::exp(-ka * h));
    EXPECT_NEAR(c[i], exact, 1e-10);
  }
}

TEST(Pharmacokinetics, TwoCompartmentsClearTheWholeDose) {
  const Pharmacokinetics pk{1.0, 0.6, 4.0, 20.0, 3.0, 60.0};
  const double step = 1.0 / 480;  // 3 min: the trapezoid's error stays near 1e-5
  const auto c = concentration_profile(pk, {{0, 50}, {1, 50}}, 0, 60, step);
  double auc_mg_h_per_l = 0;
  for (std::size_t i = 1; i < c.size(); ++i) auc_mg_h_per_l += 24 * step * (c[i] + c[i - 1]) / 2;
  EXPECT_NEAR(auc_mg_h_per_l * 4.0 / (0.6 * 100), 1, 1e-3);  // AUC·CL = F·dose
  EXPECT_THROW(concentration_profile({1, 0.6, 0, 20, 0, 0}, {}, 0, 1, step), Error);
  EXPECT_THROW(concentration_profile(pk, {{0, -1}}, 0, 1, step), Error);
}

TEST(Pharmacokinetics, TemozolomideMatchesItsLabel) {
  // 150 mg/m² for 1.8 m²: the US label gives a mean Cmax of 7.5 µg/mL at a
  // median 1 h and AUC 23.4 µg·h/mL.
  const auto tmz = temozolomide();
  const double step = 1.0 / 1440;
  const auto c = concentration_profile(tmz.pk, {{0, 150 * 1.8}}, 0, 2, step);
  const auto peak = std::max_element(c.begin(), c.end());
  const double tmax_h = 24 * step * static_cast<double>(peak - c.begin());
  double auc = 0;
  for (std::size_t i = 1; i < c.size(); ++i) auc += 24 * step * (c[i] + c[i - 1]) / 2;
  std::printf("temozolomide 270 mg: Cmax %.2f mg/L at %.2f h, AUC %.1f mg h/L\n", *peak, tmax_h, auc);
  EXPECT_NEAR(*peak, 7.5, 1.5);
  EXPECT_GT(tmax_h, 0.5);
  EXPECT_LT(tmax_h, 1.5);
  EXPECT_NEAR(auc, 23.4, 0.2 * 23.4);
}

TEST(Pharmacodynamics, TheCombinationRulesAgreeWhereTheyMust) {
  const HillCurve a{2.0, 1.5}, b{5.0, 0.8};
  EXPECT_NEAR(a.effect(2.0), 0.5, 1e-15);
  EXPECT_NEAR(combined_effect(Interaction::bliss, a, 1, b, 3, 0),
              1 - (1 - a.effect(1)) * (1 - b.effect(3)), 1e-15);
  // One drug alone, and a drug combined with itself (the sham combination),
  // give the drug's own curve under Loewe.
  EXPECT_NEAR(combined_effect(Interaction::loewe, a, 1.3, b, 0), a.effect(1.3), 1e-12);
  EXPECT_NEAR(combined_effect(Interaction::loewe, a, 0.6, a, 0.7), a.effect(1.3), 1e-12);
  const double loewe = combined_effect(Interaction::loewe, a, 1, b, 3);
  EXPECT_GT(combined_effect(Interaction::greco, a, 1, b, 3, 2.0), loewe);   // synergy
  EXPECT_LT(combined_effect(Interaction::greco, a, 1, b, 3, -0.3), loewe);  // antagonism
  EXPECT_NEAR(combined_effect(Interaction::greco, a, 1, b, 3, 0), loewe, 1e-15);
  EXPECT_THROW(interaction_from_string("hsa"), Error);
}

TEST(Chemotherapy, TheStuppScheduleDosesByBodySurface) {
  const auto doses = stupp_temozolomide(0, 45, 2.0);
  ASSERT_EQ(doses.size(), 46u + 30u);
  EXPECT_DOUBLE_EQ(doses[0].amount_mg, 150);
  EXPECT_DOUBLE_EQ(doses[46].day, 45 + 28);
  EXPECT_DOUBLE_EQ(doses[46].amount_mg, 300);
  EXPECT_DOUBLE_EQ(doses[51].day, 45 + 28 + 28);
  EXPECT_DOUBLE_EQ(doses[51].amount_mg, 400);
  EXPECT_THROW(stupp_temozolomide(0, 45, 2.0, 7), Error);
}

TEST(Chemotherapy, KillAloneIsExponentialAndResistanceTakesOver) {
  Chemotherapy chemo;
  chemo.drugs = {{temozolomide(), stupp_temozolomide(0, 41, 1.8)}};
  chemo.max_kill_per_day = 2.0;
  chemo.resistance_fold = 10;
  const auto kill = cell_kill(chemo, 0, 60);
  EXPECT_GT(kill.sensitive_between(0, 41), 5 * kill.resistant_between(0, 41));
  // No growth and no diffusion: each population falls by its kill exactly.
  auto t = spherical_tumour(10, 5, [](double) { return 0.4; });
  t.split_resistant(0.25);
  const KillBetween between{[&](double a, double b) { return kill.sensitive_between(a, b); },
                            [&](double a, double b) { return kill.resistant_between(a, b); }};
  grow(t, {0, 0, 1}, 60, 0.25, &between, 0);
  EXPECT_NEAR(t.density[2], 0.3 * std::exp(-kill.sensitive_between(0, 60)), 1e-12);
  EXPECT_NEAR(t.resistant[2], 0.1 * std::exp(-kill.resistant_between(0, 60)), 1e-12);
}

TEST(Chemotherapy, TemozolomideWithRadiotherapyDelaysGrowthMore) {
  const PiParams p{0.2, 0.1, 1};
  auto start = spherical_tumour(100, 400, [](double r) { return r < 20 ? 0.9 : 0.0; });
  grow(start, p, 30, 0.25);
  Treatment rt{RadiotherapyCourse{standard_radiotherapy(), 0, {0.09, 10}, {}}, std::nullopt};
  Treatment both = rt;
  Chemotherapy chemo;
  chemo.drugs = {{temozolomide(), stupp_temozolomide(0, 46, 1.8)}};
  chemo.max_kill_per_day = 2.0;
  both.chemotherapy = chemo;
  auto a = start, b = start;
  const double with_rt = run_spherical(a, p, 0, {200}, rt, {}).back().t1gd_radius_mm;
  const double with_both = run_spherical(b, p, 0, {200}, both, {}).back().t1gd_radius_mm;
  EXPECT_LT(with_both, with_rt);
}

}  // namespace
}  // namespace medtwin::onco

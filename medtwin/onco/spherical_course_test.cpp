#include "medtwin/onco/spherical_course.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "medtwin/core/error.hpp"
#include "medtwin/onco/radius_calibration.hpp"
#include "medtwin/onco/treatment_response.hpp"

namespace medtwin::onco {
namespace {

const PiParams kFast{0.2, 0.1, 1};  // Rockne's "high" pair, K = 1

TEST(Radiotherapy, TheStandardPlanIs34FractionsOf1Point8GyOnWeekdays) {
  const auto plan = standard_radiotherapy();
  EXPECT_NEAR(total_dose_gy(plan), 61.2, 1e-12);
  const auto days = fraction_days(plan, 0);
  ASSERT_EQ(days.size(), 34u);
  EXPECT_EQ(days[4], 4);   // Friday
  EXPECT_EQ(days[5], 7);   // the next Monday
  EXPECT_EQ(days[33], 7 * 6 + 3);
  EXPECT_NEAR(total_dose_gy(hypofractionated_radiotherapy()), 40.05, 1e-12);
  EXPECT_NEAR((LinearQuadratic{0.09, 10}.killed_share(1.8)), 1 - std::exp(-0.09 * 1.8 - 0.009 * 1.8 * 1.8), 1e-15);
  EXPECT_THROW(fraction_days({"empty", {{0, 1.8, DoseTarget::t2, 0}}}, 0), Error);
}

TEST(SphericalCourse, WithoutTreatmentTheRadiiOnlyGrow) {
  const SphericalGrid grid;
  auto tumour = tumour_with_t2_radius(kFast, 20, {}, grid);
  const auto sizes = run_spherical(tumour, kFast, 0, {0, 30, 60, 90}, {}, {});
  ASSERT_EQ(sizes.size(), 4u);
  EXPECT_NEAR(sizes[0].t2_radius_mm, 20, 1e-3);  // linear in time within the last step
  for (std::size_t i = 1; i < sizes.size(); ++i) {
    EXPECT_GT(sizes[i].t1gd_radius_mm, sizes[i - 1].t1gd_radius_mm);
    EXPECT_GT(sizes[i].t2_radius_mm, sizes[i - 1].t2_radius_mm);
    EXPECT_LT(sizes[i].t1gd_radius_mm, sizes[i].t2_radius_mm);
  }
}

TEST(SphericalCourse, RadiotherapyDelaysGrowthAndMoreDoseDelaysMore) {
  const SphericalGrid grid;
  const auto start = tumour_with_t2_radius(kFast, 25, {}, grid);
  auto radius_after = [&](std::optional<RadiotherapyCourse> course) {
    auto tumour = start;
    return run_spherical(tumour, kFast, 0, {100}, {course, std::nullopt}, {}).back().t1gd_radius_mm;
  };
  const double untreated = radius_after(std::nullopt);
  const double standard = radius_after(RadiotherapyCourse{standard_radiotherapy(), 7, {0.09, 10}, {}});
  const double strong = radius_after(RadiotherapyCourse{standard_radiotherapy(), 7, {0.2, 10}, {}});
  EXPECT_LT(standard, untreated);
  EXPECT_LT(strong, standard);
  auto tumour = start;
  EXPECT_THROW(run_spherical(tumour, kFast, 10, {20}, {RadiotherapyCourse{standard_radiotherapy(), 5, {0.09, 10}, {}}, {}}, {}),
               Error);
}

// Recovery of D and ρ from radii made by a finer solver (0.1 mm shells,
// 0.05-day steps): no inverse crime.
std::vector<RadiusVisit> synthetic_visits(const PiParams& truth, double t2_first, double gap_days) {
  const auto sizes = sizes_from_t2_radius(truth, t2_first, {0, gap_days}, {}, kFineGrid);
  std::vector<RadiusVisit> visits;
  for (const auto& s : sizes) visits.push_back({s.day, s.t1gd_radius_mm, s.t2_radius_mm});
  return visits;
}

TEST(RadiusCalibration, RecoversDAndRhoFromTwoVisits) {
  struct Case {
    PiParams truth;
    double first_t2_mm;  // large enough that the first visit enhances
  };
  for (const auto& [truth, first_t2] : {Case{{0.2, 0.1, 1e5}, 30}, Case{{0.04, 0.02, 1e5}, 30},
                                        Case{{0.2, 0.02, 1e5}, 42}, Case{{0.04, 0.1, 1e5}, 20}}) {
    const auto visits = synthetic_visits(truth, first_t2, 60);
    const auto fit = calibrate_from_radii(visits, {});
    std::printf("D %.4f (true %.4f), rho %.4f (true %.4f), rmse %.4f mm, %d iterations, age %.0f d\n",
                fit.params.diffusion_mm2_per_day, truth.diffusion_mm2_per_day, fit.params.proliferation_per_day,
                truth.proliferation_per_day, fit.rmse_mm, fit.iterations, fit.age_at_first_visit_days);
    EXPECT_NEAR(fit.params.diffusion_mm2_per_day / truth.diffusion_mm2_per_day, 1, 0.03);
    EXPECT_NEAR(fit.params.proliferation_per_day / truth.proliferation_per_day, 1, 0.03);
    EXPECT_LT(fit.diffusion.low95(), truth.diffusion_mm2_per_day);
    EXPECT_GT(fit.diffusion.high95(), truth.diffusion_mm2_per_day);
  }
}

// D and ρ known exactly.
RadiusCalibration known(const PiParams& params) {
  RadiusCalibration growth;
  growth.params = params;
  return growth;
}

// α from a visit after the standard plan, made by the finer solver.
TEST(TreatmentResponse, RecoversAlphaFromTheVisitAfterRadiotherapy) {
  const PiParams truth{0.1, 0.05, 1e5};
  const auto plan = standard_radiotherapy();
  const auto days = fraction_days(plan, 14);
  for (double alpha : {0.03, 0.06, 0.09}) {
    auto tumour = tumour_with_t2_radius(truth, 22, {}, kFineGrid);
    const Treatment treatment{RadiotherapyCourse{plan, 14, {alpha, 10}, {}}, std::nullopt};
    const auto sizes = run_spherical(tumour, truth, 0, {0, days.back() + 28}, treatment, {0.05, {}});
    const GivenTreatment given{days, std::vector<double>(days.size(), 1.8), 25, 10, std::nullopt};
    const auto fit = fit_treatment_response(known(truth), {0, sizes[0].t1gd_radius_mm, sizes[0].t2_radius_mm}, given,
                                            {{sizes[1].day, sizes[1].t1gd_radius_mm, sizes[1].t2_radius_mm}}, {});
    std::printf("alpha %.4f (true %.2f), rmse %.3f mm\n", fit.alpha->value, alpha, fit.rmse_mm);
    EXPECT_NEAR(fit.alpha->value / alpha, 1, 0.03);
    EXPECT_FALSE(fit.max_kill);
  }
  EXPECT_THROW(fit_treatment_response(known(truth), {20, 10, 22}, {{14}, {1.8}, 25, 10, std::nullopt}, {{60, 10, 22}}, {}),
               Error);
  EXPECT_THROW(fit_treatment_response(known(truth), {0, 10, 22}, {}, {{60, 10, 22}}, {}), Error);
}

// α and temozolomide's maximal kill rate from visits through the Stupp
// schedule's adjuvant cycles, made by the finer solver. At 20/day the tumour
// vanishes from the images after radiotherapy and regrows on T2 alone.
TEST(TreatmentResponse, RecoversAlphaAndTheDrugKillThroughTheStuppSchedule) {
  const PiParams truth{0.1, 0.05, 1e5};
  const auto plan = standard_radiotherapy();
  const auto days = fraction_days(plan, 14);
  Chemotherapy chemo;
  chemo.drugs.push_back({temozolomide(), stupp_temozolomide(days.front(), days.back(), 1.9)});
  const std::vector<double> visit_days{0, days.back() + 28, days.back() + 84, days.back() + 140, days.back() + 196};
  for (double max_kill : {2.0, 5.0, 20.0}) {
    chemo.max_kill_per_day = max_kill;
    auto tumour = tumour_with_t2_radius(truth, 22, {}, kFineGrid);
    const Treatment treatment{RadiotherapyCourse{plan, 14, {0.06, 10}, {}}, chemo};
    const auto sizes = run_spherical(tumour, truth, 0, visit_days, treatment, {0.05, {}});
    std::vector<RadiusVisit> after;
    for (std::size_t i = 1; i < sizes.size(); ++i)
      after.push_back({sizes[i].day, sizes[i].t1gd_radius_mm, sizes[i].t2_radius_mm});
    const GivenTreatment given{days, std::vector<double>(days.size(), 1.8), 25, 10, chemo};
    const auto fit = fit_treatment_response(known(truth), {0, sizes[0].t1gd_radius_mm, sizes[0].t2_radius_mm}, given, after, {});
    std::printf("alpha %.4f (%.4f-%.4f), max kill %.3f (%.3f-%.3f; true %.1f), correlation %.2f, rmse %.3f mm\n",
                fit.alpha->value, fit.alpha->low95(), fit.alpha->high95(), fit.max_kill->value, fit.max_kill->low95(),
                fit.max_kill->high95(), max_kill, fit.log_correlation, fit.rmse_mm);
    EXPECT_NEAR(fit.alpha->value / 0.06, 1, 0.03);
    EXPECT_NEAR(fit.max_kill->value / max_kill, 1, 0.1);
  }
}

TEST(RadiusCalibration, RefusesVisitsItCannotFit) {
  const RadiusCalibrationOptions options;
  EXPECT_THROW(calibrate_from_radii({{0, 10, 20}}, options), Error);
  EXPECT_THROW(calibrate_from_radii({{0, 10, 20}, {0, 12, 22}}, options), Error);   // same day
  EXPECT_THROW(calibrate_from_radii({{0, 10, 20}, {60, 12, 11}}, options), Error);  // T2 inside T1Gd
  EXPECT_THROW(calibrate_from_radii({{0, 10, 20}, {60, 9, 19}}, options), Error);   // shrinking
}

}  // namespace
}  // namespace medtwin::onco

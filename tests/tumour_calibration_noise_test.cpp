// Verification of the tumour calibration (issue 7): synthetic patients with
// known D and ρ, made by a finer solver, measured with segmentation noise of
// growing SD, and the parameters recovered from two visits 60 days apart.
// Prints how the errors and the 95 % intervals' coverage change with noise.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "medtwin/core/parallel.hpp"
#include "medtwin/core/stats.hpp"
#include "medtwin/twin/synthetic_tumour.hpp"

namespace medtwin {
namespace {

struct NoiseRow {
  double sd_mm;
  double median_error_d, median_error_rho;  // |relative|
  double coverage;                          // share of 95 % intervals holding the truth (both parameters)
  int failed;
};

std::vector<SyntheticTumourSpec> patients(int n) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<SyntheticTumourSpec> specs;
  for (int i = 0; i < n; ++i) {
    SyntheticTumourSpec s;
    s.truth = {0.02 * std::pow(10.0, u(rng)), 0.02 * std::pow(5.0, u(rng)), 1e5};  // D 0.02–0.2, ρ 0.02–0.1
    s.first_t2_radius_mm = 30;
    s.visit_days = {0, 60};
    specs.push_back(s);
  }
  return specs;
}

NoiseRow recover(const std::vector<SyntheticTumourSpec>& specs,
                 const std::vector<std::vector<onco::RadiusVisit>>& truth_radii, double sd) {
  const std::size_t n = specs.size();
  std::vector<double> err_d(n, NAN), err_rho(n, NAN), covered(n, 0);
  run_parallel(n, 2, [&](std::size_t i) {
    std::mt19937_64 rng(100 + i);
    std::normal_distribution<double> noise(0, sd);
    auto visits = truth_radii[i];
    for (auto& v : visits) {
      v.t1gd_radius_mm = std::max(0.0, v.t1gd_radius_mm + (sd > 0 ? noise(rng) : 0));
      v.t2_radius_mm += sd > 0 ? noise(rng) : 0;
    }
    onco::RadiusCalibrationOptions options;
    options.radius_sd_mm = std::max(sd, 0.25);  // the voxel-level floor when noise-free
    try {
      const auto fit = onco::calibrate_from_radii(visits, options);
      const auto& t = specs[i].truth;
      err_d[i] = std::abs(fit.params.diffusion_mm2_per_day / t.diffusion_mm2_per_day - 1);
      err_rho[i] = std::abs(fit.params.proliferation_per_day / t.proliferation_per_day - 1);
      covered[i] = fit.diffusion.low95() <= t.diffusion_mm2_per_day && t.diffusion_mm2_per_day <= fit.diffusion.high95() &&
                   fit.proliferation.low95() <= t.proliferation_per_day && t.proliferation_per_day <= fit.proliferation.high95();
    } catch (const std::exception&) {
      // e.g. noise made the tumour shrink between the visits: counted as failed
    }
  });
  std::vector<double> d, rho;
  int failed = 0;
  double cover = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(err_d[i])) {
      ++failed;
      continue;
    }
    d.push_back(err_d[i]);
    rho.push_back(err_rho[i]);
    cover += covered[i];
  }
  return {sd, *quantile(d, 0.5), *quantile(rho, 0.5), cover / static_cast<double>(d.size()), failed};
}

TEST(TumourCalibrationNoise, ErrorsGrowWithSegmentationNoise) {
  const auto specs = patients(10);
  std::vector<std::vector<onco::RadiusVisit>> radii;
  for (const auto& s : specs) radii.push_back(synthetic_radii(s));
  std::vector<NoiseRow> rows;
  std::printf("  noise SD (mm)  median |error| D  median |error| rho  95 %% coverage  failed (of %zu)\n", specs.size());
  for (double sd : {0.0, 0.5, 1.0, 2.0}) {
    rows.push_back(recover(specs, radii, sd));
    const auto& r = rows.back();
    std::printf("  %13.1f  %15.1f%%  %17.1f%%  %13.0f%%  %d\n", r.sd_mm, 100 * r.median_error_d, 100 * r.median_error_rho,
                100 * r.coverage, r.failed);
  }
  EXPECT_LT(rows[0].median_error_d, 0.02);
  EXPECT_LT(rows[0].median_error_rho, 0.02);
  EXPECT_EQ(rows[0].failed, 0);
  EXPECT_GT(rows[3].median_error_d, rows[1].median_error_d);
  EXPECT_GT(rows[3].median_error_rho, rows[1].median_error_rho);
  EXPECT_GE(rows[1].coverage, 0.75);  // the intervals are honest at 0.5 mm
  EXPECT_GE(rows[2].coverage, 0.75);
}

}  // namespace
}  // namespace medtwin

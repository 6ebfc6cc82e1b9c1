#include "medtwin/onco/cellularity.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "medtwin/core/error.hpp"
#include "medtwin/core/stats.hpp"
#include "medtwin/onco/grid_course.hpp"

namespace medtwin::onco {
namespace {

TEST(AdcScale, MapsWaterToNoCellsAndTheMinimumToCapacity) {
  const AdcScale scale{3.0e-3, 0.6e-3};
  EXPECT_DOUBLE_EQ(scale.share(3.0e-3), 0);
  EXPECT_DOUBLE_EQ(scale.share(0.6e-3), 1);
  EXPECT_DOUBLE_EQ(scale.share(1.8e-3), 0.5);
  EXPECT_DOUBLE_EQ(scale.share(3.5e-3), 0);  // clipped
  EXPECT_DOUBLE_EQ(scale.adc(scale.share(1.2e-3)), 1.2e-3);
  EXPECT_THROW((AdcScale{1e-3, 1e-3}.share(1e-3)), Error);
  EXPECT_NEAR(kCellsPerMm3AtCapacity, 1.768e5, 100);
}

constexpr std::size_t kBox = 24;
constexpr double kCentre = (kBox - 1) / 2.0, kRadius = 10.5;

// A ball of tissue (1-mm voxels) in a box.
TissueGrid ball() {
  TissueGrid g;
  g.size = {kBox, kBox, kBox};
  g.diffusion.assign(g.voxels(), 0.0f);
  for (std::size_t k = 0; k < kBox; ++k)
    for (std::size_t j = 0; j < kBox; ++j)
      for (std::size_t i = 0; i < kBox; ++i)
        if (std::hypot(i - kCentre, j - kCentre, k - kCentre) <= kRadius) g.diffusion[g.index(i, j, k)] = 1;
  return g;
}

// Truth: D 0.02 mm²/day, k rising from 0.01 to 0.07/day across the tumour,
// simulated with 0.1-day steps (the fit uses 1-day steps); maps on days 0, 15,
// 30 calibrate, day 45 is predicted.
TEST(Cellularity, RecoversDAndKAndPredictsTheNextVisit) {
  const auto domain = ball();
  auto truth = domain;
  truth.proliferation_per_day.assign(domain.voxels(), 0.0f);
  std::vector<double> start(domain.voxels(), 0);
  for (std::size_t k = 0; k < kBox; ++k)
    for (std::size_t j = 0; j < kBox; ++j)
      for (std::size_t i = 0; i < kBox; ++i) {
        const std::size_t p = domain.index(i, j, k);
        if (domain.diffusion[p] <= 0) continue;
        truth.diffusion[p] = 0.02f;
        truth.proliferation_per_day[p] = static_cast<float>(0.04 + 0.03 * (i - kCentre) / kRadius);
        start[p] = 0.6 * std::exp(-std::pow(std::hypot(i - kCentre, j - kCentre, k - kCentre) / 4, 2));
      }
  GridTumour t{start, {}};
  const GridRun fine{0.1, 2, {}};
  const PiParams params{0.02, 0, 1};
  GridCourse course(truth, t, params, fine);
  std::vector<CellularityMap> maps{{0, start}};
  run_course(course, 0, {15, 30, 45}, {}, [&](std::size_t i) { maps.push_back({15.0 * (i + 1), t.density}); });
  CellularityFitOptions options;
  options.max_step_days = 1;
  options.threads = 1;  // a small grid: threads cost more than they give
  const auto fit = fit_cellularity(domain, {maps[0], maps[1], maps[2]}, options);
  // k where the tumour is (truth share > 0.05 at day 30).
  std::vector<double> k_error;
  for (std::size_t p = 0; p < domain.voxels(); ++p)
    if (maps[2].share[p] > 0.05) k_error.push_back(std::abs(fit.proliferation_per_day[p] - truth.proliferation_per_day[p]));
  const auto predicted = forecast_cellularity(domain, fit, maps[2], {45}, options).front().share;
  const double ccc = *concordance_correlation(predicted, maps[3].share);
  const double unchanged = *concordance_correlation(maps[2].share, maps[3].share);
  double cells = 0, true_cells = 0;
  for (std::size_t p = 0; p < domain.voxels(); ++p) cells += predicted[p], true_cells += maps[3].share[p];
  std::printf("D %.4f (true 0.02), median |k error| %.4f/day, day-45 CCC %.4f (unchanged map %.4f), total cells %+.2f %%\n",
              fit.diffusion.value, *median(k_error), ccc, unchanged, 100 * (cells / true_cells - 1));
  EXPECT_NEAR(fit.diffusion.value / 0.02, 1, 0.10);
  EXPECT_LT(*median(k_error), 0.003);
  EXPECT_GT(ccc, 0.99);
  EXPECT_GT(ccc, unchanged);
  EXPECT_NEAR(cells / true_cells, 1, 0.02);
}

TEST(Cellularity, BadMapsAreErrors) {
  const auto domain = ball();
  const CellularityMap a{0, std::vector<double>(domain.voxels(), 0.1)};
  EXPECT_THROW(fit_cellularity(domain, {a}, {}), Error);
  EXPECT_THROW(fit_cellularity(domain, {a, a}, {}), Error);  // days not increasing
  EXPECT_THROW(fit_cellularity(domain, {a, {10, std::vector<double>(5, 0.1)}}, {}), Error);
  EXPECT_THROW(fit_cellularity(domain, {a, {10, std::vector<double>(domain.voxels(), 1.5)}}, {}), Error);
}

}  // namespace
}  // namespace medtwin::onco

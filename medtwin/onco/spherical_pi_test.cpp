#include "medtwin/onco/spherical_pi.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "medtwin/core/error.hpp"
#include "medtwin/onco/verification.hpp"

namespace medtwin::onco {
namespace {


TEST(SphericalPi, DiffusionAloneKeepsEveryCell) {
  auto t = gaussian_seed(40, 200);
  const double before = t.total_cells();
  grow(t, {0.2, 0, 1}, 100, 0.5);
  EXPECT_NEAR(t.total_cells() / before, 1, 1e-12);
  EXPECT_LT(t.density[0], 0.5 * std::exp(-0.0025));  // it spread
}

TEST(SphericalPi, GrowthAloneIsTheLogisticCurve) {
  auto t = spherical_tumour(10, 5, [](double) { return 0.01; });
  grow(t, {0, 0.1, 1}, 50, 1);
  const double exact = 0.01 * std::exp(5) / (1 + 0.01 * (std::exp(5) - 1));
  for (double c : t.density) EXPECT_NEAR(c, exact, 1e-12);
}

TEST(SphericalPi, TheFrontTravelsAtTwiceRootDRho) {
  const PiParams p{0.2, 0.1, 1};  // Rockne's "high" D and rho: 2·sqrt(D·rho) = 0.2828 mm/day
  const auto front = travelling_front(p, 2000, 400);
  std::printf("front speed over days 1600-2000: %.5f mm/day, 2 sqrt(D rho) = %.5f (%.2f %%)\n", front.speed_mm_per_day,
              front.fisher_speed_mm_per_day, 100 * (front.speed_mm_per_day / front.fisher_speed_mm_per_day - 1));
  EXPECT_NEAR(front.speed_mm_per_day / front.fisher_speed_mm_per_day, 1, 0.01);
}

TEST(SphericalPi, SecondOrderInSpaceAndTime) {
  const PiParams p{0.2, 0.1, 1};
  const double space = space_convergence(p, {100, 200, 400}).observed_order;
  const double time = time_convergence(p, {2, 1, 0.5}).observed_order;
  std::printf("observed order: space %.2f, time %.2f\n", space, time);
  EXPECT_NEAR(space, 2, 0.2);
  EXPECT_NEAR(time, 2, 0.2);
}

TEST(SphericalPi, AFractionKillsTheLinearQuadraticShareScaledByFreeSpace) {
  auto t = spherical_tumour(10, 4, [](double) { return 0.5; });
  const double alpha = 0.03, beta = 0.003, d = 1.8;
  irradiate(t, {0.2, 0.1, 1}, {alpha, alpha / beta}, [&](double) { return d; });
  const double killed = 1 - std::exp(-alpha * d - beta * d * d);
  for (double c : t.density) EXPECT_NEAR(c, 0.5 - killed * 0.25, 1e-15);
  EXPECT_THROW(irradiate(t, {0.2, 0.1, 1}, {-1, 10}, [](double) { return 1.0; }), Error);
  EXPECT_THROW(irradiate(t, {0.2, 0.1, 1}, {0.03, 10}, [](double) { return -1.0; }), Error);
  EXPECT_THROW(grow(t, {0.2, 0.1, 1}, 10, 0), Error);
}

}  // namespace
}  // namespace medtwin::onco

#include "medtwin/onco/spherical_pi.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "medtwin/core/error.hpp"

namespace medtwin::onco {
namespace {

// A small tumour: a Gaussian bump at the centre, peak 0.5 K.
SphericalTumour seed(double radius_mm, int shells) {
  return spherical_tumour(radius_mm, shells, [](double r) { return 0.5 * std::exp(-r * r / 8); });
}

TEST(SphericalPi, DiffusionAloneKeepsEveryCell) {
  auto t = seed(40, 200);
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
  auto t = seed(600, 6000);
  grow(t, p, 1600, 0.25);
  const double r1600 = t.radius_at(0.8);
  grow(t, p, 400, 0.25);
  const double speed = (t.radius_at(0.8) - r1600) / 400, fisher = 2 * std::sqrt(0.2 * 0.1);
  std::printf("front speed over days 1600-2000: %.5f mm/day, 2 sqrt(D rho) = %.5f (%.2f %%)\n", speed, fisher,
              100 * (speed / fisher - 1));
  EXPECT_NEAR(speed / fisher, 1, 0.01);
}

// Observed order from three resolutions: log2 of the ratio of successive differences.
double observed_order(double coarse, double medium, double fine) {
  return std::log2(std::abs(coarse - medium) / std::abs(medium - fine));
}

TEST(SphericalPi, SecondOrderInSpaceAndTime) {
  const PiParams p{0.2, 0.1, 1};
  auto cells = [&](int shells, double dt) {
    auto t = seed(40, shells);
    grow(t, p, 60, dt);
    return t.total_cells();
  };
  const double space = observed_order(cells(100, 0.01), cells(200, 0.01), cells(400, 0.01));
  const double time = observed_order(cells(400, 2), cells(400, 1), cells(400, 0.5));
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

#include "medtwin/onco/grid_pi.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "medtwin/core/error.hpp"

namespace medtwin::onco {
namespace {

TissueGrid box(std::size_t nx, std::size_t ny, std::size_t nz, double h, double d) {
  TissueGrid g;
  g.size = {nx, ny, nz};
  g.spacing_mm = {h, h, h};
  g.diffusion.assign(g.voxels(), static_cast<float>(d));
  return g;
}

// A ball of brain (radius 14 voxels) in a 32³ box: white matter (D 0.2) in one
// half, grey (0.04) in the other, nothing outside.
TissueGrid two_tissue_ball() {
  auto g = box(32, 32, 32, 1, 0);
  for (std::size_t k = 0; k < 32; ++k)
    for (std::size_t j = 0; j < 32; ++j)
      for (std::size_t i = 0; i < 32; ++i) {
        const double x = i - 15.5, y = j - 15.5, z = k - 15.5;
        if (x * x + y * y + z * z <= 14 * 14) g.diffusion[g.index(i, j, k)] = x < 0 ? 0.2f : 0.04f;
      }
  return g;
}

TEST(GridPi, CellsStayInTheBrainAndAreConserved) {
  const auto g = two_tissue_ball();
  GridTumour t{std::vector<double>(g.voxels(), 0), {}};
  t.density[g.index(16, 16, 16)] = 1000;
  const double before = t.total_cells(g);
  grow(t, g, {0, 0, 1e5}, 20, 1, 2);
  // At first it spreads further into white matter than into grey.
  EXPECT_GT(t.density[g.index(8, 16, 16)], 2 * t.density[g.index(23, 16, 16)]);
  grow(t, g, {0, 0, 1e5}, 180, 1, 2);
  EXPECT_NEAR(t.total_cells(g) / before, 1, 1e-12);
  double outside = 0;
  for (std::size_t p = 0; p < g.voxels(); ++p)
    if (g.diffusion[p] == 0) outside += t.density[p];
  EXPECT_EQ(outside, 0);
}

TEST(GridPi, GrowthAloneIsTheLogisticCurve) {
  auto g = box(4, 3, 2, 1, 0.1);
  GridTumour t{std::vector<double>(g.voxels(), 0.01), {}};
  grow(t, g, {0, 0.1, 1}, 50, 1);
  const double exact = 0.01 * std::exp(5) / (1 + 0.01 * (std::exp(5) - 1));
  for (double c : t.density) EXPECT_NEAR(c, exact, 1e-12);
}

// Position (mm) where the density along x first falls below `level`.
double front(const GridTumour& t, const TissueGrid& g, double level) {
  for (std::size_t i = 1; i < g.size[0]; ++i) {
    const double a = t.density[g.index(i - 1, 0, 0)], b = t.density[g.index(i, 0, 0)];
    if (b < level) return g.spacing_mm[0] * (i - 0.5 + (a - level) / (a - b));
  }
  return NAN;
}

// With 0.25-day steps, and with the 2-day steps of the benchmark.
TEST(GridPi, APlanarFrontTravelsAtTwiceRootDRho) {
  const PiParams p{0, 0.1, 1};
  const auto g = box(1400, 2, 2, 0.5, 0.2);
  for (double dt : {0.25, 2.0}) {
    GridTumour t{std::vector<double>(g.voxels(), 0), {}};
    for (std::size_t k = 0; k < 2; ++k)
      for (std::size_t j = 0; j < 2; ++j)
        for (std::size_t i = 0; i < 10; ++i) t.density[g.index(i, j, k)] = 1;
    grow(t, g, p, 1600, dt);
    const double x1600 = front(t, g, 0.8);
    grow(t, g, p, 400, dt);
    const double speed = (front(t, g, 0.8) - x1600) / 400, fisher = 2 * std::sqrt(0.2 * 0.1);
    std::printf("3D planar front over days 1600-2000, %.2f-day steps: %.5f mm/day, 2 sqrt(D rho) = %.5f (%.2f %%)\n",
                dt, speed, fisher, 100 * (speed / fisher - 1));
    EXPECT_NEAR(speed / fisher, 1, 0.01);
  }
}

TEST(GridPi, SecondOrderInTime) {
  const auto g = box(200, 2, 2, 0.5, 0.2);
  auto cells = [&](double dt) {
    GridTumour t{std::vector<double>(g.voxels(), 0), {}};
    for (std::size_t p = 0; p < g.voxels(); ++p)
      if (p % 200 < 10) t.density[p] = 0.5;
    grow(t, g, {0, 0.1, 1}, 40, dt);
    return t.total_cells(g);
  };
  const double order = std::log2(std::abs(cells(2) - cells(1)) / std::abs(cells(1) - cells(0.5)));
  std::printf("3D observed order in time: %.2f\n", order);
  EXPECT_NEAR(order, 2, 0.2);
}

// The same tumour on the image grid and in spherical symmetry: the T2-visible
// volume's radius agrees within half a voxel.
TEST(GridPi, AgreesWithTheSphericalSolver) {
  const PiParams p{0.1, 0.05, 1};
  const double h = 1;
  auto g = box(56, 56, 56, h, p.diffusion_mm2_per_day);
  auto seed = [](double r) { return 0.5 * std::exp(-r * r / 4); };
  GridTumour t{std::vector<double>(g.voxels(), 0), {}};
  for (std::size_t k = 0; k < 56; ++k)
    for (std::size_t j = 0; j < 56; ++j)
      for (std::size_t i = 0; i < 56; ++i)
        t.density[g.index(i, j, k)] = seed(std::hypot(i - 27.5, j - 27.5, k - 27.5) * h);
  auto s = spherical_tumour(60, 600, seed);
  grow(t, g, p, 150, 0.5, 2);
  grow(s, p, 150, 0.5);
  const double grid_radius = std::cbrt(3 * t.volume_at(g, 0.16) / (4 * M_PI));
  std::printf("T2 radius after 150 days: grid %.2f mm, spherical %.2f mm\n", grid_radius, s.radius_at(0.16));
  EXPECT_NEAR(grid_radius, s.radius_at(0.16), 0.5 * h);
}

TEST(GridPi, DosesOutsideTheBrainAreRefused) {
  const auto g = two_tissue_ball();
  GridTumour t{std::vector<double>(g.voxels(), 0.5), {}};
  std::vector<float> dose(g.voxels(), 0.0f);
  dose[g.index(16, 16, 16)] = 2;
  irradiate(t, g, {0, 0.1, 1}, {0.05, 10}, dose);
  EXPECT_NEAR(t.density[g.index(16, 16, 16)], 0.5 - (1 - std::exp(-0.1 - 0.02)) * 0.25, 1e-12);
  dose[0] = 2;  // a corner of the box, outside the ball
  EXPECT_THROW(irradiate(t, g, {0, 0.1, 1}, {0.05, 10}, dose), Error);
  EXPECT_THROW(grow(t, box(2, 2, 2, 1, 0.1), {0, 0.1, 1}, 1, 1), Error);
  auto negative = g;
  negative.diffusion[5] = -0.1f;
  EXPECT_THROW(grow(t, negative, {0, 0.1, 1}, 1, 1), Error);
}

}  // namespace
}  // namespace medtwin::onco

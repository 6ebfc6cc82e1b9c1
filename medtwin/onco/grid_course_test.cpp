#include "medtwin/onco/grid_course.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "medtwin/onco/spherical_course.hpp"

namespace medtwin::onco {
namespace {

TissueGrid cube(std::size_t n, double h, float d) {
  TissueGrid g;
  g.size = {n, n, n};
  g.spacing_mm = {h, h, h};
  g.diffusion.assign(g.voxels(), d);
  return g;
}

double seed(double r) { return 0.5 * std::exp(-r * r / 4); }

GridTumour seeded(const TissueGrid& g) {
  GridTumour t{std::vector<double>(g.voxels(), 0), {}};
  const double centre = (static_cast<double>(g.size[0]) - 1) / 2;
  for (std::size_t k = 0; k < g.size[2]; ++k)
    for (std::size_t j = 0; j < g.size[1]; ++j)
      for (std::size_t i = 0; i < g.size[0]; ++i)
        t.density[g.index(i, j, k)] = seed(g.spacing_mm[0] * std::hypot(i - centre, j - centre, k - centre));
  return t;
}

// Without diffusion or growth, the drug's kill is exact, population by population.
TEST(GridCourse, DrugKillIsExact) {
  auto g = cube(3, 1, 0.1f);
  GridTumour t{std::vector<double>(g.voxels(), 0.4), std::vector<double>(g.voxels(), 0.1)};
  const KillBetween kill{[](double a, double b) { return 0.3 * (b - a); }, [](double a, double b) { return 0.03 * (b - a); }};
  grow(t, g, {0, 0, 1}, 10, 0.5, 1, &kill, 5);
  for (std::size_t p = 0; p < g.voxels(); ++p) {
    EXPECT_NEAR(t.density[p], 0.4 * std::exp(-3), 1e-12);
    EXPECT_NEAR(t.resistant[p], 0.1 * std::exp(-0.3), 1e-12);
  }
}

// The same chemoradiation (the standard plan's T2 + 25 mm field and T1Gd +
// 20 mm boost, temozolomide with a resistant share) on the image grid and in
// spherical symmetry: the visible radii agree within half a voxel throughout.
TEST(GridCourse, ChemoradiationAgreesWithTheSphericalCourse) {
  const PiParams p{0.1, 0.05, 1};
  const auto g = cube(56, 1, 0.1f);
  auto grid_tumour = seeded(g);
  auto sphere = spherical_tumour(60, 600, seed);
  Chemotherapy tmz{{{temozolomide(), stupp_temozolomide(140, 185, 1.8, 1)}}, Interaction::bliss, 0, 1.0, 10, 0.05};
  const Treatment treatment{RadiotherapyCourse{standard_radiotherapy(), 140, {0.05, 10}, {}}, tmz};
  const std::vector<double> days{140, 160, 190, 260};
  const GridRun run{1, 2, {}};
  GridCourse course(g, grid_tumour, p, run);
  const auto on_grid = run_course(course, 0, days, treatment);
  const auto spherical = run_spherical(sphere, p, 0, days, treatment, {1, {}});
  EXPECT_EQ(course.fields(), 2u);
  for (std::size_t i = 0; i < days.size(); ++i) {
    std::printf("day %3.0f: T1Gd grid %.2f vs spherical %.2f mm; T2 %.2f vs %.2f mm\n", days[i], on_grid[i].t1gd_radius_mm,
                spherical[i].t1gd_radius_mm, on_grid[i].t2_radius_mm, spherical[i].t2_radius_mm);
    EXPECT_NEAR(on_grid[i].t1gd_radius_mm, spherical[i].t1gd_radius_mm, 0.5);
    EXPECT_NEAR(on_grid[i].t2_radius_mm, spherical[i].t2_radius_mm, 0.5);
  }
}

// Fields stop at the brain's edge; a whole-brain field is the brain.
TEST(GridCourse, FieldsAreClippedToTheBrain) {
  auto g = cube(24, 2, 0);
  for (std::size_t k = 0; k < 24; ++k)
    for (std::size_t j = 0; j < 24; ++j)
      for (std::size_t i = 0; i < 24; ++i)
        if (std::hypot(i - 11.5, j - 11.5, k - 11.5) <= 10) g.diffusion[g.index(i, j, k)] = 0.1f;
  auto t = seeded(g);
  for (std::size_t p = 0; p < g.voxels(); ++p) t.density[p] *= g.diffusion[p] > 0 ? 4 : 0;
  const GridRun run{1, 1, {}};
  GridCourse course(g, t, {0.1, 0.05, 1}, run);
  const auto whole = course.plan_field(DoseTarget::whole_domain, 0);
  const auto wide = course.plan_field(DoseTarget::t2, 100);
  const auto tight = course.plan_field(DoseTarget::t1gd, 0);
  std::size_t brain = 0, covered = 0;
  for (std::size_t p = 0; p < g.voxels(); ++p) {
    const bool inside = g.diffusion[p] > 0;
    brain += inside;
    EXPECT_EQ(course.field(whole)[p], inside);
    EXPECT_EQ(course.field(wide)[p], inside);
    covered += course.field(tight)[p];
    EXPECT_EQ(course.field(tight)[p], t.density[p] >= 0.8);
  }
  EXPECT_GT(brain, covered);
  EXPECT_GT(covered, 0u);
  course.irradiate(wide, 2, {0.1, 10});  // no dose outside the brain: no error
}

}  // namespace
}  // namespace medtwin::onco

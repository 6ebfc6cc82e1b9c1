#include "medtwin/onco/distance_map.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "medtwin/core/error.hpp"

namespace medtwin::onco {
namespace {

// Against the brute-force minimum over all region voxels, on an anisotropic grid.
TEST(DistanceMap, IsExact) {
  const std::array<std::size_t, 3> n{13, 9, 7};
  const std::array<double, 3> h{1.0, 1.5, 2.5};
  std::mt19937 rng(3);
  std::vector<std::uint8_t> region(n[0] * n[1] * n[2], 0);
  for (int i = 0; i < 6; ++i) region[rng() % region.size()] = 1;
  const auto d = distance_to_region(n, h, region);
  auto coord = [&](std::size_t p, std::size_t a) {
    const std::size_t i = p % n[0], j = (p / n[0]) % n[1], k = p / (n[0] * n[1]);
    return h[a] * static_cast<double>(a == 0 ? i : a == 1 ? j : k);
  };
  for (std::size_t p = 0; p < region.size(); ++p) {
    double best = INFINITY;
    for (std::size_t q = 0; q < region.size(); ++q)
      if (region[q]) best = std::min(best, std::hypot(coord(p, 0) - coord(q, 0), coord(p, 1) - coord(q, 1), coord(p, 2) - coord(q, 2)));
    ASSERT_NEAR(d[p], best, 1e-5) << "voxel " << p;
  }
}

TEST(DistanceMap, EmptyRegionIsFarAndBadSizesAreErrors) {
  const auto d = distance_to_region({3, 3, 3}, {1, 1, 1}, std::vector<std::uint8_t>(27, 0));
  for (float v : d) EXPECT_TRUE(std::isinf(v));
  EXPECT_THROW(distance_to_region({3, 3, 3}, {1, 1, 1}, std::vector<std::uint8_t>(26, 0)), Error);
  EXPECT_THROW(distance_to_region({3, 3, 3}, {1, 0, 1}, std::vector<std::uint8_t>(27, 0)), Error);
}

}  // namespace
}  // namespace medtwin::onco

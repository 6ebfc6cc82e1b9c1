#include "medtwin/onco/distance_map.hpp"

#include <cmath>
#include <limits>

#include "medtwin/core/error.hpp"

namespace medtwin::onco {
namespace {

constexpr double kFar = 1e30;  // squared mm: "no region voxel on this line yet"

// One line of the squared distance transform: out[p] = min_q (h·(p − q))² + f[q].
class LineTransform {
 public:
  explicit LineTransform(std::size_t n) : apex_(n), bound_(n + 1), f_(n) {}

  void run(double* line, std::size_t n, std::size_t stride, double h) {
    for (std::size_t p = 0; p < n; ++p) f_[p] = line[p * stride];
    auto meet = [&](std::size_t q, std::size_t r) {  // where the parabolas of q and r cross (in voxels)
      const double fq = f_[q] + sq(h * q), fr = f_[r] + sq(h * r);
      return (fq - fr) / (2 * h * h * (static_cast<double>(q) - static_cast<double>(r)));
    };
    std::size_t k = 0;
    apex_[0] = 0;
    bound_[0] = -std::numeric_limits<double>::infinity();
    bound_[1] = std::numeric_limits<double>::infinity();
    for (std::size_t q = 1; q < n; ++q) {
      double s = meet(q, apex_[k]);
      while (s <= bound_[k]) s = meet(q, apex_[--k]);
      apex_[++k] = q;
      bound_[k] = s;
      bound_[k + 1] = std::numeric_limits<double>::infinity();
    }
    k = 0;
    for (std::size_t p = 0; p < n; ++p) {
      while (bound_[k + 1] < static_cast<double>(p)) ++k;
      const double offset = h * (static_cast<double>(p) - static_cast<double>(apex_[k]));
      line[p * stride] = std::min(kFar, sq(offset) + f_[apex_[k]]);
    }
  }

 private:
  static double sq(double v) { return v * v; }
  std::vector<std::size_t> apex_;
  std::vector<double> bound_, f_;
};

}  // namespace

std::vector<float> distance_to_region(const std::array<std::size_t, 3>& size, const std::array<double, 3>& spacing_mm,
                                      const std::vector<std::uint8_t>& region) {
  const std::size_t voxels = size[0] * size[1] * size[2];
  if (voxels == 0 || region.size() != voxels) throw Error("distance map: the region and the grid disagree");
  for (double h : spacing_mm) require_positive(h, "distance map: the voxel spacing");
  std::vector<double> squared(voxels);
  for (std::size_t p = 0; p < voxels; ++p) squared[p] = region[p] ? 0.0 : kFar;
  const std::array<std::size_t, 3> stride{1, size[0], size[0] * size[1]};
  for (std::size_t a = 0; a < 3; ++a) {
    LineTransform transform(size[a]);
    const std::size_t b = (a + 1) % 3, c = (a + 2) % 3;  // the two other axes
    for (std::size_t j = 0; j < size[b]; ++j)
      for (std::size_t k = 0; k < size[c]; ++k)
        transform.run(&squared[j * stride[b] + k * stride[c]], size[a], stride[a], spacing_mm[a]);
  }
  std::vector<float> distance(voxels);
  for (std::size_t p = 0; p < voxels; ++p)
    distance[p] = squared[p] >= kFar ? std::numeric_limits<float>::infinity() : static_cast<float>(std::sqrt(squared[p]));
  return distance;
}

}  // namespace medtwin::onco

// Exact Euclidean distance maps on an anisotropic voxel grid (Felzenszwalb &
// Huttenlocher 2012, Theory of Computing 8:415–428: the lower envelope of
// parabolas, one axis at a time, linear in the voxels). They turn masks into
// radiotherapy fields (the target plus a margin) and give each voxel its
// signed distance to a tumour's outline. Pure.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace medtwin::onco {

// The distance (mm) from every voxel centre to the nearest centre of a voxel
// of `region` (non-zero entries; x fastest, then y, then z): 0 on the region,
// +inf everywhere when it is empty. Throws Error when the sizes disagree.
std::vector<float> distance_to_region(const std::array<std::size_t, 3>& size, const std::array<double, 3>& spacing_mm,
                                      const std::vector<std::uint8_t>& region);

}  // namespace medtwin::onco

// Reads 3D NIfTI-1/-2 volumes (.nii, .nii.gz) through nifti2 (nifti_clib):
// brain and tissue masks, tumour masks per visit, ADC maps. Values come out
// scaled (scl_slope/scl_inter) as floats; spacing in mm whatever the file's
// unit; the voxel-to-world transform from the sform, else the qform, else the
// spacing alone.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace medtwin::io {

struct Volume {
  std::string name;                    // the file's name, for messages
  std::array<std::int64_t, 3> size{};  // voxels along i, j, k
  std::array<double, 3> spacing_mm{};
  std::array<double, 12> to_world{};   // rows of the 3×4 affine (mm)
  std::vector<float> values;           // i fastest, then j, then k
  std::size_t voxels() const { return values.size(); }
  double voxel_volume_mm3() const { return spacing_mm[0] * spacing_mm[1] * spacing_mm[2]; }
  float at(std::int64_t i, std::int64_t j, std::int64_t k) const {
    return values[static_cast<std::size_t>(i + size[0] * (j + size[1] * k))];
  }
};

// Throws Error naming the file when it cannot be read, is not 3D (a 4th
// dimension of 1 is fine), has an unsupported data type, a non-positive or
// non-finite spacing, or non-finite values.
Volume read_nifti_volume(const std::filesystem::path& path);

// Writes a volume as NIfTI-1 float32 (for synthetic patients and outputs).
// Throws Error naming the file when it cannot be written.
void write_nifti_volume(const Volume& volume, const std::filesystem::path& path);

// Throws Error naming both volumes unless they share size, spacing and
// placement (to 10⁻³ mm).
void require_same_grid(const Volume& reference, const Volume& other);

// The count of voxels above 0.5.
std::size_t mask_voxels(const Volume& mask);

// Voxels [low, high) along i, j, k.
struct VoxelBox {
  std::array<std::int64_t, 3> low{}, high{};
};

// The smallest box holding every voxel above 0.5 of any of `masks` (one
// grid), `margin` voxels wider per axis where the volume has room. Throws
// Error naming the first mask when all are empty.
VoxelBox mask_bounds(const std::vector<const Volume*>& masks, const std::array<std::int64_t, 3>& margin);

// The part of `volume` in `box` (inside it), placed where it was.
Volume crop(const Volume& volume, const VoxelBox& box);

}  // namespace medtwin::io

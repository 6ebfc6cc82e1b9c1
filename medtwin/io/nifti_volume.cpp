#include "medtwin/io/nifti_volume.hpp"

#include <nifti2_io.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "medtwin/core/error.hpp"

namespace medtwin::io {
namespace {

constexpr std::int64_t kMaxSide = 2048;  // voxels along any axis
constexpr std::uintmax_t kMaxBytes = std::uintmax_t{1} << 30;

struct ImageDeleter {
  void operator()(nifti_image* image) const { nifti_image_free(image); }
};
using Image = std::unique_ptr<nifti_image, ImageDeleter>;

double unit_to_mm(int xyz_units) {
  switch (xyz_units & 0x07) {
    case NIFTI_UNITS_METER: return 1000;
    case NIFTI_UNITS_MICRON: return 0.001;
    default: return 1;  // mm, or unknown (taken as mm, the common case)
  }
}

template <typename T>
void copy_scaled(const void* data, std::size_t n, double slope, double intercept, std::vector<float>& out) {
  const T* in = static_cast<const T*>(data);
  out.resize(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<float>(slope * static_cast<double>(in[i]) + intercept);
}

void copy_values(const nifti_image& image, const std::string& name, std::vector<float>& out) {
  const auto n = static_cast<std::size_t>(image.nvox);
  const double slope = image.scl_slope == 0 ? 1.0 : image.scl_slope, intercept = image.scl_slope == 0 ? 0.0 : image.scl_inter;
  switch (image.datatype) {
    case NIFTI_TYPE_UINT8: return copy_scaled<std::uint8_t>(image.data, n, slope, intercept, out);
    case NIFTI_TYPE_INT8: return copy_scaled<std::int8_t>(image.data, n, slope, intercept, out);
    case NIFTI_TYPE_INT16: return copy_scaled<std::int16_t>(image.data, n, slope, intercept, out);
    case NIFTI_TYPE_UINT16: return copy_scaled<std::uint16_t>(image.data, n, slope, intercept, out);
    case NIFTI_TYPE_INT32: return copy_scaled<std::int32_t>(image.data, n, slope, intercept, out);
    case NIFTI_TYPE_UINT32: return copy_scaled<std::uint32_t>(image.data, n, slope, intercept, out);
    case NIFTI_TYPE_FLOAT32: return copy_scaled<float>(image.data, n, slope, intercept, out);
    case NIFTI_TYPE_FLOAT64: return copy_scaled<double>(image.data, n, slope, intercept, out);
    default: throw Error(name + ": unsupported NIfTI data type " + std::to_string(image.datatype));
  }
}

void copy_transform(const nifti_image& image, double to_mm, Volume& v) {
  const nifti_dmat44* m = image.sform_code > 0 ? &image.sto_xyz : image.qform_code > 0 ? &image.qto_xyz : nullptr;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c)
      v.to_world[static_cast<std::size_t>(4 * r + c)] =
          m ? to_mm * m->m[r][c] : (r == c ? v.spacing_mm[static_cast<std::size_t>(r)] : 0.0);
}

}  // namespace

Volume read_nifti_volume(const std::filesystem::path& path) {
  const std::string name = path.filename().string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw Error(name + ": no such file");
  nifti_set_debug_level(0);
  Image image(nifti_image_read(path.c_str(), 0));  // the header first: sizes are checked before any allocation
  if (!image) throw Error(name + ": not a readable NIfTI file");
  if (image->ndim < 1 || image->ndim > 4 || (image->ndim == 4 && image->nt != 1) || image->nx < 1 || image->ny < 1 ||
      image->nz < 1 || image->nx > kMaxSide || image->ny > kMaxSide || image->nz > kMaxSide ||
      image->nvox != image->nx * image->ny * image->nz)
    throw Error(name + ": expected a 3D volume of at most " + std::to_string(kMaxSide) + " voxels a side");
  const auto bytes = static_cast<std::uintmax_t>(image->nvox) * static_cast<std::uintmax_t>(std::max(image->nbyper, 0));
  if (bytes > kMaxBytes) throw Error(name + ": the volume is larger than 1 GiB");
  if (path.extension() == ".nii") {
    const auto size = std::filesystem::file_size(path, ec);
    if (ec || size < static_cast<std::uintmax_t>(std::max<std::int64_t>(image->iname_offset, 0)) + bytes)
      throw Error(name + ": the file is shorter than its header says");
  }
  if (nifti_image_load(image.get()) != 0 || !image->data) throw Error(name + ": the voxel data cannot be read");
  Volume v;
  v.name = name;
  v.size = {image->nx, image->ny, image->nz};
  const double to_mm = unit_to_mm(image->xyz_units);
  v.spacing_mm = {image->dx * to_mm, image->dy * to_mm, image->dz * to_mm};
  for (double s : v.spacing_mm)
    if (!(s > 0) || !std::isfinite(s)) throw Error(name + ": the voxel spacing must be positive and finite");
  copy_transform(*image, to_mm, v);
  for (double x : v.to_world)
    if (!std::isfinite(x)) throw Error(name + ": the voxel-to-world transform is not finite");
  copy_values(*image, name, v.values);
  for (float x : v.values)
    if (!std::isfinite(x)) throw Error(name + ": a voxel value is not finite");
  return v;
}

void write_nifti_volume(const Volume& volume, const std::filesystem::path& path) {
  const std::string name = path.filename().string();
  if (volume.size[0] < 1 || volume.size[1] < 1 || volume.size[2] < 1 ||
      volume.values.size() != static_cast<std::size_t>(volume.size[0] * volume.size[1] * volume.size[2]))
    throw Error(name + ": the volume's values do not fill its size");
  const std::int64_t dims[8] = {3, volume.size[0], volume.size[1], volume.size[2], 1, 1, 1, 1};
  Image image(nifti_make_new_nim(dims, NIFTI_TYPE_FLOAT32, 1));
  if (!image) throw Error(name + ": cannot make a NIfTI image");
  image->dx = image->pixdim[1] = volume.spacing_mm[0];
  image->dy = image->pixdim[2] = volume.spacing_mm[1];
  image->dz = image->pixdim[3] = volume.spacing_mm[2];
  image->xyz_units = NIFTI_UNITS_MM;
  image->sform_code = NIFTI_XFORM_SCANNER_ANAT;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c) image->sto_xyz.m[r][c] = volume.to_world[static_cast<std::size_t>(4 * r + c)];
  image->sto_xyz.m[3][0] = image->sto_xyz.m[3][1] = image->sto_xyz.m[3][2] = 0;
  image->sto_xyz.m[3][3] = 1;
  std::copy(volume.values.begin(), volume.values.end(), static_cast<float*>(image->data));
  // Written under a partial name (same extension) and renamed: no half-written volume is left under `path`.
  const auto partial = path.parent_path() / (".partial-" + name);
  if (nifti_set_filenames(image.get(), partial.c_str(), 0, 1) != 0)
    throw Error(name + ": not a NIfTI file name (.nii or .nii.gz)");
  std::error_code ec;
  std::filesystem::remove(partial, ec);
  nifti_image_write(image.get());
  const auto written = std::filesystem::file_size(partial, ec);
  if (ec || written == 0) {  // nifti_image_write reports nothing; a missing or empty file is its failure
    std::filesystem::remove(partial, ec);
    throw Error(name + ": could not be written");
  }
  std::filesystem::rename(partial, path, ec);
  if (ec) throw Error(name + ": could not be written (" + ec.message() + ")");
}

void require_same_grid(const Volume& reference, const Volume& other) {
  bool same = reference.size == other.size;
  for (std::size_t i = 0; same && i < 3; ++i) same = std::abs(reference.spacing_mm[i] - other.spacing_mm[i]) < 1e-3;
  for (std::size_t i = 0; same && i < 12; ++i) same = std::abs(reference.to_world[i] - other.to_world[i]) < 1e-3;
  if (!same) throw Error(other.name + ": not on the grid of " + reference.name + " (size, spacing or placement differ)");
}

std::size_t mask_voxels(const Volume& mask) {
  std::size_t n = 0;
  for (float x : mask.values) n += x > 0.5f;
  return n;
}

VoxelBox mask_bounds(const std::vector<const Volume*>& masks, const std::array<std::int64_t, 3>& margin) {
  const auto& size = masks.front()->size;
  VoxelBox box{size, {0, 0, 0}};
  std::size_t p = 0;
  for (std::int64_t k = 0; k < size[2]; ++k)
    for (std::int64_t j = 0; j < size[1]; ++j)
      for (std::int64_t i = 0; i < size[0]; ++i, ++p)
        if (std::any_of(masks.begin(), masks.end(), [p](const Volume* m) { return m->values[p] > 0.5f; })) {
          const std::array<std::int64_t, 3> at{i, j, k};
          for (std::size_t a = 0; a < 3; ++a) {
            box.low[a] = std::min(box.low[a], at[a]);
            box.high[a] = std::max(box.high[a], at[a] + 1);
          }
        }
  if (box.high[0] == 0) throw Error(masks.front()->name + ": the mask is empty");
  for (std::size_t a = 0; a < 3; ++a) {
    box.low[a] = std::max<std::int64_t>(0, box.low[a] - margin[a]);
    box.high[a] = std::min(size[a], box.high[a] + margin[a]);
  }
  return box;
}

Volume crop(const Volume& volume, const VoxelBox& box) {
  Volume out{volume.name, {}, volume.spacing_mm, volume.to_world, {}};
  for (std::size_t a = 0; a < 3; ++a) out.size[a] = box.high[a] - box.low[a];
  for (std::size_t row = 0; row < 3; ++row)
    for (std::size_t a = 0; a < 3; ++a)
      out.to_world[4 * row + 3] += volume.to_world[4 * row + a] * static_cast<double>(box.low[a]);
  out.values.reserve(static_cast<std::size_t>(out.size[0] * out.size[1] * out.size[2]));
  for (std::int64_t k = box.low[2]; k < box.high[2]; ++k)
    for (std::int64_t j = box.low[1]; j < box.high[1]; ++j)
      for (std::int64_t i = box.low[0]; i < box.high[0]; ++i) out.values.push_back(volume.at(i, j, k));
  return out;
}

}  // namespace medtwin::io

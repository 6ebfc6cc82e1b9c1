#include "medtwin/io/nifti_volume.hpp"

#include <gtest/gtest.h>

#include "medtwin/io/testing.hpp"

namespace medtwin::io {
namespace {

Volume ball(std::int64_t n, double spacing, double radius_mm) {
  Volume v;
  v.name = "ball";
  v.size = {n, n, n};
  v.spacing_mm = {spacing, spacing, spacing};
  v.to_world = {spacing, 0, 0, -10, 0, spacing, 0, 5, 0, 0, spacing, 2};
  const double centre = (static_cast<double>(n) - 1) / 2;
  for (std::int64_t k = 0; k < n; ++k)
    for (std::int64_t j = 0; j < n; ++j)
      for (std::int64_t i = 0; i < n; ++i) {
        const double x = (i - centre) * spacing, y = (j - centre) * spacing, z = (k - centre) * spacing;
        v.values.push_back(x * x + y * y + z * z <= radius_mm * radius_mm ? 1.0f : 0.0f);
      }
  return v;
}

TEST(NiftiVolume, WritesAndReadsBackAMask) {
  TempDir dir;
  const auto written = ball(20, 1.5, 9);
  for (const char* name : {"ball.nii", "ball.nii.gz"}) {
    write_nifti_volume(written, dir / name);
    const auto read = read_nifti_volume(dir / name);
    EXPECT_EQ(read.size, written.size);
    EXPECT_EQ(read.spacing_mm, written.spacing_mm);
    for (std::size_t i = 0; i < 12; ++i) EXPECT_NEAR(read.to_world[i], written.to_world[i], 1e-6);
    EXPECT_EQ(read.values, written.values);
    EXPECT_EQ(mask_voxels(read), mask_voxels(written));
    EXPECT_NO_THROW(require_same_grid(written, read));
  }
}

TEST(NiftiVolume, ClearErrors) {
  TempDir dir;
  EXPECT_NE(error_of([&] { read_nifti_volume(dir / "missing.nii"); }).find("missing.nii: no such file"),
            std::string::npos);
  write_file(dir / "junk.nii", std::string(400, 'x'));
  EXPECT_NE(error_of([&] { read_nifti_volume(dir / "junk.nii"); }).find("junk.nii"), std::string::npos);
  auto other = ball(20, 1.0, 9);
  other.name = "t2.nii";
  EXPECT_NE(error_of([&] { require_same_grid(ball(20, 1.5, 9), other); }).find("t2.nii: not on the grid of ball"),
            std::string::npos);
}

}  // namespace
}  // namespace medtwin::io

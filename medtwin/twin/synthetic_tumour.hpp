// Synthetic tumour patients for verification (issue 7): the spherical
// proliferation–invasion model with known D and ρ grows from its seed; on each
// visit day its T1Gd and T2/FLAIR spheres are drawn into NIfTI masks inside an
// ellipsoidal brain (white matter within an 8-mm shell of grey matter), with
// segmentation noise: every mask's radius is off by a normal error of SD
// `segmentation_sd_mm`, and its edge is rough (a random smooth bump of half
// that SD over directions). The timeline names the masks.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "medtwin/onco/radius_calibration.hpp"

namespace medtwin {

struct SyntheticTumourSpec {
  onco::PiParams truth{0.1, 0.05, 1e5};
  double first_t2_radius_mm = 22;
  std::vector<double> visit_days{0, 60};  // since the diagnosis, the first visit's day 0
  double voxel_mm = 2;
  double segmentation_sd_mm = 0;
  std::uint32_t seed = 1;
  // With α (1/Gy), the standard radiotherapy plan starts on `radiotherapy_day`
  // (a Monday, days from the first visit) and the timeline lists its fractions.
  std::optional<double> alpha_per_gy;
  double radiotherapy_day = 14;
  // With it, the truth is the 3D model instead (onco/grid_pi) on the masks'
  // own voxels with 0.25-day steps, D in white matter and D/5 in grey, grown
  // from a spherical tumour of T2 radius 10 mm; the first visit is the first
  // day its T2/FLAIR volume reaches the sphere of `first_t2_radius_mm`. Its
  // masks are noise-free and it is untreated.
  bool grid_truth = false;
  std::array<double, 3> tumour_offset_mm{15, 10, 5};  // of the tumour's centre from the brain's
  std::string patient = "synthetic";
  std::string diagnosis = "2026-01-05";
};

// Writes brain.nii.gz, white_matter.nii.gz, grey_matter.nii.gz, visitN_t1gd.nii.gz, visitN_t2.nii.gz (N from 1) and
// timeline.json into `folder` (created). Returns the model's true radii.
std::vector<onco::RadiusVisit> write_synthetic_tumour(const SyntheticTumourSpec& spec, const std::filesystem::path& folder);

// The model's radii on the visit days, without noise (a finer solver than the
// calibration's: 0.1 mm shells, 0.05-day steps, so no inverse crime).
std::vector<onco::RadiusVisit> synthetic_radii(const SyntheticTumourSpec& spec);

}  // namespace medtwin

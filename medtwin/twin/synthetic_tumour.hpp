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
  // With it (and α), temozolomide in the Stupp schedule (six adjuvant cycles,
  // body surface 1.9 m²) with this maximal kill rate (1/day) comes with the
  // radiotherapy, and the timeline lists its doses.
  std::optional<double> temozolomide_max_kill;
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

// A synthetic solid tumour for the cellularity twin (tumour_cellularity.hpp):
// the reaction–diffusion model with a known D and a proliferation rate rising
// from `rate_low` to `rate_high` across the tumour (along x), grown with
// 0.25-day steps inside an ellipsoidal domain (semi-axes 50, 40, 30 mm) from a
// Gaussian of 6 mm and peak 0.6 θ; on each visit day the cell shares become
// ADC maps (free water 3.0·10⁻³, the fullest voxel 0.6·10⁻³ mm²/s) with
// Gaussian noise of SD `adc_noise` × free water's ADC, and the ROI is where
// the share is at least 0.05.
struct SyntheticCellularitySpec {
  double diffusion_mm2_per_day = 0.02;
  double rate_low = 0.01, rate_high = 0.07;  // 1/day
  std::vector<double> visit_days{0, 21, 42, 63};
  double voxel_mm = 2;
  double adc_noise = 0;
  std::uint32_t seed = 1;
  std::string patient = "synthetic-solid-tumour";
  std::string first_date = "2026-01-05";
};

// Writes domain.nii.gz, visitN_adc.nii.gz, visitN_roi.nii.gz and timeline.json
// into `folder` (created). Returns the true total cells (shares summed) per visit.
std::vector<double> write_synthetic_cellularity(const SyntheticCellularitySpec& spec, const std::filesystem::path& folder);

}  // namespace medtwin

// The tumour twin on the patient's own image grid: the proliferation–invasion
// model in 3D (onco/grid_pi, onco/grid_course) with D from the tissue masks —
// D in white matter and a fifth of it in grey matter (Swanson, Alvord &
// Murray 2000) — no flux through the brain mask's edge, and the tumour
// started from a visit's T2/FLAIR mask: every voxel takes the density the
// model's spherical profile has at the same signed distance from the
// T2/FLAIR edge, so the outline is the patient's and the gradient the
// model's. Radiotherapy fields come from the simulated tumour plus the plan's
// margins, clipped to the brain. Without tissue masks the brain is one tissue.
// docs/tumour.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "medtwin/io/nifti_volume.hpp"
#include "medtwin/onco/grid_pi.hpp"
#include "medtwin/twin/tumour_twin.hpp"

namespace medtwin {

struct GridOptions {
  // Simulate on voxels of about this size: the images' voxels merged in
  // blocks (0: the images' own voxels).
  double voxel_mm = 2;
  double max_step_days = 1;  // the planar front is within 0.3 % of 2√(Dρ) up to 2 days
  int threads = 2;
  double grey_to_white_diffusion = 0.2;  // D in grey matter over D in white matter
};

// The patient's brain as the simulation sees it: the brain mask's bounding
// box, the images' voxels merged in blocks, white and grey matter. Masks of
// the same images are read on the images' own (fine) voxels, cropped alike.
class PatientGrid {
 public:
  // Throws Error naming the file when one cannot be read, a tissue mask is on
  // another grid than the brain mask, or the brain mask is empty.
  PatientGrid(const TumourImages& images, double voxel_mm);

  // A tumour mask on the fine voxels (1 inside). Throws Error naming the file
  // when it cannot be read, is on another grid, or is empty and `may_be_empty` is false.
  std::vector<std::uint8_t> read_mask(const std::string& name, bool may_be_empty) const;
  // The simulation voxels most of whose block lies in `fine_mask`.
  std::vector<std::uint8_t> coarse_mask(const std::vector<std::uint8_t>& fine_mask) const;
  // Signed distance (mm) of every fine voxel to the mask's edge, negative inside.
  std::vector<float> signed_distance(const std::vector<std::uint8_t>& fine_mask) const;
  // The radius (mm) of the sphere of the mask's volume.
  double equivalent_radius(const std::vector<std::uint8_t>& fine_mask) const;

  onco::TissueGrid tissue_grid(double white_diffusion, double grey_to_white) const;
  // The tumour whose T2/FLAIR edge lies where `edge_distance` (signed_distance
  // of a T2 mask) is 0, with the density `profile` has at its T2 radius
  // `profile_t2_radius_mm` plus that distance; block means of the fine voxels.
  onco::GridTumour tumour_at_edge(const std::vector<float>& edge_distance, const onco::SphericalTumour& profile,
                                  double profile_t2_radius_mm) const;

  std::array<std::size_t, 3> size() const { return size_; }
  std::array<double, 3> spacing_mm() const { return spacing_; }
  const std::vector<std::uint8_t>& brain() const { return brain_; }
  const std::vector<std::uint8_t>& white_matter() const { return white_; }
  std::size_t brain_voxels() const;
  bool has_tissue_masks() const { return has_tissues_; }

 private:
  template <typename Fine>
  std::vector<double> block_mean(Fine fine) const;

  std::filesystem::path folder_;
  io::Volume brain_header_;  // the brain mask's grid (no values), for checking masks against it
  io::VoxelBox crop_;  // of the images' voxels
  std::array<std::size_t, 3> fine_size_{}, block_{}, size_{};
  std::array<double, 3> fine_spacing_{}, spacing_{};
  std::vector<std::uint8_t> fine_brain_, brain_, white_;
  bool has_tissues_ = false;
};

// Axial slices (constant k) through the tumour, for pictures.
struct GridSlices {
  std::size_t width = 0, height = 0;       // voxels along i and j
  std::array<double, 2> spacing_mm{};      // along i and j
  std::vector<std::uint8_t> brain, white_matter;
  std::vector<std::uint8_t> field;         // the first radiotherapy field; empty without radiotherapy
  onco::Visibility visibility;             // of the densities below
  std::vector<double> days;                // the plan's start, the assessment, the end of the follow-up
  std::vector<std::vector<float>> density_share;  // c/K per day
};

struct GridForecast {
  PlanForecast forecast;  // one trajectory: the fitted parameters (the bands are that trajectory)
  GridSlices slices;
};

// Plans on the 3D twin, from the last calibration visit's T2/FLAIR mask, with
// the 3D calibration's D (white matter) and ρ when the twin has one, else the
// spherical calibration's.
class GridTwin {
 public:
  // Reads the twin's images. Throws Error naming the file when the twin has
  // none, a file cannot be read, or a mask is on another grid than the brain's.
  GridTwin(const TumourTwin& twin, const GridOptions& options);

  // Forecasts `plan`; the untreated control is kept for the next plan. Throws
  // Error naming the plan.
  GridForecast forecast(const TumourPlan& plan);
  const PatientGrid& grid() const { return grid_; }

 private:
  template <typename T, typename Value>
  std::vector<T> slice(Value value) const;
  PlanTrajectories simulate(const onco::PiParams& params, const onco::Treatment& treatment, const std::vector<double>& days,
                            std::map<double, std::vector<float>>& slices, std::vector<std::uint8_t>& field);

  TumourTwin twin_;  // with the 3D calibration's parameters when there is one
  GridOptions options_;
  PatientGrid grid_;
  std::vector<float> edge_distance_;  // of the last calibration visit's T2/FLAIR mask
  double t2_radius_mm_ = 0;           // of that mask
  std::size_t slice_k_ = 0;
  std::optional<std::vector<onco::TumourSize>> control_;  // untreated, kept for the next plan
};

// Every visit's masks on one axial slice of the images' own voxels — the one
// where the last calibration visit's T2/FLAIR mask is largest — cropped to
// the brain's bounding box: the pictures of the visits (1 inside, i fastest).
struct VisitMaskSlices {
  std::size_t width = 0, height = 0;  // voxels along i and j
  std::array<double, 2> spacing_mm{};
  std::vector<std::uint8_t> brain;
  struct Visit {
    std::size_t index = 0;  // in the twin's visits
    std::vector<std::uint8_t> t1gd, t2;
  };
  std::vector<Visit> visits;  // those with masks
};

// Throws Error when the twin has no images or no visit masks (calibrated from
// radii, or stored before visits kept their masks), or naming the file when a
// mask cannot be read or is on another grid.
VisitMaskSlices visit_mask_slices(const TumourTwin& twin);

// The twin whose forecasts on the grid use its 3D calibration (`twin.grid_fit`)
// when it has one.
TumourTwin with_grid_parameters(const TumourTwin& twin);

}  // namespace medtwin

// The tumour twin on the patient's own image grid: the proliferation–invasion
// model in 3D (onco/grid_pi, onco/grid_course) with D from the tissue masks —
// the fitted D in white matter and a fifth of it in grey matter (Swanson,
// Alvord & Murray 2000) — no flux through the brain mask's edge, and the
// tumour started on the last calibration visit from its T2/FLAIR mask: every
// voxel takes the density the calibrated spherical profile has at the same
// signed distance from the T2/FLAIR edge, so the outline is the patient's and
// the gradient the model's. Radiotherapy fields come from the simulated
// tumour plus the plan's margins, clipped to the brain. Without tissue masks
// the brain is one tissue with the fitted D. docs/tumour.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

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

class GridTwin {
 public:
  // Reads the twin's images. Throws Error naming the file when the twin has
  // none, a file cannot be read, or a mask is on another grid than the brain's.
  GridTwin(const TumourTwin& twin, const GridOptions& options);

  // Forecasts `plan` with the fitted parameters; the untreated control is kept
  // for the next plan. Throws Error naming the plan.
  GridForecast forecast(const TumourPlan& plan);

  std::array<std::size_t, 3> size() const { return size_; }
  std::array<double, 3> spacing_mm() const { return spacing_; }
  std::size_t brain_voxels() const;
  bool has_tissue_masks() const { return has_tissues_; }

 private:
  // The mean over each block of fine voxels of `fine(p)`.
  template <typename Fine>
  std::vector<double> block_mean(Fine fine) const;
  // The values on the picture's slice.
  template <typename T, typename Value>
  std::vector<T> slice(Value value) const;
  onco::TissueGrid tissue_grid(const onco::PiParams& params) const;
  onco::GridTumour initial_tumour(const onco::PiParams& params) const;
  PlanTrajectories simulate(const onco::PiParams& params, const onco::Treatment& treatment, const std::vector<double>& days,
                            std::map<double, std::vector<float>>& slices, std::vector<std::uint8_t>& field);

  const TumourTwin& twin_;
  GridOptions options_;
  // The images' grid and the simulation's (blocks of `block` voxels).
  std::array<std::size_t, 3> fine_size_{}, size_{}, block_{};
  std::array<double, 3> spacing_{};
  std::vector<float> signed_distance_mm_;  // fine: to the T2/FLAIR edge, negative inside
  std::vector<std::uint8_t> fine_brain_;
  std::vector<std::uint8_t> brain_, white_;  // coarse
  bool has_tissues_ = false;
  std::size_t slice_k_ = 0;
  std::optional<std::vector<onco::TumourSize>> control_;  // untreated, kept for the next plan
};

}  // namespace medtwin

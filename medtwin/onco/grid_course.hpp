// A treatment course (course.hpp) on the 3D image grid (grid_pi.hpp). A
// radiotherapy field is the dose map of the target as the planning scan shows
// it — the voxels where the simulated tumour is visible on T1Gd or T2/FLAIR —
// grown by the margin (an exact distance map) and clipped to the brain. When
// the target is not visible, the margin is taken around the densest voxel
// (the centre, as in spherical symmetry). The whole-domain target is the
// whole brain (a uniform dose). Measured radii are
// those of the spheres of the visible volumes. Pure; card
// docs/models/proliferation_invasion.md.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "medtwin/onco/course.hpp"
#include "medtwin/onco/grid_pi.hpp"

namespace medtwin::onco {

struct GridRun {
  double max_step_days = 1;  // the planar front stays within 0.3 % of 2√(Dρ) up to 2 days (card)
  int threads = 1;
  Visibility visibility;
};

class GridCourse final : public CourseTumour {
 public:
  // Keeps references to `grid` and `tumour`, which must outlive it.
  GridCourse(const TissueGrid& grid, GridTumour& tumour, const PiParams& params, const GridRun& run);

  void grow(double days, const KillBetween* kill, double start_day) override;
  TumourSize measure(double day) const override;
  std::size_t plan_field(DoseTarget target, double margin_mm) override;
  void irradiate(std::size_t field, double dose_gy, const LinearQuadratic& lq) override;
  void split_resistant(double share) override { tumour_.split_resistant(share); }

  // The voxels a field covers (1) or not (0), for pictures.
  const std::vector<std::uint8_t>& field(std::size_t handle) const { return fields_.at(handle); }
  std::size_t fields() const { return fields_.size(); }

 private:
  const TissueGrid& grid_;
  GridTumour& tumour_;
  PiParams params_;
  GridRun run_;
  std::vector<std::vector<std::uint8_t>> fields_;
  std::vector<float> dose_;  // reused for every fraction
  std::unique_ptr<GridStepper> stepper_;  // of the last step length
};

}  // namespace medtwin::onco

#include "medtwin/onco/grid_course.hpp"

#include <algorithm>
#include <cmath>

#include "medtwin/core/error.hpp"
#include "medtwin/onco/distance_map.hpp"

namespace medtwin::onco {

GridCourse::GridCourse(const TissueGrid& grid, GridTumour& tumour, const PiParams& params, const GridRun& run)
    : grid_(grid), tumour_(tumour), params_(params), run_(run) {
  require_positive(run.max_step_days, "the time step");
}

void GridCourse::grow(double days, const KillBetween* kill, double start_day) {
  require_positive(days, "the time to grow");
  const auto steps = static_cast<long>(std::ceil(days / run_.max_step_days));
  const double dt = days / static_cast<double>(steps);
  // Courses grow a day (or less) at a time: one factorisation serves them all.
  if (!stepper_ || std::abs(stepper_->step_days() - dt) > 1e-9 * dt)
    stepper_ = std::make_unique<GridStepper>(grid_, params_, dt, run_.threads);
  stepper_->advance(tumour_, steps, kill, start_day);
}

TumourSize GridCourse::measure(double day) const {
  const double k = params_.carrying_capacity;
  return {day, equivalent_radius_mm(tumour_.volume_at(grid_, run_.visibility.t1gd_share * k)),
          equivalent_radius_mm(tumour_.volume_at(grid_, run_.visibility.t2_share * k)), tumour_.total_cells(grid_)};
}

std::size_t GridCourse::plan_field(DoseTarget target, double margin_mm) {
  const std::size_t n = grid_.voxels();
  std::vector<std::uint8_t> field(n, 0);
  if (target == DoseTarget::whole_domain) {
    for (std::size_t p = 0; p < n; ++p) field[p] = grid_.diffusion[p] > 0 ? 1 : 0;
  } else {
    const double share = target == DoseTarget::t1gd ? run_.visibility.t1gd_share : run_.visibility.t2_share;
    const double level = share * params_.carrying_capacity;
    std::vector<std::uint8_t> visible(n, 0);
    std::size_t densest = 0;
    for (std::size_t p = 0; p < n; ++p) {
      visible[p] = tumour_.density_at(p) >= level ? 1 : 0;
      if (tumour_.density_at(p) > tumour_.density_at(densest)) densest = p;
    }
    // Nothing visible: the margin around the tumour's centre, as in spherical symmetry.
    if (std::find(visible.begin(), visible.end(), 1) == visible.end()) visible[densest] = 1;
    const auto distance = distance_to_region(grid_.size, grid_.spacing_mm, visible);
    for (std::size_t p = 0; p < n; ++p) field[p] = grid_.diffusion[p] > 0 && distance[p] <= margin_mm ? 1 : 0;
  }
  fields_.push_back(std::move(field));
  return fields_.size() - 1;
}

void GridCourse::irradiate(std::size_t handle, double dose_gy, const LinearQuadratic& lq) {
  const auto& covered = fields_.at(handle);
  dose_.resize(covered.size());
  for (std::size_t p = 0; p < covered.size(); ++p) dose_[p] = covered[p] ? static_cast<float>(dose_gy) : 0.0f;
  onco::irradiate(tumour_, grid_, params_, lq, dose_);
}

}  // namespace medtwin::onco

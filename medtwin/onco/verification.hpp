// The spherical solver's verification studies (card
// docs/models/proliferation_invasion.md), shared by its tests and by
// `medtwin tumor verify`, which draws them. Pure.
#pragma once

#include <vector>

#include "medtwin/onco/spherical_pi.hpp"

namespace medtwin::onco {

// A small tumour on a domain of `radius_mm` in `shells`: a Gaussian bump at
// the centre (σ 2 mm), peak 0.5 K.
SphericalTumour gaussian_seed(double radius_mm, int shells);

// The 0.8 K front of a Gaussian seed grown on a 600-mm domain (0.1-mm shells,
// 0.25-day steps), every `every_days`; its speed over the last 400 days (from
// the last recorded day at least that long before the end) against Fisher's 2√(Dρ).
struct FrontTrace {
  std::vector<double> days, radius_mm;
  double speed_mm_per_day = 0, fisher_speed_mm_per_day = 0;
};
FrontTrace travelling_front(const PiParams& params, double total_days, double every_days);

// The total cells of a Gaussian seed after 60 days at a series of
// resolutions, finest last; errors against the finest, and the observed order
// log2(|Q₁ − Q₂| / |Q₂ − Q₃|) of the last three.
struct ConvergenceStudy {
  std::vector<double> resolution;  // shell width (mm) or step (days)
  std::vector<double> total_cells;
  std::vector<double> error;  // |Q − Q_finest|, 0 for the finest
  double observed_order = 0;
};
// Shells of 40 mm / `shells` each, 0.01-day steps.
ConvergenceStudy space_convergence(const PiParams& params, const std::vector<int>& shells);
// 400 shells, steps of `steps_days` each.
ConvergenceStudy time_convergence(const PiParams& params, const std::vector<double>& steps_days);

}  // namespace medtwin::onco

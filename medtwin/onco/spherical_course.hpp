// A treatment course (course.hpp) on the spherical proliferation–invasion
// model: fields are balls of the target's radius plus the margin.
// Pure; card docs/models/proliferation_invasion.md.
#pragma once

#include <vector>

#include "medtwin/onco/course.hpp"
#include "medtwin/onco/spherical_pi.hpp"

namespace medtwin::onco {

struct SphericalRun {
  double max_step_days = 0.25;
  Visibility visibility;
};

TumourSize measure(const SphericalTumour& tumour, const PiParams& params, const Visibility& visibility, double day);

// run_course on `tumour`.
std::vector<TumourSize> run_spherical(SphericalTumour& tumour, const PiParams& params, double from_day,
                                      const std::vector<double>& sample_days, const Treatment& treatment,
                                      const SphericalRun& run);

}  // namespace medtwin::onco

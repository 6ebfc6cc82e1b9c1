// Calibration of the radiosensitivity α (1/Gy) to the visits after
// radiotherapy began (Rockne et al. 2010 fitted α per patient to the
// post-radiotherapy MRI the same way): D and ρ stay as calibrated before
// treatment, the tumour grows from its seed to the first visit, the fractions
// given are applied (T2/FLAIR + margin, α/β fixed), and log α is fitted to
// the later visits' radii. Drugs given meanwhile are not modelled: their effect
// is absorbed into α. Pure; card docs/models/proliferation_invasion.md.
#pragma once

#include <vector>

#include "medtwin/onco/radius_calibration.hpp"

namespace medtwin::onco {

struct GivenFractions {
  std::vector<double> days, doses_gy;
  double margin_mm = 25;      // the standard plan's first phase
  double alpha_beta_gy = 10;
};

struct RadiosensitivityFit {
  FittedParameter alpha;  // 1/Gy
  double rmse_mm = 0;
  std::vector<TumourSize> fitted;  // the model at each later visit
};

// `first_visit` anchors the model (its T2 radius); `after` are the visits on
// or after the first fraction. Throws Error when there are none, or a fraction
// comes before the first visit.
RadiosensitivityFit fit_radiosensitivity(const PiParams& params, const RadiusVisit& first_visit,
                                         const GivenFractions& fractions, const std::vector<RadiusVisit>& after,
                                         const RadiusCalibrationOptions& options);

}  // namespace medtwin::onco

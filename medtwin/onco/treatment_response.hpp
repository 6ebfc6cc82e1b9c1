// Calibration of the treatment response to the visits after treatment began
// (Rockne et al. 2010 fitted α per patient to the post-radiotherapy MRI the
// same way): D and ρ stay as calibrated before treatment, the tumour grows
// from its seed to the first visit, the fractions and drug doses given are
// applied (T2/FLAIR + margin, α/β fixed; drugs through their PK/PD), and log α
// and the drugs' log maximal kill rate are fitted to the later visits' radii.
// Pure; card docs/models/proliferation_invasion.md.
#pragma once

#include <optional>
#include <vector>

#include "medtwin/onco/chemotherapy.hpp"
#include "medtwin/onco/radius_calibration.hpp"

namespace medtwin::onco {

struct GivenTreatment {
  std::vector<double> fraction_days, fraction_doses_gy;  // none: no radiotherapy
  double margin_mm = 25;  // the standard plan's first phase
  double alpha_beta_gy = 10;
  // The drug doses given; their `max_kill_per_day` is what gets fitted.
  std::optional<Chemotherapy> chemotherapy;
};

struct TreatmentResponseFit {
  std::optional<FittedParameter> alpha;          // 1/Gy, with radiotherapy
  std::optional<FittedParameter> max_kill;       // 1/day, with drugs
  double log_correlation = 0;                    // between the two when both are fitted
  double rmse_mm = 0;
  std::vector<TumourSize> fitted;  // the model at each later visit
};

// `growth` gives D and ρ, whose uncertainty the response's intervals carry
// (delta method; none when their SDs are 0). `first_visit` anchors the model
// (its T2 radius); `after` are the visits on or after the first treatment.
// Throws Error when there are none, nothing was given, or a treatment comes
// before the first visit.
TreatmentResponseFit fit_treatment_response(const RadiusCalibration& growth, const RadiusVisit& first_visit,
                                            const GivenTreatment& given, const std::vector<RadiusVisit>& after,
                                            const RadiusCalibrationOptions& options);

}  // namespace medtwin::onco

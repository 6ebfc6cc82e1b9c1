// Glucose outcomes of a CGM (or simulated) trace, as the international
// consensus on CGM metrics reports them (Battelino et al. 2019, Diabetes Care
// 42:1593–1603): mean, coefficient of variation, glucose management indicator
// (Bergenstal et al. 2018, Diabetes Care 41:2275: GMI % = 3.31 + 0.02392 ×
// mean mg/dL), times in ranges, and the low/high blood glucose indices of
// Kovatchev et al. (1997 Diabetes Care 20:1655; 2006 Diabetes Care 29:2433):
// f(BG) = 1.509·((ln BG)^1.084 − 5.381), risk 10·f², LBGI the mean of the
// risk over readings with f < 0 counted as 0 elsewhere, HBGI likewise for f > 0.
#pragma once

#include <span>

namespace medtwin::metabolic {

struct GlucoseOutcomes {
  int readings = 0;
  double mean_mg_dl = 0;
  double sd_mg_dl = 0;
  double cv_percent = 0;           // 100·SD/mean (population SD)
  double gmi_percent = 0;
  double time_in_range = 0;        // % of readings within 70–180 mg/dL
  double time_below_70 = 0;        // % < 70 (level 1 and 2)
  double time_below_54 = 0;        // % < 54 (level 2)
  double time_above_180 = 0;       // % > 180
  double time_above_250 = 0;       // % > 250
  double lbgi = 0, hbgi = 0;
};

// Readings equally spaced in time (the percentages are shares of readings).
// Throws Error on no readings or a reading below 1 mg/dL or not finite.
GlucoseOutcomes glucose_outcomes(std::span<const double> glucose_mg_dl);

// Kovatchev's symmetrised risk of one reading: (low, high) with one of them 0.
struct GlucoseRisk {
  double low = 0, high = 0;
};
GlucoseRisk glucose_risk(double glucose_mg_dl);

}  // namespace medtwin::metabolic

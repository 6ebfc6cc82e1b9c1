#include "medtwin/metabolic/glucose_outcomes.hpp"

#include <cmath>
#include <string>

#include "medtwin/core/error.hpp"

namespace medtwin::metabolic {

GlucoseRisk glucose_risk(double bg) {
  const double f = 1.509 * (std::pow(std::log(bg), 1.084) - 5.381);
  const double risk = 10 * f * f;
  return f < 0 ? GlucoseRisk{risk, 0} : GlucoseRisk{0, risk};
}

GlucoseOutcomes glucose_outcomes(std::span<const double> glucose) {
  if (glucose.empty()) throw Error("glucose outcomes: no readings");
  GlucoseOutcomes o;
  o.readings = static_cast<int>(glucose.size());
  double sum = 0, in_range = 0, below70 = 0, below54 = 0, above180 = 0, above250 = 0;
  for (double bg : glucose) {
    if (!(bg >= 1) || !std::isfinite(bg))  // Kovatchev's log-scale risk needs ln BG > 0
      throw Error("glucose outcomes: reading " + std::to_string(bg) + " mg/dL is below 1 mg/dL or not a number");
    sum += bg;
    in_range += bg >= 70 && bg <= 180;
    below70 += bg < 70;
    below54 += bg < 54;
    above180 += bg > 180;
    above250 += bg > 250;
    const GlucoseRisk r = glucose_risk(bg);
    o.lbgi += r.low;
    o.hbgi += r.high;
  }
  const double n = static_cast<double>(glucose.size());
  o.mean_mg_dl = sum / n;
  double squares = 0;
  for (double bg : glucose) squares += (bg - o.mean_mg_dl) * (bg - o.mean_mg_dl);
  o.sd_mg_dl = std::sqrt(squares / n);
  o.cv_percent = 100 * o.sd_mg_dl / o.mean_mg_dl;
  o.gmi_percent = 3.31 + 0.02392 * o.mean_mg_dl;
  o.time_in_range = 100 * in_range / n;
  o.time_below_70 = 100 * below70 / n;
  o.time_below_54 = 100 * below54 / n;
  o.time_above_180 = 100 * above180 / n;
  o.time_above_250 = 100 * above250 / n;
  o.lbgi /= n;
  o.hbgi /= n;
  return o;
}

}  // namespace medtwin::metabolic

#include "medtwin/onco/radiotherapy.hpp"

#include <cmath>

#include "medtwin/core/error.hpp"

namespace medtwin::onco {

double LinearQuadratic::killed_share(double dose_gy) const {
  if (!(alpha_per_gy >= 0) || !std::isfinite(alpha_per_gy))
    throw Error("radiotherapy: alpha must be a finite number of 1/Gy >= 0");
  require_positive(alpha_beta_gy, "radiotherapy: alpha/beta");
  if (!(dose_gy >= 0) || !std::isfinite(dose_gy)) throw Error("radiotherapy: a dose must be a finite number of Gy >= 0");
  const double beta = alpha_per_gy / alpha_beta_gy;
  return 1 - std::exp(-alpha_per_gy * dose_gy - beta * dose_gy * dose_gy);
}

RadiotherapyPlan standard_radiotherapy() {
  return {"standard 61.2 Gy / 34 fractions",
          {{28, 1.8, DoseTarget::t2, 25}, {6, 1.8, DoseTarget::t1gd, 20}}};
}

RadiotherapyPlan hypofractionated_radiotherapy() {
  return {"hypofractionated 40.05 Gy / 15 fractions", {{15, 2.67, DoseTarget::t2, 25}}};
}

double total_dose_gy(const RadiotherapyPlan& plan) {
  double total = 0;
  for (const auto& phase : plan.phases) total += phase.fractions * phase.dose_per_fraction_gy;
  return total;
}

std::vector<double> fraction_days(const RadiotherapyPlan& plan, double first_day) {
  std::vector<double> days;
  for (const auto& phase : plan.phases) {
    if (phase.fractions <= 0) throw Error("radiotherapy plan '" + plan.name + "': a phase needs at least one fraction");
    require_positive(phase.dose_per_fraction_gy, "radiotherapy plan '" + plan.name + "': the dose per fraction");
    if (!(phase.margin_mm >= 0)) throw Error("radiotherapy plan '" + plan.name + "': a margin must be >= 0 mm");
    for (int f = 0; f < phase.fractions; ++f) {
      const auto k = static_cast<long>(days.size());
      days.push_back(first_day + 7.0 * static_cast<double>(k / 5) + static_cast<double>(k % 5));
    }
  }
  return days;
}

const char* to_string(DoseTarget target) {
  switch (target) {
    case DoseTarget::t1gd: return "T1Gd";
    case DoseTarget::t2: return "T2";
    case DoseTarget::whole_domain: return "whole";
  }
  return "?";
}

}  // namespace medtwin::onco

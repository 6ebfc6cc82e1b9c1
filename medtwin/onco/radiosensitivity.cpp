#include "medtwin/onco/radiosensitivity.hpp"

#include <cmath>

#include "medtwin/core/error.hpp"
#include "medtwin/onco/log_fit.hpp"

namespace medtwin::onco {
namespace {

constexpr double kStartAlpha = 0.05;  // 1/Gy, between Rockne's 0.03 and 0.09

}  // namespace

RadiosensitivityFit fit_radiosensitivity(const PiParams& params, const RadiusVisit& first_visit,
                                         const GivenFractions& fractions, const std::vector<RadiusVisit>& after,
                                         const RadiusCalibrationOptions& options) {
  if (after.empty()) throw Error("radiosensitivity: no visit after radiotherapy began");
  if (fractions.days.empty() || fractions.days.front() < first_visit.day)
    throw Error("radiosensitivity: the fractions must come after the first visit");
  std::vector<double> days{first_visit.day};
  for (const auto& v : after) days.push_back(v.day);
  const auto& grid = options.grid;
  auto simulate = [&](double alpha) {
    auto tumour = tumour_with_t2_radius(params, first_visit.t2_radius_mm, options.visibility, grid);
    const Treatment treatment{given_radiotherapy(fractions.days, fractions.doses_gy, fractions.margin_mm,
                                                 {alpha, fractions.alpha_beta_gy}),
                              std::nullopt};
    auto sizes = run_spherical(tumour, params, first_visit.day, days, treatment, {grid.max_step_days, options.visibility});
    sizes.erase(sizes.begin());
    return sizes;
  };
  const double sd = options.radius_sd_mm;
  auto residuals = [&](const double* log_alpha, double* out) {
    try {
      const auto sizes = simulate(std::exp(log_alpha[0]));
      for (std::size_t i = 0; i < after.size(); ++i) {
        out[2 * i] = (sizes[i].t1gd_radius_mm - after[i].t1gd_radius_mm) / sd;
        out[2 * i + 1] = (sizes[i].t2_radius_mm - after[i].t2_radius_mm) / sd;
      }
      return true;
    } catch (const Error&) {
      return false;
    }
  };
  const auto solved = fit_log_parameters(residuals, {std::log(kStartAlpha)}, static_cast<int>(2 * after.size()),
                                         "radiosensitivity");
  RadiosensitivityFit fit;
  fit.alpha = {std::exp(solved.log_values[0]), std::sqrt(solved.covariance[0])};
  fit.fitted = simulate(fit.alpha.value);
  fit.rmse_mm = std::sqrt(2 * solved.final_cost / static_cast<double>(2 * after.size())) * sd;
  return fit;
}

}  // namespace medtwin::onco

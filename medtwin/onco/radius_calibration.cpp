#include "medtwin/onco/radius_calibration.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "medtwin/core/error.hpp"
#include "medtwin/onco/log_fit.hpp"

namespace medtwin::onco {
namespace {

// Planar front width between 80 % and 16 % of K in units of √(D/ρ)
// (../shared/data/oncology/fkpp_front_width_derived.txt): the starting point only.
constexpr double kPlanarFrontWidth = 6.07;
// The no-flux edge must stay clear of the front's foot.
constexpr double kBoundaryClearance_mm = 30;

void check_visits(const std::vector<RadiusVisit>& visits, const RadiusCalibrationOptions& options) {
  if (visits.size() < 2) throw Error("tumour calibration: needs at least two pre-treatment visits with radii");
  for (std::size_t i = 0; i < visits.size(); ++i) {
    const auto& v = visits[i];
    const std::string which = "tumour calibration: visit " + std::to_string(i + 1);
    if (!std::isfinite(v.day) || (i > 0 && !(v.day > visits[i - 1].day)))
      throw Error(which + ": days must increase from visit to visit");
    if (!(v.t1gd_radius_mm >= 0) || !std::isfinite(v.t1gd_radius_mm))
      throw Error(which + ": the T1Gd radius must be a finite number of mm >= 0");
    if (!(v.t2_radius_mm > v.t1gd_radius_mm) || !std::isfinite(v.t2_radius_mm))
      throw Error(which + ": the T2/FLAIR radius must be larger than the T1Gd radius");
  }
  if (visits.back().t1gd_radius_mm <= 0) throw Error("tumour calibration: the last visit needs an enhancing (T1Gd) radius");
  require_positive(options.radius_sd_mm, "tumour calibration: the radius SD");
  require_positive(options.carrying_capacity, "tumour calibration: the carrying capacity");
}

double largest_t2(const std::vector<RadiusVisit>& visits) {
  double largest = 0;
  for (const auto& v : visits) largest = std::max(largest, v.t2_radius_mm);
  return largest;
}

// D and ρ from the mean speed of both radii and the last visit's gap, by the
// planar travelling wave.
PiParams starting_point(const std::vector<RadiusVisit>& visits, double capacity) {
  const auto &first = visits.front(), &last = visits.back();
  const double speed = ((last.t1gd_radius_mm - first.t1gd_radius_mm) + (last.t2_radius_mm - first.t2_radius_mm)) /
                       (2 * (last.day - first.day));
  if (!(speed > 0)) throw Error("tumour calibration: the tumour did not grow between the visits");
  const double root_d_rho = speed / 2, root_d_over_rho = (last.t2_radius_mm - last.t1gd_radius_mm) / kPlanarFrontWidth;
  return {root_d_rho * root_d_over_rho, root_d_rho / root_d_over_rho, capacity};
}

// Residuals in units of the radius SD: the first visit's T1Gd radius, then both
// radii of every later visit. The model is aligned on the first T2 radius.
struct RadiusResiduals {
  const std::vector<RadiusVisit>* visits;
  const RadiusCalibrationOptions* options;

  bool operator()(double const* const* log_params, double* residuals) const {
    try {
      const auto fitted = simulate(log_params[0], nullptr);
      const double sd = options->radius_sd_mm;
      residuals[0] = (fitted[0].t1gd_radius_mm - visits->front().t1gd_radius_mm) / sd;
      for (std::size_t i = 1; i < visits->size(); ++i) {
        residuals[2 * i - 1] = (fitted[i].t1gd_radius_mm - (*visits)[i].t1gd_radius_mm) / sd;
        residuals[2 * i] = (fitted[i].t2_radius_mm - (*visits)[i].t2_radius_mm) / sd;
      }
      return true;
    } catch (const Error&) {
      return false;  // e.g. the seed never reaches the first visit: the step is refused
    }
  }

  std::vector<TumourSize> simulate(const double* log_params, double* age) const {
    const PiParams params{std::exp(log_params[0]), std::exp(log_params[1]), options->carrying_capacity};
    std::vector<double> days;
    for (const auto& v : *visits) days.push_back(v.day);
    return sizes_from_t2_radius(params, visits->front().t2_radius_mm, days, options->visibility, options->grid, age);
  }
};

}  // namespace

SphericalGrid grid_clearing(SphericalGrid grid, double t2_radius_mm) {
  grid.domain_radius_mm = std::max(grid.domain_radius_mm, t2_radius_mm + kBoundaryClearance_mm);
  return grid;
}

double FittedParameter::low95() const { return value * std::exp(-1.959964 * log_sd); }
double FittedParameter::high95() const { return value * std::exp(1.959964 * log_sd); }

namespace {

// The model's seed: a Gaussian bump of 1 mm, peak K/2.
SphericalTumour seed(const PiParams& params, const SphericalGrid& grid) {
  const int shells = static_cast<int>(std::lround(grid.domain_radius_mm / grid.shell_mm));
  const double k = params.carrying_capacity;
  return spherical_tumour(grid.domain_radius_mm, shells, [k](double r) { return 0.5 * k * std::exp(-r * r); });
}

}  // namespace

SphericalTumour tumour_with_t2_radius(const PiParams& params, double t2_radius_mm, const Visibility& visibility,
                                      const SphericalGrid& grid, double* age_days) {
  auto tumour = seed(params, grid);
  const double level = visibility.t2_share * params.carrying_capacity, dt = grid.max_step_days;
  double previous_radius = tumour.radius_at(level);
  if (previous_radius >= t2_radius_mm) throw Error("tumour calibration: the T2 radius is smaller than the model's seed");
  for (double age = 0; age < grid.max_age_days; age += dt) {
    const auto before = tumour.density;
    grow(tumour, params, dt, dt);
    const double radius = tumour.radius_at(level);
    if (radius < t2_radius_mm) {
      previous_radius = radius;
      continue;
    }
    const double share = (t2_radius_mm - previous_radius) / (radius - previous_radius);
    tumour.density = before;
    if (share > 0) grow(tumour, params, share * dt, dt);
    if (age_days) *age_days = age + share * dt;
    return tumour;
  }
  throw Error("tumour calibration: the model does not reach the first visit's T2 radius within its maximum age");
}

std::vector<TumourSize> sizes_from_t2_radius(const PiParams& params, double t2_radius_mm, const std::vector<double>& days,
                                             const Visibility& visibility, const SphericalGrid& grid, double* age_days) {
  auto tumour = tumour_with_t2_radius(params, t2_radius_mm, visibility, grid, age_days);
  return run_spherical(tumour, params, days.front(), days, {}, {grid.max_step_days, visibility});
}

std::vector<TumourSize> untreated_history(const PiParams& params, double t2_radius_mm, double first_visit_day,
                                          double until_day, const Visibility& visibility, const SphericalGrid& grid) {
  double age = 0;
  tumour_with_t2_radius(params, t2_radius_mm, visibility, grid, &age);
  const double seeded_on = first_visit_day - age;
  std::vector<double> ages;
  for (double a = 0; a <= until_day - seeded_on; ++a) ages.push_back(a);
  auto tumour = seed(params, grid);
  auto sizes = run_spherical(tumour, params, 0, ages, {}, {grid.max_step_days, visibility});
  for (auto& s : sizes) s.day += seeded_on;
  return sizes;
}

RadiusCalibration calibrate_from_radii(const std::vector<RadiusVisit>& visits, const RadiusCalibrationOptions& requested) {
  check_visits(visits, requested);
  auto options = requested;
  options.grid = grid_clearing(options.grid, largest_t2(visits));
  const PiParams start = starting_point(visits, options.carrying_capacity);
  const RadiusResiduals model{&visits, &options};
  const auto solved = fit_log_parameters(
      [&model](const double* log_params, double* out) { return model(&log_params, out); },
      {std::log(start.diffusion_mm2_per_day), std::log(start.proliferation_per_day)},
      static_cast<int>(2 * visits.size() - 1), "tumour calibration");
  const double* log_params = solved.log_values.data();
  const auto& cov = solved.covariance;

  RadiusCalibration fit;
  fit.params = {std::exp(log_params[0]), std::exp(log_params[1]), options.carrying_capacity};
  fit.grid = options.grid;
  fit.iterations = solved.iterations;
  fit.diffusion = {fit.params.diffusion_mm2_per_day, std::sqrt(cov[0])};
  fit.proliferation = {fit.params.proliferation_per_day, std::sqrt(cov[3])};
  if (cov[0] > 0 && cov[3] > 0) fit.log_correlation = cov[1] / std::sqrt(cov[0] * cov[3]);
  fit.fisher_speed_mm_per_day = 2 * std::sqrt(fit.params.diffusion_mm2_per_day * fit.params.proliferation_per_day);
  fit.front_scale_mm = std::sqrt(fit.params.diffusion_mm2_per_day / fit.params.proliferation_per_day);
  fit.fitted = model.simulate(log_params, &fit.age_at_first_visit_days);
  fit.rmse_mm = std::sqrt(2 * solved.final_cost / static_cast<double>(2 * visits.size() - 1)) * options.radius_sd_mm;
  return fit;
}

}  // namespace medtwin::onco

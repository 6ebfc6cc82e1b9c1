// Calibrates the spherical proliferation–invasion model to a patient's
// pre-treatment visits, each giving the radius visible on T1Gd and on
// T2/FLAIR (Swanson 2008; Rockne 2010; Harpold, Alvord & Swanson 2007). The
// growth of the radii between visits gives the front speed, ≈ 2√(Dρ); the
// T1Gd–T2 gap gives √(D/ρ). Both come from the model's own profile: the model
// grows from a small seed until its T2 radius is the first visit's, and D and ρ
// are fitted (Levenberg–Marquardt on log D and log ρ, Ceres) so that the other
// radii match. The speed and the planar front width (≈ 6.07·√(D/ρ) between
// 80 % and 16 % of K) only give the starting point.
// Pure; card docs/models/proliferation_invasion.md.
#pragma once

#include <vector>

#include "medtwin/onco/spherical_course.hpp"

namespace medtwin::onco {

struct RadiusVisit {
  double day = 0;
  double t1gd_radius_mm = 0;
  double t2_radius_mm = 0;
};

struct SphericalGrid {
  double domain_radius_mm = 75;  // no flux at the edge: a sphere of the brain's volume (≈ 1.8 L)
  double shell_mm = 0.25;
  double max_step_days = 0.25;
  double max_age_days = 20 * 365.25;  // a seed that needs longer to reach the first visit is refused
};

// `grid` with its no-flux edge at least 30 mm beyond a T2 radius of
// `t2_radius_mm`, so that the edge stays clear of the front's foot.
SphericalGrid grid_clearing(SphericalGrid grid, double t2_radius_mm);

struct RadiusCalibrationOptions {
  double carrying_capacity = 1e5;  // cells/mm³ (Rockne 2010)
  Visibility visibility;
  double radius_sd_mm = 1.0;  // measurement error of a radius, for the parameters' uncertainty
  SphericalGrid grid;
};

// A fitted positive parameter: log-normal, from the Gauss–Newton covariance
// (log_sd NaN when the covariance could not be computed).
struct FittedParameter {
  double value = 0;
  double log_sd = 0;
  double low95() const;
  double high95() const;
};

struct RadiusCalibration {
  PiParams params;
  FittedParameter diffusion, proliferation;  // mm²/day, 1/day
  double log_correlation = 0;                // between log D and log ρ
  double fisher_speed_mm_per_day = 0;        // 2√(Dρ)
  double front_scale_mm = 0;                 // √(D/ρ)
  double age_at_first_visit_days = 0;        // since the model's seed
  std::vector<TumourSize> fitted;            // the model at each visit
  SphericalGrid grid;                        // as used: the domain grows to clear the largest T2 radius by 30 mm
  double rmse_mm = 0;
  int iterations = 0;
};

// Throws Error with the reason when the visits cannot be fitted: fewer than two,
// days not increasing, a T2 radius not above the T1Gd one, no growth.
RadiusCalibration calibrate_from_radii(const std::vector<RadiusVisit>& visits, const RadiusCalibrationOptions& options);

// The model's tumour on the day its T2 radius is `t2_radius_mm`, grown from the
// seed; `age_days` receives the time that took. Throws Error when it is not
// reached within grid.max_age_days.
SphericalTumour tumour_with_t2_radius(const PiParams& params, double t2_radius_mm, const Visibility& visibility,
                                      const SphericalGrid& grid, double* age_days = nullptr);

// The untreated model's sizes on `days` (sorted), on the first of which its
// T2 radius is `t2_radius_mm`.
std::vector<TumourSize> sizes_from_t2_radius(const PiParams& params, double t2_radius_mm, const std::vector<double>& days,
                                             const Visibility& visibility, const SphericalGrid& grid,
                                             double* age_days = nullptr);

// A grid finer than the calibration's (0.1 mm shells, 0.05-day steps), for
// synthetic patients that the calibration must not share the errors of.
inline constexpr SphericalGrid kFineGrid{100, 0.1, 0.05, 20 * 365.25};

// The untreated tumour's whole history, once a day from its seed through
// `until_day`, the day `first_visit_day` being when its T2 radius is
// `t2_radius_mm`. For Days Gained, which compares with that history.
std::vector<TumourSize> untreated_history(const PiParams& params, double t2_radius_mm, double first_visit_day,
                                          double until_day, const Visibility& visibility, const SphericalGrid& grid);

}  // namespace medtwin::onco

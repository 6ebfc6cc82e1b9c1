#include "medtwin/onco/verification.hpp"

#include <cmath>

#include "medtwin/core/error.hpp"

namespace medtwin::onco {
namespace {

constexpr double kFrontLevel = 0.8;  // of K
constexpr double kFrontDomainMm = 600, kFrontShells = 6000, kFrontStepDays = 0.25, kSpeedWindowDays = 400;
constexpr double kConvergenceDomainMm = 40, kConvergenceDays = 60, kFineStepDays = 0.01;
constexpr int kTimeStudyShells = 400;

double total_cells_after(const PiParams& params, int shells, double step_days) {
  auto t = gaussian_seed(kConvergenceDomainMm, shells);
  grow(t, params, kConvergenceDays, step_days);
  return t.total_cells();
}

ConvergenceStudy study(std::vector<double> resolution, std::vector<double> totals) {
  if (totals.size() < 3) throw Error("convergence study: three resolutions at least");
  const std::size_t n = totals.size();
  ConvergenceStudy s{std::move(resolution), std::move(totals), {}, 0};
  for (double q : s.total_cells) s.error.push_back(std::abs(q - s.total_cells.back()));
  s.observed_order = std::log2(std::abs(s.total_cells[n - 3] - s.total_cells[n - 2]) /
                               std::abs(s.total_cells[n - 2] - s.total_cells[n - 1]));
  return s;
}

}  // namespace

SphericalTumour gaussian_seed(double radius_mm, int shells) {
  return spherical_tumour(radius_mm, shells, [](double r) { return 0.5 * std::exp(-r * r / 8); });
}

FrontTrace travelling_front(const PiParams& params, double total_days, double every_days) {
  if (!(total_days > kSpeedWindowDays) || !(every_days > 0)) throw Error("travelling front: more than 400 days, in positive steps");
  auto t = gaussian_seed(kFrontDomainMm, static_cast<int>(kFrontShells));
  FrontTrace trace;
  double day = 0, window_start_day = 0, window_start_radius = t.radius_at(kFrontLevel);
  while (day < total_days - 1e-9) {
    const double step = std::min(every_days, total_days - day);
    grow(t, params, step, kFrontStepDays);
    day += step;
    trace.days.push_back(day);
    trace.radius_mm.push_back(t.radius_at(kFrontLevel));
    if (day <= total_days - kSpeedWindowDays + 1e-9) {
      window_start_day = day;
      window_start_radius = trace.radius_mm.back();
    }
  }
  trace.speed_mm_per_day = (trace.radius_mm.back() - window_start_radius) / (day - window_start_day);
  trace.fisher_speed_mm_per_day = 2 * std::sqrt(params.diffusion_mm2_per_day * params.proliferation_per_day);
  return trace;
}

ConvergenceStudy space_convergence(const PiParams& params, const std::vector<int>& shells) {
  std::vector<double> width, totals;
  for (int n : shells) {
    width.push_back(kConvergenceDomainMm / n);
    totals.push_back(total_cells_after(params, n, kFineStepDays));
  }
  return study(width, totals);
}

ConvergenceStudy time_convergence(const PiParams& params, const std::vector<double>& steps_days) {
  std::vector<double> totals;
  for (double dt : steps_days) totals.push_back(total_cells_after(params, kTimeStudyShells, dt));
  return study(steps_days, totals);
}

}  // namespace medtwin::onco

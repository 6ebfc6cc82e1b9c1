#include "medtwin/twin/tumour_trial.hpp"

#include <cmath>
#include <random>
#include <thread>

#include "medtwin/core/error.hpp"
#include "medtwin/core/parallel.hpp"
#include "medtwin/core/stats.hpp"

namespace medtwin {
namespace {

constexpr double kZ95 = 1.6448536;  // the 95th percentile of the standard normal
constexpr double kNealDays = 100;

// Log-normal with `low` and `high` as its 5th and 95th percentiles.
double draw_between(std::mt19937_64& rng, double low, double high) {
  std::normal_distribution<double> z;
  const double centre = 0.5 * (std::log(low) + std::log(high)), sd = (std::log(high) - std::log(low)) / (2 * kZ95);
  return std::exp(centre + sd * z(rng));
}

}  // namespace

std::vector<TumourTwin> virtual_tumour_cohort(int patients, std::uint32_t seed, std::optional<double> body_surface_m2) {
  if (patients < 1) throw Error("tumour trial: at least one virtual patient");
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> t2_radius(15, 30);
  std::vector<TumourTwin> cohort;
  for (int i = 0; i < patients; ++i) {
    TumourTwin twin;
    twin.id = "virtual-" + std::to_string(i + 1);
    twin.body_surface_m2 = body_surface_m2;
    const double d = draw_between(rng, 0.04, 0.2), rho = draw_between(rng, 0.02, 0.1);
    twin.fit.params = {d, rho, twin.options.carrying_capacity};
    twin.fit.diffusion = {d, 0};
    twin.fit.proliferation = {rho, 0};
    twin.first_t2_radius_mm = t2_radius(rng);
    twin.options.grid = onco::grid_clearing(twin.options.grid, twin.first_t2_radius_mm);
    cohort.push_back(twin);
  }
  return cohort;
}

std::vector<TumourTrialArm> run_tumour_trial(const std::vector<TumourTwin>& cohort, const std::vector<TumourPlan>& plans) {
  std::vector<std::vector<PlanForecast>> results(cohort.size());
  run_parallel(cohort.size(), static_cast<int>(std::max(1u, std::thread::hardware_concurrency())),
               [&](std::size_t i) { results[i] = forecast_plans(cohort[i], plans, 1, 1); });
  std::vector<TumourTrialArm> arms;
  for (std::size_t p = 0; p < plans.size(); ++p) {
    TumourTrialArm arm;
    arm.plan = plans[p].name;
    std::vector<double> gained;
    for (const auto& patient : results) {
      const auto& f = patient[p];
      const double share = 1.0 / static_cast<double>(results.size());
      arm.responding_share += f.responding_share * share;
      arm.progressing_share += f.progressing_share * share;
      arm.beyond_neal_share += (f.days_gained_median >= kNealDays) * share;
      gained.push_back(f.days_gained_median);
    }
    arm.days_gained_low = *quantile(gained, 0.1);
    arm.days_gained_median = *quantile(gained, 0.5);
    arm.days_gained_high = *quantile(gained, 0.9);
    arms.push_back(arm);
  }
  return arms;
}

}  // namespace medtwin

#include "medtwin/onco/cellularity.hpp"

#include <algorithm>
#include <cmath>

#include "medtwin/core/error.hpp"
#include "medtwin/onco/grid_course.hpp"
#include "medtwin/onco/log_fit.hpp"

namespace medtwin::onco {
namespace {

constexpr double kLogisticEdge = 0.01;  // shares this close to 0 or 1 say little about k
constexpr double kRateDamping = 1e-6;   // added to Σ J² per voxel

void check_maps(const TissueGrid& domain, const std::vector<CellularityMap>& maps) {
  if (maps.size() < 2) throw Error("cellularity: the fit needs two maps or more");
  for (std::size_t m = 0; m < maps.size(); ++m) {
    if (maps[m].share.size() != domain.voxels()) throw Error("cellularity: a map is not on the domain's grid");
    if (m > 0 && !(maps[m].day > maps[m - 1].day)) throw Error("cellularity: the maps' days must increase");
    for (double s : maps[m].share)
      if (!(s >= 0 && s <= 1)) throw Error("cellularity: shares of the carrying capacity must be in [0, 1]");
  }
}

// The model's maps on `days` from `start` on `start_day`, with D and k(x).
std::vector<std::vector<double>> simulate(const TissueGrid& domain, double diffusion, const std::vector<float>& rates,
                                          const std::vector<double>& start, double start_day,
                                          const std::vector<double>& days, const CellularityFitOptions& options) {
  TissueGrid grid = domain;
  for (auto& d : grid.diffusion) d = d > 0 ? static_cast<float>(diffusion) : 0.0f;
  grid.proliferation_per_day = rates;
  GridTumour tumour{start, {}};
  const PiParams params{diffusion, 0, 1};
  const GridRun run{options.max_step_days, options.threads, {}};
  GridCourse course(grid, tumour, params, run);
  std::vector<std::vector<double>> out;
  run_course(course, start_day, days, {}, [&](std::size_t) { out.push_back(tumour.density); });
  return out;
}

std::vector<double> days_after_first(const std::vector<CellularityMap>& maps) {
  std::vector<double> days;
  for (std::size_t m = 1; m < maps.size(); ++m) days.push_back(maps[m].day);
  return days;
}

// k from the first two maps as if each voxel grew alone (logistic).
std::vector<float> logistic_rates(const TissueGrid& domain, const std::vector<CellularityMap>& maps,
                                  const CellularityFitOptions& options) {
  std::vector<float> rates(domain.voxels(), 0.0f);
  const double dt = maps[1].day - maps[0].day;
  for (std::size_t p = 0; p < rates.size(); ++p) {
    const double n0 = maps[0].share[p], n1 = maps[1].share[p];
    auto inside = [](double n) { return n > kLogisticEdge && n < 1 - kLogisticEdge; };
    if (domain.diffusion[p] <= 0 || !inside(n0) || !inside(n1)) continue;
    const double k = std::log(n1 * (1 - n0) / (n0 * (1 - n1))) / dt;
    rates[p] = static_cast<float>(std::clamp(k, options.least_rate_per_day, options.most_rate_per_day));
  }
  return rates;
}

// k(x) for a given D: Gauss–Newton sweeps with each voxel's own sensitivity.
std::vector<float> fit_rates(const TissueGrid& domain, double diffusion, const std::vector<CellularityMap>& maps,
                             const CellularityFitOptions& options) {
  auto rates = logistic_rates(domain, maps, options);
  const auto days = days_after_first(maps);
  for (int sweep = 0; sweep < options.rate_iterations; ++sweep) {
    const auto predicted = simulate(domain, diffusion, rates, maps[0].share, maps[0].day, days, options);
    for (std::size_t p = 0; p < rates.size(); ++p) {
      if (domain.diffusion[p] <= 0) continue;
      double jr = 0, jj = 0;
      for (std::size_t v = 0; v < days.size(); ++v) {
        const double n = predicted[v][p], j = (days[v] - maps[0].day) * n * (1 - n);
        jr += j * (maps[v + 1].share[p] - n);
        jj += j * j;
      }
      if (jj <= 0) continue;
      const double k = std::clamp(rates[p] + jr / (jj + kRateDamping), options.least_rate_per_day, options.most_rate_per_day);
      rates[p] = static_cast<float>(k);
    }
  }
  return rates;
}

}  // namespace

double AdcScale::share(double adc_mm2_per_s) const {
  if (!(water_mm2_per_s > min_mm2_per_s)) throw Error("ADC scale: free water's ADC must exceed the tumour's lowest");
  return std::clamp((water_mm2_per_s - adc_mm2_per_s) / (water_mm2_per_s - min_mm2_per_s), 0.0, 1.0);
}

double AdcScale::adc(double share) const { return water_mm2_per_s - share * (water_mm2_per_s - min_mm2_per_s); }

CellularityFit fit_cellularity(const TissueGrid& domain, const std::vector<CellularityMap>& maps,
                               const CellularityFitOptions& options) {
  check_maps(domain, maps);
  const auto days = days_after_first(maps);
  std::vector<std::size_t> voxels;
  for (std::size_t p = 0; p < domain.voxels(); ++p)
    if (domain.diffusion[p] > 0) voxels.push_back(p);
  const std::function<bool(const double*, double*)> residuals = [&](const double* log_d, double* out) {
    const double d = std::exp(log_d[0]);
    std::vector<std::vector<double>> predicted;
    try {
      predicted = simulate(domain, d, fit_rates(domain, d, maps, options), maps[0].share, maps[0].day, days, options);
    } catch (const Error&) {
      return false;  // a trial D the solver refuses
    }
    for (std::size_t v = 0; v < days.size(); ++v)
      for (std::size_t p : voxels) *out++ = predicted[v][p] - maps[v + 1].share[p];
    return true;
  };
  const auto fit = fit_log_parameters(residuals, {std::log(options.diffusion_start_mm2_per_day)},
                                      static_cast<int>(voxels.size() * days.size()), "cellularity fit", 1e-6);
  CellularityFit result;
  const double d = std::exp(fit.log_values[0]);
  // The residuals' own scale stands in for their SD (no measurement SD is known).
  const double residual_count = static_cast<double>(voxels.size() * days.size());
  result.rmse_share = std::sqrt(2 * fit.final_cost / residual_count);
  result.diffusion = {d, std::sqrt(fit.covariance[0]) * result.rmse_share};
  result.proliferation_per_day = fit_rates(domain, d, maps, options);
  result.iterations = fit.iterations;
  return result;
}

std::vector<CellularityMap> forecast_cellularity(const TissueGrid& domain, const CellularityFit& fit,
                                                 const CellularityMap& from, const std::vector<double>& days,
                                                 const CellularityFitOptions& options) {
  const auto maps =
      simulate(domain, fit.diffusion.value, fit.proliferation_per_day, from.share, from.day, days, options);
  std::vector<CellularityMap> out;
  for (std::size_t i = 0; i < days.size(); ++i) out.push_back({days[i], maps[i]});
  return out;
}

}  // namespace medtwin::onco

#include "medtwin/onco/treatment_response.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>

#include "medtwin/core/error.hpp"
#include "medtwin/onco/log_fit.hpp"

namespace medtwin::onco {
namespace {

// The grid the fit starts from its best point of: where the tumour vanishes
// on a visit the radii stop depending on the parameters, so a single start can
// stall on a plateau far from the answer.
constexpr std::array<double, 3> kStartAlphas{0.03, 0.06, 0.09};           // 1/Gy, Rockne's range
constexpr std::array<double, 7> kStartMaxKills{0.1, 0.3, 1, 3, 10, 30, 100};  // 1/day
// The largest step of log D or log ρ for the response's derivatives: wide
// growth intervals would otherwise give secants across the plateaus.
constexpr double kMaxLogStep = 0.1;

double first_treatment_day(const GivenTreatment& given) {
  double first = given.fraction_days.empty() ? INFINITY : *std::min_element(given.fraction_days.begin(), given.fraction_days.end());
  if (given.chemotherapy)
    for (const auto& course : given.chemotherapy->drugs)
      for (const auto& dose : course.doses) first = std::min(first, dose.day);
  return first;
}

// The treatment with trial values of the fitted parameters, in order: log α
// (with radiotherapy), log maximal kill (with drugs).
Treatment with_response(const GivenTreatment& given, const double* log_params) {
  Treatment treatment;
  std::size_t next = 0;
  if (!given.fraction_days.empty())
    treatment.radiotherapy = given_radiotherapy(given.fraction_days, given.fraction_doses_gy, given.margin_mm,
                                                {std::exp(log_params[next++]), given.alpha_beta_gy});
  if (given.chemotherapy) {
    treatment.chemotherapy = given.chemotherapy;
    treatment.chemotherapy->max_kill_per_day = std::exp(log_params[next]);
  }
  return treatment;
}

// The log-parameter vectors of the start grid.
std::vector<std::vector<double>> start_grid(bool radiotherapy, bool drugs) {
  std::vector<std::vector<double>> alphas;
  if (radiotherapy)
    for (double alpha : kStartAlphas) alphas.push_back({std::log(alpha)});
  else
    alphas.push_back({});
  if (!drugs) return alphas;
  std::vector<std::vector<double>> grid;
  for (const auto& alpha : alphas)
    for (double max_kill : kStartMaxKills) {
      grid.push_back(alpha);
      grid.back().push_back(std::log(max_kill));
    }
  return grid;
}

// The grid point of least cost; throws Error when the model runs at none.
std::vector<double> best_start(const std::function<bool(const double*, double*)>& residuals,
                               const std::vector<std::vector<double>>& grid, int residual_count) {
  std::vector<double> best, out(static_cast<std::size_t>(residual_count));
  double best_cost = INFINITY;
  for (const auto& point : grid) {
    if (!residuals(point.data(), out.data())) continue;
    double cost = 0;
    for (double r : out) cost += r * r;
    if (cost < best_cost) {
      best_cost = cost;
      best = point;
    }
  }
  if (best.empty()) throw Error("treatment response: the model cannot be run on the treatment given");
  return best;
}

// The visits after treatment and the model run to them.
struct ResponseProblem {
  const RadiusVisit& first_visit;
  const GivenTreatment& given;
  const std::vector<RadiusVisit>& after;
  const RadiusCalibrationOptions& options;

  int residual_count() const { return static_cast<int>(2 * after.size()); }

  std::vector<TumourSize> simulate(const PiParams& params, const double* log_params) const {
    std::vector<double> days{first_visit.day};
    for (const auto& v : after) days.push_back(v.day);
    const auto& grid = options.grid;
    auto tumour = tumour_with_t2_radius(params, first_visit.t2_radius_mm, options.visibility, grid);
    auto sizes = run_spherical(tumour, params, first_visit.day, days, with_response(given, log_params),
                               {grid.max_step_days, options.visibility});
    sizes.erase(sizes.begin());
    return sizes;
  }

  std::function<bool(const double*, double*)> residuals(const PiParams& params) const {
    return [this, params](const double* log_params, double* out) {
      try {
        const auto sizes = simulate(params, log_params);
        const double sd = options.radius_sd_mm;
        for (std::size_t i = 0; i < after.size(); ++i) {
          out[2 * i] = (sizes[i].t1gd_radius_mm - after[i].t1gd_radius_mm) / sd;
          out[2 * i + 1] = (sizes[i].t2_radius_mm - after[i].t2_radius_mm) / sd;
        }
        return true;
      } catch (const Error&) {
        return false;
      }
    };
  }

  LogFit solve(const PiParams& params, const std::vector<double>& start) const {
    return fit_log_parameters(residuals(params), start, residual_count(), "treatment response");
  }
};

// Adds to `fit`'s covariance what D's and ρ's uncertainty makes of the
// response (delta method): the response refitted with log D and log ρ a
// little off either way gives its derivatives. When a refit fails the
// covariance becomes NaN: an interval without the growth's part would mislead.
void carry_growth_uncertainty(const ResponseProblem& problem, const RadiusCalibration& growth, LogFit& fit) {
  const std::size_t n = fit.log_values.size();
  const std::array<double, 2> sd{growth.diffusion.log_sd, growth.proliferation.log_sd};
  if (!(sd[0] > 0 && sd[1] > 0)) return;
  std::array<std::vector<double>, 2> slope;  // d log response / d log growth parameter
  try {
    for (std::size_t g = 0; g < 2; ++g) {
      const double h = std::min(sd[g], kMaxLogStep);
      std::array<std::vector<double>, 2> ends;
      for (int side : {0, 1}) {
        PiParams shifted = growth.params;
        double& value = g == 0 ? shifted.diffusion_mm2_per_day : shifted.proliferation_per_day;
        value *= std::exp((side == 0 ? -1 : 1) * h);
        ends[static_cast<std::size_t>(side)] = problem.solve(shifted, fit.log_values).log_values;
      }
      for (std::size_t i = 0; i < n; ++i) slope[g].push_back((ends[1][i] - ends[0][i]) / (2 * h));
    }
  } catch (const Error&) {
    std::fill(fit.covariance.begin(), fit.covariance.end(), NAN);
    return;
  }
  const double growth_covariance[2][2] = {{sd[0] * sd[0], growth.log_correlation * sd[0] * sd[1]},
                                          {growth.log_correlation * sd[0] * sd[1], sd[1] * sd[1]}};
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      for (std::size_t a = 0; a < 2; ++a)
        for (std::size_t b = 0; b < 2; ++b) fit.covariance[i * n + j] += slope[a][i] * growth_covariance[a][b] * slope[b][j];
}

}  // namespace

TreatmentResponseFit fit_treatment_response(const RadiusCalibration& growth, const RadiusVisit& first_visit,
                                            const GivenTreatment& given, const std::vector<RadiusVisit>& after,
                                            const RadiusCalibrationOptions& options) {
  if (after.empty()) throw Error("treatment response: no visit after treatment began");
  const bool radiotherapy = !given.fraction_days.empty(), drugs = given.chemotherapy.has_value();
  if (!radiotherapy && !drugs) throw Error("treatment response: no treatment given");
  if (first_treatment_day(given) < first_visit.day)
    throw Error("treatment response: the treatment must come after the first visit");
  const ResponseProblem problem{first_visit, given, after, options};
  const auto start =
      best_start(problem.residuals(growth.params), start_grid(radiotherapy, drugs), problem.residual_count());
  auto solved = problem.solve(growth.params, start);
  const double conditional_cost = solved.final_cost;
  carry_growth_uncertainty(problem, growth, solved);
  const std::size_t n = start.size();
  auto fitted = [&](std::size_t i) {
    return FittedParameter{std::exp(solved.log_values[i]), std::sqrt(solved.covariance[i * n + i])};
  };
  TreatmentResponseFit fit;
  if (radiotherapy) fit.alpha = fitted(0);
  if (drugs) fit.max_kill = fitted(n - 1);
  if (n == 2) fit.log_correlation = solved.covariance[1] / std::sqrt(solved.covariance[0] * solved.covariance[3]);
  fit.fitted = problem.simulate(growth.params, solved.log_values.data());
  fit.rmse_mm = std::sqrt(2 * conditional_cost / problem.residual_count()) * options.radius_sd_mm;
  return fit;
}

}  // namespace medtwin::onco

#include "medtwin/onco/log_fit.hpp"

#include <ceres/ceres.h>

#include <cmath>

#include "medtwin/core/error.hpp"

namespace medtwin::onco {
namespace {

struct Residuals {
  const std::function<bool(const double*, double*)>* function;
  bool operator()(double const* const* log_params, double* out) const { return (*function)(log_params[0], out); }
};

}  // namespace

LogFit fit_log_parameters(const std::function<bool(const double*, double*)>& residuals, std::vector<double> log_start,
                          int residual_count, const std::string& what, double function_tolerance) {
  const int n = static_cast<int>(log_start.size());
  ceres::NumericDiffOptions diff;
  diff.relative_step_size = 1e-4;  // the simulations are smooth only to their time step
  auto* cost = new ceres::DynamicNumericDiffCostFunction<Residuals, ceres::CENTRAL>(new Residuals{&residuals},
                                                                                   ceres::TAKE_OWNERSHIP, diff);
  cost->AddParameterBlock(n);
  cost->SetNumResiduals(residual_count);
  LogFit fit;
  fit.log_values = std::move(log_start);
  double* x = fit.log_values.data();
  ceres::Problem problem;
  problem.AddResidualBlock(cost, nullptr, x);
  ceres::Solver::Options solver;
  solver.linear_solver_type = ceres::DENSE_QR;
  solver.max_num_iterations = 100;
  solver.function_tolerance = function_tolerance;
  solver.parameter_tolerance = 1e-10;
  solver.logging_type = ceres::SILENT;
  ceres::Solver::Summary summary;
  ceres::Solve(solver, &problem, &summary);
  if (!summary.IsSolutionUsable()) throw Error(what + ": the fit failed (" + summary.message + ")");
  fit.iterations = static_cast<int>(summary.iterations.size());
  fit.final_cost = summary.final_cost;
  fit.covariance.assign(static_cast<std::size_t>(n * n), NAN);
  ceres::Covariance::Options options;
  ceres::Covariance covariance(options);
  const std::vector<std::pair<const double*, const double*>> blocks{{x, x}};
  if (covariance.Compute(blocks, &problem)) covariance.GetCovarianceBlock(x, x, fit.covariance.data());
  return fit;
}

}  // namespace medtwin::onco

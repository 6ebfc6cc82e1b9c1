// Nonlinear least squares on the logarithms of positive parameters
// (Levenberg–Marquardt, Ceres, central differences) with the Gauss–Newton
// covariance of the log-parameters: the calibrations of the tumour model share it.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace medtwin::onco {

struct LogFit {
  std::vector<double> log_values;
  std::vector<double> covariance;  // n × n, row-major; NaN when it could not be computed
  int iterations = 0;
  double final_cost = 0;  // ½ Σ residual²
};

// `residuals(log_params, out)` fills `residual_count` values (already divided by
// their SDs) and returns false to refuse a trial point. The fit stops when the
// cost changes by less than `function_tolerance` of itself. Throws Error naming
// `what` when no usable solution is found.
LogFit fit_log_parameters(const std::function<bool(const double*, double*)>& residuals, std::vector<double> log_start,
                          int residual_count, const std::string& what, double function_tolerance = 1e-12);

}  // namespace medtwin::onco

// Nonlinear least squares over the logarithms of positive parameters, as the
// metabolic models are calibrated: Levenberg–Marquardt (Eigen's MINPACK port)
// with central-difference Jacobians, and the Gauss–Newton precision of each
// parameter from σ²(JᵀJ)⁻¹ at the optimum (SE of log p ≈ relative SE of p).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <Eigen/Dense>

namespace medtwin::metabolic {

// Fills the residuals (model − data) for log-parameters; may throw Error when
// a trial parameter set cannot be simulated.
using LogResiduals = std::function<void(const Eigen::VectorXd& log_p, Eigen::VectorXd& residuals)>;

struct LogFit {
  Eigen::VectorXd log_p;
  double rmse = 0;                  // of the residuals at the optimum
  std::vector<double> cv_percent;   // 100·SE/estimate per parameter from the data; NaN when they do not determine it
  // σ²(JᵀJ)⁻¹ of the log-parameters over all residuals (data and prior): the
  // Laplace approximation of the posterior; empty when singular.
  Eigen::MatrixXd posterior_covariance;
};

// Minimises from `start`; `what` names the fit in errors. The precision comes
// from the first `data_values` residuals (default: all), so prior residuals
// placed after the data shape the estimate but not its reported CV. Throws
// Error when the search does not converge or a trial cannot be simulated.
LogFit fit_log_parameters(const LogResiduals& residuals, int values, Eigen::VectorXd start, const std::string& what,
                          int data_values = -1);

}  // namespace medtwin::metabolic

#include "medtwin/metabolic/log_least_squares.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unsupported/Eigen/NonLinearOptimization>
#include <unsupported/Eigen/NumericalDiff>

#include "medtwin/core/error.hpp"

namespace medtwin::metabolic {
namespace {

// The functor shape Eigen's NumericalDiff and LevenbergMarquardt expect.
struct Functor {
  using Scalar = double;
  using InputType = Eigen::VectorXd;
  using ValueType = Eigen::VectorXd;
  using JacobianType = Eigen::MatrixXd;
  enum { InputsAtCompileTime = Eigen::Dynamic, ValuesAtCompileTime = Eigen::Dynamic };

  const LogResiduals* residuals;
  int parameters, count;
  int inputs() const { return parameters; }
  int values() const { return count; }
  int operator()(const Eigen::VectorXd& log_p, Eigen::VectorXd& r) const {
    (*residuals)(log_p, r);
    return 0;
  }
};

}  // namespace

LogFit fit_log_parameters(const LogResiduals& residuals, int values, Eigen::VectorXd start, const std::string& what,
                          int data_values) {
  const int n = int(start.size());
  if (values < n) throw Error(what + ": fewer data than parameters");
  Functor functor{&residuals, n, values};
  // Central differences with steps of ~10⁻⁴ in log-parameters: well above the models' integration error.
  Eigen::NumericalDiff<Functor, Eigen::Central> numeric(functor, 1e-8);
  Eigen::LevenbergMarquardt<Eigen::NumericalDiff<Functor, Eigen::Central>> lm(numeric);
  lm.parameters.maxfev = 4000;
  lm.parameters.xtol = 1e-12;
  Eigen::LevenbergMarquardtSpace::Status status;
  try {
    status = lm.minimize(start);
  } catch (const Error& e) {
    throw Error(what + ": the model could not be simulated at a trial parameter set (" + e.what() + ")");
  }
  if (status == Eigen::LevenbergMarquardtSpace::ImproperInputParameters ||
      status == Eigen::LevenbergMarquardtSpace::TooManyFunctionEvaluation || !start.allFinite())
    throw Error(what + ": the least-squares search did not converge");
  LogFit fit;
  fit.log_p = start;
  Eigen::VectorXd r(values);
  residuals(start, r);
  fit.rmse = std::sqrt(r.squaredNorm() / double(values));
  Eigen::MatrixXd jacobian(values, n);
  numeric.df(start, jacobian);
  const int m = data_values < 0 ? values : std::min(data_values, values);
  const Eigen::MatrixXd data_jacobian = jacobian.topRows(m);
  const double sigma2 = m > n ? r.head(m).squaredNorm() / double(m - n) : 0;
  const Eigen::FullPivLU<Eigen::MatrixXd> information(data_jacobian.transpose() * data_jacobian);
  const bool identifiable = information.isInvertible();
  const Eigen::MatrixXd covariance = identifiable ? Eigen::MatrixXd(sigma2 * information.inverse()) : Eigen::MatrixXd();
  for (int k = 0; k < n; ++k)
    fit.cv_percent.push_back(identifiable ? 100 * std::sqrt(covariance(k, k)) : std::numeric_limits<double>::quiet_NaN());
  const Eigen::FullPivLU<Eigen::MatrixXd> posterior(jacobian.transpose() * jacobian);
  if (posterior.isInvertible()) fit.posterior_covariance = sigma2 * posterior.inverse();
  return fit;
}

}  // namespace medtwin::metabolic

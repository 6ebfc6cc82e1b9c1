#include "medtwin/metabolic/minimal_model.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <limits>
#include <string>
#include <unsupported/Eigen/NonLinearOptimization>
#include <unsupported/Eigen/NumericalDiff>

#include "medtwin/core/dopri5.hpp"
#include "medtwin/core/error.hpp"

namespace medtwin::metabolic {
namespace {

void validate(const Ivgtt& test) {
  const std::size_t n = test.t.size();
  if (n < 2 || test.glucose.size() != n || test.insulin.size() != n)
    throw Error("IVGTT: need at least two samples with time, glucose and insulin each");
  if (test.t[0] != 0) throw Error("IVGTT: the first sample must be the basal one at t = 0");
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && !(test.t[i] > test.t[i - 1])) throw Error("IVGTT: sample times must increase");
    if (!(test.glucose[i] > 0) || !(test.insulin[i] >= 0) || !std::isfinite(test.glucose[i]) ||
        !std::isfinite(test.insulin[i]))
      throw Error("IVGTT: sample " + std::to_string(i + 1) + " has glucose <= 0 or insulin < 0");
  }
}

}  // namespace

std::vector<double> minimal_model_glucose(const MinimalModel& m, const Ivgtt& test, std::span<const double> times) {
  validate(test);
  for (std::size_t i = 0; i < times.size(); ++i)
    if (!(times[i] >= (i ? times[i - 1] : 0.0)) || !(times[i] <= test.t.back()))
      throw Error("minimal model: output times must be non-decreasing within the test's 0.." +
                  std::to_string(test.t.back()) + " min");
  std::array<double, 2> y{m.g0, 0};  // G, X
  std::vector<double> out;
  double t = 0, step = 0;
  std::size_t segment = 0;  // insulin is linear on [test.t[segment], test.t[segment + 1]]
  Dopri5Options o;
  o.rtol = 1e-10;
  o.atol = 1e-12;
  o.max_steps = 100000;
  for (double target : times) {
    while (t < target) {
      while (segment + 2 < test.t.size() && test.t[segment + 1] <= t) ++segment;
      const double t0 = test.t[segment], t1 = test.t[segment + 1];
      const double i0 = test.insulin[segment], slope = (test.insulin[segment + 1] - i0) / (t1 - t0);
      const double until = std::min(target, t1);
      const auto rhs = [&](double tt, const std::array<double, 2>& s, std::array<double, 2>& d) {
        const double insulin = i0 + slope * (tt - t0);
        d[0] = -(m.sg + s[1]) * s[0] + m.sg * m.gb;
        d[1] = -m.p2 * s[1] + m.p2 * m.si * (insulin - m.ib);
      };
      if (until > t) dopri5_integrate(rhs, t, until, y, step, o);
      t = until;
    }
    out.push_back(y[0]);
  }
  return out;
}

namespace {

// Residuals of the fitted samples for log-parameters (SG, p2, SI, G0).
// The functor shape Eigen's NumericalDiff and LevenbergMarquardt expect.
struct Residuals {
  using Scalar = double;
  using InputType = Eigen::VectorXd;
  using ValueType = Eigen::VectorXd;
  using JacobianType = Eigen::MatrixXd;
  enum { InputsAtCompileTime = Eigen::Dynamic, ValuesAtCompileTime = Eigen::Dynamic };

  const Ivgtt& test;
  std::vector<double> times, observed;
  double gb, ib;
  Residuals(const Ivgtt& t, std::vector<double> at, std::vector<double> obs, double g, double i)
      : test(t), times(std::move(at)), observed(std::move(obs)), gb(g), ib(i) {}
  int inputs() const { return 4; }
  int values() const { return static_cast<int>(times.size()); }

  MinimalModel model(const Eigen::VectorXd& log_p) const {
    return {std::exp(log_p[0]), std::exp(log_p[1]), std::exp(log_p[2]), std::exp(log_p[3]), gb, ib};
  }
  int operator()(const Eigen::VectorXd& log_p, Eigen::VectorXd& r) const {
    const auto g = minimal_model_glucose(model(log_p), test, times);
    for (std::size_t i = 0; i < g.size(); ++i) r[static_cast<Eigen::Index>(i)] = g[i] - observed[i];
    return 0;
  }
};

}  // namespace

MinimalModelFit fit_minimal_model(const Ivgtt& test, double fit_from_min) {
  validate(test);
  std::vector<double> times, observed;
  for (std::size_t i = 0; i < test.t.size(); ++i)
    if (test.t[i] >= fit_from_min) times.push_back(test.t[i]), observed.push_back(test.glucose[i]);
  if (times.size() < 6) throw Error("IVGTT: fewer than 6 samples after minute " + std::to_string(fit_from_min));
  Residuals residuals(test, times, observed, test.glucose[0], test.insulin[0]);
  // Start: typical values for a normal subject, G0 from the first fitted sample.
  Eigen::VectorXd log_p(4);
  log_p << std::log(0.02), std::log(0.02), std::log(5e-4), std::log(observed.front() * 1.2);
  // Central differences with steps of ~10⁻⁴ in log-parameters: well above the integrator's relative error (10⁻¹⁰).
  Eigen::NumericalDiff<Residuals, Eigen::Central> numeric(residuals, 1e-8);
  Eigen::LevenbergMarquardt<Eigen::NumericalDiff<Residuals, Eigen::Central>> lm(numeric);
  lm.parameters.maxfev = 4000;
  lm.parameters.xtol = 1e-12;
  Eigen::LevenbergMarquardtSpace::Status status;
  try {
    status = lm.minimize(log_p);
  } catch (const Error& e) {
    throw Error(std::string("IVGTT fit: the model could not be integrated at a trial parameter set (") + e.what() + ")");
  }
  if (status == Eigen::LevenbergMarquardtSpace::ImproperInputParameters ||
      status == Eigen::LevenbergMarquardtSpace::TooManyFunctionEvaluation || !log_p.allFinite())
    throw Error("IVGTT fit: the least-squares search did not converge");
  MinimalModelFit fit;
  fit.model = residuals.model(log_p);
  fit.samples = static_cast<int>(times.size());
  Eigen::VectorXd r(residuals.values());
  residuals(log_p, r);
  fit.rmse_mg_dl = std::sqrt(r.squaredNorm() / static_cast<double>(r.size()));
  // Precision: covariance σ²(JᵀJ)⁻¹ of the log-parameters; SE of log p ≈ relative SE of p.
  Eigen::MatrixXd jacobian(r.size(), 4);
  numeric.df(log_p, jacobian);
  const double sigma2 = r.squaredNorm() / static_cast<double>(r.size() - 4);
  const Eigen::FullPivLU<Eigen::MatrixXd> information(jacobian.transpose() * jacobian);
  const bool identifiable = information.isInvertible();  // else some parameter is not determined: CV NaN
  const Eigen::MatrixXd covariance = identifiable ? Eigen::MatrixXd(sigma2 * information.inverse()) : Eigen::MatrixXd();
  for (int k = 0; k < 4; ++k)
    fit.cv_percent[static_cast<std::size_t>(k)] =
        identifiable ? 100 * std::sqrt(covariance(k, k)) : std::numeric_limits<double>::quiet_NaN();
  return fit;
}

}  // namespace medtwin::metabolic

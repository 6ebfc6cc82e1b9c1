#include "medtwin/metabolic/minimal_model.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <limits>
#include <string>

#include "medtwin/core/dopri5.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/metabolic/log_least_squares.hpp"

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

MinimalModelFit fit_minimal_model(const Ivgtt& test, double fit_from_min) {
  validate(test);
  std::vector<double> times, observed;
  for (std::size_t i = 0; i < test.t.size(); ++i)
    if (test.t[i] >= fit_from_min) times.push_back(test.t[i]), observed.push_back(test.glucose[i]);
  if (times.size() < 6) throw Error("IVGTT: fewer than 6 samples after minute " + std::to_string(fit_from_min));
  const double gb = test.glucose[0], ib = test.insulin[0];
  auto model_of = [&](const Eigen::VectorXd& log_p) {
    return MinimalModel{std::exp(log_p[0]), std::exp(log_p[1]), std::exp(log_p[2]), std::exp(log_p[3]), gb, ib};
  };
  LogResiduals residuals = [&](const Eigen::VectorXd& log_p, Eigen::VectorXd& r) {
    const auto g = minimal_model_glucose(model_of(log_p), test, times);
    for (std::size_t i = 0; i < g.size(); ++i) r[static_cast<Eigen::Index>(i)] = g[i] - observed[i];
  };
  // Start: typical values for a normal subject, G0 from the first fitted sample.
  Eigen::VectorXd start(4);
  start << std::log(0.02), std::log(0.02), std::log(5e-4), std::log(observed.front() * 1.2);
  const LogFit found = fit_log_parameters(residuals, static_cast<int>(times.size()), start, "IVGTT fit");
  MinimalModelFit fit;
  fit.model = model_of(found.log_p);
  fit.samples = static_cast<int>(times.size());
  fit.rmse_mg_dl = found.rmse;
  for (std::size_t k = 0; k < 4; ++k) fit.cv_percent[k] = found.cv_percent[k];
  return fit;
}

}  // namespace medtwin::metabolic

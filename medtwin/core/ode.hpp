// Stiff ODE integration with CVODE (SUNDIALS 6; Hindmarsh et al. 2005, ACM
// TOMS 31:363–396; Gardner et al. 2022, ACM TOMS 48:31): variable-order BDF
// with Newton iteration and a dense direct linear solver whose Jacobian CVODE
// builds by finite differences. A thin RAII wrapper: every SUNDIALS return
// code is checked and turned into medtwin::OdeError with CVODE's own message.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "medtwin/core/error.hpp"

namespace medtwin {

// The integrator failed (bad input, too much work, convergence or error-test
// failures, or a right-hand side that returned non-finite values).
class OdeError : public Error {
 public:
  using Error::Error;
};

struct CvodeOptions {
  double rtol = 1e-6;            // relative tolerance
  double atol = 1e-8;            // absolute tolerance (same for every component)
  double max_step = 0;           // largest internal step; 0 = no limit
  long max_steps = 500000;       // internal steps allowed per advance_to() call
};

// dy/dt = f(t, y). Writes dydt; return false when y is outside the model's
// domain (CVODE then retries with a smaller step).
using OdeRhs = std::function<bool(double t, std::span<const double> y, std::span<double> dydt)>;

class CvodeSolver {
 public:
  CvodeSolver(std::size_t n, OdeRhs rhs, CvodeOptions options = {});
  ~CvodeSolver();
  CvodeSolver(const CvodeSolver&) = delete;
  CvodeSolver& operator=(const CvodeSolver&) = delete;

  // Restart at (t0, y0), forgetting history: use after any discontinuity of
  // the right-hand side (a stimulus switching on or off).
  void reset(double t0, std::span<const double> y0);
  // Integrate to t_out (> current time) without stepping past t_stop (≥ t_out;
  // a discontinuity), and write y(t_out).
  void advance_to(double t_out, double t_stop, std::span<double> y_out);
  double time() const { return t_; }
  std::size_t size() const { return n_; }
  long steps_taken() const;  // internal steps since construction

 private:
  struct Impl;
  void check(int flag, const char* call) const;
  std::size_t n_;
  double t_ = 0;
  std::unique_ptr<Impl> impl_;
};

}  // namespace medtwin

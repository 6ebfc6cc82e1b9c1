// The explicit Runge–Kutta pair of Dormand & Prince (1980, J Comput Appl Math
// 6:19–26), order 5(4), with the step control of Hairer's DOPRI5 code
// (Hairer, Nørsett & Wanner, "Solving Ordinary Differential Equations I",
// 2nd ed. 1993, §II.4–II.5): error in the RMS norm scaled by atol + rtol·
// max(|y_old|, |y_new|), the step-size factor bounded to [1/fac2, 1/fac1]
// with safety factor and Lund stabilisation (β), and the starting step of
// §II.4 ("HINIT"). These are also scipy's `ode('dopri5')` defaults, so a
// model integrated here, call for call, takes the same steps as in scipy —
// which is how medtwin reproduces simglucose's numbers (uva_padova.hpp).
// Header-only: N is the state size, fixed at compile time.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <string>

#include "medtwin/core/error.hpp"

namespace medtwin {

struct Dopri5Options {
  double rtol = 1e-6;
  double atol = 1e-12;
  double safety = 0.9;
  double fac1 = 0.2;    // the step shrinks by at most 1/fac1 …
  double fac2 = 10;     // … and grows by at most fac2
  double beta = 0.04;   // Lund stabilisation exponent
  int max_steps = 500;  // per call, as scipy's nsteps
};

// Integrates dy/dx = f(x, y) from x to x_end (x_end > x), in place.
// f(x, y, dydx) fills dydx. `step` is the first step to try — 0 asks for
// Hairer's estimate — and returns the step predicted for what follows, so
// that consecutive calls continue as one scipy `ode` object does across its
// `integrate` calls (DOPRI5 hands its last predicted step back in WORK(7)).
// Each call starts afresh otherwise: f is evaluated at x, the step-size
// history is forgotten. Returns the number of right-hand sides evaluated.
// Throws Error when max_steps is exceeded or the step underflows.
template <std::size_t N, class F>
long dopri5_integrate(F&& f, double x, double x_end, std::array<double, N>& y, double& step,
                      const Dopri5Options& o = {}) {
  using State = std::array<double, N>;
  // Dormand–Prince coefficients (Hairer et al. 1993, Table II.5.2).
  constexpr double c2 = 1.0 / 5, c3 = 3.0 / 10, c4 = 4.0 / 5, c5 = 8.0 / 9;
  constexpr double a21 = 1.0 / 5;
  constexpr double a31 = 3.0 / 40, a32 = 9.0 / 40;
  constexpr double a41 = 44.0 / 45, a42 = -56.0 / 15, a43 = 32.0 / 9;
  constexpr double a51 = 19372.0 / 6561, a52 = -25360.0 / 2187, a53 = 64448.0 / 6561, a54 = -212.0 / 729;
  constexpr double a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247, a64 = 49.0 / 176,
                   a65 = -5103.0 / 18656;
  constexpr double a71 = 35.0 / 384, a73 = 500.0 / 1113, a74 = 125.0 / 192, a75 = -2187.0 / 6784, a76 = 11.0 / 84;
  constexpr double e1 = 71.0 / 57600, e3 = -71.0 / 16695, e4 = 71.0 / 1920, e5 = -17253.0 / 339200,
                   e6 = 22.0 / 525, e7 = -1.0 / 40;
  constexpr double kUround = 2.3e-16;
  constexpr int kOrder = 5;
  constexpr double n = static_cast<double>(N);
  if (!(x_end > x)) throw Error("Dormand-Prince: the interval must end after it starts");

  State k1, k2, k3, k4, k5, k6, y1, ystage;
  long evaluations = 0;
  auto eval = [&](double xx, const State& yy, State& out) {
    f(xx, yy, out);
    ++evaluations;
  };
  const double h_max = x_end - x;
  eval(x, y, k1);

  // Starting step (§II.4): h ≈ 0.01·‖y‖/‖f‖, refined by an Euler step's estimate of y''.
  double h = std::min(step, h_max);
  if (!(step > 0)) {
    double dnf = 0, dny = 0;
    for (std::size_t i = 0; i < N; ++i) {
      const double sk = o.atol + o.rtol * std::abs(y[i]);
      dnf += (k1[i] / sk) * (k1[i] / sk);
      dny += (y[i] / sk) * (y[i] / sk);
    }
    h = (dnf <= 1e-10 || dny <= 1e-10) ? 1e-6 : std::sqrt(dny / dnf) * 0.01;
    h = std::min(h, h_max);
    for (std::size_t i = 0; i < N; ++i) y1[i] = y[i] + h * k1[i];
    eval(x + h, y1, k2);
    double der2 = 0;
    for (std::size_t i = 0; i < N; ++i) {
      const double sk = o.atol + o.rtol * std::abs(y[i]);
      der2 += ((k2[i] - k1[i]) / sk) * ((k2[i] - k1[i]) / sk);
    }
    der2 = std::sqrt(der2) / h;
    const double der12 = std::max(std::abs(der2), std::sqrt(dnf));
    const double h1 = der12 <= 1e-15 ? std::max(1e-6, std::abs(h) * 1e-3) : std::pow(0.01 / der12, 1.0 / kOrder);
    h = std::min({100 * std::abs(h), h1, h_max});
  }

  const double expo1 = 0.2 - o.beta * 0.75;
  double fac_old = 1e-4;
  bool reject = false, last = false;
  for (int steps = 0;; ++steps) {  // DOPRI5 allows NMAX steps after the first attempt
    if (steps > o.max_steps) throw Error("Dormand-Prince: more than " + std::to_string(o.max_steps) + " steps");
    if (0.1 * std::abs(h) <= std::abs(x) * kUround) throw Error("Dormand-Prince: step size underflow");
    if (x + 1.01 * h - x_end > 0) {
      h = x_end - x;
      last = true;
    }
    for (std::size_t i = 0; i < N; ++i) ystage[i] = y[i] + h * a21 * k1[i];
    eval(x + c2 * h, ystage, k2);
    for (std::size_t i = 0; i < N; ++i) ystage[i] = y[i] + h * (a31 * k1[i] + a32 * k2[i]);
    eval(x + c3 * h, ystage, k3);
    for (std::size_t i = 0; i < N; ++i) ystage[i] = y[i] + h * (a41 * k1[i] + a42 * k2[i] + a43 * k3[i]);
    eval(x + c4 * h, ystage, k4);
    for (std::size_t i = 0; i < N; ++i)
      ystage[i] = y[i] + h * (a51 * k1[i] + a52 * k2[i] + a53 * k3[i] + a54 * k4[i]);
    eval(x + c5 * h, ystage, k5);
    for (std::size_t i = 0; i < N; ++i)
      ystage[i] = y[i] + h * (a61 * k1[i] + a62 * k2[i] + a63 * k3[i] + a64 * k4[i] + a65 * k5[i]);
    const double x_new = x + h;
    eval(x_new, ystage, k6);
    for (std::size_t i = 0; i < N; ++i)
      y1[i] = y[i] + h * (a71 * k1[i] + a73 * k3[i] + a74 * k4[i] + a75 * k5[i] + a76 * k6[i]);
    eval(x_new, y1, k2);  // k7: the first stage of the next step (FSAL)
    double err = 0;
    for (std::size_t i = 0; i < N; ++i) {
      const double estimate = h * (e1 * k1[i] + e3 * k3[i] + e4 * k4[i] + e5 * k5[i] + e6 * k6[i] + e7 * k2[i]);
      const double sk = o.atol + o.rtol * std::max(std::abs(y[i]), std::abs(y1[i]));
      err += (estimate / sk) * (estimate / sk);
    }
    err = std::sqrt(err / n);
    if (!std::isfinite(err)) throw Error("Dormand-Prince: the right-hand side is not a finite number");
    const double fac11 = std::pow(err, expo1);
    const double fac = std::max(1 / o.fac2, std::min(1 / o.fac1, fac11 / std::pow(fac_old, o.beta) / o.safety));
    double h_new = h / fac;
    if (err <= 1) {  // accepted
      fac_old = std::max(err, 1e-4);
      k1 = k2;
      y = y1;
      x = x_new;
      if (last) {
        step = h_new;
        return evaluations;
      }
      h_new = std::min(h_new, h_max);
      if (reject) h_new = std::min(h_new, h);
      reject = false;
    } else {  // rejected
      h_new = h / std::min(1 / o.fac1, fac11 / o.safety);
      reject = true;
      last = false;
    }
    h = h_new;
  }
}

}  // namespace medtwin

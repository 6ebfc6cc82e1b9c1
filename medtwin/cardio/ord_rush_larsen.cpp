#include "medtwin/cardio/ord_rush_larsen.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "medtwin/core/error.hpp"

namespace medtwin::cardio {
namespace {

// 1 − e^{−x} for x ≥ 0, the Rush–Larsen factor, to rounding and cheaply for
// the many gates far from dt ≈ τ: for x ≤ 0.01 its Taylor series to x⁶
// (truncation error x⁶/5040 ≤ 2·10⁻¹⁶ relative), beyond x = 37 exactly 1
// (e^{−37} < 2⁻⁵³), else 1 − e^{−x}: its absolute rounding error ε is
// multiplied by y∞ − y, so it stays below the rounding of y itself.
double one_minus_exp_neg(double x) {
  if (x <= 0.01)
    return x * (1 - x * (1.0 / 2) * (1 - x * (1.0 / 3) * (1 - x * (1.0 / 4) * (1 - x * (1.0 / 5) * (1 - x * (1.0 / 6))))));
  if (x >= 37) return 1;
  return 1 - std::exp(-x);
}

// LU factors of I − h·Q (leading n×n block). Q is a generator (off-diagonal
// ≥ 0, columns summing to ≤ 0), so I − h·Q is column diagonally dominant and
// Gaussian elimination is stable without pivoting. Q is sparse (each state
// has 2–3 neighbours): zero multipliers are skipped.
template <std::size_t n>
class ShiftedLu {
 public:
  ShiftedLu(const HergMatrix& q, double h) {
    for (std::size_t r = 0; r < n; ++r)
#pragma GCC unroll 9
      for (std::size_t c = 0; c < n; ++c) a_[r * n + c] = (r == c ? 1.0 : 0.0) - h * q[r * kHergStates + c];
#pragma GCC unroll 9
    for (std::size_t k = 0; k < n; ++k) {
      inverse_pivot_[k] = 1 / a_[k * n + k];
#pragma GCC unroll 9
      for (std::size_t r = k + 1; r < n; ++r) {
        double& f = a_[r * n + k];  // becomes the multiplier L(r, k)
        if (f == 0) continue;
        f *= inverse_pivot_[k];
#pragma GCC unroll 9
        for (std::size_t c = k + 1; c < n; ++c) a_[r * n + c] -= f * a_[k * n + c];
      }
    }
  }

  // Solves (I − h·Q)·x = b in place.
  void solve(std::array<double, n>& b) const {
#pragma GCC unroll 9
    for (std::size_t k = 0; k < n; ++k)
#pragma GCC unroll 9
      for (std::size_t r = k + 1; r < n; ++r) b[r] -= a_[r * n + k] * b[k];
#pragma GCC unroll 9
    for (std::size_t i = 0; i < n; ++i) {  // k = n − 1, …, 0
      const std::size_t k = n - 1 - i;
      double s = b[k];
#pragma GCC unroll 9
      for (std::size_t c = k + 1; c < n; ++c) s -= a_[k * n + c] * b[c];
      b[k] = s * inverse_pivot_[k];
    }
  }

 private:
  std::array<double, n * n> a_;
  std::array<double, n> inverse_pivot_;
};

// One TR-BDF2 step of x' = Q·x on the leading n×n block of the 9×9 q. With
// γ = 2 − √2 both stages solve with the same matrix I − (γ/2)·dt·Q
// ((1 − γ)/(2 − γ) = γ/2), so it is factorised once.
template <std::size_t n>
void tr_bdf2(const HergMatrix& q, double* x, double dt) {
  static constexpr double kGamma = 2 - 1.4142135623730951;  // 2 − √2
  const double h = 0.5 * kGamma * dt;
  const ShiftedLu<n> lu(q, h);
  std::array<double, n> x0, b;
  std::copy(x, x + n, x0.begin());
  for (std::size_t r = 0; r < n; ++r) {  // trapezoidal stage over γ·dt
    double qx = 0;
#pragma GCC unroll 9
    for (std::size_t c = 0; c < n; ++c) qx += q[r * kHergStates + c] * x0[c];
    b[r] = x0[r] + h * qx;
  }
  lu.solve(b);
  const double c1 = 1 / (kGamma * (2 - kGamma));
  const double c0 = (1 - kGamma) * (1 - kGamma) / (kGamma * (2 - kGamma));
  for (std::size_t r = 0; r < n; ++r) b[r] = c1 * b[r] - c0 * x0[r];  // BDF2 stage
  lu.solve(b);
  std::copy(b.begin(), b.end(), x);
}

// TR-BDF2 (Bank et al. 1985; Hosea & Shampine 1996) for dx/dt = Q·x at
// the voltage of the step's start: second order and L-stable, so the fast
// hERG transitions (k·dt ≫ 1) are damped, not oscillating. Without drug the
// bound states are empty and unreachable: only the 6 unbound ones are solved.
void herg_tr_bdf2(const OrdModel& model, OrdState& y, double dt) {
  const HergMatrix q = model.herg_matrix(y[ord::v], y[ord::D]);
  const bool unbound_only = (y[ord::D] <= 0 || model.params().herg.kmax <= 0) && y[ord::IObound] == 0 &&
                            y[ord::Obound] == 0 && y[ord::Cbound] == 0;
  if (unbound_only)
    tr_bdf2<6>(q, &y[ord::IC1], dt);
  else
    tr_bdf2<kHergStates>(q, &y[ord::IC1], dt);
}

}  // namespace

void rush_larsen_advance(const OrdModel& model, OrdState& y, const OrdState& dydt, const OrdState& tau, double dt) {
  const bool herg = model.params().ikr == IkrFormulation::cipa2017_dynamic_herg;
  if (herg) herg_tr_bdf2(model, y, dt);
  for (std::size_t k = 0; k < kOrdStateCount; ++k) {
    if (herg && k >= ord::IC1 && k <= ord::Cbound) continue;
    if (tau[k] > 0)
      y[k] += dydt[k] * tau[k] * one_minus_exp_neg(dt / tau[k]);  // exact for frozen y∞ = y + τ·dy/dt, τ
    else
      y[k] += dt * dydt[k];
  }
}

double rush_larsen_step_size(const OrdState& y, const OrdState& dydt, const RushLarsenOptions& options) {
  const double by_v = options.dv_max / std::abs(dydt[ord::v]);
  const double by_ca = options.rel_max * y[ord::cass] / std::abs(dydt[ord::cass]);
  return std::clamp(std::min(by_v, by_ca), options.dt_min, options.dt_max);
}

void validate(const RushLarsenOptions& options) {
  if (!(options.dt_min > 0) || !(options.dt_max >= options.dt_min) || !(options.dv_max > 0) || !(options.rel_max > 0))
    throw Error("Rush-Larsen options: need 0 < dt_min <= dt_max, dv_max > 0 and rel_max > 0, got dt_min " +
                std::to_string(options.dt_min) + " ms, dt_max " + std::to_string(options.dt_max) + " ms, dv_max " +
                std::to_string(options.dv_max) + " mV, rel_max " + std::to_string(options.rel_max));
}

}  // namespace medtwin::cardio

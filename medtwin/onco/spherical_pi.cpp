#include "medtwin/onco/spherical_pi.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "medtwin/core/error.hpp"

namespace medtwin::onco {
namespace {

double shell_volume(double h, std::size_t i) {
  const double outer = (i + 1) * h, inner = i * h;
  return 4 * std::numbers::pi / 3 * (outer * outer * outer - inner * inner * inner);
}

// Exact logistic growth over `t` days. Two populations sharing K: their sum is
// logistic and each keeps its share of it.
void react(SphericalTumour& tumour, const PiParams& p, double t) {
  const double growth = std::exp(p.proliferation_per_day * t), k = p.carrying_capacity;
  auto logistic = [&](double v) { return k * v * growth / (k + v * (growth - 1)); };
  if (tumour.resistant.empty()) {
    for (double& v : tumour.density) v = logistic(v);
    return;
  }
  for (std::size_t i = 0; i < tumour.density.size(); ++i) {
    const double total = tumour.density[i] + tumour.resistant[i];
    if (total <= 0) continue;
    const double scale = logistic(total) / total;
    tumour.density[i] *= scale;
    tumour.resistant[i] *= scale;
  }
}

void apply_kill(SphericalTumour& tumour, const KillBetween& kill, double day0, double day1) {
  const double sensitive = std::exp(-kill.sensitive(day0, day1));
  for (double& v : tumour.density) v *= sensitive;
  if (tumour.resistant.empty()) return;
  const double resistant = std::exp(-kill.resistant(day0, day1));
  for (double& v : tumour.resistant) v *= resistant;
}

// Crank–Nicolson diffusion over `dt`: (V/dt − L/2)·c_new = (V/dt + L/2)·c_old,
// L the flux operator with no flux at the centre and the outer surface. The
// tridiagonal matrix is factorised once for all steps of the same D and dt.
class CrankNicolson {
 public:
  CrankNicolson(std::size_t n, double h, double d, double dt)
      : volume_(n), inner_(n), outer_(n), multiplier_(n), pivot_(n), rhs_(n) {
    for (std::size_t i = 0; i < n; ++i) {
      volume_[i] = shell_volume(h, i) / dt;
      inner_[i] = i == 0 ? 0.0 : 4 * std::numbers::pi * (i * h) * (i * h) * d / h;  // conductances
      outer_[i] = i + 1 == n ? 0.0 : 4 * std::numbers::pi * ((i + 1) * h) * ((i + 1) * h) * d / h;
    }
    // Thomas elimination of the left-hand side (diagonally dominant: no pivoting).
    pivot_[0] = volume_[0] + 0.5 * (inner_[0] + outer_[0]);
    for (std::size_t i = 1; i < n; ++i) {
      multiplier_[i] = -0.5 * inner_[i] / pivot_[i - 1];
      pivot_[i] = volume_[i] + 0.5 * (inner_[i] + outer_[i]) - multiplier_[i] * (-0.5 * outer_[i - 1]);
    }
  }

  void step(std::vector<double>& c) {
    const std::size_t n = c.size();
    for (std::size_t i = 0; i < n; ++i) {
      const double flux_in = i == 0 ? 0.0 : inner_[i] * (c[i - 1] - c[i]);
      const double flux_out = i + 1 == n ? 0.0 : outer_[i] * (c[i + 1] - c[i]);
      rhs_[i] = volume_[i] * c[i] + 0.5 * (flux_in + flux_out);
    }
    for (std::size_t i = 1; i < n; ++i) rhs_[i] -= multiplier_[i] * rhs_[i - 1];
    c[n - 1] = rhs_[n - 1] / pivot_[n - 1];
    for (std::size_t i = n - 1; i-- > 0;) c[i] = (rhs_[i] + 0.5 * outer_[i] * c[i + 1]) / pivot_[i];
    // Crank–Nicolson can undershoot below 0 at a steep front with long steps; densities stay >= 0.
    for (double& v : c) v = std::max(v, 0.0);
  }

 private:
  std::vector<double> volume_, inner_, outer_, multiplier_, pivot_, rhs_;
};

void check(const PiParams& p) {
  if (!(p.diffusion_mm2_per_day >= 0) || !std::isfinite(p.diffusion_mm2_per_day))
    throw Error("proliferation-invasion: D must be a finite number >= 0");
  if (!std::isfinite(p.proliferation_per_day)) throw Error("proliferation-invasion: rho must be finite");
  require_positive(p.carrying_capacity, "the carrying capacity");
}

}  // namespace

double SphericalTumour::density_at(std::size_t shell) const {
  return density[shell] + (resistant.empty() ? 0.0 : resistant[shell]);
}

double SphericalTumour::density_at_radius(double r_mm) const {
  const double x = r_mm / shell_mm - 0.5;
  if (!(x > 0)) return density_at(0);
  if (!(x < static_cast<double>(density.size() - 1))) return density_at(density.size() - 1);
  const auto i = static_cast<std::size_t>(x);
  const double share = x - static_cast<double>(i);
  return (1 - share) * density_at(i) + share * density_at(i + 1);
}

double SphericalTumour::total_cells() const {
  double total = 0;
  for (std::size_t i = 0; i < density.size(); ++i) total += density_at(i) * shell_volume(shell_mm, i);
  return total;
}

double SphericalTumour::radius_at(double level) const {
  for (std::size_t i = density.size(); i-- > 0;) {
    const double here = density_at(i);
    if (here < level) continue;
    const double centre = (i + 0.5) * shell_mm;
    if (i + 1 == density.size()) return centre;
    const double next = density_at(i + 1);  // below the level
    return centre + shell_mm * (here - level) / (here - next);
  }
  return 0;
}

void move_to_resistant(std::vector<double>& sensitive, std::vector<double>& resistant, double share) {
  if (!(share >= 0 && share <= 1)) throw Error("tumour: the resistant share must be in [0, 1]");
  if (resistant.empty()) resistant.assign(sensitive.size(), 0);
  for (std::size_t i = 0; i < sensitive.size(); ++i) {
    resistant[i] += share * sensitive[i];
    sensitive[i] *= 1 - share;
  }
}

void SphericalTumour::split_resistant(double share) { move_to_resistant(density, resistant, share); }

SphericalTumour spherical_tumour(double radius_mm, int shells, const std::function<double(double)>& density) {
  require_positive(radius_mm, "the sphere's radius");
  if (shells < 3) throw Error("proliferation-invasion: at least 3 shells");
  SphericalTumour t;
  t.shell_mm = radius_mm / shells;
  for (int i = 0; i < shells; ++i) t.density.push_back(density((i + 0.5) * t.shell_mm));
  return t;
}

void grow(SphericalTumour& tumour, const PiParams& params, double days, double max_step_days,
          const KillBetween* kill, double start_day) {
  check(params);
  require_positive(days, "the time to grow");
  require_positive(max_step_days, "the time step");
  const auto steps = static_cast<long>(std::ceil(days / max_step_days));
  const double dt = days / static_cast<double>(steps);
  CrankNicolson diffusion(tumour.density.size(), tumour.shell_mm, params.diffusion_mm2_per_day, dt);
  for (long s = 0; s < steps; ++s) {
    const double day = start_day + static_cast<double>(s) * dt;
    if (kill) apply_kill(tumour, *kill, day, day + dt / 2);
    react(tumour, params, dt / 2);
    diffusion.step(tumour.density);
    if (!tumour.resistant.empty()) diffusion.step(tumour.resistant);
    react(tumour, params, dt / 2);
    if (kill) apply_kill(tumour, *kill, day + dt / 2, day + dt);
  }
}

void irradiate(SphericalTumour& tumour, const PiParams& params, const LinearQuadratic& lq,
               const std::function<double(double)>& dose_gy) {
  check(params);
  const double k = params.carrying_capacity;
  for (std::size_t i = 0; i < tumour.density.size(); ++i) {
    const double killed = lq.killed_share(dose_gy((i + 0.5) * tumour.shell_mm));
    const double free_space = 1 - tumour.density_at(i) / k;
    tumour.density[i] -= killed * tumour.density[i] * free_space;
    if (!tumour.resistant.empty()) tumour.resistant[i] -= killed * tumour.resistant[i] * free_space;
  }
}

}  // namespace medtwin::onco

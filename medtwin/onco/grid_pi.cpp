#include "medtwin/onco/grid_pi.hpp"

#include <algorithm>
#include <cmath>

#include "medtwin/core/error.hpp"
#include "medtwin/core/parallel.hpp"

namespace medtwin::onco {
namespace {

// The lines of one axis: `count` lines of `length` voxels, voxel m of line l
// at first(l) + m·stride.
struct Axis {
  std::size_t length = 0, stride = 0, count = 0;
  std::array<std::size_t, 3> size{};
  int axis = 0;
  std::size_t first(std::size_t line) const {
    // Lines are numbered over the two other axes, the faster one first.
    if (axis == 0) return line * size[0];
    if (axis == 1) return (line % size[0]) + (line / size[0]) * size[0] * size[1];
    return line;  // axis 2: lines start in the first slab
  }
};

Axis axis_of(const TissueGrid& grid, int a) {
  const auto& n = grid.size;
  const auto axis = static_cast<std::size_t>(a);
  return {n[axis], grid.stride(axis), grid.voxels() / n[axis], n, a};
}

// Conductance of the face between voxel p and the next along axis a, over
// h²: the harmonic mean of the two D (0 when either is outside the brain).
std::vector<float> face_conductances(const TissueGrid& grid, int a) {
  const Axis ax = axis_of(grid, a);
  const double h = grid.spacing_mm[static_cast<std::size_t>(a)];
  std::vector<float> g(grid.voxels(), 0.0f);
  for (std::size_t l = 0; l < ax.count; ++l)
    for (std::size_t m = 0, p = ax.first(l); m + 1 < ax.length; ++m, p += ax.stride) {
      const double d1 = grid.diffusion[p], d2 = grid.diffusion[p + ax.stride];
      g[p] = d1 > 0 && d2 > 0 ? static_cast<float>(2 * d1 * d2 / (d1 + d2) / (h * h)) : 0.0f;
    }
  return g;
}

void in_ranges(std::size_t count, int threads, const std::function<void(std::size_t, std::size_t)>& job) {
  const auto parts = static_cast<std::size_t>(std::max(1, threads));
  run_parallel(parts, threads, [&](std::size_t t) { job(count * t / parts, count * (t + 1) / parts); });
}

// The part of every line between its first and last brain voxel: outside it
// the rows are the identity (no conductance), so sweeps skip it.
struct Segments {
  std::vector<std::size_t> begin, end;  // positions along the line, end exclusive; begin == end: no brain
};

Segments brain_segments(const Axis& ax, const TissueGrid& grid) {
  Segments s{std::vector<std::size_t>(ax.count, 0), std::vector<std::size_t>(ax.count, 0)};
  for (std::size_t l = 0; l < ax.count; ++l) {
    bool found = false;
    for (std::size_t m = 0, p = ax.first(l); m < ax.length; ++m, p += ax.stride)
      if (grid.diffusion[p] > 0) {
        if (!found) s.begin[l] = m;
        s.end[l] = m + 1;
        found = true;
      }
  }
  return s;
}

// One axis of the ADI step: its conductances, brain segments, and the Thomas
// factorisation of (I − θ·L_a), computed once per call of grow.
struct AxisSolver {
  Axis ax;
  std::vector<float> g;
  Segments segments;
  std::vector<double> c_prime, inverse_pivot;
  double theta;  // ½Δt

  AxisSolver(const TissueGrid& grid, int a, double theta_)
      : ax(axis_of(grid, a)), g(face_conductances(grid, a)), segments(brain_segments(ax, grid)),
        c_prime(grid.voxels(), 0), inverse_pivot(grid.voxels(), 1), theta(theta_) {
    for (std::size_t l = 0; l < ax.count; ++l) {
      double previous = 0;
      for (std::size_t m = segments.begin[l], p = ax.first(l) + m * ax.stride; m < segments.end[l]; ++m, p += ax.stride) {
        const double lower = m > segments.begin[l] ? -theta * g[p - ax.stride] : 0.0;
        const double upper = m + 1 < segments.end[l] ? -theta * g[p] : 0.0;
        const double pivot = 1 - lower - upper - lower * previous;
        c_prime[p] = upper / pivot;
        inverse_pivot[p] = 1 / pivot;
        previous = c_prime[p];
      }
    }
  }

  // out = L_a·u.
  void apply(const std::vector<double>& u, std::vector<double>& out, int threads) const {
    in_ranges(ax.count, threads, [&](std::size_t first, std::size_t last) {
      for (std::size_t l = first; l < last; ++l) {
        const std::size_t b = segments.begin[l], e = segments.end[l];
        for (std::size_t m = b, p = ax.first(l) + m * ax.stride; m < e; ++m, p += ax.stride) {
          double flux = 0;
          if (m + 1 < e) flux += g[p] * (u[p + ax.stride] - u[p]);
          if (m > b) flux -= g[p - ax.stride] * (u[p] - u[p - ax.stride]);
          out[p] = flux;
        }
      }
    });
  }

  // Solves (I − θ·L_a)·x = rhs in place (rhs given in x).
  void solve(std::vector<double>& x, int threads) const {
    in_ranges(ax.count, threads, [&](std::size_t first, std::size_t last) {
      for (std::size_t l = first; l < last; ++l) {
        const std::size_t b = segments.begin[l], e = segments.end[l];
        if (b == e) continue;
        const std::size_t p0 = ax.first(l) + b * ax.stride;
        x[p0] *= inverse_pivot[p0];
        for (std::size_t m = b + 1, p = p0 + ax.stride; m < e; ++m, p += ax.stride)
          x[p] = (x[p] + theta_g(p) * x[p - ax.stride]) * inverse_pivot[p];
        for (std::size_t m = e - 1, p = p0 + (e - 1 - b) * ax.stride; m > b; --m) {
          p -= ax.stride;
          x[p] -= c_prime[p] * x[p + ax.stride];
        }
      }
    });
  }

  double theta_g(std::size_t p) const { return theta * g[p - ax.stride]; }  // −lower
};

// Exact logistic growth by the factor g = e^{ρt}: K·v·g/(K + v·(g − 1)).
double logistic(double v, double growth, double k) { return v > 0 ? k * v * growth / (k + v * (growth - 1)) : v; }

void check(const TissueGrid& grid) {
  if (grid.voxels() == 0 || grid.diffusion.size() != grid.voxels())
    throw Error("tumour grid: the diffusivities and the grid size disagree");
  for (double h : grid.spacing_mm) require_positive(h, "tumour grid: the voxel spacing");
  for (float d : grid.diffusion)
    if (!(d >= 0) || !std::isfinite(d)) throw Error("tumour grid: a diffusivity must be a finite number >= 0");
  const auto& rho = grid.proliferation_per_day;
  if (!rho.empty() && rho.size() != grid.voxels()) throw Error("tumour grid: the proliferation map and the grid disagree");
  for (float r : rho)
    if (!std::isfinite(r)) throw Error("tumour grid: a proliferation rate must be finite");
}

// The grid itself is checked when a stepper is made.
void check(const GridTumour& tumour, const TissueGrid& grid) {
  if (tumour.density.size() != grid.voxels() || (!tumour.resistant.empty() && tumour.resistant.size() != grid.voxels()))
    throw Error("tumour grid: the densities and the grid size disagree");
}

}  // namespace

double GridTumour::total_cells(const TissueGrid& grid) const {
  double total = 0;
  for (std::size_t p = 0; p < density.size(); ++p) total += density_at(p);
  return total * grid.voxel_volume_mm3();
}

double GridTumour::volume_at(const TissueGrid& grid, double level) const {
  std::size_t n = 0;
  for (std::size_t p = 0; p < density.size(); ++p) n += density_at(p) >= level ? 1 : 0;
  return static_cast<double>(n) * grid.voxel_volume_mm3();
}

void GridTumour::split_resistant(double share) { move_to_resistant(density, resistant, share); }

struct GridStepper::Factorised {
  std::array<AxisSolver, 3> axes;
  std::vector<double> lx, ly, lz;  // L_a·c of the current step
  std::vector<double> growth_half, growth_full;  // e^{ρΔt/2}, e^{ρΔt} per voxel; empty: one ρ
  Factorised(const TissueGrid& grid, double dt)
      : axes{AxisSolver(grid, 0, dt / 2), AxisSolver(grid, 1, dt / 2), AxisSolver(grid, 2, dt / 2)},
        lx(grid.voxels(), 0), ly(grid.voxels(), 0), lz(grid.voxels(), 0) {
    for (float rho : grid.proliferation_per_day) {
      growth_half.push_back(std::exp(rho * dt / 2));
      growth_full.push_back(std::exp(rho * dt));
    }
  }
};

GridStepper::GridStepper(const TissueGrid& grid, const PiParams& params, double step_days, int threads)
    : grid_(grid), params_(params), step_days_(step_days), threads_(threads) {
  check(grid);
  require_positive(step_days, "the time step");
  require_positive(params.carrying_capacity, "the carrying capacity");
  factorised_ = std::make_unique<Factorised>(grid, step_days);
}

GridStepper::~GridStepper() = default;

void GridStepper::advance(GridTumour& tumour, long steps, const KillBetween* kill, double start_day) {
  check(tumour, grid_);
  if (steps < 1) throw Error("tumour grid: at least one step");
  const double dt = step_days_;
  const int threads = threads_;
  // Plain references, not a structured binding: lambdas below capture them (clang < 16).
  auto& factors = *factorised_;
  auto& axes = factors.axes;
  auto &lx = factors.lx, &ly = factors.ly, &lz = factors.lz;
  const auto &growth_half = factors.growth_half, &growth_full = factors.growth_full;
  auto& u = tumour.density;
  auto& r = tumour.resistant;
  const std::size_t n = u.size();
  auto each = [&](auto f) {  // f inlined: this runs on every voxel several times a step
    in_ranges(n, threads, [&](std::size_t first, std::size_t last) {
      for (std::size_t p = first; p < last; ++p) f(p);
    });
  };
  // Douglas: (I − ½Δt·Lx)·v₁ = c + Δt·(½Lx + Ly + Lz)·c; (I − ½Δt·Ly)·v₂ = v₁ − ½Δt·Ly·c;
  // (I − ½Δt·Lz)·c' = v₂ − ½Δt·Lz·c.
  auto diffuse = [&](std::vector<double>& c) {
    axes[0].apply(c, lx, threads);
    axes[1].apply(c, ly, threads);
    axes[2].apply(c, lz, threads);
    each([&](std::size_t p) { c[p] += dt * (0.5 * lx[p] + ly[p] + lz[p]); });
    axes[0].solve(c, threads);
    each([&](std::size_t p) { c[p] -= 0.5 * dt * ly[p]; });
    axes[1].solve(c, threads);
    each([&](std::size_t p) { c[p] -= 0.5 * dt * lz[p]; });
    axes[2].solve(c, threads);
  };
  // Also ends the undershoot below 0 at steep fronts (as in 1D). Two
  // populations: their sum is logistic and each keeps its share of it.
  const double k = params_.carrying_capacity;
  const double one_half = std::exp(params_.proliferation_per_day * dt / 2), one_full = std::exp(params_.proliferation_per_day * dt);
  auto react = [&](bool half) {
    const bool one_rho = growth_half.empty();
    const auto& map = half ? growth_half : growth_full;
    const double uniform = half ? one_half : one_full;
    if (r.empty()) return each([&](std::size_t p) { u[p] = logistic(std::max(u[p], 0.0), one_rho ? uniform : map[p], k); });
    each([&](std::size_t p) {
      u[p] = std::max(u[p], 0.0);
      r[p] = std::max(r[p], 0.0);
      const double total = u[p] + r[p];
      const double scale = total > 0 ? logistic(total, one_rho ? uniform : map[p], k) / total : 1.0;
      u[p] *= scale;
      r[p] *= scale;
    });
  };
  auto apply_kill = [&](double day0, double day1) {
    const double sensitive = std::exp(-kill->sensitive(day0, day1));
    const double resistant = r.empty() ? 1.0 : std::exp(-kill->resistant(day0, day1));
    each([&](std::size_t p) {
      u[p] *= sensitive;
      if (!r.empty()) r[p] *= resistant;
    });
  };
  // Without a drug, the half reaction steps that end one step and begin the
  // next are one full step (Strang).
  if (!kill) react(true);
  for (long s = 0; s < steps; ++s) {
    const double day = start_day + static_cast<double>(s) * dt;
    if (kill) {
      apply_kill(day, day + dt / 2);
      react(true);
    }
    diffuse(u);
    if (!r.empty()) diffuse(r);
    react(kill || s + 1 == steps);
    if (kill) apply_kill(day + dt / 2, day + dt);
  }
}

void grow(GridTumour& tumour, const TissueGrid& grid, const PiParams& params, double days, double max_step_days,
          int threads, const KillBetween* kill, double start_day) {
  require_positive(days, "the time to grow");
  require_positive(max_step_days, "the time step");
  const auto steps = static_cast<long>(std::ceil(days / max_step_days));
  GridStepper(grid, params, days / static_cast<double>(steps), threads).advance(tumour, steps, kill, start_day);
}

void irradiate(GridTumour& tumour, const TissueGrid& grid, const PiParams& params, const LinearQuadratic& lq,
               const std::vector<float>& dose_gy) {
  check(grid);
  check(tumour, grid);
  if (dose_gy.size() != grid.voxels()) throw Error("radiotherapy: the dose map is not on the tumour's grid");
  const double k = params.carrying_capacity;
  for (std::size_t p = 0; p < dose_gy.size(); ++p) {
    if (dose_gy[p] == 0) continue;
    if (!(grid.diffusion[p] > 0)) throw Error("radiotherapy: the dose plan reaches outside the brain");
    const double killed = lq.killed_share(dose_gy[p]);
    const double free_space = 1 - tumour.density_at(p) / k;
    tumour.density[p] -= killed * tumour.density[p] * free_space;
    if (!tumour.resistant.empty()) tumour.resistant[p] -= killed * tumour.resistant[p] * free_space;
  }
}

}  // namespace medtwin::onco

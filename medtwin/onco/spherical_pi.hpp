// The proliferation–invasion (PI) model of glioma growth in spherical
// symmetry (Swanson et al. 2003; with radiotherapy, Rockne et al. 2010, Phys
// Med Biol 55:3271–3285):
//   ∂c/∂t = D·(1/r²)·∂/∂r(r²·∂c/∂r) + ρ·c·(1 − c/K),   ∂c/∂r = 0 at r = 0 and r = R,
// c tumour cell density (cells/mm³), D diffusion (mm²/day), ρ net proliferation
// (1/day), K carrying capacity. Finite volumes on shells of equal width, Strang
// splitting: half a step of the logistic reaction (solved exactly), a
// Crank–Nicolson diffusion step (tridiagonal), half a reaction step: second
// order in space and time, conservative (without growth the total cell number
// is kept to round-off). A radiotherapy fraction of dose d kills the share
// 1 − exp(−α·d − β·d²) of the cells, scaled by c·(1 − c/K) as in Rockne 2010.
// Pure; card docs/models/proliferation_invasion.md.
#pragma once

#include <functional>
#include <vector>

#include "medtwin/onco/radiotherapy.hpp"

namespace medtwin::onco {

struct PiParams {
  double diffusion_mm2_per_day = 0;        // D
  double proliferation_per_day = 0;        // ρ
  double carrying_capacity = 1;            // K (cells/mm³; densities are in the same unit)
};

// The density on shells [i·h, (i+1)·h], i = 0 … n−1, of a sphere of radius n·h.
// With a drug-resistant population, `resistant` holds its density on the same
// shells; both share the carrying capacity and diffuse alike.
struct SphericalTumour {
  double shell_mm = 0;            // h
  std::vector<double> density;    // per shell, at its volume average (the sensitive cells)
  std::vector<double> resistant;  // empty, or one per shell
  double density_at(std::size_t shell) const;  // both populations
  // Both populations at radius r (mm), linear between shell centres, constant beyond them.
  double density_at_radius(double r_mm) const;
  // Total cells: Σ density·(4π/3)·(r_out³ − r_in³).
  double total_cells() const;
  // The outermost radius (mm) where the density, linear between shell centres,
  // still reaches `level` (a share of K times K); 0 when nowhere.
  double radius_at(double level) const;
  // Moves `share` of every shell's cells into the resistant population.
  void split_resistant(double share);
};

// Moves `share` of every `sensitive` density into `resistant` (sized like it
// when empty). Throws Error unless 0 <= share <= 1.
void move_to_resistant(std::vector<double>& sensitive, std::vector<double>& resistant, double share);

// A drug's kill between two days, as −log(survival) per population.
struct KillBetween {
  std::function<double(double, double)> sensitive, resistant;
};

// A sphere of `radius_mm` cut into `shells`, with density `density(r)` at the
// shell centres. Throws Error on a non-positive radius or fewer than 3 shells.
SphericalTumour spherical_tumour(double radius_mm, int shells, const std::function<double(double)>& density);

// Advances `days` (> 0) in steps of at most `max_step_days`. With `kill`, each
// step is framed by half-steps of the drug's kill (Strang), `start_day` being
// the day the growth starts on. Throws Error on non-positive or non-finite
// parameters, step or time.
void grow(SphericalTumour& tumour, const PiParams& params, double days, double max_step_days,
          const KillBetween* kill = nullptr, double start_day = 0);

// One radiotherapy fraction: c ← c − (1 − exp(−α·d − β·d²))·c·(1 − c/K), with
// `dose_gy(r)` the dose at the shell centre (Gy).
void irradiate(SphericalTumour& tumour, const PiParams& params, const LinearQuadratic& lq,
               const std::function<double(double)>& dose_gy);

}  // namespace medtwin::onco

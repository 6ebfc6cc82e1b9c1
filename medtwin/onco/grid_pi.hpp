// The proliferation–invasion model on a 3D image grid (Swanson et al. 2003;
// white/grey-matter diffusion as in Swanson, Alvord & Murray 2000):
//   ∂c/∂t = ∇·(D(x)∇c) + ρ·c·(1 − c/K),
// with D per voxel (mm²/day; 0 outside the brain, so no flux crosses its
// boundary) and face diffusivities the harmonic mean of the two voxels'.
// Finite volumes; Strang splitting of exact logistic growth around a
// Douglas ADI step of Crank–Nicolson diffusion (Douglas 1962): three implicit
// tridiagonal sweeps, one per axis, unconditionally stable, second order in
// time, and conserving the total number of cells exactly. Pure; card
// docs/models/proliferation_invasion.md.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <vector>

#include "medtwin/onco/radiotherapy.hpp"
#include "medtwin/onco/spherical_pi.hpp"

namespace medtwin::onco {

struct TissueGrid {
  std::array<std::size_t, 3> size{};        // voxels along x (fastest), y, z
  std::array<double, 3> spacing_mm{1, 1, 1};
  std::vector<float> diffusion;             // D per voxel, mm²/day; 0 outside the brain
  // ρ per voxel (1/day; may be negative), as in the voxel-wise models of
  // Hormuth/Yankeelov (cellularity.hpp); empty: the model's ρ everywhere.
  std::vector<float> proliferation_per_day;
  std::size_t voxels() const { return size[0] * size[1] * size[2]; }
  std::size_t index(std::size_t i, std::size_t j, std::size_t k) const { return i + size[0] * (j + size[1] * k); }
  // The index step along `axis` (0, 1, 2), and a voxel's position along it.
  std::size_t stride(std::size_t axis) const { return axis == 0 ? 1 : axis == 1 ? size[0] : size[0] * size[1]; }
  std::size_t coordinate(std::size_t voxel, std::size_t axis) const { return voxel / stride(axis) % size[axis]; }
  double voxel_volume_mm3() const { return spacing_mm[0] * spacing_mm[1] * spacing_mm[2]; }
};

// Cells per mm³ on every voxel of a TissueGrid. With a drug-resistant
// population, `resistant` holds its density on the same voxels; both share K
// and diffuse alike (as in SphericalTumour).
struct GridTumour {
  std::vector<double> density;    // the sensitive cells
  std::vector<double> resistant;  // empty, or one per voxel
  double density_at(std::size_t voxel) const { return density[voxel] + (resistant.empty() ? 0.0 : resistant[voxel]); }
  double total_cells(const TissueGrid& grid) const;
  // Volume (mm³) of the voxels at or above `level` (cells/mm³), both populations.
  double volume_at(const TissueGrid& grid, double level) const;
  // Moves `share` of every voxel's cells into the resistant population.
  void split_resistant(double share);
};

// Advances `days` (> 0) in steps of at most `max_step_days` on up to `threads`
// threads. With `kill`, each step is framed by half-steps of the drug's kill
// (Strang), `start_day` being the day the growth starts on. Throws Error when
// the grid and densities disagree or a parameter is invalid. D(x) comes from
// the grid; `params.diffusion_mm2_per_day` is unused.
void grow(GridTumour& tumour, const TissueGrid& grid, const PiParams& params, double days, double max_step_days,
          int threads = 1, const KillBetween* kill = nullptr, double start_day = 0);

// Steps of one length on one grid, the diffusion factorised once: for a
// course that grows in many short stretches (grow factorises on every call).
// Keeps references to `grid`, which must outlive it.
class GridStepper {
 public:
  // Throws Error when the grid or a parameter is invalid.
  GridStepper(const TissueGrid& grid, const PiParams& params, double step_days, int threads = 1);
  ~GridStepper();
  GridStepper(const GridStepper&) = delete;
  GridStepper& operator=(const GridStepper&) = delete;
  double step_days() const { return step_days_; }
  // Advances `steps` (>= 1) steps from `start_day`, as grow does.
  void advance(GridTumour& tumour, long steps, const KillBetween* kill = nullptr, double start_day = 0);

 private:
  struct Factorised;
  const TissueGrid& grid_;
  PiParams params_;
  double step_days_;
  int threads_;
  std::unique_ptr<Factorised> factorised_;
};

// One fraction with `dose_gy` per voxel: c ← c − (1 − e^{−αd−βd²})·c·(1 − c/K).
// Throws Error when a dose falls outside the brain (D = 0) or sizes disagree.
void irradiate(GridTumour& tumour, const TissueGrid& grid, const PiParams& params, const LinearQuadratic& lq,
               const std::vector<float>& dose_gy);

}  // namespace medtwin::onco

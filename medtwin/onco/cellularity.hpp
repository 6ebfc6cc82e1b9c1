// Tumour cellularity from diffusion-weighted MRI, and the reaction–diffusion
// model calibrated to it voxel by voxel, for breast and other solid tumours
// (Atuegwu et al. 2013; Hormuth et al. 2015, Phys Biol; Jarrett et al. 2018,
// Phys Med Biol 63:105015):
//   N/θ = (ADC_w − ADC)/(ADC_w − ADC_min)  (clipped to [0, 1]),
//   ∂N/∂t = ∇·(D∇N) + k(x)·N·(1 − N/θ),  no flux through the domain's edge,
// N cells per voxel, θ the voxel's carrying capacity, ADC_w free water's ADC,
// ADC_min the most cellular voxel's; D global, k(x) per voxel (negative where
// the tumour shrinks). Densities here are shares of θ. The fit is variable
// projection: for each D, k(x) by Gauss–Newton with each voxel's own logistic
// sensitivity ∂N/∂k = t·N·(1 − N/θ) (the Jacobian's diagonal: diffusion
// couples neighbours only weakly over weeks), then log D by Levenberg–
// Marquardt (log_fit) on the residuals that k(x) leaves. Pure; card
// docs/models/cellularity.md.
#pragma once

#include <vector>

#include "medtwin/onco/grid_pi.hpp"
#include "medtwin/onco/radius_calibration.hpp"

namespace medtwin::onco {

struct AdcScale {
  double water_mm2_per_s = 3.0e-3;  // free water at 37 °C
  double min_mm2_per_s = 0;         // the lowest ADC in the tumour over all visits
  // N/θ of a voxel of this ADC, within [0, 1].
  double share(double adc_mm2_per_s) const;
  // The ADC of a share of θ (for synthetic maps).
  double adc(double share) const;
};

// θ per mm³: spherical cells of 10 µm radius packed at the densest sphere
// packing, 0.7405 (Atuegwu 2013; Jarrett 2018).
inline constexpr double kCellsPerMm3AtCapacity = 0.7405 / 4.18879e-6;

struct CellularityMap {
  double day = 0;
  std::vector<double> share;  // N/θ per voxel of the domain's grid
};

struct CellularityFitOptions {
  double least_rate_per_day = -0.05, most_rate_per_day = 0.2;  // bounds of k (Hormuth's code: −0.05 … 0.1)
  double diffusion_start_mm2_per_day = 0.01;
  // Gauss–Newton sweeps of k(x) per D, always as many (so the residuals are
  // smooth in D): with 8, D came out 32 % low on the test's truth (k
  // absorbing what D does); with 30, exact.
  int rate_iterations = 30;
  double max_step_days = 1;  // k·Δt ≤ 0.2: the logistic step is exact and diffusion is slow
  int threads = 1;  // tumour regions are small grids: more threads cost more than they give
};

struct CellularityFit {
  FittedParameter diffusion;                 // mm²/day, global
  std::vector<float> proliferation_per_day;  // k per voxel; 0 where the tumour never was
  double rmse_share = 0;                     // over the domain's voxels on the visits after the first
  int iterations = 0;                        // of D
};

// Fits D and k(x) so that the model started from `maps[0]` matches the later
// maps (at least one). `domain` gives where cells can go (D > 0) and the
// voxel size; its D values are not used. Throws Error on fewer than two maps,
// maps off the grid, days not increasing, or a failed fit.
CellularityFit fit_cellularity(const TissueGrid& domain, const std::vector<CellularityMap>& maps,
                               const CellularityFitOptions& options);

// The model's maps on `days` (sorted, after `from.day`), started from `from`.
std::vector<CellularityMap> forecast_cellularity(const TissueGrid& domain, const CellularityFit& fit,
                                                 const CellularityMap& from, const std::vector<double>& days,
                                                 const CellularityFitOptions& options);

}  // namespace medtwin::onco

// The 3D calibration of a tumour twin: D in white matter (grey matter's is a
// fixed share of it) and ρ fitted so that the 3D model, started from the
// first pre-treatment visit's T2/FLAIR mask (tumour_grid.hpp), puts its
// visible edges where the later pre-treatment visits' T1Gd and T2/FLAIR masks
// put theirs. The residual of an edge voxel is the distance (mm) from it to
// the model's contour, to first order in the log-density, ln(c/θ)/|∇ln c|, on
// the voxels just inside and just outside each mask; each mask's residuals
// are weighted 1/(σ·√n), as if its whole edge were one measurement of SD σ
// (the radius SD of the spherical calibration), since segmentation errors are
// correlated along an edge. Levenberg–Marquardt on log-parameters (Ceres),
// started from the spherical calibration; log-normal intervals from the
// Gauss–Newton covariance. Reported: Dice overlap of the visible tumour with
// each mask, for the fitted and the spherical parameters. docs/tumour.md.
#pragma once

#include "medtwin/twin/tumour_grid.hpp"
#include "medtwin/twin/tumour_timeline.hpp"
#include "medtwin/twin/tumour_twin.hpp"

namespace medtwin {

// Throws Error naming what is missing: images (a brain mask), a mask on a
// pre-treatment visit, or a fit that fails.
GridFit calibrate_on_grid(const TumourTwin& twin, const TumourTimeline& timeline, const GridOptions& options);

// Adds the 3D calibration to `twin` (calibrated from `timeline`), whose id
// then also covers the 3D options: the spherical and the 3D twin of the same
// inputs are kept apart.
void add_grid_calibration(TumourTwin& twin, const TumourTimeline& timeline, const GridOptions& options);

}  // namespace medtwin

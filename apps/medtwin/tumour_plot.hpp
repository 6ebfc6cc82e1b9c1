// `tumor simulate --plot FILE.png`: axial slices through the centre of the
// spherical twin at the plan's start, the response assessment and the end of
// the follow-up (left to right). Grey: the T2/FLAIR-visible tumour; white: the
// T1Gd-enhancing core (medians); thin orange and blue rings: the 10 % and 90 %
// bands of the T1Gd and T2 edges. One pixel is 0.5 mm.
#pragma once

#include <string>

#include "medtwin/twin/tumour_grid.hpp"
#include "medtwin/twin/tumour_twin.hpp"

namespace medtwin::cli {

// Writes the PNG through a partial file (nothing is left behind on failure).
void write_tumour_plot(const PlanForecast& forecast, const std::string& path);

// `tumor simulate --grid --plot FILE.png`: the 3D forecast's axial slice
// through the most T2/FLAIR abnormality at the plan's start, the assessment
// and the end of the follow-up, the images' j axis up (anterior for RAS-ordered
// images). Dark: grey matter; lighter:
// white matter; grey: T2/FLAIR-visible tumour; white: T1Gd-enhancing core;
// orange outline: the first radiotherapy field.
void write_tumour_grid_plot(const GridSlices& slices, const std::string& path);

}  // namespace medtwin::cli

// Thinning a time series for drawing without losing its peaks: the time span
// is cut into equal buckets and each keeps its lowest and highest point (the
// min/max half of the M4 scheme, Jugel et al. 2014, PVLDB 7:797), so a chart
// of the thinned series shows every spike the full one has.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace medtwin {

// Indices (ascending) of at most `max_points` points of the series given by
// `times` (ascending) and `values`: all of them when they fit; else per bucket
// of max_points / 2 equal time buckets its minimum and maximum. max_points < 2
// keeps at most one point per bucket of one.
std::vector<std::size_t> min_max_thinning(std::span<const double> times, std::span<const double> values,
                                          std::size_t max_points);

}  // namespace medtwin

// Resampling an unevenly sampled series (RR intervals at their beat times)
// onto a regular grid, as needed before a Welch or Burg spectrum:
//  - linear interpolation;
//  - interpolating B-splines of degree 2 and 3 (de Boor, "A Practical Guide to
//    Splines", rev. ed. 2001, ch. IX–XIII): the collocation system is banded
//    and totally positive, so it is solved without pivoting. The knots follow
//    scipy.interpolate.make_interp_spline, which NeuroKit2's signal_interpolate
//    uses through interp1d: degree 3 is the not-a-knot cubic spline (knots at
//    the data sites except the second and second-to-last); degree 2 has its
//    interior knots at the midpoints between data sites, leaving out the first
//    and the last midpoint.
// Outside [x.front(), x.back()] the first and last values are held (no
// extrapolation), as interp1d with fill_value=(y[0], y[-1]) does.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace medtwin::signal {

enum class Interpolation {
  linear,
  quadratic_spline,  // NeuroKit2 0.2.0's default for heart-period series
  cubic_spline,      // not-a-knot
};

// Values of the interpolant through (x[i], y[i]) at x_start + k / rate,
// k = 0 … count − 1. `x` strictly increasing and finite, `y` finite, as many
// points as the method needs (2 linear, 3 quadratic, 4 cubic); rate > 0.
// O(n + count). Throws medtwin::Error on bad input.
std::vector<double> resample_regular(std::span<const double> x, std::span<const double> y, double x_start,
                                     double rate, std::size_t count, Interpolation method);

}  // namespace medtwin::signal

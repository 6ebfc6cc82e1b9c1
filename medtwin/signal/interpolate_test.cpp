#include "medtwin/signal/interpolate.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "medtwin/core/error.hpp"

namespace medtwin::signal {
namespace {

// Uneven sites, as beat times are.
const std::vector<double> kX = {0, 1, 2.5, 3, 4.5, 6};
const std::vector<double> kY = {1, 3, 2, 5, 4, 4.5};

// The grid −1, −0.5, …, 7 (start −1, rate 2 per unit): 17 points.
std::vector<double> on_grid(Interpolation method) { return resample_regular(kX, kY, -1, 2, 17, method); }

TEST(Interpolate, LinearIsExactOnALineAndHoldsTheEnds) {
  const std::vector<double> x = {0, 0.7, 2, 5};
  std::vector<double> y;
  for (double v : x) y.push_back(3 - 2 * v);
  const auto out = resample_regular(x, y, -1, 4, 29, Interpolation::linear);  // −1 … 6 by 0.25
  for (std::size_t k = 0; k < out.size(); ++k) {
    const double v = -1 + static_cast<double>(k) / 4;
    const double expected = v < 0 ? 3 : v > 5 ? 3 - 2 * 5 : 3 - 2 * v;
    EXPECT_NEAR(out[k], expected, 1e-12) << "at " << v;
  }
}

// A spline space of degree k holds every polynomial of degree ≤ k, so the
// interpolant must reproduce one exactly (de Boor, Guide, ch. XIII).
TEST(Interpolate, SplinesReproducePolynomialsOfTheirDegree) {
  const std::vector<double> x = {0.2, 0.9, 1.4, 2.8, 3.1, 4.6, 5.0, 6.3};
  auto quadratic = [](double v) { return 3 * v * v - 2 * v + 1; };
  auto cubic = [](double v) { return 0.5 * v * v * v - v * v + 4; };
  std::vector<double> yq, yc;
  for (double v : x) yq.push_back(quadratic(v)), yc.push_back(cubic(v));
  const auto q = resample_regular(x, yq, 0.2, 10, 62, Interpolation::quadratic_spline);
  const auto c = resample_regular(x, yc, 0.2, 10, 62, Interpolation::cubic_spline);
  for (std::size_t k = 0; k < q.size(); ++k) {
    const double v = 0.2 + static_cast<double>(k) / 10;
    EXPECT_NEAR(q[k], quadratic(v), 1e-9) << "at " << v;
    EXPECT_NEAR(c[k], cubic(v), 1e-9) << "at " << v;
  }
}

// The knot choice decides everything between the data sites. Expected values:
// scipy 1.10.1, interp1d(x, y, kind=…, bounds_error=False,
// fill_value=([y[0]], [y[-1]])) on the same grid — the call NeuroKit2 0.2.0's
// signal_interpolate makes.
TEST(Interpolate, QuadraticSplineMatchesScipyKnots) {
  const std::vector<double> expected = {1, 1, 1, 2.5532448753933825, 3, 2.3402653738198524, 1.0516713447307988,
                                        2, 5, 6.074381219698903, 4.953857276516118, 4, 3.606404695075275,
                                        3.773071361741941, 4.5, 4.5, 4.5};
  const auto out = on_grid(Interpolation::quadratic_spline);
  ASSERT_EQ(out.size(), expected.size());
  for (std::size_t k = 0; k < out.size(); ++k) EXPECT_NEAR(out[k], expected[k], 1e-12) << "grid point " << k;
}

TEST(Interpolate, CubicSplineMatchesScipyNotAKnot) {
  const std::vector<double> expected = {1, 1, 1, 3.2120833333333327, 3, 1.7818749999999997, 0.9758333333333331,
                                        2, 5, 6.241782407407407, 5.560092592592592, 4, 2.606574074074074,
                                        2.424884259259259, 4.5, 4.5, 4.5};
  const auto out = on_grid(Interpolation::cubic_spline);
  ASSERT_EQ(out.size(), expected.size());
  for (std::size_t k = 0; k < out.size(); ++k) EXPECT_NEAR(out[k], expected[k], 1e-12) << "grid point " << k;
}

TEST(Interpolate, SplinesPassThroughTheData) {
  // Grid of step 0.5 hits the sites 0, 1, 3, 6 (2.5 and 4.5 too).
  for (auto method : {Interpolation::linear, Interpolation::quadratic_spline, Interpolation::cubic_spline}) {
    const auto out = on_grid(method);
    for (std::size_t i = 0; i < kX.size(); ++i)
      EXPECT_NEAR(out[static_cast<std::size_t>((kX[i] + 1) * 2)], kY[i], 1e-12);
  }
}

TEST(Interpolate, RejectsBadInput) {
  const std::vector<double> two = {0, 1};
  EXPECT_THROW(resample_regular(two, two, 0, 1, 3, Interpolation::quadratic_spline), NotEnoughData);
  const std::vector<double> three = {0, 1, 2};
  EXPECT_THROW(resample_regular(three, three, 0, 1, 3, Interpolation::cubic_spline), NotEnoughData);
  const std::vector<double> repeated = {0, 1, 1, 2};
  EXPECT_THROW(resample_regular(repeated, repeated, 0, 1, 3, Interpolation::linear), Error);
  const std::vector<double> sites = {0, 1, 2, 3};
  const std::vector<double> nan = {0, std::numeric_limits<double>::quiet_NaN(), 2, 3};
  EXPECT_THROW(resample_regular(sites, nan, 0, 1, 3, Interpolation::linear), Error);
  EXPECT_THROW(resample_regular(kX, std::vector<double>{1, 2}, 0, 1, 3, Interpolation::linear), Error);
  EXPECT_THROW(resample_regular(kX, kY, 0, 0, 3, Interpolation::linear), Error);
}

}  // namespace
}  // namespace medtwin::signal

#include "medtwin/core/dopri5.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace medtwin {
namespace {

// y' = −y from 1: e^{−x}; the local error control keeps the global error near rtol.
TEST(Dopri5, ExponentialDecayWithinTolerance) {
  std::array<double, 1> y{1};
  double step = 0;
  const long evaluations = dopri5_integrate([](double, const auto& s, auto& d) { d[0] = -s[0]; }, 0, 5, y, step);
  EXPECT_NEAR(y[0], std::exp(-5.0), 1e-6 * std::exp(-5.0) * 10);
  EXPECT_GT(step, 0);
  EXPECT_LT(evaluations, 200);
}

// Fifth order: tightening rtol by 10⁵ shrinks the error of a harmonic
// oscillator over two periods by far more than 10 (not a first-order method).
TEST(Dopri5, HarmonicOscillatorConvergesWithTolerance) {
  auto error_at = [](double rtol) {
    std::array<double, 2> y{1, 0};
    double step = 0;
    Dopri5Options o;
    o.rtol = rtol;
    o.atol = rtol * 1e-3;
    o.max_steps = 100000;
    dopri5_integrate([](double, const auto& s, auto& d) { d[0] = s[1], d[1] = -s[0]; }, 0, 4 * M_PI, y, step, o);
    return std::hypot(y[0] - 1, y[1]);
  };
  const double loose = error_at(1e-4), tight = error_at(1e-9);
  EXPECT_LT(tight, 1e-7);
  EXPECT_LT(tight, loose / 1000);
}

// Consecutive calls continue with the step the previous one predicted: a
// smooth problem split into unit intervals takes about one step per interval.
TEST(Dopri5, PredictedStepCarriesOverBetweenCalls) {
  std::array<double, 1> y{1};
  double step = 0;
  long evaluations = 0;
  for (int k = 0; k < 100; ++k)
    evaluations += dopri5_integrate([](double, const auto& s, auto& d) { d[0] = -1e-3 * s[0]; }, k, k + 1, y, step);
  EXPECT_NEAR(y[0], std::exp(-0.1), 1e-9);
  EXPECT_LT(evaluations, 100 * 7 + 50);  // one 7-evaluation step per interval after the start
}

TEST(Dopri5, TooManyStepsIsAnError) {
  std::array<double, 1> y{1};
  double step = 0;
  Dopri5Options o;
  o.max_steps = 3;
  o.rtol = 1e-12;
  EXPECT_THROW(dopri5_integrate([](double, const auto& s, auto& d) { d[0] = -50 * s[0]; }, 0, 10, y, step, o), Error);
}

}  // namespace
}  // namespace medtwin

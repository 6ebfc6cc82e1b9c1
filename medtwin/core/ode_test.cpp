// CVODE wrapper: analytic solutions, a stiff system, and every failure path
// turned into an exception.
#include "medtwin/core/ode.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

namespace medtwin {
namespace {

// y' = −k·y: y(t) = y0·e^{−kt}. With rtol 1e-8 the global error stays well
// below 1e-6 relative over 5 time constants.
TEST(CvodeSolver, ExponentialDecayMatchesClosedForm) {
  constexpr double k = 2.0;
  CvodeSolver solver(1, [](double, std::span<const double> y, std::span<double> dy) {
    dy[0] = -k * y[0];
    return true;
  }, CvodeOptions{1e-8, 1e-12, 0, 100000});
  std::vector<double> y{3.0};
  solver.reset(0, y);
  for (double t : {0.5, 1.0, 2.5}) {
    solver.advance_to(t, 2.5, y);
    EXPECT_NEAR(y[0], 3.0 * std::exp(-k * t), 1e-6 * 3.0 * std::exp(-k * t)) << "t = " << t;
  }
  EXPECT_DOUBLE_EQ(solver.time(), 2.5);
  EXPECT_GT(solver.steps_taken(), 0);
}

// Stiff linear pair: eigenvalues −1 and −1000; y1 = e^{−t}, y2 = e^{−t} (slow
// manifold reached from y2(0) = 1). BDF must take steps ≫ 1/1000.
TEST(CvodeSolver, StiffSystemNeedsFewSteps) {
  CvodeSolver solver(2, [](double, std::span<const double> y, std::span<double> dy) {
    dy[0] = -y[0];
    dy[1] = -1000 * (y[1] - y[0]) - y[0];
    return true;
  }, CvodeOptions{1e-8, 1e-12, 0, 100000});
  std::vector<double> y{1.0, 1.0};
  solver.reset(0, y);
  solver.advance_to(10, 10, y);
  EXPECT_NEAR(y[0], std::exp(-10.0), 1e-7);
  EXPECT_NEAR(y[1], std::exp(-10.0), 1e-7);
  EXPECT_LT(solver.steps_taken(), 2000);  // explicit Euler would need > 5000 for stability alone
}

TEST(CvodeSolver, RejectsBadSetupAndReportsFailures) {
  auto decay = [](double, std::span<const double> y, std::span<double> dy) {
    dy[0] = -y[0];
    return true;
  };
  EXPECT_THROW(CvodeSolver(0, decay), OdeError);
  EXPECT_THROW(CvodeSolver(1, decay, CvodeOptions{0, 1e-8, 0, 100}), OdeError);
  EXPECT_THROW(CvodeSolver(1, OdeRhs{}), OdeError);

  CvodeSolver solver(1, decay);
  std::vector<double> y{1.0};
  EXPECT_THROW(solver.reset(0, std::vector<double>{1.0, 2.0}), OdeError);
  EXPECT_THROW(solver.reset(0, std::vector<double>{std::nan("")}), OdeError);
  solver.reset(0, y);
  EXPECT_THROW(solver.advance_to(-1, 1, y), OdeError);  // backwards
  EXPECT_THROW(solver.advance_to(2, 1, y), OdeError);   // past the stop time

  // Too few steps allowed.
  CvodeSolver tight(1, decay, CvodeOptions{1e-10, 1e-14, 0, 5});
  tight.reset(0, y);
  EXPECT_THROW(tight.advance_to(100, 100, y), OdeError);

  // An exception in the right-hand side comes back out unchanged.
  CvodeSolver throwing(1, [](double, std::span<const double>, std::span<double>) -> bool {
    throw std::invalid_argument("model refused");
  });
  throwing.reset(0, y);
  EXPECT_THROW(throwing.advance_to(1, 1, y), std::invalid_argument);

  // A right-hand side that is never finite: CVODE gives up with an error.
  CvodeSolver nan_rhs(1, [](double, std::span<const double>, std::span<double> dy) {
    dy[0] = std::nan("");
    return true;
  });
  nan_rhs.reset(0, y);
  EXPECT_THROW(nan_rhs.advance_to(1, 1, y), OdeError);
}

}  // namespace
}  // namespace medtwin

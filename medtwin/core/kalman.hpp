// The linear Gaussian state-space model and its Kalman filter (Durbin &
// Koopman 2012, "Time Series Analysis by State Space Methods", §4.3), for
// univariate observations with missing values. Fixed state size N so that the
// small models the forecasters use run on the stack without allocation.
//
//   y_t     = Z a_t + eps_t,      eps_t ~ N(0, H)
//   a_{t+1} = T a_t + R eta_t,    R eta_t ~ N(0, Q)
#pragma once

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>

namespace medtwin {

template <int N>
struct StateSpaceModel {
  using Vector = Eigen::Matrix<double, N, 1>;
  using Matrix = Eigen::Matrix<double, N, N>;
  Eigen::Matrix<double, 1, N> Z = Eigen::Matrix<double, 1, N>::Zero();  // observation row
  Matrix T = Matrix::Identity();                                       // transition
  Matrix Q = Matrix::Zero();                                           // state noise covariance
  double H = 1;                                                        // observation noise variance
};

// Predicted state a_t|t-1 and its covariance; `advance` consumes y_t (NaN:
// missing, the prediction passes through) and moves to t+1.
template <int N>
struct KalmanState {
  typename StateSpaceModel<N>::Vector a = StateSpaceModel<N>::Vector::Zero();
  typename StateSpaceModel<N>::Matrix P = StateSpaceModel<N>::Matrix::Zero();

  // One-step prediction of y_t and its variance, before seeing y_t.
  double predicted_mean(const StateSpaceModel<N>& m) const { return m.Z * a; }
  double predicted_variance(const StateSpaceModel<N>& m) const { return (m.Z * P * m.Z.transpose())(0, 0) + m.H; }

  // Filters y_t and predicts t+1. Returns the innovation v_t (NaN when y_t is
  // missing). With `clip`, the state moves as if |v_t| were at most clip·√F_t:
  // Huber-type robust filtering (Cipra & Romera 1997), so that one wild
  // observation (a day the tracker was worn an hour) does not drag the level.
  double advance(const StateSpaceModel<N>& m, double y, double clip = std::numeric_limits<double>::infinity()) {
    double v = std::numeric_limits<double>::quiet_NaN();
    if (std::isfinite(y)) {
      v = y - predicted_mean(m);
      const double F = predicted_variance(m);
      const double bound = clip * std::sqrt(F);
      const double used = std::clamp(v, -bound, bound);
      const typename StateSpaceModel<N>::Vector PZ = P * m.Z.transpose();
      a += PZ * (used / F);
      P -= PZ * PZ.transpose() / F;
    }
    a = m.T * a;
    P = m.T * P * m.T.transpose() + m.Q;
    P = 0.5 * (P + P.transpose());  // keep it symmetric against rounding
    return v;
  }
};

}  // namespace medtwin

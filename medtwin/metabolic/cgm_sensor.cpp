#include "medtwin/metabolic/cgm_sensor.hpp"

#include <Eigen/Dense>
#include <array>
#include <cmath>

namespace medtwin::metabolic {
namespace {

constexpr int kBatchIntervals = 10;      // simglucose PRECOMPUTE
constexpr double kNoiseStepMinutes = 15;  // simglucose MDL_SAMPLE_TIME

// The not-a-knot cubic spline through equally spaced y (spacing h), at x.
// Second derivatives M solve the usual continuity rows; not-a-knot makes the
// third derivative continuous at the second and second-to-last knots.
class NotAKnotSpline {
 public:
  NotAKnotSpline(const std::array<double, kBatchIntervals + 1>& y, double h) : y_(y), h_(h) {
    constexpr int n = kBatchIntervals + 1;
    Eigen::Matrix<double, n, n> a = Eigen::Matrix<double, n, n>::Zero();
    Eigen::Matrix<double, n, 1> b = Eigen::Matrix<double, n, 1>::Zero();
    a(0, 0) = 1, a(0, 1) = -2, a(0, 2) = 1;
    a(n - 1, n - 3) = 1, a(n - 1, n - 2) = -2, a(n - 1, n - 1) = 1;
    for (int i = 1; i < n - 1; ++i) {
      a(i, i - 1) = h / 6, a(i, i) = 2 * h / 3, a(i, i + 1) = h / 6;
      b[i] = (y[i + 1] - 2 * y[i] + y[i - 1]) / h;
    }
    m_ = a.partialPivLu().solve(b);
  }
  double operator()(double x) const {
    int i = std::min(int(x / h_), kBatchIntervals - 1);
    double u = x - i * h_, v = (i + 1) * h_ - x;
    return m_[i] * v * v * v / (6 * h_) + m_[i + 1] * u * u * u / (6 * h_) + (y_[i] / h_ - m_[i] * h_ / 6) * v +
           (y_[i + 1] / h_ - m_[i + 1] * h_ / 6) * u;
  }

 private:
  std::array<double, kBatchIntervals + 1> y_;
  double h_;
  Eigen::Matrix<double, kBatchIntervals + 1, 1> m_;
};

}  // namespace

double LegacyNormal::uniform() {
  std::uint32_t a = mt_() >> 5, b = mt_() >> 6;
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

double LegacyNormal::next() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double x1, x2, r2;
  do {
    x1 = 2 * uniform() - 1;
    x2 = 2 * uniform() - 1;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1 || r2 == 0);
  double f = std::sqrt(-2 * std::log(r2) / r2);
  spare_ = f * x1;
  has_spare_ = true;
  return f * x2;
}

CgmNoise::CgmNoise(const CgmSensorParams& params, std::uint32_t seed) : params_(params), normal_(seed) {
  batch_start_ = next_at_15_min();
}

double CgmNoise::next_at_15_min() {
  e_ = started_ ? params_.pacf * (e_ + normal_.next()) : normal_.next();
  started_ = true;
  return params_.xi + params_.lambda * std::sinh((e_ - params_.gamma) / params_.delta);
}

void CgmNoise::refill() {
  std::array<double, kBatchIntervals + 1> knots;
  knots[0] = batch_start_;
  for (int k = 1; k <= kBatchIntervals; ++k) knots[k] = next_at_15_min();
  batch_start_ = knots.back();
  NotAKnotSpline spline(knots, kNoiseStepMinutes);
  int samples = int(std::floor(kBatchIntervals * kNoiseStepMinutes / params_.sample_time));
  for (int s = 1; s <= samples; ++s) ready_.push_back(spline(s * params_.sample_time));
}

double CgmNoise::next() {
  if (ready_.empty()) refill();
  double value = ready_.front();
  ready_.pop_front();
  return value;
}

double CgmSensor::measure(double minute, double glucose_mg_dl) {
  if (std::fmod(minute, params_.sample_time) == 0)
    last_ = std::min(std::max(glucose_mg_dl + noise_.next(), params_.min), params_.max);
  return last_;
}

}  // namespace medtwin::metabolic

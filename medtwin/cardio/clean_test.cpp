// clean_ecg: wander and hum go, the ECG stays, gaps stay gaps.
#include "medtwin/cardio/clean.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "medtwin/cardio/synthetic_ecg_testing.hpp"
#include "medtwin/core/error.hpp"

namespace medtwin::cardio {
namespace {

constexpr double kRate = 360;

double peak_abs(const std::vector<double>& x, std::size_t from, std::size_t to) {
  double m = 0;
  for (std::size_t i = from; i < to; ++i) m = std::max(m, std::abs(x[i]));
  return m;
}

std::vector<double> sine(double hz, double amplitude_mv, double seconds) {
  std::vector<double> x(std::size_t(seconds * kRate));
  for (std::size_t i = 0; i < x.size(); ++i)
    x[i] = amplitude_mv * std::sin(2 * std::numbers::pi * hz * double(i) / kRate);
  return x;
}

// Away from the ends (5 s, where the filters start): 0.3 Hz breathing wander
// falls to the zero-phase order-2 high-pass's |H(0.3 Hz)|² = 0.038 of itself
// (bound 5 %); 50 and 60 Hz hum to under 1 %; the ECG keeps its R waves
// within 5 % (a 0.67 Hz high-pass barely touches a 10 ms wave).
TEST(CleanEcg, RemovesWanderAndHumButNotTheEcg) {
  const std::size_t from = std::size_t(5 * kRate), to = std::size_t(55 * kRate);
  EXPECT_LT(peak_abs(clean_ecg(sine(0.3, 1, 60), kRate), from, to), 0.05);
  for (double hum_hz : {50.0, 60.0})
    EXPECT_LT(peak_abs(clean_ecg(sine(hum_hz, 1, 60), kRate), from, to), 0.01) << hum_hz;
  const auto times = testing::r_times(testing::regular_rr(0.8, 60));
  const std::vector<double> ecg = testing::synthetic_ecg(times, 60, kRate);
  const std::vector<double> cleaned = clean_ecg(ecg, kRate);
  const auto r = std::size_t(std::lround(times[10] * kRate)), before = std::size_t(0.25 * kRate);
  EXPECT_NEAR(cleaned[r] - cleaned[r - before], ecg[r] - ecg[r - before], 0.05);
}

TEST(CleanEcg, GapsStayGapsAndBadInputIsRefused) {
  std::vector<double> x = testing::synthetic_ecg(testing::r_times(testing::regular_rr(0.8, 20)), 20, kRate);
  for (std::size_t i = 1000; i < 1500; ++i) x[i] = std::nan("");
  const std::vector<double> y = clean_ecg(x, kRate);
  for (std::size_t i = 0; i < y.size(); ++i) EXPECT_EQ(std::isnan(y[i]), i >= 1000 && i < 1500) << i;
  EXPECT_EQ(clean_ecg(std::vector<double>(10, std::nan("")), kRate).size(), 10u);  // all missing: returned as is
  EXPECT_NO_THROW(clean_ecg(x, 100));  // 60 Hz is above 0.9 × Nyquist: no notch, no error
  EXPECT_THROW(clean_ecg(x, 1), Error);
  EXPECT_THROW(clean_ecg(std::vector<double>{}, kRate), Error);
}

}  // namespace
}  // namespace medtwin::cardio

// Test support for the cardio unit tests: a synthetic single-lead ECG built
// from Gaussian P, Q, R, S and T waves at given R times (the sum-of-Gaussians
// beat of McSharry, Clifford, Tarassenko & Smith 2003, "A dynamical model for
// generating synthetic electrocardiogram signals", IEEE Trans Biomed Eng
// 50:289–294, placed directly in time rather than integrated). Amplitudes in
// mV and timings in s are typical of lead II (P 0.15 mV, R 1 mV, T 0.3 mV;
// QRS about 80 ms wide). Header-only, for tests.
#pragma once

#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

namespace medtwin::cardio::testing {

struct Wave {
  double amplitude_mv, offset_s, width_s;  // Gaussian peak, centre relative to R, SD
};

// Adds the Gaussian wave amplitude · exp(−z²/2), z = (t − centre_s) / width_s,
// to x sampled at rate_hz from t = 0, over ±5 widths (beyond, < 4e-6 of its peak).
inline void add_gaussian(std::vector<double>& x, double rate_hz, double centre_s, double amplitude_mv,
                         double width_s) {
  const auto lo = static_cast<long>(std::floor((centre_s - 5 * width_s) * rate_hz));
  const auto hi = static_cast<long>(std::ceil((centre_s + 5 * width_s) * rate_hz));
  for (long n = std::max(0L, lo); n <= hi && n < static_cast<long>(x.size()); ++n) {
    const double z = (static_cast<double>(n) / rate_hz - centre_s) / width_s;
    x[static_cast<std::size_t>(n)] += amplitude_mv * std::exp(-0.5 * z * z);
  }
}

// The waves of one beat; without P for atrial fibrillation.
inline std::vector<Wave> beat_waves(bool p_wave) {
  std::vector<Wave> w{{-0.10, -0.030, 0.008}, {1.00, 0.0, 0.010}, {-0.25, 0.030, 0.008}, {0.30, 0.250, 0.050}};
  if (p_wave) w.push_back({0.15, -0.200, 0.025});
  return w;
}

// `duration_s` of signal at `rate_hz`, one beat at each time in `r_times_s`.
inline std::vector<double> synthetic_ecg(std::span<const double> r_times_s, double duration_s, double rate_hz,
                                         bool p_waves = true) {
  std::vector<double> x(static_cast<std::size_t>(std::lround(duration_s * rate_hz)), 0.0);
  const std::vector<Wave> waves = beat_waves(p_waves);
  for (double r : r_times_s)
    for (const Wave& w : waves) add_gaussian(x, rate_hz, r + w.offset_s, w.amplitude_mv, w.width_s);
  return x;
}

// R times of a rhythm with the given successive RR intervals (s), first beat at 0.5 s.
inline std::vector<double> r_times(std::span<const double> rr_s) {
  std::vector<double> t{0.5};
  for (double rr : rr_s) t.push_back(t.back() + rr);
  return t;
}

// RR intervals filling `duration_s` at a constant interval.
inline std::vector<double> regular_rr(double rr_s, double duration_s) {
  return std::vector<double>(static_cast<std::size_t>((duration_s - 1) / rr_s), rr_s);
}

}  // namespace medtwin::cardio::testing

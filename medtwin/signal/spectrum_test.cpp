#include "medtwin/signal/spectrum.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "medtwin/core/error.hpp"

namespace medtwin::signal {
namespace {

using std::numbers::pi;

std::vector<double> sinusoid(std::size_t n, double rate_hz, double amplitude, double f_hz) {
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = amplitude * std::sin(2 * pi * f_hz * static_cast<double>(i) / rate_hz + 0.3);
  return x;
}

std::vector<double> white_noise(std::size_t n, double sd, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0, sd);
  std::vector<double> x(n);
  for (double& v : x) v = normal(rng);
  return x;
}

double mean_power(const Spectrum& s, double low_hz, double high_hz) {
  double sum = 0;
  int n = 0;
  for (std::size_t k = 0; k < s.power.size(); ++k)
    if (s.frequency_hz[k] >= low_hz && s.frequency_hz[k] < high_hz) sum += s.power[k], ++n;
  return sum / n;
}

std::size_t peak_index(const Spectrum& s) {
  return static_cast<std::size_t>(std::max_element(s.power.begin(), s.power.end()) - s.power.begin());
}

// Expected values: scipy 1.10.1 scipy.signal.welch on the same series —
// the density scaling, window, detrending and segment count all show here.
TEST(Welch, MatchesScipyWelch) {
  std::vector<double> x(64);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double n = static_cast<double>(i);
    x[i] = std::sin(2 * pi * 0.11 * n) + 0.05 * n + 0.3 * std::cos(2 * pi * 0.31 * n);
  }
  // welch(x, fs=10, nperseg=16, nfft=32): constant detrend, 50 % overlap, even FFT.
  const std::vector<double> padded = {
      2.1737734107752295e-02, 1.0476164606335933e-01, 2.9274480358497029e-01, 4.9921885245958159e-01,
      4.8872314235762870e-01, 2.5489071873153885e-01, 5.7566449739251215e-02, 3.9283691887990095e-03,
      1.4003949126985214e-02, 3.6647265982117636e-02, 4.7839343778170187e-02, 3.2726315370127004e-02,
      1.0633844135438608e-02, 1.0587367443887928e-03, 3.4241797862221678e-06, 2.1259242806041699e-05,
      4.7277273552737863e-07};
  const auto a = welch_psd(x, 10, {.segment_length = 16, .fft_length = 32});
  ASSERT_EQ(a.power.size(), padded.size());
  for (std::size_t k = 0; k < padded.size(); ++k) {
    EXPECT_NEAR(a.power[k], padded[k], 1e-12 * padded[0] + 1e-13) << "bin " << k;
    EXPECT_NEAR(a.frequency_hz[k], 10.0 * static_cast<double>(k) / 32, 1e-12);
  }
  // welch(x, fs=10, nperseg=15, noverlap=5, nfft=15, detrend=False): odd FFT (no Nyquist bin), 5 segments.
  const std::vector<double> odd = {2.5227753348551634e+00, 2.0493834294622522e+00, 4.5049148046941151e-01,
                                   3.1453759413446816e-02, 2.6071703465222744e-02, 3.8351250447735789e-02,
                                   2.9459279704095536e-03, 3.6379913224843936e-05};
  const auto b = welch_psd(x, 10, {.segment_length = 15, .overlap = 5, .fft_length = 15, .detrend = Detrend::none});
  ASSERT_EQ(b.power.size(), odd.size());
  for (std::size_t k = 0; k < odd.size(); ++k) EXPECT_NEAR(b.power[k], odd[k], 1e-12 * odd[0]) << "bin " << k;
}

// A sinusoid of amplitude A has power A²/2: the density must put it at its
// frequency and integrate to it. Hann's main lobe is ±2 bins, so ±10 bins
// hold all but ~1e-5 of it; 0.1 % covers the trapezoid rule on the lobe.
TEST(Welch, SinusoidPowerLandsAtItsFrequency) {
  const double rate = 1000, f0 = 125, amplitude = 2;  // f0 on a bin of the 1024-point FFT
  const auto s = welch_psd(sinusoid(16384, rate, amplitude, f0), rate, {.segment_length = 1024});
  EXPECT_NEAR(s.frequency_hz[peak_index(s)], f0, 1e-9);
  const double bin = rate / 1024;
  EXPECT_NEAR(*band_power(s, f0 - 10 * bin, f0 + 10 * bin), amplitude * amplitude / 2, 1e-3 * 2);
}

// White noise of variance σ² has the flat one-sided density 2σ²/rate. The
// average over 120 bins of 511 segments has a relative SD near 0.3 %; 2 % is
// ~6 SD.
TEST(Welch, WhiteNoiseIsFlat) {
  const double rate = 100, sd = 1.5;
  const auto s = welch_psd(white_noise(1 << 16, sd, 42), rate, {.segment_length = 256});
  const double expected = 2 * sd * sd / rate;
  EXPECT_NEAR(mean_power(s, 1, 25), expected, 0.02 * expected);
  EXPECT_NEAR(mean_power(s, 25, 49), expected, 0.02 * expected);
  EXPECT_NEAR(*band_power(s, 0, 50), sd * sd, 0.02 * sd * sd);  // integrates to the variance
}

TEST(WelchEstimator, ReusedMatchesWelchPsdBitForBit) {
  WelchEstimator welch(250, {.segment_length = 256});
  for (unsigned seed : {1u, 2u, 3u}) {
    const auto x = white_noise(4096 + 100 * seed, 1.0, seed);  // different lengths, one estimator
    const Spectrum a = welch.estimate(x), b = welch_psd(x, 250, {.segment_length = 256});
    EXPECT_EQ(a.frequency_hz, b.frequency_hz);
    EXPECT_EQ(a.power, b.power);
  }
}

TEST(Welch, RejectsBadInput) {
  const std::vector<double> x(100, 1.0);
  EXPECT_THROW(welch_psd(x, 10, {.segment_length = 128}), NotEnoughData);
  EXPECT_THROW(welch_psd(x, 10, {.segment_length = 32, .overlap = 32}), Error);
  EXPECT_THROW(welch_psd(x, 10, {.segment_length = 32, .fft_length = 16}), Error);
  EXPECT_THROW(welch_psd(x, 0, {.segment_length = 32}), Error);
  auto bad = x;
  bad[7] = std::nan("");
  EXPECT_THROW(welch_psd(bad, 10, {.segment_length = 32}), Error);
}

// Beat-like uneven times: mean step 0.8 s with ±0.2 s jitter.
std::vector<double> uneven_times(std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> jitter(-0.2, 0.2);
  std::vector<double> t(n);
  double now = 0;
  for (double& v : t) v = now, now += 0.8 + jitter(rng);
  return t;
}

// Lomb's periodogram, summed directly in O(n·M): the reference for the
// extirpolated sums.
std::vector<double> direct_lomb(const std::vector<double>& t, const std::vector<double>& y, const Spectrum& at) {
  double mean = 0;
  for (double v : y) mean += v;
  mean /= static_cast<double>(y.size());
  const double to_density = 2 * (t.back() - t.front()) / static_cast<double>(t.size() - 1);
  std::vector<double> p;
  for (double f : at.frequency_hz) {
    const double w = 2 * pi * f;
    double s2 = 0, c2 = 0;
    for (double ti : t) s2 += std::sin(2 * w * ti), c2 += std::cos(2 * w * ti);
    const double tau = std::atan2(s2, c2) / (2 * w);
    double yc = 0, ys = 0, cc = 0, ss = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
      const double c = std::cos(w * (t[i] - tau)), s = std::sin(w * (t[i] - tau));
      yc += (y[i] - mean) * c, ys += (y[i] - mean) * s, cc += c * c, ss += s * s;
    }
    p.push_back(0.5 * (yc * yc / cc + ys * ys / ss) * to_density);
  }
  return p;
}

TEST(LombScargle, FastSumsAgreeWithDirectSums) {
  const auto t = uneven_times(400, 7);
  std::vector<double> y;
  const auto noise = white_noise(t.size(), 20, 8);
  for (std::size_t i = 0; i < t.size(); ++i) y.push_back(800 + 40 * std::sin(2 * pi * 0.1 * t[i]) + noise[i]);
  const auto s = lomb_scargle_psd(t, y, {.max_frequency_hz = 0.5});
  const auto direct = direct_lomb(t, y, s);
  const double peak = *std::max_element(direct.begin(), direct.end());
  for (std::size_t k = 0; k < direct.size(); ++k)
    EXPECT_NEAR(s.power[k], direct[k], 1e-6 * peak) << "at " << s.frequency_hz[k] << " Hz";
}

// A sinusoid sampled at uneven times: the peak sits at its frequency and the
// band around it integrates to A²/2 (±1 %: the uneven sampling spreads a
// little power off the peak).
TEST(LombScargle, SinusoidPowerLandsAtItsFrequency) {
  const auto t = uneven_times(1200, 3);
  const double f0 = 0.1, amplitude = 30;
  std::vector<double> y;
  for (double ti : t) y.push_back(amplitude * std::sin(2 * pi * f0 * ti + 1));
  const auto s = lomb_scargle_psd(t, y, {.max_frequency_hz = 0.6});
  const double resolution = 1 / (t.back() - t.front());
  EXPECT_NEAR(s.frequency_hz[peak_index(s)], f0, resolution / 2);
  EXPECT_NEAR(*band_power(s, f0 - 10 * resolution, f0 + 10 * resolution), amplitude * amplitude / 2,
              0.01 * amplitude * amplitude / 2);
}

// White noise at uneven times: flat density 2σ²·(mean step), integrating to σ²
// up to the mean Nyquist frequency 1 / (2 · 0.8 s). 4000 samples, ~16000 grid
// points of 4× oversampled (correlated) estimates: 3 % is several SD.
TEST(LombScargle, WhiteNoiseIsFlat) {
  const auto t = uneven_times(4000, 11);
  const double sd = 25;
  const auto y = white_noise(t.size(), sd, 12);
  const auto s = lomb_scargle_psd(t, y, {.max_frequency_hz = 0.625});
  const double expected = 2 * sd * sd * (t.back() - t.front()) / static_cast<double>(t.size() - 1);
  EXPECT_NEAR(mean_power(s, 0.01, 0.3), expected, 0.03 * expected);
  EXPECT_NEAR(mean_power(s, 0.3, 0.6), expected, 0.03 * expected);
}

TEST(LombScargle, RejectsBadInput) {
  const std::vector<double> t = {0, 1, 2, 3}, y = {1, 2, 1, 2};
  EXPECT_THROW(lomb_scargle_psd({t.data(), 2}, {y.data(), 2}), NotEnoughData);
  EXPECT_THROW(lomb_scargle_psd(t, {y.data(), 3}), Error);
  EXPECT_THROW(lomb_scargle_psd(std::vector<double>{0, 1, 1, 3}, y), Error);
  EXPECT_THROW(lomb_scargle_psd(t, y, {.max_frequency_hz = 0.1, .oversampling = 1}), NotEnoughData);
  EXPECT_THROW(lomb_scargle_psd(t, y, {.oversampling = 0.5}), Error);
}

// x[n] = 1.5 x[n−1] − 0.75 x[n−2] + e[n], Var e = 1: Burg recovers
// a = (−1.5, 0.75) (standard error ~0.005 at n = 20000) and the noise
// variance (SE ~1 %); the model spectrum integrates to the variance of x.
TEST(Burg, RecoversAKnownArProcess) {
  const auto e = white_noise(20000, 1, 5);
  std::vector<double> x(e.size(), 0.0);
  for (std::size_t n = 2; n < x.size(); ++n) x[n] = 1.5 * x[n - 1] - 0.75 * x[n - 2] + e[n];
  const auto model = burg_ar(x, 2);
  ASSERT_EQ(model.coefficients.size(), 2u);
  EXPECT_NEAR(model.coefficients[0], -1.5, 0.02);
  EXPECT_NEAR(model.coefficients[1], 0.75, 0.02);
  EXPECT_NEAR(model.noise_variance, 1, 0.04);

  // Var x of this AR(2) = (1 + a2) / ((1 − a2)((1 + a2)² − a1²)) σ² with a1 = −1.5, a2 = 0.75
  // (Box & Jenkins, Eq. 3.2.27): 1.75 / (0.25 · (3.0625 − 2.25)) = 8.615.
  std::vector<double> f;
  for (int k = 0; k <= 5000; ++k) f.push_back(0.5 * k / 5000.0);
  const double variance = *band_power(ar_psd(model, 1, f), 0, 0.6);
  EXPECT_NEAR(variance, 1.75 / (0.25 * 0.8125), 0.05 * 8.615);
}

TEST(Burg, RejectsBadInput) {
  const std::vector<double> x = {1, 2, 3};
  EXPECT_THROW(burg_ar(x, 0), Error);
  EXPECT_THROW(burg_ar(x, 3), NotEnoughData);
  EXPECT_THROW(burg_ar(std::vector<double>(10, 0.0), 2), Error);
  EXPECT_THROW(ar_psd({{0.5}, 1}, 1, std::vector<double>{0.7}), Error);
}

TEST(BandPower, TrapezoidOverTheBandsOwnPoints) {
  const Spectrum s{{0, 1, 2, 3, 4}, {0, 2, 4, 6, 8}};  // power = 2f
  EXPECT_DOUBLE_EQ(*band_power(s, 1, 4), 8);    // points 1, 2, 3: ∫1..3 2f df
  EXPECT_DOUBLE_EQ(*band_power(s, 0.5, 3.5), 8);  // not extended to the edges
  EXPECT_FALSE(band_power(s, 1.5, 2.5));          // one point
  EXPECT_FALSE(band_power(s, 5, 6));              // none
}

}  // namespace
}  // namespace medtwin::signal

#include "medtwin/signal/filter.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

#include "medtwin/core/error.hpp"

namespace medtwin::signal {
namespace {

constexpr double pi = std::numbers::pi;

double gain_db(const Sos& sos, double f, double rate) {
  return 20 * std::log10(std::abs(frequency_response(sos, f, rate)));
}

// The test signal of the scipy comparisons: x[n] = sin(2π·5n/360) + 0.5·cos(2π·40n/360) + 0.01·n.
std::vector<double> test_signal(int n) {
  std::vector<double> x(std::size_t(n), 0.0);
  for (int i = 0; i < n; ++i)
    x[std::size_t(i)] = std::sin(2 * pi * 5 * i / 360) + 0.5 * std::cos(2 * pi * 40 * i / 360) + 0.01 * i;
  return x;
}

// Order 2 by hand: with K = tan(π·fc/fs) the bilinear transform of
// 1/(s² + √2·s + 1) gives b = K²·[1, 2, 1]/D, a = [1, 2(K² − 1)/D, (1 − √2K + K²)/D],
// D = 1 + √2K + K². For fc/fs = 0.1, scipy.signal.butter(2, 0.2) prints
// b = [0.06745527388907192, 0.13491054777814385, 0.06745527388907192],
// a = [1, −1.1429805025399011, 0.41280159809618877] — the same numbers.
TEST(Butterworth, OrderTwoLowPassMatchesTheHandDerivationAndScipy) {
  Sos sos = butterworth_lowpass(2, 36, 360);
  ASSERT_EQ(sos.size(), 1u);
  double k = std::tan(pi * 0.1), d = 1 + std::sqrt(2.0) * k + k * k;
  EXPECT_NEAR(sos[0].b0, k * k / d, 1e-15);
  EXPECT_NEAR(sos[0].b1, 2 * k * k / d, 1e-15);
  EXPECT_NEAR(sos[0].b2, k * k / d, 1e-15);
  EXPECT_NEAR(sos[0].a1, 2 * (k * k - 1) / d, 1e-15);
  EXPECT_NEAR(sos[0].a2, (1 - std::sqrt(2.0) * k + k * k) / d, 1e-15);
  EXPECT_NEAR(sos[0].b0, 0.06745527388907192, 1e-15);
  EXPECT_NEAR(sos[0].a1, -1.1429805025399011, 1e-15);
  EXPECT_NEAR(sos[0].a2, 0.41280159809618877, 1e-15);
}

// The bilinear Butterworth low-pass has |H|² = 1/(1 + (tan(πf/fs)/tan(πfc/fs))^(2N))
// exactly: the analog magnitude at the pre-warped frequency.
TEST(Butterworth, LowAndHighPassFollowTheWarpedButterworthMagnitude) {
  const double rate = 360, fc = 15;
  for (int order = 1; order <= 8; ++order) {
    Sos low = butterworth_lowpass(order, fc, rate), high = butterworth_highpass(order, fc, rate);
    EXPECT_EQ(low.size(), std::size_t(order + 1) / 2);
    EXPECT_NEAR(std::abs(frequency_response(low, 0, rate)), 1, 1e-12) << order;
    EXPECT_NEAR(std::abs(frequency_response(high, 0, rate)), 0, 1e-12) << order;
    EXPECT_NEAR(std::abs(frequency_response(high, rate / 2, rate)), 1, 1e-12) << order;
    EXPECT_NEAR(gain_db(low, fc, rate), -10 * std::log10(2.0), 1e-9) << order;
    EXPECT_NEAR(gain_db(high, fc, rate), -10 * std::log10(2.0), 1e-9) << order;
    for (double f : {1.0, 7.0, 20.0, 60.0, 150.0}) {
      double r = std::pow(std::tan(pi * f / rate) / std::tan(pi * fc / rate), 2 * order);
      EXPECT_NEAR(std::norm(frequency_response(low, f, rate)), 1 / (1 + r), 1e-12) << order << " " << f;
      EXPECT_NEAR(std::norm(frequency_response(high, f, rate)), r / (1 + r), 1e-12) << order << " " << f;
    }
  }
}

// Band-pass: |H|² = 1/(1 + ((Ω² − Ω0²)/(Ω·B))^(2N)) with Ω = 2fs·tan(πf/fs),
// Ω0² = Ωl·Ωh, B = Ωh − Ωl: −3 dB at both edges, unity at the centre.
TEST(Butterworth, BandPassHasMinus3dBAtBothEdges) {
  const double rate = 360, lo = 5, hi = 15;
  auto warp = [&](double f) { return 2 * rate * std::tan(pi * f / rate); };
  for (int order = 1; order <= 6; ++order) {
    Sos band = butterworth_bandpass(order, lo, hi, rate);
    EXPECT_EQ(band.size(), std::size_t(order));
    EXPECT_NEAR(gain_db(band, lo, rate), -10 * std::log10(2.0), 1e-9) << order;
    EXPECT_NEAR(gain_db(band, hi, rate), -10 * std::log10(2.0), 1e-9) << order;
    EXPECT_NEAR(std::abs(frequency_response(band, 0, rate)), 0, 1e-12);
    EXPECT_NEAR(std::abs(frequency_response(band, rate / 2, rate)), 0, 1e-12);
    for (double f : {0.5, 3.0, 8.0, 10.0, 30.0, 100.0}) {
      double w = warp(f), w0sq = warp(lo) * warp(hi), b = warp(hi) - warp(lo);
      double r = std::pow((w * w - w0sq) / (w * b), 2 * order);
      EXPECT_NEAR(std::norm(frequency_response(band, f, rate)), 1 / (1 + r), 1e-12) << order << " " << f;
    }
  }
}

// A scipy 1.10 cross-check of the whole cascade: butter(3, [5, 15], 'band', fs=360)
// first section a = [1, −1.8180779106881744, 0.8390996311772797] (sections nearest
// the unit circle last, as here). Our sections carry their zeros differently,
// so the denominators are compared, as a set.
TEST(Butterworth, BandPassPolesMatchScipy) {
  Sos band = butterworth_bandpass(3, 5, 15, 360);
  ASSERT_EQ(band.size(), 3u);
  EXPECT_NEAR(band[0].a1, -1.8180779106881744, 1e-12);
  EXPECT_NEAR(band[0].a2, 0.8390996311772797, 1e-12);
  EXPECT_NEAR(band[1].a1, -1.8231506510184226, 1e-12);
  EXPECT_NEAR(band[1].a2, 0.8809219593767902, 1e-12);
  EXPECT_NEAR(band[2].a1, -1.9455405228336404, 1e-12);
  EXPECT_NEAR(band[2].a2, 0.9538009590934209, 1e-12);
}

TEST(Butterworth, ImpossibleDesignsThrow) {
  EXPECT_THROW(butterworth_lowpass(2, 10, 0), Error);
  EXPECT_THROW(butterworth_lowpass(2, 10, -360), Error);
  EXPECT_THROW(butterworth_lowpass(2, 180, 360), Error);  // at Nyquist
  EXPECT_THROW(butterworth_lowpass(2, 0, 360), Error);
  EXPECT_THROW(butterworth_lowpass(0, 10, 360), Error);
  EXPECT_THROW(butterworth_highpass(2, std::nan(""), 360), Error);
  EXPECT_THROW(butterworth_bandpass(2, 15, 5, 360), Error);
}

// scipy.signal.iirnotch(60, 30, fs=360): b = [0.982844387403537, −0.9828443874035372, 0.982844387403537],
// a = [1, −0.9828443874035372, 0.9656887748070739].
TEST(Notch, MatchesScipyAndRemovesThePowerline) {
  Biquad s = notch(60, 30, 360);
  EXPECT_NEAR(s.b0, 0.982844387403537, 1e-15);
  EXPECT_NEAR(s.b1, -0.9828443874035372, 1e-15);
  EXPECT_NEAR(s.b2, 0.982844387403537, 1e-15);
  EXPECT_NEAR(s.a1, -0.9828443874035372, 1e-15);
  EXPECT_NEAR(s.a2, 0.9656887748070739, 1e-15);
  Sos sos{s};
  EXPECT_NEAR(std::abs(frequency_response(sos, 60, 360)), 0, 1e-12);
  EXPECT_NEAR(std::abs(frequency_response(sos, 0, 360)), 1, 1e-12);
  EXPECT_NEAR(std::abs(frequency_response(sos, 180, 360)), 1, 1e-12);
  // A 50 Hz notch at 250 Hz with Q = 25 leaves 45 Hz (five bandwidths away) above −0.2 dB.
  EXPECT_GT(gain_db(Sos{notch(50, 25, 250)}, 45, 250), -0.2);
  EXPECT_THROW(notch(60, 0, 360), Error);
  EXPECT_THROW(notch(200, 30, 360), Error);
}

// scipy 1.10 sosfiltfilt of test_signal(200), default odd padding.
TEST(FiltFilt, MatchesScipySosfiltfilt) {
  std::vector<double> x = test_signal(200);
  std::vector<double> band = sos_filtfilt(butterworth_bandpass(3, 5, 15, 360), x);
  std::vector<double> low = sos_filtfilt(butterworth_lowpass(3, 10, 360), x);
  const std::size_t at[] = {0, 1, 50, 100, 199};
  const double band_ref[] = {-0.17192368582530912, -0.18935693570367107, -0.39571082029982424, 0.305610654081173,
                             0.06251648081449793};
  const double low_ref[] = {0.47664212572533926, 0.507262478280189, -0.42521368571910906, 1.6330303524317915,
                            1.2421631020198962};
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_NEAR(band[at[i]], band_ref[i], 1e-10) << at[i];
    EXPECT_NEAR(low[at[i]], low_ref[i], 1e-10) << at[i];
  }
}

// Shorter than the default padding: padded by n − 1 samples, as
// scipy.signal.sosfiltfilt(sos, x[:10], padlen=9) which gives these values.
TEST(FiltFilt, ShortInputUsesTheLongestPossiblePadding) {
  std::vector<double> x = test_signal(10);
  std::vector<double> y = sos_filtfilt(butterworth_bandpass(3, 5, 15, 360), x);
  EXPECT_NEAR(y[0], 0.05295646936460563, 1e-10);
  EXPECT_NEAR(y[5], -0.01985673128952003, 1e-10);
  EXPECT_NEAR(y[9], -0.02294275203405583, 1e-10);
  EXPECT_EQ(sos_filtfilt(butterworth_lowpass(2, 10, 360), std::vector<double>{3.5}), std::vector<double>{3.5});
  EXPECT_TRUE(sos_filtfilt(butterworth_lowpass(2, 10, 360), std::vector<double>{}).empty());
}

TEST(FiltFilt, ChannelsTogetherEqualChannelsOneByOne) {
  Sos band = butterworth_bandpass(3, 5, 15, 360);  // 3 sections
  // Seven channels: four run together, then two, then the odd one on its own.
  std::vector<std::vector<double>> channels;
  for (int k = 0; k < 7; ++k) {
    std::vector<double> x = test_signal(500);
    for (double& v : x) v = (k - 3) * v + 0.3 * k;
    channels.push_back(std::move(x));
  }
  channels[2].assign(500, 1.5);
  const std::vector<std::vector<double>> together =
      sos_filtfilt(band, std::vector<std::span<const double>>(channels.begin(), channels.end()));
  ASSERT_EQ(together.size(), channels.size());
  for (std::size_t k = 0; k < channels.size(); ++k) EXPECT_EQ(together[k], sos_filtfilt(band, channels[k])) << k;
  EXPECT_THROW(sos_filtfilt(band, {channels[0], std::span<const double>(channels[1]).first(10)}), Error);
}

TEST(FiltFilt, ConstantPassesUnchangedAndPassbandSineKeepsItsPhase) {
  std::vector<double> flat(1000, 2.5);
  for (double v : sos_filtfilt(butterworth_lowpass(4, 20, 360), flat)) EXPECT_NEAR(v, 2.5, 1e-12);
  for (double v : sos_filtfilt(butterworth_highpass(2, 0.5, 360), flat)) EXPECT_NEAR(v, 0, 1e-12);
  // A 10 Hz sine through a 5–15 Hz band-pass: zero phase, gain |H(10)|².
  Sos band = butterworth_bandpass(2, 5, 15, 360);
  double g = std::norm(frequency_response(band, 10, 360));
  std::vector<double> sine(3600);
  for (std::size_t i = 0; i < sine.size(); ++i) sine[i] = std::sin(2 * pi * 10 * double(i) / 360);
  std::vector<double> y = sos_filtfilt(band, sine);
  for (std::size_t i = 720; i < 2880; ++i) ASSERT_NEAR(y[i], g * sine[i], 1e-6) << i;
}

TEST(Filter, CausalFilterIsTheImpulseResponseOfTheCascade) {
  // 1/(1 − 0.5 z⁻¹): impulse response 0.5ⁿ.
  Sos sos{{1, 0, 0, -0.5, 0}};
  std::vector<double> x(6, 0.0);
  x[0] = 1;
  sos_filter(sos, x);
  for (std::size_t i = 0; i < x.size(); ++i) EXPECT_DOUBLE_EQ(x[i], std::pow(0.5, double(i)));
}

TEST(MovingAverage, CenteredAndTrailingWindowsByHand) {
  std::vector<double> x{1, 2, 3, 4, 5, 6};
  EXPECT_EQ(moving_average(x, 3), (std::vector<double>{1.5, 2, 3, 4, 5, 5.5}));
  EXPECT_EQ(moving_average(x, 3, Window::trailing), (std::vector<double>{1, 1.5, 2, 3, 4, 5}));
  EXPECT_EQ(moving_average(x, 4), (std::vector<double>{2, 2.5, 3.5, 4.5, 5, 5.5}));  // x[n−1 … n+2]
  EXPECT_EQ(moving_average(x, 1), x);
  EXPECT_EQ(moving_average(x, 100)[0], 3.5);
  EXPECT_THROW(moving_average(x, 0), Error);
}

// Every width against the window's mean taken directly, both window kinds,
// with the signal shorter than, equal to and longer than the window.
TEST(MovingAverage, MatchesTheMeanOfEachWindow) {
  std::mt19937 random(5);
  std::uniform_real_distribution<double> value(-1, 1);
  for (std::size_t n : {1u, 2u, 7u, 40u, 301u}) {
    std::vector<double> x(n);
    for (double& v : x) v = value(random);
    for (std::size_t width : {1u, 2u, 3u, 8u, 40u, 41u, 500u})
      for (Window window : {Window::centered, Window::trailing}) {
        const std::vector<double> y = moving_average(x, width, window);
        const auto w = std::ptrdiff_t(width), size = std::ssize(x);
        const std::ptrdiff_t behind = window == Window::centered ? (w - 1) / 2 : w - 1;
        for (std::ptrdiff_t i = 0; i < size; ++i) {
          const std::ptrdiff_t lo = std::max<std::ptrdiff_t>(0, i - behind), hi = std::min(size - 1, i - behind + w - 1);
          double sum = 0;
          for (std::ptrdiff_t k = lo; k <= hi; ++k) sum += x[std::size_t(k)];
          ASSERT_NEAR(y[std::size_t(i)], sum / double(hi - lo + 1), 1e-12) << n << " " << width << " " << i;
        }
      }
  }
}

// A large value followed by zeros: the running sum returns to exactly zero
// instead of leaving rounding residue behind.
TEST(MovingAverage, NoRoundingResidueOverLongSignals) {
  std::mt19937 random(7);
  std::normal_distribution<double> noise(0, 1e3);
  std::vector<double> x(200000, 0.0);
  for (std::size_t i = 0; i < 100000; ++i) x[i] = noise(random);
  std::vector<double> y = moving_average(x, 54, Window::trailing);
  for (std::size_t i = 100053 + 54; i < x.size(); ++i) ASSERT_EQ(y[i], 0) << i;
}

TEST(RunningMedian, MatchesBruteForceWithReplicatedEnds) {
  std::mt19937 random(11);
  std::uniform_int_distribution<int> value(-20, 20);  // many ties
  for (std::size_t width : {1u, 3u, 5u, 21u, 217u}) {
    std::vector<double> x(500);
    for (double& v : x) v = value(random);
    std::vector<double> y = running_median(x, width);
    const std::ptrdiff_t half = std::ptrdiff_t(width / 2), n = std::ssize(x);
    for (std::ptrdiff_t i = 0; i < n; ++i) {
      std::vector<double> window;
      for (std::ptrdiff_t k = i - half; k <= i + half; ++k)
        window.push_back(x[std::size_t(std::clamp<std::ptrdiff_t>(k, 0, n - 1))]);
      std::nth_element(window.begin(), window.begin() + half, window.end());
      ASSERT_EQ(y[std::size_t(i)], window[std::size_t(half)]) << width << " " << i;
    }
  }
}

TEST(RunningMedian, RejectsEvenWidthsAndNaN) {
  std::vector<double> x{1, 2, 3};
  EXPECT_THROW(running_median(x, 4), Error);
  EXPECT_THROW(running_median(x, 0), Error);
  EXPECT_THROW(running_median(std::vector<double>{1, std::nan(""), 3}, 3), Error);
  EXPECT_TRUE(running_median(std::vector<double>{}, 3).empty());
  EXPECT_EQ(running_median(std::vector<double>{4}, 5), std::vector<double>{4});
}

}  // namespace
}  // namespace medtwin::signal

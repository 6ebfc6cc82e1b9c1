#include "medtwin/cardio/af.hpp"

#include <gtest/gtest.h>

#include <random>

#include "medtwin/core/error.hpp"

namespace medtwin::cardio {
namespace {

constexpr double rate = 360;

// R peaks from RR intervals in seconds.
std::vector<std::int64_t> peaks_of(const std::vector<double>& rr_s) {
  std::vector<std::int64_t> peaks{0};
  for (double rr : rr_s) peaks.push_back(peaks.back() + static_cast<std::int64_t>(rr * rate));
  return peaks;
}

std::vector<double> sinus(std::size_t n, std::mt19937& rng) {
  std::normal_distribution<double> jitter(0, 0.02);  // 20 ms of respiratory variation
  std::vector<double> rr;
  for (std::size_t i = 0; i < n; ++i) rr.push_back(0.8 + jitter(rng));
  return rr;
}

std::vector<double> fibrillation(std::size_t n, std::mt19937& rng) {
  std::uniform_real_distribution<double> rr_s(0.4, 1.0);  // irregularly irregular
  std::vector<double> rr;
  for (std::size_t i = 0; i < n; ++i) rr.push_back(rr_s(rng));
  return rr;
}

TEST(AfDetection, SinusRhythmIsNotAf) {
  std::mt19937 rng(1);
  const auto r = detect_af(peaks_of(sinus(2000, rng)), rate);
  EXPECT_TRUE(r.episodes.empty());
  EXPECT_EQ(r.burden, 0);
}

TEST(AfDetection, BigeminyIsRegularlyIrregular) {
  std::vector<double> rr;
  for (int i = 0; i < 1000; ++i) rr.push_back(i % 2 ? 1.1 : 0.55);  // a premature beat every other beat
  EXPECT_TRUE(detect_af(peaks_of(rr), rate).episodes.empty());
}

TEST(AfDetection, FindsAnEpisodeInsideSinusRhythm) {
  std::mt19937 rng(2);
  auto rr = sinus(600, rng);
  const auto af = fibrillation(600, rng);  // about 7 minutes
  rr.insert(rr.end(), af.begin(), af.end());
  const auto tail = sinus(600, rng);
  rr.insert(rr.end(), tail.begin(), tail.end());
  const auto peaks = peaks_of(rr);
  const auto r = detect_af(peaks, rate);
  ASSERT_EQ(r.episodes.size(), 1u);
  // Onset and offset within a quarter window (32 beats) of the truth.
  EXPECT_NEAR(static_cast<double>(r.episodes[0].start_sample), static_cast<double>(peaks[600]), 32 * 0.8 * rate);
  EXPECT_NEAR(static_cast<double>(r.episodes[0].end_sample), static_cast<double>(peaks[1200]), 32 * 0.8 * rate);
  const double true_burden = static_cast<double>(peaks[1200] - peaks[600]) / static_cast<double>(peaks.back());
  EXPECT_NEAR(r.burden, true_burden, 0.03);
}

TEST(AfDetection, ShortRecordsGetNoCallAndBadRatesAreRefused) {
  std::mt19937 rng(3);
  EXPECT_TRUE(detect_af(peaks_of(fibrillation(50, rng)), rate).episodes.empty());
  EXPECT_THROW(detect_af(peaks_of(fibrillation(50, rng)), 0), Error);
}

}  // namespace
}  // namespace medtwin::cardio

#include "medtwin/sleep/regularity.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "medtwin/core/error.hpp"
#include "medtwin/sleep/test_data.hpp"

namespace medtwin::sleep {
namespace {

using namespace std::chrono_literals;
using namespace test_data;

constexpr SleepWake S = SleepWake::sleep, W = SleepWake::wake;

// `days` days of 1-min states, asleep from local `from` to `to` (minutes
// after midnight, wrapping past midnight) in zone `tz`.
SleepWakeSeries schedule(Instant start, int days, int from, int to, const std::string& tz = "UTC") {
  const ActivitySeries a = rest_activity_days(start, days, from, to, 0, 1, tz);
  SleepWakeSeries s{a.start, a.epoch, {}};
  for (double c : a.counts) s.states.push_back(c == 0 ? S : W);
  return s;
}

TEST(SleepRegularityIndex, PerfectlyRegularIs100) {
  EXPECT_DOUBLE_EQ(sleep_regularity_index(schedule(at("2024-01-01T00:00:00Z"), 7, 23 * 60, 7 * 60)), 100.0);
}

// Day 2 the exact opposite of day 1: every pair differs.
TEST(SleepRegularityIndex, OppositeDaysAreMinus100) {
  SleepWakeSeries s{at("2024-01-01T00:00:00Z"), 60min, {}};
  for (int h = 0; h < 48; ++h) s.states.push_back((h < 24) == (h % 24 < 12) ? S : W);
  EXPECT_DOUBLE_EQ(sleep_regularity_index(s), -100.0);
}

// States drawn at random (fair coin) share their state 24 h later half the
// time: SRI ≈ 0. 14 days of minutes give 18 720 pairs: the SRI's standard
// error is 200 × 0.5 / √18720 = 0.73, so |SRI| < 3 holds (4 standard errors).
TEST(SleepRegularityIndex, RandomIsAboutZero) {
  std::mt19937 rng(20240101);  // the engine's output sequence is fixed by the standard
  SleepWakeSeries s{at("2024-01-01T00:00:00Z"), 1min, {}};
  for (int i = 0; i < 14 * 1440; ++i) s.states.push_back((rng() & 1u) ? S : W);
  const double sri = sleep_regularity_index(s);
  EXPECT_LT(std::abs(sri), 3.0) << sri;
}

// Hand-checked: hourly states, day 1 asleep 00–08, day 2 asleep 01–09. Of the
// 24 pairs, hours 0 and 8 differ: SRI = 200 × 22/24 − 100 = 83.33.
TEST(SleepRegularityIndex, HandChecked) {
  SleepWakeSeries s{at("2024-01-01T00:00:00Z"), 60min, {}};
  for (int h = 0; h < 24; ++h) s.states.push_back(h < 8 ? S : W);
  for (int h = 0; h < 24; ++h) s.states.push_back(h >= 1 && h < 9 ? S : W);
  EXPECT_NEAR(sleep_regularity_index(s), 200.0 * 22 / 24 - 100, 1e-12);
  // An unknown epoch drops its pair: 21 of 23 pairs alike.
  s.states[5] = SleepWake::unknown;
  EXPECT_NEAR(sleep_regularity_index(s), 200.0 * 21 / 23 - 100, 1e-12);
}

TEST(SleepRegularityIndex, RejectsBadInput) {
  const auto short_series = schedule(at("2024-01-01T00:00:00Z"), 1, 0, 480);
  EXPECT_NE(error_of([&] { sleep_regularity_index(short_series); }).find("not enough data for SRI"), std::string::npos);
  auto odd = schedule(at("2024-01-01T00:00:00Z"), 3, 0, 480);
  odd.epoch = 7min;
  EXPECT_NE(error_of([&] { sleep_regularity_index(odd); }).find("divide one hour"), std::string::npos);
}

SleepEpisode night(const char* onset, const char* offset) { return {at(onset), at(offset), at(offset) - at(onset), {}}; }

// Work nights 23:00–07:00 (mid-sleep 03:00), weekend nights 01:00–10:00
// (mid-sleep 05:30), in Berlin (UTC+1 in January): social jet lag 2.5 h.
TEST(SocialJetLag, WeekendShift) {
  std::vector<SleepEpisode> nights;
  // 2024-01-08 is a Monday. Nights ending Mon–Fri: work; Sat, Sun: free.
  for (int d = 8; d <= 14; ++d) {
    const bool free = d == 13 || d == 14;
    char on[32], off[32];
    std::snprintf(on, sizeof on, "2024-01-%02dT%s", free ? d : d - 1, free ? "00:00:00Z" : "22:00:00Z");
    std::snprintf(off, sizeof off, "2024-01-%02dT%s", d, free ? "09:00:00Z" : "06:00:00Z");
    nights.push_back(night(on, off));
  }
  const TimeZoneHistory berlin({{at("2024-01-01T00:00:00Z"), "Europe/Berlin"}});
  const auto sjl = social_jet_lag(nights, berlin);
  EXPECT_NEAR(sjl.hours, 2.5, 1e-9);
  EXPECT_EQ(hhmm(sjl.mid_sleep_work), "03:00");
  EXPECT_EQ(hhmm(sjl.mid_sleep_free), "05:30");
  EXPECT_EQ(sjl.work_nights, 5u);
  EXPECT_EQ(sjl.free_nights, 2u);
}

// Mid-sleep on both sides of midnight: work 23:30, free 00:30 → 1 h, not 23 h.
TEST(SocialJetLag, MidnightWrap) {
  const std::vector<SleepEpisode> nights = {
      night("2024-01-08T19:30:00Z", "2024-01-09T03:30:00Z"),  // ends Tuesday: mid 23:30
      night("2024-01-09T20:00:00Z", "2024-01-10T03:00:00Z"),  // ends Wednesday: mid 23:30
      night("2024-01-12T20:30:00Z", "2024-01-13T04:30:00Z"),  // ends Saturday: mid 00:30
  };
  const auto sjl = social_jet_lag(nights, TimeZoneHistory());
  EXPECT_NEAR(sjl.hours, 1.0, 1e-9);
  EXPECT_EQ(hhmm(sjl.mid_sleep_work), "23:30");
  EXPECT_EQ(hhmm(sjl.mid_sleep_free), "00:30");
  // Other free days: with Wednesday free, both sides change.
  SocialJetLagOptions wednesday;
  wednesday.free_days = {std::chrono::Wednesday};
  EXPECT_EQ(social_jet_lag(nights, TimeZoneHistory(), wednesday).free_nights, 1u);
}

TEST(SocialJetLag, RejectsBadInput) {
  const std::vector<SleepEpisode> weekdays = {night("2024-01-08T22:00:00Z", "2024-01-09T06:00:00Z")};
  EXPECT_NE(error_of([&] { social_jet_lag(weekdays, TimeZoneHistory()); }).find("0 free and 1 work"),
            std::string::npos);
  EXPECT_NE(error_of([&] { social_jet_lag({}, TimeZoneHistory()); }).find("not enough data"), std::string::npos);
}

// y = 10 + 3 cos(2π (t − 15 h) / 24 h), hourly for 3 days: the fit recovers
// mesor 10, amplitude 3, acrophase 15:00 exactly, R² = 1, p = 0.
TEST(Cosinor, ExactCosineRecoversParameters) {
  std::vector<Instant> times;
  std::vector<double> values;
  for (int h = 0; h < 72; ++h) {
    times.push_back(at("2024-01-01T00:00:00Z") + std::chrono::hours(h));
    values.push_back(10 + 3 * std::cos(2 * std::numbers::pi * (h - 15) / 24.0));
  }
  const CosinorFit fit = fit_cosinor(times, values, TimeZoneHistory());
  EXPECT_NEAR(fit.mesor, 10, 1e-12);
  EXPECT_NEAR(fit.amplitude, 3, 1e-12);
  EXPECT_NEAR(double(fit.acrophase.count()), double(std::chrono::milliseconds(15h).count()), 1.0);  // 1 ms
  EXPECT_NEAR(fit.r_squared, 1, 1e-12);
  EXPECT_NEAR(fit.p_value, 0, 1e-12);
  EXPECT_EQ(fit.n, 72u);
  // The same instants seen from New York (UTC−5): the peak is at 10:00 local.
  const CosinorFit ny = fit_cosinor(times, values, TimeZoneHistory({{times.front(), "America/New_York"}}));
  EXPECT_EQ(hhmm(ny.acrophase), "10:00");
  EXPECT_NEAR(ny.amplitude, 3, 1e-12);
}

// Hand-checked: values 1, 2, 3, 4 at 00, 06, 12, 18 h. The design is
// orthogonal: M = 2.5, β = ½ Σ y cos = ½ (1 − 3) = −1, γ = ½ Σ y sin =
// ½ (2 − 4) = −1, so A = √2 and the peak angle is atan2(γ, β) = −3π/4 →
// 15:00. Fitted 1.5, 1.5, 3.5, 3.5: SSE = 1, SST = 5, R² = 0.8,
// F = (4/2)/(1/1) = 2 on (2, 1) df, p = (1/(1 + 4))^½ = 0.4472.
TEST(Cosinor, HandChecked) {
  const Instant t0 = at("2024-01-01T00:00:00Z");
  const std::vector<Instant> times = {t0, t0 + 6h, t0 + 12h, t0 + 18h};
  const std::vector<double> values = {1, 2, 3, 4};
  const CosinorFit fit = fit_cosinor(times, values, TimeZoneHistory());
  EXPECT_NEAR(fit.mesor, 2.5, 1e-12);
  EXPECT_NEAR(fit.amplitude, std::sqrt(2.0), 1e-12);
  EXPECT_EQ(hhmm(fit.acrophase), "15:00");
  EXPECT_NEAR(fit.r_squared, 0.8, 1e-12);
  EXPECT_NEAR(fit.f_statistic, 2, 1e-12);
  EXPECT_NEAR(fit.p_value, 1 / std::sqrt(5.0), 1e-12);
}

// On the shared recording, activity peaks in the day: the acrophase lies in
// the M10 window's span and opposite the rest period.
TEST(Cosinor, ActiwatchAcrophaseInActivePeriod) {
  const ActivitySeries series = read_awd_file("pyActigraphy_test_sample.AWD");
  const CosinorFit fit = fit_cosinor(series, TimeZoneHistory());
  std::printf("cosinor of pyActigraphy_test_sample.AWD: mesor %.2f, amplitude %.2f, acrophase %s, R² %.3f, p %.3g, n %zu\n",
              fit.mesor, fit.amplitude, hhmm(fit.acrophase).c_str(), fit.r_squared, fit.p_value, fit.n);
  EXPECT_GT(fit.acrophase, 9h);
  EXPECT_LT(fit.acrophase, 19h);
  EXPECT_LT(fit.p_value, 1e-6);
}

TEST(Cosinor, RejectsBadInput) {
  const Instant t0 = at("2024-01-01T00:00:00Z");
  const TimeZoneHistory utc;
  const std::vector<Instant> three = {t0, t0 + 6h, t0 + 12h};
  EXPECT_NE(error_of([&] { fit_cosinor(three, std::vector<double>{1, 2, 3}, utc); }).find("at least 4 finite values, got 3"),
            std::string::npos);
  const std::vector<Instant> four = {t0, t0 + 6h, t0 + 12h, t0 + 18h};
  EXPECT_NE(error_of([&] { fit_cosinor(four, std::vector<double>{2, 2, 2, 2}, utc); }).find("all values are equal"),
            std::string::npos);
  const std::vector<Instant> same_clock = {t0, t0 + 24h, t0 + 48h, t0 + 72h};
  EXPECT_NE(error_of([&] { fit_cosinor(same_clock, std::vector<double>{1, 2, 3, 4}, utc); }).find("distinct clock times"),
            std::string::npos);
  EXPECT_NE(error_of([&] { fit_cosinor(four, std::vector<double>{1, 2}, utc); }).find("4 times but 2 values"),
            std::string::npos);
  const std::vector<double> nan4(4, std::nan(""));
  EXPECT_NE(error_of([&] { fit_cosinor(four, nan4, utc); }).find("got 0"), std::string::npos);
}

}  // namespace
}  // namespace medtwin::sleep

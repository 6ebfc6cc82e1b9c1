#include "medtwin/sleep/two_process.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>

#include "medtwin/core/error.hpp"

namespace medtwin::sleep {
namespace {

using namespace std::chrono;

Instant at(const char* iso) { return parse_instant(iso); }

TimeZoneHistory zone(const char* tz) { return TimeZoneHistory({{Instant{}, tz}}); }

SleepEpisode episode(Instant onset, Instant offset) { return {onset, offset, offset - onset, offset - onset}; }

double clock_h(Instant t, const TimeZoneHistory& zones) {
  const LocalTime local = to_local(t, zones.zone_at(t));
  return duration<double, std::ratio<3600>>(local - floor<days>(local)).count();
}

// Signed clock difference a - b in hours, the short way round.
double clock_diff(double a, double b) { return std::remainder(a - b, 24.0); }

// One night a day at local clock hours onset_h / offset_h (an onset before
// noon belongs to the next calendar day), each jittered by N(0, jitter_min).
std::vector<SleepEpisode> nights(local_days first, int n, double onset_h, double offset_h, const char* tz,
                                 double jitter_min, unsigned seed = 7) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> jitter(0, jitter_min);
  auto local = [&](local_days day, double h) {
    const auto minutes = static_cast<long>(std::lround(h * 60 + jitter(rng)));
    return to_instant(LocalTime{day + std::chrono::minutes{minutes}}, tz);
  };
  std::vector<SleepEpisode> out;
  for (int i = 0; i < n; ++i) {
    const local_days evening = first + days{i};
    const local_days onset_day = onset_h >= 12 ? evening : evening + days{1};
    const Instant onset = local(onset_day, onset_h);
    out.push_back(episode(onset, local(evening + days{1}, offset_h)));
  }
  return out;
}

// Median clock hour of onsets or offsets near `centre_h`.
double median_clock(const std::vector<SleepEpisode>& eps, bool onsets, const TimeZoneHistory& zones, double centre_h) {
  std::vector<double> d;
  for (const auto& e : eps) d.push_back(clock_diff(clock_h(onsets ? e.onset : e.offset, zones), centre_h));
  std::sort(d.begin(), d.end());
  const std::size_t n = d.size();
  return centre_h + (n % 2 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2);
}

const TwoProcessPoint& point_at(const TwoProcessTrajectory& tr, Instant t) {
  for (const auto& pt : tr.points)
    if (pt.time == t) return pt;
  throw std::logic_error("no grid point at " + format_instant(t));
}

// ---- closed-form and analytic properties --------------------------------

TEST(TwoProcess, WakeFollowsTheClosedFormExactly) {
  // Daan 1984: while awake S = mu - (mu - S0) e^(-t / 18.2 h). Stepping
  // composes exact exponentials, so only rounding (~1e-16 per step) remains.
  const TwoProcessParameters p;
  const auto tr = simulate_schedule(p, zone("UTC"), {}, 0.2, {at("2024-01-01T07:00:00Z"), at("2024-01-01T23:00:00Z")});
  ASSERT_EQ(tr.points.size(), 16u * 12 + 1);
  for (std::size_t i = 0; i < tr.points.size(); ++i) {
    const double t_h = static_cast<double>(i) / 12;
    EXPECT_NEAR(tr.points[i].pressure, 1 - 0.8 * std::exp(-t_h / 18.2), 1e-12);
    EXPECT_FALSE(tr.points[i].asleep);
  }
  EXPECT_NEAR(tr.points.back().pressure, 0.667882, 1e-6);  // 1 - 0.8 e^(-16/18.2)
}

TEST(TwoProcess, SleepDecaysByTheClosedFormExactly) {
  // While asleep S = S0 e^(-t / 4.2 h).
  const TwoProcessParameters p;
  const Instant start = at("2024-01-01T23:00:00Z"), end = at("2024-01-02T07:00:00Z");
  const std::vector<SleepEpisode> night{episode(start, end)};
  const auto tr = simulate_schedule(p, zone("UTC"), night, 0.7, {start, end});
  ASSERT_EQ(tr.points.size(), 8u * 12 + 1);
  for (std::size_t i = 0; i + 1 < tr.points.size(); ++i) {
    EXPECT_NEAR(tr.points[i].pressure, 0.7 * std::exp(-static_cast<double>(i) / 12 / 4.2), 1e-12);
    EXPECT_TRUE(tr.points[i].asleep);
  }
  EXPECT_FALSE(tr.points.back().asleep);  // [onset, offset): awake at the offset instant
  EXPECT_NEAR(tr.points.back().pressure, 0.7 * std::exp(-8 / 4.2), 1e-12);
}

TEST(TwoProcess, FixedEightSixteenScheduleSettlesToItsPeriodicSolution) {
  // Sleeping 23:00-07:00 every day, S at wake-up obeys
  // w' = e^(-8/chi_s) (mu - (mu - w) e^(-16/chi_w)): a contraction with factor
  // q = e^(-8/4.2 - 16/18.2) = 0.0616 towards w* = e^(-8/chi_s)(1 - e^(-16/chi_w)) / (1 - q).
  const TwoProcessParameters p;
  std::vector<SleepEpisode> schedule;
  for (int d = 0; d < 10; ++d)
    schedule.push_back(episode(at("2024-01-01T23:00:00Z") + days{d}, at("2024-01-02T07:00:00Z") + days{d}));
  const auto tr =
      simulate_schedule(p, zone("UTC"), schedule, 0.9, {at("2024-01-01T07:00:00Z"), at("2024-01-12T07:00:00Z")});
  const double q = std::exp(-8 / 4.2 - 16 / 18.2);
  const double fixed = std::exp(-8 / 4.2) * (1 - std::exp(-16 / 18.2)) / (1 - q);
  std::vector<double> error;
  for (int d = 1; d <= 10; ++d) error.push_back(point_at(tr, at("2024-01-01T07:00:00Z") + days{d}).pressure - fixed);
  for (std::size_t i = 0; i + 1 < 4; ++i) EXPECT_NEAR(error[i + 1] / error[i], q, 1e-9);
  EXPECT_LT(std::abs(error.back()), 1e-12);
  std::printf("[figure] 8/16 schedule: S at wake-up -> %.6f, contraction %.4f per day\n", fixed, q);
}

TEST(TwoProcess, NaturalPeriodWithoutCircadianDriveMatchesDaanParameters) {
  // With a = 0 the thresholds are flat: sleep lasts chi_s ln(H0+/H0-) = 5.76 h
  // and wake chi_w ln((mu - H0-)/(mu - H0+)) = 16.79 h, period 22.55 h
  // ("The complexity and commonness of the two-process model...", npj Biol
  // Timing Sleep 2025, doi:10.1038/s44323-025-00039-z, Fig. 6: "approximately
  // 22.6 h, of which approximately 5.8 h is sleep").
  TwoProcessParameters p;
  p.amplitude = 0;
  const double sleep_h = 4.2 * std::log(0.67 / 0.17), wake_h = 18.2 * std::log(0.83 / 0.33);
  const auto tr =
      simulate_free_running(p, zone("UTC"), {0.5, false}, {at("2024-01-01T00:00:00Z"), at("2024-01-11T00:00:00Z")});
  ASSERT_GE(tr.sleeps.size(), 9u);
  for (std::size_t i = 1; i + 1 < tr.sleeps.size(); ++i) {
    // Switch instants are exact to well under a millisecond, then rounded to one.
    EXPECT_NEAR(duration<double>(tr.sleeps[i].offset - tr.sleeps[i].onset).count(), sleep_h * 3600, 0.002);
    EXPECT_NEAR(duration<double>(tr.sleeps[i + 1].onset - tr.sleeps[i].onset).count(), (sleep_h + wake_h) * 3600,
                0.002);
  }
  EXPECT_FALSE(tr.habitual.has_value());  // a 22.55-h rhythm is no once-a-day cycle
  EXPECT_TRUE(std::isnan(tr.points.back().debt_h));
}

// ---- habitual cycle and free running ------------------------------------

TEST(TwoProcess, DefaultParametersSleepAtNight) {
  // Sanity check, not a published figure: Daan 1984's parameters with their
  // phase put the self-selected sleep at an ordinary adult night.
  const auto cycle = habitual_cycle(TwoProcessParameters{});
  ASSERT_TRUE(cycle.has_value());
  EXPECT_NEAR(clock_diff(cycle->onset_h, 23), 0, 0.5);
  EXPECT_NEAR(clock_diff(cycle->offset_h, 7), 0, 0.5);
  // At the switches S sits on the thresholds.
  const TwoProcessParameters p;
  EXPECT_NEAR(cycle->pressure_at_onset, upper_threshold(p, cycle->onset_h), 1e-8);
  EXPECT_NEAR(cycle->pressure_at_offset, lower_threshold(p, cycle->offset_h), 1e-8);
  std::printf("[figure] default habitual sleep %.3f-%.3f h (%.2f h)\n", cycle->onset_h, cycle->offset_h,
              cycle->sleep_h());
}

TEST(TwoProcess, FreeRunningSettlesOnTheHabitualCycleInLocalTime) {
  // Berlin in March: the clock springs forward at 02:00 on 31 March, in the
  // middle of a night. The thresholds follow the local clock at once (no
  // re-entrainment dynamics), so that night is cut short in real time and the
  // sleep settles back on the habitual clock hours within two days.
  const TwoProcessParameters p;
  const auto cycle = habitual_cycle(p).value();
  const auto berlin = zone("Europe/Berlin");
  const auto tr =
      simulate_free_running(p, berlin, {0.3, false}, {at("2024-03-25T12:00:00Z"), at("2024-04-05T12:00:00Z")});
  ASSERT_EQ(tr.sleeps.size(), 11u);  // once a day
  auto on_habit = [&](const SleepEpisode& e) {
    EXPECT_NEAR(clock_diff(clock_h(e.onset, berlin), cycle.onset_h), 0, 1.0 / 60) << format_instant(e.onset);
    EXPECT_NEAR(clock_diff(clock_h(e.offset, berlin), cycle.offset_h), 0, 1.0 / 60) << format_instant(e.onset);
  };
  for (std::size_t i = 3; i < 5; ++i) on_habit(tr.sleeps[i]);   // before the change
  for (std::size_t i = 8; i < 11; ++i) on_habit(tr.sleeps[i]);  // from two days after it
  const auto& change = tr.sleeps[5];
  ASSERT_EQ(format_instant(change.onset).substr(0, 10), "2024-03-30");
  const double lost_h = cycle.sleep_h() - duration<double, std::ratio<3600>>(change.offset - change.onset).count();
  EXPECT_GT(lost_h, 0);
  EXPECT_LT(lost_h, 1);
  std::printf("[figure] DST night: %.0f min less sleep than habitual\n", lost_h * 60);
}

TEST(TwoProcess, FreeRunningSwitchesDoNotDependOnTheGridStep) {
  // Switches are searched on a fixed 5-min scan inside each grid step, so an
  // hourly grid finds the same instants as a 5-min one (up to ms rounding).
  const TwoProcessParameters p;
  const SimulationGrid fine{at("2024-01-01T00:00:00Z"), at("2024-01-08T00:00:00Z"), minutes{5}};
  SimulationGrid coarse = fine;
  coarse.step = minutes{60};
  const auto a = simulate_free_running(p, zone("UTC"), {0.4, false}, fine);
  const auto b = simulate_free_running(p, zone("UTC"), {0.4, false}, coarse);
  ASSERT_EQ(a.sleeps.size(), b.sleeps.size());
  for (std::size_t i = 0; i < a.sleeps.size(); ++i) {
    EXPECT_LE(abs(a.sleeps[i].onset - b.sleeps[i].onset), milliseconds{2});
    EXPECT_LE(abs(a.sleeps[i].offset - b.sleeps[i].offset), milliseconds{2});
  }
  EXPECT_NEAR(a.points.back().pressure, b.points.back().pressure, 1e-9);
}

TEST(TwoProcess, LivingTheHabitualCycleLeavesNoDebt) {
  const TwoProcessParameters p;
  const auto cycle = habitual_cycle(p).value();
  const auto utc = zone("UTC");
  std::vector<SleepEpisode> schedule;
  const Instant day0 = at("2024-01-01T00:00:00Z");
  for (int d = 0; d < 5; ++d)
    schedule.push_back(episode(day0 + days{d} + milliseconds{std::llround(cycle.onset_h * 3.6e6)},
                               day0 + days{d + 1} + milliseconds{std::llround(cycle.offset_h * 3.6e6)}));
  const Instant start = day0 + hours{12};
  const auto tr = simulate_schedule(p, utc, schedule, habitual_pressure(p, cycle, 12), {start, start + days{4}});
  // Switch instants rounded to 1 ms move S by < 1e-7: debt stays ~0.
  for (const auto& pt : tr.points) EXPECT_NEAR(pt.debt_h, 0, 1e-5);
  // state_after() on that history lands on the habitual cycle too.
  const auto st = state_after(p, utc, schedule, day0 + days{3} + hours{15});
  EXPECT_NEAR(st.pressure, habitual_pressure(p, cycle, 15), 1e-7);
  EXPECT_FALSE(st.asleep);
}

// ---- fitting a person ---------------------------------------------------

TEST(TwoProcess, FitsAnOrdinarySleeperAcrossADaylightSavingChange) {
  // 14 nights 23:30-07:00 in Berlin, jittered by N(0, 20 min), across 31 March.
  const auto berlin = zone("Europe/Berlin");
  const auto data = nights(local_days{2024y / March / 22}, 14, 23.5, 7, "Europe/Berlin", 20);
  const auto fit = fit_two_process(data, berlin);
  const double onset = median_clock(data, true, berlin, 23.5), offset = median_clock(data, false, berlin, 7);
  EXPECT_NEAR(clock_diff(fit.habitual.onset_h, onset), 0, 0.25);  // 15 min
  EXPECT_NEAR(clock_diff(fit.habitual.offset_h, offset), 0, 0.25);
  // The residuals are the nights' scatter around the fitted timing: their RMS
  // estimates the 20-min jitter (14 draws: relative SE ~ 0.2; bounds at 2.5 SE).
  EXPECT_GT(fit.onset_rms_h, 0.5 * 20 / 60);
  EXPECT_LT(fit.onset_rms_h, 1.5 * 20 / 60);
  EXPECT_GT(fit.offset_rms_h, 0.5 * 20 / 60);
  EXPECT_LT(fit.offset_rms_h, 1.5 * 20 / 60);
  ASSERT_EQ(fit.onset_residuals_h.size(), data.size());
  // Two parameters for two mean clock times: at the least-squares optimum the
  // residuals average zero (1 min allows for the optimiser's stopping rule).
  auto mean = [](const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / v.size(); };
  EXPECT_NEAR(mean(fit.onset_residuals_h), 0, 1.0 / 60);
  EXPECT_NEAR(mean(fit.offset_residuals_h), 0, 1.0 / 60);
  // Published constants stay put; only the phase and the threshold level move.
  EXPECT_EQ(fit.parameters.tau_rise_h, 18.2);
  EXPECT_EQ(fit.parameters.tau_decay_h, 4.2);
  EXPECT_NEAR(fit.parameters.upper_mean - fit.parameters.lower_mean, 0.5, 1e-12);
  std::printf(
      "[figure] 23:30-07:00 sleeper: median %.3f-%.3f h, fitted %.3f-%.3f h, phase %.3f h, H0+ %.4f, "
      "rms %.1f/%.1f min, %d evaluations\n",
      onset, offset, fit.habitual.onset_h, fit.habitual.offset_h, fit.parameters.phase_h, fit.parameters.upper_mean,
      fit.onset_rms_h * 60, fit.offset_rms_h * 60, fit.evaluations);
}

TEST(TwoProcess, FitsALateChronotype) {
  const auto ny = zone("America/New_York");
  const auto data = nights(local_days{2024y / June / 3}, 10, 2, 10, "America/New_York", 20, 11);
  const auto fit = fit_two_process(data, ny);
  const double onset = median_clock(data, true, ny, 2), offset = median_clock(data, false, ny, 10);
  EXPECT_NEAR(clock_diff(fit.habitual.onset_h, onset), 0, 0.25);
  EXPECT_NEAR(clock_diff(fit.habitual.offset_h, offset), 0, 0.25);
  // Mid-sleep is ~2.75 h later than the 23:30-07:00 sleeper's: so is the phase.
  const auto early = fit_two_process(nights(local_days{2024y / June / 3}, 10, 23.5, 7, "America/New_York", 20, 11), ny);
  EXPECT_GT(clock_diff(fit.parameters.phase_h, early.parameters.phase_h), 2);
  std::printf(
      "[figure] 02:00-10:00 sleeper: median %.3f-%.3f h, fitted %.3f-%.3f h, phase %.3f h, H0+ %.4f, "
      "rms %.1f/%.1f min\n",
      onset, offset, fit.habitual.onset_h, fit.habitual.offset_h, fit.parameters.phase_h, fit.parameters.upper_mean,
      fit.onset_rms_h * 60, fit.offset_rms_h * 60);
}

TEST(TwoProcess, ThresholdLevelCarriesTheSleepNeed) {
  // A 5.5-h and a 10-h sleeper: timing is reproduced, and the shorter the
  // sleep the higher the fitted thresholds (S falls to H0- sooner).
  const auto utc = zone("UTC");
  const auto short_data = nights(local_days{2024y / June / 3}, 10, 0.5, 6, "UTC", 20, 3);
  const auto long_data = nights(local_days{2024y / June / 3}, 10, 21.5, 7.5, "UTC", 20, 5);
  const auto short_fit = fit_two_process(short_data, utc), long_fit = fit_two_process(long_data, utc);
  EXPECT_NEAR(clock_diff(short_fit.habitual.onset_h, median_clock(short_data, true, utc, 0.5)), 0, 0.25);
  EXPECT_NEAR(clock_diff(short_fit.habitual.offset_h, median_clock(short_data, false, utc, 6)), 0, 0.25);
  EXPECT_NEAR(clock_diff(long_fit.habitual.onset_h, median_clock(long_data, true, utc, 21.5)), 0, 0.25);
  EXPECT_NEAR(clock_diff(long_fit.habitual.offset_h, median_clock(long_data, false, utc, 7.5)), 0, 0.25);
  EXPECT_GT(short_fit.parameters.upper_mean, TwoProcessParameters{}.upper_mean);
  EXPECT_LT(long_fit.parameters.upper_mean, TwoProcessParameters{}.upper_mean);
  std::printf("[figure] sleep need: 5.5-h sleeper %.2f h (H0+ %.4f), 10-h sleeper %.2f h (H0+ %.4f)\n",
              short_fit.habitual.sleep_h(), short_fit.parameters.upper_mean, long_fit.habitual.sleep_h(),
              long_fit.parameters.upper_mean);
}

TEST(TwoProcess, FitReadsTheLocalClockOfTheZoneThePersonIsIn) {
  // The same local nights in Tokyo and in Los Angeles give the same twin.
  const auto tokyo =
      fit_two_process(nights(local_days{2024y / May / 1}, 9, 23, 6.5, "Asia/Tokyo", 15), zone("Asia/Tokyo"));
  const auto la = fit_two_process(nights(local_days{2024y / May / 1}, 9, 23, 6.5, "America/Los_Angeles", 15),
                                  zone("America/Los_Angeles"));
  EXPECT_NEAR(clock_diff(tokyo.parameters.phase_h, la.parameters.phase_h), 0, 1e-3);
  EXPECT_NEAR(tokyo.habitual.onset_h, la.habitual.onset_h, 1e-3);
}

TEST(TwoProcess, FitRejectsTooFewNights) {
  const auto data = nights(local_days{2024y / January / 1}, 3, 23, 7, "UTC", 10);
  try {
    fit_two_process(data, zone("UTC"));
    FAIL() << "expected NotEnoughData";
  } catch (const NotEnoughData& e) {
    EXPECT_NE(std::string(e.what()).find("needs at least 7 nights, got 3"), std::string::npos) << e.what();
  }
  EXPECT_THROW(fit_two_process({}, zone("UTC")), NotEnoughData);
}

TEST(TwoProcess, FitRejectsANightThatEndsBeforeItStarts) {
  auto data = nights(local_days{2024y / January / 1}, 8, 23, 7, "UTC", 10);
  std::swap(data[4].onset, data[4].offset);
  EXPECT_THROW(fit_two_process(data, zone("UTC")), Error);
}

// ---- scenarios ----------------------------------------------------------

class TwoProcessScenario : public ::testing::Test {
 protected:
  // A fitted 23:30-07:00 sleeper in Berlin; the last recorded night ends on
  // 15 January, and the scenarios plan the nights of 15 and 16 January.
  TimeZoneHistory berlin = zone("Europe/Berlin");
  std::vector<SleepEpisode> history = nights(local_days{2024y / January / 1}, 14, 23.5, 7, "Europe/Berlin", 20);
  TwoProcessFit twin = fit_two_process(history, berlin);

  Instant local(local_days day, double h) const {
    return to_instant(LocalTime{day + milliseconds{std::llround(h * 3.6e6)}}, "Europe/Berlin");
  }
  SleepEpisode night(local_days evening, double onset_h, double offset_h) const {
    return episode(local(onset_h >= 12 ? evening : evening + days{1}, onset_h), local(evening + days{1}, offset_h));
  }
  SleepEpisode habitual(local_days evening) const {
    return night(evening, twin.habitual.onset_h, twin.habitual.offset_h);
  }
  TwoProcessTrajectory run(std::vector<SleepEpisode> plan) const {
    return simulate_scenario(twin.parameters, berlin, history, plan,
                             {local(local_days{2024y / January / 15}, 12), local(local_days{2024y / January / 18}, 0)});
  }
  static constexpr local_days jan15{2024y / January / 15}, jan16{2024y / January / 16}, jan17{2024y / January / 17};
};

TEST_F(TwoProcessScenario, ShortNightRaisesPressureAndDebtAndLowersAlertness) {
  const auto usual = run({habitual(jan15), habitual(jan16)});
  const auto short_night = run({night(jan15, 1, 6), habitual(jan16)});
  // S at wake-up: 06:00 after the short night vs the habitual wake-up.
  const auto& woke_short = point_at(short_night, local(jan16, 6));
  const double s_wake_usual = twin.habitual.pressure_at_offset;
  EXPECT_GT(woke_short.pressure, s_wake_usual);
  // Next afternoon (15:00): less alert, in debt.
  const auto& pm_short = point_at(short_night, local(jan16, 15));
  const auto& pm_usual = point_at(usual, local(jan16, 15));
  EXPECT_LT(pm_short.alertness, pm_usual.alertness);
  EXPECT_GT(pm_short.debt_h, 0.1);
  EXPECT_NEAR(pm_usual.debt_h, 0, 0.05);  // history jitter fades by ~0.06 a day
  // Debt is chi_s ln(S / S_habitual) at the same clock hour.
  EXPECT_NEAR(pm_short.debt_h,
              4.2 * std::log(pm_short.pressure / habitual_pressure(twin.parameters, twin.habitual, 15)), 1e-12);
  std::printf(
      "[figure] short night 01:00-06:00: S at wake %.4f (habitual %.4f), debt at 06:00 %.2f h; at 15:00 alertness "
      "%.4f vs %.4f, debt %.2f h vs %.2f h\n",
      woke_short.pressure, s_wake_usual, woke_short.debt_h, pm_short.alertness, pm_usual.alertness, pm_short.debt_h,
      pm_usual.debt_h);
}

TEST_F(TwoProcessScenario, RecoverySleepReducesDebt) {
  const auto no_recovery = run({night(jan15, 1, 6), habitual(jan16)});
  const auto recovery = run({night(jan15, 1, 6), night(jan16, 22, 9)});
  const auto& before = point_at(no_recovery, local(jan16, 21));
  const auto& after_usual = point_at(no_recovery, local(jan17, 12));
  const auto& after_recovery = point_at(recovery, local(jan17, 12));
  EXPECT_GT(before.debt_h, 0);
  EXPECT_LT(after_usual.debt_h, before.debt_h);          // a habitual night pays some back
  EXPECT_LT(after_recovery.debt_h, after_usual.debt_h);  // a long one pays more
  EXPECT_LT(after_recovery.debt_h, 0);                   // 11 h in bed leaves a surplus
  std::printf(
      "[figure] debt: evening after short night %.2f h; next noon %.2f h (habitual night) / %.2f h "
      "(22:00-09:00)\n",
      before.debt_h, after_usual.debt_h, after_recovery.debt_h);
}

TEST_F(TwoProcessScenario, PlanMustComeAfterTheHistory) {
  std::vector<SleepEpisode> plan{night(local_days{2024y / January / 10}, 23, 7)};
  EXPECT_THROW(run(plan), Error);
}

// ---- bad input ----------------------------------------------------------

TEST(TwoProcess, RejectsBadInput) {
  const TwoProcessParameters p;
  const auto utc = zone("UTC");
  const SimulationGrid day{at("2024-01-01T00:00:00Z"), at("2024-01-02T00:00:00Z")};
  TwoProcessParameters bad = p;
  bad.lower_mean = 0.8;
  EXPECT_THROW(habitual_cycle(bad), Error);
  bad = p;
  bad.tau_decay_h = std::nan("");
  EXPECT_THROW(simulate_free_running(bad, utc, {0.5, false}, day), Error);
  EXPECT_THROW(simulate_schedule(p, utc, {}, 0, day), Error);
  EXPECT_THROW(simulate_schedule(p, utc, {}, std::nan(""), day), Error);
  EXPECT_THROW(simulate_schedule(p, utc, {}, 0.5, {day.end, day.start}), Error);
  EXPECT_THROW(simulate_schedule(p, utc, {}, 0.5, {day.start, day.end, minutes{0}}), Error);
  EXPECT_THROW(simulate_schedule(p, utc, {}, 0.5, {day.start, day.start + years{100}, minutes{1}}), Error);
  const std::vector<SleepEpisode> overlapping{episode(at("2024-01-01T22:00:00Z"), at("2024-01-02T06:00:00Z")),
                                              episode(at("2024-01-02T05:00:00Z"), at("2024-01-02T07:00:00Z"))};
  EXPECT_THROW(simulate_schedule(p, utc, overlapping, 0.5, day), Error);
  EXPECT_THROW(state_after(p, utc, overlapping, day.end), Error);
}

}  // namespace
}  // namespace medtwin::sleep

#include "medtwin/baseline/stress.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "medtwin/core/error.hpp"

namespace medtwin::baseline {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

// Normal deviates from mt19937's raw output (Box-Muller), so the synthetic
// data are the same with every standard library.
class Normal {
 public:
  explicit Normal(unsigned seed) : rng_(seed) {}
  double operator()(double sd) {
    const double u1 = (rng_() + 0.5) / 4294967296.0, u2 = (rng_() + 0.5) / 4294967296.0;
    return sd * std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
  }

 private:
  std::mt19937 rng_;
};

// A synthetic person: awake 07:00-23:00 local with one heart-rate sample a
// minute at 60 + base_excess (+ trend, day offset, noise) beats/min, a stress
// bump 14:00-16:00, a run 18:00-18:45 (150 steps/min, 150 beats/min) with 10
// minutes of elevated recovery, and asleep at 52 beats/min 23:00-07:00.
struct Plan {
  int days = 14;
  std::vector<std::string> zones{"Europe/Berlin"};  // zone of day d: zones[min(d / 7, size - 1)]
  double base_excess_bpm = 6;
  double noise_sd_bpm = 3;
  double bump_bpm = 20;
  double trend_bpm_per_day = 0;
  double day_sd_bpm = 0;  // a random offset per day
  bool exercise = true;
  unsigned seed = 1;
};

struct Person {
  std::vector<TimedValue> hr;
  std::vector<StepCount> steps;
  std::vector<TimeSpan> sleep;
  TimeZoneHistory zones;
};

const local_days first_day{year{2024} / March / 20};  // the span crosses the 31 March DST change

Person simulate(const Plan& plan) {
  Person p;
  Normal normal(plan.seed);
  std::vector<TimeZoneSpan> spans;
  for (int d = 0; d < plan.days; ++d) {
    const std::string& zone = plan.zones[std::min<std::size_t>(d / 7, plan.zones.size() - 1)];
    const auto at = [&](minutes local) { return to_instant(LocalTime{first_day + days(d) + local}, zone); };
    if (spans.empty() || spans.back().tz != zone) spans.push_back({at(0min) - 12h, zone});
    const double day_offset = normal(plan.day_sd_bpm);
    for (minutes m = 7h; m < 23h; m += 1min) {
      const bool running = plan.exercise && m >= 18h && m < 18h + 45min;
      const bool recovering = plan.exercise && m >= 18h + 45min && m < 18h + 55min;
      double hr = 60 + plan.base_excess_bpm + plan.trend_bpm_per_day * d + day_offset + normal(plan.noise_sd_bpm);
      if (m >= 14h && m < 16h) hr += plan.bump_bpm;
      if (running) {
        hr = 150;
        p.steps.push_back({at(m), at(m + 1min), 150});
      }
      if (recovering) hr = 100;
      p.hr.push_back({at(m) + 30s, hr});
    }
    p.sleep.push_back({at(23h), at(31h)});
    for (minutes m = 23h; m < 31h; m += 5min) p.hr.push_back({at(m) + 30s, 52});
  }
  p.zones = TimeZoneHistory(spans);
  return p;
}

StressInputs inputs_of(const Person& p) {
  StressInputs in;
  in.heart_rate = p.hr;
  in.steps = p.steps;
  in.sleep = p.sleep;
  in.resting_hr_bpm = 60;
  return in;
}

int clock_hour(const HourlyStress& h) { return static_cast<int>(floor<hours>(h.hour - floor<days>(h.hour)).count()); }

TEST(Stress, PlantedBumpAt14To16IsTheRisingPartOfTheDay) {
  const auto person = simulate({});
  const auto hourly = hourly_stress(inputs_of(person), person.zones);
  const auto profile = stress_profile(hourly);
  EXPECT_EQ(profile.rising_hours, (std::vector<int>{14, 15}));
  // Still minutes score 100 * (HR - 60) / 30: 6 bpm above resting -> 20, 26 bpm -> 86.7. The
  // median over 14 days of hourly means (noise SD 3 bpm / sqrt(60) per hour) lies within 1.5.
  EXPECT_NEAR(*profile.median_by_hour[14], 100 * 26.0 / 30, 1.5);
  EXPECT_NEAR(*profile.median_by_hour[10], 100 * 6.0 / 30, 1.5);
  EXPECT_NEAR(profile.median, 20, 1.5);
  EXPECT_EQ(profile.values_by_hour[10], 14);
  std::printf("figure: bump: rising hours 14 %.2f, 15 %.2f; hour 10 %.2f; overall median %.2f, MAD %.2f\n",
              *profile.median_by_hour[14], *profile.median_by_hour[15], *profile.median_by_hour[10], profile.median,
              profile.mad);
}

TEST(Stress, ExerciseAndItsRecoveryAreNotStress) {
  const auto person = simulate({});
  const auto hourly = hourly_stress(inputs_of(person), person.zones);
  for (const auto& h : hourly) {
    if (clock_hour(h) != 18) continue;
    EXPECT_EQ(h.minutes, 5);  // 18:00-18:45 running and 10 minutes of recovery left out: 18:55-18:59 remain
    EXPECT_LT(h.stress, 50);  // a 5-minute mean of quiet minutes: 20 +- 4.5 (SD), far from the run's 93
  }
  // Median over 14 such hours: 20 within 2 SDs of the median (1.25 * 4.5 / sqrt(14) = 1.5).
  EXPECT_NEAR(*stress_profile(hourly).median_by_hour[18], 20, 3);
  // Without the steps the run reads as stress: (55 * 100 + 5 * 20) / 60 = 93 and hour 18 "rises".
  auto blind = inputs_of(person);
  blind.steps = {};
  const auto profile = stress_profile(hourly_stress(blind, person.zones));
  EXPECT_NEAR(*profile.median_by_hour[18], 93.3, 1.5);
  std::printf("figure: hour 18 without the steps: %.2f\n", *profile.median_by_hour[18]);
  EXPECT_EQ(profile.rising_hours, (std::vector<int>{14, 15, 18}));
}

TEST(Stress, WorkoutsWithoutStepsAreLeftOutToo) {
  auto person = simulate({});
  auto in = inputs_of(person);
  in.steps = {};
  std::vector<TimeSpan> rides;  // the same run recorded as a workout (as a ride would be)
  for (int d = 0; d < 14; ++d) {
    const auto start = to_instant(LocalTime{first_day + days(d) + 18h}, "Europe/Berlin");
    rides.push_back({start, start + 45min});
  }
  in.workouts = rides;
  EXPECT_EQ(stress_profile(hourly_stress(in, person.zones)).rising_hours, (std::vector<int>{14, 15}));
}

TEST(Stress, SleepIsNotPartOfTheDaytimeIndex) {
  const auto person = simulate({});
  for (const auto& h : hourly_stress(inputs_of(person), person.zones)) EXPECT_GE(clock_hour(h), 7);
  auto awake = inputs_of(person);
  awake.sleep = {};
  bool night = false;
  for (const auto& h : hourly_stress(awake, person.zones)) night |= clock_hour(h) < 7;
  EXPECT_TRUE(night);
}

TEST(Stress, EstimatedRestingRateIsTheFifthPercentileOfStillMinutes) {
  // Without a resting HR the 5th percentile of still minutes' HR is used. 14 of 16 still hours
  // are N(66, 3): the mixture's 5 % point is that normal's 0.05 * 16/14 = 5.7 % point,
  // 66 - 1.579 * 3 = 61.26 bpm (the bump and hour 18's 5 minutes add a little), so a quiet
  // hour scores 100 * (66 - 61.26) / 30 = 15.8.
  const auto person = simulate({});
  auto in = inputs_of(person);
  in.resting_hr_bpm.reset();
  const double quiet = *stress_profile(hourly_stress(in, person.zones)).median_by_hour[10];
  EXPECT_NEAR(quiet, 15.8, 1.5);
  std::printf("figure: estimated resting HR: hour 10 scores %.2f (analytic 15.8)\n", quiet);
}

TEST(Stress, LocalHoursFollowTheTimeZoneHistory) {
  Plan plan;
  plan.zones = {"Europe/Berlin", "America/New_York"};
  const auto person = simulate(plan);
  const auto hourly = hourly_stress(inputs_of(person), person.zones);
  EXPECT_EQ(stress_profile(hourly).rising_hours, (std::vector<int>{14, 15}));
  // 20 March 14:00 in Berlin (UTC+1) began at 13:00 UTC.
  const auto berlin_14 = std::find_if(hourly.begin(), hourly.end(), [](const auto& h) { return clock_hour(h) == 14; });
  ASSERT_NE(berlin_14, hourly.end());
  EXPECT_EQ(format_instant(berlin_14->start), "2024-03-20T13:00:00.000Z");
  // 27 March 14:00 in New York (UTC-4) began at 18:00 UTC.
  const auto ny = std::find_if(hourly.begin(), hourly.end(), [](const auto& h) {
    return floor<days>(h.hour) == first_day + days(7) && clock_hour(h) == 14;
  });
  ASSERT_NE(ny, hourly.end());
  EXPECT_EQ(format_instant(ny->start), "2024-03-27T18:00:00.000Z");
}

// Minutes of HR at 70 beats/min over [from, to) UTC.
std::vector<TimedValue> steady_hr(Instant from, Instant to) {
  std::vector<TimedValue> hr;
  for (Instant t = from; t < to; t += 1min) hr.push_back({t, 70});
  return hr;
}

TEST(Stress, HalfHourZonesGroupByLocalClockHours) {
  // India is UTC+5:30: local 08:00-10:00 is 02:30-04:30 UTC, two full local hours.
  const auto hr = steady_hr(sys_days{year{2024} / 3 / 20} + 2h + 30min, sys_days{year{2024} / 3 / 20} + 4h + 30min);
  StressInputs in;
  in.heart_rate = hr;
  const auto hourly = hourly_stress(in, TimeZoneHistory({{Instant{}, "Asia/Kolkata"}}));
  ASSERT_EQ(hourly.size(), 2u);
  EXPECT_EQ(clock_hour(hourly[0]), 8);
  EXPECT_EQ(hourly[0].minutes, 60);
  EXPECT_EQ(format_instant(hourly[1].start), "2024-03-20T03:30:00.000Z");
}

TEST(Stress, OffsetChangeInsideAQuarterHourIsExact) {
  // Newfoundland sprang forward at 00:01 local until 2011: on 14 March 2010 at 03:31 UTC,
  // 00:01 NST (UTC-3:30) became 01:01 NDT (UTC-2:30) - inside a 15-minute UTC block.
  const Instant from = sys_days{year{2010} / 3 / 14} + 3h;
  const auto hr = steady_hr(from, from + 90min);
  StressInputs in;
  in.heart_rate = hr;
  StressParameters p;
  p.min_minutes_per_hour = 1;
  const auto hourly = hourly_stress(in, TimeZoneHistory({{Instant{}, "America/St_Johns"}}), p);
  std::vector<std::pair<int, int>> got;  // (local clock hour, minutes)
  for (const auto& h : hourly) got.emplace_back(clock_hour(h), h.minutes);
  // 03:00-03:29 UTC = 23:30-23:59 NST; 03:30 = 00:00 NST; 03:31-04:29 = 01:01-01:59 NDT. One
  // offset per 15-minute block would put 03:31-03:44 in local hour 0: {0, 15}, {1, 45}.
  EXPECT_EQ(got, (std::vector<std::pair<int, int>>{{23, 30}, {0, 1}, {1, 59}}));
}

TEST(Stress, UpwardTrendIsDetected) {
  // +1 bpm a day over 14 days: every still hour rises by 100/30 = 3.33 points a day.
  Plan plan;
  plan.bump_bpm = 0;
  plan.exercise = false;
  plan.trend_bpm_per_day = 1;
  const auto person = simulate(plan);
  const auto days = daily_stress(hourly_stress(inputs_of(person), person.zones));
  ASSERT_EQ(days.size(), 14u);
  const auto trend = stress_trend(days);
  EXPECT_TRUE(trend.worsening);
  EXPECT_NEAR(trend.slope_per_day, 100.0 / 30, 0.15);
  EXPECT_EQ(trend.kendall_s, 91);  // every one of the 14 * 13 / 2 pairs rises
  EXPECT_LT(trend.p_value, 1e-5);  // z = 90 / sqrt(333.67) = 4.93
  std::printf("figure: +1 bpm/day: slope %.3f points/day, S %.0f, p %.2g\n", trend.slope_per_day, trend.kendall_s,
              trend.p_value);
}

TEST(Stress, FlatNoisySeriesIsNotATrend) {
  Plan plan;
  plan.day_sd_bpm = 2;  // day-to-day wander of 6.7 points, no trend
  const auto person = simulate(plan);
  const auto trend = stress_trend(daily_stress(hourly_stress(inputs_of(person), person.zones)));
  EXPECT_FALSE(trend.worsening);
  EXPECT_GT(trend.p_value, 0.05);
  std::printf("figure: flat: slope %.3f points/day, S %.0f, p %.3f\n", trend.slope_per_day, trend.kendall_s,
              trend.p_value);
}

std::vector<DailyStress> series(Normal& normal, double slope, double sd) {
  std::vector<DailyStress> out;
  for (int d = 0; d < 14; ++d) out.push_back({first_day + days(d), 30 + slope * d + normal(sd), 16});
  return out;
}

TEST(StressTrend, FalseAlarmRateOnFlatSeriesIsAtMostTheOneSidedLevel) {
  // Under no trend a two-sided 5 % test flags a rise in 2.5 % of series; 3 binomial SDs over
  // 2000 series is 2.5 % + 1.0 %.
  Normal normal(11);
  int alarms = 0;
  for (int i = 0; i < 2000; ++i) alarms += stress_trend(series(normal, 0, 5)).worsening;
  EXPECT_LE(alarms / 2000.0, 0.035);
  std::printf("figure: false alarms on flat series: %.4f\n", alarms / 2000.0);
}

TEST(StressTrend, ClearRiseIsAlmostAlwaysFound) {
  // 2 points a day (26 over the window) against day-to-day noise of SD 3.
  Normal normal(12);
  int found = 0;
  for (int i = 0; i < 2000; ++i) found += stress_trend(series(normal, 2, 3)).worsening;
  EXPECT_GE(found / 2000.0, 0.99);
  std::printf("figure: rise of 2 points/day (SD 3) found: %.4f\n", found / 2000.0);
}

TEST(StressTrend, UsesOnlyTheLastWindowAndNeedsEnoughDays) {
  Normal normal(13);
  auto days = series(normal, 0, 1);
  auto older = series(normal, 0, 1);
  for (auto& d : older) d.day -= std::chrono::days(30), d.stress += 50;  // a month earlier, much higher
  days.insert(days.begin(), older.begin(), older.end());
  const auto trend = stress_trend(days);
  EXPECT_EQ(trend.days, 14);
  EXPECT_EQ(trend.first_day, first_day);
  EXPECT_FALSE(trend.worsening);
  days.resize(14 + 9);  // the window now holds 9 days
  EXPECT_THROW(stress_trend(days), NotEnoughData);
}

// RR series alternating around 1000 ms with successive differences of 2a:
// RMSSD = 2a exactly.
void add_beats(std::vector<TimedValue>& beats, Instant& t, minutes length, double a) {
  const Instant end = t + length;
  for (int i = 0; t < end; ++i) {
    const double rr = 1000 + (i % 2 ? -a : a);
    t += milliseconds(static_cast<long>(rr));
    beats.push_back({t, rr});
  }
}

TEST(Stress, LowRmssdReadsAsStressFromRrAlone) {
  // Baseline RMSSD 40 ms; 12:00-13:00 RMSSD 20 ms, half the baseline: 100 on the RMSSD scale.
  std::vector<TimedValue> beats;
  Instant t = to_instant(LocalTime{first_day + 9h}, "UTC");
  add_beats(beats, t, 3h, 20);
  add_beats(beats, t, 1h, 10);
  add_beats(beats, t, 3h, 20);
  beats.insert(beats.begin() + 100, {beats[99].time + 1ms, 2500});   // artefacts: out of range and a
  beats.insert(beats.begin() + 200, {beats[199].time + 1ms, 1400});  // 40 % jump; both left out
  StressInputs in;
  in.rr_intervals = beats;
  const auto hourly = hourly_stress(in, TimeZoneHistory{});
  ASSERT_EQ(hourly.size(), 7u);
  for (const auto& h : hourly) {
    // The first minute of each hour mixes both patterns, hence the 1-point tolerance.
    EXPECT_NEAR(h.stress, clock_hour(h) == 12 ? 100 : 0, 1) << clock_hour(h);
  }
}

TEST(Stress, ComponentsAverage) {
  // 15 bpm above resting (0.5 of the HR scale) and 5 SCRs a minute above the usual 2 (1.0 of
  // the EDA scale): (0.5 + 1.0) / 2 = 75; quiet minutes with 2 SCRs: HR 0.5 only -> (0.5 + 0) / 2.
  std::vector<TimedValue> hr, scr;
  const Instant start = to_instant(LocalTime{first_day + 9h}, "UTC");
  for (int m = 0; m < 120; ++m) {
    const Instant t = start + minutes(m);
    hr.push_back({t, 75});
    scr.push_back({t, m < 60 ? 7.0 : 2.0});
  }
  StressInputs in;
  in.heart_rate = hr;
  in.scr_counts = scr;
  in.resting_hr_bpm = 60;
  in.baseline_scr_per_minute = 2;
  const auto hourly = hourly_stress(in, TimeZoneHistory{});
  ASSERT_EQ(hourly.size(), 2u);
  EXPECT_NEAR(hourly[0].stress, 75, 1e-9);
  EXPECT_NEAR(hourly[1].stress, 25, 1e-9);
}

TEST(Stress, BadInputIsRejected) {
  EXPECT_THROW(hourly_stress(StressInputs{}, TimeZoneHistory{}), NotEnoughData);
  const std::vector<TimedValue> bad{{Instant{}, std::numeric_limits<double>::quiet_NaN()}};
  StressInputs in;
  in.heart_rate = bad;
  EXPECT_THROW(hourly_stress(in, TimeZoneHistory{}), Error);
  const std::vector<TimedValue> ok{{Instant{} + 1h, 70}};
  const std::vector<StepCount> backwards{{Instant{} + 2h, Instant{} + 1h, 10}};
  in.heart_rate = ok;
  in.steps = backwards;
  EXPECT_THROW(hourly_stress(in, TimeZoneHistory{}), Error);
  EXPECT_THROW(stress_profile(std::vector<HourlyStress>{}), NotEnoughData);
  EXPECT_THROW(stress_trend(std::vector<DailyStress>{}), NotEnoughData);
  const std::vector<HourlyStress> broken{{LocalTime{}, Instant{}, std::numeric_limits<double>::quiet_NaN(), 60}};
  EXPECT_THROW(stress_profile(broken), Error);
}

}  // namespace
}  // namespace medtwin::baseline

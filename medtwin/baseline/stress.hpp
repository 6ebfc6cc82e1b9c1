// Daytime stress index from intraday heart rate, with beat-to-beat RR (RMSSD)
// and electrodermal responses when present: per minute, heart rate above the
// person's resting rate while still (exercise, its recovery and sleep left
// out), lowered RMSSD and raised skin-conductance response rate, each on
// 0..1, averaged and scaled to 0..100; then per local clock hour, per day,
// the person's hour-of-day profile and a robust trend (Theil 1950 / Sen 1968
// slope with the Mann 1945 / Kendall 1975 test). A documented index, not a
// validated measure of psychological stress. Model card: docs/models/stress.md.
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <span>
#include <vector>

#include "medtwin/baseline/hrv.hpp"
#include "medtwin/core/time.hpp"

namespace medtwin::baseline {

// A stretch of time, [start, end).
struct TimeSpan {
  Instant start;
  Instant end;
};

// Steps counted over [start, end): a Fitbit minute, an Apple Health sample.
struct StepCount {
  Instant start;
  Instant end;
  double steps;
};

// All optional except that at least one of heart_rate, rr_intervals and
// scr_counts must have samples. Any order; UTC instants.
struct StressInputs {
  std::span<const TimedValue> heart_rate;         // beats/min, at any sampling rate (averaged per minute)
  std::span<const TimedValue> rr_intervals;       // ms, one per beat, stamped at the beat that ends the interval
  std::span<const TimedValue> scr_counts;         // skin-conductance responses counted in the minute starting at `time`
  std::span<const StepCount> steps;               // to leave out walking and running
  std::span<const TimeSpan> workouts;             // to leave out exercise that takes no steps (cycling, swimming, gym)
  std::span<const TimeSpan> sleep;                // asleep: not part of a daytime index
  std::optional<double> resting_hr_bpm;           // e.g. the wearable's daily resting HR; else estimated from the data
  std::optional<double> baseline_rmssd_ms;        // else the median of the still minutes' RMSSD
  std::optional<double> baseline_scr_per_minute;  // else the median of the still minutes' SCR counts
};

// Fixed parameters; the reasoning and sources are in the model card.
struct StressParameters {
  // Steps/min at or above which a minute is movement, not stillness (Tudor-Locke & Rowe 2012: 1-19 is incidental).
  double active_cadence_steps_per_min = 20;
  int recovery_minutes = 10;                 // minutes after movement or a workout also left out (HR still elevated)
  double resting_hr_quantile = 0.05;         // resting HR estimate: this quantile of still minutes' HR
  double hr_full_scale_bpm = 30;             // HR this far above resting scores 1 (design choice)
  double rmssd_full_scale_ratio = 2;         // RMSSD this many times below baseline scores 1 (design choice)
  double scr_full_scale_per_minute = 5;      // SCRs/min this far above baseline score 1 (design choice)
  int min_rr_pairs_per_minute = 20;          // successive-difference pairs needed for a minute's RMSSD
  double max_successive_rr_change = 0.2;     // |dRR| / RR above this is an artefact (the common 20 % rule)
  double min_rr_ms = 300, max_rr_ms = 2000;  // physiological RR range (200 and 30 beats/min)
  int min_minutes_per_hour = 5;              // still minutes with data needed for an hour's value
  int min_hours_per_day = 4;                 // hourly values needed for a day's value
  int min_days_per_hour = 3;                 // days needed for a clock hour's median in the profile
  double rise_mads = 1;                      // a clock hour "rises" above the overall median by > this many MADs
  double min_rise_points = 5;                // ... and by more than this many points (for MAD near 0)
  int trend_window_days = 14;                // the trend looks at this many days up to the last one
  int min_trend_days = 10;                   // days with a value needed (normal approximation of Kendall's S)
  double trend_alpha = 0.05;                 // two-sided significance level of the Mann-Kendall test
  double min_trend_change_points = 5;        // slope * (window - 1) must reach this to count as worsening
};

// Mean stress over the still minutes of one local clock hour, 0..100.
struct HourlyStress {
  LocalTime hour;     // local clock hour it covers (start)
  Instant start;      // that hour's start in UTC
  double stress = 0;  // 0..100
  int minutes = 0;    // still minutes with data behind it
};

// Per local clock hour, in time order. O(n log n) in the number of samples
// (sorting); O(n) after. Throws NotEnoughData when no heart-rate, RR or EDA
// sample is given, medtwin::Error on non-finite or impossible values.
std::vector<HourlyStress> hourly_stress(const StressInputs& inputs, const TimeZoneHistory& zones,
                                        const StressParameters& params = {});

struct DailyStress {
  std::chrono::local_days day;  // local calendar day
  double stress = 0;            // mean of its hourly values, 0..100
  int hours = 0;
};

// Days with at least min_hours_per_day hourly values, in day order.
std::vector<DailyStress> daily_stress(std::span<const HourlyStress> hours, const StressParameters& params = {});

struct StressProfile {
  std::array<std::optional<double>, 24> median_by_hour;  // median hourly stress per local clock hour
  std::array<int, 24> values_by_hour{};                  // hourly values behind each median
  double median = 0;                                     // of all hourly values
  double mad = 0;                                        // their median absolute deviation (unscaled)
  std::vector<int>
      rising_hours;  // clock hours whose median exceeds `median` by > max(rise_mads * mad, min_rise_points)
};

// Throws NotEnoughData for an empty input.
StressProfile stress_profile(std::span<const HourlyStress> hours, const StressParameters& params = {});

struct StressTrend {
  std::chrono::local_days first_day, last_day;  // the window examined
  int days = 0;                                 // days with a value in it
  double slope_per_day = 0;                     // Theil-Sen slope, points/day
  double kendall_s = 0;                         // Mann-Kendall S
  double p_value = 1;                           // two-sided, normal approximation with continuity and tie corrections
  bool worsening = false;  // slope > 0, p < alpha and slope * (window - 1) >= min_trend_change_points
};

// Over the trend_window_days ending at the last day in `days` (any order).
// Throws NotEnoughData with fewer than min_trend_days values in the window.
StressTrend stress_trend(std::span<const DailyStress> days, const StressParameters& params = {});

}  // namespace medtwin::baseline

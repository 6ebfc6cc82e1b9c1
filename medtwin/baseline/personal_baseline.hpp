// Personal baselines: where a person's value of a day stands against their own
// history. Robust (median and MAD, so a sick week or a lost tracker does not
// move the baseline much) over a long window (60 days) and a short one (7 days),
// using only days before the day judged.
#pragma once

#include <cstddef>
#include <optional>

#include "medtwin/baseline/daily_series.hpp"

namespace medtwin::baseline {

struct BaselineOptions {
  int long_window_days = 60;
  int short_window_days = 7;
  int min_long_days = 14;   // observed days the long window needs before it counts
  int min_short_days = 3;   // observed days the short window needs
  int trend_window_days = 14;
};

struct PersonalBaseline {
  double value = missing;                   // the day's own value
  std::optional<double> long_median;        // median of the long window
  std::optional<double> long_spread;        // MAD × 1.4826 (a robust SD) of the long window
  std::optional<double> short_median;       // median of the short window
  std::optional<double> z;                  // (value − long_median) / long_spread
  std::optional<double> short_vs_long;      // (short_median − long_median) / long_spread: the recent drift
  std::optional<double> trend_per_week;     // Theil–Sen slope over the trend window, in units per 7 days
  int long_days = 0, short_days = 0;        // observed days in each window
};

// The baseline of day `day` (an index into series.values) from the days before it.
PersonalBaseline personal_baseline(const DailySeries& series, std::size_t day, const BaselineOptions& options = {});

}  // namespace medtwin::baseline

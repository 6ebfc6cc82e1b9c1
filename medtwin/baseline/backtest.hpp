// Rolling-origin backtest (Tashman 2000): every day t of a series is
// forecast from days before t only, and scored against what happened, next to
// two naive forecasts — persistence ("same as the last day with data") and
// the mean of the 7 days before t. All three are scored on the same days.
#pragma once

#include <algorithm>
#include <chrono>
#include <iterator>
#include <string>
#include <vector>

#include "medtwin/baseline/forecast.hpp"

namespace medtwin::baseline {

struct BacktestOptions {
  int min_history_days = 14;  // observed days before the first scored day
};

// One day a forecaster was scored on.
struct ScoredDay {
  std::chrono::local_days day;
  double abs_error = 0, abs_error_persistence = 0, abs_error_mean7 = 0;
  bool inside80 = false, inside95 = false;
};

// The scored days of one forecaster on one series, kept unreduced so that
// results can be pooled over persons and compared on common days.
struct BacktestScores {
  std::string metric, model;
  std::vector<ScoredDay> days;

  std::size_t n() const { return days.size(); }
  double mae() const;
  double mae_persistence() const;
  double mae_mean7() const;
  double coverage80() const;
  double coverage95() const;
  void append(const BacktestScores& other) { days.insert(days.end(), other.days.begin(), other.days.end()); }
  // Only the scored days that `keep` says yes to.
  template <typename Keep>
  BacktestScores filtered(Keep&& keep) const {
    BacktestScores out{metric, model, {}};
    std::copy_if(days.begin(), days.end(), std::back_inserter(out.days), [&](const ScoredDay& d) { return keep(d.day); });
    return out;
  }
};

BacktestScores backtest(const DailySeries& series, const Forecaster& forecaster, const BacktestOptions& options = {});

// The first day index a backtest scores: the day after `min_history_days` observed days.
std::size_t first_scored_day(const DailySeries& series, int min_history_days);

// Scores one-day-ahead `forecasts` (one per day of `series`, as made by
// Forecaster::one_day_ahead) from day `first` on.
BacktestScores score_forecasts(const DailySeries& series, const std::vector<Forecast>& forecasts, std::size_t first,
                               const std::string& model);

}  // namespace medtwin::baseline

// Rolling-origin backtest (Tashman 2000): every day t of a series is
// forecast from days before t only, and scored against what happened, next to
// two naive forecasts — persistence ("same as the last day with data") and
// the mean of the 7 days before t. All three are scored on the same days.
#pragma once

#include <string>
#include <vector>

#include "medtwin/baseline/forecast.hpp"

namespace medtwin::baseline {

struct BacktestOptions {
  int min_history_days = 14;  // observed days before the first scored day
};

// Absolute errors and interval hits of one forecaster on one series, kept
// unreduced so that results can be pooled over persons.
struct BacktestScores {
  std::string metric, model;
  std::vector<std::chrono::local_days> days;  // the scored days
  std::vector<double> abs_error, abs_error_persistence, abs_error_mean7;
  std::vector<bool> inside80, inside95;

  std::size_t n() const { return abs_error.size(); }
  double mae() const;
  double mae_persistence() const;
  double mae_mean7() const;
  double coverage80() const;
  double coverage95() const;
  void append(const BacktestScores& other);
  // Only the scored days that `keep` says yes to (to compare models on the same days).
  template <typename Keep>
  BacktestScores filtered(Keep&& keep) const {
    BacktestScores out;
    out.metric = metric, out.model = model;
    for (std::size_t i = 0; i < n(); ++i)
      if (keep(days[i])) out.push(days[i], abs_error[i], abs_error_persistence[i], abs_error_mean7[i], inside80[i], inside95[i]);
    return out;
  }
  void push(std::chrono::local_days day, double error, double error_persistence, double error_mean7, bool in80,
            bool in95);
};

BacktestScores backtest(const DailySeries& series, const Forecaster& forecaster, const BacktestOptions& options = {});

// The first day index a backtest scores: the day after `min_history_days` observed days.
std::size_t first_scored_day(const DailySeries& series, int min_history_days);

// Scores one-day-ahead `forecasts` (one per day of `series`, as made by
// Forecaster::one_day_ahead) from day `first` on.
BacktestScores score_forecasts(const DailySeries& series, const std::vector<Forecast>& forecasts, std::size_t first,
                               const std::string& model);

}  // namespace medtwin::baseline

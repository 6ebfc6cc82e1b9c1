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
  std::vector<double> abs_error, abs_error_persistence, abs_error_mean7;
  std::vector<bool> inside80, inside95;

  std::size_t n() const { return abs_error.size(); }
  double mae() const;
  double mae_persistence() const;
  double mae_mean7() const;
  double coverage80() const;
  double coverage95() const;
  void append(const BacktestScores& other);
};

BacktestScores backtest(const DailySeries& series, const Forecaster& forecaster, const BacktestOptions& options = {});

}  // namespace medtwin::baseline

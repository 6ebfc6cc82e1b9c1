// The pooled gradient-boosted forecaster: one XGBoost model (Chen & Guestrin
// 2016) of one metric, trained on every person's history at once. Each row is
// a person-day, described on that person's own scale — values are centred on
// the median of their previous 28 days and divided by its robust SD — so that
// people with 3,000 and 15,000 daily steps teach the same model. Features: the
// last 7 days and the same weekday two weeks back, the 7-day mean and spread,
// the weekday, and days since the last value. The objective is absolute error
// (the forecast is a conditional median, as MAE asks). Prediction intervals
// are the quantiles of normalised errors on the 14 days before each training
// cut-off, predicted by a model that had not seen them. The cut-off is a
// local date shared by all persons: for persons in different time zones a
// row of another person's day d−1 may end a few hours after the target
// person's day d began (a small, documented look across persons, never
// across one person's own time).
#pragma once

#include <span>
#include <vector>

#include "medtwin/baseline/forecast.hpp"

namespace medtwin::baseline {

struct PooledBoostingOptions {
  int min_history_days = 14;  // observed days a person needs before a row of theirs counts
  int refit_every_days = 14;  // rolling-origin backtest: retrain this often (calendar days)
  int calibration_days = 14;  // days held out before each cut-off to measure interval widths
  int rounds = 150;           // boosting rounds
  int max_depth = 3;
  double learning_rate = 0.05;
};

class PooledBoosting {
 public:
  explicit PooledBoosting(PooledBoostingOptions options = {}) : options_(options) {}
  static std::string name() { return "pooled-gbm"; }

  // For every series (persons, same metric) and every day t from its first
  // scored day: the forecast of t from every person's days before t's date.
  std::vector<std::vector<Forecast>> one_day_ahead(std::span<const DailySeries* const> series) const;

 private:
  PooledBoostingOptions options_;
};

}  // namespace medtwin::baseline

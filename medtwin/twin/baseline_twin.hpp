// The personal baseline twin of one person: today's state of every daily
// feature against their own baseline, the forecast of the next days with
// intervals (by the model that the person's own backtest found better for
// that feature), and alerts where tomorrow looks worse than usual.
#pragma once

#include <string>
#include <vector>

#include "medtwin/baseline/alerts.hpp"
#include "medtwin/baseline/backtest.hpp"
#include "medtwin/baseline/personal_baseline.hpp"
#include "medtwin/baseline/readiness.hpp"
#include "medtwin/twin/personal_days.hpp"

namespace medtwin {

struct FeatureState {
  const baseline::DailySeries* series = nullptr;
  std::chrono::local_days day{};       // the last day with a value
  baseline::PersonalBaseline baseline;  // that day against the days before it
};

struct FeatureForecast {
  const baseline::DailySeries* series = nullptr;
  std::string model;                    // the forecaster used
  baseline::BacktestScores backtest;    // its one-day-ahead record on this person
  std::vector<baseline::Forecast> days;
};

struct BaselineTwin {
  std::chrono::local_days today{};                   // the last day of the person's data
  std::vector<FeatureState> state;
  std::vector<FeatureForecast> forecasts;
  std::vector<std::string> not_forecast;             // "not enough history for weight (needs 14 days, has 3)"
  std::vector<baseline::Alert> alerts;
  std::optional<baseline::Readiness> readiness;      // this morning's, when any part has fresh data
  std::string readiness_unavailable;                 // why not, otherwise
};

// Readiness parts are taken from data of the twin's last day or the day before
// (sleep: the night that ended on the last day; load: up to the day before;
// HRV: RMSSD, else SDNN) — older values do not count.
// Builds the twin from `days`, which must outlive it (the result points into it).
BaselineTwin build_baseline_twin(const PersonDays& days, int horizon_days = 7);

}  // namespace medtwin

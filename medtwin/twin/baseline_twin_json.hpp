// The personal baseline twin as JSON, for `medtwin forecast --json` and the
// API's /persons/{person}/twin: today's state of every daily feature against
// the person's own baseline, readiness with its contributors, the forecast
// with 80 % and 95 % intervals and its backtest, and the alerts.
#pragma once

#include <nlohmann/json.hpp>

#include "medtwin/twin/baseline_twin.hpp"

namespace medtwin {

// Numbers that are not finite become null; forecasts keep their first
// `forecast_days` days.
nlohmann::json baseline_twin_json(const BaselineTwin& twin, int forecast_days);

// Each feature's timeline, by feature name: every day's value with the
// personal baseline the day was judged against (60-day median and robust
// spread of the days before it), and its forecast (first `forecast_days`
// days), as the API's /twin/features/{feature} serves them.
nlohmann::json feature_timelines_json(const BaselineTwin& twin, int forecast_days);

}  // namespace medtwin

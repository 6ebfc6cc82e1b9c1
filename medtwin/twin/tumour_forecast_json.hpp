// A tumour plan's forecast as JSON (what `medtwin tumor simulate|compare
// --json` print and the server's tumour page draws), and the plans a
// comparison runs: the untreated virtual control first, then the candidates.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "medtwin/twin/tumour_twin.hpp"

namespace medtwin {

// With `series`, the daily radii with their 10–90 % bands.
nlohmann::json plan_forecast_json(const PlanForecast& forecast, bool series);

// The untreated virtual control, then `plans`: Days Gained and the responses
// are read against the control.
std::vector<TumourPlan> plans_with_control(std::vector<TumourPlan> plans);

}  // namespace medtwin

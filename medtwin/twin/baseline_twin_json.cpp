#include "medtwin/twin/baseline_twin_json.hpp"

#include <algorithm>
#include <cmath>

#include "medtwin/core/time.hpp"
#include "medtwin/core/units.hpp"
#include "medtwin/twin/daily_features.hpp"
#include "medtwin/twin/json_number.hpp"

namespace medtwin {
namespace {

using nlohmann::json;

// What names a feature and says how to show its values.
json feature_json(const baseline::DailySeries& series) {
  return {{"metric", series.name},
          {"unit", series.unit},
          {"display_unit", display_unit(series.unit)},
          {"clock_time", is_clock_time(series.name)}};
}

json state_json(const FeatureState& f) {
  const auto& b = f.baseline;
  json out = feature_json(*f.series);
  out.update({{"day", format_local_day(f.day)},
              {"value", json_number(b.value)},
              {"median60", json_number(b.long_median)},
              {"spread60", json_number(b.long_spread)},
              {"z", json_number(b.z)},
              {"median7", json_number(b.short_median)},
              {"trend_per_week", json_number(b.trend_per_week)}});
  return out;
}

json readiness_json(const BaselineTwin& twin) {
  if (!twin.readiness) return {{"available", false}, {"why_not", twin.readiness_unavailable}};
  const auto& r = *twin.readiness;
  json parts = json::array(), missing = json::array();
  for (const auto& c : r.contributions)
    parts.push_back({{"part", std::string(baseline::to_string(c.part))}, {"points", json_number(c.points)}, {"sentence", c.sentence}});
  for (auto part : r.missing) missing.push_back(std::string(baseline::to_string(part)));
  return {{"available", true}, {"score", json_number(r.score)}, {"confidence", json_number(r.confidence)},
          {"contributions", parts}, {"missing", missing}};
}

json forecast_json(const FeatureForecast& f, int days) {
  json out = json::array();
  for (int h = 0; h < days && h < static_cast<int>(f.days.size()); ++h) {
    const auto& d = f.days[static_cast<std::size_t>(h)];
    out.push_back({{"date", format_local_day(d.day)}, {"point", json_number(d.point)}, {"lo80", json_number(d.lo80)},
                   {"hi80", json_number(d.hi80)}, {"lo95", json_number(d.lo95)}, {"hi95", json_number(d.hi95)}});
  }
  return {{"metric", f.series->name},
          {"unit", f.series->unit},
          {"model", f.model},
          {"backtest",
           {{"n", f.backtest.n()},
            {"mae", json_number(f.backtest.mae())},
            {"mae_persistence", json_number(f.backtest.mae_persistence())},
            {"mae_mean7", json_number(f.backtest.mae_mean7())}}},
          {"days", out}};
}

}  // namespace

json baseline_twin_json(const BaselineTwin& twin, int forecast_days) {
  json state = json::array(), forecasts = json::array(), alerts = json::array();
  for (const auto& f : twin.state) state.push_back(state_json(f));
  for (const auto& f : twin.forecasts) forecasts.push_back(forecast_json(f, forecast_days));
  for (const auto& a : twin.alerts) alerts.push_back({{"metric", a.feature}, {"z", json_number(a.forecast_z)}, {"reason", a.reason}});
  return {{"today", format_local_day(twin.today)}, {"state", state},          {"readiness", readiness_json(twin)},
          {"forecasts", forecasts},                  {"not_forecast", twin.not_forecast}, {"alerts", alerts}};
}

json feature_timelines_json(const BaselineTwin& twin, int forecast_days) {
  json out = json::object();
  for (const auto& state : twin.state) {
    const auto& series = *state.series;
    json days = json::array(), values = json::array(), medians = json::array(), spreads = json::array();
    for (std::size_t i = 0; i < series.values.size(); ++i) {
      const auto b = baseline::personal_baseline(series, i);
      days.push_back(format_local_day(series.day(i)));
      values.push_back(json_number(series.values[i]));
      medians.push_back(json_number(b.long_median));
      spreads.push_back(json_number(b.long_spread));
    }
    const auto forecast =
        std::find_if(twin.forecasts.begin(), twin.forecasts.end(), [&](const auto& f) { return f.series == &series; });
    json timeline = feature_json(series);
    timeline.update({{"days", std::move(days)},
                     {"value", std::move(values)},
                     {"median60", std::move(medians)},
                     {"spread60", std::move(spreads)},
                     {"forecast", forecast == twin.forecasts.end() ? json(nullptr) : forecast_json(*forecast, forecast_days)}});
    out[series.name] = std::move(timeline);
  }
  return out;
}

}  // namespace medtwin

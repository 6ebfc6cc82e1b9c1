#include "medtwin/twin/baseline_twin.hpp"

#include <cmath>

#include "medtwin/baseline/structural_model.hpp"
#include "medtwin/core/error.hpp"

namespace medtwin {
namespace {

using baseline::DailySeries;

std::optional<std::size_t> last_observed(const DailySeries& s) {
  for (std::size_t i = s.values.size(); i-- > 0;)
    if (std::isfinite(s.values[i])) return i;
  return std::nullopt;
}

// Scored days a model needs in the person's backtest before it may replace
// the default (level-only) forecaster.
constexpr std::size_t min_scored_days_to_switch = 28;

// Forecasts with whichever structural model has the lower backtest MAE on
// this person (the weekly pattern only when it has earned its place).
FeatureForecast forecast_feature(const DailySeries& s, int horizon) {
  const baseline::StructuralModel level({.weekly = false}), weekly;
  FeatureForecast out{&s, level.name(), baseline::backtest(s, level), {}};
  const auto with_week = baseline::backtest(s, weekly);
  const baseline::Forecaster* chosen = &level;
  if (with_week.n() >= min_scored_days_to_switch && with_week.mae() < out.backtest.mae()) {
    chosen = &weekly;
    out.model = weekly.name();
    out.backtest = with_week;
  }
  out.days = chosen->forecast(s, horizon);
  return out;
}

}  // namespace

BaselineTwin build_baseline_twin(const PersonDays& days, int horizon_days) {
  BaselineTwin twin;
  for (const auto& s : days.features) twin.today = std::max(twin.today, s.day(s.values.size() - 1));
  for (const auto& s : days.features) {
    if (const auto last = last_observed(s)) twin.state.push_back({&s, s.day(*last), baseline::personal_baseline(s, *last)});
    if (!is_forecast_feature(s)) continue;
    try {
      twin.forecasts.push_back(forecast_feature(s, horizon_days));
    } catch (const NotEnoughData& e) {
      twin.not_forecast.push_back(e.what());
      continue;
    }
    const auto tomorrow_baseline = baseline::personal_baseline(s, s.values.size());
    if (auto alert = baseline::forecast_alert(s, twin.forecasts.back().days.front(), tomorrow_baseline))
      twin.alerts.push_back(*alert);
  }
  return twin;
}

}  // namespace medtwin

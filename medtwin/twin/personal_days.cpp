#include "medtwin/twin/personal_days.hpp"

#include "medtwin/twin/daily_features.hpp"

namespace medtwin {

PersonDays load_person_days(Store& store, const std::string& person) {
  PersonDays out{person, store.time_zones(person), {}};
  const auto observations = store.observations(ObservationQuery{person, std::nullopt, {}});
  out.features = daily_features(observations, out.zones);
  return out;
}

bool is_forecast_feature(const baseline::DailySeries& feature) {
  return feature.name != feature::sleep_onset && feature.name != feature::sleep_offset;
}

std::vector<baseline::BacktestScores> backtest_person(const PersonDays& days,
                                                      const std::vector<const baseline::Forecaster*>& forecasters,
                                                      const baseline::BacktestOptions& options) {
  std::vector<baseline::BacktestScores> out;
  for (const auto& feature : days.features) {
    if (!is_forecast_feature(feature) || feature.observed_days() <= static_cast<std::size_t>(options.min_history_days))
      continue;
    for (const auto* f : forecasters) out.push_back(baseline::backtest(feature, *f, options));
  }
  return out;
}

}  // namespace medtwin

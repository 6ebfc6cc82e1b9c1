#include "medtwin/twin/personal_days.hpp"

#include <algorithm>
#include <cmath>

#include "medtwin/twin/daily_features.hpp"

namespace medtwin {

namespace {

// values[t − 1] at t: what was known the morning of day t.
std::vector<double> lagged(const std::vector<double>& values) {
  std::vector<double> out(values.size(), baseline::missing);
  std::copy(values.begin(), values.end() - (values.empty() ? 0 : 1), out.begin() + (values.empty() ? 0 : 1));
  return out;
}

// Hours slept short of 8 h over the 7 nights up to each day (nights without
// data left out, scaled to 7); NaN with fewer than 4 nights.
std::vector<double> sleep_debt(const std::vector<double>& sleep_hours) {
  std::vector<double> out(sleep_hours.size(), baseline::missing);
  for (std::size_t t = 0; t < sleep_hours.size(); ++t) {
    double debt = 0;
    int nights = 0;
    for (std::size_t i = t >= 6 ? t - 6 : 0; i <= t; ++i)
      if (std::isfinite(sleep_hours[i])) debt += std::max(0.0, 8 - sleep_hours[i]), ++nights;
    if (nights >= 4) out[t] = debt * 7 / nights;
  }
  return out;
}

// The covariates the issue names: yesterday's training load and the sleep
// debt up to yesterday, for every other feature.
void attach_covariates(std::vector<baseline::DailySeries>& features) {
  const auto* load = find_feature(features, feature::training_load);
  const auto* sleep = find_feature(features, feature::sleep_hours);
  std::vector<baseline::Regressor> available;
  if (load) available.push_back({"training_load_yesterday", lagged(load->values)});
  if (sleep) available.push_back({"sleep_debt_yesterday", lagged(sleep_debt(sleep->values))});
  for (auto& f : features)
    for (const auto& r : available)
      if (r.name.rfind(f.name, 0) != 0 && !(f.name == feature::sleep_hours && r.name == "sleep_debt_yesterday"))
        f.regressors.push_back(r);
}

}  // namespace

PersonDays load_person_days(Store& store, const std::string& person) {
  PersonDays out{person, store.time_zones(person), {}};
  const auto observations = store.observations(ObservationQuery{person, std::nullopt, {}});
  out.features = daily_features(observations, out.zones);
  attach_covariates(out.features);
  return out;
}

bool is_forecast_feature(const baseline::DailySeries& feature) {
  return feature.name != feature::sleep_onset && feature.name != feature::sleep_offset &&
         feature.name != feature::training_load;
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

std::vector<PersonScores> backtest_pooled(const std::vector<PersonDays>& persons,
                                          const baseline::BacktestOptions& options) {
  std::vector<std::string> metrics;
  for (const auto& p : persons)
    for (const auto& f : p.features)
      if (is_forecast_feature(f) && std::find(metrics.begin(), metrics.end(), f.name) == metrics.end())
        metrics.push_back(f.name);
  const baseline::PooledBoosting pooled({.min_history_days = options.min_history_days});
  std::vector<PersonScores> out;
  for (const auto& metric : metrics) {
    std::vector<const baseline::DailySeries*> series;
    std::vector<const std::string*> owners;
    for (const auto& p : persons)
      for (const auto& f : p.features)
        if (f.name == metric) series.push_back(&f), owners.push_back(&p.person);
    const auto forecasts = pooled.one_day_ahead(series);
    for (std::size_t k = 0; k < series.size(); ++k) {
      const std::size_t first = baseline::first_scored_day(*series[k], options.min_history_days);
      out.push_back({*owners[k], baseline::score_forecasts(*series[k], forecasts[k], first, pooled.name())});
    }
  }
  return out;
}

}  // namespace medtwin

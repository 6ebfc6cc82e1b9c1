#include "medtwin/twin/personal_days.hpp"

#include <algorithm>

#include "medtwin/baseline/sleep_debt.hpp"
#include "medtwin/twin/daily_features.hpp"

namespace medtwin {

namespace {

// values[t − 1] at t, for t = 0 … n: what is known the morning of each day,
// tomorrow included.
std::vector<double> lagged(const std::vector<double>& values) {
  std::vector<double> out{baseline::missing};
  out.insert(out.end(), values.begin(), values.end());
  return out;
}

// Each day's 7-night sleep debt against the person's need of that day.
std::vector<double> sleep_debt(const baseline::DailySeries& sleep) {
  std::vector<double> out(sleep.values.size(), baseline::missing);
  for (std::size_t t = 0; t < out.size(); ++t)
    out[t] = baseline::sleep_debt_hours(sleep, t, baseline::sleep_need_hours(sleep, t)).value_or(baseline::missing);
  return out;
}

// The covariates the issue names, yesterday's training load and the sleep
// debt up to last night, for every feature they are not computed from.
void attach_covariates(std::vector<baseline::DailySeries>& features) {
  std::vector<baseline::Regressor> available;
  if (const auto* load = find_feature(features, feature::training_load))
    available.push_back({"training_load_yesterday", load->name, lagged(load->values)});
  if (const auto* sleep = find_feature(features, feature::sleep_hours))
    available.push_back({"sleep_debt_yesterday", sleep->name, lagged(sleep_debt(*sleep))});
  for (auto& f : features)
    for (const auto& r : available)
      if (f.name != r.derived_from) f.regressors.push_back(r);
}

}  // namespace

PersonDays load_person_days(Store& store, const std::string& person) {
  PersonDays out{person, store.time_zones(person), {}};
  const auto observations = store.observations(ObservationQuery{person, std::nullopt, {}});
  out.features = daily_features(observations, out.zones);
  attach_covariates(out.features);
  return out;
}

std::vector<baseline::StructuralModel> structural_variants() {
  return {baseline::StructuralModel({.weekly = false}), baseline::StructuralModel({.weekly = true}),
          baseline::StructuralModel({.weekly = false, .covariates = true})};
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

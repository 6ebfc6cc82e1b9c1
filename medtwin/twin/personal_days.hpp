// A person's daily features as the baseline twin sees them, loaded from the
// store, and the rolling-origin backtest of every feature that can be forecast.
#pragma once

#include <string>
#include <vector>

#include "medtwin/baseline/backtest.hpp"
#include "medtwin/baseline/daily_series.hpp"
#include "medtwin/baseline/pooled_boosting.hpp"
#include "medtwin/baseline/structural_model.hpp"
#include "medtwin/core/time.hpp"
#include "medtwin/store/store.hpp"

namespace medtwin {

struct PersonDays {
  std::string person;
  TimeZoneHistory zones;
  std::vector<baseline::DailySeries> features;
};

PersonDays load_person_days(Store& store, const std::string& person);

// Whether a feature is forecast (clock times of sleep are shown, not forecast:
// the midpoint stands for them; training load is active minutes reweighted).
bool is_forecast_feature(const baseline::DailySeries& feature);

// The per-person forecaster's variants, the plain local level first (the
// default), then level + weekly pattern and level + covariates.
std::vector<baseline::StructuralModel> structural_variants();

// Backtest of each forecast feature of the person that has enough history, by
// every forecaster given.
std::vector<baseline::BacktestScores> backtest_person(const PersonDays& days,
                                                      const std::vector<const baseline::Forecaster*>& forecasters,
                                                      const baseline::BacktestOptions& options = {});

// Backtest of the pooled gradient-boosted forecaster: for each forecast
// feature, one model over every person given; scores per person, in the order
// of `persons`, metrics in order of first appearance.
struct PersonScores {
  std::string person;
  baseline::BacktestScores scores;
};
std::vector<PersonScores> backtest_pooled(const std::vector<PersonDays>& persons,
                                          const baseline::BacktestOptions& options = {});

}  // namespace medtwin

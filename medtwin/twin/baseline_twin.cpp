#include "medtwin/twin/baseline_twin.hpp"

#include <algorithm>
#include <cmath>

#include "medtwin/baseline/structural_model.hpp"
#include "medtwin/baseline/training_load.hpp"
#include "medtwin/twin/daily_features.hpp"
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

// Forecasts with the structural variant that has the lowest backtest MAE on
// this person: the weekly pattern or the covariates only once they have
// earned their place over the plain local level.
FeatureForecast forecast_feature(const DailySeries& s, int horizon) {
  const baseline::StructuralModel level({.weekly = false}), weekly,
      covariates({.weekly = false, .covariates = true});
  const baseline::Forecaster* chosen = &level;
  FeatureForecast out{&s, level.name(), baseline::backtest(s, level), {}};
  for (const baseline::StructuralModel* challenger : {&weekly, &covariates}) {
    if (challenger == &covariates && s.regressors.empty()) continue;
    auto scores = baseline::backtest(s, *challenger);
    if (scores.n() >= min_scored_days_to_switch && scores.mae() < out.backtest.mae()) {
      chosen = challenger;
      out.model = challenger->name();
      out.backtest = std::move(scores);
    }
  }
  out.days = chosen->forecast(s, horizon);
  return out;
}

// The feature's value on `day`, if any.
std::optional<double> value_on(const DailySeries* s, std::chrono::local_days day) {
  if (!s || day < s->first_day) return std::nullopt;
  const auto i = static_cast<std::size_t>((day - s->first_day).count());
  if (i >= s->values.size() || !std::isfinite(s->values[i])) return std::nullopt;
  return s->values[i];
}

// The day of the feature's fresh value: `day`, else the day before (night-time
// measurements such as wrist temperature may be booked on the evening).
std::optional<std::chrono::local_days> fresh_day(const DailySeries* s, std::chrono::local_days day) {
  for (auto d : {day, day - std::chrono::days(1)})
    if (value_on(s, d)) return d;
  return std::nullopt;
}

// The robust z of the feature's fresh value against the 60 days before it.
std::optional<double> fresh_z(const DailySeries* s, std::chrono::local_days day) {
  const auto d = fresh_day(s, day);
  if (!d) return std::nullopt;
  return baseline::personal_baseline(*s, static_cast<std::size_t>((*d - s->first_day).count())).z;
}

// Sleep need: the person's own 60-day median sleep, kept inside the 7–9 h the
// NSF recommends for adults (Hirshkowitz et al. 2015); 8 h without history.
double sleep_need(const DailySeries* sleep, std::chrono::local_days day) {
  if (!sleep || day < sleep->first_day) return 8;
  const auto b = baseline::personal_baseline(*sleep, static_cast<std::size_t>((day - sleep->first_day).count()));
  return b.long_median ? std::clamp(*b.long_median, 7.0, 9.0) : 8.0;
}

// Hours slept short of the need over the 7 nights ending on `day`; needs 4 of them.
std::optional<double> sleep_debt(const DailySeries* sleep, std::chrono::local_days day, double need) {
  double debt = 0;
  int nights = 0;
  for (int i = 0; i < 7; ++i)
    if (const auto h = value_on(sleep, day - std::chrono::days(i))) debt += std::max(0.0, need - *h), ++nights;
  if (nights < 4) return std::nullopt;
  return debt * 7 / nights;
}

std::optional<double> acute_chronic_ratio(const DailySeries* load, std::chrono::local_days day) {
  if (!load || day <= load->first_day) return std::nullopt;
  const auto states = baseline::training_load(load->values);
  const auto yesterday = static_cast<std::size_t>((day - load->first_day).count() - 1);
  if (yesterday >= states.size() || !states[yesterday]) return std::nullopt;
  return states[yesterday]->acwr;
}

std::optional<double> temperature_deviation(const DailySeries* temp, std::chrono::local_days day) {
  const auto d = fresh_day(temp, day);
  if (!d) return std::nullopt;
  const auto b = baseline::personal_baseline(*temp, static_cast<std::size_t>((*d - temp->first_day).count()));
  return b.long_median ? std::optional(b.value - *b.long_median) : std::nullopt;
}

baseline::ReadinessInputs readiness_inputs(const PersonDays& days, std::chrono::local_days today) {
  auto f = [&](std::string_view name) { return find_feature(days.features, name); };
  baseline::ReadinessInputs in;
  in.hrv_z = fresh_z(f(feature::hrv_rmssd), today);
  if (!in.hrv_z) in.hrv_z = fresh_z(f(feature::hrv_sdnn), today);  // Apple Watch reports SDNN only
  in.resting_hr_z = fresh_z(f(feature::resting_hr), today);
  in.sleep_hours = value_on(f(feature::sleep_hours), today);
  in.sleep_need_hours = sleep_need(f(feature::sleep_hours), today);
  in.sleep_debt_hours = sleep_debt(f(feature::sleep_hours), today, in.sleep_need_hours);
  in.acute_chronic_ratio = acute_chronic_ratio(f(feature::training_load), today);
  in.temperature_deviation_c = temperature_deviation(f(feature::wrist_temperature), today);
  return in;
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
  try {
    twin.readiness = baseline::readiness(readiness_inputs(days, twin.today));
  } catch (const NotEnoughData& e) {
    twin.readiness_unavailable = e.what();
  }
  return twin;
}

}  // namespace medtwin

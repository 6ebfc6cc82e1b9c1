#include "medtwin/twin/baseline_twin.hpp"

#include <algorithm>
#include <cmath>

#include "medtwin/baseline/sleep_debt.hpp"
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
  const auto variants = structural_variants();
  const baseline::Forecaster* chosen = &variants.front();
  FeatureForecast out{&s, chosen->name(), baseline::backtest(s, *chosen), {}};
  for (auto challenger = variants.begin() + 1; challenger != variants.end(); ++challenger) {
    if (challenger->uses_covariates() && s.regressors.empty()) continue;
    auto scores = baseline::backtest(s, *challenger);
    if (scores.n() >= min_scored_days_to_switch && scores.mae() < out.backtest.mae()) {
      chosen = &*challenger;
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

// The robust z of the feature's fresh value against the 60 days before it,
// within ±10 (readiness saturates at 2; a near-constant history makes z huge).
std::optional<double> fresh_z(const DailySeries* s, std::chrono::local_days day) {
  const auto d = fresh_day(s, day);
  if (!d) return std::nullopt;
  const auto z = baseline::personal_baseline(*s, static_cast<std::size_t>((*d - s->first_day).count())).z;
  return z ? std::optional(std::clamp(*z, -10.0, 10.0)) : std::nullopt;
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
  if (!b.long_median) return std::nullopt;
  const double deviation = b.value - *b.long_median;
  return std::abs(deviation) <= 5 ? std::optional(deviation) : std::nullopt;  // beyond: a sensor artefact
}

baseline::ReadinessInputs readiness_inputs(const PersonDays& days, std::chrono::local_days today) {
  auto f = [&](std::string_view name) { return find_feature(days.features, name); };
  baseline::ReadinessInputs in;
  in.hrv_z = fresh_z(f(feature::hrv_rmssd), today);
  if (!in.hrv_z) in.hrv_z = fresh_z(f(feature::hrv_sdnn), today);  // Apple Watch reports SDNN only
  in.resting_hr_z = fresh_z(f(feature::resting_hr), today);
  if (const auto* sleep = f(feature::sleep_hours); sleep && today >= sleep->first_day) {
    const auto day = static_cast<std::size_t>((today - sleep->first_day).count());
    in.sleep_hours = value_on(sleep, today);
    in.sleep_need_hours = baseline::sleep_need_hours(*sleep, day);
    in.sleep_debt_hours = baseline::sleep_debt_hours(*sleep, day, in.sleep_need_hours);
  }
  in.acute_chronic_ratio = acute_chronic_ratio(f(feature::training_load), today);
  in.temperature_deviation_c = temperature_deviation(f(feature::wrist_temperature), today);
  return in;
}

}  // namespace

BaselineTwin build_baseline_twin(const PersonDays& days, int horizon_days) {
  if (horizon_days < 1) throw Error("the forecast horizon must be at least 1 day");
  BaselineTwin twin;
  for (const auto& s : days.features)
    if (!s.values.empty()) twin.today = std::max(twin.today, s.day(s.values.size() - 1));
  for (const auto& s : days.features) {
    if (const auto last = last_observed(s)) twin.state.push_back({&s, s.day(*last), baseline::personal_baseline(s, *last)});
    if (!is_forecast_feature(s)) continue;
    try {
      twin.forecasts.push_back(forecast_feature(s, horizon_days));
    } catch (const Error& e) {
      twin.not_forecast.push_back(e.what());
      continue;
    }
    const auto tomorrow_baseline = baseline::personal_baseline(s, s.values.size());
    if (auto alert = baseline::forecast_alert(s, twin.forecasts.back().days.front(), tomorrow_baseline))
      twin.alerts.push_back(*alert);
  }
  try {
    twin.readiness = baseline::readiness(readiness_inputs(days, twin.today));
  } catch (const Error& e) {
    twin.readiness_unavailable = e.what();
  }
  return twin;
}

}  // namespace medtwin

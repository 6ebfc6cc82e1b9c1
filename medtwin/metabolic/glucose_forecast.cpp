#include "medtwin/metabolic/glucose_forecast.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "medtwin/core/error.hpp"
#include "medtwin/core/stats.hpp"

namespace medtwin::metabolic {
namespace {

constexpr double kMinutesPerDay = 1440;
constexpr int kMinFitSamples = 50;
constexpr double kHighMgDl = 180, kLowMgDl = 70;  // consensus range (Battelino et al. 2019)
// Time constants (min) of the gamma(2) absorption kernels the regression mixes:
// fast sugars to slow mixed meals (Hovorka 2004's tmax,G is 40 min).
constexpr double kAbsorptionMinutes[] = {20, 45, 90};
constexpr double kCarbScale = 100;        // features in 100 g units
constexpr double kMealMemoryMinutes = 8 * 60;  // older meals have been absorbed
constexpr double kExertionWindowMinutes = 30;
constexpr int kFeatures = 12;
// Plausible inputs: outside them a value is a unit or data error, not physiology.
constexpr double kMinGlucose = 1, kMaxGlucose = 1000;       // mg/dL
constexpr double kMaxMealCarbs = 2000;                      // g
constexpr double kMinHeartRate = 20, kMaxHeartRate = 300;  // /min

// Share of a gamma(2, tau) absorption delivered by `s` minutes after eating.
double absorbed_share(double s, double tau) {
  if (s <= 0) return 0;
  double x = s / tau;
  return 1 - (1 + x) * std::exp(-x);
}

// Glucose at `minute` read off the line through the readings around it (only
// readings up to `last` are used); nullopt outside them or across a gap.
std::optional<double> glucose_at(std::span<const GlucoseReading> cgm, std::size_t last, double minute) {
  auto end = cgm.begin() + std::ptrdiff_t(last) + 1;
  auto after = std::lower_bound(cgm.begin(), end, minute, [](const GlucoseReading& r, double m) { return r.minute < m; });
  if (after == end || after == cgm.begin()) {
    if (after != end && after->minute == minute) return after->mg_dl;
    return std::nullopt;
  }
  auto before = after - 1;
  if (after->minute - before->minute > 30) return std::nullopt;
  double w = (minute - before->minute) / (after->minute - before->minute);
  return before->mg_dl + w * (after->mg_dl - before->mg_dl);
}

// Index of the last reading at or before `minute`, or nullopt.
std::optional<std::size_t> last_reading(std::span<const GlucoseReading> cgm, double minute) {
  auto it = std::upper_bound(cgm.begin(), cgm.end(), minute, [](double m, const GlucoseReading& r) { return m < r.minute; });
  if (it == cgm.begin()) return std::nullopt;
  return std::size_t(it - cgm.begin() - 1);
}

double mean_heart_rate(std::span<const HeartRateSample> hr, double from, double to, double fallback) {
  auto it = std::lower_bound(hr.begin(), hr.end(), from, [](const HeartRateSample& s, double m) { return s.minute < m; });
  double sum = 0;
  int n = 0;
  for (; it != hr.end() && it->minute <= to; ++it, ++n) sum += it->bpm;
  return n ? sum / n : fallback;
}

// The regressors at origin reading `i` (the trend, level, meals, exertion and
// time of day), from data up to that reading only.
std::optional<Eigen::VectorXd> features_at(const GlucoseForecaster& model, const GlucoseHistory& h, std::size_t i) {
  const double t = h.cgm[i].minute, g = h.cgm[i].mg_dl, horizon = model.settings.horizon_minutes;
  auto g5 = glucose_at(h.cgm, i, t - 5), g15 = glucose_at(h.cgm, i, t - 15), g30 = glucose_at(h.cgm, i, t - 30),
       g60 = glucose_at(h.cgm, i, t - 60);
  if (!g5 || !g15 || !g30 || !g60) return std::nullopt;
  Eigen::VectorXd x(kFeatures);
  x[0] = g - *g15;
  x[1] = *g15 - *g30;
  x[2] = *g30 - *g60;
  x[3] = g - model.usual_glucose;
  for (int k = 0; k < 3; ++k) x[4 + k] = 0;
  x[7] = 0;  // carbohydrate absorbed over the last hour
  auto meal = std::lower_bound(h.meals.begin(), h.meals.end(), t - kMealMemoryMinutes,
                               [](const MealIntake& m, double minute) { return m.minute < minute; });
  for (; meal != h.meals.end() && meal->minute <= t; ++meal) {
    double s = t - meal->minute, carbs = meal->carbs_g / kCarbScale;
    for (int k = 0; k < 3; ++k) {
      double tau = kAbsorptionMinutes[k];
      x[4 + k] += carbs * (absorbed_share(s + horizon, tau) - absorbed_share(s, tau));
    }
    x[7] += carbs * (absorbed_share(s, 45) - absorbed_share(s - 60, 45));
  }
  double hr = mean_heart_rate(h.heart_rate, t - kExertionWindowMinutes, t, model.usual_heart_rate);
  x[8] = std::max(0.0, hr - model.usual_heart_rate);
  double day_angle = 2 * std::numbers::pi * std::fmod(t + h.utc_offset_minutes, kMinutesPerDay) / kMinutesPerDay;
  x[9] = std::sin(day_angle);
  x[10] = std::cos(day_angle);
  x[11] = g - *g5;  // the latest trend, for sensors that read every few minutes
  return x;
}

// The reading `horizon` after reading `i`, within the tolerance.
std::optional<double> target_of(const GlucoseHistory& h, std::size_t i, const ForecastSettings& s) {
  double want = h.cgm[i].minute + s.horizon_minutes;
  auto it = std::lower_bound(h.cgm.begin() + std::ptrdiff_t(i), h.cgm.end(), want - s.target_tolerance_minutes,
                             [](const GlucoseReading& r, double m) { return r.minute < m; });
  if (it == h.cgm.end() || it->minute > want + s.target_tolerance_minutes) return std::nullopt;
  return it->mg_dl;
}

void check_settings(const ForecastSettings& s) {
  require_positive(s.horizon_minutes, "the forecast horizon");
  require_positive(s.max_reading_age_minutes, "the largest reading age");
  require_positive(s.ridge, "the ridge penalty");
  if (!(s.target_tolerance_minutes >= 0 && s.target_tolerance_minutes < s.horizon_minutes))
    throw Error("the target tolerance must be at least 0 and below the horizon");
  if (!(s.interval_level > 0 && s.interval_level < 1)) throw Error("the interval level must lie between 0 and 1");
}

void set_usual_levels(GlucoseForecaster& model, const GlucoseHistory& h, double until) {
  std::vector<double> glucose, hr;
  for (const auto& r : h.cgm)
    if (r.minute < until) glucose.push_back(r.mg_dl);
  for (const auto& s : h.heart_rate)
    if (s.minute < until) hr.push_back(s.bpm);
  model.usual_glucose = median(glucose).value_or(0);
  model.usual_heart_rate = median(hr).value_or(0);
}

// Ridge regression on standardised features with an unpenalised intercept.
void solve_ridge(GlucoseForecaster& model, const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  model.feature_mean = x.colwise().mean().transpose();
  Eigen::MatrixXd centred = x.rowwise() - model.feature_mean.transpose();
  model.feature_scale = (centred.array().square().colwise().sum() / double(x.rows())).sqrt().transpose();
  for (auto& s : model.feature_scale) s = s > 1e-12 ? s : 1;
  Eigen::MatrixXd z = centred.array().rowwise() / model.feature_scale.transpose().array();
  Eigen::MatrixXd gram = z.transpose() * z;
  gram.diagonal().array() += model.settings.ridge;
  model.intercept = y.mean();
  model.weights = gram.ldlt().solve(z.transpose() * (y.array() - model.intercept).matrix());
}

double predict_change(const GlucoseForecaster& model, const Eigen::VectorXd& x) {
  Eigen::VectorXd z = (x - model.feature_mean).array() / model.feature_scale.array();
  return model.intercept + model.weights.dot(z);
}

}  // namespace

void validate_glucose_history(const GlucoseHistory& h) {
  auto sorted = [](const auto& list) {
    return std::is_sorted(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.minute < b.minute; });
  };
  if (!sorted(h.cgm) || !sorted(h.meals) || !sorted(h.heart_rate))
    throw Error("glucose history: readings, meals and heart rate must each be sorted by time");
  auto check = [](const auto& list, const char* what, auto value, double low, double high) {
    for (std::size_t i = 0; i < list.size(); ++i)
      if (!std::isfinite(list[i].minute) || !(value(list[i]) >= low && value(list[i]) <= high))
        throw Error(fmt::format("glucose history: {} {} is not a finite time with a value in {}–{}", what, i, low, high));
  };
  check(h.cgm, "CGM reading", [](const GlucoseReading& r) { return r.mg_dl; }, kMinGlucose, kMaxGlucose);
  check(h.meals, "meal", [](const MealIntake& m) { return m.carbs_g; }, 0, kMaxMealCarbs);
  check(h.heart_rate, "heart-rate sample", [](const HeartRateSample& s) { return s.bpm; }, kMinHeartRate,
        kMaxHeartRate);
  if (!std::isfinite(h.utc_offset_minutes)) throw Error("glucose history: the UTC offset is not finite");
}

GlucoseForecaster fit_glucose_forecaster(const GlucoseHistory& history, double fit_until_minute,
                                         const ForecastSettings& settings) {
  validate_glucose_history(history);
  check_settings(settings);
  GlucoseForecaster model;
  model.settings = settings;
  set_usual_levels(model, history, fit_until_minute);
  std::vector<Eigen::VectorXd> rows;
  std::vector<double> changes;
  for (std::size_t i = 0; i < history.cgm.size(); ++i) {
    if (history.cgm[i].minute + settings.horizon_minutes + settings.target_tolerance_minutes >= fit_until_minute) break;
    auto target = target_of(history, i, settings);
    auto x = target ? features_at(model, history, i) : std::nullopt;
    if (!x) continue;
    rows.push_back(*x);
    changes.push_back(*target - history.cgm[i].mg_dl);
  }
  if (rows.size() < std::size_t(kMinFitSamples))
    throw Error(fmt::format("glucose forecast: {} usable readings before the fit's end, at least {} needed", rows.size(),
                            kMinFitSamples));
  Eigen::MatrixXd x(rows.size(), kFeatures);
  for (std::size_t r = 0; r < rows.size(); ++r) x.row(Eigen::Index(r)) = rows[r].transpose();
  Eigen::VectorXd y = Eigen::Map<Eigen::VectorXd>(changes.data(), Eigen::Index(changes.size()));
  solve_ridge(model, x, y);
  std::vector<double> residuals(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) residuals[r] = changes[r] - predict_change(model, rows[r]);
  if (!model.weights.allFinite() || !std::all_of(residuals.begin(), residuals.end(), [](double e) { return std::isfinite(e); }))
    throw Error("glucose forecast: the fit did not give finite weights");
  double tail = (1 - settings.interval_level) / 2;
  model.residual_low = *quantile(residuals, tail);
  model.residual_high = *quantile(residuals, 1 - tail);
  model.samples = int(rows.size());
  return model;
}

std::optional<GlucoseForecast> forecast_glucose(const GlucoseForecaster& model, const GlucoseHistory& history,
                                                double at_minute) {
  auto i = last_reading(history.cgm, at_minute);
  if (!i || at_minute - history.cgm[*i].minute > model.settings.max_reading_age_minutes) return std::nullopt;
  auto x = features_at(model, history, *i);
  if (!x) return std::nullopt;
  GlucoseForecast f;
  f.origin_minute = history.cgm[*i].minute;
  f.origin_mg_dl = history.cgm[*i].mg_dl;
  f.target_minute = f.origin_minute + model.settings.horizon_minutes;
  double change = predict_change(model, *x);
  f.mg_dl = history.cgm[*i].mg_dl + change;
  f.low = f.mg_dl + model.residual_low;
  f.high = f.mg_dl + model.residual_high;
  return f;
}

namespace {

// Scores alerts "the forecast crosses `threshold` while the reading has not":
// against crossings of the readings in [from, to).
GlucoseAlertScore score_alerts(const GlucoseHistory& h, const ForecastBacktest& b, double threshold, bool upward,
                               const ForecastSettings& s, double from, double to) {
  auto beyond = [&](double v) { return upward ? v > threshold : v < threshold; };
  const double horizon = s.horizon_minutes;
  GlucoseAlertScore score;
  std::vector<double> crossing_times;  // a reading beyond, the one before (not across a gap) not
  for (std::size_t i = 1; i < h.cgm.size(); ++i)
    if (h.cgm[i].minute >= from && h.cgm[i].minute < to && beyond(h.cgm[i].mg_dl) && !beyond(h.cgm[i - 1].mg_dl) &&
        h.cgm[i].minute - h.cgm[i - 1].minute <= s.max_reading_age_minutes)
      crossing_times.push_back(h.cgm[i].minute);
  std::vector<double> first_alert(crossing_times.size(), NAN);
  for (std::size_t k = 0; k < b.forecasts.size(); ++k) {
    const auto& f = b.forecasts[k];
    if (beyond(f.origin_mg_dl) || !beyond(f.mg_dl)) continue;
    ++score.alerts;
    bool followed = false;
    for (std::size_t c = 0; c < crossing_times.size(); ++c) {
      double lead = crossing_times[c] - f.origin_minute;
      if (lead <= 0 || lead > horizon) continue;
      followed = true;
      if (std::isnan(first_alert[c])) first_alert[c] = f.origin_minute;
    }
    score.true_alerts += followed;
  }
  std::vector<double> leads;
  for (std::size_t c = 0; c < crossing_times.size(); ++c)
    if (!std::isnan(first_alert[c])) leads.push_back(crossing_times[c] - first_alert[c]);
  score.crossings = int(crossing_times.size());
  score.warned = int(leads.size());
  score.median_lead_minutes = median(leads).value_or(0);
  return score;
}

ForecastErrors errors_of(std::span<const ForecastBacktest> backtests) {
  ForecastErrors e;
  double se = 0, ae = 0, pse = 0, pae = 0;
  int covered = 0;
  for (const auto& b : backtests)
    for (std::size_t k = 0; k < b.forecasts.size(); ++k) {
      double err = b.forecasts[k].mg_dl - b.observed[k], perr = b.forecasts[k].origin_mg_dl - b.observed[k];
      se += err * err;
      ae += std::abs(err);
      pse += perr * perr;
      pae += std::abs(perr);
      covered += b.observed[k] >= b.forecasts[k].low && b.observed[k] <= b.forecasts[k].high;
      ++e.forecasts;
    }
  if (e.forecasts == 0) return e;
  double n = e.forecasts;
  e.rmse = std::sqrt(se / n);
  e.mae = ae / n;
  e.persistence_rmse = std::sqrt(pse / n);
  e.persistence_mae = pae / n;
  e.interval_coverage = covered / n;
  return e;
}

}  // namespace

ForecastBacktest backtest_glucose_forecasts(const GlucoseHistory& history, int first_test_day,
                                            const ForecastSettings& settings) {
  validate_glucose_history(history);
  check_settings(settings);
  ForecastBacktest b;
  if (history.cgm.empty()) return b;
  auto local_day = [&](double minute) { return std::floor((minute + history.utc_offset_minutes) / kMinutesPerDay); };
  const double first_day = local_day(history.cgm.front().minute);
  const double test_from = (first_day + first_test_day) * kMinutesPerDay - history.utc_offset_minutes;
  std::size_t i = std::size_t(std::lower_bound(history.cgm.begin(), history.cgm.end(), test_from,
                                               [](const GlucoseReading& r, double m) { return r.minute < m; }) -
                              history.cgm.begin());
  while (i < history.cgm.size()) {  // one day with readings at a time
    const double day_start = local_day(history.cgm[i].minute) * kMinutesPerDay - history.utc_offset_minutes;
    const double day_end = day_start + kMinutesPerDay;
    std::optional<GlucoseForecaster> model;
    try {
      model = fit_glucose_forecaster(history, day_start, settings);
    } catch (const Error&) {
      ++b.days_without_fit;  // too little before it: the day is not forecast
    }
    for (; i < history.cgm.size() && history.cgm[i].minute < day_end; ++i) {
      auto target = model ? target_of(history, i, settings) : std::nullopt;
      auto f = target ? forecast_glucose(*model, history, history.cgm[i].minute) : std::nullopt;
      if (!f) continue;
      b.forecasts.push_back(*f);
      b.observed.push_back(*target);
    }
  }
  const double end = history.cgm.back().minute + 1;
  b.errors = errors_of(std::span(&b, 1));
  b.high_alerts = score_alerts(history, b, kHighMgDl, true, settings, test_from, end);
  b.low_alerts = score_alerts(history, b, kLowMgDl, false, settings, test_from, end);
  return b;
}

ForecastErrors pooled_errors(std::span<const ForecastBacktest> backtests) { return errors_of(backtests); }

}  // namespace medtwin::metabolic

// Short-horizon glucose forecasts (30, 60 min) from a person's own CGM, meal
// log and heart rate, for alerts. One direct linear model per horizon, fitted
// by ridge regression to the person's past (an ARX model, as in the CGM
// forecasting literature, e.g. Oviedo et al. 2017, Int J Numer Method Biomed
// Eng 33:e2833, review): the change from the last reading is regressed on
// the recent trend, the distance from the person's usual level, the share of
// each logged meal's carbohydrate that a gamma-shaped absorption (Hovorka et
// al. 2004's two-compartment gut, several time constants) will deliver within
// the horizon, exertion (heart rate over the person's median) and the time of
// day. Every forecast uses only data up to its origin, carries an 80 % interval
// from the residuals of the fit, and is compared with persistence by
// `backtest_glucose_forecasts` (rolling origin, refitted every day).
// Pure; model card docs/models/glucose_forecast.md.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include <Eigen/Dense>

namespace medtwin::metabolic {

// Times are minutes from any fixed origin (the twin uses the Unix epoch).
struct GlucoseReading {
  double minute = 0;
  double mg_dl = 0;
};
struct MealIntake {
  double minute = 0;
  double carbs_g = 0;
};
struct HeartRateSample {
  double minute = 0;
  double bpm = 0;
};

// A person's record, each list sorted by time.
struct GlucoseHistory {
  std::vector<GlucoseReading> cgm;
  std::vector<MealIntake> meals;
  std::vector<HeartRateSample> heart_rate;  // may be empty
  double utc_offset_minutes = 0;            // local time = minute + offset (for the time of day)
};

struct ForecastSettings {
  double horizon_minutes = 30;
  double max_reading_age_minutes = 20;  // no forecast when the last reading is older
  double target_tolerance_minutes = 2;  // a reading this close to origin + horizon is the target
  double ridge = 1.0;                   // penalty on standardised weights, in units of samples
  double interval_level = 0.8;
};

// Throws Error naming the first entry that is unsorted, not finite, or out of
// the plausible ranges (glucose 1–1000 mg/dL, carbohydrate 0–2000 g, heart
// rate 20–300 /min).
void validate_glucose_history(const GlucoseHistory& history);

struct GlucoseForecaster {
  ForecastSettings settings;
  double usual_glucose = 0;     // mg/dL, median of the readings before the fit's end
  double usual_heart_rate = 0;  // /min, median (0 when no heart rate)
  Eigen::VectorXd feature_mean, feature_scale, weights;
  double intercept = 0;
  double residual_low = 0, residual_high = 0;  // quantiles of the fit's residuals
  int samples = 0;
};

struct GlucoseForecast {
  double origin_minute = 0;   // the last reading used
  double origin_mg_dl = 0;    // its value (the persistence forecast)
  double target_minute = 0;   // origin + horizon
  double mg_dl = 0;
  double low = 0, high = 0;   // the interval
};

// Fits on the origins whose target reading lies before `fit_until_minute`.
// Throws Error on a bad history or settings, or when fewer than 50 origins
// have a target.
GlucoseForecaster fit_glucose_forecaster(const GlucoseHistory& history, double fit_until_minute,
                                         const ForecastSettings& settings = {});

// The forecast made at `at_minute` from the data up to it; nullopt when the
// last reading is missing or older than the settings allow.
std::optional<GlucoseForecast> forecast_glucose(const GlucoseForecaster& model, const GlucoseHistory& history,
                                                double at_minute);

// Rolling-origin backtest: for each local day with readings from
// `first_test_day` on (days counted from the first reading's local midnight),
// refit on everything before it and forecast from every reading of the day
// whose target reading exists; a day without enough data before it is skipped
// and counted.
struct ForecastErrors {
  int forecasts = 0;
  double rmse = 0, mae = 0;                          // the model
  double persistence_rmse = 0, persistence_mae = 0;  // "the last reading stays"
  double interval_coverage = 0;                      // share of targets inside the interval
};
struct GlucoseAlertScore {
  int alerts = 0, true_alerts = 0;      // alerts, and those followed by a crossing within the horizon
  // Crossings into the range (from a reading at most the largest reading age
  // before), and those an alert preceded; a crossing no forecast could see
  // (just after a gap) counts as missed.
  int crossings = 0, warned = 0;
  double median_lead_minutes = 0;       // first alert to crossing, over the warned crossings
  double precision() const { return alerts ? double(true_alerts) / alerts : 0; }
  double recall() const { return crossings ? double(warned) / crossings : 0; }
};
struct ForecastBacktest {
  ForecastErrors errors;
  GlucoseAlertScore high_alerts;  // forecast above 180 mg/dL while the reading is at or below it
  GlucoseAlertScore low_alerts;   // forecast below 70 mg/dL while the reading is at or above it
  std::vector<GlucoseForecast> forecasts;
  std::vector<double> observed;   // the target reading of each forecast
  int days_without_fit = 0;       // test days skipped: too little data before them
};
ForecastBacktest backtest_glucose_forecasts(const GlucoseHistory& history, int first_test_day,
                                            const ForecastSettings& settings = {});

// Errors over several backtests pooled (every forecast weighs the same).
ForecastErrors pooled_errors(std::span<const ForecastBacktest> backtests);

}  // namespace medtwin::metabolic

// The per-person structural time-series forecaster: a local level plus a
// weekly pattern (Harvey 1989, "Forecasting, Structural Time Series Models
// and the Kalman Filter"; Durbin & Koopman 2012, §3.2):
//
//   y_t       = mu_t + gamma_t + eps_t,            eps_t   ~ N(0, s2)
//   mu_{t+1}  = mu_t + eta_t,                      eta_t   ~ N(0, q_level s2)
//   gamma_{t+1} = -(gamma_t + … + gamma_{t-5}) + w_t,  w_t ~ N(0, q_week s2)
//   (+ beta' x_t with static coefficients beta when covariates are used)
//
// y is the daily value on the series' modelling scale (square root for daily
// totals, so that spread grows with size and forecasts stay non-negative).
// The two variance ratios are fitted by maximising the concentrated Gaussian
// likelihood (s2 profiled out) with NLopt's BOBYQA; the first 7 observations
// initialise the diffuse states and are left out of the likelihood.
// Prediction intervals come from the Kalman forecast variance, widened by
// the person's own standardized one-step errors once there are enough of
// them (docs/models/forecaster.md).
#pragma once

#include "medtwin/baseline/forecast.hpp"

namespace medtwin::baseline {

// Covariate columns on the modelling days, one vector per covariate.
using RegressorColumns = std::vector<std::vector<double>>;

struct StructuralModelParams {
  double log_q_level = -2;  // ln(level variance / observation variance)
  double log_q_week = -8;   // ln(weekly-pattern variance / observation variance)
};

struct StructuralModelOptions {
  int min_history_days = 14;     // observed days needed before forecasting
  int refit_every_days = 14;     // rolling-origin backtest: re-estimate this often, filter in between
  int fit_window_days = 365;     // the variances are estimated on the last this many days
  int empirical_errors_from = 20;  // standardized errors needed before intervals use them
  bool weekly = true;            // include the weekly pattern
  bool covariates = false;       // regress on the series' regressors (at most 2)
};

class StructuralModel : public Forecaster {
 public:
  explicit StructuralModel(StructuralModelOptions options = {}) : options_(options) {}
  std::string name() const override {
    return std::string(options_.weekly ? "level+week" : "level") + (options_.covariates ? "+cov" : "");
  }
  bool uses_covariates() const { return options_.covariates; }
  std::vector<Forecast> forecast(const DailySeries& series, int horizon) const override;
  std::vector<Forecast> one_day_ahead(const DailySeries& series, std::size_t first_target) const override;

  // Maximum-likelihood variance ratios for values on the modelling scale
  // (regressor columns aligned with them, when covariates are used).
  StructuralModelParams fit(std::span<const double> scaled, const RegressorColumns& regressors = {},
                            StructuralModelParams start = {}) const;

 private:
  StructuralModelOptions options_;
};

}  // namespace medtwin::baseline

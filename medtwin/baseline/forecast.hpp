// Forecasts of a daily series: a point value and 80% / 95% prediction
// intervals per day ahead, and the interface every forecaster implements so
// that the backtest can compare them on the same footing.
#pragma once

#include <chrono>
#include <span>
#include <string>
#include <vector>

#include "medtwin/baseline/daily_series.hpp"

namespace medtwin::baseline {

struct Forecast {
  std::chrono::local_days day{};
  double point = missing;  // the median forecast (the value minimising expected absolute error)
  double lo80 = missing, hi80 = missing;
  double lo95 = missing, hi95 = missing;
};

class Forecaster {
 public:
  virtual ~Forecaster() = default;
  virtual std::string name() const = 0;
  // The `horizon` days after the series' last day, from all of it. Throws
  // NotEnoughData when the series is too short for this forecaster.
  virtual std::vector<Forecast> forecast(const DailySeries& series, int horizon) const = 0;
  // For every day t >= first_target: the forecast of day t made from days
  // [0, t) only — never from t or later (rolling origin, one day ahead).
  // Forecasts whose history is too short are left missing.
  virtual std::vector<Forecast> one_day_ahead(const DailySeries& series, std::size_t first_target) const = 0;
};

}  // namespace medtwin::baseline

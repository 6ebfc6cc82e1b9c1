// A daily series: one value per local calendar day of the person, NaN where
// the day has no value. The common currency of the baseline twin — features
// produce them, baselines, forecasters and backtests consume them.
#pragma once

#include <chrono>
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace medtwin::baseline {

inline constexpr double missing = std::numeric_limits<double>::quiet_NaN();

// How a feature's daily value comes about; it decides how it is forecast.
enum class DailyKind {
  total,  // a non-negative sum over the day (steps, energy, minutes): modelled on a square-root scale
  level,  // a level measured during the day (resting HR, HRV, weight)
};

// A covariate of a daily series, on the same days: regressor[t] must be known
// before day t (e.g. yesterday's training load). NaN: unknown, taken as usual.
struct Regressor {
  std::string name;
  std::string derived_from;  // the feature it is computed from: never a covariate of that feature itself
  std::vector<double> values;
};

struct DailySeries {
  std::string name;                    // feature name, e.g. "steps", "sleep_hours"
  std::string unit;                    // UCUM
  DailyKind kind = DailyKind::level;
  std::chrono::local_days first_day{}; // the day of values[0]
  std::vector<double> values;          // one per day; NaN = no value that day
  std::vector<Regressor> regressors{};  // covariates forecasters may use (at most 2 in the structural model)
  double lowest = -std::numeric_limits<double>::infinity();  // the range a value can take (a fraction: 0..1)
  double highest = std::numeric_limits<double>::infinity();

  double clamp(double v) const { return std::isfinite(v) ? std::min(std::max(v, lowest), highest) : v; }

  std::chrono::local_days day(std::size_t i) const { return first_day + std::chrono::days(i); }
  std::size_t observed_days() const {
    std::size_t n = 0;
    for (double v : values) n += std::isfinite(v);
    return n;
  }
};

}  // namespace medtwin::baseline

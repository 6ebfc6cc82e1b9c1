#include "medtwin/baseline/alerts.hpp"

#include <fmt/format.h>

#include <cmath>

#include "medtwin/core/units.hpp"

namespace medtwin::baseline {

std::optional<BadDirection> bad_direction(std::string_view feature) {
  if (feature == "resting_hr" || feature == "respiratory_rate" || feature == "wrist_temperature")
    return BadDirection::higher;
  if (feature == "hrv_rmssd" || feature == "hrv_sdnn" || feature == "sleep_hours" || feature == "sleep_efficiency" ||
      feature == "spo2" || feature == "deep_sleep_hours" || feature == "rem_sleep_hours")
    return BadDirection::lower;
  return std::nullopt;
}

std::optional<Alert> forecast_alert(const DailySeries& series, const Forecast& tomorrow,
                                    const PersonalBaseline& baseline, double threshold_sd) {
  const auto direction = bad_direction(series.name);
  if (!direction || !baseline.long_median || !baseline.long_spread || !std::isfinite(tomorrow.point))
    return std::nullopt;
  const double z = (tomorrow.point - *baseline.long_median) / *baseline.long_spread;
  const bool bad = *direction == BadDirection::higher ? z >= threshold_sd : z <= -threshold_sd;
  if (!bad) return std::nullopt;
  const std::string unit = display_unit(series.unit);
  const std::string space = unit.empty() || unit.front() == '/' || unit.front() == '%' ? "" : " ";
  return Alert{series.name, z,
               fmt::format("{} tomorrow {:.3g}{}{}, {:.1f} SD {} your usual {:.3g} (the median of the last 60 days)",
                           series.name, tomorrow.point, space, unit, std::abs(z), z > 0 ? "above" : "below",
                           *baseline.long_median)};
}

}  // namespace medtwin::baseline

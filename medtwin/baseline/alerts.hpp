// Alerts: "tomorrow may be worse than usual", raised when tomorrow's forecast
// of a metric lies beyond the person's own thresholds — more than
// `threshold_sd` robust SDs from their 60-day median, in the direction that
// is bad for that metric — with the reason in words.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "medtwin/baseline/forecast.hpp"
#include "medtwin/baseline/personal_baseline.hpp"

namespace medtwin::baseline {

enum class BadDirection { higher, lower };

// Which direction is bad for a feature (resting HR up, HRV or sleep down), or
// nullopt for features that are not judged (steps: a rest day is not a warning).
std::optional<BadDirection> bad_direction(std::string_view feature);

struct Alert {
  std::string feature;
  double forecast_z = 0;  // the forecast's distance from the median, in robust SDs
  std::string reason;     // "resting_hr tomorrow 68/min, 1.8 SD above your usual 61 (the median of the last 60 days)"
};

// An alert when `tomorrow.point` lies beyond `threshold_sd` on the bad side of
// `baseline` (the baseline of the day after the series ends); else nullopt.
std::optional<Alert> forecast_alert(const DailySeries& series, const Forecast& tomorrow,
                                    const PersonalBaseline& baseline, double threshold_sd = 1.5);

}  // namespace medtwin::baseline

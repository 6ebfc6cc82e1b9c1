// Daily features of one person from whatever series they have: activity,
// heart rate and HRV, sleep timing and stages, respiration, SpO2, wrist
// temperature, weight. It joins stored observations to two domains (sleep
// episodes, the baseline twin's daily series), so it lives in twin. Each feature is a DailySeries over the person's local
// days. Rules (docs/models/forecaster.md, "Daily features"):
// - Two devices measuring the same total (steps, energy, active minutes) are
//   not added: each day takes the largest single-source total, since a
//   device that was not worn under-counts and adding double-counts.
// - Levels (resting HR, HRV, SpO2, …) take the median of the sources' daily means.
// - A day with zero steps is a day the tracker was not worn: missing.
// - Sleep is attributed to the local day the person woke up on.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "medtwin/baseline/daily_series.hpp"
#include "medtwin/core/records.hpp"
#include "medtwin/core/time.hpp"

namespace medtwin {

using baseline::DailySeries;

// Names of the features daily_features can produce, in presentation order.
namespace feature {
inline constexpr std::string_view steps = "steps";
inline constexpr std::string_view active_energy = "active_energy";
inline constexpr std::string_view total_energy = "total_energy";
inline constexpr std::string_view active_minutes = "active_minutes";  // very + fairly active (moderate-to-vigorous)
inline constexpr std::string_view training_load = "training_load";  // Edwards-scale TRIMP from minutes by intensity
inline constexpr std::string_view resting_hr = "resting_hr";
inline constexpr std::string_view hrv_rmssd = "hrv_rmssd";
inline constexpr std::string_view hrv_sdnn = "hrv_sdnn";
inline constexpr std::string_view sleep_hours = "sleep_hours";
inline constexpr std::string_view sleep_efficiency = "sleep_efficiency";
inline constexpr std::string_view sleep_onset = "sleep_onset";      // h after the wake day's local midnight (23:30 → −0.5)
inline constexpr std::string_view sleep_offset = "sleep_offset";    // h after local midnight
inline constexpr std::string_view sleep_midpoint = "sleep_midpoint";
inline constexpr std::string_view deep_sleep_hours = "deep_sleep_hours";
inline constexpr std::string_view rem_sleep_hours = "rem_sleep_hours";
inline constexpr std::string_view respiratory_rate = "respiratory_rate";
inline constexpr std::string_view spo2 = "spo2";
inline constexpr std::string_view wrist_temperature = "wrist_temperature";
inline constexpr std::string_view weight = "weight";
}  // namespace feature

// Every feature the observations support (features without a single value are
// left out), all on the same day grid from the first to the last day with data.
std::vector<DailySeries> daily_features(std::span<const Observation> observations, const TimeZoneHistory& zones);

// Whether the feature is a clock time (hours after local midnight).
bool is_clock_time(std::string_view feature);

// The feature called `name`, or nullptr.
const DailySeries* find_feature(std::span<const DailySeries> features, std::string_view name);

}  // namespace medtwin

// A person's own response to exercise: the gain on Breton's heart-rate terms
// (literature values, meal_response.hpp) that best explains their glucose
// during and after the exercise in their record, given their fitted meal
// response. Breton's values describe people whose insulin does not fall when
// they exercise; for someone whose liver and pancreas offset the uptake, the
// record says so with a gain near 0. Pure; card docs/models/meal_response.md.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "medtwin/metabolic/glucose_forecast.hpp"
#include "medtwin/metabolic/meal_response.hpp"

namespace medtwin::metabolic {

struct ExerciseWindowSettings {
  double min_rise_bpm = 20;        // a bout: heart rate at least this far above rest ...
  double min_minutes = 15;         // ... for at least this long
  double after_minutes = 60;       // readings up to this long after the bout count
  double max_pre_bout_age = 20;    // the last reading before the bout must be this recent
  // Minutes without heart rate, or below the bout's level, that a bout bridges
  // (a traffic light); a longer gap in the samples counts as rest. At least 1.
  double max_heart_rate_gap = 5;
  int min_bouts = 5;               // fewer leave the gain unfitted; at least 5
};

// The heart rate's mean in each minute that has samples (a watch samples
// every few seconds in a workout, every few minutes at rest).
std::vector<HeartRateSample> per_minute_heart_rate(std::span<const HeartRateSample> samples);

// The 10th percentile of the per-minute heart rate in [from, to), or none
// with fewer than 60 minutes of it there.
std::optional<double> resting_heart_rate(const GlucoseHistory& history, double from_minute, double to_minute);

// Heart rate above `rest_bpm` as a step function, from per-minute heart rate
// in [from, to); each minute holds through up to `max_gap_minutes` missing
// after it, and more missing count as rest.
std::vector<HeartRateStep> measured_heart_rate_rise(std::span<const HeartRateSample> per_minute, double rest_bpm,
                                                    double from_minute, double to_minute, double max_gap_minutes);

struct ExerciseGainFit {
  double gain = 1;                     // times Breton's β and α
  double gain_low = 0, gain_high = 0;  // 95 % interval (bouts as independent units)
  int bouts = 0, readings = 0;
  double rmse = 0;                     // mg/dL over the fitted readings
};

// Least squares over the windows of the bouts that start in [from, to)
// (their readings before `to` only; a bout whose window would overlap the
// previous one's is left out), each simulated from its pre-bout reading
// through the meal response, the meals and the measured heart rate. The gain
// is searched in [0, 4]. None with fewer than `min_bouts` windows; throws
// Error on a bad history, rest or settings.
std::optional<ExerciseGainFit> fit_exercise_gain(const MealResponseModel& model, const GlucoseHistory& history,
                                                 double rest_bpm, double from_minute, double to_minute,
                                                 const ExerciseWindowSettings& settings = {});

// The same windows predicted with a gain, against the meal response alone
// (gain 0) and Breton's literature values (gain 1).
struct ExerciseWindowErrors {
  int bouts = 0, readings = 0;
  double rmse = 0, rmse_without = 0, rmse_literature = 0;
};
ExerciseWindowErrors predict_exercise_windows(const MealResponseModel& model, const GlucoseHistory& history,
                                              double rest_bpm, double gain, double from_minute, double to_minute,
                                              const ExerciseWindowSettings& settings = {});

}  // namespace medtwin::metabolic

// A person's meal-response twin (medtwin/metabolic/meal_response.hpp) on
// planned meals: a scenario's meals, from basal glucose, and the outcomes of
// the curve — for `glucose forecast --meals`, `glucose simulate --person` and
// the trials on a person's virtual cohort; and on a day of the person's own
// record, with meals added (the dashboard's what-if).
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <vector>

#include "medtwin/metabolic/exercise_response.hpp"
#include "medtwin/metabolic/glucose_outcomes.hpp"
#include "medtwin/metabolic/meal_response.hpp"
#include "medtwin/twin/glucose_history.hpp"
#include "medtwin/twin/glucose_scenario.hpp"

namespace medtwin {

// The scenario's meals as intakes from `start_minute` on (its insulin and devices are not used).
std::vector<metabolic::MealIntake> meal_intakes(const metabolic::T1dScenario& scenario, double start_minute);

// Consensus outcomes of a simulated curve (a sampled extreme that undershoots
// counts as 1 mg/dL, the outcomes' floor).
metabolic::GlucoseOutcomes meal_curve_outcomes(std::span<const metabolic::GlucoseReading> curve);

struct PersonDay {
  metabolic::MealResponseFit fit;  // on everything before `after`
  double start = 0;                // the first local midnight after `after` (minutes since the epoch)
  std::size_t meals = 0;
  std::vector<metabolic::GlucoseReading> curve;  // every 5 minutes
  metabolic::GlucoseOutcomes outcomes;
  double peak_mg_dl = 0;
};

// Calibrates on the history before `after_minute` and runs the plan's meals
// from basal glucose at the next local midnight. Throws Error as the fit does.
PersonDay plan_person_day(const metabolic::GlucoseHistory& history, const GlucoseScenarioFile& plan,
                          double after_minute);

// A local day of the person's record, in their time zone (23 or 25 hours
// when the clocks change): its midnight and the next in minutes since the
// epoch, and the CGM readings and meals logged in between.
struct GlucoseDay {
  std::chrono::sys_days date;
  double start = 0, end = 0;
  std::vector<metabolic::GlucoseReading> readings;
  std::vector<metabolic::MealIntake> meals;
};

// The local dates that have CGM readings, in order.
std::vector<std::chrono::sys_days> glucose_dates(const PersonGlucoseHistory& person);
GlucoseDay glucose_day(const PersonGlucoseHistory& person, std::chrono::sys_days date);
// Minutes since the epoch of a local date and time of day in the person's zone.
double local_minute(const PersonGlucoseHistory& person, std::chrono::sys_days date, std::chrono::minutes time_of_day);

// A model curve every 5 minutes over the day, with its outcomes and peak.
struct DayCurve {
  std::vector<metabolic::GlucoseReading> curve;
  metabolic::GlucoseOutcomes outcomes;
  double peak_mg_dl = 0;
};

// Exercise added in the what-if: its start (minutes since the epoch), length
// and average heart rate.
struct AddedExercise {
  double minute = 0;
  double minutes = 0;
  double heart_rate_bpm = 0;
};

// How the twin counts a person's added exercise: heart rate above their rest,
// through Breton's terms times the gain their own record shows
// (metabolic/exercise_response.hpp).
struct PersonExercise {
  // The 10th percentile of their per-minute heart rate over the record's last
  // 90 days (with an hour of it, 20–250 bpm); else the model's default.
  double rest_bpm = 0;
  bool rest_measured = false;
  // Fitted on the bouts of the record's last 90 days; none without a measured
  // rest or with fewer than 5 bouts: the gain is then 1 (the literature's
  // values), and the what-if's band spans gains 0 to 1.
  std::optional<metabolic::ExerciseGainFit> gain;
};
PersonExercise person_exercise(const metabolic::MealResponseModel& model, const metabolic::GlucoseHistory& history);

struct MealWhatIf {
  DayCurve as_logged;  // the twin's curve after the logged meals
  DayCurve what_if;    // and after the added meals and exercise as well
  // The what-if's 80 % band at each point: the fit's residual quantiles
  // around the curves at both ends of the exercise gain's interval (0 to 1
  // when it is not fitted).
  std::vector<double> what_if_low, what_if_high;
  std::optional<PersonExercise> exercise;  // when exercise was added
};

// The day through the fitted meal response, from the reading nearest its
// midnight (within 20 minutes; else basal glucose), with the logged meals
// (those of the evening before still being absorbed) and then with the added
// meals and exercise too (counted as person_exercise says). The difference of
// the two curves is what the additions would have done.
MealWhatIf meal_what_if(const metabolic::MealResponseFit& fit, const metabolic::GlucoseHistory& history,
                        const GlucoseDay& day, std::span<const metabolic::MealIntake> added_meals,
                        std::span<const AddedExercise> added_exercise = {});

}  // namespace medtwin

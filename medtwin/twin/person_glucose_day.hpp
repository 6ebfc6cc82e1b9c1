// A person's meal-response twin (medtwin/metabolic/meal_response.hpp) on
// planned meals: a scenario's meals, from basal glucose, and the outcomes of
// the curve — for `glucose forecast --meals`, `glucose simulate --person` and
// the trials on a person's virtual cohort; and on a day of the person's own
// record, with meals added (the dashboard's what-if).
#pragma once

#include <chrono>
#include <span>
#include <vector>

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

struct MealWhatIf {
  DayCurve as_logged;  // the twin's curve after the logged meals
  DayCurve what_if;    // and after the added meals as well
};

// The day through the fitted meal response, from the reading nearest its
// midnight (within 20 minutes; else basal glucose), with the logged meals
// (those of the evening before still being absorbed) and then with `added`
// too (minutes since the epoch). The difference of the two curves is what the
// added meals would have done; the fit's residual quantiles give each its band.
MealWhatIf meal_what_if(const metabolic::MealResponseFit& fit, const metabolic::GlucoseHistory& history,
                        const GlucoseDay& day, std::span<const metabolic::MealIntake> added);

}  // namespace medtwin

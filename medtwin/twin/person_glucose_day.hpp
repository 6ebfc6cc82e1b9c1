// A person's meal-response twin (medtwin/metabolic/meal_response.hpp) on
// planned meals: a scenario's meals, from basal glucose, and the outcomes of
// the curve — for `glucose forecast --meals`, `glucose simulate --person` and
// the trials on a person's virtual cohort.
#pragma once

#include <span>
#include <vector>

#include "medtwin/metabolic/glucose_outcomes.hpp"
#include "medtwin/metabolic/meal_response.hpp"
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

}  // namespace medtwin

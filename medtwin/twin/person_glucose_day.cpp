#include "medtwin/twin/person_glucose_day.hpp"

#include <algorithm>
#include <cmath>

namespace medtwin {

namespace {
constexpr double kMinutesPerDay = 1440;
}

std::vector<metabolic::MealIntake> meal_intakes(const metabolic::T1dScenario& scenario, double start_minute) {
  std::vector<metabolic::MealIntake> meals;
  for (const auto& meal : scenario.meals) meals.push_back({start_minute + meal.minute, meal.carbs_g});
  return meals;
}

metabolic::GlucoseOutcomes meal_curve_outcomes(std::span<const metabolic::GlucoseReading> curve) {
  std::vector<double> g;
  for (const auto& point : curve) g.push_back(std::max(point.mg_dl, 1.0));
  return metabolic::glucose_outcomes(g);
}

PersonDay plan_person_day(const metabolic::GlucoseHistory& history, const GlucoseScenarioFile& plan,
                          double after_minute) {
  PersonDay day;
  day.fit = metabolic::fit_meal_response(history, after_minute);
  const double offset = history.utc_offset_minutes;
  day.start = std::ceil((after_minute + offset) / kMinutesPerDay) * kMinutesPerDay - offset;
  const auto meals = meal_intakes(plan.scenario, day.start);
  day.meals = meals.size();
  day.curve = metabolic::simulate_meal_response(day.fit.model, day.fit.model.gb, day.start,
                                                day.start + plan.scenario.minutes, meals);
  day.outcomes = meal_curve_outcomes(day.curve);
  for (const auto& point : day.curve) day.peak_mg_dl = std::max(day.peak_mg_dl, point.mg_dl);
  return day;
}

}  // namespace medtwin

#include "medtwin/twin/person_glucose_day.hpp"

#include <algorithm>
#include <cmath>

namespace medtwin {

namespace {

constexpr double kMinutesPerDay = 1440;
constexpr double kStartReadingTolerance = 20;  // minutes
constexpr double kEveningBefore = 360;         // minutes of earlier meals still absorbing

std::int64_t local_day_number(const metabolic::GlucoseHistory& h, double minute) {
  return static_cast<std::int64_t>(std::floor((minute + h.utc_offset_minutes) / kMinutesPerDay));
}

DayCurve day_curve(std::vector<metabolic::GlucoseReading> curve) {
  DayCurve out;
  out.outcomes = meal_curve_outcomes(curve);
  for (const auto& point : curve) out.peak_mg_dl = std::max(out.peak_mg_dl, point.mg_dl);
  out.curve = std::move(curve);
  return out;
}

// The reading nearest `minute` within the tolerance, else `fallback`.
double glucose_near(const metabolic::GlucoseHistory& h, double minute, double fallback) {
  double best = fallback, distance = kStartReadingTolerance;
  for (auto it = std::lower_bound(h.cgm.begin(), h.cgm.end(), minute - distance,
                                  [](const auto& r, double m) { return r.minute < m; });
       it != h.cgm.end() && it->minute <= minute + kStartReadingTolerance; ++it) {
    if (std::abs(it->minute - minute) <= distance) best = it->mg_dl, distance = std::abs(it->minute - minute);
  }
  return best;
}

}  // namespace

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
  auto curve = day_curve(metabolic::simulate_meal_response(day.fit.model, day.fit.model.gb, day.start,
                                                          day.start + plan.scenario.minutes, meals));
  day.curve = std::move(curve.curve);
  day.outcomes = curve.outcomes;
  day.peak_mg_dl = curve.peak_mg_dl;
  return day;
}

std::vector<std::chrono::sys_days> glucose_dates(const metabolic::GlucoseHistory& history) {
  std::vector<std::chrono::sys_days> dates;
  for (const auto& r : history.cgm) {
    const std::chrono::sys_days date{std::chrono::days(local_day_number(history, r.minute))};
    if (dates.empty() || dates.back() != date) dates.push_back(date);
  }
  return dates;
}

GlucoseDay glucose_day(const metabolic::GlucoseHistory& history, std::chrono::sys_days date) {
  GlucoseDay day{date, double(date.time_since_epoch().count()) * kMinutesPerDay - history.utc_offset_minutes, {}, {}};
  const double end = day.start + kMinutesPerDay;
  for (const auto& r : history.cgm)
    if (r.minute >= day.start && r.minute < end) day.readings.push_back(r);
  for (const auto& m : history.meals)
    if (m.minute >= day.start && m.minute < end) day.meals.push_back(m);
  return day;
}

MealWhatIf meal_what_if(const metabolic::MealResponseFit& fit, const metabolic::GlucoseHistory& history,
                        const GlucoseDay& day, std::span<const metabolic::MealIntake> added) {
  std::vector<metabolic::MealIntake> meals;
  for (const auto& m : history.meals)
    if (m.minute >= day.start - kEveningBefore && m.minute < day.start + kMinutesPerDay) meals.push_back(m);
  const double g0 = glucose_near(history, day.start, fit.model.gb), end = day.start + kMinutesPerDay;
  MealWhatIf out;
  out.as_logged = day_curve(metabolic::simulate_meal_response(fit.model, g0, day.start, end, meals));
  for (const auto& m : added) meals.push_back({day.start + m.minute, m.carbs_g});  // the simulation sorts them
  out.what_if = day_curve(metabolic::simulate_meal_response(fit.model, g0, day.start, end, meals));
  return out;
}

}  // namespace medtwin

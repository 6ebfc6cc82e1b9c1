#include "medtwin/twin/person_glucose_day.hpp"

#include <algorithm>
#include <cmath>

#include "medtwin/core/time.hpp"

namespace medtwin {

namespace {

constexpr double kMinutesPerDay = 1440;
constexpr double kStartReadingTolerance = 20;  // minutes
constexpr double kStillAbsorbing = 360;        // minutes: meals of the evening before still count

constexpr double kCurveStep = 5;               // minutes
constexpr double kExerciseFitDays = 90;        // rest and the exercise gain come from the record's last 90 days
constexpr double kLowestRest = 20, kHighestRest = 250;  // bpm: what the exercise fit takes as a rest
double epoch_minutes(Instant t) { return double(to_epoch_ms(t)) / 60000.0; }

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

std::vector<std::chrono::sys_days> glucose_dates(const PersonGlucoseHistory& person) {
  std::vector<std::chrono::sys_days> dates;
  for (const auto& r : person.history.cgm) {
    const auto local = to_local(from_epoch_ms(std::llround(r.minute * 60000)), person.time_zone);
    const std::chrono::sys_days date{std::chrono::floor<std::chrono::days>(local).time_since_epoch()};
    if (dates.empty() || dates.back() != date) dates.push_back(date);
  }
  return dates;
}

double local_minute(const PersonGlucoseHistory& person, std::chrono::sys_days date, std::chrono::minutes time_of_day) {
  return epoch_minutes(to_instant(LocalTime{date.time_since_epoch() + time_of_day}, person.time_zone));
}

GlucoseDay glucose_day(const PersonGlucoseHistory& person, std::chrono::sys_days date) {
  GlucoseDay day{date, local_minute(person, date, {}), local_minute(person, date + std::chrono::days(1), {}), {}, {}};
  for (const auto& r : person.history.cgm)
    if (r.minute >= day.start && r.minute < day.end) day.readings.push_back(r);
  for (const auto& m : person.history.meals)
    if (m.minute >= day.start && m.minute < day.end) day.meals.push_back(m);
  return day;
}

PersonExercise person_exercise(const metabolic::MealResponseModel& model, const metabolic::GlucoseHistory& history) {
  PersonExercise out;
  out.rest_bpm = metabolic::ExerciseResponse{}.rest_bpm;
  if (history.heart_rate.empty()) return out;
  const double recent = history.heart_rate.back().minute - kExerciseFitDays * kMinutesPerDay;
  const auto rest = metabolic::resting_heart_rate(history, recent, INFINITY);
  if (!rest || *rest < kLowestRest || *rest > kHighestRest) return out;  // none, or not a rest
  out.rest_measured = true;
  out.rest_bpm = *rest;
  out.gain = metabolic::fit_exercise_gain(model, history, out.rest_bpm, recent, INFINITY);
  return out;
}

MealWhatIf meal_what_if(const metabolic::MealResponseFit& fit, const metabolic::GlucoseHistory& history,
                        const GlucoseDay& day, std::span<const metabolic::MealIntake> added_meals,
                        std::span<const AddedExercise> added_exercise) {
  std::vector<metabolic::MealIntake> meals;
  for (const auto& m : history.meals)
    if (m.minute >= day.start - kStillAbsorbing && m.minute < day.end) meals.push_back(m);
  const double g0 = glucose_near(history, day.start, fit.model.gb);
  MealWhatIf out;
  out.as_logged = day_curve(metabolic::simulate_meal_response(fit.model, g0, day.start, day.end, meals));
  meals.insert(meals.end(), added_meals.begin(), added_meals.end());  // the simulation sorts them
  std::vector<metabolic::ExerciseBout> bouts;
  metabolic::ExerciseResponse response;
  std::optional<metabolic::ExerciseGainFit> gain;
  if (!added_exercise.empty()) {
    out.exercise = person_exercise(fit.model, history);
    response.rest_bpm = out.exercise->rest_bpm;
    gain = out.exercise->gain;
    for (const auto& e : added_exercise)
      bouts.push_back({e.minute, e.minutes, std::max(e.heart_rate_bpm - response.rest_bpm, 0.0)});
  }
  const auto rise = metabolic::heart_rate_steps(bouts);
  auto curve_at = [&](double gain_value) {
    return metabolic::simulate_meal_response(fit.model, g0, day.start, day.end, meals, kCurveStep,
                                             {rise, response.scaled(gain_value)});
  };
  out.what_if = day_curve(curve_at(gain ? gain->gain : 1));
  // Unfitted, the gain may be anything from none (glucose made up for, as in
  // people who make their own insulin) to the literature's (type 1 diabetes).
  const auto low_gain = gain ? curve_at(gain->gain_low) : curve_at(0);
  const auto high_gain = gain ? curve_at(gain->gain_high) : out.what_if.curve;
  for (std::size_t i = 0; i < out.what_if.curve.size(); ++i) {
    out.what_if_low.push_back(std::min(low_gain[i].mg_dl, high_gain[i].mg_dl) + fit.residual_low);
    out.what_if_high.push_back(std::max(low_gain[i].mg_dl, high_gain[i].mg_dl) + fit.residual_high);
  }
  return out;
}

}  // namespace medtwin

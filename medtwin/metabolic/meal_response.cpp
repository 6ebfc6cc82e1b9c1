#include "medtwin/metabolic/meal_response.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "medtwin/core/error.hpp"
#include "medtwin/core/stats.hpp"
#include "medtwin/metabolic/log_least_squares.hpp"

namespace medtwin::metabolic {
namespace {

constexpr double kStepMinutes = 1;             // RK4 step: Ra varies over tens of minutes
constexpr int kMinMeals = 5;

constexpr double kAbsorbedMinutes = 24 * 60;  // a meal's appearance after a day is negligible (e^-14 at τ = 100)

// Rate of appearance at t of the meals (sorted by time) eaten within the last day.
double appearance(const MealResponseModel& m, std::span<const MealIntake> meals, double t) {
  auto first = std::lower_bound(meals.begin(), meals.end(), t - kAbsorbedMinutes,
                                [](const MealIntake& meal, double minute) { return meal.minute < minute; });
  double ra = 0;
  for (auto meal = first; meal != meals.end() && meal->minute < t; ++meal) {
    double s = t - meal->minute;
    ra += meal->carbs_g * s / (m.tau * m.tau) * std::exp(-s / m.tau);
  }
  return m.gain * ra;
}

const Exercise kNoExercise{};

// Glucose, insulin action and the exercise states Y, Z, H.
struct State {
  double g, x, y, z, h;
};

State add(State a, State d, double k) {
  return {a.g + k * d.g, a.x + k * d.x, a.y + k * d.y, a.z + k * d.z, a.h + k * d.h};
}

struct Inputs {
  const MealResponseModel& model;
  std::span<const MealIntake> meals;  // sorted by time
  const Exercise& exercise;
};

// `rise`: the heart rate above rest, constant over the step (steps end where it changes).
State derivative(const Inputs& in, double t, State s, double rise) {
  const auto& m = in.model;
  const auto& e = in.exercise.response;
  const double ratio = s.y > 0 ? std::pow(s.y / (e.a * e.rest_bpm), e.n) : 0;  // no pow without exercise: fits run this often
  const double f = ratio / (1 + ratio);
  const double exercise_uptake = e.beta * s.y + e.alpha * s.h * s.z * (s.x + e.basal_action);
  return {-m.sg * (s.g - m.gb) - s.x * s.g - exercise_uptake * s.g + appearance(m, in.meals, t),
          -MealResponseModel::p2 * s.x + MealResponseModel::p2 * m.sr * std::max(s.g - m.gb, 0.0),
          (rise - s.y) / e.tau_hr,
          f - (f + 1 / e.tau_z) * s.z,
          rise};
}

State rk4_step(const Inputs& in, double t, State s, double h, double rise) {
  State k1 = derivative(in, t, s, rise);
  State k2 = derivative(in, t + h / 2, add(s, k1, h / 2), rise);
  State k3 = derivative(in, t + h / 2, add(s, k2, h / 2), rise);
  State k4 = derivative(in, t + h, add(s, k3, h), rise);
  auto step = [h](double v, double d1, double d2, double d3, double d4) { return v + h / 6 * (d1 + 2 * d2 + 2 * d3 + d4); };
  return {step(s.g, k1.g, k2.g, k3.g, k4.g), step(s.x, k1.x, k2.x, k3.x, k4.x), step(s.y, k1.y, k2.y, k3.y, k4.y),
          step(s.z, k1.z, k2.z, k3.z, k4.z), step(s.h, k1.h, k2.h, k3.h, k4.h)};
}

// Glucose at each of `times` (increasing, after `from`) starting from g0 at `from`.
std::vector<double> glucose_at_times(const Inputs& in, double g0, double from, std::span<const double> times) {
  std::vector<double> out;
  const auto& rise = in.exercise.rise;
  auto next_change = std::upper_bound(rise.begin(), rise.end(), from,
                                      [](double t, const HeartRateStep& step) { return t < step.minute; });
  State s{g0, 0, 0, 0, 0};
  double t = from;
  for (double target : times) {
    while (t < target) {
      const double now = next_change == rise.begin() ? 0 : (next_change - 1)->rise_bpm;
      double end = std::min(t + kStepMinutes, target);
      if (next_change != rise.end()) end = std::min(end, next_change->minute);
      s = rk4_step(in, t, s, end - t, now);
      t = end;
      while (next_change != rise.end() && next_change->minute <= t) ++next_change;
    }
    out.push_back(s.g);
  }
  return out;
}

// One meal's window: its pre-meal reading, the readings after, and the meals that shape it.
struct MealWindow {
  double start = 0, g0 = 0;
  std::vector<double> times, observed;
  std::vector<MealIntake> meals;
};

// Windows of the meals in [from, to); their readings stop at `readings_until`
// (a fit must not see readings after its end).
std::vector<MealWindow> meal_windows(const GlucoseHistory& h, double from, double to, double readings_until,
                                     const MealWindowSettings& s) {
  std::vector<MealWindow> windows;
  for (const auto& meal : h.meals) {
    if (meal.minute < from || meal.minute >= to || meal.carbs_g <= 0) continue;
    auto after = std::upper_bound(h.cgm.begin(), h.cgm.end(), meal.minute,
                                  [](double m, const GlucoseReading& r) { return m < r.minute; });
    if (after == h.cgm.begin()) continue;
    const auto& pre = *(after - 1);
    if (meal.minute - pre.minute > s.max_pre_meal_age) continue;
    MealWindow w;
    w.start = pre.minute;
    w.g0 = pre.mg_dl;
    const double window_end = std::min(meal.minute + s.window_minutes, readings_until);
    for (auto it = after; it != h.cgm.end() && it->minute <= window_end; ++it) {
      w.times.push_back(it->minute);
      w.observed.push_back(it->mg_dl);
    }
    for (const auto& m : h.meals)
      if (m.minute > w.start - kMealWindowMemoryMinutes && m.minute <= meal.minute + s.window_minutes) w.meals.push_back(m);
    if (w.times.size() >= 3) windows.push_back(std::move(w));
  }
  return windows;
}

void check_settings(const MealWindowSettings& s) {
  require_positive(s.window_minutes, "the post-meal window");
  if (!(s.max_pre_meal_age >= 0 && s.prior_weight >= 0 && std::isfinite(s.max_pre_meal_age) &&
        std::isfinite(s.prior_weight)))
    throw Error("meal response: the pre-meal reading age and the prior weight must be finite and not negative");
}

double pre_meal_median(const std::vector<MealWindow>& windows) {
  std::vector<double> g;
  for (const auto& w : windows) g.push_back(w.g0);
  return median(g).value_or(100);
}

void check_exercise(const Exercise& e) {
  const auto& r = e.response;
  for (double v : {r.rest_bpm, r.tau_hr, r.tau_z, r.a, r.n}) require_positive(v, "an exercise parameter");
  for (double v : {r.beta, r.alpha, r.basal_action})
    if (!(v >= 0 && std::isfinite(v))) throw Error("meal response: the exercise gains must be finite and not negative");
  for (std::size_t i = 0; i < e.rise.size(); ++i)
    if (!(std::isfinite(e.rise[i].minute) && e.rise[i].rise_bpm >= 0 && std::isfinite(e.rise[i].rise_bpm) &&
          (i == 0 || e.rise[i].minute >= e.rise[i - 1].minute)))
      throw Error("meal response: the heart-rate rise must be finite, not negative and in time order");
}

}  // namespace

ExerciseResponse ExerciseResponse::scaled(double gain) const {
  ExerciseResponse out = *this;
  out.beta *= gain;
  out.alpha *= gain;
  return out;
}

std::vector<HeartRateStep> heart_rate_steps(std::span<const ExerciseBout> bouts) {
  std::vector<double> changes;
  for (const auto& b : bouts) {
    if (!(std::isfinite(b.start_minute) && b.minutes >= 0 && std::isfinite(b.minutes) && b.heart_rate_rise_bpm >= 0 &&
          std::isfinite(b.heart_rate_rise_bpm)))
      throw Error("meal response: an exercise bout needs a finite start, and a length and heart-rate rise not negative");
    changes.insert(changes.end(), {b.start_minute, b.start_minute + b.minutes});
  }
  std::sort(changes.begin(), changes.end());
  changes.erase(std::unique(changes.begin(), changes.end()), changes.end());
  std::vector<HeartRateStep> steps;
  for (double t : changes) {
    double rise = 0;
    for (const auto& b : bouts)
      if (t >= b.start_minute && t < b.start_minute + b.minutes) rise = std::max(rise, b.heart_rate_rise_bpm);
    steps.push_back({t, rise});
  }
  return steps;
}

std::vector<double> meal_response_at(const MealResponseModel& model, double g0, double from_minute,
                                     std::span<const MealIntake> meals, std::span<const double> times,
                                     const Exercise& exercise) {
  check_exercise(exercise);
  double previous = from_minute;
  for (double t : times) {
    if (!(t >= previous && t - from_minute <= kMaxScenarioMinutes))
      throw Error("meal response: the times must be in order, from the start and within 366 days of it");
    previous = t;
  }
  for (std::size_t i = 0; i < meals.size(); ++i)
    if (!(std::isfinite(meals[i].minute) && std::isfinite(meals[i].carbs_g) && (i == 0 || meals[i].minute >= meals[i - 1].minute)))
      throw Error("meal response: the meals must be finite and in time order");
  return glucose_at_times({model, meals, exercise}, g0, from_minute, times);
}

std::vector<GlucoseReading> simulate_meal_response(const MealResponseModel& model, double g0, double from_minute,
                                                   double to_minute, std::span<const MealIntake> meals,
                                                   double step_minutes, const Exercise& exercise) {
  if (!(step_minutes >= 1)) throw Error("meal response: the output step must be at least 1 minute");
  check_exercise(exercise);
  if (!(to_minute >= from_minute && to_minute - from_minute <= kMaxScenarioMinutes))
    throw Error("meal response: the simulated span must be 0 to 366 days");
  std::vector<MealIntake> sorted(meals.begin(), meals.end());
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.minute < b.minute; });
  meals = sorted;
  std::vector<double> times;
  for (double t = from_minute; t <= to_minute + 1e-9; t += step_minutes) times.push_back(t);
  auto g = glucose_at_times({model, meals, exercise}, g0, from_minute, times);
  std::vector<GlucoseReading> out;
  for (std::size_t i = 0; i < times.size(); ++i) out.push_back({times[i], g[i]});
  return out;
}

MealResponseFit fit_meal_response(const GlucoseHistory& history, double fit_until_minute,
                                  const MealWindowSettings& settings) {
  validate_glucose_history(history);
  check_settings(settings);
  auto windows = meal_windows(history, -INFINITY, fit_until_minute, fit_until_minute, settings);
  if (windows.size() < std::size_t(kMinMeals))
    throw Error(fmt::format("meal response: {} meals with a pre-meal reading and readings after, at least {} needed",
                            windows.size(), kMinMeals));
  int values = 0;
  for (const auto& w : windows) values += int(w.times.size());
  const double gb = pre_meal_median(windows);
  auto model_of = [gb](const Eigen::VectorXd& p) {
    return MealResponseModel{gb, std::exp(p[0]), std::exp(p[1]), std::exp(p[2]), std::exp(p[3])};
  };
  // Typical values (SG 0.02/min, SR 1e-4, peak at 45 min, 1.5 mg/dL per g: a
  // normal subject's 75 g oral test rises ~60 mg/dL) start the search and are
  // a weak log-normal prior, so that what CGM alone cannot tell stays plausible.
  Eigen::VectorXd typical(4);
  typical << std::log(0.02), std::log(1e-4), std::log(45.0), std::log(1.5);
  LogResiduals residuals = [&](const Eigen::VectorXd& p, Eigen::VectorXd& r) {
    auto m = model_of(p);
    Eigen::Index k = 0;
    for (const auto& w : windows) {
      auto g = glucose_at_times({m, w.meals, kNoExercise}, w.g0, w.start, w.times);
      for (std::size_t i = 0; i < g.size(); ++i) r[k++] = g[i] - w.observed[i];
    }
    for (Eigen::Index j = 0; j < 4; ++j) r[k++] = settings.prior_weight * (p[j] - typical[j]);
  };
  auto found = fit_log_parameters(residuals, values + 4, typical, "meal response fit", values);
  MealResponseFit fit;
  fit.model = model_of(found.log_p);
  for (std::size_t k = 0; k < 4; ++k) fit.cv_percent[k] = found.cv_percent[k];
  Eigen::VectorXd r(values + 4);
  residuals(found.log_p, r);
  fit.rmse = std::sqrt(r.head(values).squaredNorm() / values);
  std::vector<double> misses(values);
  for (int i = 0; i < values; ++i) misses[std::size_t(i)] = -r[i];  // reading − model
  fit.residual_low = *quantile(misses, 0.1);
  fit.residual_high = *quantile(misses, 0.9);
  fit.meals = int(windows.size());
  fit.readings = values;
  if (found.posterior_covariance.size() == 16) fit.log_covariance = found.posterior_covariance;
  return fit;
}

std::vector<MealResponseModel> sample_meal_responses(const MealResponseFit& fit, int count, std::uint32_t seed) {
  if (count < 1 || count > 100000) throw Error("meal response: samples must number 1 to 100000");
  const Eigen::LLT<Eigen::Matrix4d> cholesky(fit.log_covariance);
  if (cholesky.info() != Eigen::Success) throw Error("meal response: the fit's covariance is not positive definite");
  const Eigen::Matrix4d l = cholesky.matrixL();
  const MealResponseModel& m = fit.model;
  const Eigen::Vector4d centre(std::log(m.sg), std::log(m.sr), std::log(m.tau), std::log(m.gain));
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal;
  std::vector<MealResponseModel> out;
  for (int i = 0; i < count; ++i) {
    Eigen::Vector4d z(normal(rng), normal(rng), normal(rng), normal(rng));
    Eigen::Vector4d p = centre + l * z;
    out.push_back({m.gb, std::exp(p[0]), std::exp(p[1]), std::exp(p[2]), std::exp(p[3])});
  }
  return out;
}

MealPredictionErrors predict_meal_windows(const MealResponseFit& fit, const GlucoseHistory& history,
                                          double from_minute, double to_minute, const MealWindowSettings& settings) {
  MealPredictionErrors e;
  double se = 0, ae = 0, fse = 0, fae = 0;
  int covered = 0;
  validate_glucose_history(history);
  check_settings(settings);
  for (const auto& w : meal_windows(history, from_minute, to_minute, INFINITY, settings)) {
    auto g = glucose_at_times({fit.model, w.meals, kNoExercise}, w.g0, w.start, w.times);
    for (std::size_t i = 0; i < g.size(); ++i) {
      double err = g[i] - w.observed[i], flat = w.g0 - w.observed[i];
      se += err * err, ae += std::abs(err), fse += flat * flat, fae += std::abs(flat);
      covered += -err >= fit.residual_low && -err <= fit.residual_high;
      ++e.readings;
    }
    ++e.meals;
  }
  if (e.readings == 0) return e;
  double n = e.readings;
  e.rmse = std::sqrt(se / n), e.mae = ae / n, e.flat_rmse = std::sqrt(fse / n), e.flat_mae = fae / n;
  e.interval_coverage = covered / n;
  return e;
}

}  // namespace medtwin::metabolic

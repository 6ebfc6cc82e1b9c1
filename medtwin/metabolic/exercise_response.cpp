#include "medtwin/metabolic/exercise_response.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <tuple>

#include "medtwin/core/error.hpp"
#include "medtwin/core/stats.hpp"

namespace medtwin::metabolic {
namespace {

constexpr std::size_t kMinRestMinutes = 60;
constexpr double kMaxGain = 4;
constexpr int kGridPoints = 40;           // over [0, kMaxGain]
constexpr int kGoldenSteps = 20;          // each shrinks the bracket to 0.618 of it
constexpr double kDerivativeStep = 0.01;  // of the gain, for the interval

struct Bout {
  double start = 0, end = 0;
};

void check_inputs(double rest_bpm, const ExerciseWindowSettings& s) {
  if (!(rest_bpm >= 20 && rest_bpm <= 250)) throw Error("exercise response: the resting heart rate must be 20–250 bpm");
  for (double v : {s.min_rise_bpm, s.min_minutes, s.after_minutes, s.max_pre_bout_age, s.max_heart_rate_gap})
    if (!(v >= 0 && std::isfinite(v))) throw Error("exercise response: the bout settings must be finite and not negative");
  if (!(s.max_heart_rate_gap >= 1)) throw Error("exercise response: the heart-rate gap must be at least a minute");
  if (s.min_bouts < 5) throw Error("exercise response: at least 5 bouts are needed (the interval's t quantile)");
}

// Runs of per-minute heart rate at least `min_rise` above rest that start in
// [from, to) with at least `min_minutes` such minutes; a run bridges up to
// `max_heart_rate_gap` minutes missing or below its level.
std::vector<Bout> bouts_in(std::span<const HeartRateSample> minutes, double rest, double from, double to,
                           const ExerciseWindowSettings& s) {
  std::vector<Bout> bouts;
  std::optional<Bout> run;
  int active = 0;  // the run's minutes at its level
  auto close = [&] {
    if (run && run->start >= from && active >= s.min_minutes) bouts.push_back(*run);
    run.reset();
  };
  for (const auto& m : minutes) {
    if (run && m.minute - run->end > s.max_heart_rate_gap) close();
    if (!run && m.minute >= to) break;
    if (m.bpm < rest + s.min_rise_bpm) continue;
    if (!run) {
      run = Bout{m.minute, m.minute};
      active = 0;
    }
    run->end = m.minute + 1;  // a minute's mean stands for that minute
    ++active;
  }
  close();
  return bouts;
}

// A bout's window: its pre-bout reading, the readings during and after it, and
// the meals and heart rate that shape them.
struct ExerciseWindow {
  double start = 0, g0 = 0;
  std::vector<double> times, observed;
  std::vector<MealIntake> meals;
  std::vector<HeartRateStep> rise;
};

std::vector<ExerciseWindow> exercise_windows(const GlucoseHistory& h, std::span<const HeartRateSample> minutes,
                                             double rest, double from, double to, double readings_until,
                                             const ExerciseWindowSettings& s) {
  std::vector<ExerciseWindow> windows;
  double previous_end = -INFINITY;
  for (const auto& bout : bouts_in(minutes, rest, from, to, s)) {
    auto after = std::upper_bound(h.cgm.begin(), h.cgm.end(), bout.start,
                                  [](double m, const GlucoseReading& r) { return m < r.minute; });
    if (after == h.cgm.begin() || bout.start - (after - 1)->minute > s.max_pre_bout_age) continue;
    if ((after - 1)->minute < previous_end) continue;  // its readings are the previous window's
    ExerciseWindow w;
    w.start = (after - 1)->minute;
    w.g0 = (after - 1)->mg_dl;
    const double end = std::min(bout.end + s.after_minutes, readings_until);
    for (auto it = after; it != h.cgm.end() && it->minute <= end; ++it) {
      w.times.push_back(it->minute);
      w.observed.push_back(it->mg_dl);
    }
    auto meal = std::upper_bound(h.meals.begin(), h.meals.end(), w.start - kMealWindowMemoryMinutes,
                                 [](double m, const MealIntake& x) { return m < x.minute; });
    for (; meal != h.meals.end() && meal->minute <= end; ++meal) w.meals.push_back(*meal);
    w.rise = measured_heart_rate_rise(minutes, rest, w.start, end, s.max_heart_rate_gap);
    if (w.times.size() < 3) continue;
    previous_end = end;
    windows.push_back(std::move(w));
  }
  return windows;
}

std::vector<double> predicted(const MealResponseModel& model, const ExerciseWindow& w, const ExerciseResponse& response) {
  return meal_response_at(model, w.g0, w.start, w.meals, w.times, Exercise{w.rise, response});
}

double squared_error(const MealResponseModel& model, const std::vector<ExerciseWindow>& windows,
                     const ExerciseResponse& response) {
  double sum = 0;
  for (const auto& w : windows) {
    const auto g = predicted(model, w, response);
    for (std::size_t i = 0; i < g.size(); ++i) sum += (g[i] - w.observed[i]) * (g[i] - w.observed[i]);
  }
  return sum;
}

int reading_count(const std::vector<ExerciseWindow>& windows) {
  int n = 0;
  for (const auto& w : windows) n += int(w.times.size());
  return n;
}

// The gain of least squared error: the best of a grid, refined by golden
// section in the grid cells either side of it.
double best_gain(const std::function<double(double)>& error) {
  const double cell = kMaxGain / kGridPoints;
  double best = 0, best_error = error(0);
  for (int i = 1; i <= kGridPoints; ++i)
    if (double e = error(i * cell); e < best_error) best = i * cell, best_error = e;
  const double ratio = (std::sqrt(5.0) - 1) / 2;
  double lo = std::max(0.0, best - cell), hi = std::min(kMaxGain, best + cell);
  double a = hi - ratio * (hi - lo), b = lo + ratio * (hi - lo), error_a = error(a), error_b = error(b);
  for (int i = 0; i < kGoldenSteps; ++i) {
    if (error_a < error_b) {
      hi = b, b = a, error_b = error_a;
      a = hi - ratio * (hi - lo), error_a = error(a);
    } else {
      lo = a, a = b, error_a = error_b;
      b = lo + ratio * (hi - lo), error_b = error(b);
    }
  }
  if (std::min(error_a, error_b) >= best_error) return best;
  return error_a < error_b ? a : b;
}

// Student's t quantile by the Cornish–Fisher expansion (Abramowitz & Stegun
// 26.7.5): within 0.01 of the tables from 4 degrees of freedom.
double t_quantile_975(int degrees_of_freedom) {
  const double z = 1.959964, v = degrees_of_freedom;
  const double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
  return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v) +
         (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v);
}

// 95 % interval of the gain with each bout an independent unit (readings
// within a bout are strongly correlated): the cluster-robust variance
// B/(B − 1)·Σ_b (Σ_i J_i·r_i)² / (Σ J_i²)², J the readings' sensitivity to
// the gain, with Student's t on B − 1 degrees of freedom.
std::pair<double, double> gain_interval(const MealResponseModel& model, const std::vector<ExerciseWindow>& windows,
                                        const ExerciseResponse& literature, double gain) {
  const double low_step = std::max(0.0, gain - kDerivativeStep), high_step = gain + kDerivativeStep;
  double information = 0, score_spread = 0;
  for (const auto& w : windows) {
    const auto at = predicted(model, w, literature.scaled(gain));
    const auto below = predicted(model, w, literature.scaled(low_step));
    const auto above = predicted(model, w, literature.scaled(high_step));
    double score = 0;
    for (std::size_t i = 0; i < at.size(); ++i) {
      const double j = (above[i] - below[i]) / (high_step - low_step);
      information += j * j;
      score += j * (w.observed[i] - at[i]);
    }
    score_spread += score * score;
  }
  if (!(information > 0)) return {0, kMaxGain};
  const double bouts = double(windows.size());
  const double half_width =
      t_quantile_975(int(windows.size()) - 1) * std::sqrt(bouts / (bouts - 1) * score_spread) / information;
  return {std::max(0.0, gain - half_width), std::min(kMaxGain, gain + half_width)};
}

// The heart rate from a minute before `from` on: a bout under way at `from`
// then seems to start before it, and is left out as it should be.
std::span<const HeartRateSample> samples_from(const GlucoseHistory& h, double from) {
  auto first = std::lower_bound(h.heart_rate.begin(), h.heart_rate.end(), std::floor(from) - 1,
                                [](const HeartRateSample& x, double m) { return x.minute < m; });
  return {first, h.heart_rate.end()};
}

double rmse_of(double squared, int readings) { return readings ? std::sqrt(squared / readings) : 0; }

}  // namespace

std::vector<HeartRateSample> per_minute_heart_rate(std::span<const HeartRateSample> samples) {
  std::vector<HeartRateSample> out;
  int count = 0;
  for (const auto& s : samples) {
    const double minute = std::floor(s.minute);
    if (!out.empty() && out.back().minute == minute) {
      out.back().bpm += (s.bpm - out.back().bpm) / ++count;  // running mean
    } else {
      out.push_back({minute, s.bpm});
      count = 1;
    }
  }
  return out;
}

std::optional<double> resting_heart_rate(const GlucoseHistory& history, double from_minute, double to_minute) {
  std::vector<double> bpm;
  for (const auto& m : per_minute_heart_rate(samples_from(history, from_minute)))
    if (m.minute >= from_minute && m.minute < to_minute) bpm.push_back(m.bpm);
  if (bpm.size() < kMinRestMinutes) return std::nullopt;
  return quantile(bpm, 0.1);
}

std::vector<HeartRateStep> measured_heart_rate_rise(std::span<const HeartRateSample> per_minute, double rest_bpm,
                                                    double from_minute, double to_minute, double max_gap_minutes) {
  std::vector<HeartRateStep> steps;
  auto it = std::lower_bound(per_minute.begin(), per_minute.end(), from_minute,
                             [](const HeartRateSample& x, double m) { return x.minute < m; });
  for (; it != per_minute.end() && it->minute < to_minute; ++it) {
    const double rise = std::max(it->bpm - rest_bpm, 0.0);
    if (steps.empty() || steps.back().rise_bpm != rise) steps.push_back({it->minute, rise});
    // Up to `max_gap_minutes` missing after this minute hold its value; more are rest.
    const double next = it + 1 != per_minute.end() ? (it + 1)->minute : INFINITY;
    if (next - (it->minute + 1) > max_gap_minutes && rise > 0) steps.push_back({it->minute + 1 + max_gap_minutes, 0});
  }
  return steps;
}

std::optional<ExerciseGainFit> fit_exercise_gain(const MealResponseModel& model, const GlucoseHistory& history,
                                                 double rest_bpm, double from_minute, double to_minute,
                                                 const ExerciseWindowSettings& settings) {
  validate_glucose_history(history);
  check_inputs(rest_bpm, settings);
  const auto minutes = per_minute_heart_rate(samples_from(history, from_minute));
  const auto windows = exercise_windows(history, minutes, rest_bpm, from_minute, to_minute, to_minute, settings);
  if (int(windows.size()) < settings.min_bouts) return std::nullopt;
  ExerciseResponse literature;
  literature.rest_bpm = rest_bpm;
  ExerciseGainFit fit;
  fit.gain = best_gain([&](double gain) { return squared_error(model, windows, literature.scaled(gain)); });
  std::tie(fit.gain_low, fit.gain_high) = gain_interval(model, windows, literature, fit.gain);
  fit.bouts = int(windows.size());
  fit.readings = reading_count(windows);
  fit.rmse = rmse_of(squared_error(model, windows, literature.scaled(fit.gain)), fit.readings);
  return fit;
}

ExerciseWindowErrors predict_exercise_windows(const MealResponseModel& model, const GlucoseHistory& history,
                                              double rest_bpm, double gain, double from_minute, double to_minute,
                                              const ExerciseWindowSettings& settings) {
  validate_glucose_history(history);
  check_inputs(rest_bpm, settings);
  const auto minutes = per_minute_heart_rate(samples_from(history, from_minute));
  const auto windows = exercise_windows(history, minutes, rest_bpm, from_minute, to_minute, INFINITY, settings);
  ExerciseResponse literature;
  literature.rest_bpm = rest_bpm;
  ExerciseWindowErrors out;
  out.bouts = int(windows.size());
  out.readings = reading_count(windows);
  out.rmse = rmse_of(squared_error(model, windows, literature.scaled(gain)), out.readings);
  out.rmse_without = rmse_of(squared_error(model, windows, literature.scaled(0)), out.readings);
  out.rmse_literature = rmse_of(squared_error(model, windows, literature), out.readings);
  return out;
}

}  // namespace medtwin::metabolic

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

constexpr std::size_t kMinRestSamples = 60;
constexpr double kMaxGain = 4;
constexpr double kGridStep = 0.05;
constexpr double kDerivativeStep = 0.01;  // of the gain, for the interval

struct Bout {
  double start = 0, end = 0;
};

// Runs of heart rate at least `min_rise` above rest, unbroken by gaps, lasting
// long enough, that start in [from, to).
std::vector<Bout> bouts_in(const GlucoseHistory& h, double rest, double from, double to, const ExerciseWindowSettings& s) {
  std::vector<Bout> bouts;
  std::optional<Bout> run;
  auto close = [&] {
    if (run && run->end - run->start >= s.min_minutes) bouts.push_back(*run);
    run.reset();
  };
  auto first = std::lower_bound(h.heart_rate.begin(), h.heart_rate.end(), from,
                                [](const HeartRateSample& x, double m) { return x.minute < m; });
  for (auto it = first; it != h.heart_rate.end(); ++it) {
    if (run && it->minute - (run->end - 1) > s.max_heart_rate_gap) close();
    if (it->bpm < rest + s.min_rise_bpm) {
      close();
      continue;
    }
    if (!run) {
      if (it->minute >= to) break;
      run = Bout{it->minute, it->minute};
    }
    run->end = it->minute + 1;  // a sample stands for its minute
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

std::vector<ExerciseWindow> exercise_windows(const GlucoseHistory& h, double rest, double from, double to,
                                             double readings_until, const ExerciseWindowSettings& s) {
  std::vector<ExerciseWindow> windows;
  for (const auto& bout : bouts_in(h, rest, from, to, s)) {
    auto after = std::upper_bound(h.cgm.begin(), h.cgm.end(), bout.start,
                                  [](double m, const GlucoseReading& r) { return m < r.minute; });
    if (after == h.cgm.begin() || bout.start - (after - 1)->minute > s.max_pre_bout_age) continue;
    ExerciseWindow w;
    w.start = (after - 1)->minute;
    w.g0 = (after - 1)->mg_dl;
    const double end = std::min(bout.end + s.after_minutes, readings_until);
    for (auto it = after; it != h.cgm.end() && it->minute <= end; ++it) {
      w.times.push_back(it->minute);
      w.observed.push_back(it->mg_dl);
    }
    for (const auto& m : h.meals)
      if (m.minute > w.start - kMealWindowMemoryMinutes && m.minute <= end) w.meals.push_back(m);
    w.rise = measured_heart_rate_rise(h, rest, w.start, end, s.max_heart_rate_gap);
    if (w.times.size() >= 3) windows.push_back(std::move(w));
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

// The gain of least squared error: the best of a grid, refined by golden section around it.
double best_gain(const std::function<double(double)>& error) {
  double best = 0, best_error = error(0);
  for (double g = kGridStep; g <= kMaxGain + 1e-9; g += kGridStep)
    if (double e = error(g); e < best_error) best = g, best_error = e;
  double lo = std::max(0.0, best - kGridStep), hi = std::min(kMaxGain, best + kGridStep);
  const double ratio = (std::sqrt(5.0) - 1) / 2;
  for (int i = 0; i < 30; ++i) {
    const double a = hi - ratio * (hi - lo), b = lo + ratio * (hi - lo);
    if (error(a) < error(b)) hi = b;
    else lo = a;
  }
  const double refined = (lo + hi) / 2;
  return error(refined) < best_error ? refined : best;
}

// 95 % interval of the gain with each bout an independent unit (readings
// within a bout are strongly correlated): the cluster-robust variance
// Σ_b (Σ_i J_i·r_i)² / (Σ J_i²)², J the readings' sensitivity to the gain.
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
  const double half_width = 1.96 * std::sqrt(score_spread) / information;
  return {std::max(0.0, gain - half_width), std::min(kMaxGain, gain + half_width)};
}

double rmse_of(double squared, int readings) { return readings ? std::sqrt(squared / readings) : 0; }

}  // namespace

std::optional<double> resting_heart_rate(const GlucoseHistory& history, double from_minute, double to_minute) {
  std::vector<double> bpm;
  for (const auto& s : history.heart_rate)
    if (s.minute >= from_minute && s.minute < to_minute) bpm.push_back(s.bpm);
  if (bpm.size() < kMinRestSamples) return std::nullopt;
  return quantile(bpm, 0.1);
}

std::vector<HeartRateStep> measured_heart_rate_rise(const GlucoseHistory& history, double rest_bpm, double from_minute,
                                                    double to_minute, double max_gap_minutes) {
  std::vector<HeartRateStep> steps;
  const auto& hr = history.heart_rate;
  auto it = std::lower_bound(hr.begin(), hr.end(), from_minute,
                             [](const HeartRateSample& x, double m) { return x.minute < m; });
  for (; it != hr.end() && it->minute < to_minute; ++it) {
    steps.push_back({it->minute, std::max(it->bpm - rest_bpm, 0.0)});
    const double next = it + 1 != hr.end() ? (it + 1)->minute : INFINITY;
    if (next - it->minute > max_gap_minutes) steps.push_back({it->minute + max_gap_minutes, 0});  // a gap: rest
  }
  return steps;
}

ExerciseGainFit fit_exercise_gain(const MealResponseModel& model, const GlucoseHistory& history, double rest_bpm,
                                  double from_minute, double to_minute, const ExerciseWindowSettings& settings) {
  validate_glucose_history(history);
  const auto windows = exercise_windows(history, rest_bpm, from_minute, to_minute, to_minute, settings);
  if (windows.empty()) throw Error("exercise response: no bout of exercise with CGM readings before and after it");
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
  const auto windows = exercise_windows(history, rest_bpm, from_minute, to_minute, INFINITY, settings);
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

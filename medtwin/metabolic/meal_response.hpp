// A person's glucose response to meals, calibrated from CGM and a meal log
// alone. The glucose and insulin-action equations of the oral minimal model
// (Dalla Man, Caumo & Cobelli 2002, IEEE Trans Biomed Eng 49:419–429), with
// the plasma insulin it takes as input replaced by a first-order response to
// glucose above basal (daily life measures no insulin), and each meal's rate
// of glucose appearance a gamma(2) curve (the gut of Hovorka et al. 2004,
// Physiol Meas 25:905–920):
//   dG/dt = −SG·(G − Gb) − X·G + Ra(t)
//   dX/dt = −p2·X + p2·SR·max(G − Gb, 0)
//   Ra(t) = A·Σ_m carbs_m·(t − t_m)/τ²·exp(−(t − t_m)/τ)
// G glucose (mg/dL); X insulin action (1/min); Gb basal glucose (mg/dL, the
// median pre-meal reading); SG glucose effectiveness (1/min); SR insulin action
// per mg/dL above basal at steady state (1/min per mg/dL: insulin sensitivity
// times the β-cell response); τ time of peak absorption (min); A the rise one
// gram would cause if nothing removed glucose (mg/dL per g: f/V of the paper);
// p2 fixed at 0.02/min (the order MINMOD finds: 0.021 for the Pacini & Bergman
// subject, docs/models/minimal_model.md). Pure; card docs/models/meal_response.md.
#pragma once

#include <array>
#include <cstdint>

#include <Eigen/Dense>
#include <span>
#include <vector>

#include "medtwin/metabolic/glucose_forecast.hpp"
#include "medtwin/metabolic/t1d_simulation.hpp"

namespace medtwin::metabolic {

// A meal this long before a window adds nothing more to it (minutes).
inline constexpr double kMealWindowMemoryMinutes = 6 * 60;

struct MealResponseModel {
  double gb = 0;    // mg/dL
  double sg = 0;    // 1/min
  double sr = 0;    // 1/min per mg/dL
  double tau = 0;   // min
  double gain = 0;  // mg/dL per g
  static constexpr double p2 = 0.02;  // 1/min
};

// Exercise as heart rate above rest, for the what-if (not fitted with the meal
// response: its post-meal windows cannot determine it; a person's gain on
// these terms is fitted on their bouts of exercise, exercise_response.hpp). The heart-rate
// terms of Breton 2008 (J Diabetes Sci Technol 2:169–174) in the form and with
// the default values of Deichmann et al. 2021 (Front Endocrinol, "Simulation-based
// evaluation of treatment adjustment to exercise in type 1 diabetes"),
// added to the model above:
//   dG/dt += −β·Y·G − α·H·Z·(X + Xb)·G
//   dY/dt = (ΔHR(t) − Y)/τHR        heart rate above rest, as the body follows it
//   dZ/dt = f(Y) − (f(Y) + 1/τZ)·Z   f(Y) = (Y/(a·HRrest))ⁿ / (1 + (Y/(a·HRrest))ⁿ)
//   dH/dt = ΔHR(t)                  the heart beats exercise has added so far
// β·Y·G is the uptake of working muscle, which needs no insulin; the α term is
// insulin action raised for hours after (Z, decaying over τZ), in proportion
// to how much exercise was done (H). Xb is the basal insulin action of
// Deichmann's default patient (Ib·p3/p2), which the meal model folds into SG.
struct ExerciseResponse {
  double rest_bpm = 80;          // HRrest; Deichmann's default HRb
  double beta = 3.39e-4;         // 1/min per bpm
  double alpha = 2.59e-4;        // 1/bpm per min of H
  double tau_hr = 5;             // min
  double tau_z = 600;            // min
  double a = 0.1, n = 4;         // Y at half the switch: a·HRrest
  double basal_action = 10 * 6.913e-6 / 0.0155;  // Xb = Ib·p3/p2, 1/min

  // β and α times `gain`: a person's own response (exercise_response.hpp).
  ExerciseResponse scaled(double gain) const;
};

// ΔHR(t), heart rate above rest, as a step function: `rise_bpm` from `minute`
// until the next step (0 before the first).
struct HeartRateStep {
  double minute = 0;
  double rise_bpm = 0;
};

struct Exercise {
  std::vector<HeartRateStep> rise;  // sorted by minute
  ExerciseResponse response;
};

// A bout of exercise: its start (minutes), length and heart rate above rest.
struct ExerciseBout {
  double start_minute = 0;
  double minutes = 0;
  double heart_rate_rise_bpm = 0;
};

// The step function of the bouts (where they overlap, the largest rise).
std::vector<HeartRateStep> heart_rate_steps(std::span<const ExerciseBout> bouts);

// Glucose every `step_minutes` (≥ 1) from `from_minute` (where it is `g0`,
// insulin action at rest, no exercise under way) to `to_minute` (at most 366
// days on), after the meals in the list (earlier ones still being absorbed
// included) and the exercise bouts.
std::vector<GlucoseReading> simulate_meal_response(const MealResponseModel& model, double g0, double from_minute,
                                                   double to_minute, std::span<const MealIntake> meals,
                                                   double step_minutes = 5, const Exercise& exercise = {});

// Glucose at each of `times` (increasing, after `from_minute`) from `g0`, insulin
// action at rest and no exercise under way at `from_minute`, after the meals
// (sorted by time) and the exercise.
std::vector<double> meal_response_at(const MealResponseModel& model, double g0, double from_minute,
                                     std::span<const MealIntake> meals, std::span<const double> times,
                                     const Exercise& exercise = {});

struct MealWindowSettings {
  double window_minutes = 180;   // after each meal
  double max_pre_meal_age = 20;  // the last reading before the meal must be this recent
  // Pull of the log-normal prior on SG, SR, τ, A towards typical values, as
  // mg/dL of residual per log unit: 10 keeps what CGM alone cannot tell (often
  // SG against SR) plausible; 0 is plain least squares.
  double prior_weight = 10;
};

struct MealResponseFit {
  MealResponseModel model;
  // SG, SR, τ, A: 100·SE/estimate from the readings alone (without the prior);
  // NaN when the readings do not determine a parameter.
  std::array<double, 4> cv_percent{};
  double rmse = 0;                     // mg/dL over the fitted post-meal readings
  // 10th and 90th percentiles of reading − model over the fitted readings:
  // added to a prediction, its 80 % interval.
  double residual_low = 0, residual_high = 0;
  int meals = 0, readings = 0;
  // Posterior covariance of log SG, SR, τ, A (data and prior), for sampling.
  Eigen::Matrix4d log_covariance = Eigen::Matrix4d::Zero();
};

// `count` parameter sets drawn from the fit's posterior (log-normal, with the
// covariance above; Gb and p2 as fitted), reproducibly from `seed`: a virtual
// cohort around the person.
std::vector<MealResponseModel> sample_meal_responses(const MealResponseFit& fit, int count, std::uint32_t seed);

// Least squares over the post-meal windows of the meals before `fit_until_minute`
// (with their readings before it), each started from its last pre-meal
// reading. Throws Error on a bad history or settings, with fewer than 5 usable
// meals, or when the fit does not converge.
MealResponseFit fit_meal_response(const GlucoseHistory& history, double fit_until_minute,
                                  const MealWindowSettings& settings = {});

// Post-meal prediction from the meals alone over the meals in [from, to):
// each window started from its pre-meal reading, against "the pre-meal
// reading stays" (the naive baseline).
struct MealPredictionErrors {
  int meals = 0, readings = 0;
  double rmse = 0, flat_rmse = 0;
  double mae = 0, flat_mae = 0;
  double interval_coverage = 0;  // share of readings inside the fit's 80 % interval
};
MealPredictionErrors predict_meal_windows(const MealResponseFit& fit, const GlucoseHistory& history,
                                          double from_minute, double to_minute,
                                          const MealWindowSettings& settings = {});

}  // namespace medtwin::metabolic

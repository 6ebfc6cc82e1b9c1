// The glucose forecasts on CGMacros (../shared/data/cgm/cgmacros): every
// participant's readings and meal log imported as `medtwin import` would, then
// a rolling-origin backtest (refitted every day from day 3 on) at 30 and 60 min
// against persistence, pooled over participants; and the alerts it would give.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "cli_support.hpp"
#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/core/stats.hpp"
#include "medtwin/io/cgmacros.hpp"
#include "medtwin/metabolic/exercise_response.hpp"
#include "medtwin/metabolic/meal_response.hpp"
#include "medtwin/twin/glucose_history.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;
using metabolic::ForecastBacktest;

constexpr int kFirstTestDay = 3;

std::vector<fs::path> participant_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(testing::shared_data("cgm/cgmacros/cgm"))) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

metabolic::GlucoseHistory history_of(const fs::path& file, const std::string& sensor) {
  ImportOptions options;
  options.time_zone = "UTC";
  CollectingSink sink;
  make_cgmacros_importer()->read(file, options, sink);
  return glucose_history_from_records(sink.observations, sink.events, sensor, "UTC").history;
}

struct Pooled {
  metabolic::ForecastErrors errors;
  metabolic::GlucoseAlertScore high, low;
};

Pooled backtest_all(const std::string& sensor, double horizon) {
  std::vector<ForecastBacktest> runs;
  Pooled pooled;
  metabolic::ForecastSettings settings;
  settings.horizon_minutes = horizon;
  for (const auto& file : participant_files()) {
    auto history = history_of(file, sensor);
    if (history.cgm.size() < 300) continue;
    runs.push_back(metabolic::backtest_glucose_forecasts(history, kFirstTestDay, settings));
    for (auto [score, total] : {std::pair{&runs.back().high_alerts, &pooled.high}, {&runs.back().low_alerts, &pooled.low}}) {
      total->alerts += score->alerts;
      total->true_alerts += score->true_alerts;
      total->crossings += score->crossings;
      total->warned += score->warned;
    }
    fmt::print("{} {} {:.0f} min: rmse {:.2f} persistence {:.2f}\n", file.filename().string(), sensor, horizon,
               runs.back().errors.rmse, runs.back().errors.persistence_rmse);
  }
  pooled.errors = metabolic::pooled_errors(runs);
  const auto& e = pooled.errors;
  fmt::print("{} {:.0f} min, {} forecasts: RMSE {:.2f} (persistence {:.2f}, {:+.1f} %), MAE {:.2f} ({:.2f}), "
             "80 % interval coverage {:.1f} %\n",
             sensor, horizon, e.forecasts, e.rmse, e.persistence_rmse, 100 * (e.rmse / e.persistence_rmse - 1), e.mae,
             e.persistence_mae, 100 * e.interval_coverage);
  for (auto [name, s] : {std::pair{"high", &pooled.high}, {"low", &pooled.low}})
    fmt::print("  {} alerts: {} alerts, precision {:.2f}, recall {:.2f} ({} crossings)\n", name, s->alerts,
               s->precision(), s->recall(), s->crossings);
  return pooled;
}

TEST(GlucoseForecastCgmacros, LibreThirtyAndSixtyMinutes) {
  auto thirty = backtest_all("Libre Pro", 30);
  auto sixty = backtest_all("Libre Pro", 60);
  EXPECT_GT(thirty.errors.forecasts, 15000);
  EXPECT_NEAR(thirty.errors.interval_coverage, 0.8, 0.03);
  EXPECT_LT(thirty.errors.rmse, 0.8 * thirty.errors.persistence_rmse);
  EXPECT_LT(sixty.errors.rmse, sixty.errors.persistence_rmse);
}

// The 20 % is met on the Libre set it was stated for; on the Dexcom
// readings the gain is 17.7 % (RMSE 17.3 vs 21.0): pinned here, reported as a miss.
TEST(GlucoseForecastCgmacros, DexcomThirtyMinutes) {
  auto thirty = backtest_all("Dexcom G6", 30);
  EXPECT_LT(thirty.errors.rmse, 0.83 * thirty.errors.persistence_rmse);
}

// Calibrated on each participant's first days, the meal response predicts the
// post-meal curves of the later days from the meals alone.
// The meal response fitted before `split`, or none (said) when it cannot be.
std::optional<metabolic::MealResponseFit> meal_response_before(const metabolic::GlucoseHistory& history, double split,
                                                               const fs::path& file) {
  try {
    return metabolic::fit_meal_response(history, split);
  } catch (const Error& e) {
    fmt::print("{}: {}\n", file.filename().string(), e.what());
    return std::nullopt;
  }
}

TEST(GlucoseForecastCgmacros, MealResponsePredictsLaterMeals) {
  for (std::string sensor : {"Libre Pro", "Dexcom G6"}) {
    double se = 0, flat_se = 0, covered = 0;
    int readings = 0, meals = 0, fitted = 0;
    for (const auto& file : participant_files()) {
      auto history = history_of(file, sensor);
      if (history.cgm.size() < 300) continue;
      double day0 = std::floor(history.cgm.front().minute / 1440) * 1440, split = day0 + kFirstTestDay * 1440;
      const auto fit = meal_response_before(history, split, file);
      if (!fit) continue;
      ++fitted;
      auto e = metabolic::predict_meal_windows(*fit, history, split, INFINITY);
      fmt::print("{} {}: SG {:.4f} SR {:.2e} tau {:.0f} A {:.2f} Gb {:.0f}, fit {:.1f}; later {} meals rmse {:.1f} flat {:.1f}\n",
                 file.filename().string(), sensor, fit->model.sg, fit->model.sr, fit->model.tau, fit->model.gain,
                 fit->model.gb, fit->rmse, e.meals, e.rmse, e.flat_rmse);
      se += e.rmse * e.rmse * e.readings, flat_se += e.flat_rmse * e.flat_rmse * e.readings;
      readings += e.readings, meals += e.meals;
      covered += e.interval_coverage * e.readings;
    }
    double rmse = std::sqrt(se / readings), flat = std::sqrt(flat_se / readings);
    fmt::print("{}: {} participants fitted, {} later meals, post-meal RMSE {:.1f} mg/dL vs flat {:.1f}, 80 % interval "
               "holds {:.1f} %\n",
               sensor, fitted, meals, rmse, flat, 100 * covered / readings);
    EXPECT_EQ(fitted, 25);
    EXPECT_LT(rmse, 0.8 * flat);  // Libre 31.9 vs 41.7, Dexcom 37.7 vs 48.2 mg/dL
    EXPECT_GT(covered / readings, 0.7);  // nominal 80 %: 71.4 % (Libre), 73.6 % (Dexcom) on later days
  }
}

// Breton's exercise terms on the participants' own Fitbit heart rate: the gain
// fitted on the bouts of days 0–2 (with the meal response fitted there too)
// predicts the glucose of the later bouts, against the meal response alone
// (gain 0) and the literature's values (gain 1). A participant with fewer
// than 5 bouts on days 0–2 gets the literature's values, as the what-if does.
TEST(GlucoseForecastCgmacros, ExerciseGainPredictsLaterBouts) {
  for (std::string sensor : {"Libre Pro", "Dexcom G6"}) {
    double se = 0, without_se = 0, literature_se = 0;
    int readings = 0, bouts = 0, participants = 0;
    std::vector<double> gains;
    for (const auto& file : participant_files()) {
      auto history = history_of(file, sensor);
      if (history.cgm.size() < 300) continue;
      double day0 = std::floor(history.cgm.front().minute / 1440) * 1440, split = day0 + kFirstTestDay * 1440;
      const auto rest = metabolic::resting_heart_rate(history, -INFINITY, split);
      if (!rest) continue;
      const auto fit = meal_response_before(history, split, file);
      if (!fit) continue;
      ++participants;
      const auto gain = metabolic::fit_exercise_gain(fit->model, history, *rest, -INFINITY, split);
      if (gain) gains.push_back(gain->gain);
      const auto e = metabolic::predict_exercise_windows(fit->model, history, *rest, gain ? gain->gain : 1, split, INFINITY);
      fmt::print("{} {}: rest {:.0f}, gain {} on {} bouts; later {} bouts rmse {:.1f}, without {:.1f}, literature {:.1f}\n",
                 file.filename().string(), sensor, *rest,
                 gain ? fmt::format("{:.2f} [{:.2f}, {:.2f}]", gain->gain, gain->gain_low, gain->gain_high) : "unfitted",
                 gain ? gain->bouts : 0, e.bouts, e.rmse, e.rmse_without, e.rmse_literature);
      se += e.rmse * e.rmse * e.readings, without_se += e.rmse_without * e.rmse_without * e.readings;
      literature_se += e.rmse_literature * e.rmse_literature * e.readings;
      readings += e.readings, bouts += e.bouts;
    }
    const double rmse = std::sqrt(se / readings), without = std::sqrt(without_se / readings),
                 literature = std::sqrt(literature_se / readings);
    fmt::print("{}: {} participants, {} with a gain (median {:.2f}), {} later bouts: RMSE {:.1f} mg/dL as the what-if "
               "counts exercise, {:.1f} without exercise, {:.1f} at the literature's values\n",
               sensor, participants, gains.size(), *median(gains), bouts, rmse, without, literature);
    // Libre: 24 gains, median 0.00; 599 later bouts: 29.1 as the what-if, 28.7 without, 64.4 literature.
    // Dexcom: 24 gains, median 0.01; 572 later bouts: 33.2, 33.0, 78.8 mg/dL.
    EXPECT_EQ(participants, 25);
    EXPECT_GE(gains.size(), 20u);
    EXPECT_LT(*median(gains), 0.1);                 // everyday exercise barely moves these participants' glucose
    EXPECT_GT(literature, 1.5 * without);           // Breton's values (type 1 diabetes) overstate it
    EXPECT_LT(std::abs(rmse / without - 1), 0.05);  // counting it as the person's own record says costs nothing
  }
}

}  // namespace
}  // namespace medtwin

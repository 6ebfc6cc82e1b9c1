// Cost of a person's glucose twin on CGMacros-002 (../shared/data/cgm/cgmacros,
// Dexcom G6, 5-minute readings; 37 meals logged over two weeks, 34 with a
// pre-meal reading): calibrating the meal
// response (medtwin/metabolic/meal_response.hpp) on the first N days, the
// exercise gain on their bouts (exercise_response.hpp), fitting a 30-minute
// forecaster (glucose_forecast.hpp) on them, and the whole rolling backtest. Target (issue 6): calibration from two weeks of CGM in < 10 s.
// Run: build/bench/glucose_twin_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cmath>
#include <string>

#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/io/cgmacros.hpp"
#include "medtwin/metabolic/exercise_response.hpp"
#include "medtwin/metabolic/meal_response.hpp"
#include "medtwin/twin/glucose_history.hpp"

namespace medtwin::metabolic {
namespace {

const GlucoseHistory& participant() {
  static const GlucoseHistory history = [] {
    ImportOptions options;
    options.time_zone = "UTC";
    CollectingSink sink;
    make_cgmacros_importer()->read(std::string(MEDTWIN_SHARED_DATA) + "/cgm/cgmacros/cgm/CGMacros-002.csv", options, sink);
    return glucose_history_from_records(sink.observations, sink.events, "Dexcom G6", "UTC").history;
  }();
  return history;
}

double after_days(int days) { return participant().cgm.front().minute + days * 1440.0; }

void CalibrateMealResponse(benchmark::State& state) {
  const int days = static_cast<int>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(fit_meal_response(participant(), after_days(days)).model.gain);
  state.counters["meals"] = fit_meal_response(participant(), after_days(days)).meals;
}
BENCHMARK(CalibrateMealResponse)->Arg(3)->Arg(7)->Arg(14)->Unit(benchmark::kMillisecond);

void CalibrateExerciseGain(benchmark::State& state) {
  const double until = after_days(static_cast<int>(state.range(0)));
  const auto model = fit_meal_response(participant(), until).model;
  const double rest = *resting_heart_rate(participant(), -INFINITY, until);
  const auto fit = fit_exercise_gain(model, participant(), rest, -INFINITY, until);
  if (!fit) return state.SkipWithError("too few bouts");
  for (auto _ : state) benchmark::DoNotOptimize(fit_exercise_gain(model, participant(), rest, -INFINITY, until));
  state.counters["bouts"] = fit->bouts;
}
BENCHMARK(CalibrateExerciseGain)->Arg(3)->Arg(7)->Arg(14)->Unit(benchmark::kMillisecond);

void FitForecaster(benchmark::State& state) {
  const int days = static_cast<int>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(fit_glucose_forecaster(participant(), after_days(days)).samples);
}
BENCHMARK(FitForecaster)->Arg(3)->Arg(7)->Arg(14)->Unit(benchmark::kMillisecond);

void RollingBacktest(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(backtest_glucose_forecasts(participant(), 3).errors.rmse);
}
BENCHMARK(RollingBacktest)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace medtwin::metabolic

BENCHMARK_MAIN();

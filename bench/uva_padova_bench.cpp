// Cost of the UVA/Padova simulator (medtwin/metabolic/uva_padova.hpp): all 30
// simglucose virtual patients through one day (1440 one-minute steps, the
// three meals of glucose/MANIFEST.txt, each with its carbohydrate bolus
// CHO/CR — the reference's correction term left out) on one core.
// Target: < 50 ms; simglucose takes 46 s for the same on this kind of machine
// (glucose/reference/timings.json), so the counter sim_ratio reports how many
// times faster. Counters: ms per 30 patient-days, RHS evaluations per minute.
// All30FullEnvironmentDays adds a Dexcom sensor, an Insulet pump and the
// basal-bolus controller for each patient (simglucose's full environment:
// 56.8 s for the 30 patient-days, full_env_30x1day_serial_s).
// Run: build/bench/uva_padova_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "medtwin/metabolic/closed_loop.hpp"
#include "medtwin/metabolic/uva_padova.hpp"
#include "medtwin/twin/virtual_patients.hpp"

namespace medtwin::metabolic {
namespace {

constexpr double kSimglucoseSeconds = 46.36;         // patient_loop_30x1day_s of timings.json
constexpr double kSimglucoseFullEnvSeconds = 56.79;  // full_env_30x1day_serial_s

std::vector<std::pair<UvaPadovaParams, double>> cohort() {  // parameters and carb ratio
  std::vector<std::pair<UvaPadovaParams, double>> out;
  for (const VirtualPatient& p : load_virtual_patients(std::string(MEDTWIN_DATA_DIR) + "/simglucose"))
    out.emplace_back(p.params, p.carb_ratio_g_per_u);
  return out;
}

void All30PatientDays(benchmark::State& state) {
  const auto patients = cohort();
  long evaluations = 0;
  for (auto _ : state) {
    for (const auto& [params, cr] : patients) {
      UvaPadovaPatient patient(params);
      const double basal = basal_insulin_u_per_min(params);
      for (int t = 0; t < 1440; ++t) {
        const double cho = t == 420 ? 50 : t == 720 ? 70 : t == 1140 ? 80 : 0;
        patient.step(cho, basal + cho / cr);
      }
      evaluations += patient.rhs_evaluations();
      benchmark::DoNotOptimize(patient.glucose_mg_dl());
    }
  }
  const double runs = static_cast<double>(state.iterations());
  state.counters["rhs_per_minute"] = static_cast<double>(evaluations) / (runs * 30 * 1440);
  state.counters["sim_ratio"] = benchmark::Counter(runs * kSimglucoseSeconds, benchmark::Counter::kIsRate);
}

BENCHMARK(All30PatientDays)->Unit(benchmark::kMillisecond);

void All30FullEnvironmentDays(benchmark::State& state) {
  const std::string tables = std::string(MEDTWIN_DATA_DIR) + "/simglucose";
  const auto patients = load_virtual_patients(tables);
  ClosedLoopSetup setup;
  setup.sensor = load_cgm_sensor(tables, "Dexcom");
  setup.sensor_seed = 1;
  setup.pump = load_insulin_pump(tables, "Insulet");
  const std::vector<MealEvent> meals = {{420, 50}, {720, 70}, {1140, 80}};
  for (auto _ : state)
    for (const VirtualPatient& p : patients) {
      setup.controller.basal_u_per_min = basal_insulin_u_per_min(p.params);
      setup.controller.rule = MealBolusRule{p.carb_ratio_g_per_u, p.correction_factor_mg_dl_per_u};
      benchmark::DoNotOptimize(simulate_closed_loop(p.params, setup, meals, 1440).periods.back().cgm_mg_dl);
    }
  state.counters["sim_ratio"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kSimglucoseFullEnvSeconds, benchmark::Counter::kIsRate);
}

BENCHMARK(All30FullEnvironmentDays)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace medtwin::metabolic

BENCHMARK_MAIN();

// Cost of the ORd-CiPA myocyte model (medtwin/cardio/ord_pacing.hpp): beats
// per second of one cell paced at 1 Hz, with the explicit Rush–Larsen
// integrator (target: 1000 beats in < 2 s on one core, 500× real time) and
// with the CVODE reference; plus the right-hand side alone, with the exact
// voltage functions and with the lookup table, and the cost of building the table. Counters:
// ms_per_beat, steps_per_beat, real_time_factor (simulated s / wall s).
// Each beat starts from the state the previous one left, as in pacing.
// OrdStrandBeat: one 1 s beat of the transmural strand (ord_strand.hpp) of
// 55, 165 (the default 1.65 cm) and 330 cells (target: < 1 s for 1 s of
// activity on one core); cost grows faster than the cell count, as cells ×
// steps, and the wave front holds the step at dt_min for longer on a longer strand.
// Run: build/bench/ord_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include "medtwin/cardio/ord_model.hpp"
#include "medtwin/cardio/ord_pacing.hpp"
#include "medtwin/cardio/ord_strand.hpp"

namespace medtwin::cardio {
namespace {

constexpr PacingProtocol kOneHz{1000, -80, 0.5};  // O'Hara 2011 stimulus

OrdParams params_for(int variant) {
  return variant == 0 ? ord_cipa_params(CellType::endo) : ord2011_params(CellType::endo);
}

void run_beats(benchmark::State& state, const OrdIntegration& integration) {
  const OrdParams params = params_for(static_cast<int>(state.range(0)));
  OrdState y = ord_initial_state(params);
  OrdPacer pacer(params, kOneHz, integration);
  for (int k = 0; k < 20; ++k) pacer.beat(y);  // past the first, atypical beats
  long steps = 0;
  for (auto _ : state) {
    const BeatMetrics m = pacer.beat(y);
    steps += m.steps;
    benchmark::DoNotOptimize(m.apd90);
  }
  const double beats = static_cast<double>(state.iterations());
  state.counters["steps_per_beat"] = static_cast<double>(steps) / beats;
  state.counters["beats_per_s"] = benchmark::Counter(beats, benchmark::Counter::kIsRate);
  state.counters["real_time_factor"] = benchmark::Counter(beats * kOneHz.cycle_length / 1000, benchmark::Counter::kIsRate);
  state.SetLabel(state.range(0) == 0 ? "ORd-CiPA endo" : "ORd 2011 endo");
}

void OrdBeatRushLarsen(benchmark::State& state) { run_beats(state, RushLarsenOptions{}); }
void OrdBeatRushLarsenExact(benchmark::State& state) {
  RushLarsenOptions exact;
  exact.voltage_lookup_table = false;
  run_beats(state, exact);
}
void OrdBeatCvode(benchmark::State& state) { run_beats(state, CvodeReference{}); }

void rhs(benchmark::State& state, VoltageFunctions functions) {
  const OrdParams params = params_for(static_cast<int>(state.range(0)));
  const OrdModel model(params, functions);
  const OrdState y = ord_initial_state(params);
  OrdState dydt{}, tau{};
  for (auto _ : state) {
    model.rhs(y, 0, dydt, tau);
    benchmark::DoNotOptimize(dydt);
  }
}

void OrdRhs(benchmark::State& state) { rhs(state, VoltageFunctions::exact); }
void OrdRhsTable(benchmark::State& state) { rhs(state, VoltageFunctions::lookup_table); }

// Building the voltage lookup table (once per OrdPacer with Rush–Larsen).
void OrdModelWithTable(benchmark::State& state) {
  const OrdParams params = params_for(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    const OrdModel model(params, VoltageFunctions::lookup_table);
    benchmark::DoNotOptimize(&model);
  }
}

void OrdStrandBeat(benchmark::State& state) {
  StrandGeometry g;
  const int scale = static_cast<int>(state.range(0));  // cells per 55
  g.endo_cells = 20 * scale, g.mid_cells = 15 * scale, g.epi_cells = 20 * scale;
  OrdStrand strand(strand_cells(ord_cipa_params(CellType::endo)), g, {1000, -80, 1});
  strand.beat();  // past the first beat from rest
  long steps = 0;
  for (auto _ : state) steps += strand.beat().steps;
  state.counters["cells"] = g.cell_count();
  state.counters["steps_per_beat"] = static_cast<double>(steps) / static_cast<double>(state.iterations());
  state.counters["real_time_factor"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

BENCHMARK(OrdBeatRushLarsen)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(OrdBeatRushLarsenExact)->Arg(0)->Unit(benchmark::kMillisecond);
BENCHMARK(OrdBeatCvode)->Arg(0)->Unit(benchmark::kMillisecond);
BENCHMARK(OrdRhs)->Arg(0)->Arg(1)->Unit(benchmark::kNanosecond);
BENCHMARK(OrdRhsTable)->Arg(0)->Arg(1)->Unit(benchmark::kNanosecond);
BENCHMARK(OrdModelWithTable)->Arg(0)->Unit(benchmark::kMillisecond);
BENCHMARK(OrdStrandBeat)->Arg(1)->Arg(3)->Arg(6)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace medtwin::cardio

BENCHMARK_MAIN();

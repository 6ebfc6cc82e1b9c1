// Cost of the spherical tumour twin (medtwin/onco): one year of growth on the
// default grid (75 mm in 0.25-mm shells, 0.25-day steps), the same under the
// Stupp schedule (standard radiotherapy + temozolomide), how the year scales
// with the number of shells, and a calibration from two visits.
// Targets (issue 7): 1D spherical under 10 ms; a full calibration under 2 min.
// Run: build/bench/tumour_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cmath>

#include "medtwin/onco/radius_calibration.hpp"
#include "medtwin/twin/synthetic_tumour.hpp"

namespace medtwin::onco {
namespace {

const PiParams kHigh{0.2, 0.1, 1e5};  // Rockne's "high" virtual patient

std::vector<double> year() {
  std::vector<double> days;
  for (int d = 0; d <= 365; ++d) days.push_back(d);
  return days;
}

void SphericalYear(benchmark::State& state) {
  SphericalGrid grid;
  grid.shell_mm = grid.domain_radius_mm / static_cast<double>(state.range(0));
  const auto start = tumour_with_t2_radius(kHigh, 20, {}, grid);
  const auto days = year();
  for (auto _ : state) {
    auto tumour = start;
    benchmark::DoNotOptimize(run_spherical(tumour, kHigh, 0, days, {}, {grid.max_step_days, {}}).back().cells);
  }
  state.counters["shells"] = static_cast<double>(state.range(0));
}
BENCHMARK(SphericalYear)->Arg(150)->Arg(300)->Arg(600)->Arg(1200)->Unit(benchmark::kMillisecond);

void SphericalYearStupp(benchmark::State& state) {
  const SphericalGrid grid;
  const auto start = tumour_with_t2_radius(kHigh, 20, {}, grid);
  Treatment stupp;
  stupp.radiotherapy = RadiotherapyCourse{standard_radiotherapy(), 7, {0.09, 10}, {}};
  Chemotherapy chemo;
  chemo.drugs = {{temozolomide(), stupp_temozolomide(7, fraction_days(standard_radiotherapy(), 7).back(), 1.8)}};
  chemo.max_kill_per_day = 5;
  chemo.resistant_share = 0.01;
  stupp.chemotherapy = chemo;
  const auto days = year();
  for (auto _ : state) {
    auto tumour = start;
    benchmark::DoNotOptimize(run_spherical(tumour, kHigh, 0, days, stupp, {grid.max_step_days, {}}).back().cells);
  }
}
BENCHMARK(SphericalYearStupp)->Unit(benchmark::kMillisecond);

void CalibrateTwoVisits(benchmark::State& state) {
  SyntheticTumourSpec spec;
  spec.truth = state.range(0) == 0 ? kHigh : PiParams{0.04, 0.02, 1e5};
  spec.first_t2_radius_mm = 30;
  const auto visits = synthetic_radii(spec);
  for (auto _ : state) benchmark::DoNotOptimize(calibrate_from_radii(visits, {}).params.diffusion_mm2_per_day);
  state.SetLabel(state.range(0) == 0 ? "high D, rho (age 144 d)" : "low D, rho (age 722 d)");
}
BENCHMARK(CalibrateTwoVisits)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace medtwin::onco

BENCHMARK_MAIN();

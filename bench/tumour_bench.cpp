// Cost of the spherical tumour twin (medtwin/onco): one year of growth on the
// default grid (75 mm in 0.25-mm shells, 0.25-day steps), the same under the
// Stupp schedule (standard radiotherapy + temozolomide), how the year scales
// with the number of shells, and a calibration from two visits.
// The 3D solver on an ellipsoidal brain (semi-axes 70, 85, 60 mm: 1.5 million
// voxels at 1 mm) with white (D 0.2) and grey (0.04) matter in alternating
// 8-mm slabs, one year in 1- or 2-day steps, by voxel size and threads.
// The 3D twin: one plan (standard radiotherapy, with its untreated 3D control)
// on a synthetic patient's masks, by simulation voxel size. The cellularity
// fit (D and k per voxel) on a ball of tissue, by the ball's radius.
// Targets (issue 7): 1D spherical under 10 ms; 3D one year at 1 mm under 10 s
// on 2 cores; a full calibration under 2 min.
// Run: build/bench/tumour_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <array>
#include <cmath>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "medtwin/onco/cellularity.hpp"
#include "medtwin/onco/grid_course.hpp"
#include "medtwin/onco/grid_pi.hpp"
#include "medtwin/onco/radius_calibration.hpp"
#include "medtwin/twin/synthetic_tumour.hpp"
#include "medtwin/twin/tumour_grid.hpp"

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

TissueGrid brain(double h) {
  TissueGrid g;
  const std::array<double, 3> semi{70, 85, 60};
  for (std::size_t a = 0; a < 3; ++a) g.size[a] = static_cast<std::size_t>(std::ceil(2 * semi[a] / h)) + 2;
  g.spacing_mm = {h, h, h};
  g.diffusion.assign(g.voxels(), 0.0f);
  for (std::size_t k = 0; k < g.size[2]; ++k)
    for (std::size_t j = 0; j < g.size[1]; ++j)
      for (std::size_t i = 0; i < g.size[0]; ++i) {
        const double x = (i + 0.5) * h - h - semi[0], y = (j + 0.5) * h - h - semi[1], z = (k + 0.5) * h - h - semi[2];
        if ((x / semi[0]) * (x / semi[0]) + (y / semi[1]) * (y / semi[1]) + (z / semi[2]) * (z / semi[2]) > 1) continue;
        g.diffusion[g.index(i, j, k)] = static_cast<int>(std::floor(z / 8)) % 2 == 0 ? 0.2f : 0.04f;
      }
  return g;
}

void GridYear(benchmark::State& state) {
  const double h = static_cast<double>(state.range(0)) / 10;
  const auto grid = brain(h);
  std::size_t inside = 0;
  for (float d : grid.diffusion) inside += d > 0;
  GridTumour start{std::vector<double>(grid.voxels(), 0), {}};
  start.density[grid.index(grid.size[0] / 2, grid.size[1] / 2, grid.size[2] / 2)] = 0.5e5;
  for (auto _ : state) {
    auto tumour = start;
    grow(tumour, grid, kHigh, 365, static_cast<double>(state.range(2)), static_cast<int>(state.range(1)));
    benchmark::DoNotOptimize(tumour.density.data());
  }
  state.counters["brain_voxels"] = static_cast<double>(inside);
  state.counters["threads"] = static_cast<double>(state.range(1));
  state.counters["step_days"] = static_cast<double>(state.range(2));
}
// Args: voxel size (0.1 mm), threads, step (days). 2-day steps keep the planar
// front within 0.3 % of 2√(Dρ) (grid_pi_test).
BENCHMARK(GridYear)
    ->Args({20, 1, 1})
    ->Args({15, 1, 1})
    ->Args({10, 1, 1})
    ->Args({10, 2, 1})
    ->Args({10, 2, 2})
    ->Unit(benchmark::kSecond)
    ->Iterations(1);

// A synthetic patient (2-mm masks) calibrated in 1D, kept for all runs.
const TumourTwin& synthetic_twin() {
  static const TumourTwin twin = [] {
    const auto folder = std::filesystem::temp_directory_path() / "medtwin_tumour_bench";
    write_synthetic_tumour({}, folder);
    std::ifstream in(folder / "timeline.json");
    std::stringstream text;
    text << in.rdbuf();
    return calibrate_tumour_twin(parse_tumour_timeline(text.str(), "timeline.json"), folder);
  }();
  return twin;
}

void GridTwinPlan(benchmark::State& state) {
  std::ifstream in(std::string(MEDTWIN_DATA_DIR) + "/samples/tumour/standard_rt.json");
  std::stringstream text;
  text << in.rdbuf();
  const auto plan = parse_tumour_plan(text.str(), "standard_rt.json");
  const GridOptions options{static_cast<double>(state.range(0)), 1, 2, 0.2};
  const auto& patient = synthetic_twin();  // made before the clock starts
  std::size_t voxels = 0;
  for (auto _ : state) {
    GridTwin twin(patient, options);  // the control is run anew
    voxels = twin.grid().brain_voxels();
    benchmark::DoNotOptimize(twin.forecast(plan).forecast.days_gained_median);
  }
  state.counters["brain_voxels"] = static_cast<double>(voxels);
}
// Args: voxel size (mm: the 2-mm masks merged in blocks of 3, 2, 1); 2 threads,
// 1-day steps, about 420 simulated days twice.
BENCHMARK(GridTwinPlan)->Arg(6)->Arg(4)->Arg(2)->Unit(benchmark::kSecond)->Iterations(1);

// The unit test's truth (cellularity_test.cpp) on a ball of `radius` voxels.
void CellularityFitBall(benchmark::State& state) {
  const double radius = static_cast<double>(state.range(0));
  const auto n = static_cast<std::size_t>(2 * radius + 3);
  const double centre = (static_cast<double>(n) - 1) / 2;
  TissueGrid domain;
  domain.size = {n, n, n};
  domain.diffusion.assign(domain.voxels(), 0.0f);
  auto truth = domain;
  truth.proliferation_per_day.assign(domain.voxels(), 0.0f);
  std::vector<double> start(domain.voxels(), 0);
  for (std::size_t k = 0; k < n; ++k)
    for (std::size_t j = 0; j < n; ++j)
      for (std::size_t i = 0; i < n; ++i) {
        const std::size_t p = domain.index(i, j, k);
        const double r = std::hypot(i - centre, j - centre, k - centre);
        if (r > radius) continue;
        domain.diffusion[p] = 1;
        truth.diffusion[p] = 0.02f;
        truth.proliferation_per_day[p] = static_cast<float>(0.04 + 0.03 * (i - centre) / radius);
        start[p] = 0.6 * std::exp(-std::pow(r / (0.4 * radius), 2));
      }
  GridTumour t{start, {}};
  const GridRun fine{0.1, 1, {}};
  GridCourse course(truth, t, {0.02, 0, 1}, fine);
  std::vector<CellularityMap> maps{{0, start}};
  run_course(course, 0, {15, 30}, {}, [&](std::size_t i) { maps.push_back({15.0 * (i + 1), t.density}); });
  CellularityFitOptions options;
  for (auto _ : state) benchmark::DoNotOptimize(fit_cellularity(domain, maps, options).diffusion.value);
  state.counters["domain_voxels"] = static_cast<double>(std::count(domain.diffusion.begin(), domain.diffusion.end(), 1.0f));
}
BENCHMARK(CellularityFitBall)->Arg(8)->Arg(10)->Arg(13)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
}  // namespace medtwin::onco

BENCHMARK_MAIN();

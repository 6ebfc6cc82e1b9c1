// Cost of the personal baseline twin (docs/models/forecaster.md):
//  - BaselineTwin/two_years: build_baseline_twin — both structural models'
//    rolling-origin backtests plus a 7-day forecast — on one person with two
//    years of steps, sleep hours, resting HR and weight (with gaps). Target < 1 s.
//  - CohortBacktest/*: what `medtwin backtest --all` computes (each person's
//    backtest by both structural models, then the pooled gradient-boosted
//    model's) on the shared Fitabase data, imported once before timing (path:
//    $MEDTWIN_SHARED_DATA, else the MEDTWIN_SHARED_DATA compile definition), and
//    on a synthetic cohort of the same shape, 35 persons × 60 days. Target < 10 s.
//  - OneFeature/N: one feature (steps) as the twin forecasts it, for N days of
//    history, to show how cost grows with history length.
// Run: build/bench/baseline_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "medtwin/baseline/structural_model.hpp"
#include "medtwin/store/open_store.hpp"
#include "medtwin/twin/baseline_twin.hpp"
#include "medtwin/twin/ingest.hpp"
#include "medtwin/twin/personal_days.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;
using baseline::DailyKind;
using baseline::DailySeries;
using std::chrono::local_days;

constexpr local_days first_day{std::chrono::year{2016} / 1 / 4};  // a Monday: index 0 of the weekly pattern

// Draws of one synthetic person; deterministic for a seed.
class Synthetic {
 public:
  explicit Synthetic(unsigned seed) : random_(seed) {}

  // Daily steps: a level that wanders (random walk on the log scale), a weekly
  // pattern (quieter Sundays, busier Saturdays), log-normal day-to-day noise,
  // and ~5% days the tracker was not worn.
  DailySeries steps(int days, double typical) {
    static constexpr double week[7] = {1.0, 1.05, 1.0, 1.05, 0.95, 1.2, 0.75};  // Mon … Sun
    DailySeries s{"steps", "{steps}", DailyKind::total, first_day, {}};
    double log_level = std::log(typical);
    for (int d = 0; d < days; ++d) {
      log_level += normal(0.02);
      s.values.push_back(worn(0.05) ? std::exp(log_level + normal(0.35)) * week[d % 7] : baseline::missing);
    }
    return s;
  }

  // Around `mean` with a weekend shift, normal noise and `missing_share` gaps.
  DailySeries level(const char* name, const char* unit, int days, double mean, double weekend, double sd,
                    double missing_share) {
    DailySeries s{name, unit, DailyKind::level, first_day, {}};
    for (int d = 0; d < days; ++d)
      s.values.push_back(worn(missing_share) ? mean + (d % 7 >= 5 ? weekend : 0) + normal(sd) : baseline::missing);
    return s;
  }

  // Weight: weighed on ~30% of days, a slow trend (−0.3 kg/month), 0.4 kg of
  // day-to-day noise, and a two-month stretch without the scale.
  DailySeries weight(int days) {
    DailySeries s{"weight", "kg", DailyKind::level, first_day, {}};
    for (int d = 0; d < days; ++d) {
      const bool away = d % 365 >= 200 && d % 365 < 260;
      s.values.push_back(!away && worn(0.7) ? 78 - 0.01 * d + normal(0.4) : baseline::missing);
    }
    return s;
  }

  double uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(random_); }

 private:
  double normal(double sd) { return std::normal_distribution<double>(0, sd)(random_); }
  bool worn(double missing_share) { return uniform(0, 1) >= missing_share; }
  std::mt19937_64 random_;
};

PersonDays two_year_person(int days = 730) {
  Synthetic s(1);
  return {"synthetic", {}, {s.steps(days, 8000), s.level("sleep_hours", "h", days, 7.1, 0.6, 0.8, 0.1),
                            s.level("resting_hr", "/min", days, 58, 0, 1.5, 0.08), s.weight(days)}};
}

// Shaped like the Fitabase cohort: 35 persons × 60 days of steps, total
// energy and active minutes; sleep for two persons in three.
std::vector<PersonDays> synthetic_cohort() {
  std::vector<PersonDays> cohort;
  for (unsigned p = 0; p < 35; ++p) {
    Synthetic s(100 + p);
    PersonDays person{"p" + std::to_string(p), {}, {}};
    person.features.push_back(s.steps(60, s.uniform(3000, 13000)));
    auto energy = s.steps(60, s.uniform(1600, 3000));  // same shape: a daily total
    energy.name = "total_energy", energy.unit = "kcal";
    person.features.push_back(energy);
    auto active = s.steps(60, s.uniform(5, 60));
    active.name = "active_minutes", active.unit = "min";
    person.features.push_back(active);
    if (p % 3 != 0) person.features.push_back(s.level("sleep_hours", "h", 60, s.uniform(6, 8), 0.5, 1.0, 0.3));
    cohort.push_back(std::move(person));
  }
  return cohort;
}

// The Fitabase cohort as `medtwin import … --tz America/New_York` stores it,
// read back; nothing when the shared data is not found.
std::optional<std::vector<PersonDays>> fitabase_cohort() {
  const char* env = std::getenv("MEDTWIN_SHARED_DATA");
#ifdef MEDTWIN_SHARED_DATA
  const fs::path data = env ? env : MEDTWIN_SHARED_DATA;
#else
  if (!env) return std::nullopt;
  const fs::path data = env;
#endif
  const fs::path folder = data / "wearables/fitbit_fitabase";
  if (!fs::is_directory(folder)) return std::nullopt;
  const fs::path db = fs::temp_directory_path() / "medtwin-bench-fitabase.db";
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
  std::vector<PersonDays> cohort;
  {
    auto store = open_store(db.string());
    IngestOptions options;
    options.import.time_zone = "America/New_York";
    ingest(*store, {folder}, options);
    for (const auto& p : store->persons()) cohort.push_back(load_person_days(*store, p.name));
  }
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
  return cohort;
}

void twin(benchmark::State& state, const PersonDays& person) {
  for (auto _ : state) benchmark::DoNotOptimize(build_baseline_twin(person, 7));
  state.counters["features"] = static_cast<double>(person.features.size());
}

// `medtwin backtest --all` without the printing.
void cohort_backtest(benchmark::State& state, const std::vector<PersonDays>& cohort) {
  const baseline::StructuralModel level({.weekly = false}), weekly;
  std::size_t scored = 0;
  for (auto _ : state) {
    scored = 0;
    for (const auto& person : cohort)
      for (const auto& s : backtest_person(person, {&level, &weekly})) scored += s.n();
    for (const auto& s : backtest_pooled(cohort)) scored += s.scores.n();
    benchmark::DoNotOptimize(scored);
  }
  state.counters["persons"] = static_cast<double>(cohort.size());
  state.counters["scored_days"] = static_cast<double>(scored);
}

// One feature's forecast as the twin makes it, for history lengths N.
void one_feature(benchmark::State& state) {
  const auto days = static_cast<int>(state.range(0));
  PersonDays person{"steps-only", {}, {Synthetic(7).steps(days, 8000)}};
  for (auto _ : state) benchmark::DoNotOptimize(build_baseline_twin(person, 7));
  state.SetComplexityN(days);
}

}  // namespace
}  // namespace medtwin

int main(int argc, char** argv) {
  using namespace medtwin;
  benchmark::Initialize(&argc, argv);
  const PersonDays person = two_year_person();
  const std::vector<PersonDays> synthetic = synthetic_cohort();
  const auto fitabase = fitabase_cohort();
  benchmark::RegisterBenchmark("BaselineTwin/two_years", twin, std::cref(person))->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("CohortBacktest/synthetic_35x60", cohort_backtest, std::cref(synthetic))
      ->Unit(benchmark::kMillisecond);
  if (fitabase)
    benchmark::RegisterBenchmark("CohortBacktest/fitabase", cohort_backtest, std::cref(*fitabase))
        ->Unit(benchmark::kMillisecond);
  else
    std::fprintf(stderr, "CohortBacktest/fitabase not run: set MEDTWIN_SHARED_DATA to the shared data folder\n");
  benchmark::RegisterBenchmark("OneFeature", one_feature)
      ->Arg(90)->Arg(365)->Arg(730)->Arg(1460)
      ->Complexity(benchmark::oAuto)
      ->Unit(benchmark::kMillisecond);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

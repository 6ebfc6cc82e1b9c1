// Store write and read throughput: observations per second into SQLite in one
// import transaction, and reading a series back. Run: build/bench/store_bench
#include <benchmark/benchmark.h>

#include <filesystem>

#include "medtwin/core/codes.hpp"
#include "medtwin/store/open_store.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;

fs::path fresh_db(const char* name) {
  fs::path path = fs::temp_directory_path() / name;
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
  return path;
}

// Heart rate every 5 s plus steps every minute: the shape of a watch export.
void BM_ImportObservations(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  int run = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto path = fresh_db("medtwin-bench-import.db");
    auto store = open_store(path.string());
    state.ResumeTiming();
    auto session = store->begin_import(Provenance{"bench", "sha-" + std::to_string(run++), "bench", "1", {}});
    PersonId person = session->person("bench", PersonInfo{});
    Observation hr{metrics::heart_rate().code, 0.0, std::nullopt, "/min", {}, {}, "Watch"};
    Observation steps{metrics::steps().code, 0.0, std::nullopt, "{steps}", {}, {}, "Watch"};
    Instant t = parse_instant("2024-01-01T00:00:00Z");
    for (std::int64_t i = 0; i < n; ++i) {
      Observation& obs = (i % 12 == 11) ? steps : hr;
      obs.start = obs.end = t + std::chrono::seconds(5 * i);
      obs.value = 50.0 + double(i % 70);
      session->add(person, obs);
    }
    session->commit();
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_ImportObservations)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_ReadSeries(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  auto path = fresh_db("medtwin-bench-read.db");
  auto store = open_store(path.string());
  {
    auto session = store->begin_import(Provenance{"bench", "read", "bench", "1", {}});
    PersonId person = session->person("bench", PersonInfo{});
    Observation hr{metrics::heart_rate().code, 0.0, std::nullopt, "/min", {}, {}, "Watch"};
    Instant t = parse_instant("2024-01-01T00:00:00Z");
    for (std::int64_t i = 0; i < n; ++i) {
      hr.start = hr.end = t + std::chrono::seconds(5 * i);
      hr.value = 60;
      session->add(person, hr);
    }
    session->commit();
  }
  for (auto _ : state) {
    std::int64_t count = 0;
    store->observations({"bench", metrics::heart_rate().code, {}}, [&](const Observation&) { ++count; });
    benchmark::DoNotOptimize(count);
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_ReadSeries)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace medtwin

BENCHMARK_MAIN();

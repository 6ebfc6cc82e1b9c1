// FHIR NDJSON parse throughput: observations per second from the reader into a
// sink that only counts (no store), on Synthea-shaped lines made by
// fhir_ndjson_lines.hpp. MEDTWIN_BENCH_NDJSON=FILE also times that file.
// Run: build/bench/fhir_ndjson_bench
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fhir_ndjson_lines.hpp"
#include "medtwin/io/fhir_reader.hpp"

namespace medtwin {
namespace {

class CountingSink final : public RecordSink {
 public:
  void person(const PersonInfo&) override {}
  void time_zone(Instant, const std::string&) override {}
  void observation(const Observation&) override { ++observations; }
  void signal(const Signal&) override {}
  void event(const Event&) override {}
  void issue(const ImportIssue&) override {}
  std::int64_t observations = 0;
};

void BM_ParseNdjsonInMemory(benchmark::State& state) {
  std::ostringstream text;
  bench::write_fhir_ndjson(text, state.range(0), 42);
  std::string bytes = text.str();
  std::int64_t observations = 0;
  for (auto _ : state) {
    CountingSink sink;
    read_fhir(bytes, "bench.ndjson", {}, sink);
    observations += sink.observations;
  }
  state.counters["observations/s"] = benchmark::Counter(double(observations), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(bytes.size()));
}
BENCHMARK(BM_ParseNdjsonInMemory)->Arg(100'000)->Unit(benchmark::kMillisecond);

// From a file, as `medtwin import` reads it (line by line).
void BM_ParseNdjsonFile(benchmark::State& state) {
  const char* given = std::getenv("MEDTWIN_BENCH_NDJSON");
  std::filesystem::path path = given ? given : std::filesystem::temp_directory_path() / "medtwin-bench-fhir.ndjson";
  if (!given) {
    std::ofstream out(path, std::ios::binary);
    bench::write_fhir_ndjson(out, state.range(0), 42);
  }
  auto importer = make_fhir_importer();
  std::int64_t observations = 0;
  for (auto _ : state) {
    CountingSink sink;
    importer->read(path, {}, sink);
    observations += sink.observations;
  }
  if (!given) std::filesystem::remove(path);
  state.counters["observations/s"] = benchmark::Counter(double(observations), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ParseNdjsonFile)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace medtwin

BENCHMARK_MAIN();

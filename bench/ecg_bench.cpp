// Cost of ECG analysis on long two-lead ECG: the MIT-BIH records in
// ../shared/data/ecg/mitdb (360 Hz, 2 leads, 30 min each) are read once and
// concatenated, in turn, into 1, 6 and 24 hours of signal — a Holter. Timed:
// the whole analysis of `medtwin ecg` (analyse_ecg: every stage after reading
// the file, with a counter per stage; target < 2 s per 24 h on one core), and
// each costly stage alone on the same R peaks: QRS detection, beat
// classification, delineation and median beats, signal quality and its second
// QRS detector. Counters: ms per hour of
// ECG and beats found; the *_BigO rows fit how cost grows with length.
// Run: build/bench/ecg_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
// (MEDTWIN_SHARED_DATA in the environment overrides the compile-time data path).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <stdexcept>
#include <vector>

#include "medtwin/cardio/beat_class.hpp"
#include "medtwin/cardio/delineate.hpp"
#include "medtwin/cardio/qrs.hpp"
#include "medtwin/cardio/quality.hpp"
#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/io/wfdb_importer.hpp"
#include "medtwin/twin/ecg_report.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;

constexpr double rate_hz = 360;  // MIT-BIH
constexpr std::int64_t samples_per_hour = 3600 * 360;

struct TwoLeads {
  std::vector<double> lead0, lead1;
  std::vector<std::int64_t> r_peaks;  // detect_qrs on both leads, for the stages that take R peaks
};

fs::path mitdb_folder() {
  const char* env = std::getenv("MEDTWIN_SHARED_DATA");
  return fs::path(env ? env : MEDTWIN_SHARED_DATA) / "ecg" / "mitdb";
}

// 24 hours of two-lead ECG: the records one after another, over and over.
// Read on first use; never changed afterwards.
const TwoLeads& day_of_ecg() {
  static const TwoLeads day = [] {
    std::vector<fs::path> headers;
    for (const auto& entry : fs::directory_iterator(mitdb_folder()))
      if (entry.path().extension() == ".hea") headers.push_back(entry.path());
    std::sort(headers.begin(), headers.end());
    if (headers.empty()) throw std::runtime_error("no MIT-BIH records in " + mitdb_folder().string());
    std::vector<TwoLeads> records;
    for (const fs::path& header : headers) {
      CollectingSink sink;
      read_wfdb_record(header, {}, sink);
      const Signal& s = sink.signals.at(0);
      records.push_back(
          {{s.samples.at(0).begin(), s.samples.at(0).end()}, {s.samples.at(1).begin(), s.samples.at(1).end()}, {}});
    }
    TwoLeads out;
    const std::size_t total = 24 * samples_per_hour;
    out.lead0.reserve(total);
    out.lead1.reserve(total);
    for (std::size_t k = 0; out.lead0.size() < total; ++k) {
      const TwoLeads& r = records[k % records.size()];
      std::size_t take = std::min(r.lead0.size(), total - out.lead0.size());
      out.lead0.insert(out.lead0.end(), r.lead0.begin(), r.lead0.begin() + std::ptrdiff_t(take));
      out.lead1.insert(out.lead1.end(), r.lead1.begin(), r.lead1.begin() + std::ptrdiff_t(take));
    }
    out.r_peaks = cardio::detect_qrs(out.lead0, out.lead1, rate_hz).r_peaks;
    return out;
  }();
  return day;
}

// The first `hours` of the Holter: lead 0 and its R peaks.
struct Stretch {
  std::span<const double> lead0, lead1;
  std::vector<std::int64_t> r_peaks;
};

Stretch first_hours(std::int64_t hours) {
  const TwoLeads& day = day_of_ecg();
  const auto n = std::size_t(hours * samples_per_hour);
  const auto end = std::lower_bound(day.r_peaks.begin(), day.r_peaks.end(), std::int64_t(n));
  return {{day.lead0.data(), n}, {day.lead1.data(), n}, {day.r_peaks.begin(), end}};
}

void count_per_hour(benchmark::State& state, std::size_t beats) {
  state.counters["beats"] = double(beats);
  state.counters["ms_per_hour"] = benchmark::Counter(
      double(state.range(0)) / 1000, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.SetComplexityN(state.range(0));
}

// The Holter as the importer gives it (float samples in mV, two channels).
Signal holter(std::int64_t hours) {
  const TwoLeads& day = day_of_ecg();
  const auto n = std::ptrdiff_t(hours * samples_per_hour);
  Signal s;
  s.kind = "ECG";
  s.sample_rate_hz = rate_hz;
  s.channels = {{"MLII", "mV"}, {"V1", "mV"}};
  s.samples = {{day.lead0.begin(), day.lead0.begin() + n}, {day.lead1.begin(), day.lead1.begin() + n}};
  return s;
}

// Also a counter per stage of the analysis (ms, the mean over iterations).
void BM_EcgAnalysis(benchmark::State& state) {
  const Signal ecg = holter(state.range(0));
  std::size_t beats = 0;
  std::map<std::string, double> stage_ms;
  for (auto _ : state) {
    EcgReport report = analyse_ecg(ecg, std::nullopt);
    beats = report.r_peaks.size();
    for (const auto& [stage, seconds] : report.stage_seconds) stage_ms[stage] += 1000 * seconds;
    benchmark::DoNotOptimize(report.r_peaks.data());
  }
  count_per_hour(state, beats);
  for (const auto& [stage, ms] : stage_ms)
    state.counters[stage] = benchmark::Counter(ms, benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_EcgAnalysis)->Arg(1)->Arg(6)->Arg(24)->Unit(benchmark::kMillisecond)->Complexity(benchmark::oN);

void BM_QrsDetect(benchmark::State& state) {
  const TwoLeads& day = day_of_ecg();
  const auto n = std::size_t(state.range(0) * samples_per_hour);
  std::span<const double> lead0(day.lead0.data(), n), lead1(day.lead1.data(), n);
  std::size_t beats = 0;
  for (auto _ : state) {
    cardio::QrsResult found = cardio::detect_qrs(lead0, lead1, rate_hz);
    beats = found.r_peaks.size();
    benchmark::DoNotOptimize(found.r_peaks.data());
  }
  count_per_hour(state, beats);
}
BENCHMARK(BM_QrsDetect)->Arg(1)->Arg(6)->Arg(24)->Unit(benchmark::kMillisecond)->Complexity(benchmark::oN);

// One lead only (the single-lead path, e.g. a wearable).
void BM_QrsDetectOneLead(benchmark::State& state) {
  const TwoLeads& day = day_of_ecg();
  std::span<const double> lead0(day.lead0.data(), std::size_t(24 * samples_per_hour));
  for (auto _ : state) benchmark::DoNotOptimize(cardio::detect_qrs(lead0, rate_hz).r_peaks.data());
}
BENCHMARK(BM_QrsDetectOneLead)->Unit(benchmark::kMillisecond);

void BM_ClassifyBeats(benchmark::State& state) {
  const Stretch h = first_hours(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(cardio::classify_beats(h.lead0, h.lead1, rate_hz, h.r_peaks).data());
  count_per_hour(state, h.r_peaks.size());
}
BENCHMARK(BM_ClassifyBeats)->Arg(1)->Arg(6)->Arg(24)->Unit(benchmark::kMillisecond)->Complexity(benchmark::oN);

void BM_Delineate(benchmark::State& state) {
  const Stretch h = first_hours(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(cardio::delineate(h.lead0, rate_hz, h.r_peaks).data());
  count_per_hour(state, h.r_peaks.size());
}
BENCHMARK(BM_Delineate)->Arg(1)->Arg(6)->Arg(24)->Unit(benchmark::kMillisecond)->Complexity(benchmark::oN);

void BM_MedianBeats(benchmark::State& state) {
  const Stretch h = first_hours(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(cardio::median_beats(h.lead0, rate_hz, h.r_peaks).data());
  count_per_hour(state, h.r_peaks.size());
}
BENCHMARK(BM_MedianBeats)->Arg(1)->Arg(6)->Arg(24)->Unit(benchmark::kMillisecond)->Complexity(benchmark::oN);

void BM_AssessQuality(benchmark::State& state) {
  const Stretch h = first_hours(state.range(0));
  for (auto _ : state)
    benchmark::DoNotOptimize(cardio::assess_quality(h.lead0, rate_hz, cardio::QrsResult{h.r_peaks, {}}).segments.data());
  count_per_hour(state, h.r_peaks.size());
}
BENCHMARK(BM_AssessQuality)->Arg(1)->Arg(6)->Arg(24)->Unit(benchmark::kMillisecond)->Complexity(benchmark::oN);

void BM_CurveLengthDetector(benchmark::State& state) {
  const Stretch h = first_hours(state.range(0));
  std::size_t beats = 0;
  for (auto _ : state) {
    const std::vector<std::int64_t> found = cardio::detect_qrs_curve_length(h.lead0, rate_hz);
    beats = found.size();
    benchmark::DoNotOptimize(found.data());
  }
  count_per_hour(state, beats);
}
BENCHMARK(BM_CurveLengthDetector)->Arg(1)->Arg(6)->Arg(24)->Unit(benchmark::kMillisecond)->Complexity(benchmark::oN);

}  // namespace
}  // namespace medtwin

BENCHMARK_MAIN();

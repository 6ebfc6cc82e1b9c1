#include "medtwin/twin/ecg_record.hpp"

#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "medtwin/core/codes.hpp"
#include "medtwin/io/file_hash.hpp"
#include "medtwin/twin/ingest.hpp"

namespace medtwin {
namespace {

// Bumped whenever the analysis changes what it stores.
constexpr std::string_view kAnalysisVersion = "1";

Instant at_sample(const Signal& ecg, double sample) {
  return ecg.start + std::chrono::milliseconds(std::llround(1000 * sample / ecg.sample_rate_hz));
}

Observation numeric(const Metric& metric, Instant start, Instant end, double value) {
  return Observation{metric.code, value, std::nullopt, metric.unit, start, end, kEcgAnalysisSource};
}

}  // namespace

std::vector<Observation> ecg_observations(const Signal& ecg, const EcgReport& report) {
  const Instant start = ecg.start;
  const Instant end = at_sample(ecg, static_cast<double>(ecg.sample_count()));
  std::vector<Observation> out;
  auto over_recording = [&](const Metric& metric, const std::optional<double>& value) {
    if (value) out.push_back(numeric(metric, start, end, *value));
  };
  over_recording(metrics::heart_rate(), report.mean_hr);
  if (report.hrv) {
    over_recording(metrics::hrv_sdnn(), report.hrv->time.sdnn);
    over_recording(metrics::hrv_rmssd(), report.hrv->time.rmssd);
  }
  if (report.intervals) {
    const auto& i = *report.intervals;
    over_recording(metrics::pr_interval(), i.pr_ms);
    over_recording(metrics::qrs_duration(), i.qrs_ms);
    over_recording(metrics::qt_interval(), i.qt_ms);
    if (i.qtc) {
      over_recording(metrics::qtc_bazett(), i.qtc->bazett_ms);
      over_recording(metrics::qtc_fridericia(), i.qtc->fridericia_ms);
    }
  }
  if (report.af.evaluated) over_recording(metrics::af_burden(), 100 * report.af.burden);
  over_recording(metrics::ventricular_ectopic_beats(), static_cast<double>(report.counts.ventricular));
  over_recording(metrics::supraventricular_ectopic_beats(), static_cast<double>(report.counts.supraventricular));
  over_recording(metrics::respiratory_rate(), report.breathing_rate);
  // Normal-to-normal intervals only: what the baseline twin's nightly RMSSD reads.
  for (std::size_t i = 1; i < report.r_peaks.size(); ++i) {
    const double rr_ms = 1000 * static_cast<double>(report.r_peaks[i] - report.r_peaks[i - 1]) / ecg.sample_rate_hz;
    if (report.beats[i].cls != cardio::BeatClass::normal || report.beats[i - 1].cls != cardio::BeatClass::normal ||
        rr_ms > cardio::kMaxNormalRrMs)
      continue;
    const Instant beat = at_sample(ecg, static_cast<double>(report.r_peaks[i]));
    out.push_back(numeric(metrics::rr_interval(), beat, beat, rr_ms));
  }
  return out;
}

EcgKept keep_ecg_in_twin(Store& store, const std::filesystem::path& file, const std::string& person,
                         const Signal& ecg, const EcgReport& report, const ImportOptions& import) {
  EcgKept kept;
  IngestOptions options{person, import};
  for (const IngestResult& r : ingest(store, {file}, options)) kept.recording_added |= r.counts.signals_added > 0;
  const Importer* importer = find_importer(file, import);
  const auto inputs = importer ? importer->inputs(file) : std::vector<std::filesystem::path>{file};
  // What the results depend on besides the bytes: who they are for, which
  // lead(s) were analysed, and where the recording sits in time (--tz).
  const std::string analysis =
      fmt::format("\necg-analysis {}\nperson {}\nlead {}{}\nstart {}", kAnalysisVersion, person, report.lead,
                  report.two_leads ? "+second" : "", ecg.start.time_since_epoch().count());
  Provenance provenance{file.filename().string(), sha256_files(inputs, analysis), "ecg-analysis",
                        std::string(kAnalysisVersion),
                        current_instant()};
  auto session = store.find_import(provenance.sha256) ? nullptr : store.begin_import(provenance);
  if (!session) {
    kept.results_existed = true;
    return kept;
  }
  const PersonId id = session->person(person, PersonInfo{});
  for (const Observation& o : ecg_observations(ecg, report)) kept.results_added += session->add(id, o) ? 1 : 0;
  session->commit();
  return kept;
}

}  // namespace medtwin

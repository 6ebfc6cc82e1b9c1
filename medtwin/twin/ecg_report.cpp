#include "medtwin/twin/ecg_report.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "medtwin/cardio/qrs.hpp"
#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/core/stats.hpp"
#include "medtwin/io/importer.hpp"

namespace medtwin {
namespace {

std::size_t lead_index(const Signal& ecg, const std::optional<std::string>& lead) {
  if (!lead) return 0;
  for (std::size_t i = 0; i < ecg.channels.size(); ++i)
    if (ecg.channels[i].label == *lead) return i;
  std::string labels;
  for (const auto& c : ecg.channels) labels += (labels.empty() ? "" : ", ") + c.label;
  throw NotFound(fmt::format("no lead '{}' in the recording (it has: {})", *lead, labels));
}

std::vector<double> as_double(const std::vector<float>& samples) { return {samples.begin(), samples.end()}; }

// Heart rate from the RR intervals: the mean, and the extremes of 10-beat
// running medians (single missed or extra beats do not make the extremes).
void heart_rate(EcgReport& r) {
  if (r.r_peaks.size() < 2) return;
  std::vector<double> hr;
  for (std::size_t i = 1; i < r.r_peaks.size(); ++i)
    hr.push_back(60 * r.rate_hz / static_cast<double>(r.r_peaks[i] - r.r_peaks[i - 1]));
  r.mean_hr = 60 * r.rate_hz * static_cast<double>(r.r_peaks.size() - 1) /
              static_cast<double>(r.r_peaks.back() - r.r_peaks.front());
  if (hr.size() < 10) return;
  double low = 1e9, high = 0;
  for (std::size_t i = 0; i + 10 <= hr.size(); ++i) {
    const double m = *median(std::span<const double>(hr).subspan(i, 10));
    low = std::min(low, m), high = std::max(high, m);
  }
  r.min_hr = low, r.max_hr = high;
}

}  // namespace

EcgReport analyse_ecg(const Signal& ecg, const std::optional<std::string>& lead) {
  if (ecg.channels.empty() || ecg.samples.empty()) throw Error("the ECG has no samples");
  EcgReport r;
  r.rate_hz = ecg.sample_rate_hz;
  const std::size_t main = lead_index(ecg, lead);
  r.lead = ecg.channels[main].label;
  r.lead_channel = main;
  const auto primary = as_double(ecg.samples[main]);
  r.duration_s = static_cast<double>(primary.size()) / r.rate_hz;
  if (!lead && ecg.samples.size() >= 2) {
    r.r_peaks = cardio::detect_qrs(primary, as_double(ecg.samples[1]), r.rate_hz).r_peaks;
  } else {
    r.r_peaks = cardio::detect_qrs(primary, r.rate_hz).r_peaks;
  }
  heart_rate(r);
  r.notes.push_back("beats are not classified yet: HRV and AF use every interval as normal-to-normal");
  try {
    // On the 4 Hz grid of Kubios (Tarvainen et al. 2014): the ECG's own rate
    // (NeuroKit2's choice) costs seconds on a day-long recording.
    cardio::HrvOptions options;
    options.frequency.resample_hz = 4;
    r.hrv = cardio::hrv(cardio::rr_from_peaks(r.r_peaks, r.rate_hz), options);
  } catch (const Error& e) {
    r.notes.push_back(fmt::format("HRV: {}", e.what()));
  }
  r.af = cardio::detect_af(r.r_peaks, r.rate_hz);
  if (r.r_peaks.size() < 130) r.notes.push_back("AF: needs about 2 minutes (128 intervals) for a call");
  return r;
}

Signal read_ecg_file(const std::filesystem::path& file, const std::optional<std::string>& time_zone) {
  ImportOptions options;
  options.time_zone = time_zone;
  const Importer* importer = find_importer(file, options);
  if (!importer) throw ParseError(fmt::format("{}: not a recording medtwin can read", file.string()));
  CollectingSink sink;
  importer->read(file, options, sink);
  const auto ecg = std::find_if(sink.signals.begin(), sink.signals.end(), [](const Signal& s) { return s.kind == "ECG"; });
  if (ecg == sink.signals.end()) throw Error(fmt::format("{}: holds no ECG", file.string()));
  return std::move(*ecg);
}

}  // namespace medtwin

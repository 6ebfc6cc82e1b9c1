#include "medtwin/twin/ecg_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <string_view>

#include "medtwin/cardio/clean.hpp"
#include "medtwin/cardio/qrs.hpp"
#include "medtwin/cardio/quality.hpp"
#include "medtwin/cardio/respiration.hpp"
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

// Whether a lead label names limb lead II (MLII: modified lead II of Holters):
// its P, R and T are upright, the usual rhythm strip.
bool is_lead_ii(std::string_view label) {
  std::string name;
  for (unsigned char c : label)
    if (!std::isspace(c)) name += static_cast<char>(std::toupper(c));
  for (std::string_view prefix : {"ECG", "LEAD"})
    if (name.starts_with(prefix)) name.erase(0, prefix.size());
  return name == "II" || name == "MLII" || name == "ML2" || name == "2";
}

// How well a lead serves beat detection: the usable share of its first 5
// minutes by the quality index (0 for a lead too short or empty to grade).
double lead_fitness(const std::vector<float>& samples, double rate_hz) {
  constexpr double kGradedS = 300;
  const auto n = std::min(samples.size(), static_cast<std::size_t>(kGradedS * rate_hz));
  const std::vector<double> head(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(n));
  try {
    return cardio::assess_quality(head, rate_hz).usable_fraction;
  } catch (const Error&) {
    return 0;
  }
}

struct LeadChoice {
  std::size_t primary = 0;
  std::optional<std::size_t> second;
};

// See analyse_ecg in the header. Lead II stays first while it grades at least
// half as well as the best lead: its P waves serve delineation best.
LeadChoice choose_leads(const Signal& ecg, const std::optional<std::string>& lead) {
  if (lead) return {lead_index(ecg, lead), std::nullopt};
  if (ecg.samples.size() <= 2) return {0, ecg.samples.size() == 2 ? std::optional<std::size_t>(1) : std::nullopt};
  std::vector<double> fitness;
  for (const auto& samples : ecg.samples) fitness.push_back(lead_fitness(samples, ecg.sample_rate_hz));
  auto best_except = [&](std::optional<std::size_t> skip) {
    std::size_t best = skip == 0 ? 1 : 0;
    for (std::size_t i = 0; i < fitness.size(); ++i)
      if (i != skip && fitness[i] > fitness[best]) best = i;
    return best;
  };
  LeadChoice choice{best_except(std::nullopt), std::nullopt};
  for (std::size_t i = 0; i < fitness.size() && i < ecg.channels.size(); ++i)
    if (is_lead_ii(ecg.channels[i].label) && fitness[i] >= 0.5 * fitness[choice.primary]) {
      choice.primary = i;
      break;
    }
  choice.second = best_except(choice.primary);
  return choice;
}

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

// Runs `run` and files its wall time under `what`.
template <typename Stage>
void timed(EcgReport& r, const char* what, Stage&& run) {
  const auto start = std::chrono::steady_clock::now();
  run();
  r.stage_seconds.emplace_back(what, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

// Runs one optional stage; a stage that cannot work on this recording (too
// short, too few normal beats, a gap) leaves its part empty and says why in
// the notes.
template <typename Stage>
void stage(EcgReport& r, const char* what, Stage&& run) {
  timed(r, what, [&] {
    try {
      run();
    } catch (const Error& e) {
      const std::string_view message = e.what();
      r.notes.push_back(message.starts_with(what) ? std::string(message) : fmt::format("{}: {}", what, message));
    }
  });
}

// Returns the detections before artefacts are dropped: the quality index
// compares them, as found, with a second detector.
std::vector<std::int64_t> detect_and_classify(EcgReport& r, const std::vector<double>& primary,
                                              const std::vector<double>& second) {
  std::vector<std::int64_t> found = second.empty() ? cardio::detect_qrs(primary, r.rate_hz).r_peaks
                                                   : cardio::detect_qrs(primary, second, r.rate_hz).r_peaks;
  std::vector<cardio::BeatLabel> labels = cardio::classify_beats(primary, second, r.rate_hz, found);
  r.counts = cardio::count_beats(labels);
  r.r_peaks = cardio::drop_artefacts(found, labels);
  std::erase_if(labels, [](const cardio::BeatLabel& b) { return b.artefact; });
  r.beats = std::move(labels);
  return found;
}

// In atrial fibrillation an early narrow beat is no supraventricular ectopic:
// the irregular rhythm is the arrhythmia itself (beat_class.hpp suppresses S in
// AF, but its own AF check needs 2 minutes). On a strip the label decides.
void conducted_in_af(EcgReport& r) {
  for (auto& b : r.beats)
    if (b.cls == cardio::BeatClass::supraventricular) b.cls = cardio::BeatClass::normal;
  r.counts.normal += r.counts.supraventricular;
  r.counts.supraventricular = 0;
}

std::vector<bool> normal_flags(const EcgReport& r) {
  std::vector<bool> normal;
  for (const auto& b : r.beats) normal.push_back(b.cls == cardio::BeatClass::normal);
  return normal;
}

void heart_rate_variability(EcgReport& r, const std::vector<bool>& normal) {
  const cardio::NnSeries nn = cardio::nn_from_peaks(r.r_peaks, r.rate_hz, normal);
  r.nn_replaced = nn.replaced;
  // On the 4 Hz grid of Kubios (Tarvainen et al. 2014): the ECG's own rate
  // (NeuroKit2's choice) costs seconds on a day-long recording.
  cardio::HrvOptions options;
  options.frequency.resample_hz = 4;
  r.hrv = cardio::hrv(nn.rr, options);
}

}  // namespace

EcgReport analyse_ecg(const Signal& ecg, const std::optional<std::string>& lead) {
  if (ecg.channels.empty() || ecg.samples.empty()) throw Error("the ECG has no samples");
  EcgReport r;
  r.rate_hz = ecg.sample_rate_hz;
  LeadChoice leads;
  timed(r, "lead choice", [&] { leads = choose_leads(ecg, lead); });
  r.lead_channel = leads.primary;
  r.lead = ecg.channels[r.lead_channel].label;
  r.two_leads = leads.second.has_value();
  if (leads.second) r.second_lead = ecg.channels[*leads.second].label;
  std::vector<double> primary, second;
  timed(r, "samples to double", [&] {
    primary = as_double(ecg.samples[r.lead_channel]);
    if (leads.second) second = as_double(ecg.samples[*leads.second]);
  });
  r.duration_s = static_cast<double>(primary.size()) / r.rate_hz;
  std::vector<std::int64_t> detections;
  timed(r, "QRS and beat classes", [&] { detections = detect_and_classify(r, primary, second); });
  heart_rate(r);
  if (r.r_peaks.empty())
    r.notes.push_back("no heartbeats found: the lead is flat or noise, or the header's sampling rate is wrong");
  timed(r, "AF", [&] { r.af = cardio::detect_af(r.r_peaks, r.rate_hz, cardio::ventricular_flags(r.beats)); });
  if (!r.af.evaluated)
    r.notes.push_back("AF episodes: need 128 intervals between non-ventricular beats (about 2 minutes) for a call");
  if (r.duration_s <= kShortRecordingMaxS) {
    stage(r, "rhythm label", [&] { r.label = cardio::label_rhythm(primary, r.rate_hz); });
    if (r.label && r.label->label == cardio::RhythmClass::af) conducted_in_af(r);
  }
  const std::vector<bool> normal = normal_flags(r);
  stage(r, "HRV", [&] { heart_rate_variability(r, normal); });
  if (r.hrv && (r.af.burden > 0 || (r.label && r.label->label == cardio::RhythmClass::af)))
    r.notes.push_back("HRV: in atrial fibrillation the intervals follow the arrhythmia, not autonomic tone");
  stage(r, "intervals", [&] {
    const auto medians = cardio::median_beats(primary, r.rate_hz, r.r_peaks, normal);
    if (medians.empty()) throw NotEnoughData("no 10 s window holds enough normal beats for a median beat");
    r.intervals = cardio::summarise_intervals(medians);
  });
  stage(r, "quality", [&] {
    const cardio::QualityReport q =
        cardio::assess_quality(primary, r.rate_hz, cardio::QrsResult{std::move(detections), {}});
    r.quality = q.segments;
    r.usable_fraction = q.usable_fraction;
  });
  stage(r, "breathing", [&] {
    r.breathing_rate =
        cardio::ecg_derived_respiration(primary, r.r_peaks, r.rate_hz, {.per_window = false}).overall.fused_rate;
  });
  return r;
}

std::vector<QualitySpan> poor_quality_spans(const EcgReport& report) {
  std::vector<QualitySpan> spans;
  for (const auto& segment : report.quality) {
    if (segment.quality == cardio::Quality::usable) continue;
    if (!spans.empty() && spans.back().end_sample == segment.start_sample && spans.back().quality == segment.quality)
      spans.back().end_sample = segment.end_sample;
    else
      spans.push_back({segment.start_sample, segment.end_sample, segment.quality});
  }
  return spans;
}

namespace {

// A stretch of the analysed lead, in samples: [from, to) asked for, [lead_from, lead_to) with `margin_s` either side.
struct Stretch {
  std::int64_t from, to, lead_from, lead_to;
};

Stretch stretch_of(const Signal& ecg, const EcgReport& report, double start_s, double seconds, double margin_s) {
  const auto n = static_cast<std::int64_t>(ecg.samples.at(report.lead_channel).size());
  const auto at = [&](double s) { return std::clamp<std::int64_t>(std::llround(s * report.rate_hz), 0, n); };
  return {at(start_s), at(start_s + seconds), at(start_s - margin_s), at(start_s + seconds + margin_s)};
}

}  // namespace

std::vector<float> display_lead(const Signal& ecg, const EcgReport& report, double start_s, double seconds) {
  constexpr double kSettleS = 5;  // s, > 3 time constants of the 0.67 Hz high-pass
  const auto& samples = ecg.samples.at(report.lead_channel);
  const Stretch s = stretch_of(ecg, report, start_s, seconds, kSettleS);
  std::vector<float> shown(samples.begin(), samples.end());
  if (s.lead_to - s.lead_from < 2) return shown;
  const std::vector<double> stretch(samples.begin() + s.lead_from, samples.begin() + s.lead_to);
  const std::vector<double> cleaned = cardio::clean_ecg(stretch, report.rate_hz);
  for (auto i = s.from; i < s.to; ++i)
    shown[static_cast<std::size_t>(i)] = static_cast<float>(cleaned[static_cast<std::size_t>(i - s.lead_from)]);
  return shown;
}

std::vector<cardio::BeatWaves> delineate_stretch(const Signal& ecg, const EcgReport& report, double start_s,
                                                 double seconds) {
  const auto& samples = ecg.samples.at(report.lead_channel);
  const Stretch s = stretch_of(ecg, report, start_s, seconds, 2);
  const std::int64_t lead_from = s.lead_from;
  std::vector<std::int64_t> peaks;
  for (auto p : report.r_peaks)
    if (p >= s.from && p < s.to) peaks.push_back(p - lead_from);
  if (peaks.empty()) return {};
  const std::vector<double> lead(samples.begin() + lead_from, samples.begin() + s.lead_to);
  std::vector<cardio::BeatWaves> waves = cardio::delineate(lead, report.rate_hz, peaks);
  for (auto& w : waves)
    for (auto* point : {&w.p_on, &w.p_peak, &w.p_off, &w.qrs_on, &w.qrs_off, &w.t_peak, &w.t_end})
      if (*point) **point += lead_from;
  return waves;
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

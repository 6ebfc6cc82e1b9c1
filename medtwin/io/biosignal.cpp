#include "medtwin/io/biosignal.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "medtwin/core/units.hpp"

namespace medtwin {
namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::toupper(c)); });
  return out;
}

bool starts_with_word(std::string_view label, std::string_view word) {
  return label.substr(0, word.size()) == word &&
         (label.size() == word.size() || !std::isalpha(static_cast<unsigned char>(label[word.size()])));
}

bool is_ecg_lead(const std::string& label) {
  static constexpr std::array kLeads = {"I",   "II",  "III", "AVR", "AVL",  "AVF",   "V1",  "V2",  "V3",
                                        "V4",  "V5",  "V6",  "MLI", "MLII", "MLIII", "MV1", "MV2", "MV3",
                                        "MV4", "MV5", "MV6", "CM5", "D1",   "D2",    "D3"};
  return std::find(kLeads.begin(), kLeads.end(), label) != kLeads.end();
}

}  // namespace

std::string channel_unit_to_ucum(std::string_view unit, const std::string& where, RecordSink& sink) {
  if (unit.empty()) return {};
  if (auto ucum = to_ucum(unit)) return *ucum;
  sink.issue({ImportIssue::Kind::unknown_unit, where, fmt::format("unknown unit '{}' kept as written", unit)});
  return std::string(unit);
}

std::string_view label_kind(std::string_view label) {
  while (!label.empty() && std::isspace(static_cast<unsigned char>(label.front()))) label.remove_prefix(1);
  while (!label.empty() && std::isspace(static_cast<unsigned char>(label.back()))) label.remove_suffix(1);
  std::string text = upper(label);
  if (text.rfind("ECG", 0) == 0 || text.rfind("EKG", 0) == 0 || is_ecg_lead(text)) return "ECG";
  for (std::string_view kind : {"EEG", "EOG", "EMG", "PPG"})
    if (starts_with_word(text, kind)) return kind;
  if (text.rfind("PLETH", 0) == 0) return "PPG";
  return {};
}

std::string signal_kind(const std::vector<SignalChannel>& channels) {
  std::optional<std::string_view> shared;
  for (const auto& channel : channels) {
    std::string_view kind = label_kind(channel.label);
    if (kind.empty() || (shared && *shared != kind)) return "biosignal";
    shared = kind;
  }
  return shared ? std::string(*shared) : "biosignal";
}

void add_annotations(Signal& signal, const std::vector<Annotation>& annotations, const std::string& where,
                     RecordSink& sink) {
  std::int64_t outside = 0;
  for (const auto& annotation : annotations) {
    if (annotation.sample < 0 || annotation.sample >= signal.sample_count()) {
      ++outside;
    } else {
      signal.annotations.push_back(annotation);
    }
  }
  if (outside > 0) {
    sink.issue({ImportIssue::Kind::skipped_record, where,
                fmt::format("{} annotations lie outside the signal and were dropped", outside)});
  }
}

Instant recording_start(LocalTime local, const ImportOptions& options, const std::string& where, RecordSink& sink) {
  if (options.time_zone) return to_instant(local, *options.time_zone);
  sink.issue({ImportIssue::Kind::note, where,
              "the start time is local clock time and no time zone was given; read as UTC (pass --tz ZONE)"});
  return Instant{local.time_since_epoch()};
}

}  // namespace medtwin

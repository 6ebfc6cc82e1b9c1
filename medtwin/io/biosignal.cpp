#include "medtwin/io/biosignal.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "medtwin/core/units.hpp"
#include "medtwin/io/text.hpp"

namespace medtwin {
namespace {

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
  std::string text = to_upper(trim(label));
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

Instant recording_start(LocalTime local, const ImportOptions& options, const std::string& where) {
  return to_instant(local, require_time_zone(options.time_zone, where));
}

}  // namespace medtwin

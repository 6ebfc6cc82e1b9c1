// Apple Watch ECG CSV (the ECG app's recordings in an Apple Health export):
// "Key,Value" header lines (Name, Date of Birth, Recorded Date, Classification,
// Symptoms, Software Version, Device, Sample Rate, Lead, Unit), then one
// sample per line. The Name and Date of Birth lines are never read.
#include <fmt/format.h>

#include <cfloat>
#include <cmath>

#include "medtwin/core/error.hpp"
#include "medtwin/io/apple_health.hpp"
#include "medtwin/io/apple_health_types.hpp"

namespace medtwin {
namespace {

using apple_health::parse_number;

std::string_view unquote(std::string_view value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') return value.substr(1, value.size() - 2);
  return value;
}

bool only_commas(std::string_view text) { return text.find_first_not_of(", ") == std::string_view::npos; }

// "µV" in either micro sign, as UCUM.
std::optional<std::string> ecg_unit(std::string_view unit) {
  if (unit == "\xC2\xB5V" || unit == "\xCE\xBCV" || unit == "uV") return "uV";
  if (unit == "mV" || unit == "V") return std::string(unit);
  return std::nullopt;
}

struct EcgHeader {
  std::optional<Instant> recorded;
  double sample_rate_hz = 0;
  std::string lead = "Lead I";
  std::string unit;
  std::string classification;
  std::string symptoms;
  std::string device;
};

// One "Key,Value" line; keys other than these (Name, Date of Birth, …) are ignored.
void read_header_line(EcgHeader& header, std::string_view key, std::string_view value, const std::string& name,
                      long line) {
  if (key == "Recorded Date") {
    try {
      header.recorded = parse_instant(value);
    } catch (const ParseError&) {
      throw ParseError(located(name, line, "Recorded Date is not a timestamp like 2024-01-01 10:00:00 +0200"));
    }
  } else if (key == "Sample Rate") {
    // "512 hertz"
    auto space = value.find(' ');
    auto rate = parse_number(value.substr(0, space));
    if (!rate || *rate <= 0 || *rate > 1e6) throw ParseError(located(name, line, "Sample Rate is not a rate in hertz"));
    header.sample_rate_hz = *rate;
  } else if (key == "Lead") {
    header.lead = std::string(value);
  } else if (key == "Unit") {
    header.unit = std::string(value);
  } else if (key == "Classification") {
    header.classification = std::string(value);
  } else if (key == "Symptoms") {
    header.symptoms = std::string(value);
  } else if (key == "Device") {
    header.device = std::string(value);
  }
}

}  // namespace

void read_apple_ecg_csv(std::string_view csv, const std::string& name, RecordSink& sink) {
  if (csv.starts_with("\xEF\xBB\xBF")) csv.remove_prefix(3);
  EcgHeader header;
  std::vector<float> samples;
  long line_number = 0;
  while (!csv.empty()) {
    auto newline = csv.find('\n');
    std::string_view line = csv.substr(0, newline);
    csv.remove_prefix(newline == std::string_view::npos ? csv.size() : newline + 1);
    ++line_number;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (only_commas(line)) continue;
    auto comma = line.find(',');
    std::string_view first = line.substr(0, comma);
    std::string_view rest = comma == std::string_view::npos ? std::string_view{} : line.substr(comma + 1);
    auto sample = parse_number(first);
    if (sample && only_commas(rest)) {
      if (std::fabs(*sample) > FLT_MAX) throw ParseError(located(name, line_number, "sample out of range"));
      samples.push_back(float(*sample));
    } else if (!samples.empty()) {
      throw ParseError(located(name, line_number, "expected one sample value per line"));
    } else {
      read_header_line(header, first, unquote(rest), name, line_number);
    }
  }
  if (!header.recorded) throw ParseError(name + ": no 'Recorded Date' line; not an Apple Watch ECG export");
  if (header.sample_rate_hz <= 0) throw ParseError(name + ": no 'Sample Rate' line; not an Apple Watch ECG export");
  if (samples.empty()) throw ParseError(name + ": the recording holds no samples");

  Signal signal;
  signal.kind = "ECG";
  signal.sample_rate_hz = header.sample_rate_hz;
  signal.start = *header.recorded;
  signal.source = header.device.empty() ? "Apple Watch" : fmt::format("Apple Watch ({})", header.device);
  auto unit = ecg_unit(header.unit);
  if (!unit) {
    sink.issue({ImportIssue::Kind::unknown_unit, name,
                fmt::format("ECG unit '{}' is not known; kept as written", header.unit)});
  }
  signal.channels.push_back({header.lead, unit.value_or(header.unit)});
  signal.samples.push_back(std::move(samples));
  if (!header.classification.empty()) signal.annotations.push_back({0, -1, "classification", header.classification});
  if (!header.symptoms.empty()) signal.annotations.push_back({0, -1, "symptoms", header.symptoms});
  sink.signal(signal);
}

}  // namespace medtwin

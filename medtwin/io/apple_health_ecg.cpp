// Apple Watch ECG CSV (the ECG app's recordings in an Apple Health export):
// "Key,Value" header lines (Name, Date of Birth, Recorded Date, Classification,
// Symptoms, Software Version, Device, Sample Rate, Lead, Unit), then one
// sample per line, read through CsvReader. The Name and Date of Birth lines
// are never read.
#include <fmt/format.h>

#include <cfloat>
#include <cmath>

#include "medtwin/core/error.hpp"
#include "medtwin/core/units.hpp"
#include "medtwin/io/apple_health.hpp"
#include "medtwin/io/csv.hpp"
#include "medtwin/io/text.hpp"

namespace medtwin {
namespace {

// Whether the fields from `first` on are all blank (a line of commas).
bool blank_from(const CsvRow& row, std::size_t first) {
  for (std::size_t i = first; i < row.fields.size(); ++i)
    if (!trim(row.fields[i]).empty()) return false;
  return true;
}

// The value of a "Key,Value" line: the rest of the line, commas included,
// since a value is not always quoted.
std::string value_of(const CsvRow& row) {
  std::string value;
  for (std::size_t i = 1; i < row.fields.size(); ++i) {
    if (i > 1) value += ',';
    value += row.fields[i];
  }
  return value;
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
    auto rate = to_number(value.substr(0, space));
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
  CsvReader reader(csv, name);
  CsvRow row;
  EcgHeader header;
  std::vector<float> samples;
  while (reader.next(row)) {
    if (blank_from(row, 0)) continue;
    auto sample = to_number(row.fields[0]);
    if (sample && blank_from(row, 1)) {
      if (std::fabs(*sample) > FLT_MAX) throw ParseError(located(name, row.line, "sample out of range"));
      samples.push_back(float(*sample));
    } else if (!samples.empty()) {
      throw ParseError(located(name, row.line, "expected one sample value per line"));
    } else {
      read_header_line(header, row.fields[0], value_of(row), name, row.line);
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
  auto unit = to_ucum(header.unit);
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

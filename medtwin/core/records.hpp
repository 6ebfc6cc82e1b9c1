// The core records of a person's data: observations (timestamped values),
// signals (sampled waveforms), events (things done to or by the person) and
// where each came from. Plain values: no I/O, no database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "medtwin/core/codes.hpp"
#include "medtwin/core/time.hpp"

namespace medtwin {

enum class Sex { unknown, female, male, other };
std::string_view to_string(Sex sex);
Sex parse_sex(std::string_view text);  // "female", "F", "HKBiologicalSexMale", … ; unknown otherwise

// Who the data is about, as far as a source tells.
struct PersonInfo {
  std::string source_id;  // the source's own subject id (FHIR Patient.id, Fitabase Id); may be empty
  std::string name;       // display name if the source has one
  Sex sex = Sex::unknown;
  std::optional<std::chrono::year_month_day> birth_date;
};

// One measured value of one metric over [start, end] (end == start for a point).
// Exactly one of value / value_code is set.
struct Observation {
  Code code;                       // what was measured, in the canonical vocabulary
  std::optional<double> value;     // numeric value, in `unit`
  std::optional<Code> value_code;  // coded value (sleep stage, blood type, …)
  std::string unit;                // UCUM; empty for coded values
  Instant start;
  Instant end;
  std::string source;              // app or device that measured it
};

struct SignalChannel {
  std::string label;  // "MLII", "V5", "ECG I", "EEG Fpz-Cz"
  std::string unit;   // UCUM: "mV", "uV", "m/s2", …
};

// A point in a signal that a person or algorithm labelled: a beat, a rhythm change.
struct Annotation {
  std::int64_t sample = 0;  // index from the start of the signal
  int channel = -1;         // -1: all channels
  std::string code;         // WFDB mnemonic ("N", "V", "+") or EDF+ annotation text
  std::string text;         // auxiliary text ("(AFIB")
};

// A sampled waveform: channels share one rate and start.
struct Signal {
  std::string kind;  // "ECG", "EEG", "IMU", "EDA", "PPG", "actigraphy", …
  double sample_rate_hz = 0;
  Instant start;
  std::string source;
  std::vector<SignalChannel> channels;
  std::vector<std::vector<float>> samples;  // [channel][sample], physical units
  std::vector<Annotation> annotations;

  std::int64_t sample_count() const { return samples.empty() ? 0 : std::int64_t(samples.front().size()); }
};

// Something done to or by the person: a meal, a dose, a workout, a diagnosis,
// a self-report. `details_json` carries the rest of the source's fields.
struct Event {
  std::string kind;  // see event_kinds
  Code code;         // what exactly (RxNorm drug, SNOMED condition, workout type); may be empty
  Instant start;
  std::optional<Instant> end;
  std::optional<double> amount;  // dose, carbohydrates, energy, …
  std::string unit;              // UCUM unit of amount
  std::string source;
  std::string details_json = "{}";
};

namespace event_kinds {
inline constexpr const char* meal = "meal";
inline constexpr const char* medication = "medication";
inline constexpr const char* insulin = "insulin";
inline constexpr const char* workout = "workout";
inline constexpr const char* condition = "condition";
inline constexpr const char* procedure = "procedure";
inline constexpr const char* self_report = "self-report";
}  // namespace event_kinds

// Where rows came from: one imported file (or one model run).
struct Provenance {
  std::string file_name;
  std::string sha256;  // of the file's bytes (of all files, for a multi-file record)
  std::string importer;
  std::string importer_version;
  Instant imported_at;
};

}  // namespace medtwin

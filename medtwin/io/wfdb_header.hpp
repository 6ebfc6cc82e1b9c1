// WFDB header (.hea) files, as described in the WFDB header(5) manual page:
// a record line, one line per signal, '#' comment lines and blank lines
// anywhere (PhysioNet's own files and wfdb-python's test variants have both).
// Multi-segment records are refused with a clear error.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace medtwin {

// One signal line: `file format[xspf][:skew][+offset] [gain[(baseline)][/units]
// [adcres [adczero [initval [checksum [blocksize [description]]]]]]]`.
struct WfdbSignalSpec {
  std::string file;             // signal file, relative to the header's folder
  int format = 0;               // 212, 16, 80, 310, 311, 24, 32, …
  int samples_per_frame = 1;
  int skew = 0;
  std::int64_t byte_offset = 0;
  double gain = 200;            // ADC units per physical unit; 0 or absent in the file → 200
  int baseline = 0;             // ADC value of physical zero; absent → adc_zero
  std::string units = "mV";
  int adc_resolution = 0;       // bits; 0 when absent
  int adc_zero = 0;
  std::optional<int> initial_value;
  std::optional<int> checksum;  // 16-bit sum of all samples, as written (signed)
  int block_size = 0;
  std::string description;      // "MLII", "V5", "ABP"; absent → "signal N"
  int line = 0;                 // where it was written, for messages
};

struct WfdbHeader {
  std::string name;  // of the header file, for messages
  std::string record;
  double frequency = 250;       // frames per second (WFDB's default when absent)
  double counter_frequency = 0;
  std::optional<std::int64_t> samples;  // per signal; absent or 0 → from the file size
  std::optional<std::chrono::milliseconds> base_time;  // time of day
  std::optional<std::chrono::year_month_day> base_date;
  std::vector<WfdbSignalSpec> signals;
  std::vector<std::string> comments;  // info lines without the '#'
};

// Parses header text; `name` appears in error messages ("100.hea:3:12: …").
// Throws ParseError on anything that is not a single-segment WFDB header.
WfdbHeader parse_wfdb_header(std::string_view text, const std::string& name);

// Whether the first record line of `head` (a file's first bytes, possibly cut
// short) reads as a WFDB record line: for picking an importer.
bool looks_like_wfdb_header(std::string_view head);

// Reads and parses the header file at `path` (any name: "100.hea",
// "100-wfdbpython-testvariant.hea.txt").
WfdbHeader read_wfdb_header(const std::filesystem::path& path);

}  // namespace medtwin

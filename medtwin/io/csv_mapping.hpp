// The generic CSV importer: any CSV of timestamped values, read through a
// mapping file (JSON) that says which column holds the time, which columns
// hold which metric in which unit, and optionally the end time, the person
// and the source. Used with `medtwin import FILE.csv --mapping MAP.json`;
// the format of the mapping is in docs/formats/csv-mapping.md, examples in
// data/mappings/.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "medtwin/io/importer.hpp"

namespace medtwin {

// How a time is written in one or more columns (joined with a space).
struct CsvTimeSpec {
  enum class Format { iso8601, unix_seconds, unix_milliseconds, pattern };
  std::vector<std::string> columns;
  Format format = Format::iso8601;
  std::string pattern;                     // strptime pattern when format == pattern
  std::optional<std::string> time_zone;    // for times without a zone; else --tz
};

// One column of values and what it measures.
struct CsvValueSpec {
  std::string column;
  Code code;
  std::string unit;         // UCUM unit stored (the metric's for a canonical metric)
  std::string column_unit;  // unit the column is written in
  bool convert = false;     // whether values go from column_unit to unit
  bool unit_known = true;   // false: a unit UCUM does not know, kept as written
};

struct CsvMapping {
  std::string name;  // the mapping file, for errors
  char delimiter = ',';
  long header_row = 1;  // 1-based record holding the header; records before it are skipped
  CsvTimeSpec time;
  std::optional<CsvTimeSpec> end_time;
  // Without an end time, each row may last a local day, hour or minute from its time.
  enum class Period { none, day, hour, minute } period = Period::none;
  std::optional<std::string> person_column;
  std::string source;  // constant source, or…
  std::optional<std::string> source_column;
  std::vector<CsvValueSpec> values;
};

// Reads a mapping from its JSON text; `name` names it in errors. Throws
// ParseError naming the field that is wrong.
CsvMapping parse_csv_mapping(std::string_view json, const std::string& name);
CsvMapping load_csv_mapping(const std::filesystem::path& path);

// Reads the CSV `bytes` (named `name` in errors) through `mapping`.
void read_mapped_csv(std::string_view bytes, const std::string& name, const CsvMapping& mapping,
                     const ImportOptions& options, RecordSink& sink);

std::unique_ptr<Importer> make_csv_mapping_importer();

}  // namespace medtwin

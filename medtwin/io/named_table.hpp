// A CSV table of named rows of numbers: a name in the first column, numbers in
// the others, one header line — the layout of simglucose's parameter tables
// (vpatient_params.csv, Quest.csv, pump_params.csv, sensor_params.csv).
// Knows nothing of the models that read the values.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace medtwin {

struct NamedRow {
  std::string name;
  long line = 0;                                   // in the file, for messages
  std::map<std::string, double, std::less<>> values;  // by column name
};

// Throws ParseError naming the file, line and column for an empty table, a
// blank or duplicate name, a duplicate column, a row of the wrong width or a
// field that is not a finite number.
std::vector<NamedRow> read_named_table(std::string_view text, const std::string& file);

// The row named `name` (exact match), or nullptr.
const NamedRow* find_named_row(const std::vector<NamedRow>& rows, std::string_view name);

// The names, comma-separated (for "known: …" messages).
std::string row_names(const std::vector<NamedRow>& rows);

}  // namespace medtwin

#include "medtwin/io/named_table.hpp"

#include <set>

#include "medtwin/core/error.hpp"
#include "medtwin/io/csv.hpp"
#include "medtwin/io/text.hpp"

namespace medtwin {

std::vector<NamedRow> read_named_table(std::string_view text, const std::string& file) {
  CsvReader csv(text, file);
  CsvRow row;
  if (!csv.next(row)) throw ParseError(file + ": empty, expected a header line");
  std::vector<std::string> columns;
  std::set<std::string, std::less<>> seen_columns;
  for (const std::string& field : row.fields) {
    columns.emplace_back(trim(field));
    if (!seen_columns.insert(columns.back()).second)
      throw ParseError(file + ":" + std::to_string(row.line) + ": column '" + columns.back() + "' appears twice");
  }
  if (columns.size() < 2) throw ParseError(file + ":" + std::to_string(row.line) + ": expected a name and number columns");
  std::vector<NamedRow> rows;
  std::set<std::string, std::less<>> seen_names;
  while (csv.next(row)) {
    check_width(row, columns.size(), file);
    NamedRow named{std::string(trim(row.fields[0])), row.line, {}};
    const std::string where = file + ":" + std::to_string(row.line);
    if (named.name.empty()) throw ParseError(where + ": the name in column '" + columns[0] + "' is empty");
    if (!seen_names.insert(named.name).second) throw ParseError(where + ": '" + named.name + "' appears twice");
    for (std::size_t c = 1; c < columns.size(); ++c) {
      const auto value = to_number(row.fields[c]);
      if (!value)
        throw ParseError(where + ": column '" + columns[c] + "' is '" + row.fields[c] + "', not a finite number");
      named.values.emplace(columns[c], *value);
    }
    rows.push_back(std::move(named));
  }
  if (rows.empty()) throw ParseError(file + ": no rows after the header");
  return rows;
}

const NamedRow* find_named_row(const std::vector<NamedRow>& rows, std::string_view name) {
  for (const NamedRow& r : rows)
    if (r.name == name) return &r;
  return nullptr;
}

std::string row_names(const std::vector<NamedRow>& rows) {
  std::string out;
  for (const NamedRow& r : rows) out += (out.empty() ? "" : ", ") + r.name;
  return out;
}

}  // namespace medtwin

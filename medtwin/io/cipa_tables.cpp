#include "medtwin/io/cipa_tables.hpp"

#include <functional>
#include <set>

#include "medtwin/core/error.hpp"
#include "medtwin/io/csv.hpp"
#include "medtwin/io/text.hpp"

namespace medtwin {
namespace {

// One data row being read: cells by header name, errors located at the cell
// (column = 1-based field number, as the header counts them).
class Row {
 public:
  Row(const CsvRow& row, const CsvHeader& header, const std::string& file) : row_(row), header_(header), file_(file) {}

  bool has(std::string_view column) const { return header_.find(column).has_value(); }

  std::string text(std::string_view column) const {
    const auto index = header_.find(column);
    return index ? std::string(trim(row_.fields[*index])) : std::string();
  }

  // The number in `column`; nullopt when the column is absent, the cell empty or "NA".
  std::optional<double> number(std::string_view column) const {
    const auto index = header_.find(column);
    if (!index) return std::nullopt;
    const std::string_view cell = trim(row_.fields[*index]);
    if (cell.empty() || equals_ignoring_case(cell, "NA")) return std::nullopt;
    const auto value = to_number(cell);
    if (!value) fail(*index, std::string(column) + " '" + std::string(cell) + "' is not a number");
    return value;
  }

  std::optional<double> positive(std::string_view column) const {
    const auto value = number(column);
    if (value && !(*value > 0)) fail_at(column, std::string(column) + " must be positive");
    return value;
  }

  [[noreturn]] void fail(std::size_t index, const std::string& what) const {
    throw ParseError(located(file_, row_.line, static_cast<long>(index) + 1, what));
  }
  [[noreturn]] void fail_at(std::string_view column, const std::string& what) const {
    fail(*header_.find(column), what);
  }
  [[noreturn]] void fail_row(const std::string& what) const { throw ParseError(located(file_, row_.line, what)); }

 private:
  const CsvRow& row_;
  const CsvHeader& header_;
  const std::string& file_;
};

using RowReader = std::function<void(const Row&, CipaDrugRecord&)>;

enum class Names { unique_drugs, samples };

// Reads every row of a table into a record. Names::unique_drugs: a "drug"
// column with unique names; Names::samples: rows are named "sample N" (N from
// 1). `check_header` may reject a header that lacks what the table needs.
std::vector<CipaDrugRecord> read_table(std::string_view text, const std::string& file, Names names_kind,
                                       const std::function<void(const CsvHeader&, long)>& check_header,
                                       const RowReader& read_row) {
  CsvReader csv(text, file);
  CsvRow row;
  if (!csv.next(row)) throw ParseError(file + ": empty file, expected a header line");
  const CsvHeader header(row.fields);
  if (names_kind == Names::unique_drugs) header.require("drug", file, row.line);
  check_header(header, row.line);
  std::vector<CipaDrugRecord> records;
  std::set<std::string> names;
  while (csv.next(row)) {
    check_width(row, header.size(), file);
    const Row cells(row, header, file);
    CipaDrugRecord record;
    if (names_kind == Names::samples) {
      record.name = "sample " + std::to_string(records.size() + 1);
    } else {
      record.name = cells.text("drug");
      if (record.name.empty()) cells.fail(*header.find("drug"), "empty drug name");
      if (!names.insert(to_lower(record.name)).second) cells.fail_row("drug '" + record.name + "' appears twice");
    }
    read_row(cells, record);
    records.push_back(std::move(record));
  }
  if (records.empty()) throw ParseError(file + ": no data rows, only a header");
  return records;
}

// The Hill parameters of every current: columns "<X><ic50_suffix>" and "<X>_h".
void read_hill(const Row& row, CipaDrugRecord& record, std::string_view ic50_suffix) {
  for (std::size_t c = 0; c < kCipaCurrents.size(); ++c) {
    const std::string ic50_column = std::string(kCipaCurrents[c]) + std::string(ic50_suffix);
    const std::string hill_column = std::string(kCipaCurrents[c]) + "_h";
    const auto ic50 = row.positive(ic50_column);
    const auto hill = row.positive(hill_column);
    if (ic50.has_value() != hill.has_value())
      row.fail_row(
          record.name + ": " +
          (ic50 ? ic50_column + " given without " + hill_column : hill_column + " given without " + ic50_column));
    if (ic50) record.hill[c] = CipaHill{*ic50, *hill};
  }
}

// Column names of the five binding parameters, in CipaHergBinding order.
using BindingColumns = std::array<std::string_view, 5>;
constexpr BindingColumns kBindingPlain = {"Kmax", "Ku", "n", "halfmax", "Vhalf"};
constexpr BindingColumns kBindingMerged = {"hERG_Kmax", "hERG_Ku_per_ms", "hERG_n", "hERG_halfmax_nM^n",
                                           "hERG_Vhalf_mV"};
constexpr BindingColumns kBindingUser = {"hERG_Kmax", "hERG_Ku", "hERG_n", "hERG_halfmax", "hERG_Vhalf"};

// All five parameters or none.
void read_binding(const Row& row, CipaDrugRecord& record, const BindingColumns& columns) {
  std::array<std::optional<double>, 5> v;
  int given = 0;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    v[i] = row.number(columns[i]);
    given += v[i].has_value();
  }
  if (given == 0) return;
  if (given != 5) row.fail_row(record.name + ": hERG binding needs all of Kmax, Ku, n, halfmax and Vhalf");
  for (std::size_t i = 1; i < 4; ++i)
    if (!(*v[i] > 0)) row.fail_at(columns[i], std::string(columns[i]) + " must be positive");
  if (!(*v[0] >= 0)) row.fail_at(columns[0], std::string(columns[0]) + " must not be negative");
  record.herg_binding = CipaHergBinding{*v[0], *v[1], *v[2], *v[3], *v[4]};
}

void read_category(const Row& row, CipaDrugRecord& record, std::string_view column) {
  const auto code = row.number(column);
  if (!code) row.fail_row(record.name + ": no " + std::string(column) + " (0 low, 1 intermediate, 2 high)");
  if (*code != 0 && *code != 1 && *code != 2)
    row.fail_row(record.name + ": " + std::string(column) + " must be 0 (low), 1 (intermediate) or 2 (high)");
  record.risk_category = static_cast<int>(*code);
}

void require_columns(const CsvHeader& header, long line, const std::string& file,
                     std::initializer_list<std::string_view> columns) {
  for (std::string_view c : columns) header.require(c, file, line);
}

std::vector<CipaDrugRecord> read_ic50_rows(std::string_view text, const std::string& file, Names names) {
  const auto check = [&file](const CsvHeader& header, long line) {
    for (std::string_view current : kCipaCurrents)
      if (header.find(std::string(current) + "_IC50")) return;
    throw ParseError(located(file, line, "no IC50 column: expected e.g. hERG_IC50 and hERG_h"));
  };
  return read_table(text, file, names, check, [](const Row& row, CipaDrugRecord& record) {
    read_hill(row, record, "_IC50");
    record.cmax_nm = row.has("Cmax") ? row.positive("Cmax") : row.positive("therapeutic");
    read_binding(row, record, kBindingUser);
  });
}

}  // namespace

std::vector<CipaDrugRecord> read_cipa_ic50_table(std::string_view text, const std::string& file) {
  return read_ic50_rows(text, file, Names::unique_drugs);
}

std::vector<CipaDrugRecord> read_cipa_ic50_samples(std::string_view text, const std::string& file) {
  return read_ic50_rows(text, file, Names::samples);
}

std::vector<CipaDrugRecord> read_cipa_training_drugs(std::string_view text, const std::string& file) {
  const auto check = [&file](const CsvHeader& header, long line) {
    require_columns(header, line, file, {"therapeutic", "CiPA"});
  };
  return read_table(text, file, Names::unique_drugs, check, [](const Row& row, CipaDrugRecord& record) {
    record.cmax_nm = row.positive("therapeutic");
    if (!record.cmax_nm) row.fail_row(record.name + ": no therapeutic (free Cmax, nM)");
    read_category(row, record, "CiPA");
  });
}

std::vector<CipaDrugRecord> read_cipa_herg_binding(std::string_view text, const std::string& file) {
  const auto check = [&file](const CsvHeader& header, long line) {
    require_columns(header, line, file, {"Kmax", "Ku", "n", "halfmax", "Vhalf"});
  };
  return read_table(text, file, Names::unique_drugs, check,
                    [](const Row& row, CipaDrugRecord& record) { read_binding(row, record, kBindingPlain); });
}

std::vector<CipaDrugRecord> read_cipa_merged_table(std::string_view text, const std::string& file) {
  const auto check = [&file](const CsvHeader& header, long line) {
    require_columns(header, line, file, {"CiPA_code", "EFTPC_Cmax_nM", "hERG_IC50_nM", "hERG_h"});
  };
  return read_table(text, file, Names::unique_drugs, check, [](const Row& row, CipaDrugRecord& record) {
    read_hill(row, record, "_IC50_nM");
    record.cmax_nm = row.positive("EFTPC_Cmax_nM");
    read_binding(row, record, kBindingMerged);
    read_category(row, record, "CiPA_code");
  });
}

const CipaDrugRecord* find_cipa_drug(const std::vector<CipaDrugRecord>& records, std::string_view name) {
  for (const CipaDrugRecord& r : records)
    if (equals_ignoring_case(r.name, trim(name))) return &r;
  return nullptr;
}

}  // namespace medtwin

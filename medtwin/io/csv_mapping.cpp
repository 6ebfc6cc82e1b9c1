#include "medtwin/io/csv_mapping.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "medtwin/core/error.hpp"
#include "medtwin/core/units.hpp"
#include "medtwin/io/csv.hpp"
#include "medtwin/io/text.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr long kMaxHeaderRow = 1000;

// "{score}": a UCUM annotation, valid UCUM for a dimensionless count or score.
bool is_annotation(std::string_view unit) {
  return unit.size() > 2 && unit.front() == '{' && unit.back() == '}' &&
         unit.find_first_of("{}", 1) == unit.size() - 1;
}

// Reads the JSON of a mapping, naming the field at fault in errors.
class MappingParser {
 public:
  explicit MappingParser(const std::string& name) : name_(name) {}

  CsvMapping parse(std::string_view text) {
    json root;
    try {
      root = json::parse(text);
    } catch (const json::exception& e) {
      throw ParseError(fmt::format("{}: not valid JSON ({})", name_, e.what()));
    }
    if (!root.is_object()) fail("", "expected a JSON object");
    check_keys(root, {"description", "delimiter", "header_row", "time", "end_time", "period", "person", "source",
                      "values"}, "");
    CsvMapping mapping;
    mapping.name = name_;
    if (auto delimiter = optional_string(root, "delimiter", "delimiter")) {
      if (delimiter->size() != 1) fail("delimiter", "expected one character (\",\", \";\", \"\\t\")");
      mapping.delimiter = (*delimiter)[0];
    }
    if (root.contains("header_row")) {
      const json& row = root["header_row"];
      if (!row.is_number_integer() || row.get<long>() < 1 || row.get<long>() > kMaxHeaderRow)
        fail("header_row", fmt::format("expected a whole number from 1 to {}", kMaxHeaderRow));
      mapping.header_row = row.get<long>();
    }
    if (!root.contains("time")) fail("time", "missing");
    mapping.time = time_spec(root["time"], "time", std::nullopt);
    if (root.contains("end_time")) mapping.end_time = time_spec(root["end_time"], "end_time", mapping.time);
    if (auto period = optional_string(root, "period", "period")) mapping.period = period_of(*period);
    if (mapping.end_time && mapping.period != CsvMapping::Period::none)
      fail("period", "give either end_time or period, not both");
    if (root.contains("person")) mapping.person_column = column_of(root["person"], "person");
    mapping.source = fs::path(name_).stem().string();
    if (root.contains("source")) {
      const json& source = root["source"];
      if (source.is_string()) mapping.source = source.get<std::string>();
      else mapping.source_column = column_of(source, "source");
    }
    if (!root.contains("values") || !root["values"].is_array() || root["values"].empty())
      fail("values", "expected a non-empty array of {\"column\", \"code\", \"unit\"}");
    for (std::size_t i = 0; i < root["values"].size(); ++i)
      mapping.values.push_back(value_spec(root["values"][i], fmt::format("values[{}]", i)));
    return mapping;
  }

 private:
  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    if (field.empty()) throw ParseError(fmt::format("{}: {}", name_, what));
    throw ParseError(fmt::format("{}: {}: {}", name_, field, what));
  }

  // A misspelt key would otherwise be ignored without a word.
  void check_keys(const json& object, std::initializer_list<std::string_view> allowed, const std::string& field) const {
    for (const auto& [key, value] : object.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        fail(field.empty() ? key : field + "." + key, "unknown key");
    }
  }

  std::optional<std::string> optional_string(const json& object, const char* key, const std::string& field) const {
    if (!object.contains(key)) return std::nullopt;
    if (!object[key].is_string()) fail(field, "expected a string");
    return object[key].get<std::string>();
  }

  std::string required_string(const json& object, const char* key, const std::string& field) const {
    auto text = optional_string(object, key, field);
    if (!text || text->empty()) fail(field, "missing");
    return *text;
  }

  std::string column_of(const json& object, const std::string& field) const {
    if (!object.is_object()) fail(field, "expected an object {\"column\": …}");
    check_keys(object, {"column"}, field);
    return required_string(object, "column", field + ".column");
  }

  CsvMapping::Period period_of(const std::string& text) const {
    if (text == "day") return CsvMapping::Period::day;
    if (text == "hour") return CsvMapping::Period::hour;
    if (text == "minute") return CsvMapping::Period::minute;
    fail("period", "expected \"day\", \"hour\" or \"minute\"");
  }

  // An end time inherits the format and zone of the start time unless it gives its own.
  CsvTimeSpec time_spec(const json& object, const std::string& field, const std::optional<CsvTimeSpec>& base) const {
    if (!object.is_object()) fail(field, "expected an object {\"column\": …, \"format\": …}");
    check_keys(object, {"column", "columns", "format", "time_zone"}, field);
    CsvTimeSpec spec;
    if (base) spec = *base;
    spec.columns.clear();
    if (object.contains("columns")) {
      const json& columns = object["columns"];
      if (!columns.is_array() || columns.empty()) fail(field + ".columns", "expected a non-empty array of names");
      for (const auto& column : columns) {
        if (!column.is_string()) fail(field + ".columns", "expected names");
        spec.columns.push_back(column.get<std::string>());
      }
    } else {
      spec.columns.push_back(required_string(object, "column", field + ".column"));
    }
    if (auto format = optional_string(object, "format", field + ".format")) {
      spec.pattern.clear();
      if (*format == "iso8601") spec.format = CsvTimeSpec::Format::iso8601;
      else if (*format == "unix_s") spec.format = CsvTimeSpec::Format::unix_seconds;
      else if (*format == "unix_ms") spec.format = CsvTimeSpec::Format::unix_milliseconds;
      else if (format->find('%') != std::string::npos) {
        spec.format = CsvTimeSpec::Format::pattern;
        spec.pattern = *format;
      } else {
        fail(field + ".format",
             "expected \"iso8601\", \"unix_s\", \"unix_ms\" or a strptime pattern like \"%d.%m.%Y %H:%M\"");
      }
    }
    if (auto zone = optional_string(object, "time_zone", field + ".time_zone")) {
      if (!is_known_time_zone(*zone)) fail(field + ".time_zone", fmt::format("unknown time zone '{}'", *zone));
      spec.time_zone = zone;
    }
    return spec;
  }

  CsvValueSpec value_spec(const json& object, const std::string& field) const {
    if (!object.is_object()) fail(field, "expected an object {\"column\", \"code\", \"unit\"}");
    check_keys(object, {"column", "code", "unit", "store_unit", "display", "description"}, field);
    CsvValueSpec spec;
    spec.column = required_string(object, "column", field + ".column");
    std::string code = required_string(object, "code", field + ".code");
    auto unit = optional_string(object, "unit", field + ".unit");
    if (code.find('|') != std::string::npos) {
      spec.code = parse_code_token(code);
      if (spec.code.system.empty() || spec.code.code.empty()) fail(field + ".code", "expected system|code");
      if (!unit) fail(field + ".unit", "required with a system|code (the UCUM unit of the column)");
      auto ucum = to_ucum(*unit);
      spec.unit_known = ucum.has_value() || is_annotation(*unit);
      spec.unit = spec.column_unit = ucum.value_or(*unit);
      if (auto store = optional_string(object, "store_unit", field + ".store_unit")) {
        auto store_ucum = to_ucum(*store);
        if (!ucum || !store_ucum || !convert_unit(1.0, *ucum, *store_ucum))
          fail(field + ".store_unit", fmt::format("cannot convert '{}' to '{}'", *unit, *store));
        spec.unit = *store_ucum;
        spec.convert = spec.unit != spec.column_unit;
      }
    } else {
      auto metric = find_metric(code);
      if (!metric || metric->unit.empty()) {  // coded metrics (sleep_stage) take no numeric column
        fail(field + ".code",
             fmt::format("'{}' is neither a medtwin metric name (heart_rate, steps, …) nor a system|code", code));
      }
      if (object.contains("store_unit")) fail(field + ".store_unit", "a medtwin metric is stored in its own unit");
      spec.code = metric->code;
      spec.unit = metric->unit;
      spec.column_unit = metric->unit;
      if (unit) {
        auto ucum = to_ucum(*unit);
        if (!ucum) fail(field + ".unit", fmt::format("unknown unit '{}'", *unit));
        if (!to_metric_unit(1.0, *ucum, *metric))
          fail(field + ".unit", fmt::format("'{}' cannot be converted to {} ({})", *unit, metric->unit, code));
        spec.column_unit = *ucum;
      }
      spec.convert = spec.column_unit != spec.unit;
    }
    if (auto display = optional_string(object, "display", field + ".display")) spec.code.display = *display;
    return spec;
  }

  const std::string& name_;
};

// "…T10:00:00Z", "…+02:00", "… -0500": a zone after the date.
bool has_zone(std::string_view text) {
  if (text.size() <= 10) return false;
  std::string_view after_date = text.substr(10);
  return after_date.find_first_of("Zz+-") != std::string_view::npos;
}

// Reads the rows of one CSV through a mapping.
class MappedReader {
 public:
  MappedReader(CsvReader& csv, const CsvMapping& mapping, const ImportOptions& options, RecordSink& sink,
               std::uint64_t total_bytes)
      : csv_(csv), mapping_(mapping), options_(options), sink_(sink), total_bytes_(total_bytes) {}

  void run() {
    read_header();
    for (const auto& value : mapping_.values) {
      if (!value.unit_known) {
        sink_.issue({ImportIssue::Kind::unknown_unit, fmt::format("{}: {}", mapping_.name, value.column),
                     fmt::format("unit '{}' is not UCUM; kept as written", value.unit)});
      }
    }
    CsvRow row;
    for (std::uint64_t rows = 1; csv_.next(row); ++rows) {
      check_width(row, header_.size(), csv_.name());
      read_row(row);
      if (options_.progress && rows % 65536 == 0) options_.progress(csv_.position(), total_bytes_);
    }
    if (options_.progress) options_.progress(csv_.position(), total_bytes_);
  }

 private:
  void read_header() {
    CsvRow row;
    for (long record = 0; record < mapping_.header_row; ++record) {
      if (!csv_.next(row)) {
        throw ParseError(record == 0 ? fmt::format("{}: the file is empty", csv_.name())
                                     : fmt::format("{}: the file ends before header row {} ({})", csv_.name(),
                                                   mapping_.header_row, mapping_.name));
      }
    }
    header_ = CsvHeader(row.fields);
    header_line_ = row.line;
    for (const auto& column : mapping_.time.columns) time_columns_.push_back(column_index(column));
    if (mapping_.end_time)
      for (const auto& column : mapping_.end_time->columns) end_columns_.push_back(column_index(column));
    if (mapping_.person_column) person_column_ = column_index(*mapping_.person_column);
    if (mapping_.source_column) source_column_ = column_index(*mapping_.source_column);
    for (const auto& value : mapping_.values) value_columns_.push_back(column_index(value.column));
  }

  std::size_t column_index(const std::string& name) const {
    if (auto column = header_.find(name)) return *column;
    throw ParseError(located(csv_.name(), header_line_,
                             fmt::format("the mapping {} names column '{}', which the header does not have",
                                         mapping_.name, name)));
  }

  [[noreturn]] void fail(const CsvRow& row, std::size_t column, const std::string& what) const {
    throw ParseError(located(csv_.name(), row.line, long(column + 1),
                             fmt::format("column '{}': {}", header_.names()[column], what)));
  }

  struct When {
    Instant at;
    std::optional<LocalTime> local;  // set when the text had no zone
  };

  When parse_time(const CsvTimeSpec& spec, const std::vector<std::size_t>& columns, const CsvRow& row) const {
    std::string text;
    for (std::size_t column : columns) {
      if (!text.empty()) text += ' ';
      text += trim(row.fields[column]);
    }
    std::size_t column = columns.front();
    try {
      switch (spec.format) {
        case CsvTimeSpec::Format::unix_seconds: return {from_epoch_ms(epoch_ms(text, 1000, row, column)), {}};
        case CsvTimeSpec::Format::unix_milliseconds: return {from_epoch_ms(epoch_ms(text, 1, row, column)), {}};
        case CsvTimeSpec::Format::iso8601:
          if (has_zone(text)) return {parse_instant(text), {}};
          return local(parse_local_time(text), spec, row, column, text);
        case CsvTimeSpec::Format::pattern:
          return local(parse_local_time(text, spec.pattern.c_str()), spec, row, column, text);
      }
    } catch (const ParseError& e) {
      fail(row, column, e.what());
    }
    fail(row, column, "unknown time format");
  }

  std::int64_t epoch_ms(const std::string& text, double scale, const CsvRow& row, std::size_t column) const {
    // ±1e14 s spans far more than any record; beyond it the milliseconds would overflow.
    auto value = to_number(text);
    if (!value || std::abs(*value * scale) > 1e17) fail(row, column, fmt::format("'{}' is not a Unix time", text));
    return std::int64_t(std::llround(*value * scale));
  }

  When local(LocalTime t, const CsvTimeSpec& spec, const CsvRow& row, std::size_t column,
             const std::string& text) const {
    const std::optional<std::string>& zone = spec.time_zone ? spec.time_zone : options_.time_zone;
    if (!zone) {
      fail(row, column, fmt::format("'{}' has no time zone; pass --tz ZONE (e.g. --tz Europe/Amsterdam) or set "
                                    "time_zone in the mapping", text));
    }
    return {to_instant(t, *zone), t};
  }

  const std::string& zone_of(const CsvTimeSpec& spec) const {
    return spec.time_zone ? *spec.time_zone : *options_.time_zone;
  }

  // [start, end] of a row: from the end-time column, the mapping's period, or a point.
  std::pair<Instant, Instant> span(const CsvRow& row) const {
    When start = parse_time(mapping_.time, time_columns_, row);
    if (mapping_.end_time) {
      When end = parse_time(*mapping_.end_time, end_columns_, row);
      if (end.at < start.at) fail(row, end_columns_.front(), "the end is before the start");
      return {start.at, end.at};
    }
    using namespace std::chrono;
    milliseconds length{0};
    switch (mapping_.period) {
      case CsvMapping::Period::none: return {start.at, start.at};
      case CsvMapping::Period::day: length = days{1}; break;
      case CsvMapping::Period::hour: length = hours{1}; break;
      case CsvMapping::Period::minute: length = minutes{1}; break;
    }
    if (!start.local) return {start.at, start.at + length};
    // A local day runs midnight to midnight, 23 or 25 hours on a DST change.
    LocalTime from = mapping_.period == CsvMapping::Period::day ? floor<days>(*start.local) : *start.local;
    const std::string& zone = zone_of(mapping_.time);
    return {to_instant(from, zone), to_instant(from + length, zone)};
  }

  void switch_person(const CsvRow& row) {
    std::string_view id = trim(row.fields[*person_column_]);
    if (id.empty()) fail(row, *person_column_, "the person is empty");
    if (id == person_) return;
    person_ = id;
    PersonInfo info;
    info.source_id = person_;
    sink_.person(info);
  }

  void read_row(const CsvRow& row) {
    if (person_column_) switch_person(row);
    auto [start, end] = span(row);
    std::string_view source = mapping_.source;
    if (source_column_ && !trim(row.fields[*source_column_]).empty()) source = trim(row.fields[*source_column_]);
    for (std::size_t i = 0; i < mapping_.values.size(); ++i) {
      const CsvValueSpec& spec = mapping_.values[i];
      std::size_t column = value_columns_[i];
      if (trim(row.fields[column]).empty()) continue;
      auto value = to_number(row.fields[column]);
      if (!value) fail(row, column, "not a number");
      if (spec.convert) value = to_metric_unit(*value, spec.column_unit, Metric{spec.code, spec.unit});
      Observation obs;
      obs.code = spec.code;
      obs.value = value;
      obs.unit = spec.unit;
      obs.start = start;
      obs.end = end;
      obs.source = source;
      sink_.observation(obs);
    }
  }

  CsvReader& csv_;
  const CsvMapping& mapping_;
  const ImportOptions& options_;
  RecordSink& sink_;
  std::uint64_t total_bytes_;
  CsvHeader header_;
  long header_line_ = 1;
  std::vector<std::size_t> time_columns_, end_columns_, value_columns_;
  std::optional<std::size_t> person_column_, source_column_;
  std::string person_;
};

class CsvMappingImporter final : public Importer {
 public:
  std::string_view name() const override { return "csv-mapping"; }
  std::string_view version() const override { return "1"; }
  bool accepts(const fs::path& path, std::string_view, const ImportOptions& options) const override {
    if (!options.csv_mapping) return false;
    return has_extension(path, ".csv") || has_extension(path, ".tsv") || has_extension(path, ".txt");
  }
  void read(const fs::path& path, const ImportOptions& options, RecordSink& sink) const override {
    if (!options.csv_mapping) throw Error(fmt::format("{}: a generic CSV needs --mapping FILE", path.string()));
    CsvMapping mapping = load_csv_mapping(*options.csv_mapping);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw NotFound(fmt::format("{}: cannot open file", path.string()));
    CsvReader csv(in, path.filename().string(), mapping.delimiter);
    MappedReader(csv, mapping, options, sink, fs::file_size(path)).run();
  }
};

}  // namespace

CsvMapping parse_csv_mapping(std::string_view json, const std::string& name) { return MappingParser(name).parse(json); }

CsvMapping load_csv_mapping(const fs::path& path) {
  return parse_csv_mapping(read_file(path), path.filename().string());
}

void read_mapped_csv(std::string_view bytes, const std::string& name, const CsvMapping& mapping,
                     const ImportOptions& options, RecordSink& sink) {
  CsvReader csv(bytes, name, mapping.delimiter);
  MappedReader(csv, mapping, options, sink, bytes.size()).run();
}

std::unique_ptr<Importer> make_csv_mapping_importer() { return std::make_unique<CsvMappingImporter>(); }

}  // namespace medtwin

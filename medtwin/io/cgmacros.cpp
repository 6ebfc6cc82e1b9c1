#include "medtwin/io/cgmacros.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <optional>

#include "medtwin/core/codes.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/csv.hpp"
#include "medtwin/io/fitbit_common.hpp"
#include "medtwin/io/text.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Second differences below this share of the value are the rounding of a straight line.
constexpr double kStraightTolerance = 1e-6;
// Values outside these are skipped as implausible (with an import issue), not read as measurements.
constexpr double kMinGlucose = 1, kMaxGlucose = 1000;  // mg/dL
constexpr double kMinHeartRate = 20, kMaxHeartRate = 300;  // /min
constexpr double kMaxCarbs = 2000;                        // g in one logged meal

struct Sensor {
  const char* column;
  const char* source;  // the device, kept as the series' source
  int period_minutes;  // how often it reads (CGMacros paper, Methods)
};
constexpr Sensor kSensors[] = {{"Libre GL", "Libre Pro", 15}, {"Dexcom GL", "Dexcom G6", 5}};

struct FitbitColumn {
  const char* column;
  Metric (*metric)();
  const char* unit;
  double scale = 1;  // Fitbit writes METs ×10 (10 = resting), as in Fitabase
  double low = 0, high = 1e6;  // plausible range after scaling
};
const FitbitColumn kFitbitColumns[] = {{"HR", metrics::heart_rate, "/min", 1, kMinHeartRate, kMaxHeartRate},
                                       {"METs", fitbit::metabolic_equivalent, "{MET}", 0.1, 0, 30},
                                       {"Steps", metrics::steps, "{steps}", 1, 0, 1000}};

// The macros of a logged meal, as the dataset names them; all optional.
struct MacroColumn {
  const char* column;
  const char* key;  // in the event's details
};
constexpr MacroColumn kMacroColumns[] = {{"Calories", "energy_kcal"}, {"Protein", "protein_g"}, {"Fat", "fat_g"},
                                         {"Fiber", "fiber_g"},        {"Sugar", "sugar_g"},     {"Amount Consumed", "consumed_percent"}};

struct SensorColumn {
  const Sensor* sensor;
  std::size_t column;
  std::vector<GridValue> values;
  std::vector<Instant> times;
};

class CgmacrosReader {
 public:
  CgmacrosReader(CsvReader& csv, const ImportOptions& options, RecordSink& sink, std::uint64_t total_bytes)
      : csv_(csv), options_(options), sink_(sink), total_bytes_(total_bytes),
        tz_(require_time_zone(options.time_zone, csv.name())) {}

  void run() {
    read_header();
    PersonInfo person;
    person.source_id = fs::path(csv_.name()).stem().string();
    sink_.person(person);
    CsvRow row;
    for (std::uint64_t rows = 1; csv_.next(row); ++rows) {
      check_width(row, header_.size(), csv_.name());
      read_row(row);
      if (options_.progress && rows % 65536 == 0) options_.progress(csv_.position(), total_bytes_);
    }
    for (const auto& sensor : sensors_) emit_readings(sensor);
    if (options_.progress) options_.progress(csv_.position(), total_bytes_);
  }

 private:
  void read_header() {
    CsvRow row;
    if (!csv_.next(row)) throw ParseError(fmt::format("{}: the file is empty", csv_.name()));
    header_ = CsvHeader(row.fields);
    timestamp_ = header_.require("Timestamp", csv_.name(), row.line);
    for (const auto& sensor : kSensors)
      sensors_.push_back({&sensor, header_.require(sensor.column, csv_.name(), row.line), {}, {}});
    carbs_ = header_.require("Carbs", csv_.name(), row.line);
    meal_type_ = header_.find("Meal Type");
    for (const auto& column : kFitbitColumns)
      if (auto at = header_.find(column.column)) fitbit_.emplace_back(&column, *at);
    for (const auto& column : kMacroColumns)
      if (auto at = header_.find(column.column)) macros_.emplace_back(&column, *at);
  }

  [[noreturn]] void fail(const CsvRow& row, std::size_t column, const std::string& what) const {
    throw ParseError(located(csv_.name(), row.line, long(column + 1),
                             fmt::format("column '{}': {}", header_.names()[column], what)));
  }

  std::optional<double> number_at(const CsvRow& row, std::size_t column) const {
    const std::string& cell = row.fields[column];
    if (trim(cell).empty()) return std::nullopt;
    auto value = to_number(cell);
    if (!value || !std::isfinite(*value)) fail(row, column, "not a number");
    return value;
  }

  // The row's minute on the grid, checked to advance by whole minutes, also
  // once read in the zone (a daylight-saving change would repeat or skip them).
  LocalTime time_of(const CsvRow& row) {
    std::string_view text = trim(row.fields[timestamp_]);
    LocalTime t;
    try {
      t = parse_local_time(text);
    } catch (const ParseError&) {
      fail(row, timestamp_, fmt::format("'{}' is not a date and time like 2020-05-01 10:30:00", text));
    }
    if (first_time_ && t <= last_time_) fail(row, timestamp_, "times must increase from row to row");
    if (t.time_since_epoch() % std::chrono::milliseconds{1min} != 0ms)
      fail(row, timestamp_, "times must fall on whole minutes (the dataset's 1-minute grid)");
    Instant at = to_instant(t, tz_);
    if (first_time_ && at <= last_instant_)
      fail(row, timestamp_,
           fmt::format("in zone {} this time repeats or goes back (a daylight-saving change): the grid is one clock "
                       "without changes, import it with --tz UTC",
                       tz_));
    if (!first_time_) first_time_ = t;
    last_time_ = t;
    last_instant_ = at;
    return t;
  }

  // The number in `column` if within [low, high]; outside, an issue and nullopt.
  std::optional<double> plausible_at(const CsvRow& row, std::size_t column, double low, double high, double scale = 1) {
    auto value = number_at(row, column);
    if (!value) return value;
    *value *= scale;
    if (*value >= low && *value <= high) return value;
    sink_.issue({ImportIssue::Kind::skipped_record, located(csv_.name(), row.line, long(column + 1), header_.names()[column]),
                 fmt::format("outside the plausible {}–{}", low, high)});
    return std::nullopt;
  }

  void read_row(const CsvRow& row) {
    LocalTime t = time_of(row);
    auto minute = std::chrono::duration_cast<std::chrono::minutes>(t - *first_time_).count();
    for (auto& sensor : sensors_)
      if (auto value = plausible_at(row, sensor.column, kMinGlucose, kMaxGlucose)) {
        sensor.values.push_back({minute, *value});
        sensor.times.push_back(last_instant_);
      }
    for (const auto& [column, at] : fitbit_)
      if (auto value = plausible_at(row, at, column->low, column->high, column->scale)) {
        auto span = fitbit::local_span(t, 1min, tz_);
        fitbit::emit(sink_, column->metric(), *value, column->unit, span.start, span.end);
      }
    read_meal(row, t);
  }

  // A row with carbohydrates or a meal type is a logged meal.
  void read_meal(const CsvRow& row, LocalTime t) {
    std::optional<double> carbs = number_at(row, carbs_);
    std::string_view type = meal_type_ ? trim(row.fields[*meal_type_]) : std::string_view{};
    if (!carbs && type.empty()) return;
    if (carbs && *carbs < 0) fail(row, carbs_, "carbohydrates cannot be negative");
    if (carbs && *carbs > kMaxCarbs) fail(row, carbs_, fmt::format("more than {} g in one meal", kMaxCarbs));
    nlohmann::json details = nlohmann::json::object();
    if (!type.empty()) details["meal_type"] = std::string(type);
    for (const auto& [column, at] : macros_)
      if (auto value = number_at(row, at)) {
        if (*value < 0) fail(row, at, "cannot be negative");
        details[column->key] = *value;
      }
    Event meal;
    meal.kind = event_kinds::meal;
    meal.start = to_instant(t, tz_);
    if (carbs) {
      meal.amount = *carbs;
      meal.unit = "g";
    }
    meal.source = "CGMacros meal log";
    // Free text from the file may not be UTF-8: replace what is not rather than fail.
    meal.details_json = details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    sink_.event(meal);
  }

  void emit_readings(const SensorColumn& sensor) {
    auto rows = sensor_reading_rows(sensor.values, sensor.sensor->period_minutes);
    if (rows.size() > 10 && sensor.values.size() < 2 * rows.size())
      sink_.issue({ImportIssue::Kind::note, fmt::format("{}: column '{}'", csv_.name(), sensor.sensor->column),
                   fmt::format("{} of {} values are kept as readings: the 1-minute fill does not look linear, so "
                               "interpolated values may have been read as measurements",
                               rows.size(), sensor.values.size())});
    for (std::size_t i : rows) {
      Observation obs;
      obs.code = metrics::interstitial_glucose().code;
      obs.value = sensor.values[i].value;
      obs.unit = metrics::interstitial_glucose().unit;
      obs.start = obs.end = sensor.times[i];
      obs.source = sensor.sensor->source;
      sink_.observation(obs);
    }
  }

  CsvReader& csv_;
  const ImportOptions& options_;
  RecordSink& sink_;
  std::uint64_t total_bytes_;
  const std::string& tz_;
  CsvHeader header_;
  std::size_t timestamp_ = 0;
  std::size_t carbs_ = 0;
  std::optional<std::size_t> meal_type_;
  std::vector<SensorColumn> sensors_;
  std::vector<std::pair<const FitbitColumn*, std::size_t>> fitbit_;
  std::vector<std::pair<const MacroColumn*, std::size_t>> macros_;
  std::optional<LocalTime> first_time_;
  LocalTime last_time_{};
  Instant last_instant_{};
};

class CgmacrosImporter final : public Importer {
 public:
  std::string_view name() const override { return "cgmacros"; }
  std::string_view version() const override { return "1"; }
  bool accepts(const fs::path& path, std::string_view head, const ImportOptions&) const override {
    return path.extension() == ".csv" && is_cgmacros_header(head.substr(0, head.find('\n')));
  }
  void read(const fs::path& path, const ImportOptions& options, RecordSink& sink) const override {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw NotFound(fmt::format("{}: cannot open file", path.string()));
    CsvReader csv(in, path.filename().string());
    CgmacrosReader(csv, options, sink, fs::file_size(path)).run();
  }
};

}  // namespace

std::vector<std::size_t> sensor_reading_rows(std::span<const GridValue> column, int period_minutes) {
  std::vector<std::size_t> rows;
  auto joined = [&](std::size_t a, std::size_t b) { return column[b].minute - column[a].minute == 1; };
  for (std::size_t i = 0; i < column.size(); ++i) {
    bool stretch_ends = i == 0 || i + 1 == column.size() || !joined(i - 1, i) || !joined(i, i + 1);
    bool knot = !stretch_ends && std::abs(column[i + 1].value - 2 * column[i].value + column[i - 1].value) >
                                     kStraightTolerance * std::max(1.0, std::abs(column[i].value));
    bool period_due = !rows.empty() && column[i].minute - column[rows.back()].minute >= period_minutes;
    if (stretch_ends || knot || period_due) rows.push_back(i);
  }
  return rows;
}

bool is_cgmacros_header(std::string_view first_line) {
  CsvReader csv(first_line, "head");
  CsvRow row;
  try {
    if (!csv.next(row)) return false;
    CsvHeader header(row.fields);
    return header.find("Timestamp") && header.find("Libre GL") && header.find("Dexcom GL") && header.find("Carbs");
  } catch (const ParseError&) {
    return false;
  }
}

void read_cgmacros(std::string_view bytes, const std::string& name, const ImportOptions& options, RecordSink& sink) {
  CsvReader csv(bytes, name);
  CgmacrosReader(csv, options, sink, bytes.size()).run();
}

std::unique_ptr<Importer> make_cgmacros_importer() { return std::make_unique<CgmacrosImporter>(); }

}  // namespace medtwin

#include "medtwin/io/fitbit_export.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "medtwin/core/error.hpp"
#include "medtwin/core/units.hpp"
#include "medtwin/io/csv.hpp"
#include "medtwin/io/fitbit_common.hpp"
#include "medtwin/io/text.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;
using simdjson::dom::element;
using namespace std::chrono_literals;

enum class Kind {
  heart_rate, resting_heart_rate, steps, calories, distance, altitude, very_active_minutes,
  moderately_active_minutes, lightly_active_minutes, sedentary_minutes, heart_rate_zones, weight, sleep,
  exercise, sleep_score,
};

struct KindName {
  std::string_view stem;
  Kind kind;
};

constexpr KindName kKinds[] = {
    {"heart_rate", Kind::heart_rate},
    {"resting_heart_rate", Kind::resting_heart_rate},
    {"steps", Kind::steps},
    {"calories", Kind::calories},
    {"distance", Kind::distance},
    {"altitude", Kind::altitude},
    {"very_active_minutes", Kind::very_active_minutes},
    {"moderately_active_minutes", Kind::moderately_active_minutes},
    {"lightly_active_minutes", Kind::lightly_active_minutes},
    {"sedentary_minutes", Kind::sedentary_minutes},
    {"time_in_heart_rate_zones", Kind::heart_rate_zones},
    {"weight", Kind::weight},
    {"sleep", Kind::sleep},
    {"exercise", Kind::exercise},
};

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "-2020-01-01" at the end of a file stem.
bool is_date_suffix(std::string_view text) {
  return text.size() == 11 && text[0] == '-' && all_digits(text.substr(1, 4)) && text[5] == '-' &&
         all_digits(text.substr(6, 2)) && text[8] == '-' && all_digits(text.substr(9, 2));
}

// The metric part of a stem: "steps-2020-01-01" → "steps", "exercise-100" → "exercise".
std::string_view metric_stem(std::string_view stem) {
  if (stem.size() > 11 && is_date_suffix(stem.substr(stem.size() - 11))) return stem.substr(0, stem.size() - 11);
  auto dash = stem.rfind('-');
  if (dash != std::string_view::npos && all_digits(stem.substr(dash + 1))) return stem.substr(0, dash);
  return stem;
}

std::optional<Kind> kind_of(std::string_view file_name) {
  if (file_name == "sleep_score.csv") return Kind::sleep_score;
  if (!file_name.ends_with(".json")) return std::nullopt;
  std::string_view stem = metric_stem(file_name.substr(0, file_name.size() - 5));
  for (const auto& known : kKinds)
    if (known.stem == stem) return known.kind;
  return std::nullopt;
}

// Longest span a sleep stage or workout may last before we call the file corrupt.
constexpr auto kLongestSpan = std::chrono::days{31};

// One entry of the top-level array: reads its fields and names them in errors.
class Entry {
 public:
  Entry(element value, std::size_t number, const std::string& file) : value_(value), number_(number), file_(file) {}

  [[noreturn]] void fail(std::string_view field, std::string_view what) const {
    throw ParseError(fmt::format("{}: entry {}, field '{}': {}", file_, number_, field, what));
  }

  // The member at `path` ("value.bpm"), nullopt when absent or null.
  std::optional<element> find(std::string_view path) const {
    element at = value_;
    for (std::size_t start = 0; start <= path.size();) {
      auto dot = std::min(path.find('.', start), path.size());
      simdjson::dom::object object;
      element next;
      if (at.get(object) != simdjson::SUCCESS || object[path.substr(start, dot - start)].get(next) != simdjson::SUCCESS)
        return std::nullopt;
      at = next;
      start = dot + 1;
    }
    if (at.is_null()) return std::nullopt;
    return at;
  }

  element get(std::string_view path) const {
    auto found = find(path);
    if (!found) fail(path, "missing");
    return *found;
  }

  std::string_view text(std::string_view path) const {
    std::string_view text;
    if (get(path).get(text) != simdjson::SUCCESS) fail(path, "expected a string");
    return text;
  }

  // A number, written as one or as a string ("value": "1025"); nullopt when absent or null.
  std::optional<double> number(std::string_view path) const {
    auto found = find(path);
    if (!found) return std::nullopt;
    double number = 0;
    std::string_view text;
    if (found->get(number) == simdjson::SUCCESS) return number;
    if (found->get(text) == simdjson::SUCCESS) {
      if (trim(text).empty()) return std::nullopt;
      if (auto parsed = to_number(text)) return parsed;
    }
    fail(path, "expected a number");
  }

  double required_number(std::string_view path) const {
    auto found = number(path);
    if (!found) fail(path, "missing");
    return *found;
  }

  // A span in `unit` ("ms" or "s"), checked to be a sane length.
  std::chrono::milliseconds duration(std::string_view path, double unit_ms) const {
    double ms = required_number(path) * unit_ms;
    if (!(ms >= 0 && ms <= double(std::chrono::milliseconds(kLongestSpan).count())))
      fail(path, "not a duration between 0 and 31 days");
    return std::chrono::milliseconds{std::int64_t(ms)};
  }

  element value() const { return value_; }
  std::size_t index() const { return number_; }

 private:
  element value_;
  std::size_t number_;
  const std::string& file_;
};

// Reads the entries of one JSON file of the export.
class ExportReader {
 public:
  ExportReader(const std::string& file, const ImportOptions& options, RecordSink& sink)
      : file_(file), sink_(sink), tz_(require_time_zone(options.time_zone, file)) {}

  void read(std::string_view bytes, Kind kind) {
    simdjson::dom::parser parser;
    simdjson::padded_string padded(bytes);
    element root;
    if (auto error = parser.parse(padded).get(root))
      throw ParseError(fmt::format("{}: not valid JSON ({})", file_, simdjson::error_message(error)));
    simdjson::dom::array entries;
    if (root.get(entries) != simdjson::SUCCESS) throw ParseError(fmt::format("{}: expected a JSON array", file_));
    std::size_t number = 0;
    for (element value : entries) read_entry(Entry(value, ++number, file_), kind);
  }

 private:
  // "01/01/20 00:00:05" (most files) or "2020-01-01T23:30:00.000" (sleep), local.
  LocalTime local_time(const Entry& entry, std::string_view field) const {
    std::string_view text = entry.text(field);
    try {
      return text.find('/') != std::string_view::npos ? parse_local_time(text, "%m/%d/%y %H:%M:%S")
                                                        : parse_local_time(text);
    } catch (const ParseError&) {
      entry.fail(field, fmt::format("'{}' is not a time like 01/01/20 00:00:05 or 2020-01-01T23:30:00.000", text));
    }
  }

  Instant instant(const Entry& entry, std::string_view field) const {
    return to_instant(local_time(entry, field), tz_);
  }

  void read_entry(const Entry& entry, Kind kind) {
    switch (kind) {
      case Kind::heart_rate: return point(entry, metrics::heart_rate(), "value.bpm", "/min");
      case Kind::resting_heart_rate: return resting_heart_rate(entry);
      case Kind::steps: return minute(entry, metrics::steps(), "{steps}");
      case Kind::calories: return minute(entry, metrics::total_energy(), "kcal");
      case Kind::distance: return minute(entry, metrics::distance(), "cm");
      case Kind::altitude: return minute(entry, fitbit::elevation_gain(), "[ft_i]");
      case Kind::very_active_minutes: return daily(entry, metrics::very_active_minutes(), "value", "min");
      case Kind::moderately_active_minutes: return daily(entry, metrics::fairly_active_minutes(), "value", "min");
      case Kind::lightly_active_minutes: return daily(entry, metrics::lightly_active_minutes(), "value", "min");
      case Kind::sedentary_minutes: return daily(entry, metrics::sedentary_minutes(), "value", "min");
      case Kind::heart_rate_zones: return heart_rate_zones(entry);
      case Kind::weight: return weight(entry);
      case Kind::sleep: return sleep(entry);
      case Kind::exercise: return exercise(entry);
      case Kind::sleep_score: break;  // a CSV file, read elsewhere
    }
  }

  void point(const Entry& entry, const Metric& metric, std::string_view field, std::string_view unit) {
    Instant at = instant(entry, "dateTime");
    fitbit::emit(sink_, metric, entry.required_number(field), unit, at, at);
  }

  // Per-minute totals.
  void minute(const Entry& entry, const Metric& metric, std::string_view unit) {
    auto span = fitbit::local_span(local_time(entry, "dateTime"), 1min, tz_);
    fitbit::emit(sink_, metric, entry.required_number("value"), unit, span.start, span.end);
  }

  void daily(const Entry& entry, const Metric& metric, std::string_view field, std::string_view unit) {
    auto day = fitbit::local_day(local_time(entry, "dateTime"), tz_);
    if (auto value = entry.number(field)) fitbit::emit(sink_, metric, *value, unit, day.start, day.end);
  }

  // Days without an estimate are written as {"date": null, "value": 0.0}.
  void resting_heart_rate(const Entry& entry) {
    auto value = entry.number("value.value");
    if (!value || *value <= 0) return;
    daily(entry, metrics::resting_heart_rate(), "value.value", "/min");
  }

  void heart_rate_zones(const Entry& entry) {
    simdjson::dom::object zones;
    if (entry.get("value.valuesInZones").get(zones) != simdjson::SUCCESS)
      entry.fail("value.valuesInZones", "expected an object");
    auto day = fitbit::local_day(local_time(entry, "dateTime"), tz_);
    for (auto [key, minutes] : zones) {
      static constexpr std::string_view kZones[] = {"BELOW_DEFAULT_ZONE_1", "IN_DEFAULT_ZONE_1", "IN_DEFAULT_ZONE_2",
                                                    "IN_DEFAULT_ZONE_3"};
      auto zone = std::find(std::begin(kZones), std::end(kZones), key) - std::begin(kZones);
      if (zone == std::ssize(kZones)) {
        sink_.issue({ImportIssue::Kind::unknown_type, fmt::format("{}: entry {}", file_, entry.index()),
                     fmt::format("heart-rate zone '{}' skipped (only the default zones are read)", key)});
        continue;
      }
      double value = 0;
      if (minutes.get(value) != simdjson::SUCCESS) entry.fail("value.valuesInZones", "expected numbers");
      fitbit::emit(sink_, fitbit::time_in_heart_rate_zone(int(zone)), value, "min", day.start, day.end);
    }
  }

  // Fitbit writes weight in the account's unit (kg or lb) without naming it;
  // the BMI beside it tells which: only one reading gives an adult height.
  static std::optional<std::string_view> weight_unit(double weight, std::optional<double> bmi) {
    if (!bmi || *bmi <= 0 || weight <= 0) return std::nullopt;
    auto plausible_height = [&](double kg) {
      double height_m = std::sqrt(kg / *bmi);
      return height_m >= 1.4 && height_m <= 2.2;
    };
    bool kg = plausible_height(weight);
    bool lb = plausible_height(*convert_unit(weight, "[lb_av]", "kg"));
    if (kg == lb) return std::nullopt;
    return kg ? "kg" : "[lb_av]";
  }

  void weight(const Entry& entry) {
    std::string when = fmt::format("{} {}", entry.text("date"), entry.text("time"));
    LocalTime local;
    try {
      local = parse_local_time(when, "%m/%d/%y %H:%M:%S");
    } catch (const ParseError&) {
      entry.fail("date", fmt::format("'{}' is not a date and time like 01/31/20 07:00:00", when));
    }
    Instant at = to_instant(local, tz_);
    double value = entry.required_number("weight");
    auto bmi = entry.number("bmi");
    if (bmi) fitbit::emit(sink_, metrics::body_mass_index(), *bmi, "kg/m2", at, at);
    if (auto fat = entry.number("fat")) fitbit::emit(sink_, metrics::body_fat(), *fat, "%", at, at);
    if (auto unit = weight_unit(value, bmi)) {
      fitbit::emit(sink_, metrics::body_weight(), value, *unit, at, at);
    } else {
      sink_.issue({ImportIssue::Kind::skipped_record, fmt::format("{}: entry {}", file_, entry.index()),
                   "weight skipped: its unit (kg or lb) cannot be told from the BMI"});
    }
  }

  struct Stage {
    Instant start;
    Instant end;
    Code code;
  };

  std::vector<Stage> stages(const Entry& entry, std::string_view field) {
    std::vector<Stage> result;
    auto list = entry.find(field);
    if (!list) return result;
    simdjson::dom::array items;
    if (list->get(items) != simdjson::SUCCESS) entry.fail(field, "expected an array");
    std::size_t number = 0;
    std::string where = fmt::format("{}: entry {}, {}", file_, entry.index(), field);
    for (element item : items) {
      Entry level(item, ++number, where);
      std::string_view name = level.text("level");
      auto code = fitbit::sleep_stage_of_level(name);
      if (!code) {
        sink_.issue({ImportIssue::Kind::unknown_type, fmt::format("{}: entry {}", file_, entry.index()),
                     fmt::format("sleep level '{}' skipped", name)});
        continue;
      }
      Instant start = instant(level, "dateTime");
      result.push_back({start, start + level.duration("seconds", 1000), *code});
    }
    std::sort(result.begin(), result.end(), [](const Stage& a, const Stage& b) { return a.start < b.start; });
    return result;
  }

  // Stages logs list short wakes (< 3 min) apart in "shortData", overlapping
  // the long stages of "data": cut them out so the night has one stage at a time.
  static std::vector<Stage> splice(const std::vector<Stage>& data, const std::vector<Stage>& short_wakes) {
    std::vector<Stage> out;
    for (const auto& stage : data) {
      Instant cursor = stage.start;
      for (const auto& wake : short_wakes) {
        if (wake.start >= stage.end) break;
        if (wake.end <= cursor) continue;
        if (wake.start > cursor) out.push_back({cursor, wake.start, stage.code});
        cursor = std::max(cursor, wake.end);
      }
      if (cursor < stage.end) out.push_back({cursor, stage.end, stage.code});
    }
    out.insert(out.end(), short_wakes.begin(), short_wakes.end());
    std::sort(out.begin(), out.end(), [](const Stage& a, const Stage& b) { return a.start < b.start; });
    return out;
  }

  void sleep(const Entry& entry) {
    Instant start = instant(entry, "startTime");
    Instant end = instant(entry, "endTime");
    if (end < start || end - start > kLongestSpan) entry.fail("endTime", "not within 31 days after startTime");
    if (auto asleep = entry.number("minutesAsleep"))
      fitbit::emit(sink_, metrics::sleep_duration(), *asleep, "min", start, end);
    if (auto in_bed = entry.number("timeInBed"))
      fitbit::emit(sink_, metrics::time_in_bed(), *in_bed, "min", start, end);
    if (auto efficiency = entry.number("efficiency"))
      fitbit::emit(sink_, fitbit::sleep_efficiency(), *efficiency, "%", start, end);
    for (const auto& stage : splice(stages(entry, "levels.data"), stages(entry, "levels.shortData")))
      fitbit::emit_stage(sink_, stage.code, stage.start, stage.end);
  }

  void exercise(const Entry& entry) {
    Event workout;
    workout.kind = event_kinds::workout;
    std::int64_t type = 0;
    if (entry.get("activityTypeId").get(type) != simdjson::SUCCESS) entry.fail("activityTypeId", "expected an integer");
    workout.code = Code{std::string(systems::medtwin), fmt::format("fitbit-activity-{}", type),
                        std::string(entry.text("activityName"))};
    workout.start = instant(entry, "startTime");
    workout.end = workout.start + entry.duration("duration", 1);
    if (auto calories = entry.number("calories")) {
      workout.amount = *calories;
      workout.unit = "kcal";
    }
    workout.source = fitbit::kSource;
    workout.details_json = simdjson::minify(entry.value());
    sink_.event(workout);
  }

  const std::string& file_;
  RecordSink& sink_;
  const std::string& tz_;
};

// sleep_score.csv: one row per main sleep, scored when it ended.
void read_sleep_scores(std::string_view bytes, const std::string& file, const ImportOptions& options,
                       RecordSink& sink) {
  CsvReader csv(bytes, file);
  CsvRow row;
  if (!csv.next(row)) throw ParseError(fmt::format("{}: the file is empty", file));
  CsvHeader header(row.fields);
  std::size_t time_column = header.require("timestamp", file, row.line);
  struct Score {
    std::optional<std::size_t> column;
    Metric metric;
  };
  std::vector<Score> scores = {
      {header.find("overall_score"), fitbit::sleep_score("overall")},
      {header.find("composition_score"), fitbit::sleep_score("composition")},
      {header.find("revitalization_score"), fitbit::sleep_score("revitalization")},
      {header.find("duration_score"), fitbit::sleep_score("duration")},
      {header.find("restlessness"), fitbit::restlessness()},
  };
  while (csv.next(row)) {
    check_width(row, header.size(), file);
    Instant at;
    try {
      at = parse_instant_or_local(trim(row.fields[time_column]), options.time_zone);
    } catch (const ParseError& e) {
      throw ParseError(located(file, row.line, long(time_column + 1), fmt::format("column 'timestamp': {}", e.what())));
    }
    for (const auto& score : scores) {
      if (!score.column || trim(row.fields[*score.column]).empty()) continue;
      auto value = to_number(row.fields[*score.column]);
      if (!value) {
        throw ParseError(located(file, row.line, long(*score.column + 1),
                                 fmt::format("column '{}': not a number", header.names()[*score.column])));
      }
      fitbit::emit(sink, score.metric, *value, score.metric.unit, at, at);
    }
  }
}

class FitbitExportImporter final : public Importer {
 public:
  std::string_view name() const override { return "fitbit-export"; }
  std::string_view version() const override { return "1"; }
  bool accepts(const fs::path& path, std::string_view head, const ImportOptions&) const override {
    auto kind = kind_of(path.filename().string());
    if (!kind) return false;
    if (*kind == Kind::sleep_score) return head.find("timestamp") != std::string_view::npos;
    return trim(head).starts_with('[');
  }
  void read(const fs::path& path, const ImportOptions& options, RecordSink& sink) const override {
    // One file holds a day to a month of one metric: small enough to read whole.
    std::string bytes = read_file(path);
    read_fitbit_export(bytes, path.filename().string(), options, sink);
    if (options.progress) options.progress(bytes.size(), bytes.size());
  }
};

}  // namespace

bool is_fitbit_export_file(std::string_view file_name) { return kind_of(file_name).has_value(); }

void read_fitbit_export(std::string_view bytes, const std::string& file_name, const ImportOptions& options,
                        RecordSink& sink) {
  auto kind = kind_of(file_name);
  if (!kind) throw ParseError(fmt::format("{}: not a file name of a Fitbit account export", file_name));
  if (*kind == Kind::sleep_score) return read_sleep_scores(bytes, file_name, options, sink);
  ExportReader(file_name, options, sink).read(bytes, *kind);
}

std::unique_ptr<Importer> make_fitbit_export_importer() { return std::make_unique<FitbitExportImporter>(); }

}  // namespace medtwin

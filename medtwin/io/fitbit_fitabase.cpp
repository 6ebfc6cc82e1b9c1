#include "medtwin/io/fitbit_fitabase.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "medtwin/core/error.hpp"
#include "medtwin/io/csv.hpp"
#include "medtwin/io/fitbit_common.hpp"
#include "medtwin/io/text.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// How long one row's values last.
enum class Period { day, hour, minute, instant };

struct ValueColumn {
  const char* name;
  Metric (*metric)();
  const char* unit;  // UCUM unit the column is written in
  double scale = 1;  // applied first: METs are exported ×10, intensity sums over 60 minutes
};

// One kind of *_merged.csv. Every kind starts with Id and its time column.
struct Layout {
  const char* header;  // the exact header row; for wide files the value prefix (Steps → Steps00..Steps59)
  Period period;
  std::vector<ValueColumn> values;
  enum class Kind { values, sleep_minutes, wide } kind = Kind::values;
};

// Fitabase data dictionary: distances in km, energy in kcal, durations in
// minutes, intensity levels 0-3 per minute, METs ×10, minuteSleep 1/2/3.
const std::vector<Layout>& layouts() {
  static const std::vector<Layout> all = {
      {"Id,ActivityDate,TotalSteps,TotalDistance,TrackerDistance,LoggedActivitiesDistance,VeryActiveDistance,"
       "ModeratelyActiveDistance,LightActiveDistance,SedentaryActiveDistance,VeryActiveMinutes,FairlyActiveMinutes,"
       "LightlyActiveMinutes,SedentaryMinutes,Calories",
       Period::day,
       {{"TotalSteps", metrics::steps, "{steps}"},
        {"TotalDistance", metrics::distance, "km"},
        {"VeryActiveDistance", fitbit::very_active_distance, "km"},
        {"ModeratelyActiveDistance", fitbit::moderately_active_distance, "km"},
        {"LightActiveDistance", fitbit::light_active_distance, "km"},
        {"SedentaryActiveDistance", fitbit::sedentary_active_distance, "km"},
        {"VeryActiveMinutes", metrics::very_active_minutes, "min"},
        {"FairlyActiveMinutes", metrics::fairly_active_minutes, "min"},
        {"LightlyActiveMinutes", metrics::lightly_active_minutes, "min"},
        {"SedentaryMinutes", metrics::sedentary_minutes, "min"},
        {"Calories", metrics::total_energy, "kcal"}}},
      {"Id,ActivityDay,Calories", Period::day, {{"Calories", metrics::total_energy, "kcal"}}},
      {"Id,ActivityDay,SedentaryMinutes,LightlyActiveMinutes,FairlyActiveMinutes,VeryActiveMinutes,"
       "SedentaryActiveDistance,LightActiveDistance,ModeratelyActiveDistance,VeryActiveDistance",
       Period::day,
       {{"SedentaryMinutes", metrics::sedentary_minutes, "min"},
        {"LightlyActiveMinutes", metrics::lightly_active_minutes, "min"},
        {"FairlyActiveMinutes", metrics::fairly_active_minutes, "min"},
        {"VeryActiveMinutes", metrics::very_active_minutes, "min"},
        {"SedentaryActiveDistance", fitbit::sedentary_active_distance, "km"},
        {"LightActiveDistance", fitbit::light_active_distance, "km"},
        {"ModeratelyActiveDistance", fitbit::moderately_active_distance, "km"},
        {"VeryActiveDistance", fitbit::very_active_distance, "km"}}},
      {"Id,ActivityDay,StepTotal", Period::day, {{"StepTotal", metrics::steps, "{steps}"}}},
      {"Id,SleepDay,TotalSleepRecords,TotalMinutesAsleep,TotalTimeInBed",
       Period::day,
       {{"TotalMinutesAsleep", metrics::sleep_duration, "min"}, {"TotalTimeInBed", metrics::time_in_bed, "min"}}},
      {"Id,Date,WeightKg,WeightPounds,Fat,BMI,IsManualReport,LogId",
       Period::instant,
       {{"WeightKg", metrics::body_weight, "kg"},
        {"Fat", metrics::body_fat, "%"},
        {"BMI", metrics::body_mass_index, "kg/m2"}}},
      {"Id,ActivityHour,StepTotal", Period::hour, {{"StepTotal", metrics::steps, "{steps}"}}},
      {"Id,ActivityHour,Calories", Period::hour, {{"Calories", metrics::total_energy, "kcal"}}},
      {"Id,ActivityHour,TotalIntensity,AverageIntensity",
       Period::hour,
       {{"TotalIntensity", fitbit::intensity_level, "1", 1.0 / 60}}},
      {"Id,ActivityMinute,Steps", Period::minute, {{"Steps", metrics::steps, "{steps}"}}},
      {"Id,ActivityMinute,Calories", Period::minute, {{"Calories", metrics::total_energy, "kcal"}}},
      {"Id,ActivityMinute,Intensity", Period::minute, {{"Intensity", fitbit::intensity_level, "1"}}},
      {"Id,ActivityMinute,METs", Period::minute, {{"METs", fitbit::metabolic_equivalent, "{MET}", 0.1}}},
      {"Id,date,value,logId", Period::minute, {}, Layout::Kind::sleep_minutes},
      {"Id,Time,Value", Period::instant, {{"Value", metrics::heart_rate, "/min"}}},
      {"Steps", Period::minute, {{"Steps", metrics::steps, "{steps}"}}, Layout::Kind::wide},
      {"Calories", Period::minute, {{"Calories", metrics::total_energy, "kcal"}}, Layout::Kind::wide},
      {"Intensity", Period::minute, {{"Intensity", fitbit::intensity_level, "1"}}, Layout::Kind::wide},
  };
  return all;
}

constexpr int kMinutesPerHour = 60;

bool is_wide_header(const std::vector<std::string>& names, const char* prefix) {
  if (names.size() != 2 + kMinutesPerHour || names[0] != "Id" || names[1] != "ActivityHour") return false;
  for (int minute = 0; minute < kMinutesPerHour; ++minute)
    if (names[2 + minute] != fmt::format("{}{:02}", prefix, minute)) return false;
  return true;
}

const Layout* find_layout(const std::vector<std::string>& names) {
  std::string joined;
  for (std::size_t i = 0; i < names.size(); ++i) joined += (i ? "," : "") + names[i];
  for (const auto& layout : layouts()) {
    bool match = layout.kind == Layout::Kind::wide ? is_wide_header(names, layout.header) : joined == layout.header;
    if (match) return &layout;
  }
  return nullptr;
}

// "4/12/2016", "4/12/2016 1:00:00 PM", and the 24-hour and ISO forms of files
// re-saved by a spreadsheet.
LocalTime parse_fitabase_time(std::string_view text) {
  if (text.find('/') == std::string_view::npos) return parse_local_time(text);
  auto colons = std::count(text.begin(), text.end(), ':');
  const char* format = "%m/%d/%Y";
  if (text.ends_with("AM") || text.ends_with("PM")) format = "%m/%d/%Y %I:%M:%S %p";
  else if (colons == 2) format = "%m/%d/%Y %H:%M:%S";
  else if (colons == 1) format = "%m/%d/%Y %H:%M";
  return parse_local_time(text, format);
}

// Reads the rows of one recognised file.
class FitabaseReader {
 public:
  FitabaseReader(CsvReader& csv, const Layout& layout, const CsvHeader& header, const ImportOptions& options,
                 RecordSink& sink, std::uint64_t total_bytes)
      : csv_(csv), layout_(layout), header_(header), options_(options), sink_(sink), total_bytes_(total_bytes),
        tz_(require_time_zone(options.time_zone, csv.name())) {
    if (layout.kind == Layout::Kind::values)
      for (const auto& value : layout.values) columns_.push_back(header.require(value.name, csv.name(), 1));
  }

  void run() {
    CsvRow row;
    for (std::uint64_t rows = 1; csv_.next(row); ++rows) {
      check_width(row, header_.size(), csv_.name());
      switch_person(row);
      read_row(row);
      if (options_.progress && rows % 65536 == 0) options_.progress(csv_.position(), total_bytes_);
    }
    if (options_.progress) options_.progress(csv_.position(), total_bytes_);
  }

 private:
  [[noreturn]] void fail(const CsvRow& row, std::size_t column, const std::string& what) const {
    throw ParseError(located(csv_.name(), row.line, long(column + 1),
                             fmt::format("column '{}': {}", header_.names()[column], what)));
  }

  void switch_person(const CsvRow& row) {
    std::string_view id = trim(row.fields[0]);
    if (id.empty()) fail(row, 0, "the subject Id is empty");
    if (id == person_) return;
    person_ = id;
    PersonInfo info;
    info.source_id = person_;
    sink_.person(info);
  }

  LocalTime time_of(const CsvRow& row) const {
    std::string_view text = trim(row.fields[1]);
    try {
      return parse_fitabase_time(text);
    } catch (const ParseError&) {
      fail(row, 1, fmt::format("'{}' is not a date or time like 4/12/2016 or 4/12/2016 1:00:00 PM", text));
    }
  }

  fitbit::Span span_of(LocalTime t) const {
    switch (layout_.period) {
      case Period::day: return fitbit::local_day(t, tz_);
      case Period::hour: return fitbit::local_span(t, 1h, tz_);
      case Period::minute: return fitbit::local_span(t, 1min, tz_);
      case Period::instant: break;
    }
    Instant at = to_instant(t, tz_);
    return {at, at};
  }

  // The number in `column`, nullopt when the cell is empty.
  std::optional<double> number_at(const CsvRow& row, std::size_t column) const {
    const std::string& cell = row.fields[column];
    if (trim(cell).empty()) return std::nullopt;
    auto value = to_number(cell);
    if (!value) fail(row, column, "not a number");
    return value;
  }

  void read_row(const CsvRow& row) {
    LocalTime t = time_of(row);
    switch (layout_.kind) {
      case Layout::Kind::values: return read_values(row, span_of(t));
      case Layout::Kind::sleep_minutes: return read_sleep_minute(row, span_of(t));
      case Layout::Kind::wide: return read_wide(row, t);
    }
  }

  void read_values(const CsvRow& row, fitbit::Span span) {
    for (std::size_t i = 0; i < layout_.values.size(); ++i) {
      const ValueColumn& column = layout_.values[i];
      if (auto value = number_at(row, columns_[i]))
        fitbit::emit(sink_, column.metric(), *value * column.scale, column.unit, span.start, span.end);
    }
  }

  void read_sleep_minute(const CsvRow& row, fitbit::Span span) {
    auto value = number_at(row, 2);
    if (!value) return;
    std::optional<Code> stage;
    if (*value >= 1 && *value <= 3 && *value == std::floor(*value)) stage = fitbit::sleep_stage_of_value(int(*value));
    if (!stage) {
      sink_.issue({ImportIssue::Kind::skipped_record, located(csv_.name(), row.line, 3, "value"),
                   "minuteSleep value other than 1 (asleep), 2 (restless) or 3 (awake)"});
      return;
    }
    fitbit::emit_stage(sink_, *stage, span.start, span.end);
  }

  void read_wide(const CsvRow& row, LocalTime hour) {
    const ValueColumn& column = layout_.values.front();
    for (int minute = 0; minute < kMinutesPerHour; ++minute) {
      if (auto value = number_at(row, 2 + minute)) {
        auto span = fitbit::local_span(hour + std::chrono::minutes{minute}, 1min, tz_);
        fitbit::emit(sink_, column.metric(), *value * column.scale, column.unit, span.start, span.end);
      }
    }
  }

  CsvReader& csv_;
  const Layout& layout_;
  const CsvHeader& header_;
  const ImportOptions& options_;
  RecordSink& sink_;
  std::uint64_t total_bytes_;
  const std::string& tz_;
  std::vector<std::size_t> columns_;
  std::string person_;
};

void read_fitabase(CsvReader& csv, const ImportOptions& options, RecordSink& sink, std::uint64_t total_bytes) {
  CsvRow row;
  if (!csv.next(row)) throw ParseError(fmt::format("{}: the file is empty", csv.name()));
  CsvHeader header(row.fields);
  const Layout* layout = find_layout(header.names());
  if (!layout) throw ParseError(located(csv.name(), row.line, "the header is not one of a Fitabase export"));
  FitabaseReader(csv, *layout, header, options, sink, total_bytes).run();
}

class FitabaseImporter final : public Importer {
 public:
  std::string_view name() const override { return "fitbit-fitabase"; }
  std::string_view version() const override { return "1"; }
  bool accepts(const fs::path& path, std::string_view head, const ImportOptions&) const override {
    if (path.extension() != ".csv") return false;
    return is_fitabase_header(head.substr(0, head.find('\n')));
  }
  void read(const fs::path& path, const ImportOptions& options, RecordSink& sink) const override {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw NotFound(fmt::format("{}: cannot open file", path.string()));
    CsvReader csv(in, path.filename().string());
    read_fitabase(csv, options, sink, fs::file_size(path));
  }
};

}  // namespace

bool is_fitabase_header(std::string_view first_line) {
  CsvReader csv(first_line, "head");
  CsvRow row;
  try {
    return csv.next(row) && find_layout(CsvHeader(row.fields).names()) != nullptr;
  } catch (const ParseError&) {
    return false;
  }
}

void read_fitabase(std::string_view bytes, const std::string& name, const ImportOptions& options, RecordSink& sink) {
  CsvReader csv(bytes, name);
  read_fitabase(csv, options, sink, bytes.size());
}

std::unique_ptr<Importer> make_fitabase_importer() { return std::make_unique<FitabaseImporter>(); }

}  // namespace medtwin

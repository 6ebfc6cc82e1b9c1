#include "medtwin/io/apple_health_xml.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>

#include "medtwin/core/error.hpp"
#include "medtwin/io/apple_health_filter.hpp"
#include "medtwin/io/apple_health_types.hpp"
#include "medtwin/io/text.hpp"
#include "medtwin/io/xml_stream.hpp"

namespace medtwin::apple_health {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

constexpr std::size_t kChunkBytes = 1 << 20;
// Metadata entries and statistics kept per workout: a bound on memory, far
// above the dozen a real workout has.
constexpr std::size_t kMaxWorkoutDetails = 256;
// Record types remembered at once (a real export has about a hundred).
constexpr std::size_t kMaxCachedTypes = 4096;
constexpr std::string_view kQuantityPrefix = "HKQuantityTypeIdentifier";
constexpr std::string_view kCategoryPrefix = "HKCategoryTypeIdentifier";
constexpr std::string_view kSleepType = "HKCategoryTypeIdentifierSleepAnalysis";
constexpr std::string_view kActiveEnergyType = "HKQuantityTypeIdentifierActiveEnergyBurned";
constexpr std::string_view kDistancePrefix = "HKQuantityTypeIdentifierDistance";

// Spaces a locale may put before "PM": ' ', no-break space, narrow no-break space.
std::string_view trim_leading_spaces(std::string_view text) {
  for (;;) {
    if (text.starts_with(' ')) text.remove_prefix(1);
    else if (text.starts_with("\xC2\xA0")) text.remove_prefix(2);
    else if (text.starts_with("\xE2\x80\xAF")) text.remove_prefix(3);
    else return text;
  }
}

// The time of day of one beat, written in the exporting phone's locale:
// "8:01:02.35 PM" or "20:01:02,35". nullopt for shapes this does not know.
std::optional<milliseconds> parse_time_of_day(std::string_view text) {
  std::size_t pos = 0;
  auto digits = [&](std::size_t min, std::size_t max) {
    int value = 0;
    std::size_t count = 0;
    for (; pos < text.size() && count < max && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++count)
      value = value * 10 + (text[pos] - '0');
    return count >= min ? value : -1;
  };
  auto separator = [&](std::string_view allowed) {
    if (pos >= text.size() || allowed.find(text[pos]) == std::string_view::npos) return false;
    ++pos;
    return true;
  };
  int hour = digits(1, 2);
  if (hour < 0 || !separator(":")) return std::nullopt;
  int minute = digits(2, 2);
  if (minute < 0 || !separator(":")) return std::nullopt;
  int second = digits(2, 2);
  if (second < 0) return std::nullopt;
  int ms = 0;
  if (separator(".,")) {
    std::size_t start = pos;
    for (int scale = 100; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, scale /= 10)
      ms += (text[pos] - '0') * scale;
    if (pos == start) return std::nullopt;
  }
  std::string_view suffix = trim_leading_spaces(text.substr(pos));
  if (!suffix.empty()) {
    bool am = equals_ignoring_case(suffix, "AM") || equals_ignoring_case(suffix, "A.M.");
    bool pm = equals_ignoring_case(suffix, "PM") || equals_ignoring_case(suffix, "P.M.");
    if ((!am && !pm) || hour < 1 || hour > 12) return std::nullopt;
    hour = hour % 12 + (pm ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  return std::chrono::hours{hour} + std::chrono::minutes{minute} + std::chrono::seconds{second} + milliseconds{ms};
}

struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

// What every Record of one type shares, built once and reused for each record
// so that a record costs no allocation.
struct TypeState {
  enum class Kind { quantity, category, sleep, other };
  Kind kind = Kind::other;
  std::string name;
  const Metric* metric = nullptr;  // quantity types with a canonical metric
  Observation observation;         // code and unit set; value, times, source per record
  std::optional<std::string> unit_written;  // the unit `conversion` was made for
  UnitConversion conversion;
  std::string unit_problem;  // why the unit is not the metric's, reported per record
};

struct RecordAttributes {
  std::string_view type, unit, value, source, start, end;
};

class ExportReader final : public ExpatReader {
 public:
  ExportReader(const std::string& name, const ImportOptions& options, RecordSink& sink)
      : ExpatReader(name), options_(options), sink_(sink) {
    beat_.code = metrics::instantaneous_heart_rate().code;
    beat_.unit = metrics::instantaneous_heart_rate().unit;
  }

  void run(const ChunkReader& read, std::uint64_t total) {
    // Chunks go to expat in whole lines, for the filter; the unfinished last
    // line waits for the next chunk unless it is a chunk long.
    const std::size_t chunk = total ? std::size_t(std::clamp<std::uint64_t>(total, 4096, kChunkBytes)) : kChunkBytes;
    std::vector<char> staging(2 * chunk);
    std::size_t held = 0;
    std::uint64_t done = 0;
    for (;;) {
      std::size_t got = read(staging.data() + held, chunk);
      bool last = got == 0;
      std::string_view data(staging.data(), held + got);
      std::size_t cut = data.size();
      if (auto newline = data.rfind('\n'); !last && newline != std::string_view::npos)
        if (data.size() - (newline + 1) < chunk) cut = newline + 1;
      std::size_t filtered = filter_.filter(data.substr(0, cut), buffer(std::max<std::size_t>(cut, 1)));
      parse_buffer(filtered, last);
      held = data.size() - cut;
      std::memmove(staging.data(), staging.data() + cut, held);
      done += got;
      if (options_.progress) options_.progress(done, total);
      if (last) return;
    }
  }

 private:
  long original_column(long line, long column) const override {
    return filter_.original_column(std::uint64_t(line), column);
  }

  void issue(ImportIssue::Kind kind, std::string what) {
    sink_.issue({kind, fmt::format("{}:{}", name(), line()), std::move(what)});
  }

  void on_start(std::string_view element, const char** attributes) override {
    ++depth_;
    if (depth_ == 1) {
      if (element != "HealthData") fail("the root element is not <HealthData>: not an Apple Health export");
    } else if (record_.depth) {
      on_record_child(element, attributes);
    } else if (workout_.depth) {
      if (depth_ == workout_.depth + 1) on_workout_child(element, attributes);
    } else if (element == "Record") {  // top level or inside a Correlation
      on_record(attributes);
    } else if (depth_ == 2) {
      on_top_level(element, attributes);
    }
  }

  void on_end(std::string_view) override {
    if (depth_ == record_.depth) record_.depth = 0;
    else if (depth_ == workout_.depth) finish_workout();
    --depth_;
  }

  void on_top_level(std::string_view element, const char** attributes) {
    if (element == "Me") {
      on_me(attributes);
    } else if (element == "Workout") {
      on_workout(attributes);
    } else if (element == "ActivitySummary") {
      issue(ImportIssue::Kind::note, "ActivitySummary skipped: the daily ring totals sum records already imported");
    } else if (element != "ExportDate" && element != "Correlation") {
      // ClinicalRecord, Audiogram, VisionPrescription, …
      issue(ImportIssue::Kind::unknown_type, fmt::format("<{}> is not imported", element));
    }
  }

  Instant instant(std::string_view text, std::string_view field) const {
    try {
      return parse_instant_or_local(text, options_.time_zone);
    } catch (const Error& e) {
      fail(fmt::format("{}: {}", field, e.what()));
    }
  }

  void on_me(const char** attributes) {
    PersonInfo person;
    for (auto a = attributes; *a; a += 2) {
      std::string_view key = a[0], value = a[1];
      if (key == "HKCharacteristicTypeIdentifierBiologicalSex") {
        person.sex = parse_sex(value);
      } else if (key == "HKCharacteristicTypeIdentifierDateOfBirth" && !value.empty()) {
        try {
          person.birth_date = std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(parse_local_time(value))};
        } catch (const ParseError&) {
          fail("HKCharacteristicTypeIdentifierDateOfBirth is not a date (YYYY-MM-DD)");
        }
      }
    }
    sink_.person(person);
  }

  // ---- Records ----

  TypeState& type_state(std::string_view type) {
    auto it = types_.find(type);
    if (it != types_.end()) return it->second;
    if (types_.size() >= kMaxCachedTypes) types_.clear();  // only a cache: keeps memory bounded
    TypeState state;
    state.name = std::string(type);
    if (type == kSleepType) {
      state.kind = TypeState::Kind::sleep;
      state.observation.code = metrics::sleep_stage().code;
    } else {
      if (type.starts_with(kQuantityPrefix)) state.kind = TypeState::Kind::quantity;
      else if (type.starts_with(kCategoryPrefix)) state.kind = TypeState::Kind::category;
      state.metric = canonical_metric(type);
      state.observation.code = healthkit_code(type);
    }
    return types_.emplace(state.name, std::move(state)).first->second;
  }

  void on_record(const char** attributes) {
    RecordAttributes r;
    for (auto a = attributes; *a; a += 2) {
      std::string_view key = a[0];
      if (key == "type") r.type = a[1];
      else if (key == "value") r.value = a[1];
      else if (key == "unit") r.unit = a[1];
      else if (key == "sourceName") r.source = a[1];
      else if (key == "startDate") r.start = a[1];
      else if (key == "endDate") r.end = a[1];
    }
    if (r.type.empty()) fail("<Record> has no type");
    TypeState& type = type_state(r.type);
    Instant start = instant(r.start, "startDate");
    Instant end = r.end == r.start ? start : instant(r.end, "endDate");
    record_.depth = depth_;
    record_.start = start;
    record_.start_text.assign(r.start);
    record_.source.assign(r.source);
    record_.beats_begun = false;

    Observation& obs = type.observation;
    switch (type.kind) {
      case TypeState::Kind::quantity:
        set_quantity(type, r);
        break;
      case TypeState::Kind::category:
        set_category(type, r.value);
        break;
      case TypeState::Kind::sleep: {
        const Code* stage = sleep_stage(r.value);
        if (!stage) {
          issue(ImportIssue::Kind::unknown_type, fmt::format("sleep analysis value '{}' is not known; skipped", r.value));
          return;
        }
        obs.value_code = *stage;
        break;
      }
      case TypeState::Kind::other:  // HKDataType… and future kinds: numeric if the value is a number
        if (r.value.empty()) {
          issue(ImportIssue::Kind::skipped_record, fmt::format("{} record without a value skipped", r.type));
          return;
        }
        if (to_number(r.value)) set_quantity(type, r);
        else set_category(type, r.value);
        break;
    }
    obs.start = start;
    obs.end = end;
    obs.source.assign(r.source);
    sink_.observation(obs);
  }

  void set_quantity(TypeState& type, const RecordAttributes& r) {
    auto value = to_number(r.value);
    if (!value) fail(fmt::format("the value of this {} record is not a number", type.name));
    use_unit(type, r.unit);
    if (!type.unit_problem.empty()) issue(ImportIssue::Kind::unknown_unit, type.unit_problem);
    double converted = type.conversion.apply(*value);
    if (!std::isfinite(converted)) fail(fmt::format("the value of this {} record is out of range", type.name));
    type.observation.value = converted;
    type.observation.value_code.reset();
  }

  void set_category(TypeState& type, std::string_view value) {
    if (value.empty()) fail(fmt::format("this {} record has no value", type.name));
    Observation& obs = type.observation;
    obs.unit.clear();
    type.unit_written.reset();  // a later numeric record of the type sets its unit again
    obs.value.reset();
    if (!obs.value_code) obs.value_code = Code{std::string(systems::healthkit), "", ""};
    obs.value_code->code.assign(value);
    obs.value_code->display.assign(without_healthkit_prefix(value));
  }

  // Chooses code and unit for the record's unit; cached while the unit repeats.
  void use_unit(TypeState& type, std::string_view unit) {
    if (type.unit_written && *type.unit_written == unit) return;
    type.unit_written = std::string(unit);
    type.unit_problem.clear();
    Observation& obs = type.observation;
    if (type.metric) {
      type.conversion = unit_conversion(unit, type.metric);
      if (type.conversion.known) {
        obs.code = type.metric->code;
        obs.unit = type.conversion.unit;
        return;
      }
      // A unit the metric's cannot be converted from: keep the record apart.
      type.unit_problem = fmt::format("unit '{}' of {} cannot be converted to {}; kept under the HealthKit code", unit,
                                      type.name, type.metric->unit);
    }
    type.conversion = unit_conversion(unit, nullptr);
    if (!type.conversion.known)
      type.unit_problem = fmt::format("unit '{}' of {} is not known; kept as written", unit, type.name);
    obs.code = healthkit_code(type.name);
    obs.unit = type.conversion.unit;
  }

  void on_record_child(std::string_view element, const char** attributes) {
    if (element == "MetadataEntry") {
      auto [key, value] = metadata(attributes);
      if (key == "HKTimeZone") time_zone(record_.start, value);
    } else if (element == "InstantaneousBeatsPerMinute") {
      on_beat(attributes);
    }
  }

  static std::pair<std::string_view, std::string_view> metadata(const char** attributes) {
    return {attribute(attributes, "key"), attribute(attributes, "value")};
  }

  void time_zone(Instant from, std::string_view tz) {
    // Every sleep stage carries the zone: pass it on about once a day.
    if (tz == last_zone_ && from >= last_zone_from_ && from - last_zone_from_ < 24h) return;
    if (tz != last_zone_ && !is_known_time_zone(tz)) {
      issue(ImportIssue::Kind::note, fmt::format("HKTimeZone '{}' is not an IANA time zone; ignored", tz));
      return;
    }
    last_zone_.assign(tz);
    last_zone_from_ = from;
    sink_.time_zone(from, last_zone_);
  }

  // One beat of an HRV record: only a time of day is written, so the date and
  // UTC offset come from the record's start; a list may run past midnight.
  void on_beat(const char** attributes) {
    auto value = to_number(attribute(attributes, "bpm"));
    if (!value) fail("InstantaneousBeatsPerMinute: bpm is not a number");
    auto time_of_day = parse_time_of_day(attribute(attributes, "time"));
    if (!time_of_day) {
      issue(ImportIssue::Kind::skipped_record, "InstantaneousBeatsPerMinute: time of day in an unknown format; skipped");
      return;
    }
    if (!record_.beats_begun) {
      LocalTime local_start = parse_local_time(record_.start_text);
      record_.utc_offset = local_start.time_since_epoch() - record_.start.time_since_epoch();
      record_.local_day = std::chrono::floor<std::chrono::days>(local_start);
      record_.last_beat = local_start;
      record_.beats_begun = true;
    }
    LocalTime at = record_.local_day + *time_of_day;
    if (at < record_.last_beat - 12h) {
      record_.local_day += std::chrono::days{1};
      at += std::chrono::days{1};
    }
    record_.last_beat = at;
    beat_.value = *value;
    beat_.start = beat_.end = Instant{at.time_since_epoch() - record_.utc_offset};
    beat_.source = record_.source;
    sink_.observation(beat_);
  }

  // ---- Workouts ----

  void on_workout(const char** attributes) {
    std::string_view type, duration, duration_unit = "min", distance, distance_unit, energy, energy_unit, source,
                                 start, end;
    for (auto a = attributes; *a; a += 2) {
      std::string_view key = a[0], value = a[1];
      if (key == "workoutActivityType") type = value;
      else if (key == "duration") duration = value;
      else if (key == "durationUnit") duration_unit = value;
      else if (key == "totalDistance") distance = value;
      else if (key == "totalDistanceUnit") distance_unit = value;
      else if (key == "totalEnergyBurned") energy = value;
      else if (key == "totalEnergyBurnedUnit") energy_unit = value;
      else if (key == "sourceName") source = value;
      else if (key == "startDate") start = value;
      else if (key == "endDate") end = value;
    }
    if (type.empty()) fail("<Workout> has no workoutActivityType");
    Event& event = workout_.event;
    event = Event{};
    event.kind = event_kinds::workout;
    event.code = healthkit_code(type);
    event.start = instant(start, "startDate");
    event.end = instant(end, "endDate");
    event.source = std::string(source);
    if (duration.empty()) {
      event.amount = std::chrono::duration<double, std::ratio<60>>(*event.end - event.start).count();
      event.unit = workout_duration_.unit;
    } else {
      auto total = workout_total(duration, duration_unit, workout_duration_, "duration");
      event.amount = total.value;
      event.unit = std::move(total.unit);
    }
    workout_.details = nlohmann::json::object();
    workout_.children = 0;
    workout_.energy_from_statistics.reset();
    workout_.distance_from_statistics.reset();
    if (!distance.empty())
      workout_.details["totalDistance"] = workout_total(distance, distance_unit, workout_distance_, "totalDistance");
    if (!energy.empty())
      workout_.details["totalEnergyBurned"] = workout_total(energy, energy_unit, workout_energy_, "totalEnergyBurned");
    workout_.depth = depth_;
  }

  struct Amount {
    double value;
    std::string unit;
    friend void to_json(nlohmann::json& json, const Amount& a) { json = {{"value", a.value}, {"unit", a.unit}}; }
  };

  // A workout total in the unit of `metric`; one whose unit does not convert
  // is kept as written and reported.
  Amount workout_total(std::string_view text, std::string_view unit, const Metric& metric, std::string_view field) {
    auto value = to_number(text);
    if (!value) fail(fmt::format("<Workout> {} is not a number", field));
    auto conversion = unit_conversion(unit, &metric);
    if (!conversion.known) {
      issue(ImportIssue::Kind::unknown_unit,
            fmt::format("<Workout> {} unit '{}' cannot be converted to {}; kept as written", field, unit, metric.unit));
      return {*value, std::string(unit)};
    }
    double converted = conversion.apply(*value);
    if (!std::isfinite(converted)) fail(fmt::format("<Workout> {} is out of range", field));
    return {converted, conversion.unit};
  }

  void on_workout_child(std::string_view element, const char** attributes) {
    if ((element == "MetadataEntry" || element == "WorkoutStatistics") && ++workout_.children > kMaxWorkoutDetails) {
      issue(ImportIssue::Kind::skipped_record, fmt::format("<Workout> details beyond {} entries skipped", kMaxWorkoutDetails));
      return;
    }
    if (element == "MetadataEntry") {
      auto [key, value] = metadata(attributes);
      if (key == "HKTimeZone") time_zone(workout_.event.start, value);
      else if (!key.empty()) workout_.details["metadata"][std::string(key)] = std::string(value);
    } else if (element == "WorkoutStatistics") {
      on_workout_statistics(attributes);
    }
  }

  // Sum / average / minimum / maximum of one quantity over the workout, in the
  // type's metric unit when it has one.
  void on_workout_statistics(const char** attributes) {
    std::string_view type, unit;
    std::vector<std::pair<std::string_view, std::string_view>> values;
    for (auto a = attributes; *a; a += 2) {
      std::string_view key = a[0];
      if (key == "type") type = a[1];
      else if (key == "unit") unit = a[1];
      else if (key == "sum" || key == "average" || key == "minimum" || key == "maximum") values.emplace_back(key, a[1]);
    }
    if (type.empty()) fail("<WorkoutStatistics> has no type");
    UnitConversion conversion = unit_conversion(unit, canonical_metric(type));
    if (!conversion.known) conversion = unit_conversion(unit, nullptr);
    if (!conversion.known)
      issue(ImportIssue::Kind::unknown_unit, fmt::format("unit '{}' of {} is not known; kept as written", unit, type));
    nlohmann::json statistic = {{"unit", conversion.unit}};
    for (auto [key, text] : values) {
      auto value = to_number(text);
      if (!value) fail(fmt::format("<WorkoutStatistics> {} is not a number", key));
      statistic[std::string(key)] = conversion.apply(*value);
      if (key != "sum") continue;
      // Newer exports give the workout's totals only here.
      if (type == kActiveEnergyType)
        total_from_statistics(workout_.energy_from_statistics, *value, unit, workout_energy_);
      if (type.starts_with(kDistancePrefix))
        total_from_statistics(workout_.distance_from_statistics, *value, unit, workout_distance_);
    }
    workout_.details["statistics"][std::string(type)] = std::move(statistic);
  }

  static void total_from_statistics(std::optional<double>& total, double sum, std::string_view unit,
                                    const Metric& metric) {
    auto conversion = unit_conversion(unit, &metric);
    if (conversion.known) total = conversion.apply(sum);
  }

  void finish_workout() {
    auto& details = workout_.details;
    if (!details.contains("totalDistance") && workout_.distance_from_statistics)
      details["totalDistance"] = Amount{*workout_.distance_from_statistics, workout_distance_.unit};
    if (!details.contains("totalEnergyBurned") && workout_.energy_from_statistics)
      details["totalEnergyBurned"] = Amount{*workout_.energy_from_statistics, workout_energy_.unit};
    workout_.event.details_json = details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    workout_.depth = 0;
    sink_.event(workout_.event);
  }

  const ImportOptions& options_;
  RecordSink& sink_;
  UnusedAttributeFilter filter_;
  int depth_ = 0;
  // Workout totals are kept in the units of these metrics (min, km, kcal).
  const Metric workout_duration_ = metrics::active_minutes();
  const Metric workout_distance_ = metrics::distance();
  const Metric workout_energy_ = metrics::active_energy();

  struct {
    int depth = 0;  // of the open <Record>; 0 when none
    Instant start;
    std::string start_text;
    std::string source;
    bool beats_begun = false;
    milliseconds utc_offset{0};
    LocalTime local_day;
    LocalTime last_beat;
  } record_;

  struct {
    int depth = 0;  // of the open <Workout>; 0 when none
    Event event;
    nlohmann::json details;
    std::size_t children = 0;
    std::optional<double> energy_from_statistics;
    std::optional<double> distance_from_statistics;
  } workout_;

  std::unordered_map<std::string, TypeState, TransparentHash, std::equal_to<>> types_;
  Observation beat_;
  std::string last_zone_;
  Instant last_zone_from_;
};

}  // namespace

void read_export_xml(const std::string& name, const ChunkReader& read, std::uint64_t total,
                     const ImportOptions& options, RecordSink& sink) {
  ExportReader reader(name, options, sink);
  reader.run(read, total);
}

}  // namespace medtwin::apple_health

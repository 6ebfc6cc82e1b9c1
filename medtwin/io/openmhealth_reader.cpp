#include "medtwin/io/openmhealth_reader.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "medtwin/core/error.hpp"
#include "medtwin/core/units.hpp"
#include "medtwin/io/fhir_codes.hpp"
#include "medtwin/io/fhir_json.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;
using json::Node;

// Schemas whose body holds one unit-value of a canonical metric under `key`.
struct NumericSchema {
  std::string_view name;  // schema_id.name
  std::string_view key;   // the body property holding the value
  Metric (*metric)();
};

constexpr std::array kNumeric = {
    NumericSchema{"heart-rate", "heart_rate", metrics::heart_rate},
    NumericSchema{"blood-glucose", "blood_glucose", metrics::blood_glucose},
    NumericSchema{"body-temperature", "body_temperature", metrics::body_temperature},
    NumericSchema{"step-count", "step_count", metrics::steps},
    NumericSchema{"sleep-duration", "sleep_duration", metrics::sleep_duration},
    NumericSchema{"rr-interval", "rr_interval", metrics::rr_interval},
    NumericSchema{"body-weight", "body_weight", metrics::body_weight},
    NumericSchema{"body-height", "body_height", metrics::body_height},
    NumericSchema{"body-mass-index", "body_mass_index", metrics::body_mass_index},
    NumericSchema{"body-fat-percentage", "body_fat_percentage", metrics::body_fat},
    NumericSchema{"oxygen-saturation", "oxygen_saturation", metrics::oxygen_saturation},
    NumericSchema{"respiratory-rate", "respiratory_rate", metrics::respiratory_rate},
    NumericSchema{"calories-burned", "kcal_burned", metrics::active_energy},
};

// sleep-episode-1.x has no required value, only these optional properties.
constexpr std::array<std::string_view, 7> kSleepEpisodeKeys = {
    "latency_to_sleep_onset", "latency_to_arising", "total_sleep_time", "wake_after_sleep_onset",
    "number_of_awakenings", "is_main_sleep", "sleep_maintenance_efficiency_percentage"};

// duration-unit-value-1.0 units, in milliseconds (UCUM: mo = 1/12 year, a = 365.25 d).
struct DurationUnit {
  std::string_view unit;
  double ms;
};
constexpr std::array kDurationUnits = {
    DurationUnit{"ps", 1e-9}, DurationUnit{"ns", 1e-6}, DurationUnit{"us", 1e-3},
    DurationUnit{"ms", 1},    DurationUnit{"sec", 1e3}, DurationUnit{"s", 1e3},
    DurationUnit{"min", 6e4}, DurationUnit{"h", 3.6e6}, DurationUnit{"d", 8.64e7},
    DurationUnit{"wk", 6.048e8}, DurationUnit{"Mo", 2.62974e9}, DurationUnit{"yr", 3.15576e10},
};

struct Skip {
  std::string what;
};

struct Span {
  Instant start;
  std::optional<Instant> end;
};

// "file.json", "file.json: [3]" for the 4th data point of an array.
struct Location final : json::Origin {
  const std::string* file = nullptr;
  long index = -1;
  std::string describe() const override { return index < 0 ? *file : fmt::format("{}: [{}]", *file, index); }
};

// The schema a body follows: its header's schema_id.name, else guessed from its properties.
std::string_view schema_of(const Node& body, std::string_view declared) {
  if (!declared.empty()) return declared;
  if (body.any("activity_name")) return "physical-activity";
  if (body.any("systolic_blood_pressure") || body.any("diastolic_blood_pressure")) return "blood-pressure";
  for (const auto& schema : kNumeric)
    if (body.any(schema.key)) return schema.name;
  for (auto key : kSleepEpisodeKeys)
    if (body.any(key)) return "sleep-episode";
  return "";
}

class OmhReader {
 public:
  OmhReader(std::string name, const ImportOptions& options, RecordSink& sink)
      : name_(std::move(name)), options_(options), sink_(sink) {}

  void document(simdjson::dom::element root) {
    Location where;
    where.file = &name_;
    simdjson::dom::array list;
    if (root.get(list) == simdjson::SUCCESS) {
      for (simdjson::dom::element item : list) {
        ++where.index;
        data_point(item, where);
      }
      return;
    }
    data_point(root, where);
  }

 private:
  void data_point(simdjson::dom::element item, const Location& where) {
    simdjson::dom::object object;
    if (item.get(object) != simdjson::SUCCESS) {
      throw ParseError(fmt::format("{}: expected an Open mHealth data point (a JSON object)", where.describe()));
    }
    Node point(object, where);
    auto header = point.obj("header");
    auto body = point.obj("body");
    std::string_view schema;
    std::string source;
    if (header && body) {
      if (auto id = header->obj("schema_id")) schema = id->str("name").value_or("");
      if (auto provenance = header->obj("acquisition_provenance")) source = provenance->str("source_name").value_or("");
      if (auto user = header->str("user_id")) select(std::string(*user));
    }
    const Node& values = header && body ? *body : point;
    try {
      read_body(values, schema_of(values, schema), source);
    } catch (const Skip& skip) {
      sink_.issue({ImportIssue::Kind::skipped_record, where.describe(), skip.what});
    }
  }

  void select(const std::string& user) {
    if (current_ == user) return;
    current_ = user;
    sink_.person(PersonInfo{user, "", Sex::unknown, std::nullopt});
  }

  void read_body(const Node& body, std::string_view schema, const std::string& source) {
    auto numeric_schema = std::find_if(kNumeric.begin(), kNumeric.end(), [&](const auto& s) { return s.name == schema; });
    bool special = schema == "blood-pressure" || schema == "sleep-episode" || schema == "physical-activity";
    if (!special && numeric_schema == kNumeric.end()) {
      std::string what = schema.empty() ? "Open mHealth body of no known schema" : fmt::format("Open mHealth schema {}", schema);
      sink_.issue({ImportIssue::Kind::unknown_type, body.where(), what});
      return;
    }
    if (auto statistic = body.str("descriptive_statistic")) {
      throw Skip{fmt::format("{} {} (a summary statistic) not imported", schema, *statistic)};
    }
    auto span = time_frame(body);
    if (!span) throw Skip{fmt::format("{} without effective_time_frame", schema)};
    if (schema == "blood-pressure") {
      numeric(body, "systolic_blood_pressure", metrics::systolic_bp(), *span, source);
      numeric(body, "diastolic_blood_pressure", metrics::diastolic_bp(), *span, source);
    } else if (schema == "sleep-episode") {
      if (!span->end) throw Skip{"sleep-episode without a time_interval"};
      Metric stage = metrics::sleep_stage();
      sink_.observation(Observation{stage.code, std::nullopt, sleep_stages::asleep(), "", span->start, *span->end, source});
    } else if (schema == "physical-activity") {
      activity(body, *span, source);
    } else {
      numeric(body, numeric_schema->key, numeric_schema->metric(), *span, source);
    }
  }

  // A unit-value (or, in older schemas, a bare number in the metric's unit) in the metric's unit.
  void numeric(const Node& body, std::string_view key, const Metric& metric, Span span, const std::string& source) {
    auto value = unit_value(body, key, metric);
    if (!value) throw Skip{fmt::format("data point without {}", key)};
    sink_.observation(Observation{metric.code, value->first, std::nullopt, value->second, span.start,
                                  span.end.value_or(span.start), source});
  }

  // (value, unit) of a unit-value at `key`, converted to `unit` when it can be;
  // unknown units are kept as written and reported.
  std::optional<std::pair<double, std::string>> unit_value(const Node& body, std::string_view key,
                                                           const Metric& metric) {
    const std::string& unit = metric.unit;
    double bare = 0;
    if (auto field = body.any(key); field && field->get(bare) == simdjson::SUCCESS) return std::pair(bare, unit);
    auto uv = body.obj(key);
    if (!uv) return std::nullopt;
    auto value = uv->num("value");
    if (!value) uv->fail("value", "missing");
    std::string written(uv->str("unit").value_or(""));
    auto ucum = to_ucum(written);
    if (!ucum) {
      sink_.issue({ImportIssue::Kind::unknown_unit, uv->where(), fmt::format("unit '{}'", written)});
      return std::pair(*value, written);
    }
    auto converted = to_metric_unit(*value, *ucum, metric);
    if (!converted) {
      sink_.issue({ImportIssue::Kind::unknown_unit, uv->where(),
                   fmt::format("unit '{}' cannot be converted to '{}'", written, unit)});
      return std::pair(*value, *ucum);
    }
    return std::pair(*converted, unit);
  }

  void activity(const Node& body, Span span, const std::string& source) {
    Event e;
    e.kind = event_kinds::workout;
    std::string name(body.str("activity_name").value_or(""));
    e.code = Code{"", "", name};
    e.start = span.start;
    e.end = span.end;
    e.source = source;
    if (auto kcal = unit_value(body, "kcal_burned", Metric{{}, "kcal"})) {
      e.amount = kcal->first;
      e.unit = kcal->second;
    }
    nlohmann::json details{{"activity_name", name}};
    if (auto distance = unit_value(body, "distance", Metric{{}, "km"})) details["distance_km"] = distance->first;
    if (auto intensity = body.str("reported_activity_intensity")) details["intensity"] = *intensity;
    if (auto met = body.num("met_value")) details["met"] = *met;
    e.details_json = details.dump();
    sink_.event(e);
  }

  // effective_time_frame: a date_time, or a time_interval of two of start, end and duration.
  std::optional<Span> time_frame(const Node& body) {
    auto frame = body.obj("effective_time_frame");
    if (!frame) return std::nullopt;
    if (auto at = instant(*frame, "date_time")) return Span{*at, std::nullopt};
    auto interval = frame->obj("time_interval");
    if (!interval) frame->fail("", "expected date_time or time_interval");
    auto start = instant(*interval, "start_date_time");
    auto end = instant(*interval, "end_date_time");
    auto duration = interval->obj("duration");
    if (start && !end && duration) end = *start + duration_of(*duration);
    if (!start && end && duration) start = *end - duration_of(*duration);
    if (!start || !end) {
      if (interval->any("date")) throw Skip{"time_interval given as a date and part of day"};
      interval->fail("", "expected two of start_date_time, end_date_time and duration");
    }
    if (*end < *start) throw Skip{"time_interval ends before it starts"};
    return Span{*start, *end};
  }

  static std::chrono::milliseconds duration_of(const Node& duration) {
    auto value = duration.num("value");
    if (!value) duration.fail("value", "missing");
    auto unit = duration.str("unit").value_or("");
    for (const auto& known : kDurationUnits) {
      if (known.unit != unit) continue;
      double ms = *value * known.ms;
      if (!(std::abs(ms) < 1e15)) duration.fail("value", "duration out of range");
      return std::chrono::milliseconds(std::llround(ms));
    }
    duration.fail("unit", fmt::format("'{}' is not a duration unit (ms, sec, min, h, d, …)", unit));
  }

  std::optional<Instant> instant(const Node& node, std::string_view key) {
    auto text = node.str(key);
    if (!text) return std::nullopt;
    try {
      return parse_instant_or_local(*text, options_.time_zone);
    } catch (const Error& e) {
      node.fail(key, e.what());
    }
  }

  std::string name_;
  const ImportOptions& options_;
  RecordSink& sink_;
  std::optional<std::string> current_;  // user_id of the current person
};

// `bytes` must be followed by simdjson's padding (a padded_string).
void read_padded(const simdjson::padded_string& bytes, const std::string& name, const ImportOptions& options,
                 RecordSink& sink) {
  std::size_t skip = json::bom_length(std::string_view(bytes.data(), bytes.size()));
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(bytes.data() + skip, bytes.size() - skip, false).get(root)) {
    throw ParseError(fmt::format("{}: {}", name, json::describe(error)));
  }
  OmhReader(name, options, sink).document(root);
}

class OpenMhealthImporter final : public Importer {
 public:
  std::string_view name() const override { return "open-mhealth"; }
  std::string_view version() const override { return "1"; }

  bool accepts(const fs::path&, std::string_view head, const ImportOptions&) const override {
    return looks_like_open_mhealth(head);
  }

  void read(const fs::path& path, const ImportOptions& options, RecordSink& sink) const override {
    simdjson::padded_string bytes;
    if (simdjson::padded_string::load(path.string()).get(bytes)) {
      throw NotFound(fmt::format("{}: cannot read file", path.string()));
    }
    read_padded(bytes, path.string(), options, sink);
  }
};

}  // namespace

std::unique_ptr<Importer> make_open_mhealth_importer() { return std::make_unique<OpenMhealthImporter>(); }

void read_open_mhealth(std::string_view bytes, const std::string& name, const ImportOptions& options,
                       RecordSink& sink) {
  read_padded(simdjson::padded_string(bytes), name, options, sink);
}

bool looks_like_open_mhealth(std::string_view head) {
  auto sniffed = json::sniff_json_head(head);
  if (!sniffed || sniffed->has("resourceType")) return false;
  if (sniffed->has("header") && sniffed->has("body")) return head.find("\"schema_id\"") != std::string_view::npos;
  auto known = [&](std::string_view key) { return sniffed->has(key); };
  if (known("effective_time_frame") || known("activity_name") || known("systolic_blood_pressure")) return true;
  for (const auto& schema : kNumeric)
    if (known(schema.key)) return true;
  return std::any_of(kSleepEpisodeKeys.begin(), kSleepEpisodeKeys.end(), known);
}

}  // namespace medtwin

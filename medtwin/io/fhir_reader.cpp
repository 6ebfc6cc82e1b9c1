#include "medtwin/io/fhir_reader.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <unordered_map>
#include <unordered_set>

#include "medtwin/core/error.hpp"
#include "medtwin/core/units.hpp"
#include "medtwin/io/fhir_codes.hpp"
#include "medtwin/io/fhir_json.hpp"
#include "medtwin/io/text.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;
using json::Node;

// Where a resource sits: "file.json: entry[12] Observation/abc" in a Bundle,
// "file.ndjson:3: Observation/abc" on an NDJSON line.
struct Location final : json::Origin {
  const std::string* file = nullptr;
  long line = 0;    // 1-based NDJSON line; 0 in a JSON document
  long entry = -1;  // Bundle entry index
  std::string_view type, id;

  std::string describe() const override {
    std::string out = line > 0 ? fmt::format("{}:{}", *file, line) : *file;
    std::string_view separator = ": ";
    if (entry >= 0) {
      out += fmt::format(": entry[{}]", entry);
      separator = " ";
    }
    if (!type.empty()) out += fmt::format("{}{}{}{}", separator, type, id.empty() ? "" : "/", id);
    return out;
  }
};

// A record that is well-formed but cannot become a core record; reported and skipped.
struct Skip {
  std::string what;
};

// When a record happened: a point (no end) or a period.
struct Span {
  Instant start;
  std::optional<Instant> end;
};

// FHIR date ("2019", "2019-04", "2019-04-01") as opposed to dateTime with a time of day.
bool is_date_only(std::string_view text) {
  return (text.size() == 4 || text.size() == 7 || text.size() == 10) && text.find('T') == std::string_view::npos;
}

// "Patient/123", "urn:uuid:123", "https://x/fhir/Patient/123/_history/2" → "123".
std::string reference_id(std::string_view reference) {
  constexpr std::string_view urn = "urn:uuid:";
  if (reference.substr(0, urn.size()) == urn) return std::string(reference.substr(urn.size()));
  auto at = reference.rfind("Patient/");
  if (at == std::string_view::npos) return std::string(reference);
  auto id = reference.substr(at + 8);
  return std::string(id.substr(0, id.find('/')));
}

// A FHIR date of any precision as a full "YYYY-MM-DD" (the first month, the first day).
std::string complete_date(std::string_view date) {
  static constexpr std::string_view pad = "-01-01";
  std::string full(date);
  if (date.size() < 10 && date.size() >= 4) full += pad.substr(pad.size() - (10 - date.size()));
  return full;
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

class FhirReader {
 public:
  FhirReader(std::string name, const ImportOptions& options, RecordSink& sink)
      : name_(std::move(name)), options_(options), sink_(sink) {}

  const std::string& name() const { return name_; }
  simdjson::dom::parser& parser() { return parser_; }

  // One JSON document: a Bundle or a single resource; `line` > 0 on an NDJSON line.
  void document(simdjson::dom::element root, long line) {
    Location where;
    where.file = &name_;
    where.line = line;
    simdjson::dom::object object;
    if (root.get(object) != simdjson::SUCCESS) not_fhir(line);
    Node node(object, where);
    auto type = node.str("resourceType");
    if (!type) not_fhir(line);
    if (*type == "Bundle") {
      bundle(node, line);
      return;
    }
    where.type = *type;
    where.id = node.str("id").value_or("");
    if (*type == "Patient") remember_patient(node, "");
    resource(node, where);
  }

 private:
  [[noreturn]] void not_fhir(long line) const {
    if (line > 0) throw ParseError(located(name_, line, "is JSON but not a FHIR resource (no resourceType)"));
    throw ParseError(fmt::format("{} is JSON but not a FHIR resource (no resourceType)", name_));
  }

  // Patients first, so records can be given to the right person whatever the
  // order of entries; then every entry in order.
  void bundle(const Node& node, long line) {
    std::size_t index = 0;
    node.each("entry", [&](const Node& entry) {
      auto resource = entry.obj("resource");
      if (!resource) return;
      std::string full_url_id = reference_id(entry.str("fullUrl").value_or(""));
      if (resource->str("resourceType") == "Patient") remember_patient(*resource, full_url_id);
      else if (!full_url_id.empty()) others_.insert(full_url_id);  // a subject that is a Device, Group, …
    });
    node.each("entry", [&](const Node& entry) {
      Location where;
      where.file = &name_;
      where.line = line;
      where.entry = long(index++);
      auto body = entry.obj("resource");
      if (!body) {
        sink_.issue({ImportIssue::Kind::skipped_record, where.describe(), "Bundle entry without a resource"});
        return;
      }
      Node root(body->raw(), where);
      where.type = root.str("resourceType").value_or("");
      std::string full_url_id = reference_id(entry.str("fullUrl").value_or(""));
      where.id = root.str("id").value_or(full_url_id);
      if (where.type.empty()) root.fail("resourceType", "missing");
      resource(root, where);
    });
  }

  void resource(const Node& r, const Location& where) {
    try {
      if (r.str("status") == "entered-in-error") throw Skip{"resource entered in error"};
      if (where.type == "Patient") select(std::string(where.id));
      else if (where.type == "Observation") observation(r);
      else if (where.type == "Condition") condition(r);
      else if (where.type == "MedicationRequest" || where.type == "MedicationStatement") medication(r, where.type);
      else if (where.type == "Procedure") procedure(r);
      else if (where.type == "Basic" && has_event_extension(r)) basic(r);
      else sink_.issue({ImportIssue::Kind::unknown_type, where.describe(), fmt::format("resource type {}", where.type)});
    } catch (const Skip& skip) {
      sink_.issue({ImportIssue::Kind::skipped_record, where.describe(), skip.what});
    }
  }

  // ---- persons ----

  void remember_patient(const Node& patient, const std::string& full_url_id) {
    PersonInfo info;
    info.source_id = std::string(patient.str("id").value_or(full_url_id));
    info.name = person_name(patient);
    info.sex = parse_sex(patient.str("gender").value_or(""));
    if (auto birth = patient.str("birthDate")) {
      try {
        info.birth_date = std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(parse_local_time(complete_date(*birth)))};
      } catch (const ParseError& e) {
        patient.fail("birthDate", "not a date (YYYY, YYYY-MM or YYYY-MM-DD)");
      }
    }
    patients_[info.source_id] = info;
    if (!full_url_id.empty()) patients_[full_url_id] = info;
  }

  // The first official name, else the first usual one, else the first of any use.
  static std::string person_name(const Node& patient) {
    int best = 3;
    std::string out;
    patient.each("name", [&](const Node& name) {
      auto use = name.str("use");
      int rank = use == "official" ? 0 : use == "usual" ? 1 : 2;
      if (rank < best) {
        best = rank;
        out = full_name(name);
      }
    });
    return out;
  }

  // given + family of a HumanName; its text when it has neither.
  static std::string full_name(const Node& name) {
    std::string out;
    auto append = [&](std::string_view part) { out += out.empty() ? std::string(part) : " " + std::string(part); };
    if (auto given = name.arr("given")) {
      for (auto part : *given) {
        std::string_view text;
        if (part.get(text) != simdjson::SUCCESS) name.fail("given", "expected strings");
        append(text);
      }
    }
    if (auto family = name.str("family")) append(*family);
    if (out.empty()) out = std::string(name.str("text").value_or(""));
    return out;
  }

  // Makes the patient with this id the current person, if it is not already.
  void select(const std::string& id) {
    auto known = patients_.find(id);
    PersonInfo info = known != patients_.end() ? known->second : PersonInfo{id, "", Sex::unknown, std::nullopt};
    if (current_ && *current_ == info.source_id) return;
    current_ = info.source_id;
    sink_.person(info);
  }

  // The person a record is about: `subject` (or `patient`) reference; records without one stay with the current person.
  void select_subject(const Node& r) {
    auto subject = r.obj("subject");
    if (!subject) subject = r.obj("patient");
    if (!subject) return;
    if (auto reference = subject->str("reference")) {
      if (auto id = patient_id(*reference)) select(*id);
    }
  }

  // The patient a reference points to; nullopt for a Device, Group, contained resource, ….
  std::optional<std::string> patient_id(std::string_view reference) const {
    bool typed = reference.find('/') != std::string_view::npos;
    bool patient = reference.find("Patient/") != std::string_view::npos;
    if (starts_with(reference, "#") || (typed && !patient && !starts_with(reference, "urn:"))) return std::nullopt;
    std::string id = reference_id(reference);
    if (others_.count(id)) return std::nullopt;
    return id;
  }

  // ---- time ----

  Instant instant(const Node& node, std::string_view key, std::string_view text) {
    try {
      if (is_date_only(text)) return local_midnight(text);
      return parse_instant_or_local(text, options_.time_zone);
    } catch (const Error& e) {  // malformed, no zone, or an unknown --tz
      node.fail(key, e.what());
    }
  }

  std::optional<Instant> instant(const Node& node, std::string_view key) {
    auto text = node.str(key);
    if (!text) return std::nullopt;
    return instant(node, key, *text);
  }

  // A FHIR date is a local calendar date: midnight in --tz, else in UTC (said once per file).
  Instant local_midnight(std::string_view text) {
    LocalTime local = parse_local_time(complete_date(text));
    if (options_.time_zone) return to_instant(local, *options_.time_zone);
    if (!noted_utc_dates_) {
      noted_utc_dates_ = true;
      sink_.issue({ImportIssue::Kind::note, name_, "dates without a time were read as midnight UTC; pass --tz to read them as local dates"});
    }
    return Instant{local.time_since_epoch()};
  }

  // [x]DateTime / [x]Instant / [x]Period of a resource; nullopt when none is given.
  std::optional<Span> when(const Node& r, std::string_view date_time, std::string_view period,
                           std::string_view instant_key = {}) {
    if (auto at = instant(r, date_time)) return Span{*at, std::nullopt};
    if (!instant_key.empty()) {
      if (auto at = instant(r, instant_key)) return Span{*at, std::nullopt};
    }
    auto p = r.obj(period);
    if (!p) return std::nullopt;
    auto start = instant(*p, "start");
    auto end = instant(*p, "end");
    if (!start && !end) return std::nullopt;
    Span span{start ? *start : *end, end};
    if (span.end && *span.end < span.start) throw Skip{fmt::format("{} ends before it starts", period)};
    return span;
  }

  // ---- codes, units, sources ----

  // The coding of a CodeableConcept to keep: one in `preferred` system, else the first;
  // text alone gives a code without system. nullopt when there is nothing.
  static std::optional<Code> pick_code(const std::optional<Node>& codeable, std::string_view preferred) {
    if (!codeable) return std::nullopt;
    std::optional<Code> first, chosen;
    codeable->each("coding", [&](const Node& coding) {
      auto code = coding.str("code");
      if (!code || chosen) return;
      Code c{std::string(coding.str("system").value_or("")), std::string(*code),
             std::string(coding.str("display").value_or(""))};
      if (c.system == preferred) chosen = c;
      else if (!first) first = std::move(c);
    });
    std::optional<Code> out = chosen ? chosen : first;
    auto text = codeable->str("text");
    if (!out && text) out = Code{"", "", std::string(*text)};
    if (out && out->display.empty() && text) out->display = std::string(*text);
    return out;
  }

  // An Observation code: a canonical metric when any coding is one, else LOINC, else the first coding.
  static std::optional<Code> observation_code(const std::optional<Node>& codeable) {
    if (!codeable) return std::nullopt;
    const Metric* canonical = nullptr;
    codeable->each("coding", [&](const Node& coding) {
      if (canonical) return;
      auto system = coding.str("system"), code = coding.str("code");
      if (system && code) canonical = fhir::canonical_metric(*system, *code);
    });
    if (canonical) return canonical->code;
    auto code = pick_code(codeable, systems::loinc);
    if (code && code->code.empty()) return std::nullopt;  // text only: not a series
    return code;
  }

  // UCUM unit of a Quantity: its code when the system is UCUM, else the written unit mapped
  // to UCUM; units medtwin does not know are kept as written and reported.
  std::string quantity_unit(const Node& quantity) {
    auto system = quantity.str("system");
    auto code = quantity.str("code");
    if (code && system == systems::ucum) return std::string(*code);
    auto written = quantity.str("unit");
    if (!written) written = code;
    if (!written || written->empty()) return "";
    if (auto ucum = to_ucum(*written)) return *ucum;
    sink_.issue({ImportIssue::Kind::unknown_unit, quantity.where(), fmt::format("unit '{}'", *written)});
    return std::string(*written);
  }

  // The device (as display, else as reference) that made an Observation.
  static std::string device_source(const Node& r) {
    auto device = r.obj("device");
    if (!device) return "";
    if (auto display = device->str("display")) return std::string(*display);
    return std::string(device->str("reference").value_or(""));
  }

  // Values of canonical metrics in the metric's unit, so every source lands in one series.
  void to_canonical_unit(Observation& obs, const Node& context) {
    const Metric* metric = fhir::canonical_metric(obs.code.system, obs.code.code);
    if (!metric || !obs.value || obs.unit == metric->unit) return;
    auto converted = to_metric_unit(*obs.value, obs.unit, *metric);
    if (!converted) {
      sink_.issue({ImportIssue::Kind::unknown_unit, context.where(),
                   fmt::format("unit '{}' cannot be converted to '{}' for {}", obs.unit, metric->unit, obs.code.code)});
      return;
    }
    obs.value = *converted;
    obs.unit = metric->unit;
  }

  // ---- Observation ----

  void observation(const Node& r) {
    select_subject(r);
    auto code = observation_code(r.obj("code"));
    if (!code) throw Skip{"Observation without a code"};
    auto span = when(r, "effectiveDateTime", "effectivePeriod", "effectiveInstant");
    if (!span) throw Skip{"Observation without an effective time"};
    std::string source = device_source(r);
    bool has_value = value_field(r).has_value();
    if (fhir::is_blood_pressure_panel(*code) || (!has_value && r.arr("component"))) {
      // Each component on its own: one without a value does not cost the others.
      r.each("component", [&](const Node& component) {
        try {
          auto component_code = observation_code(component.obj("code"));
          if (!component_code) throw Skip{"Observation component without a code"};
          value(component, *component_code, *span, source);
        } catch (const Skip& skip) {
          sink_.issue({ImportIssue::Kind::skipped_record, component.where(), skip.what});
        }
      });
      return;
    }
    value(r, *code, *span, source);
  }

  // The value[x] field of an Observation or component (null counts as absent).
  static std::optional<std::string_view> value_field(const Node& holder) {
    for (auto field : holder.raw()) {
      if (starts_with(field.key, "value") && !field.value.is_null()) return field.key;
    }
    return std::nullopt;
  }

  void value(const Node& holder, const Code& code, Span span, const std::string& source) {
    auto key = value_field(holder);
    if (!key) throw Skip{"Observation without a value"};
    obs_.code = code;
    obs_.start = span.start;
    obs_.end = span.end.value_or(span.start);
    obs_.source = source;
    obs_.value.reset();
    obs_.value_code.reset();
    obs_.unit.clear();
    if (*key == "valueQuantity") {
      auto quantity = holder.obj(*key);
      auto number = quantity ? quantity->num("value") : std::nullopt;
      if (!number) throw Skip{"Observation quantity without a value"};
      obs_.value = *number;
      obs_.unit = quantity_unit(*quantity);
      to_canonical_unit(obs_, holder);
    } else if (*key == "valueInteger") {
      obs_.value = holder.num(*key);
      // An integer carries no unit: a canonical metric's is implied (steps, beats/min).
      if (const Metric* metric = fhir::canonical_metric(code.system, code.code)) obs_.unit = metric->unit;
    } else if (*key == "valueCodeableConcept") {
      auto coded = pick_code(holder.obj(*key), "");
      if (!coded || coded->code.empty()) throw Skip{"Observation valueCodeableConcept without a coding"};
      obs_.value_code = std::move(*coded);
    } else if (*key == "valueSampledData") {
      sampled_data(*holder.obj(*key), code, span.start, source);
      return;
    } else {
      throw Skip{fmt::format("Observation {} not imported", *key)};
    }
    sink_.observation(obs_);
  }

  // valueSampledData → a Signal: value = origin + factor × data, one point every `period` ms,
  // `dimensions` channels interleaved; "E" (error), "L" / "U" (beyond the limits) → NaN.
  void sampled_data(const Node& data, const Code& code, Instant start, const std::string& source) {
    auto origin = data.obj("origin");
    if (!origin) data.fail("origin", "missing");
    double offset = origin->num("value").value_or(0);
    double factor = data.num("factor").value_or(1);
    auto period = data.num("period");
    if (!period || !(*period > 0) || !std::isfinite(1000.0 / *period)) {
      data.fail("period", "expected a positive number of milliseconds");
    }
    auto dimensions = data.num("dimensions");
    if (!dimensions || *dimensions < 1 || *dimensions != std::floor(*dimensions)) {
      data.fail("dimensions", "expected a positive integer");
    }
    auto text = data.str("data");
    if (!text) throw Skip{"Observation valueSampledData without data"};
    std::vector<float> values = sample_values(data, *text, offset, factor);
    if (values.empty()) throw Skip{"Observation valueSampledData without data"};
    if (*dimensions > double(values.size()) || values.size() % std::size_t(*dimensions) != 0) {
      data.fail("data", fmt::format("{} values do not split into {} interleaved channels", values.size(), *dimensions));
    }
    Signal signal = interleaved(values, std::size_t(*dimensions), code, quantity_unit(*origin));
    signal.sample_rate_hz = 1000.0 / *period;
    signal.start = start;
    signal.source = source;
    sink_.signal(signal);
  }

  // `channels` channels from interleaved values, named and typed after the code.
  static Signal interleaved(const std::vector<float>& values, std::size_t channels, const Code& code,
                            const std::string& unit) {
    Signal signal;
    signal.kind = fhir::is_ecg(code) ? "ECG" : fhir::is_ppg(code) ? "PPG" : !code.display.empty() ? code.display : code.code;
    std::string label = code.display.empty() ? code.code : code.display;
    signal.samples.assign(channels, {});
    for (std::size_t c = 0; c < channels; ++c) {
      signal.channels.push_back({channels == 1 ? label : fmt::format("{} {}", label, c + 1), unit});
      signal.samples[c].reserve(values.size() / channels);
    }
    for (std::size_t i = 0; i < values.size(); ++i) signal.samples[i % channels].push_back(values[i]);
    return signal;
  }

  static std::vector<float> sample_values(const Node& data, std::string_view text, double offset, double factor) {
    std::vector<float> values;
    std::size_t i = 0;
    auto is_space = [&](std::size_t k) {
      char c = text[k];
      return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    };
    auto is_nbsp = [&](std::size_t k) { return text.substr(k, 2) == "\xC2\xA0"; };  // seen in HL7's own examples
    while (i < text.size()) {
      if (is_space(i)) { ++i; continue; }
      if (is_nbsp(i)) { i += 2; continue; }
      std::size_t end = i;
      while (end < text.size() && !is_space(end) && !is_nbsp(end)) ++end;
      std::string_view token = text.substr(i, end - i);
      i = end;
      if (token == "E" || token == "L" || token == "U") {
        values.push_back(std::numeric_limits<float>::quiet_NaN());
        continue;
      }
      auto x = to_number(token);
      if (!x) data.fail("data", fmt::format("sample {} is not a decimal, E, L or U", values.size()));
      double value = offset + factor * *x;
      if (!(std::abs(value) <= std::numeric_limits<float>::max())) {
        data.fail("data", fmt::format("sample {} is out of range", values.size()));
      }
      values.push_back(float(value));
    }
    return values;
  }

  // ---- events ----

  void condition(const Node& r) {
    select_subject(r);
    Event e;
    e.kind = event_kinds::condition;
    e.code = pick_code(r.obj("code"), systems::snomed).value_or(Code{});
    auto onset = when(r, "onsetDateTime", "onsetPeriod");
    if (!onset) {
      auto recorded = instant(r, "recordedDate");
      if (recorded) onset = Span{*recorded, std::nullopt};
    }
    if (!onset) throw Skip{"Condition without an onset or recorded date"};
    e.start = onset->start;
    if (auto abatement = when(r, "abatementDateTime", "abatementPeriod")) e.end = abatement->end.value_or(abatement->start);
    nlohmann::json details = nlohmann::json::object();
    if (auto status = pick_code(r.obj("clinicalStatus"), "")) details["clinicalStatus"] = status->code;
    if (auto status = pick_code(r.obj("verificationStatus"), "")) details["verificationStatus"] = status->code;
    e.details_json = details.dump();
    emit(r, e);
  }

  void medication(const Node& r, std::string_view type) {
    select_subject(r);
    bool request = type == "MedicationRequest";
    Event e;
    e.kind = event_kinds::medication;
    e.code = pick_code(r.obj("medicationCodeableConcept"), systems::rxnorm).value_or(Code{});
    if (e.code.code.empty()) {
      if (auto reference = r.obj("medicationReference")) e.code.display = std::string(reference->str("display").value_or(""));
    }
    std::optional<Span> span;
    if (request) {
      if (auto authored = instant(r, "authoredOn")) span = Span{*authored, std::nullopt};
    } else {
      span = when(r, "effectiveDateTime", "effectivePeriod");
      if (!span) {
        if (auto asserted = instant(r, "dateAsserted")) span = Span{*asserted, std::nullopt};
      }
    }
    if (!span) throw Skip{fmt::format("{} without a date", type)};
    e.start = span->start;
    e.end = span->end;
    nlohmann::json details{{"resource", type}};
    if (auto status = r.str("status")) details["status"] = *status;
    if (auto intent = r.str("intent")) details["intent"] = *intent;
    if (auto dosage = r.at(request ? "dosageInstruction" : "dosage", 0)) {
      if (auto text = dosage->str("text")) details["dosage"] = *text;
      if (auto rate = dosage->at("doseAndRate", 0)) {
        if (auto dose = rate->obj("doseQuantity")) {
          e.amount = dose->num("value");
          if (e.amount) e.unit = quantity_unit(*dose);
        }
      }
    }
    e.details_json = details.dump();
    emit(r, e);
  }

  void procedure(const Node& r) {
    select_subject(r);
    Event e;
    e.kind = event_kinds::procedure;
    e.code = pick_code(r.obj("code"), systems::snomed).value_or(Code{});
    auto span = when(r, "performedDateTime", "performedPeriod");
    if (!span) throw Skip{"Procedure without a performed time"};
    e.start = span->start;
    e.end = span->end;
    nlohmann::json details = nlohmann::json::object();
    if (auto status = r.str("status")) details["status"] = *status;
    e.details_json = details.dump();
    emit(r, e);
  }

  // Any other kind of event, as medtwin exports it: a Basic resource whose extension holds the rest.
  void basic(const Node& r) {
    select_subject(r);
    Event e;
    e.code = pick_code(r.obj("code"), "").value_or(Code{});
    e.start = Instant::min();
    emit(r, e);
  }

  static bool has_event_extension(const Node& r) {
    bool found = false;
    r.each("extension", [&](const Node& ext) { found = found || ext.str("url") == fhir::kEventExtension; });
    return found;
  }

  // Applies medtwin's event extension (kind, details, source; times and amount on Basic), then emits.
  void emit(const Node& r, Event& e) {
    r.each("extension", [&](const Node& ext) {
      if (ext.str("url") != fhir::kEventExtension) return;
      ext.each("extension", [&](const Node& part) {
        auto url = part.str("url").value_or("");
        if (url == "kind") e.kind = std::string(part.str("valueCode").value_or(e.kind));
        else if (url == "source") e.source = std::string(part.str("valueString").value_or(""));
        else if (url == "details") e.details_json = json_object_text(part);
        else if (url == "start") e.start = instant(part, "valueDateTime").value_or(e.start);
        else if (url == "end") e.end = instant(part, "valueDateTime");
        else if (url == "amount") amount(part, e);
      });
    });
    if (e.kind.empty()) throw Skip{"event without a kind"};
    if (e.start == Instant::min()) throw Skip{"event without a start"};
    if (e.end && *e.end < e.start) throw Skip{"event ends before it starts"};
    sink_.event(e);
  }

  void amount(const Node& part, Event& e) {
    auto quantity = part.obj("valueQuantity");
    if (!quantity) return;
    e.amount = quantity->num("value");
    e.unit = quantity_unit(*quantity);
  }

  static std::string json_object_text(const Node& part) {
    std::string text(part.str("valueString").value_or("{}"));
    auto parsed = nlohmann::json::parse(text, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) part.fail("valueString", "expected a JSON object");
    return text;
  }

  std::string name_;
  const ImportOptions& options_;
  RecordSink& sink_;
  simdjson::dom::parser parser_;
  std::unordered_map<std::string, PersonInfo> patients_;  // by Patient.id and by Bundle fullUrl
  std::unordered_set<std::string> others_;                 // fullUrl ids of the Bundle's other resources
  std::optional<std::string> current_;                    // source id of the current person
  bool noted_utc_dates_ = false;
  Observation obs_;  // reused, so its strings keep their capacity
};

// ---- documents and lines ----

// Lines of NDJSON, from a stream read as it goes or from bytes in memory.
class Lines {
 public:
  virtual ~Lines() = default;
  // The next line without its end-of-line, into `line`; false at the end.
  virtual bool next(std::string& line) = 0;
  virtual std::uint64_t position() const = 0;
};

class StreamLines final : public Lines {
 public:
  explicit StreamLines(std::istream& in) : in_(in) {}
  bool next(std::string& line) override {
    if (!std::getline(in_, line)) return false;
    position_ += line.size() + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
  }
  std::uint64_t position() const override { return position_; }

 private:
  std::istream& in_;
  std::uint64_t position_ = 0;
};

class MemoryLines final : public Lines {
 public:
  explicit MemoryLines(std::string_view bytes) : bytes_(bytes) {}
  bool next(std::string& line) override {
    if (position_ >= bytes_.size()) return false;
    auto end = bytes_.find('\n', position_);
    if (end == std::string_view::npos) end = bytes_.size();
    line.assign(bytes_.substr(position_, end - position_));
    position_ = end + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
  }
  std::uint64_t position() const override { return position_; }

 private:
  std::string_view bytes_;
  std::size_t position_ = 0;
};

bool is_blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

// simdjson reads up to SIMDJSON_PADDING bytes past the end; give the line the room.
simdjson::error_code parse_line(simdjson::dom::parser& parser, std::string& line, simdjson::dom::element& root) {
  line.reserve(line.size() + simdjson::SIMDJSON_PADDING);
  std::string_view text = line;
  text.remove_prefix(json::bom_length(text));
  return parser.parse(text.data(), text.size(), false).get(root);
}

// The next non-blank line and its number; false at the end.
bool next_content(Lines& lines, std::string& line, long& number) {
  while (lines.next(line)) {
    ++number;
    if (!is_blank(line)) return true;
  }
  return false;
}

// NDJSON when the first line is a whole JSON value and more lines follow;
// otherwise one JSON document, which `whole` loads.
void read_lines_or_document(FhirReader& reader, Lines& lines, const std::function<simdjson::padded_string()>& whole,
                            std::uint64_t total, const ImportOptions& options) {
  std::string line, next;
  long number = 0;
  if (!next_content(lines, line, number)) throw ParseError(fmt::format("{}: the file is empty", reader.name()));
  long first = number;
  simdjson::dom::element root;
  bool whole_line = parse_line(reader.parser(), line, root) == simdjson::SUCCESS;
  bool ndjson = whole_line && next_content(lines, next, number);
  if (!ndjson) {
    simdjson::padded_string bytes;
    if (!whole_line) {  // a document over several lines: parse all of it
      bytes = whole();
      std::size_t skip = json::bom_length(std::string_view(bytes.data(), bytes.size()));
      auto error = reader.parser().parse(bytes.data() + skip, bytes.size() - skip, false).get(root);
      if (error) throw ParseError(fmt::format("{}: {}", reader.name(), json::describe(error)));
    }
    reader.document(root, 0);
    if (options.progress) options.progress(total, total);
    return;
  }
  reader.document(root, first);
  do {
    if (auto error = parse_line(reader.parser(), next, root)) {
      throw ParseError(located(reader.name(), number, json::describe(error)));
    }
    reader.document(root, number);
    if (options.progress && number % 8192 == 0) options.progress(lines.position(), total);
  } while (next_content(lines, next, number));
  if (options.progress) options.progress(total, total);
}

class FhirImporter final : public Importer {
 public:
  std::string_view name() const override { return "fhir-r4"; }
  std::string_view version() const override { return "1"; }

  bool accepts(const fs::path& path, std::string_view head, const ImportOptions&) const override {
    if (looks_like_fhir(head)) return true;
    // An NDJSON line longer than the head: its resourceType may come later.
    auto sniffed = json::sniff_json_head(head);
    return path.extension() == ".ndjson" && sniffed && !sniffed->in_array && !sniffed->complete;
  }

  void read(const fs::path& path, const ImportOptions& options, RecordSink& sink) const override {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw NotFound(fmt::format("{}: cannot open file", path.string()));
    std::error_code ec;
    auto total = std::uint64_t(fs::file_size(path, ec));
    FhirReader reader(path.string(), options, sink);
    StreamLines lines(in);
    read_lines_or_document(reader, lines, [&] {
      simdjson::padded_string bytes;
      if (simdjson::padded_string::load(path.string()).get(bytes)) {
        throw ParseError(fmt::format("{}: cannot read file", path.string()));
      }
      return bytes;
    }, total, options);
  }
};

}  // namespace

std::unique_ptr<Importer> make_fhir_importer() { return std::make_unique<FhirImporter>(); }

void read_fhir(std::string_view bytes, const std::string& name, const ImportOptions& options, RecordSink& sink) {
  FhirReader reader(name, options, sink);
  MemoryLines lines(bytes);
  read_lines_or_document(reader, lines, [&] { return simdjson::padded_string(bytes); }, bytes.size(), options);
}

bool looks_like_fhir(std::string_view head) {
  auto sniffed = json::sniff_json_head(head);
  return sniffed && !sniffed->in_array && sniffed->has("resourceType");
}

}  // namespace medtwin

#include "medtwin/io/fhir_writer.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>
#include <random>

#include "medtwin/io/fhir_codes.hpp"

namespace medtwin {
namespace {

// Ordered, so every resource starts with its resourceType as FHIR writes it.
using Json = nlohmann::ordered_json;

// Compact JSON; bytes that are not UTF-8 (which a CSV import may have stored) become U+FFFD.
std::string dump(const Json& resource) { return resource.dump(-1, ' ', false, Json::error_handler_t::replace); }

Json coding(const Code& code) {
  Json c = Json::object();
  if (!code.system.empty()) c["system"] = code.system;
  c["code"] = code.code;
  if (!code.display.empty()) c["display"] = code.display;
  return c;
}

// A CodeableConcept: the coding, or only text when there is no code.
Json codeable(const Code& code, std::string_view fallback_text = "") {
  if (code.code.empty()) {
    return Json{{"text", code.display.empty() ? std::string(fallback_text) : code.display}};
  }
  return Json{{"coding", Json::array({coding(code)})}};
}

bool has_code(const Code& code) { return !code.code.empty() || !code.display.empty(); }

Json quantity(double value, const std::string& unit) {
  Json q{{"value", value}};
  if (!unit.empty()) {
    q["unit"] = unit;
    q["system"] = systems::ucum;
    q["code"] = unit;
  }
  return q;
}

// `<prefix>DateTime` for a point, `<prefix>Period` for an interval.
void set_time(Json& resource, const char* date_time, const char* period, Instant start, std::optional<Instant> end) {
  if (end) resource[period] = Json{{"start", format_instant(start)}, {"end", format_instant(*end)}};
  else resource[date_time] = format_instant(start);
}

// The status a resource type allows, from the event's details, else `fallback`.
std::string status_from(const nlohmann::json& details, const char* key, std::initializer_list<std::string_view> allowed,
                        const char* fallback) {
  auto it = details.find(key);
  if (it == details.end() || !it->is_string()) return fallback;
  auto status = it->get<std::string>();
  for (auto a : allowed)
    if (a == status) return status;
  return fallback;
}

Json status_concept(const char* system, const std::string& code) {
  return Json{{"coding", Json::array({Json{{"system", system}, {"code", code}}})}};
}

// medtwin's event extension: what the resource type has no field for (fhir_codes.hpp).
Json event_extension(const Event& e, bool basic, bool amount_inside) {
  Json parts = Json::array();
  auto part = [&](const char* url, const char* type, Json value) {
    parts.push_back(Json{{"url", url}, {type, std::move(value)}});
  };
  if (basic) {
    part("kind", "valueCode", e.kind);
    part("start", "valueDateTime", format_instant(e.start));
    if (e.end) part("end", "valueDateTime", format_instant(*e.end));
  }
  if (e.amount && amount_inside) part("amount", "valueQuantity", quantity(*e.amount, e.unit));
  part("details", "valueString", e.details_json);
  if (!e.source.empty()) part("source", "valueString", e.source);
  return Json::array({Json{{"url", fhir::kEventExtension}, {"extension", std::move(parts)}}});
}

}  // namespace

FhirBundleWriter::FhirBundleWriter(std::ostream& out, const PersonInfo& person) : out_(out) {
  std::random_device random;
  std::array<std::uint32_t, 3> bits{random(), random(), random()};
  // UUID version 4 layout; the last 12 hex digits count the resources of this export.
  id_prefix_ = fmt::format("{:08x}-{:04x}-4{:03x}-{:04x}-", bits[0], bits[1] & 0xffff, bits[1] >> 20,
                           0x8000 | (bits[2] & 0x3fff));
  out_ << R"({"resourceType":"Bundle","type":"collection","entry":[)";
  std::string id = next_id();
  patient_reference_ = "urn:uuid:" + id;
  Json patient{{"resourceType", "Patient"}, {"id", id}};
  if (!person.name.empty()) patient["name"] = Json::array({Json{{"use", "usual"}, {"text", person.name}}});
  if (person.sex != Sex::unknown) patient["gender"] = to_string(person.sex);
  if (person.birth_date) {
    const auto& d = *person.birth_date;
    patient["birthDate"] = fmt::format("{:04}-{:02}-{:02}", int(d.year()), unsigned(d.month()), unsigned(d.day()));
  }
  write_entry(id, dump(patient));
}

void FhirBundleWriter::observation(const Observation& obs) {
  std::string id = next_id();
  Json r{{"resourceType", "Observation"}, {"id", id}, {"status", "final"}, {"code", codeable(obs.code)},
         {"subject", Json{{"reference", patient_reference_}}}};
  set_time(r, "effectiveDateTime", "effectivePeriod", obs.start,
           obs.end != obs.start ? std::optional(obs.end) : std::nullopt);
  if (obs.value) r["valueQuantity"] = quantity(*obs.value, obs.unit);
  else if (obs.value_code) r["valueCodeableConcept"] = codeable(*obs.value_code);
  if (!obs.source.empty()) r["device"] = Json{{"display", obs.source}};
  write_entry(id, dump(r));
}

void FhirBundleWriter::event(const Event& e) {
  std::string id = next_id();
  auto details = nlohmann::json::parse(e.details_json, nullptr, false);
  if (!details.is_object()) details = nlohmann::json::object();
  Json subject{{"reference", patient_reference_}};
  Json r;
  if (e.kind == event_kinds::condition) {
    r = Json{{"resourceType", "Condition"}, {"id", id}, {"extension", event_extension(e, false, true)}};
    auto clinical = status_from(details, "clinicalStatus",
                                {"active", "recurrence", "relapse", "inactive", "remission", "resolved"}, "");
    if (!clinical.empty()) {
      r["clinicalStatus"] = status_concept("http://terminology.hl7.org/CodeSystem/condition-clinical", clinical);
    }
    auto verification = status_from(details, "verificationStatus",
                                    {"unconfirmed", "provisional", "differential", "confirmed", "refuted"}, "");
    if (!verification.empty()) {
      r["verificationStatus"] = status_concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", verification);
    }
    if (has_code(e.code)) r["code"] = codeable(e.code);
    r["subject"] = subject;
    r["onsetDateTime"] = format_instant(e.start);
    if (e.end) r["abatementDateTime"] = format_instant(*e.end);
  } else if (e.kind == event_kinds::medication) {
    r = Json{{"resourceType", "MedicationStatement"}, {"id", id}, {"extension", event_extension(e, false, false)}};
    r["status"] = status_from(details, "status",
                              {"active", "completed", "intended", "stopped", "on-hold", "unknown", "not-taken"},
                              "unknown");
    r["medicationCodeableConcept"] = codeable(e.code, "unknown medication");
    r["subject"] = subject;
    set_time(r, "effectiveDateTime", "effectivePeriod", e.start, e.end);
    if (e.amount) r["dosage"] = Json::array({Json{{"doseAndRate", Json::array({Json{{"doseQuantity", quantity(*e.amount, e.unit)}}})}}});
  } else if (e.kind == event_kinds::procedure) {
    r = Json{{"resourceType", "Procedure"}, {"id", id}, {"extension", event_extension(e, false, true)}};
    r["status"] = status_from(details, "status",
                              {"preparation", "in-progress", "not-done", "on-hold", "stopped", "completed", "unknown"},
                              "completed");
    if (has_code(e.code)) r["code"] = codeable(e.code);
    r["subject"] = subject;
    set_time(r, "performedDateTime", "performedPeriod", e.start, e.end);
  } else {
    r = Json{{"resourceType", "Basic"}, {"id", id}, {"extension", event_extension(e, true, true)},
             {"code", codeable(e.code, e.kind)}, {"subject", subject}};
  }
  write_entry(id, dump(r));
}

void FhirBundleWriter::finish() { out_ << "\n]}\n"; }

std::string FhirBundleWriter::next_id() { return fmt::format("{}{:012x}", id_prefix_, next_++); }

void FhirBundleWriter::write_entry(const std::string& id, const std::string& resource_json) {
  out_ << (next_ > 1 ? ",\n" : "\n") << R"({"fullUrl":"urn:uuid:)" << id << R"(","resource":)" << resource_json
       << '}';
}

namespace {

// RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled.
std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

ObservationCsvWriter::ObservationCsvWriter(std::ostream& out, std::string person)
    : out_(out), person_(csv_field(person)) {
  out_ << "person,system,code,display,start,end,value,value_code,unit,source\r\n";
}

void ObservationCsvWriter::observation(const Observation& o) {
  out_ << person_ << ',' << csv_field(o.code.system) << ',' << csv_field(o.code.code) << ','
       << csv_field(o.code.display) << ',' << format_instant(o.start) << ',' << format_instant(o.end) << ','
       << (o.value ? fmt::format("{}", *o.value) : "") << ',' << (o.value_code ? csv_field(o.value_code->token()) : "")
       << ',' << csv_field(o.unit) << ',' << csv_field(o.source) << "\r\n";
}

}  // namespace medtwin

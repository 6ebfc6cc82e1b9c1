// Synthetic FHIR R4 bulk-data NDJSON shaped like Synthea's output (the
// resources in ../shared/data/fhir/synthea): one Patient, then Observations
// of vital signs, labs, blood-pressure panels and smoking status with
// Synthea's fields (category, encounter, issued, meta tag), one Encounter per
// visit. Shared by gen_fhir_ndjson and fhir_ndjson_bench. Same seed, same lines.
#pragma once

#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <ostream>
#include <random>
#include <string>

#include "medtwin/core/time.hpp"

namespace medtwin::bench {

struct ObservationKind {
  const char* code;
  const char* display;
  const char* unit;
  const char* category;
  double mean, sd;
};

// Synthea's vital signs and a basic metabolic panel with its units; values roughly as Synthea draws them.
inline constexpr ObservationKind kKinds[] = {
    {"8302-2", "Body Height", "cm", "vital-signs", 175, 8},
    {"29463-7", "Body Weight", "kg", "vital-signs", 82, 12},
    {"39156-5", "Body Mass Index", "kg/m2", "vital-signs", 27, 4},
    {"72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported", "{score}", "vital-signs", 3, 2},
    {"2339-0", "Glucose", "mg/dL", "laboratory", 95, 15},
    {"6299-2", "Urea Nitrogen", "mg/dL", "laboratory", 14, 4},
    {"38483-4", "Creatinine", "mg/dL", "laboratory", 1.0, 0.2},
    {"2947-0", "Sodium", "mmol/L", "laboratory", 140, 2},
    {"6298-4", "Potassium", "mmol/L", "laboratory", 4.2, 0.4},
    {"4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "%", "laboratory", 6.0, 0.8},
};

inline std::string uuid(std::mt19937_64& rng) {
  std::uint64_t a = rng(), b = rng();
  return fmt::format("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xffff, a & 0xfff,
                     0x8000 | ((b >> 48) & 0x3fff), b & 0xffffffffffff);
}

// "2013-02-19T20:32:26+00:00", Synthea's way.
inline std::string synthea_time(Instant t) {
  std::string text = format_instant(t);  // ...T20:32:26.000Z
  return text.substr(0, 19) + "+00:00";
}

// Visits per synthetic patient: about 10 years of weekly check-ups, then the
// next patient, so times stay in a realistic range at any size.
inline constexpr int kVisitsPerPatient = 520;

// Writes Patients, each followed by their Encounters and Observations, until
// `observations` values are out (a blood-pressure panel counts as its two
// components). Returns lines written.
inline std::int64_t write_fhir_ndjson(std::ostream& out, std::int64_t observations, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0, 1);
  std::string patient;
  std::int64_t lines = 0, written = 0;
  int visits = kVisitsPerPatient;
  Instant visit;
  const std::string meta = R"("meta":{"tag":[{"system":"https://smarthealthit.org/tags","code":"synthea-5-2019"}]})";
  while (written < observations) {
    if (visits++ == kVisitsPerPatient) {
      visits = 1;
      patient = uuid(rng);
      out << fmt::format(R"({{"resourceType":"Patient","id":"{}","name":[{{"use":"official","family":"Bench","given":["Synthetic","{}"]}}],"gender":"female","birthDate":"1970-01-01"}})",
                         patient, lines)
          << '\n';
      ++lines;
      visit = parse_instant("2010-01-01T09:00:00Z");
    }
    std::string encounter = uuid(rng);
    std::string time = synthea_time(visit), issued = format_instant(visit + std::chrono::milliseconds(828));
    out << fmt::format(R"({{"resourceType":"Encounter","id":"{}","status":"finished","class":{{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"}},"subject":{{"reference":"urn:uuid:{}"}},"period":{{"start":"{}","end":"{}"}},{}}})",
                       encounter, patient, time, time, meta)
        << '\n';
    ++lines;
    auto head = [&](const char* category, const char* code, const char* display) {
      return fmt::format(
          R"({{"resourceType":"Observation","id":"{}","status":"final","category":[{{"coding":[{{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"{}","display":"{}"}}]}}],"code":{{"coding":[{{"system":"http://loinc.org","code":"{}","display":"{}"}}],"text":"{}"}},"subject":{{"reference":"urn:uuid:{}"}},"encounter":{{"reference":"urn:uuid:{}"}},"effectiveDateTime":"{}","issued":"{}",)",
          uuid(rng), category, category, code, display, display, patient, encounter, time, issued);
    };
    auto quantity = [](double value, const char* unit) {
      return fmt::format(R"({{"value":{},"unit":"{}","system":"http://unitsofmeasure.org","code":"{}"}})", value, unit,
                         unit);
    };
    for (const auto& kind : kKinds) {
      out << head(kind.category, kind.code, kind.display) << R"("valueQuantity":)"
          << quantity(kind.mean + kind.sd * normal(rng), kind.unit) << ',' << meta << "}\n";
    }
    out << head("vital-signs", "55284-4", "Blood Pressure") << R"("component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8462-4","display":"Diastolic Blood Pressure"}],"text":"Diastolic Blood Pressure"},"valueQuantity":)"
        << quantity(80 + 8 * normal(rng), "mm[Hg]")
        << R"(},{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6","display":"Systolic Blood Pressure"}],"text":"Systolic Blood Pressure"},"valueQuantity":)"
        << quantity(125 + 12 * normal(rng), "mm[Hg]") << "}]," << meta << "}\n";
    out << head("survey", "72166-2", "Tobacco smoking status NHIS")
        << R"("valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"266919005","display":"Never smoker"}],"text":"Never smoker"},)"
        << meta << "}\n";
    constexpr std::int64_t per_visit = std::size(kKinds) + 2 + 1;
    written += per_visit;
    lines += std::int64_t(std::size(kKinds)) + 2;
    visit += std::chrono::hours(24 * 7) + std::chrono::minutes(std::uniform_int_distribution<int>(0, 600)(rng));
  }
  return lines;
}

}  // namespace medtwin::bench

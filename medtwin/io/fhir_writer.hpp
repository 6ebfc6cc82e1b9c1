// Export of one person's records. FHIR R4: a Bundle of type "collection"
// (https://hl7.org/fhir/R4/bundle.html) written entry by entry, so millions
// of observations never sit in memory at once; fhir_reader.hpp reads it back
// into the same records (docs/formats/fhir.md says how each maps). CSV: one
// row per observation (RFC 4180).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "medtwin/core/records.hpp"

namespace medtwin {

class FhirBundleWriter {
 public:
  // Writes the Bundle's opening and the Patient.
  FhirBundleWriter(std::ostream& out, const PersonInfo& person);
  FhirBundleWriter(const FhirBundleWriter&) = delete;
  FhirBundleWriter& operator=(const FhirBundleWriter&) = delete;

  // One Observation.
  void observation(const Observation& obs);
  // A Condition, MedicationStatement or Procedure for those kinds; a Basic
  // resource carrying medtwin's event extension for every other kind.
  void event(const Event& event);
  // Closes the Bundle; call once, after the last record.
  void finish();

 private:
  std::string next_id();
  void write_entry(const std::string& id, const std::string& resource_json);

  std::ostream& out_;
  std::string id_prefix_;  // random per export, so ids from two exports never collide
  std::uint64_t next_ = 0;
  std::string patient_reference_;
};

class ObservationCsvWriter {
 public:
  // Writes the header: person,system,code,display,start,end,value,value_code,unit,source
  ObservationCsvWriter(std::ostream& out, std::string person);
  void observation(const Observation& obs);

 private:
  std::ostream& out_;
  std::string person_;
};

}  // namespace medtwin

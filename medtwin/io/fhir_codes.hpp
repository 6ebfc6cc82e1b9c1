// Codes and identifiers the FHIR reader and writer (and the Open mHealth reader) share: which coded
// concepts are canonical metrics (codes.hpp), the blood-pressure panels, the
// IEEE 11073 (MDC) codes of personal health devices (HL7 PHD IG) that stand
// for a canonical metric, and the medtwin extensions that let an exported
// Bundle be read back without loss (docs/formats/fhir.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "medtwin/core/codes.hpp"

namespace medtwin::fhir {

// Extension on exported event resources; its sub-extensions carry what FHIR
// has no field for: "kind" (valueCode), "details" (valueString, the event's
// details_json), "source" (valueString), and on Basic resources "start" and
// "end" (valueDateTime) and "amount" (valueQuantity).
inline constexpr std::string_view kEventExtension = "https://medtwin.org/fhir/StructureDefinition/event";

// The canonical metric a coding stands for (by its own code, or by an MDC
// device code), or nullptr.
const Metric* canonical_metric(std::string_view system, std::string_view code);

// LOINC blood-pressure panels whose components are the systolic and diastolic values.
bool is_blood_pressure_panel(const Code& code);

// Whether a SampledData code is an ECG lead (MDC ECG potentials, LOINC EKG studies).
bool is_ecg(const Code& code);
// MDC_PULS_OXIM_PLETH, a photoplethysmogram.
bool is_ppg(const Code& code);

}  // namespace medtwin::fhir

// FHIR R4 import (https://hl7.org/fhir/R4/): a Bundle or a single resource in
// JSON, or bulk-data NDJSON (one resource per line, https://hl7.org/fhir/uv/bulkdata/).
// Patient → person; Observation → observations (LOINC, blood-pressure panels
// split into their components, values in the canonical unit) or signals
// (valueSampledData); Condition, MedicationRequest/MedicationStatement and
// Procedure → events. Other resource types are skipped and reported.
// docs/formats/fhir.md has the full mapping.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "medtwin/io/importer.hpp"

namespace medtwin {

std::unique_ptr<Importer> make_fhir_importer();

// Reads FHIR held in memory: one JSON resource or Bundle, or NDJSON. `name`
// names the input in errors. Throws ParseError on malformed input.
void read_fhir(std::string_view bytes, const std::string& name, const ImportOptions& options, RecordSink& sink);

// Whether a file's first bytes start a JSON object with a top-level "resourceType".
bool looks_like_fhir(std::string_view head);

}  // namespace medtwin

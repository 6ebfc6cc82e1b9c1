// A person's records written out: observations and events as a FHIR R4
// Bundle, or observations as CSV (medtwin/io/fhir_writer.hpp), streamed from
// the store, for `medtwin export` and the server's export.
#pragma once

#include <ostream>
#include <string_view>

#include "medtwin/store/store.hpp"

namespace medtwin {

enum class ExportFormat { fhir, csv };

// "fhir" or "csv"; nullopt for anything else.
std::optional<ExportFormat> parse_export_format(std::string_view text);

void write_person_export(Store& store, const PersonRecord& person, ExportFormat format, std::ostream& out);

}  // namespace medtwin

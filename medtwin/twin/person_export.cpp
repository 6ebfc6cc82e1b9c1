#include "medtwin/twin/person_export.hpp"

#include "medtwin/io/fhir_writer.hpp"

namespace medtwin {

std::optional<ExportFormat> parse_export_format(std::string_view text) {
  if (text == "fhir") return ExportFormat::fhir;
  if (text == "csv") return ExportFormat::csv;
  return std::nullopt;
}

void write_person_export(Store& store, const PersonRecord& person, ExportFormat format, std::ostream& out) {
  ObservationQuery everything{person.name, std::nullopt, {}};
  if (format == ExportFormat::csv) {
    ObservationCsvWriter csv(out, person.name);
    store.observations(everything, [&](const Observation& o) { csv.observation(o); });
    return;
  }
  FhirBundleWriter bundle(out, PersonInfo{"", person.name, person.sex, person.birth_date});
  store.observations(everything, [&](const Observation& o) { bundle.observation(o); });
  for (const auto& e : store.events(EventQuery{person.name, std::nullopt, {}})) bundle.event(e);
  bundle.finish();
}

}  // namespace medtwin

#include "medtwin/io/importers.hpp"

#include "medtwin/io/actigraphy.hpp"
#include "medtwin/io/apple_health.hpp"
#include "medtwin/io/biosig_importer.hpp"
#include "medtwin/io/cgmacros.hpp"
#include "medtwin/io/csv_mapping.hpp"
#include "medtwin/io/fhir_reader.hpp"
#include "medtwin/io/fitbit_export.hpp"
#include "medtwin/io/fitbit_fitabase.hpp"
#include "medtwin/io/openmhealth_reader.hpp"
#include "medtwin/io/wfdb_importer.hpp"

namespace medtwin {

std::vector<ImporterFactory> importer_factories() {
  return {
      make_apple_health_importer,
      make_fitabase_importer,
      make_fitbit_export_importer,
      make_cgmacros_importer,
      make_awd_importer,
      make_mtn_importer,
      make_fhir_importer,
      make_open_mhealth_importer,
      make_wfdb_importer,
      make_biosig_importer,
      make_csv_mapping_importer,  // generic CSV (needs --mapping): keep last
  };
}

}  // namespace medtwin

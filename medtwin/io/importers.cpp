#include "medtwin/io/importers.hpp"

namespace medtwin {

std::vector<ImporterFactory> importer_factories() {
  return {
  };
}

}  // namespace medtwin

// Factories of the concrete importers, one per format. Add a new one here and
// in importers.cpp; nothing else needs to know it exists.
#pragma once

#include <memory>
#include <vector>

#include "medtwin/io/importer.hpp"

namespace medtwin {

using ImporterFactory = std::unique_ptr<Importer> (*)();

// In the order the registry asks them.
std::vector<ImporterFactory> importer_factories();

}  // namespace medtwin

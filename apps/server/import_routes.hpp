// Imports by upload: the file's bytes are the body, streamed to a private
// folder, and read into the store by a job (with the importer's progress),
// exactly as `medtwin import` reads a file: one transaction, idempotent.
#pragma once

#include <nlohmann/json.hpp>

#include "apps/server/routes.hpp"

namespace medtwin::server {

nlohmann::json start_import(ApiRequest& r);

}  // namespace medtwin::server

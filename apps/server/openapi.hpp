// The OpenAPI 3 document of the API (docs/api/openapi.json, built in).
#pragma once

#include <nlohmann/json.hpp>

namespace medtwin::server {

const nlohmann::json& openapi_document();

}  // namespace medtwin::server

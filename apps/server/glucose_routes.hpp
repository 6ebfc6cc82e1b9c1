// The glucose pages' API: a day of a person's CGM, meals and insulin, and the
// what-if of added meals through their calibrated meal response, as a job.
#pragma once

#include <nlohmann/json.hpp>

#include "apps/server/routes.hpp"

namespace medtwin::server {

nlohmann::json glucose_day_view(ApiRequest& r);
nlohmann::json start_glucose_what_if(ApiRequest& r);

}  // namespace medtwin::server

// The sleep page's API: the person's nights, rhythm metrics, the fitted
// two-process model and, for a planned night, its sleep pressure, alertness
// and debt next to the habitual night (medtwin/twin/sleep_twin.hpp).
#pragma once

#include <nlohmann/json.hpp>

#include "apps/server/routes.hpp"

namespace medtwin::server {

nlohmann::json sleep_view(ApiRequest& r);
// One night's stages for the hypnogram (twin/hypnogram.hpp).
nlohmann::json sleep_stages_view(ApiRequest& r);

}  // namespace medtwin::server

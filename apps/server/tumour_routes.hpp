// The tumour page's API: the tumour twins of the store (`medtwin tumor
// calibrate`), one twin's visits and fitted parameters with the plans on
// offer, its visits' masks on a slice, and the comparison of plans on it (medtwin/twin/tumour_twin.hpp) as
// a job. A caller who sees everyone sees every twin; a one-person token sees
// the twins calibrated for that person (`tumor calibrate --person`).
#pragma once

#include <nlohmann/json.hpp>

#include "apps/server/routes.hpp"

namespace medtwin::server {

nlohmann::json list_tumour_twins(ApiRequest& r);
nlohmann::json tumour_twin_view(ApiRequest& r);
nlohmann::json tumour_visit_slices(ApiRequest& r);
nlohmann::json start_tumour_forecast(ApiRequest& r);

}  // namespace medtwin::server

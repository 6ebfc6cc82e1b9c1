// The tumour page's API: the tumour twins of the store (`medtwin tumor
// calibrate`), one twin's visits and fitted parameters with the plans on
// offer, its visits' masks on a slice, and the comparison of plans on it (medtwin/twin/tumour_twin.hpp) as
// a job. Tumour twins are not tied to a person of the store, so only a caller
// who sees everyone may read them.
#pragma once

#include <nlohmann/json.hpp>

#include "apps/server/routes.hpp"

namespace medtwin::server {

nlohmann::json list_tumour_twins(ApiRequest& r);
nlohmann::json tumour_twin_view(ApiRequest& r);
nlohmann::json tumour_visit_slices(ApiRequest& r);
nlohmann::json start_tumour_forecast(ApiRequest& r);

}  // namespace medtwin::server

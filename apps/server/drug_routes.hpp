// The heart drug test page's API: the CiPA training drugs and the person's
// stored QTc, and the drug test of one drug (medtwin/twin/drug_assessment.hpp) as a
// job: action potentials per dose, the TdP risk class and, in the person's
// calibrated heart, the QTc change.
#pragma once

#include <nlohmann/json.hpp>

#include "apps/server/routes.hpp"

namespace medtwin::server {

nlohmann::json drug_test_options(ApiRequest& r);
nlohmann::json start_drug_test(ApiRequest& r);

}  // namespace medtwin::server

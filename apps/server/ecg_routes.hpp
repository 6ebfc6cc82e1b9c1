// The ECG viewer's analysis: a recording of the store analysed as `medtwin
// ecg` analyses a file (beats and their classes, intervals, AF episodes,
// signal quality), as a job.
#pragma once

#include <nlohmann/json.hpp>

#include "apps/server/routes.hpp"

namespace medtwin::server {

nlohmann::json start_ecg_analysis(ApiRequest& r);

}  // namespace medtwin::server

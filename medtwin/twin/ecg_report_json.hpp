// An ECG analysis (ecg_report.hpp) as JSON: what `medtwin ecg --json` prints,
// and with `with_beats` every beat's sample and AAMI class as well (the
// server's ECG viewer marks them).
#pragma once

#include <nlohmann/json.hpp>

#include "medtwin/twin/ecg_report.hpp"

namespace medtwin {

nlohmann::json ecg_report_json(const EcgReport& report, bool with_beats = false);

}  // namespace medtwin

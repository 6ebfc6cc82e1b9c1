// Open mHealth import (https://www.openmhealth.org/documentation/#/schema-docs/schema-library,
// schemas in ../shared/data/fhir/openmhealth_schemas): data points (header +
// body, data-point-1.0) or bare bodies, one per file or an array of them.
// heart-rate, blood-pressure, blood-glucose, body-temperature, step-count,
// sleep-duration, rr-interval, body-weight/-height/-mass-index/-fat-percentage,
// oxygen-saturation, respiratory-rate and calories-burned → canonical metrics;
// sleep-episode → an "asleep" sleep-stage interval; physical-activity → a
// workout event. Summaries (descriptive_statistic) are skipped and reported.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "medtwin/io/importer.hpp"

namespace medtwin {

std::unique_ptr<Importer> make_open_mhealth_importer();

// Reads Open mHealth JSON held in memory; `name` names it in errors.
void read_open_mhealth(std::string_view bytes, const std::string& name, const ImportOptions& options,
                       RecordSink& sink);

// Whether a file's first bytes look like Open mHealth: a data point (header
// with a schema_id, and a body) or a body with a known Open mHealth property.
bool looks_like_open_mhealth(std::string_view head);

}  // namespace medtwin

// Fitabase CSV exports of Fitbit data (the *_merged.csv files of Furberg et
// al. 2016, "Crowd-sourced Fitbit datasets", doi:10.5281/zenodo.53894): daily
// activity, steps, calories, intensities, sleep and weight; hourly steps,
// calories and intensities; minute steps, calories, intensities, METs (narrow
// and wide) and sleep; heart rate every few seconds. Each file is recognised
// by its header row. Rows carry a subject Id (one person each) and local
// times without a zone, read in --tz. See docs/formats/fitbit.md.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "medtwin/io/importer.hpp"

namespace medtwin {

// Whether `first_line` is the header of a Fitabase file this importer reads.
bool is_fitabase_header(std::string_view first_line);

// Reads one Fitabase CSV held in memory; `name` names it in errors.
void read_fitabase(std::string_view bytes, const std::string& name, const ImportOptions& options, RecordSink& sink);

std::unique_ptr<Importer> make_fitabase_importer();

}  // namespace medtwin

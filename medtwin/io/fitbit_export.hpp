// A personal Fitbit account export (the fitbit.com "Export your account
// archive" / Google Takeout "Global Export Data" folder): one JSON array per
// metric, whole or split by date or page — heart_rate-2020-01-01.json,
// resting_heart_rate-….json, steps, calories, distance, altitude,
// very/moderately/lightly_active_minutes, sedentary_minutes,
// time_in_heart_rate_zones, weight, sleep (stages and classic logs),
// exercise-0.json (workouts) — and sleep_score.csv. The file name says the
// metric. Times are local without a zone ("01/01/20 00:00:05",
// "2020-01-01T23:30:00.000"), read in --tz. See docs/formats/fitbit.md.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "medtwin/io/importer.hpp"

namespace medtwin {

// Whether `file_name` (no folder) names a file of a Fitbit account export this
// importer reads: "heart_rate-2020-01-01.json", "exercise-100.json", "sleep_score.csv", …
bool is_fitbit_export_file(std::string_view file_name);

// Reads one export file held in memory; its name says which metric it holds.
// Throws ParseError (naming the file, entry and field) on bad content.
void read_fitbit_export(std::string_view bytes, const std::string& file_name, const ImportOptions& options,
                        RecordSink& sink);

std::unique_ptr<Importer> make_fitbit_export_importer();

}  // namespace medtwin

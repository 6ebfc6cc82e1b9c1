// The shared MIT-BIH Arrhythmia records (../shared/data/ecg/mitdb) for the
// data-driven ECG tests.
#pragma once

#include <filesystem>
#include <vector>

#include "medtwin/core/records.hpp"

namespace medtwin::testing {

// Every record's header (*.hea), sorted by name; fails the test (and returns
// none) when the folder is missing.
std::vector<std::filesystem::path> mitdb_headers();

// The headers EC57 scores: every record but the paced ones (each left out is
// printed, so the tables say why a record is missing).
std::vector<std::filesystem::path> scored_mitdb_headers();

// The two-lead signal of a record (with its annotations); throws
// std::runtime_error when the record is not one signal of two leads.
Signal read_mitdb_signal(const std::filesystem::path& header);

}  // namespace medtwin::testing

// The shared MIT-BIH Arrhythmia records (../shared/data/ecg/mitdb) for the
// data-driven ECG tests.
#pragma once

#include <filesystem>
#include <vector>

namespace medtwin::testing {

// Every record's header (*.hea), sorted by name; fails the test (and returns
// none) when the folder is missing.
std::vector<std::filesystem::path> mitdb_headers();

}  // namespace medtwin::testing

// `medtwin ecg FILE --person NAME`: an ECG analysis kept in the person's twin.
// The recording is imported like any file (signal and annotations), and the
// results become series of source "medtwin ecg" that the baseline twin and the
// risk models read: heart rate, HRV, PR/QRS/QT/QTc, AF burden, ectopy counts
// and ECG-derived breathing rate over the recording, and every
// normal-to-normal interval. Results are keyed by the recording's bytes, the
// analysis version, the person, the lead(s) analysed and the recording's start:
// the same analysis of the same file again adds nothing.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "medtwin/core/records.hpp"
#include "medtwin/io/importer.hpp"
#include "medtwin/store/store.hpp"
#include "medtwin/twin/ecg_report.hpp"

namespace medtwin {

inline constexpr const char* kEcgAnalysisSource = "medtwin ecg";

// The results as observations, timed by the recording's start.
std::vector<Observation> ecg_observations(const Signal& ecg, const EcgReport& report);

struct EcgKept {
  bool recording_added = false;  // false: the file was imported before
  std::int64_t results_added = 0;
  bool results_existed = false;  // this analysis of these bytes was stored before
};

EcgKept keep_ecg_in_twin(Store& store, const std::filesystem::path& file, const std::string& person,
                         const Signal& ecg, const EcgReport& report, const ImportOptions& import);

}  // namespace medtwin

// One ECG recording analysed: R peaks (both leads fused when there are two),
// heart rate, HRV over the whole recording, and atrial-fibrillation episodes
// from RR irregularity — what `medtwin ecg FILE` prints. Beat classification
// and delineation are still to come: every beat counts as normal for HRV and
// AF (said in the report's notes).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "medtwin/cardio/af.hpp"
#include "medtwin/cardio/hrv.hpp"
#include "medtwin/core/records.hpp"

namespace medtwin {

struct EcgReport {
  std::string source;               // file name
  std::string lead;                 // the lead the peaks are placed on (label)
  std::size_t lead_channel = 0;     // and its channel index
  double rate_hz = 0;
  double duration_s = 0;
  std::vector<std::int64_t> r_peaks;
  std::optional<double> mean_hr, min_hr, max_hr;  // /min; min/max over 10-beat medians
  std::optional<cardio::Hrv> hrv;
  cardio::AfResult af;
  std::vector<std::string> notes;   // what could not be computed, and why
};

// The first ECG signal of the file (read by whichever importer accepts it);
// `time_zone` places a start written in local time. Throws NotFound /
// ParseError for unreadable files and Error when the file holds no ECG.
Signal read_ecg_file(const std::filesystem::path& file, const std::optional<std::string>& time_zone);

// `lead` picks a channel by label, else the first (fused with the second when
// there is one). Throws NotFound for an unknown lead.
EcgReport analyse_ecg(const Signal& ecg, const std::optional<std::string>& lead);

}  // namespace medtwin

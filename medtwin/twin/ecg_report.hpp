// One ECG recording analysed — what `medtwin ecg FILE` prints: R peaks (both
// leads fused when there are two), each beat classified (AAMI N/S/V/F/Q) with
// artefacts dropped, heart rate, HRV on normal-to-normal intervals, PR/QRS/QT
// and QTc from median beats, signal quality per 10 s, atrial-fibrillation
// episodes, ECG-derived breathing rate, and for a short strip (9–60 s) one
// rhythm label. The stages and their papers: docs/models/ (qrs, beat_class,
// hrv, delineation, ecg_quality, af, rhythm_label, respiration).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "medtwin/cardio/af.hpp"
#include "medtwin/cardio/beat_class.hpp"
#include "medtwin/cardio/delineate.hpp"
#include "medtwin/cardio/hrv.hpp"
#include "medtwin/cardio/quality.hpp"
#include "medtwin/cardio/rhythm_label.hpp"
#include "medtwin/core/records.hpp"

namespace medtwin {

struct EcgReport {
  std::string source;               // file name
  std::string lead;                 // the lead the peaks are placed on (label)
  std::size_t lead_channel = 0;     // and its channel index
  bool two_leads = false;           // a second lead was fused in for QRS detection and beat classes
  std::string second_lead;          // its label (empty with one lead)
  double rate_hz = 0;
  double duration_s = 0;
  std::vector<std::int64_t> r_peaks;       // heartbeats, artefacts dropped
  std::vector<cardio::BeatLabel> beats;    // one per R peak
  cardio::BeatCounts counts;               // artefacts included
  std::optional<double> mean_hr, min_hr, max_hr;  // /min; min/max over 10-beat medians
  std::optional<cardio::Hrv> hrv;          // on normal-to-normal intervals
  std::size_t nn_replaced = 0;             // intervals next to non-normal beats, interpolated for HRV
  std::optional<cardio::IntervalSummary> intervals;  // medians over 10 s median beats
  std::vector<cardio::SegmentQuality> quality;       // per 10 s of the analysed lead
  std::optional<double> usable_fraction;             // of the recording, in usable segments
  cardio::AfResult af;
  std::optional<cardio::RhythmLabel> label;          // short recordings only
  std::optional<double> breathing_rate;              // /min, ECG-derived
  std::vector<std::string> notes;                    // what could not be computed, and why
  // Wall time of each stage, in the order run (for benchmarks and profiling;
  // not part of the analysis, never printed or stored).
  std::vector<std::pair<std::string, double>> stage_seconds;
};

// The first ECG signal of the file (read by whichever importer accepts it);
// `time_zone` places a start written in local time. Throws NotFound /
// ParseError for unreadable files and Error when the file holds no ECG.
Signal read_ecg_file(const std::filesystem::path& file, const std::optional<std::string>& time_zone);

// `lead` picks a channel by label. Without it, a one- or two-lead recording is
// analysed on its first lead, fused with the second; with more leads (a
// 12-lead ECG) the two leads whose first 5 minutes grade best by the quality
// index are fused, lead II (or MLII) first unless it grades far worse.
// Throws NotFound for an unknown lead.
EcgReport analyse_ecg(const Signal& ecg, const std::optional<std::string>& lead);

// Stretches of consecutive segments graded noisy or unusable (one grade per
// stretch), in time order: what a reader should not trust.
struct QualitySpan {
  std::int64_t start_sample = 0, end_sample = 0;
  cardio::Quality quality = cardio::Quality::noisy;
};
std::vector<QualitySpan> poor_quality_spans(const EcgReport& report);

// The analysed lead as a reader should see it: the stretch [start_s, start_s +
// seconds) cleaned by cardio::clean_ecg (filtered with 5 s either side so the
// filters settle), the rest as recorded. For plots.
std::vector<float> display_lead(const Signal& ecg, const EcgReport& report, double start_s, double seconds);

// Wave boundaries of the beats in [start_s, start_s + seconds), found on that
// stretch of the analysed lead (with 2 s either side for the filters) rather
// than the whole recording — what a plot of the stretch marks.
std::vector<cardio::BeatWaves> delineate_stretch(const Signal& ecg, const EcgReport& report, double start_s,
                                                 double seconds);

// The rhythm label's range: the PhysioNet/CinC 2017 Challenge's strips.
inline constexpr double kShortRecordingMaxS = 60;

}  // namespace medtwin

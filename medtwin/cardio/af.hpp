// Atrial fibrillation from the irregularity of RR intervals, on a recording
// of any length (Dash, Chon, Lu, Raeder, Greenwald & Ma 2009, "Automatic
// real time detection of atrial fibrillation", Ann Biomed Eng 37:1701–1709):
// over a window of 128 beats, after dropping its 8 longest and 8 shortest
// intervals (ectopy), the rhythm is called AF when all three hold:
//   - the RMSSD normalised by the mean RR is at least 0.1,
//   - the Shannon entropy of the RR histogram (16 bins) is at least 0.7,
//   - the turning-point ratio lies within ±2 SD of a random series'.
// Windows slide one beat at a time; each beat takes the call of the window
// centred on it, and episodes shorter than `min_episode` are dropped — AF is
// diagnosed from 30 s of irregular rhythm (ESC 2020 guidelines).
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <vector>

namespace medtwin::cardio {

struct AfOptions {
  int window_beats = 128;
  int trimmed_beats = 8;            // longest and shortest intervals dropped at each end
  double min_normalised_rmssd = 0.1;
  double min_shannon_entropy = 0.7;
  double turning_point_sds = 2;     // allowed distance of the turning-point count from a random series'
  std::chrono::seconds min_episode{30};
};

struct AfEpisode {
  std::int64_t start_sample = 0;  // the R peak that starts it
  std::int64_t end_sample = 0;    // the R peak that ends it (exclusive)
};

struct AfResult {
  std::vector<bool> beat_in_af;    // one per R peak
  std::vector<AfEpisode> episodes;
  double burden = 0;               // share of the analysed time in AF, 0..1
  bool evaluated = false;          // false: too few usable intervals for one window, so no call at all
};

// `r_peaks`: sample indices in increasing order; `rate_hz` the sampling rate;
// `ventricular`: empty, or one flag per peak marking ventricular ectopic
// beats — the intervals next to them are left out, so that frequent PVCs
// (bigeminy, trigeminy) do not pass for AF. Fewer usable intervals than one
// window: no AF call (an empty result, `evaluated` false).
AfResult detect_af(std::span<const std::int64_t> r_peaks, double rate_hz, const std::vector<bool>& ventricular = {},
                   const AfOptions& options = {});

}  // namespace medtwin::cardio

// Photoplethysmogram (PPG) pulse detection, pulse rate and signal quality, for
// pulse-rate variability (PRV: the HRV functions of hrv.hpp applied to
// pulse-to-pulse intervals, rr_from_peaks(result.peaks, rate_hz)).
//  - Systolic peaks by Elgendi, Norton, Brearley, Abbott & Schuurmans 2013
//    ("Systolic peak detection in acceleration photoplethysmograms measured
//    from emergency responders in tropical conditions", PLoS ONE 8:e76585):
//    zero-phase Butterworth band-pass 0.5–8 Hz, negatives clipped to 0,
//    squaring, two moving averages (W1 = 111 ms over the systolic peak, W2 =
//    667 ms over the beat), threshold THR1 = MA_beat + β·mean(squared), β =
//    0.02; blocks where MA_peak > THR1 and at least W1 wide; the peak is the
//    block's maximum. As in NeuroKit2 0.2.0's ppg_findpeaks (Makowski et al.
//    2021, Behav Res Methods 53:1689–1696), a peak closer than 0.3 s to the
//    previous one is dropped, and the band-pass has a 3rd-order prototype.
//  - Quality per 10-s segment after Orphanidou, Bonnici, Charlton, Clifton,
//    Vallance & Tarassenko 2015 ("Signal-quality indices for the
//    electrocardiogram and photoplethysmogram: derivation and applications to
//    wireless monitoring", IEEE J Biomed Health Inform 19:832–838):
//    physiological feasibility rules and the mean correlation of each pulse
//    with the segment's average pulse (template). Clipping and missing samples
//    are flagged too.
// Cost O(n) in samples (filters and running sums), O(k·w) for the templates
// (k pulses of w samples, i.e. O(n)). Model card: docs/models/ppg.md.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "medtwin/cardio/cycles.hpp"

namespace medtwin::cardio {

// Fixed parameters; sources in docs/models/ppg.md.
struct PpgParams {
  double band_low_hz = 0.5;        // Hz, Elgendi et al. 2013 (Methods, pre-processing)
  double band_high_hz = 8;         // Hz, Elgendi et al. 2013
  int band_order = 3;              // prototype order: NeuroKit2 0.2.0's ppg_clean (Elgendi 2013 used 2)
  double peak_window_s = 0.111;    // W1, s: systolic-peak duration, Elgendi et al. 2013 (optimised W1)
  double beat_window_s = 0.667;    // W2, s: heart-beat duration, Elgendi et al. 2013 (optimised W2)
  double offset_fraction = 0.02;   // β: THR1 offset in units of mean(squared), Elgendi et al. 2013
  double min_delay_s = 0.3;        // s, NeuroKit2 0.2.0's mindelay (a 200 /min ceiling)
  // Quality (Orphanidou et al. 2015).
  double segment_s = 10;           // s, segment length of the quality rules
  double min_rate = 40;            // /min, feasibility rule (i)
  double max_rate = 180;           // /min, feasibility rule (i)
  double max_gap_s = 3;            // s, feasibility rule (ii): longest pulse-free stretch
  double max_interval_ratio = 2.2; // feasibility rule (iii): longest / shortest interval
  double min_correlation = 0.86;   // mean template correlation for an acceptable PPG segment
  double max_clipped_fraction = 0.05;  // of a segment's samples at the record's extreme value (ours)
};

struct PpgSegmentQuality {
  double start_s = 0, end_s = 0;
  std::size_t pulses = 0;
  std::optional<double> pulse_rate;            // /min, 60 / mean interval; nullopt under 2 pulses
  std::optional<double> template_correlation;  // mean Pearson r of the pulses with their average
  bool feasible = false;     // rules (i)–(iii), the stretch before the first and after the last pulse counted as gaps
  bool clipped = false;      // more than max_clipped_fraction of samples at the record's max or min
  bool missing = false;      // the segment holds non-finite input samples
  bool acceptable = false;   // feasible, correlation ≥ min_correlation, not clipped, nothing missing
};

struct PpgResult {
  std::vector<double> cleaned;                // band-passed PPG (input units)
  std::vector<std::int64_t> peaks;            // systolic peaks, sample indices, increasing
  std::vector<WindowRate> rate_per_minute;    // pulse rate (/min) per 60-s window from the start
  std::vector<PpgSegmentQuality> quality;     // per segment_s segment from the start (the last may be shorter)
};

// Band-passed PPG (zero-phase), the input of find_ppg_peaks. Throws
// medtwin::Error for an empty or non-finite input or an impossible rate.
std::vector<double> clean_ppg(std::span<const double> ppg, double rate_hz, const PpgParams& params = {});

// Elgendi et al. 2013's systolic peaks in a cleaned PPG. A block that touches
// either end of the signal is incomplete and gives no peak. A flat signal
// gives none.
std::vector<std::int64_t> find_ppg_peaks(std::span<const double> cleaned, double rate_hz,
                                         const PpgParams& params = {});

// Cleaning, peaks, rate and quality of a raw PPG (any units) at rate_hz
// samples/s (> 2·band_high_hz, ≤ 10 kHz). Non-finite samples are bridged, no
// peak is reported within W2 of them, and their segments are flagged. Throws
// medtwin::Error for an empty signal or an impossible rate,
// medtwin::NotEnoughData when no sample is finite.
PpgResult analyse_ppg(std::span<const double> ppg, double rate_hz, const PpgParams& params = {});

// Orphanidou et al. 2015's quality of each segment_s segment, given the raw
// signal (for clipping), the cleaned one (for templates), the peaks and the
// gaps of missing samples.
std::vector<PpgSegmentQuality> ppg_quality(std::span<const double> raw, std::span<const double> cleaned,
                                           std::span<const std::int64_t> peaks, std::span<const Gap> gaps,
                                           double rate_hz, const PpgParams& params = {});

}  // namespace medtwin::cardio

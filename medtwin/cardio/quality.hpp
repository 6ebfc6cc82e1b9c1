// ECG signal quality, segment by segment: whether a stretch of one lead can be
// trusted for beat and rhythm analysis, and why not. Per segment (10 s by
// default) the indices of
//  - Li, Clifford & Tarassenko 2008 ("Robust heart rate estimation from
//    multiple asynchronous noisy sources using signal quality indices and a
//    Kalman filter", Physiol Meas 29:15–32): bSQI, the agreement of two
//    independent QRS detectors, and kSQI, the kurtosis;
//  - Clifford, Behar, Li & Rezek 2012 ("Signal quality indices and data fusion
//    for determining clinical acceptability of electrocardiograms", Physiol
//    Meas 33:1419–1433) and Behar, Oster, Li & Clifford 2013 ("ECG signal
//    quality during arrhythmia and its application to false alarm reduction",
//    IEEE Trans Biomed Eng 60:1660–1666): sSQI (skewness), pSQI (power in
//    5–15 Hz over 5–40 Hz), basSQI (power in 1–40 Hz over 0–40 Hz);
//  - the physiological-feasibility rules of Orphanidou et al. 2015
//    ("Signal-quality indices for the electrocardiogram and photoplethysmogram:
//    derivation and applications to wireless monitoring", IEEE J Biomed Health
//    Inform 19:832–838): heart rate 40–180 bpm, no RR gap over 3 s, beats
//    correlating with their average at 0.66 or more;
// plus flags for a flat line (lead off), clipping at the amplifier's rails and
// powerline interference. The first QRS detector is detect_qrs (qrs.hpp); the
// second, independent one is the curve-length transform of Zong, Moody & Jiang
// 2003 ("A robust open-source algorithm to detect onset and duration of QRS
// complexes", Computers in Cardiology 30:737–740), simplified (see quality.cpp).
// Grade: unusable when flat, clipped or the rhythm is implausible; noisy when
// the detectors disagree, or kurtosis and template match both fail; usable
// otherwise. The spectral flags name the interference without grading (on
// clean MIT-BIH and CinC signal they fire too often; see the model card).
// Cost: O(n) in the samples — a few filter passes, two detectors, and a Welch
// spectrum of each segment (O(w log w) per segment of w samples). Memory is
// bounded: long leads are processed 300 s at a time, with results identical
// to a whole-lead computation.
// Model card: docs/models/ecg_quality.md.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "medtwin/cardio/qrs.hpp"

namespace medtwin::cardio {

// Fixed parameters; sources in docs/models/ecg_quality.md. "chosen" marks a
// value of ours where the literature gives none.
struct QualityParams {
  double segment_s = 10;     // s, segment length: Li 2008, Clifford 2012 and Orphanidou 2015 use 10 s
  double min_segment_s = 2;  // s, shorter recordings (or a shorter tail, merged into the previous segment) are refused
  double match_window_s = 0.150;  // s, two detections are the same beat within this (Li 2008; ANSI/AAMI EC57)
  double min_bsqi = 0.8;     // below: the detectors disagree — noisy (as used after Li 2008 / Behar 2013; unsure)
  double min_ksqi = 5;       // kurtosis below: not ECG-like (Li 2008: ECG > 5, Gaussian noise 3)
  double min_psqi = 0.5;     // 5–15 Hz over 5–40 Hz below: high-frequency noise (Clifford 2012: 0.5–0.8 good)
  double min_bassqi = 0.95;  // 1–40 Hz over 0–40 Hz below: baseline wander (Clifford 2012: ≥ 0.95 good)
  double min_heart_rate_bpm = 40;   // Orphanidou 2015, rule 1
  double max_heart_rate_bpm = 180;  // Orphanidou 2015, rule 1
  double max_rr_gap_s = 3;          // Orphanidou 2015, rule 2
  // Mean correlation of the beats with their average, below: flag (Orphanidou 2015, rule 3).
  double min_template_correlation = 0.66;
  double flat_block_s = 1.5;   // s, a block holds a cardiac cycle down to 40 bpm (the lowest rate above)
  double flat_range_mv = 0.1;  // mV peak-to-peak in a block below: flat — a fifth of the 0.5 mV low-voltage QRS
                               // limit (Surawicz et al. 2009, AHA/ACCF/HRS recommendations part III); chosen
  double max_flat_fraction = 0.2;      // of a segment's blocks flat: lead off — unusable; chosen
  double clip_run_s = 0.020;           // s, a constant run at the segment's exact maximum or minimum at least this long
                                       // is a rail (an R tip stays at its top value for a sample or two); chosen
  double max_clipped_fraction = 0.01;  // of the samples on plateaus above: clipped — unusable; chosen
  double max_line_ratio = 0.1;         // power within ±1 Hz of 50 and of 60 Hz over 5–40 Hz above: powerline; chosen
  QrsParams qrs{};
};

enum class Quality { usable, noisy, unusable };

struct SegmentQuality {
  std::int64_t start_sample = 0, end_sample = 0;  // [start, end)
  // Indices (ratios unless stated).
  double bsqi = 0;           // matched / (detections₁ + detections₂ − matched), 0..1 (0 when neither detects)
  double ksqi = 0;           // kurtosis of the segment minus its 1 s running mean (Gaussian 3)
  double ssqi = 0;           // skewness of the same
  double tsqi = 0;           // mean correlation of each beat (median RR centred on R) with the segment's average beat
  double psqi = 0;           // P(5–15 Hz) / P(5–40 Hz)
  double bassqi = 0;         // P(1–40 Hz) / P(0–40 Hz)
  double line_ratio = 0;     // P(50 ± 1 Hz) + P(60 ± 1 Hz) over P(5–40 Hz) (0 when the rate cannot carry them)
  double flat_fraction = 0;  // of the segment's blocks
  double clipped_fraction = 0;  // of the samples
  int beats = 0;                // detect_qrs beats in the segment
  double heart_rate_bpm = 0;    // from the median RR (0 with fewer than 2 beats)
  double max_rr_s = 0;          // longest gap between beats, counting the segment's edges
  // Flags.
  bool missing = false;  // holds non-finite (missing) samples
  bool flat = false, clipped = false, powerline = false, high_frequency_noise = false, baseline_wander = false,
       implausible_rhythm = false, detectors_disagree = false, not_ecg_like = false, inconsistent_beats = false;
  Quality quality = Quality::usable;
};

struct QualityReport {
  std::vector<SegmentQuality> segments;
  QrsResult qrs;               // detect_qrs on the whole lead (reused by rhythm analysis)
  double usable_fraction = 0;  // of the samples, in usable segments
};

// `lead` in mV at `rate_hz` (50 Hz – 20 kHz). Segments of segment_s from the
// start; a tail shorter than min_segment_s joins the last segment. Missing
// (non-finite) samples are bridged by straight lines for the indices, and a
// segment that holds any is unusable. Throws medtwin::Error for an impossible
// rate, NotEnoughData for a recording shorter than min_segment_s or with no
// finite sample.
QualityReport assess_quality(std::span<const double> lead, double rate_hz, const QualityParams& params = {});

// The same with the R peaks the caller found (e.g. detect_qrs on two leads),
// which then stand as the first of the two detectors bSQI compares.
QualityReport assess_quality(std::span<const double> lead, double rate_hz, QrsResult qrs,
                             const QualityParams& params = {});

// The second detector on its own: R-peak sample indices by the curve-length
// transform (band-pass 5–16 Hz, 130 ms window, 250 ms eye-closing; Zong et al. 2003,
// with a 5 Hz high-pass and Pan & Tompkins 1985's T-wave test added).
std::vector<std::int64_t> detect_qrs_curve_length(std::span<const double> lead, double rate_hz);

// bSQI of two detections within [start, end): matched / (n₁ + n₂ − matched),
// matching in order within `window_samples`; 0 when neither has a beat.
double beat_agreement(std::span<const std::int64_t> a, std::span<const std::int64_t> b, std::int64_t start,
                      std::int64_t end, std::int64_t window_samples);

const char* to_string(Quality quality);

}  // namespace medtwin::cardio

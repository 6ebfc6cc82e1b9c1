// QRS detection: R-peak sample indices in one- or two-lead ECG, for heart
// rate, HRV and rhythm analysis. The Pan–Tompkins family of detectors:
//  - per lead, the QRS feature of Pan & Tompkins 1985 ("A real-time QRS
//    detection algorithm", IEEE Trans Biomed Eng 32:230–236): band-pass,
//    five-point derivative, squaring, 150 ms moving-window integration — here
//    zero-phase and square-rooted (an RMS slope, mV/s, so heights scale with
//    amplitude rather than its square);
//  - lead fusion: each lead is divided by its local QRS level (the median of
//    1-s maxima over ±5 s) and weighted by a local quality index, so a lead that
//    is noisy, flat or disconnected in a stretch counts for little there;
//  - decision rules of Hamilton & Tompkins 1986 ("Quantitative investigation
//    of QRS detection rules using the MIT/BIH arrhythmia database", IEEE Trans
//    Biomed Eng 33:1157–1165) as in Hamilton 2002 ("Open source ECG analysis",
//    Computers in Cardiology 29:101–104): peaks dominating ±200 ms, threshold
//    between the medians of the last 8 QRS and noise peaks, T-wave rejection by
//    slope, search-back for missed beats;
//  - a split-interval check that drops a weak detection which cuts one normal
//    RR interval in two (noise between two beats).
// The reported R is lead 0's largest deviation from its 200 ms running mean
// within ±75 ms of the detection (lead 1's where lead 0 is flat or far worse).
// The feature is computed at 100–200 Hz (boxcar decimation) in 5-minute
// segments with 10 s of overlap, so memory stays bounded on day-long records.
// Cost: O(n) per lead, a few passes over the samples, no allocation per sample.
// Model card: docs/models/qrs.md.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace medtwin::cardio {

// Fixed parameters. Sources in docs/models/qrs.md; "tuned" marks values chosen
// on the MIT-BIH records the model card reports (so those figures are in-sample).
struct QrsParams {
  double band_low_hz = 5;                // Hz, Pan & Tompkins 1985 (QRS energy from 5 Hz)
  double band_high_hz = 20;              // Hz, between Pan & Tompkins' 15 and Elgendi 2013's 20–25; tuned
  int band_order = 2;                    // Butterworth prototype order (4 poles), zero-phase
  double integration_s = 0.150;          // s, moving-window integration, Pan & Tompkins 1985
  double dominance_s = 0.200;            // s, a peak must be the largest within ±this, Hamilton 2002 rule 1
  double refractory_s = 0.200;           // s, no second QRS sooner, Pan & Tompkins 1985
  double t_wave_window_s = 0.360;        // s, T-wave check window, Pan & Tompkins 1985
  double t_wave_slope_ratio = 0.5;       // of the previous QRS's peak slope, Pan & Tompkins 1985
  double threshold_fraction = 0.3125;    // between noise and QRS level, Hamilton & Tompkins 1986
  double searchback_rr = 1.5;            // RR intervals without a beat before searching back, Hamilton 2002 rule 5
  double searchback_fraction = 0.5;      // of the threshold, Pan & Tompkins 1985
  double searchback_min_s = 0.360;       // s after the last beat, Hamilton 2002 rule 5
  double searchback_rr_quantile = 0.75;  // of the last 8 RR; above the median so bigeminy does not trigger it; tuned
  double block_s = 1.0;                  // s, block for lead levels and quality
  int level_blocks = 5;                  // blocks either side for the median level and quality
  double min_level = 0.5;                // mV/s RMS slope; below any real QRS (0.05 mV QRS ≈ 1 mV/s): a flat lead
  double min_snr = 2.2;                  // QRS-to-background ratio; below it in every lead: unreadable, no beats; tuned
  double split_rr_tolerance = 0.1;       // |RR₁ + RR₂ − local RR| / local RR for the split-interval check; tuned
  double split_height = 0.7;             // of the neighbours' median height: weaker detections may be dropped; tuned
};

struct QrsResult {
  std::vector<std::int64_t> r_peaks;  // sample indices, increasing
  std::vector<double> confidence;  // per beat, 0–1: fused height relative to recent QRS heights, times lead quality
};

// `lead` in mV at `rate_hz` samples/s (50 Hz – 20 kHz). Non-finite samples are
// held at the last finite value (a gap reads as a flat line: no beats there).
// Throws medtwin::Error for an empty signal or an impossible rate.
QrsResult detect_qrs(std::span<const double> lead, double rate_hz, const QrsParams& params = {});

// Two simultaneous leads of equal length (e.g. MIT-BIH MLII and V1); R peaks
// are placed on lead 0 where it carries the QRS, else on lead 1.
QrsResult detect_qrs(std::span<const double> lead0, std::span<const double> lead1, double rate_hz,
                     const QrsParams& params = {});

}  // namespace medtwin::cardio

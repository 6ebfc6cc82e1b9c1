// ECG wave delineation and interval measurement: for each beat (R peaks given,
// e.g. by detect_qrs) the onset, peak and end of the P wave, the QRS onset and
// end, the T peak and end; from them PR, QRS duration, QT, and QT corrected
// for heart rate. The delineator follows the wavelet method of Martínez,
// Almeida, Olmos, Rocha & Laguna 2004 ("A wavelet-based ECG delineator:
// evaluation on standard databases", IEEE Trans Biomed Eng 51:570–581):
//  - the quadratic-spline wavelet transform (Mallat & Zhong 1992) by the
//    à trous algorithm at scales 2¹…2⁵, computed at 250 Hz (the rate its
//    filters were designed for; other rates are low-passed and resampled);
//  - QRS onset/end from the first/last significant modulus maxima of W₂ around
//    R, T and P waves from pairs of opposite-sign maxima of W₄ (W₅ as fallback
//    for T) in RR-dependent windows, peaks at the zero crossing between them,
//    onsets/ends where |W| falls to a fraction ξ of the maximum or reaches a
//    local minimum, whichever comes first.
// Median beats (the per-sample median of the normal beats of a 10 s window,
// as resting 12-lead machines measure) give noise-robust interval figures and
// a P-wave test that averages atrial fibrillation's f-waves away.
// Cost: O(n) in the samples plus O(beats); signal is processed in 60 s blocks,
// so memory stays bounded on day-long records. Model card:
// docs/models/delineation.md.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace medtwin::cardio {

// Fixed parameters. Sources in docs/models/delineation.md; "Martínez" marks the
// values of Martínez et al. 2004 §III, "ours" the values this module adds.
struct DelineationParams {
  // QRS (scale 2²)
  double qrs_main_search_s = 0.120;  // s, the main slopes lie within ±this of R; ours
  double qrs_extend_gap_s = 0.060;   // s, further significant maxima (Q, S) within this of the last (≤ 3); ours
  double qrs_max_half_s = 0.160;     // s, QRS edges searched at most this far from R; ours
  double gamma_qrs_pre = 0.06;       // of the largest |W₂| near R: significant maxima before R, Martínez
  double gamma_qrs_post = 0.09;      // the same after R, Martínez
  double gamma_qrs_pre_further = 0.15;   // the same, a second or third wave before R; wavedet code (Martínez's group)
  double gamma_qrs_post_further = 0.18;  // the same after R; wavedet code
  double qrs_noise_floor = 3;  // × noise SD at scale 2³: Q/S maxima whose maxima line is weaker there are noise; ours
  double xi_qrs_on_pos = 0.05;       // onset threshold, W₂(n_first) > 0, Martínez
  double xi_qrs_on_neg = 0.07;       // onset threshold, W₂(n_first) < 0, Martínez
  double xi_qrs_end_pos = 0.125;     // end threshold, W₂(n_last) > 0, Martínez
  double xi_qrs_end_neg = 0.71;      // end threshold, W₂(n_last) < 0, Martínez
  double edge_search_s = 0.080;      // s, onset/end searched at most this far beyond the edge maximum; ours
  // T wave (scale 2⁴, 2⁵ if none)
  double t_window_start_s = 0.100;       // s after R (RR ≤ 0.7 s), Martínez (window depends on RR)
  double t_window_start_slow_s = 0.140;  // s after R (RR > 0.7 s), Martínez
  double t_window_end_s = 0.500;         // s after R (RR > 0.7 s), Martínez
  double t_window_end_rr = 0.7;          // of RR (RR ≤ 0.7 s), Martínez
  double epsilon_t = 0.25;               // of RMS(W₄) in the window: significant T maxima, Martínez
  double t_min_qrs_ratio = 0.03;         // of the QRS's |W₄|: a T whose largest slope is smaller is unreadable; ours
  double t_neighbour_ratio = 0.125;      // of the T's largest |W|: its other slope; Martínez (1/8, wavedet code)
  double xi_t_end = 0.4;                 // Martínez
  double t_end_search_s = 0.200;         // s beyond the last T maximum; ours
  // P wave (scale 2⁴)
  double p_window_s = 0.300;      // s before QRS onset, limited by the previous T end; ours
  double p_min_qrs_ratio = 0.05;  // of the QRS's |W₄|: both P maxima above it; ours, see the model card
  double xi_p_on = 0.5;           // Martínez
  double xi_p_end = 0.9;          // Martínez
  // Median beats
  double median_window_s = 10;  // s per median beat, as resting 12-lead ECG machines record
  int median_min_beats = 4;     // normal beats needed in a window
};

// Sample indices (of the input signal); nullopt where a point was not found:
// no P wave (atrial fibrillation, noise), unreadable T, or too near the edge.
struct BeatWaves {
  std::optional<std::int64_t> p_on, p_peak, p_off, qrs_on, qrs_off, t_peak, t_end;
  bool has_p() const { return p_peak.has_value(); }
};

// Milliseconds. PR from P onset to QRS onset, QRS from onset to end, QT from
// QRS onset to T end, RR the interval ending at this beat's R.
struct Intervals {
  std::optional<double> pr_ms, qrs_ms, qt_ms, rr_ms;
};

// QT corrected to a heart rate of 60/min, ms.
struct QtcValues {
  double bazett_ms = 0;      // QT / √RR, Bazett 1920 (Heart 7:353–370)
  double fridericia_ms = 0;  // QT / ∛RR, Fridericia 1920 (Acta Med Scand 53:469–486)
  double framingham_ms = 0;  // QT + 154 ms (1 − RR), Sagie et al. 1992 (Am J Cardiol 70:797–801)
  double hodges_ms = 0;      // QT + 1.75 (HR − 60) ms, Hodges et al. 1983 (J Am Coll Cardiol 1:694, abstract)
};

// `lead` in mV at `rate_hz` (50 Hz – 20 kHz), `r_peaks` increasing sample
// indices inside the signal; one BeatWaves per peak. Non-finite samples are
// held at the last finite value. Throws medtwin::Error for an empty signal, an
// impossible rate, or peaks out of order or out of range.
std::vector<BeatWaves> delineate(std::span<const double> lead, double rate_hz, std::span<const std::int64_t> r_peaks,
                                 const DelineationParams& params = {});

// RR in seconds for the formulas, RR > 0 and QT > 0 in ms; throws medtwin::Error otherwise.
QtcValues correct_qt(double qt_ms, double rr_ms);

// Intervals of each beat; the first beat has no RR.
std::vector<Intervals> measure_intervals(std::span<const BeatWaves> waves, std::span<const std::int64_t> r_peaks,
                                         double rate_hz);

// One median beat: the per-sample median of the normal beats whose R lies in
// [start_sample, end_sample), aligned at R, delineated like a single beat.
struct MedianBeat {
  std::int64_t start_sample = 0, end_sample = 0;
  int beats = 0;        // beats in the median
  BeatWaves waves;      // sample offsets from the median R (negative before it)
  Intervals intervals;  // rr_ms: the median RR of the window
};

// Median beats over consecutive windows of params.median_window_s; `normal`
// is empty (all beats) or one flag per peak — only flagged beats, with a
// flagged neighbour on both sides, enter (ectopic beats and the beats after
// them have other morphology and timing). Windows with fewer than
// median_min_beats such beats are left out.
std::vector<MedianBeat> median_beats(std::span<const double> lead, double rate_hz,
                                     std::span<const std::int64_t> r_peaks, const std::vector<bool>& normal = {},
                                     const DelineationParams& params = {});

// Recording-level figures: medians over the beats (or median beats) where each
// interval was measured; QTc medians per formula over beats with QT and RR.
struct IntervalSummary {
  std::optional<double> pr_ms, qrs_ms, qt_ms, rr_ms;
  std::optional<QtcValues> qtc;  // per-formula medians
  std::size_t count = 0;         // beats (or median beats) summarised
  std::size_t with_pr = 0, with_qrs = 0, with_qt = 0;
  double p_wave_share = 0;  // share of them with a P wave, 0–1
};

// `include` empty (all) or one flag per beat.
IntervalSummary summarise_intervals(std::span<const Intervals> intervals, std::span<const BeatWaves> waves,
                                    const std::vector<bool>& include = {});
IntervalSummary summarise_intervals(std::span<const MedianBeat> medians);

}  // namespace medtwin::cardio

// Breathing rate and depth from a respiration belt, and breathing rate
// derived from the ECG (EDR).
//  - Belt: cleaning and breath detection after Khodadad et al. 2018
//    ("Optimized breath detection algorithm in electrical impedance
//    tomography", Physiol Meas 39; article number unverified, see the model
//    card), as NeuroKit2 0.2.0 implements it (method "khodadad2018"; Makowski
//    et al. 2021, Behav Res Methods 53:1689–1696): 2nd-order Butterworth
//    band-pass 0.05–3 Hz, zero-phase; zero crossings of the mean-centred signal; one extremum
//    between each pair of crossings (maximum after a rising crossing, minimum
//    after a falling one); extrema whose amplitude step to the next extremum
//    is at most 0.3 × the median step are dropped, then any extremum that
//    breaks the peak/trough alternation; the series starts with a trough and
//    ends with a peak. Rate from trough-to-trough intervals, amplitude
//    peak − preceding trough.
//  - EDR after Charlton, Bonnici, Tarassenko, Clifton, Beale & Watkinson 2016
//    ("An assessment of algorithms to estimate respiratory rate from the
//    electrocardiogram and photoplethysmogram", Physiol Meas 37:610–626): two
//    respiratory modulations of the ECG — amplitude (AM: R-peak height above
//    the minimum of the preceding 100 ms, after Moody, Mark, Zoccola & Mantero
//    1985, "Derivation of respiratory signals from multi-lead ECGs", Computers
//    in Cardiology 12:113–116) and frequency (FM: the RR intervals, respiratory
//    sinus arrhythmia) — each resampled to 4 Hz, high-passed at 0.1 Hz, and
//    the rate taken at the spectral peak in 0.1–0.5 Hz (6–30 /min) of each
//    window; the two estimates fused by "smart fusion" (Karlen, Raman,
//    Ansermino & Dumont 2013, "Multiparameter respiratory rate estimation
//    from the photoplethysmogram", IEEE Trans Biomed Eng 60:1946–1953): their
//    mean when they agree, else none.
// Cost O(n) in samples for the belt; O(k + W·F log F) for EDR (k beats, W
// windows of F FFT points). Model card: docs/models/respiration.md.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "medtwin/cardio/cycles.hpp"

namespace medtwin::cardio {

// Fixed parameters of the belt method; sources in docs/models/respiration.md.
struct BreathingParams {
  double band_low_hz = 0.05;  // Hz: keeps rates above 3 /min, removes drift (Khodadad 2018; NeuroKit2 0.2.0)
  double band_high_hz = 3;    // Hz: keeps rates below 180 /min, removes noise (Khodadad 2018; NeuroKit2 0.2.0)
  int band_order = 2;         // Butterworth prototype order (NeuroKit2 0.2.0 rsp_clean)
  // × the median extremum-to-extremum step: smaller steps are noise (Khodadad
  // 2018; NeuroKit2 0.2.0's amplitude_min).
  double min_step = 0.3;
  double min_rate = 4, max_rate = 60;  // breaths/min, plausible range of breathing rates (Charlton et al. 2016)
};

struct Breaths {
  std::vector<std::int64_t> peaks;    // end of inspiration, sample indices, increasing
  std::vector<std::int64_t> troughs;  // end of expiration; troughs[i] precedes peaks[i]
};

struct BreathingResult {
  std::vector<double> cleaned;              // band-passed belt signal (input units)
  Breaths breaths;
  std::optional<double> mean_rate;          // breaths/min: time average of 60 / trough-to-trough interval
  std::optional<double> mean_amplitude;     // input units: time average of peak − preceding trough
  // Breaths/min per 60-s window (trough-to-trough intervals); none outside
  // [min_rate, max_rate].
  std::vector<WindowRate> rate_per_minute;
  // The mean rate lies in [min_rate, max_rate]. When false, the "breaths" are
  // noise (a belt off the body gives ~100 /min): do not use them.
  bool plausible = false;
};

// Band-passed belt signal (zero-phase). Throws medtwin::Error for an empty or
// non-finite input or an impossible rate.
std::vector<double> clean_breathing(std::span<const double> belt, double rate_hz, const BreathingParams& params = {});

// Peaks and troughs of a cleaned belt signal; empty when it holds fewer than
// two breaths (e.g. a flat signal).
Breaths find_breaths(std::span<const double> cleaned, const BreathingParams& params = {});

// Cleaning, breaths, rate and amplitude of a raw belt signal at rate_hz
// samples/s (> 2·band_high_hz, ≤ 10 kHz). Non-finite samples are bridged
// and no breath is reported within 2 s of them. Time averages follow
// NeuroKit2 (values at each breath interpolated over every sample; linear
// here); nullopt under 2 breaths. Throws medtwin::Error for an empty signal
// or an impossible rate, medtwin::NotEnoughData when no sample is finite.
BreathingResult analyse_breathing(std::span<const double> belt, double rate_hz, const BreathingParams& params = {});

// ------------------------------------------------------------------ EDR ---

struct EdrParams {
  double resample_hz = 4;            // Hz, regular grid of the modulation series (Charlton et al. 2016)
  double low_hz = 0.1, high_hz = 0.5;  // Hz, plausible breathing band 6–30 /min
  double window_s = 60;              // s, analysis windows from the start of the record
  double trough_window_s = 0.1;      // s, R-peak height is measured from the minimum this long before it
  double fusion_max_sd = 4;          // /min, smart fusion: SD of the estimates at most this (Karlen et al. 2013)
  double min_coverage = 0.8;         // fraction of a window spanned by beats for an estimate
  bool per_window = true;            // false: the whole-record rate only (one spectrum per window saved)
};

struct EdrWindow {
  double start_s = 0, end_s = 0;
  std::optional<double> amplitude_rate;  // breaths/min from R-peak amplitude (AM)
  std::optional<double> rsa_rate;        // breaths/min from RR intervals (FM, RSA)
  std::optional<double> fused_rate;      // smart fusion of the two
};

struct EdrResult {
  std::vector<EdrWindow> windows;  // window_s windows from the start (the last may be shorter); none unless per_window
  EdrWindow overall;               // the whole record: Welch average of window_s segments
};

// Breathing rate from an ECG `lead` (mV) at rate_hz and its R peaks (e.g.
// from detect_qrs). A window spanned by beats for less than min_coverage of
// its length, or with no spectral peak in the band, has no estimate; under 4
// beats nothing is estimated. Throws medtwin::Error on bad input (empty lead,
// peaks outside it or not increasing).
EdrResult ecg_derived_respiration(std::span<const double> lead, std::span<const std::int64_t> r_peaks,
                                               double rate_hz, const EdrParams& params = {});

}  // namespace medtwin::cardio

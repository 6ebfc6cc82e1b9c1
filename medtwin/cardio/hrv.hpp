// Heart rate variability from beat-to-beat (RR / NN) intervals: time-domain,
// frequency-domain and nonlinear indices as defined by the Task Force of the
// ESC and NASPE (1996, "Heart rate variability: standards of measurement",
// Circulation 93:1043–1065), with every open convention (resampling, spectral
// windows, band integration, histogram bins, entropy tolerance, DFA scales)
// chosen as NeuroKit2 0.2.0 chooses it (Makowski et al. 2021, Behav Res
// Methods 53:1689–1696; Pham et al. 2021, Sensors 21:3998), so that results
// agree with it. Three slips of NeuroKit2 0.2.0 that are not conventions but
// change results are reproduced only on request (Compatibility::neurokit2_0_2,
// see docs/models/hrv.md). Spectral powers are in ms² by default; NeuroKit2's
// max-normalised variant is an option.
// Pure computation; the intervals must already be clean (artefacts removed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "medtwin/signal/interpolate.hpp"
#include "medtwin/signal/spectrum.hpp"

namespace medtwin::cardio {

// Intervals with the time of every beat.
struct RrSeries {
  std::vector<double> rr_ms;        // interval i runs from beat i to beat i + 1 (ms)
  std::vector<double> beat_time_s;  // rr_ms.size() + 1 beat times, s from the start of the recording
  double clock_hz = 0;              // rate of the clock that timed the beats (ECG/PPG samples/s); 0 when unknown
};

// From R-peak (or pulse-peak) sample indices, strictly increasing, of a signal
// sampled at rate_hz; the recording starts at sample 0. At least 2 peaks.
RrSeries rr_from_peaks(std::span<const std::int64_t> peaks, double rate_hz);
// From intervals alone (ms, > 0): the first beat is at t = 0, the clock unknown.
RrSeries rr_from_intervals(std::span<const double> rr_ms);

// The longest interval that counts as normal-to-normal, ms: a longer one is a
// gap in the recording or a pause, not sinus rhythm (Orphanidou et al. 2015,
// IEEE J Biomed Health Inform 19:832–838, take 3 s as the longest plausible RR).
inline constexpr double kMaxNormalRrMs = 3000;

// Normal-to-normal intervals of classified beats: each interval that starts or
// ends at a beat not flagged `normal` (ectopic, fusion, unclassified), or is
// longer than kMaxNormalRrMs, is replaced by linear interpolation between the nearest normal-to-normal
// intervals either side (held at the ends); beat times then follow the edited
// intervals from the first beat on (the spectrum needs them consistent; an
// incomplete compensatory pause shifts later beats by its shortfall). The HRV
// Task Force 1996 (Circulation 93:1043–1065) asks for ectopic beats to be
// edited out before analysis; Lippman, Stein & Lerman 1994 (Am J Physiol
// 267:H411–H418) found interpolation and deletion equivalent.
// `normal` has one flag per peak. Throws NotEnoughData with fewer than 2
// normal-to-normal intervals, Error for mismatched lengths.
struct NnSeries {
  RrSeries rr;
  std::size_t replaced = 0;  // intervals interpolated
};
NnSeries nn_from_peaks(std::span<const std::int64_t> peaks, double rate_hz, const std::vector<bool>& normal);

// Standard (textbook) results, or NeuroKit2 0.2.0's own where it slips:
//  - SDANN/SDNNI segments leave out the last interval ending in each segment
//    (a Python slice that stops one short, hrv_time.py _sdann/_sdnni);
//  - TINN tries only the first histogram edge above the shortest interval as
//    N (its search loop never resets M), scores the triangle only inside
//    [N, M], and gives 0 when no triangle scores below 2¹⁴;
//  - the Burg spectrum is doubled twice (signal_psd.py), so its band powers
//    are 2× the physical ones.
enum class Compatibility { standard, neurokit2_0_2 };

struct TimeDomainOptions {
  double histogram_bin_ms = 1000.0 / 128;  // Task Force 1996: bins of 1/128 s (7.8125 ms) for HTI and TINN
  Compatibility compatibility = Compatibility::standard;
};

// All in ms unless stated.
struct TimeDomain {
  double mean_nn = 0, sdnn = 0;  // mean; SD with n − 1
  // SD of the n-minute segment means / mean of their SDs, over consecutive
  // n-minute segments of the cumulative interval time; round(total / n min)
  // segments (the last may be partial), computed only when that is ≥ 3.
  std::optional<double> sdann1, sdnni1, sdann2, sdnni2, sdann5, sdnni5;
  double rmssd = 0, sdsd = 0;     // of successive differences: RMS; SD with n − 1
  double cvnn = 0, cvsd = 0;      // SDNN / MeanNN, RMSSD / MeanNN (ratios)
  double median_nn = 0;
  double mad_nn = 0;              // median absolute deviation × 1/Φ⁻¹(3/4) ≈ 1.4826 (normal-consistent)
  double mcvnn = 0;               // MadNN / MedianNN (ratio)
  double iqr_nn = 0, prc20_nn = 0, prc80_nn = 0;  // quantiles by linear interpolation (type 7)
  double pnn50 = 0, pnn20 = 0;    // % of successive differences > 50 / 20 ms, out of the number of intervals
  double min_nn = 0, max_nn = 0;
  double hti = 0;                 // intervals / count of the fullest histogram bin (bins from 0 ms)
  double tinn = 0;                // base width M − N of the least-squares triangle on the histogram
};

// At least 3 intervals, finite, > 0 and ≤ 60 s. O(n log n) (sorting for quantiles;
// TINN O(B²) in histogram bins B).
TimeDomain hrv_time(std::span<const double> rr_ms, const TimeDomainOptions& options = {});

struct Band {
  double low_hz = 0, high_hz = 0;  // [low, high)
};

// Task Force 1996 bands, and NeuroKit2's VHF.
struct FrequencyBands {
  Band ulf{0, 0.0033}, vlf{0.0033, 0.04}, lf{0.04, 0.15}, hf{0.15, 0.4}, vhf{0.4, 0.5};
};

enum class PsdMethod {
  welch,         // of the resampled series; segments of half the record, 50 % overlap, FFT twice as long
  burg,          // AR model of the resampled series
  lomb_scargle,  // of the intervals at their beat times, no resampling
};

struct FrequencyOptions {
  PsdMethod method = PsdMethod::welch;
  signal::Interpolation interpolation = signal::Interpolation::quadratic_spline;  // NeuroKit2's default
  // Regular grid for welch/burg (samples/s). 0: the beats' clock rate, at
  // least 10 Hz (NeuroKit2), or 4 Hz when the clock is unknown (Kubios' rate,
  // Tarvainen et al. 2014). Long recordings from a fast clock: pass 4.
  double resample_hz = 0;
  bool normalize = false;  // true: PSD ÷ its maximum (NeuroKit2's default; band powers then in Hz)
  int burg_order = 16;     // NeuroKit2's default (on the choice of order for HRV: Boardman et al. 2002)
  // Lomb–Scargle grid 1 / (oversampling · T). Band powers need no finer
  // grid than the resolution 1/T (oversampling only interpolates), and 1
  // keeps a day-long record near 30 ms instead of 140 ms at 4.
  double lomb_oversampling = 1;
  FrequencyBands bands{};
  Compatibility compatibility = Compatibility::standard;
};

struct FrequencyDomain {
  // Band powers, ms² (or normalised units); nullopt when the band holds fewer
  // than two spectral points (e.g. ULF and VLF need long recordings).
  std::optional<double> ulf, vlf, lf, hf, vhf;
  std::optional<double> lf_hf;     // LF / HF
  std::optional<double> lfn, hfn;  // LF, HF ÷ the sum of the available band powers
  std::optional<double> ln_hf;     // ln HF
  signal::Spectrum spectrum;       // the PSD, from its lowest resolvable frequency 4/T to the top band edge
};

// The lowest frequency kept is 4 / T (T the resampled duration, or the span of
// the intervals for Lomb–Scargle): two cycles in a segment of half the record
// (NeuroKit2's rule). O(n + K log K), K grid samples.
FrequencyDomain hrv_frequency(const RrSeries& rr, const FrequencyOptions& options = {});

struct NonlinearOptions {
  int entropy_dimension = 2;          // m (Richman & Moorman 2000; NeuroKit2)
  double entropy_tolerance_sd = 0.2;  // r = 0.2 · SD of the intervals (Pincus 1991; NeuroKit2)
  // SampEn and ApEn cost O(n·k), k the matches per template (O(n²) at worst):
  // longer series are split into ⌈n / entropy_max_beats⌉ equal consecutive
  // segments, each with its own r, and the entropies averaged.
  std::size_t entropy_max_beats = 1000;
  int dfa_short_min = 4, dfa_short_max = 11;  // α1 scales, beats (NeuroKit2; Peng et al. 1995 use 4–16)
  int dfa_long_min = 12;                      // α2 scales from 12 to (intervals + 1) / 10 beats (NeuroKit2)
};

struct Nonlinear {
  double sd1 = 0, sd2 = 0, sd1_sd2 = 0;  // Poincaré plot (Brennan et al. 2001), ms, ms, ratio
  double apen = 0;                       // approximate entropy (nats)
  std::optional<double> sampen;          // sample entropy (nats); nullopt when no template pair matches
  std::optional<double> dfa_alpha1;      // nullopt for ≤ dfa_short_max intervals
  std::optional<double> dfa_alpha2;      // nullopt when (intervals + 1) / 10 < dfa_long_min + 1
};

// At least 3 intervals. O(n log n) but for the entropies (see above).
Nonlinear hrv_nonlinear(std::span<const double> rr_ms, const NonlinearOptions& options = {});

// Approximate entropy (Pincus 1991, PNAS 88:2297): Φᵐ − Φᵐ⁺¹ with self-matches,
// Chebyshev distance ≤ r. Needs n ≥ m + 2.
double approximate_entropy(std::span<const double> x, int m, double r);
// Sample entropy (Richman & Moorman 2000, Am J Physiol 278:H2039): −ln(A/B),
// A and B the pairs of the first n − m templates matching for m + 1 and m
// points. nullopt when A or B is 0. Needs n ≥ m + 2.
std::optional<double> sample_entropy(std::span<const double> x, int m, double r);
// Detrended fluctuation analysis (Peng et al. 1995, Chaos 5:82): slope of
// log F(s) on log s, F(s) the RMS residual of linear fits to the integrated,
// mean-removed series in windows of s points starting every s/2 points (the
// last start < n − s). Scales ≥ 3, < n, at least two. O(n · #scales / s̄).
double dfa_alpha(std::span<const double> x, std::span<const int> scales);

struct HrvOptions {
  TimeDomainOptions time{};
  FrequencyOptions frequency{};
  NonlinearOptions nonlinear{};
};

struct Hrv {
  TimeDomain time;
  FrequencyDomain frequency;
  Nonlinear nonlinear;
};

Hrv hrv(const RrSeries& rr, const HrvOptions& options = {});

}  // namespace medtwin::cardio

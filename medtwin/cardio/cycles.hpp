// Helpers shared by the detectors of quasi-periodic events in wearable
// signals (pulses in a PPG, breaths in a breathing belt): bridging stretches
// of missing samples, rates per window, and time-averaged rates and amplitudes
// from event series interpolated onto the sample grid (NeuroKit2's
// signal_period / signal_interpolate convention, Makowski et al. 2021, Behav
// Res Methods 53:1689–1696, so that means agree with it); and the
// sampling-rate checks the cardio stages share.
// Pure computation, O(n) in samples plus O(k) in events.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace medtwin::cardio {

// Throws medtwin::Error unless band_high_hz < rate_hz / 2 and rate_hz ≤ 10 kHz
// (above any PPG, belt or ECG front end). `what` names the signal.
void check_sampling_rate(double rate_hz, double band_high_hz, std::string_view what);

// Throws medtwin::Error naming `stage` unless the ECG's rate lies within 50 Hz
// (the QRS's energy reaches 20 Hz: it needs a Nyquist frequency well above
// that) and 20 kHz (above any ECG recorder; pacemaker-spike front ends sample
// at ≤ 16 kHz). Shared by every ECG stage, so that they accept the same records.
void check_ecg_rate(double rate_hz, std::string_view stage);

// Template match of Orphanidou et al. 2015 (IEEE J Biomed Health Inform
// 19:832–838): the windows (one per beat or pulse, all equally long) averaged
// into a template; the mean of their Pearson correlations with it. nullopt
// under 2 windows.
std::optional<double> mean_template_correlation(std::span<const std::span<const double>> windows);

// Throws medtwin::Error when x is empty or holds a non-finite sample.
void require_finite(std::span<const double> x, std::string_view what);

// A run of non-finite samples, [begin, end) in sample indices.
struct Gap {
  std::int64_t begin = 0, end = 0;
};

struct Bridged {
  std::vector<double> samples;  // finite everywhere
  std::vector<Gap> gaps;        // where the input was not finite
};

// The signal with every non-finite run replaced by the straight line between
// its finite neighbours (held at the ends), so filters see no NaN and no step.
// `what` names the signal in messages. Throws medtwin::NotEnoughData when no
// sample is finite (nothing can be detected), medtwin::Error when x is empty.
Bridged bridge_gaps(std::span<const double> x, std::string_view what);

// Events (sample indices, increasing) without those within `margin` samples
// of a gap: what a detector finds on a bridged stretch is not a real event.
std::vector<std::int64_t> drop_near_gaps(std::span<const std::int64_t> events, std::span<const Gap> gaps,
                                         std::int64_t margin);

// Events per minute in consecutive windows of window_s seconds from sample 0
// (the last window may be shorter): 60 / mean interval of the intervals that
// end inside the window; nullopt when fewer than min_intervals end there or
// the window lies in a gap.
struct WindowRate {
  double start_s = 0, end_s = 0;
  std::optional<double> per_minute;
  std::size_t intervals = 0;  // intervals ending in the window
};
std::vector<WindowRate> rate_per_window(std::span<const std::int64_t> events, double rate_hz,
                                        std::size_t n_samples, double window_s, std::size_t min_intervals);

// Value sampled at each event, linearly interpolated onto samples 0 … n − 1
// and held constant before the first and after the last event. At least 2 events.
std::vector<double> interpolate_events(std::span<const std::int64_t> events, std::span<const double> values,
                                       std::size_t n_samples);

// Mean over samples 0 … n − 1 of the instantaneous rate (per minute) 60 / T(t),
// T the interval ending at each event (the first event gets the mean
// interval, NeuroKit2's signal_period) interpolated as above. nullopt for
// fewer than 2 events.
std::optional<double> time_averaged_rate(std::span<const std::int64_t> events, double rate_hz,
                                         std::size_t n_samples);

}  // namespace medtwin::cardio

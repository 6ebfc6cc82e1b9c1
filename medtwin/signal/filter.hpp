// Digital filters for sampled signals (ECG, PPG, IMU, EDA, EEG):
//  - Butterworth low-, high- and band-pass IIR filters of any order, designed
//    from the analog prototype by the bilinear transform with pre-warped band
//    edges (Oppenheim & Schafer, "Discrete-Time Signal Processing", 3rd ed.,
//    §7.1.3 and §7.2) and kept as cascaded second-order sections;
//  - causal filtering and zero-phase forward-backward filtering with odd
//    extension and steady-state initial conditions (Gustafsson 1996, "Determining
//    the initial states in forward-backward filtering", IEEE Trans SP 44:988) —
//    the scheme of scipy.signal.sosfiltfilt, written here from the equations;
//  - the second-order IIR notch for powerline interference (Orfanidis 1996,
//    "Introduction to Signal Processing", §11.3.2, Eq. 11.3.7);
//  - moving average / moving-window integration and a running median, O(n) and
//    O(n log w), without allocation per sample.
// Frequencies are in Hz and rates in samples/s throughout.
#pragma once

#include <complex>
#include <cstddef>
#include <span>
#include <vector>

namespace medtwin::signal {

// One second-order section, a0 normalised to 1:
//   H(z) = (b0 + b1 z⁻¹ + b2 z⁻²) / (1 + a1 z⁻¹ + a2 z⁻²).
// A first-order section has b2 = a2 = 0.
struct Biquad {
  double b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0;
};

// A cascade of sections; the filter is their product.
using Sos = std::vector<Biquad>;

// Butterworth designs. `order` is the order of the low-pass prototype (1–20):
// low- and high-pass filters have `order` poles, the band-pass 2·order (the
// convention of scipy.signal.butter). Cut-offs are the −3 dB frequencies and
// must lie strictly between 0 and the Nyquist frequency rate_hz/2.
// Throws medtwin::Error for an impossible design.
Sos butterworth_lowpass(int order, double cutoff_hz, double rate_hz);
Sos butterworth_highpass(int order, double cutoff_hz, double rate_hz);
Sos butterworth_bandpass(int order, double low_hz, double high_hz, double rate_hz);

// Second-order notch at `f0_hz` with quality factor q = f0 / (−3 dB bandwidth):
// unit gain at DC and Nyquist, zero gain at f0.
Biquad notch(double f0_hz, double q, double rate_hz);

// H(e^{jω}) of the cascade at `f_hz`.
std::complex<double> frequency_response(const Sos& sos, double f_hz, double rate_hz);

// Causal filtering in place, starting from rest (zero state).
void sos_filter(const Sos& sos, std::span<double> x);

// Zero-phase filtering: forward then backward, so the magnitude response is
// |H|² and the phase is zero. The input is extended at both ends by odd
// reflection (2·x₀ − x[k]) of 3·(2·sections + 1 − first-order sections)
// samples (fewer if the input is shorter), and each pass starts from the
// steady state of its first extended sample, so a constant input passes
// unchanged and edges carry no start-up transient.
std::vector<double> sos_filtfilt(const Sos& sos, std::span<const double> x);

// The same for several channels of equal length at once (e.g. the leads of an
// ECG): their recursions run interleaved, which on a superscalar CPU costs
// little more than one channel. Throws medtwin::Error if the lengths differ.
std::vector<std::vector<double>> sos_filtfilt(const Sos& sos, const std::vector<std::span<const double>>& channels);

// Where a moving window sits relative to its output sample.
enum class Window {
  centered,  // x[n − (w−1)/2 … n + w/2]: no delay
  trailing,  // x[n − w + 1 … n]: causal, delay (w−1)/2 samples (Pan & Tompkins 1985's integrator)
};

// Mean over a window of `width` samples (≥ 1); near the ends the mean is over
// the samples that exist. O(n): a running sum.
std::vector<double> moving_average(std::span<const double> x, std::size_t width, Window window = Window::centered);

// Means of consecutive groups of `factor` (≥ 1) samples, the last group
// possibly shorter: a boxcar anti-alias filter (zeros at multiples of the new
// rate) and decimation in one pass. Non-finite samples are held at the last
// finite value (0 before the first).
struct Decimated {
  std::vector<double> samples;
  bool held_non_finite = false;  // whether any sample was held
};
Decimated boxcar_decimate(std::span<const double> x, std::size_t factor);

// Median over a centred window of odd `width` samples; the ends are extended
// with copies of the first and last sample. O(n log width) with two heaps over
// a circular buffer. Throws medtwin::Error for an even or zero width.
std::vector<double> running_median(std::span<const double> x, std::size_t width);

}  // namespace medtwin::signal

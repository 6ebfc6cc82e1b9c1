#include "medtwin/signal/filter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <numeric>
#include <string>

#include "medtwin/core/error.hpp"

namespace medtwin::signal {
namespace {

using Complex = std::complex<double>;
constexpr double pi = std::numbers::pi;

void check_design(int order, double rate_hz, std::initializer_list<double> edges_hz) {
  if (!(rate_hz > 0) || !std::isfinite(rate_hz))
    throw Error(fmt::format("filter design: the sampling rate must be a positive number of Hz, got {}", rate_hz));
  if (order < 1 || order > 20) throw Error(fmt::format("filter design: Butterworth order must be 1–20, got {}", order));
  for (double f : edges_hz)
    if (!(f > 0 && f < rate_hz / 2))
      throw Error(
          fmt::format("filter design: cut-off {} Hz must lie strictly between 0 and the Nyquist frequency "
                      "{} Hz of a {} Hz signal",
                      f, rate_hz / 2, rate_hz));
}

// Analog frequency (rad/s) that the bilinear transform maps onto f_hz
// (Oppenheim & Schafer 3rd ed., Eq. 7.26: Ω = (2/T)·tan(ω/2)).
double prewarp(double f_hz, double rate_hz) { return 2 * rate_hz * std::tan(pi * f_hz / rate_hz); }

// Poles of the unit-cutoff analog Butterworth low-pass of order N: equally
// spaced on the left half of the unit circle, s_k = exp(jπ(2k + N + 1)/(2N)),
// k = 0 … N−1 (Oppenheim & Schafer Eq. 7.18). The real pole of an odd order is
// set exactly to −1 so that it stays real through every transform.
std::vector<Complex> prototype_poles(int order) {
  std::vector<Complex> poles;
  for (int k = 0; k < order; ++k) {
    if (2 * k + 1 == order)
      poles.emplace_back(-1, 0);
    else
      poles.push_back(std::polar(1.0, pi * (2 * k + order + 1) / (2.0 * order)));
  }
  return poles;
}

// s-plane → z-plane: z = (2f_s + s)/(2f_s − s) (Oppenheim & Schafer Eq. 7.20).
Complex bilinear(Complex s, double rate_hz) { return (2 * rate_hz + s) / (2 * rate_hz - s); }

// Zeros every section gets: at z = −1 (low-pass), z = +1 (high-pass) or one of each (band-pass).
enum class Zeros { at_nyquist, at_dc, both };

Biquad numerator(Zeros zeros, bool first_order) {
  switch (zeros) {
    case Zeros::at_nyquist:
      return first_order ? Biquad{1, 1, 0, 0, 0} : Biquad{1, 2, 1, 0, 0};
    case Zeros::at_dc:
      return first_order ? Biquad{1, -1, 0, 0, 0} : Biquad{1, -2, 1, 0, 0};
    case Zeros::both:
      break;
  }
  return Biquad{1, 0, -1, 0, 0};
}

// Groups z-plane poles into sections: each complex pair makes one, real poles
// pair up, a last lone real pole makes a first-order section. Sections are
// ordered by pole radius, the one nearest the unit circle last (it has the
// highest gain peak, so it comes last to keep intermediate values small).
// The cascade is then scaled to unit gain at `unit_gain_hz`.
Sos to_sections(const std::vector<Complex>& poles, Zeros zeros, double unit_gain_hz, double rate_hz) {
  struct Pending {
    double radius;
    Biquad section;
  };
  std::vector<Pending> pending;
  std::vector<double> real;
  for (Complex p : poles) {
    if (std::abs(p.imag()) <= 1e-12 * std::max(1.0, std::abs(p)))
      real.push_back(p.real());
    else if (p.imag() > 0) {
      Biquad s = numerator(zeros, false);
      s.a1 = -2 * p.real();
      s.a2 = std::norm(p);
      pending.push_back({std::abs(p), s});
    }
  }
  std::sort(real.begin(), real.end(), [](double a, double b) { return std::abs(a) < std::abs(b); });
  for (std::size_t i = 0; i < real.size(); i += 2) {
    bool lone = i + 1 == real.size();
    Biquad s = numerator(zeros, lone);
    s.a1 = lone ? -real[i] : -(real[i] + real[i + 1]);
    s.a2 = lone ? 0 : real[i] * real[i + 1];
    pending.push_back({std::abs(real[lone ? i : i + 1]), s});
  }
  std::stable_sort(pending.begin(), pending.end(),
                   [](const Pending& a, const Pending& b) { return a.radius < b.radius; });
  Sos sos;
  for (const Pending& p : pending) sos.push_back(p.section);
  double gain = std::abs(frequency_response(sos, unit_gain_hz, rate_hz));
  sos.front().b0 /= gain;
  sos.front().b1 /= gain;
  sos.front().b2 /= gain;
  return sos;
}

std::vector<Complex> to_z(const std::vector<Complex>& s_poles, double rate_hz) {
  std::vector<Complex> z;
  for (Complex s : s_poles) z.push_back(bilinear(s, rate_hz));
  return z;
}

// The cascade over `frames` frames of interleaved samples, in place: channels
// [first, first + C) of `stride` per frame, forward or backward in time. One
// sample goes through every section at a time, and the C channels side by
// side: their recursions are independent chains that the CPU overlaps, and
// the state stays in registers. Transposed direct form II. With `steady`,
// each section starts as if its first input had been applied forever: for
// unit input a section outputs its DC gain G = (b0 + b1 + b2)/(1 + a1 + a2),
// hence z1 = G − b0 and z2 = b2 − a2·G, scaled by its first input — the
// channel's first sample times the gains of the sections before it
// (Gustafsson 1996; scipy's sosfilt_zi).
template <std::size_t N, std::size_t C>
void run_fixed(const Biquad* sos, double* data, std::size_t frames, std::size_t stride, std::size_t first,
               bool backward, bool steady) {
  std::array<Biquad, N> s;
  std::copy(sos, sos + N, s.begin());
  std::array<std::array<double, N>, C> z1{}, z2{};
  auto at = [&](std::size_t f, std::size_t c) -> double& {
    return data[(backward ? frames - 1 - f : f) * stride + first + c];
  };
  if (steady) {
    for (std::size_t c = 0; c < C; ++c) {
      double input = at(0, c);
      for (std::size_t k = 0; k < N; ++k) {
        double dc_gain = (s[k].b0 + s[k].b1 + s[k].b2) / (1 + s[k].a1 + s[k].a2);
        z1[c][k] = (dc_gain - s[k].b0) * input;
        z2[c][k] = (s[k].b2 - s[k].a2 * dc_gain) * input;
        input *= dc_gain;
      }
    }
  }
  for (std::size_t f = 0; f < frames; ++f) {
    for (std::size_t c = 0; c < C; ++c) {
      double x = at(f, c);
      for (std::size_t k = 0; k < N; ++k) {
        double y = s[k].b0 * x + z1[c][k];
        z1[c][k] = s[k].b1 * x - s[k].a1 * y + z2[c][k];
        z2[c][k] = s[k].b2 * x - s[k].a2 * y;
        x = y;
      }
      at(f, c) = x;
    }
  }
}

template <std::size_t C>
void run_channels(const Biquad* sos, std::size_t sections, double* data, std::size_t frames, std::size_t stride,
                  std::size_t first, bool backward, bool steady) {
  switch (sections) {
    case 1:
      return run_fixed<1, C>(sos, data, frames, stride, first, backward, steady);
    case 2:
      return run_fixed<2, C>(sos, data, frames, stride, first, backward, steady);
    case 3:
      return run_fixed<3, C>(sos, data, frames, stride, first, backward, steady);
    default:
      return run_fixed<4, C>(sos, data, frames, stride, first, backward, steady);
  }
}

// The whole cascade over every channel: groups of up to 4 sections (each group
// starts at the steady state of its own first input, which is the same as
// starting the whole cascade there), channels four, then two at a time (four
// independent chains hide the latency of one section's recursion).
void run_cascade(const Sos& sos, double* data, std::size_t frames, std::size_t channels, bool backward, bool steady) {
  if (frames == 0) return;
  for (std::size_t k = 0; k < sos.size(); k += 4) {
    const std::size_t sections = std::min<std::size_t>(4, sos.size() - k);
    std::size_t c = 0;
    for (; c + 4 <= channels; c += 4)
      run_channels<4>(sos.data() + k, sections, data, frames, channels, c, backward, steady);
    for (; c + 2 <= channels; c += 2)
      run_channels<2>(sos.data() + k, sections, data, frames, channels, c, backward, steady);
    if (c < channels) run_channels<1>(sos.data() + k, sections, data, frames, channels, c, backward, steady);
  }
}

// Two heaps over a circular window of odd size w: `low_` is a max-heap of the
// (w+1)/2 smallest values, `high_` a min-heap of the rest, so the median is
// the top of `low_`. Both hold slot numbers; `where_` maps a slot to its heap
// position. Replacing one slot's value costs O(log w) and allocates nothing.
class MedianWindow {
 public:
  explicit MedianWindow(std::span<const double> first) : value_(first.begin(), first.end()), where_(first.size()) {
    std::vector<std::size_t> order(first.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return value_[a] < value_[b]; });
    std::size_t low_size = (first.size() + 1) / 2;
    // A descending array is a max-heap, an ascending one a min-heap.
    low_.assign(order.rbegin() + std::ptrdiff_t(first.size() - low_size), order.rend());
    high_.assign(order.begin() + std::ptrdiff_t(low_size), order.end());
    in_low_.assign(first.size(), false);
    for (std::size_t i = 0; i < low_.size(); ++i) place(true, i, low_[i]);
    for (std::size_t i = 0; i < high_.size(); ++i) place(false, i, high_[i]);
  }

  double median() const { return value_[low_.front()]; }

  void replace(std::size_t slot, double v) {
    value_[slot] = v;
    bool low = in_low_[slot];
    sift_down(low, sift_up(low, where_[slot]));
    if (!high_.empty() && value_[low_.front()] > value_[high_.front()]) {
      std::size_t from_low = low_.front(), from_high = high_.front();
      place(true, 0, from_high);
      place(false, 0, from_low);
      sift_down(true, 0);
      sift_down(false, 0);
    }
  }

 private:
  std::vector<std::size_t>& heap(bool low) { return low ? low_ : high_; }
  // Whether slot a belongs above slot b in the heap.
  bool above(bool low, std::size_t a, std::size_t b) const {
    return low ? value_[a] > value_[b] : value_[a] < value_[b];
  }
  void place(bool low, std::size_t i, std::size_t slot) {
    heap(low)[i] = slot;
    where_[slot] = i;
    in_low_[slot] = low;
  }
  void swap_at(bool low, std::size_t i, std::size_t j) {
    std::size_t a = heap(low)[i], b = heap(low)[j];
    place(low, i, b);
    place(low, j, a);
  }
  std::size_t sift_up(bool low, std::size_t i) {
    auto& h = heap(low);
    while (i > 0 && above(low, h[i], h[(i - 1) / 2])) {
      swap_at(low, i, (i - 1) / 2);
      i = (i - 1) / 2;
    }
    return i;
  }
  void sift_down(bool low, std::size_t i) {
    auto& h = heap(low);
    for (;;) {
      std::size_t best = i, l = 2 * i + 1, r = l + 1;
      if (l < h.size() && above(low, h[l], h[best])) best = l;
      if (r < h.size() && above(low, h[r], h[best])) best = r;
      if (best == i) return;
      swap_at(low, i, best);
      i = best;
    }
  }

  std::vector<double> value_;
  std::vector<std::size_t> low_, high_, where_;
  std::vector<bool> in_low_;
};

}  // namespace

Sos butterworth_lowpass(int order, double cutoff_hz, double rate_hz) {
  check_design(order, rate_hz, {cutoff_hz});
  double wc = prewarp(cutoff_hz, rate_hz);
  std::vector<Complex> s = prototype_poles(order);
  for (Complex& p : s) p *= wc;  // s → s/Ωc
  return to_sections(to_z(s, rate_hz), Zeros::at_nyquist, 0, rate_hz);
}

Sos butterworth_highpass(int order, double cutoff_hz, double rate_hz) {
  check_design(order, rate_hz, {cutoff_hz});
  double wc = prewarp(cutoff_hz, rate_hz);
  std::vector<Complex> s = prototype_poles(order);
  for (Complex& p : s) p = wc / p;  // s → Ωc/s
  return to_sections(to_z(s, rate_hz), Zeros::at_dc, rate_hz / 2, rate_hz);
}

Sos butterworth_bandpass(int order, double low_hz, double high_hz, double rate_hz) {
  check_design(order, rate_hz, {low_hz, high_hz});
  if (!(low_hz < high_hz))
    throw Error(fmt::format("filter design: band-pass edges must rise, got {}–{} Hz", low_hz, high_hz));
  double wl = prewarp(low_hz, rate_hz), wh = prewarp(high_hz, rate_hz);
  double w0 = std::sqrt(wl * wh), bw = wh - wl;
  // s → (s² + Ω0²)/(s·B): each prototype pole p becomes the two roots of
  // s² − p·B·s + Ω0² = 0 (Oppenheim & Schafer, Table 7.1 analog form).
  std::vector<Complex> s;
  for (Complex p : prototype_poles(order)) {
    Complex half = p * bw / 2.0, root = std::sqrt(half * half - w0 * w0);
    s.push_back(half + root);
    s.push_back(half - root);
  }
  double centre_hz = rate_hz / pi * std::atan(w0 / (2 * rate_hz));  // where the analog centre lands
  return to_sections(to_z(s, rate_hz), Zeros::both, centre_hz, rate_hz);
}

Biquad notch(double f0_hz, double q, double rate_hz) {
  check_design(1, rate_hz, {f0_hz});
  if (!(q > 0) || !std::isfinite(q)) throw Error(fmt::format("notch: quality factor must be positive, got {}", q));
  // Orfanidis 1996 Eq. 11.3.7 with the −3 dB reference: β = tan(Δω/2), gain 1/(1 + β).
  double w0 = 2 * pi * f0_hz / rate_hz, beta = std::tan(w0 / q / 2), g = 1 / (1 + beta);
  return Biquad{g, -2 * g * std::cos(w0), g, -2 * g * std::cos(w0), 2 * g - 1};
}

std::complex<double> frequency_response(const Sos& sos, double f_hz, double rate_hz) {
  Complex z1 = std::polar(1.0, -2 * pi * f_hz / rate_hz), z2 = z1 * z1;  // z⁻¹, z⁻²
  Complex h = 1;
  for (const Biquad& s : sos) h *= (s.b0 + s.b1 * z1 + s.b2 * z2) / (1.0 + s.a1 * z1 + s.a2 * z2);
  return h;
}

void sos_filter(const Sos& sos, std::span<double> x) { run_cascade(sos, x.data(), x.size(), 1, false, false); }

std::vector<std::vector<double>> sos_filtfilt(const Sos& sos, const std::vector<std::span<const double>>& channels) {
  if (channels.empty()) return {};
  const std::size_t n = channels.front().size(), width = channels.size();
  for (std::span<const double> x : channels)
    if (x.size() != n)
      throw Error(fmt::format("sos_filtfilt: channels differ in length ({} and {} samples)", n, x.size()));
  if (n == 0) return std::vector<std::vector<double>>(width);
  auto first_order = std::count_if(sos.begin(), sos.end(), [](const Biquad& s) { return s.b2 == 0 && s.a2 == 0; });
  const std::size_t pad = std::min<std::size_t>(3 * (2 * sos.size() + 1 - std::size_t(first_order)), n - 1);
  const std::size_t frames = n + 2 * pad;
  std::vector<double> ext(frames * width);  // frame-major: the channels' samples side by side
  for (std::size_t c = 0; c < width; ++c) {
    std::span<const double> x = channels[c];
    for (std::size_t i = 0; i < pad; ++i) {
      ext[i * width + c] = 2 * x[0] - x[pad - i];
      ext[(pad + n + i) * width + c] = 2 * x[n - 1] - x[n - 2 - i];
    }
    for (std::size_t i = 0; i < n; ++i) ext[(pad + i) * width + c] = x[i];
  }
  run_cascade(sos, ext.data(), frames, width, false, true);
  run_cascade(sos, ext.data(), frames, width, true, true);
  std::vector<std::vector<double>> out(width, std::vector<double>(n));
  for (std::size_t c = 0; c < width; ++c)
    for (std::size_t i = 0; i < n; ++i) out[c][i] = ext[(pad + i) * width + c];
  return out;
}

std::vector<double> sos_filtfilt(const Sos& sos, std::span<const double> x) {
  return std::move(sos_filtfilt(sos, std::vector<std::span<const double>>{x}).front());
}

std::vector<double> moving_average(std::span<const double> x, std::size_t width, Window window) {
  if (width == 0) throw Error("moving average: the window must hold at least one sample");
  const std::ptrdiff_t n = std::ssize(x), w = std::ptrdiff_t(width);
  const std::ptrdiff_t behind = window == Window::centered ? (w - 1) / 2 : w - 1, ahead = w - 1 - behind;
  std::vector<double> out(x.size());
  // Block by block of w samples; each block starts from a fresh sum, so
  // rounding cannot pile up over millions of samples, and a block's figures
  // depend only on the samples its windows cover (moving averages of a part
  // of a signal that starts at a multiple of w equal the whole signal's).
  for (std::ptrdiff_t first = 0; first < n; first += w) {
    std::ptrdiff_t lo = std::max<std::ptrdiff_t>(0, first - behind), hi = std::min(n - 1, first + ahead);
    double sum = std::accumulate(x.begin() + lo, x.begin() + hi + 1, 0.0);
    out[std::size_t(first)] = sum / double(hi - lo + 1);
    const std::ptrdiff_t last = std::min(n, first + w);
    std::ptrdiff_t i = first + 1;
    // Near the ends the window is cut short; inside, it slides by one sample.
    const auto edge_step = [&] {
      const double added = i + ahead < n ? x[std::size_t(++hi)] : 0.0;
      const double dropped = i - behind > 0 ? x[std::size_t(lo++)] : 0.0;
      sum += added - dropped;
      out[std::size_t(i)] = sum / double(hi - lo + 1);
    };
    for (; i < last && (i - behind <= 0 || i + ahead >= n); ++i) edge_step();
    const double inverse_width = 1.0 / double(w);
    const std::ptrdiff_t inside_from = i;
    for (; i < last && i + ahead < n; ++i) {
      sum += x[std::size_t(i + ahead)] - x[std::size_t(i - behind - 1)];
      out[std::size_t(i)] = sum * inverse_width;
    }
    if (i > inside_from) lo = i - 1 - behind, hi = i - 1 + ahead;
    for (; i < last; ++i) edge_step();
  }
  return out;
}

Decimated boxcar_decimate(std::span<const double> x, std::size_t factor) {
  if (factor == 0) throw Error("boxcar decimation: the factor must be at least 1");
  Decimated out{std::vector<double>((x.size() + factor - 1) / factor), false};
  double last = 0;
  for (std::size_t k = 0; k < out.samples.size(); ++k) {
    const std::size_t from = k * factor, to = std::min(x.size(), from + factor);
    double sum = 0;
    for (std::size_t i = from; i < to; ++i) sum += x[i];
    if (!std::isfinite(sum)) {  // a NaN or infinity in the group (any makes the sum non-finite)
      sum = 0;
      for (std::size_t i = from; i < to; ++i) {
        if (std::isfinite(x[i]))
          last = x[i];
        else
          out.held_non_finite = true;
        sum += last;
      }
    }
    last = std::isfinite(x[to - 1]) ? x[to - 1] : last;
    out.samples[k] = sum / double(to - from);
  }
  return out;
}

std::vector<double> running_median(std::span<const double> x, std::size_t width) {
  if (width == 0 || width % 2 == 0)
    throw Error(fmt::format("running median: the window must be an odd number of samples, got {}", width));
  if (std::any_of(x.begin(), x.end(), [](double v) { return std::isnan(v); }))
    throw Error("running median: the signal contains NaN samples; fill or drop them first");
  const std::ptrdiff_t n = std::ssize(x), half = std::ptrdiff_t(width / 2);
  if (n == 0) return {};
  // The input extended by copies of its end samples.
  auto padded = [&](std::ptrdiff_t k) { return x[std::size_t(std::clamp<std::ptrdiff_t>(k - half, 0, n - 1))]; };
  std::vector<double> first(width);
  for (std::size_t k = 0; k < width; ++k) first[k] = padded(std::ptrdiff_t(k));
  MedianWindow window(first);
  std::vector<double> out(x.size());
  out[0] = window.median();
  for (std::ptrdiff_t i = 1; i < n; ++i) {
    window.replace(std::size_t(i - 1) % width, padded(i + std::ptrdiff_t(width) - 1));
    out[std::size_t(i)] = window.median();
  }
  return out;
}

}  // namespace medtwin::signal

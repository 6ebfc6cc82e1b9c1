#include "medtwin/signal/spectrum.hpp"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <mutex>
#include <numbers>
#include <string>

#include "medtwin/core/error.hpp"

namespace medtwin::signal {
namespace {

// FFTW's planner keeps global state: planning and destroying plans must not
// run concurrently (FFTW manual §5.4 "Thread safety"); executing may.
std::mutex& fftw_planner_mutex() {
  static std::mutex mutex;
  return mutex;
}

// A real-to-complex FFT of length n with its own buffers.
class RealFft {
 public:
  explicit RealFft(std::size_t n)
      : n_(n), in_(fftw_alloc_real(n)), out_(fftw_alloc_complex(n / 2 + 1)) {
    if (in_ == nullptr || out_ == nullptr) {
      release_buffers();
      throw Error("FFT of length " + std::to_string(n) + ": out of memory");
    }
    std::lock_guard lock(fftw_planner_mutex());
    plan_ = fftw_plan_dft_r2c_1d(static_cast<int>(n), in_, out_, FFTW_ESTIMATE);
    if (plan_ == nullptr) {
      release_buffers();
      throw Error("FFT of length " + std::to_string(n) + ": FFTW could not plan it");
    }
  }
  RealFft(const RealFft&) = delete;
  RealFft& operator=(const RealFft&) = delete;
  ~RealFft() {
    {
      std::lock_guard lock(fftw_planner_mutex());
      fftw_destroy_plan(plan_);
    }
    release_buffers();
  }

  std::span<double> input() { return {in_, n_}; }
  // X_k = Σ_j x_j e^{−2πi jk/n}, k = 0 … n/2.
  std::complex<double> output(std::size_t k) const { return {out_[k][0], out_[k][1]}; }
  void execute() { fftw_execute(plan_); }

 private:
  void release_buffers() {
    fftw_free(in_);
    fftw_free(out_);
  }

  std::size_t n_;
  double* in_;
  fftw_complex* out_;
  fftw_plan plan_ = nullptr;
};

void check_finite(std::span<const double> x, const char* what) {
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i])) throw Error(std::string(what) + ": sample " + std::to_string(i) + " is not finite");
}

// Frequencies k / (n · d), k = 0 … n/2 (numpy.fft.rfftfreq, whose rounding
// band edges then see alike).
std::vector<double> rfft_frequencies(std::size_t n, double rate_hz) {
  const double step = 1.0 / (static_cast<double>(n) * (1.0 / rate_hz));
  std::vector<double> f(n / 2 + 1);
  for (std::size_t k = 0; k < f.size(); ++k) f[k] = static_cast<double>(k) * step;
  return f;
}

// --- Lomb–Scargle helpers -------------------------------------------------

constexpr int extirpolation_points = 8;  // Lagrange nodes per sample (Press & Rybicki 1989 use 4; 8 for ~1e-4)
constexpr std::size_t grid_refinement = 8;  // grid points per frequency index: phase step ≤ π/4 per node

// Adds weight w at the non-integer grid position u (grid of g points,
// periodic) by Lagrange extirpolation: the weights reproduce Σ w e^{iθu} for
// any smooth enough e^{iθu} from its values at the nodes.
void extirpolate(std::vector<double>& grid, double u, double w) {
  const auto g = static_cast<long>(grid.size());
  const long first = static_cast<long>(std::floor(u)) - (extirpolation_points / 2 - 1);
  for (int m = 0; m < extirpolation_points; ++m) {
    double weight = w;
    for (int l = 0; l < extirpolation_points; ++l)
      if (l != m) weight *= (u - static_cast<double>(first + l)) / static_cast<double>(m - l);
    grid[static_cast<std::size_t>(((first + m) % g + g) % g)] += weight;
  }
}

}  // namespace

struct WelchEstimator::Impl {
  Impl(double rate, const WelchOptions& o, std::size_t nfft)
      : rate_hz(rate), options(o), fft(nfft), frequencies(rfft_frequencies(nfft, rate)) {}

  double rate_hz;  // Hz
  WelchOptions options;  // overlap and fft_length filled in
  RealFft fft;
  std::vector<double> frequencies;  // Hz, k · rate / fft_length
  std::vector<double> window;       // periodic Hann, segment_length samples
  double window_energy = 0;         // Σ w²
};

WelchEstimator::WelchEstimator(double rate_hz, const WelchOptions& options) {
  const std::size_t nperseg = options.segment_length;
  const std::size_t overlap = options.overlap.value_or(nperseg / 2);
  const std::size_t nfft = options.fft_length == 0 ? nperseg : options.fft_length;
  if (!(rate_hz > 0) || !std::isfinite(rate_hz)) throw Error("welch_psd: the sampling rate must be positive");
  if (nperseg < 2) throw Error("welch_psd: segments need at least 2 samples");
  if (overlap >= nperseg) throw Error("welch_psd: the overlap must be shorter than a segment");
  if (nfft < nperseg) throw Error("welch_psd: the FFT length must be at least the segment length");
  WelchOptions resolved = options;
  resolved.overlap = overlap;
  resolved.fft_length = nfft;
  impl_ = std::make_unique<Impl>(rate_hz, resolved, nfft);

  // Periodic Hann window (scipy.signal.get_window("hann", n)).
  impl_->window.resize(nperseg);
  for (std::size_t k = 0; k < nperseg; ++k) {
    const double w =
        0.5 - 0.5 * std::cos(2 * std::numbers::pi * static_cast<double>(k) / static_cast<double>(nperseg));
    impl_->window[k] = w;
    impl_->window_energy += w * w;
  }
}

WelchEstimator::WelchEstimator(WelchEstimator&&) noexcept = default;
WelchEstimator& WelchEstimator::operator=(WelchEstimator&&) noexcept = default;
WelchEstimator::~WelchEstimator() = default;

const WelchOptions& WelchEstimator::options() const { return impl_->options; }

Spectrum WelchEstimator::estimate(std::span<const double> x) {
  const WelchOptions& o = impl_->options;
  const std::size_t nperseg = o.segment_length, overlap = *o.overlap, nfft = o.fft_length;
  if (x.size() < nperseg)
    throw NotEnoughData("welch_psd: needs at least one segment of " + std::to_string(nperseg) + " samples, got " +
                        std::to_string(x.size()));
  check_finite(x, "welch_psd");

  const std::vector<double>& window = impl_->window;
  RealFft& fft = impl_->fft;
  const std::size_t step = nperseg - overlap;
  const std::size_t segments = (x.size() - overlap) / step;
  std::vector<double> power(nfft / 2 + 1, 0.0);
  for (std::size_t s = 0; s < segments; ++s) {
    const auto segment = x.subspan(s * step, nperseg);
    double offset = 0;
    if (o.detrend == Detrend::constant) {
      for (double v : segment) offset += v;
      offset /= static_cast<double>(nperseg);
    }
    auto in = fft.input();
    for (std::size_t k = 0; k < nperseg; ++k) in[k] = (segment[k] - offset) * window[k];
    std::fill(in.begin() + static_cast<std::ptrdiff_t>(nperseg), in.end(), 0.0);
    fft.execute();
    for (std::size_t k = 0; k < power.size(); ++k) power[k] += std::norm(fft.output(k));
  }

  // Density scaling, one-sided: every bin but DC and (even n) Nyquist doubled.
  const double scale = 1.0 / (impl_->rate_hz * impl_->window_energy * static_cast<double>(segments));
  const std::size_t last_doubled = nfft % 2 == 0 ? power.size() - 2 : power.size() - 1;
  for (std::size_t k = 0; k < power.size(); ++k) power[k] *= (k >= 1 && k <= last_doubled) ? 2 * scale : scale;
  return {impl_->frequencies, std::move(power)};
}

Spectrum welch_psd(std::span<const double> x, double rate_hz, const WelchOptions& options) {
  return WelchEstimator(rate_hz, options).estimate(x);
}

Spectrum lomb_scargle_psd(std::span<const double> t_s, std::span<const double> y, const LombOptions& options) {
  const std::size_t n = t_s.size();
  if (y.size() != n)
    throw Error("lomb_scargle_psd: " + std::to_string(n) + " times but " + std::to_string(y.size()) + " values");
  if (n < 3) throw NotEnoughData("lomb_scargle_psd: needs at least 3 samples, got " + std::to_string(n));
  check_finite(t_s, "lomb_scargle_psd (times)");
  check_finite(y, "lomb_scargle_psd (values)");
  for (std::size_t i = 1; i < n; ++i)
    if (!(t_s[i] > t_s[i - 1])) throw Error("lomb_scargle_psd: times must increase strictly");
  if (!(options.max_frequency_hz > 0)) throw Error("lomb_scargle_psd: max_frequency_hz must be positive");
  if (!(options.oversampling >= 1)) throw Error("lomb_scargle_psd: oversampling must be at least 1");

  const double duration = t_s.back() - t_s.front();
  const double df = 1.0 / (options.oversampling * duration);
  const auto frequencies = static_cast<std::size_t>(std::floor(options.max_frequency_hz / df));
  if (frequencies == 0)
    throw NotEnoughData("lomb_scargle_psd: a span of " + std::to_string(duration) +
                        " s resolves no frequency up to " + std::to_string(options.max_frequency_hz) + " Hz");

  double mean = 0;
  for (double v : y) mean += v;
  mean /= static_cast<double>(n);

  // Grid positions u = (t − t0)·df·G put the phase 2π f_j (t − t0) at
  // 2π j u / G; the 2ω sums use 2u. Both are G-periodic in u.
  std::size_t g = 64;
  while (g < grid_refinement * frequencies) g *= 2;
  std::vector<double> grid_h(g, 0.0), grid_one(g, 0.0);
  const double to_grid = df * static_cast<double>(g);
  const double period = static_cast<double>(g);
  for (std::size_t i = 0; i < n; ++i) {
    const double u = std::fmod((t_s[i] - t_s.front()) * to_grid, period);
    extirpolate(grid_h, u, y[i] - mean);
    extirpolate(grid_one, std::fmod(2 * u, period), 1.0);
  }

  RealFft fft(g);
  std::vector<std::complex<double>> sums_h(frequencies + 1), sums_one(frequencies + 1);
  for (auto [grid, sums] : {std::pair{&grid_h, &sums_h}, std::pair{&grid_one, &sums_one}}) {
    std::copy(grid->begin(), grid->end(), fft.input().begin());
    fft.execute();
    // Σ_k g_k e^{+2πi jk/G} = conj(X_j) for a real grid.
    for (std::size_t j = 1; j <= frequencies; ++j) (*sums)[j] = std::conj(fft.output(j));
  }

  // Lomb's periodogram with Scargle's time offset τ, tan 2ωτ = S2 / C2,
  // evaluated through half-angle identities (Press & Rybicki 1989, Eq. 2–6).
  const double half_n = 0.5 * static_cast<double>(n);
  const double to_density = 2 * duration / static_cast<double>(n - 1);
  Spectrum out;
  out.frequency_hz.reserve(frequencies);
  out.power.reserve(frequencies);
  for (std::size_t j = 1; j <= frequencies; ++j) {
    const double c = sums_h[j].real(), s = sums_h[j].imag();
    const double c2 = sums_one[j].real(), s2 = sums_one[j].imag();
    const double hypot2 = std::hypot(c2, s2);
    const double cos2 = hypot2 > 0 ? c2 / hypot2 : 1.0;  // cos 2ωτ
    const double sin2 = hypot2 > 0 ? s2 / hypot2 : 0.0;
    const double cos1 = std::sqrt(std::max(0.0, 0.5 * (1 + cos2)));
    const double sin1 = std::copysign(std::sqrt(std::max(0.0, 0.5 * (1 - cos2))), sin2);
    const double cos_norm = half_n + 0.5 * hypot2;  // Σ cos² ω(t − τ)
    const double sin_norm = half_n - 0.5 * hypot2;  // Σ sin² ω(t − τ)
    const double yc = cos1 * c + sin1 * s, ys = cos1 * s - sin1 * c;
    double p = 0;
    if (cos_norm > 1e-12 * half_n) p += yc * yc / cos_norm;
    if (sin_norm > 1e-12 * half_n) p += ys * ys / sin_norm;
    out.frequency_hz.push_back(static_cast<double>(j) * df);
    out.power.push_back(0.5 * p * to_density);
  }
  return out;
}

ArModel burg_ar(std::span<const double> x, int order) {
  const std::size_t n = x.size();
  if (order < 1) throw Error("burg_ar: the order must be at least 1");
  if (static_cast<std::size_t>(order) >= n)
    throw NotEnoughData("burg_ar: order " + std::to_string(order) + " needs more than " + std::to_string(order) +
                        " samples, got " + std::to_string(n));
  check_finite(x, "burg_ar");

  std::vector<double> forward(x.begin(), x.end()), backward(x.begin(), x.end());
  ArModel model;
  double energy = 0;
  for (double v : x) energy += v * v;
  model.noise_variance = energy / static_cast<double>(n);
  for (std::size_t p = 1; p <= static_cast<std::size_t>(order); ++p) {
    // Reflection coefficient minimising forward + backward error power.
    double num = 0, den = 0;
    for (std::size_t m = p; m < n; ++m) {
      num += forward[m] * backward[m - 1];
      den += forward[m] * forward[m] + backward[m - 1] * backward[m - 1];
    }
    if (den == 0) throw Error("burg_ar: the signal has no power left to model at order " + std::to_string(p));
    const double k = -2 * num / den;
    for (std::size_t m = n - 1; m >= p; --m) {  // descending: backward[m − 1] is still the old error
      const double f = forward[m];
      forward[m] = f + k * backward[m - 1];
      backward[m] = backward[m - 1] + k * f;
    }
    // Levinson update of the coefficients.
    auto& a = model.coefficients;
    const auto previous = a;
    for (std::size_t i = 0; i + 1 < p; ++i) a[i] = previous[i] + k * previous[p - 2 - i];
    a.push_back(k);
    model.noise_variance *= 1 - k * k;
  }
  return model;
}

Spectrum ar_psd(const ArModel& model, double rate_hz, std::span<const double> frequencies_hz) {
  if (!(rate_hz > 0) || !std::isfinite(rate_hz)) throw Error("ar_psd: the sampling rate must be positive");
  Spectrum out{{frequencies_hz.begin(), frequencies_hz.end()}, std::vector<double>(frequencies_hz.size())};
  const double nyquist = rate_hz / 2;
  for (std::size_t j = 0; j < frequencies_hz.size(); ++j) {
    const double f = frequencies_hz[j];
    if (!(f >= 0 && f <= nyquist)) throw Error("ar_psd: frequency " + std::to_string(f) + " Hz is outside 0…rate/2");
    // A(z) = 1 + Σ a_k z^{−k} at z = e^{i2πf/rate}, powers by repeated products (orders are small).
    const std::complex<double> step = std::polar(1.0, -2 * std::numbers::pi * f / rate_hz);
    std::complex<double> a = 1.0, power = 1.0;
    for (double coefficient : model.coefficients) {
      power *= step;
      a += coefficient * power;
    }
    const double sides = (f == 0 || f == nyquist) ? 1.0 : 2.0;
    out.power[j] = sides * model.noise_variance / (rate_hz * std::norm(a));
  }
  return out;
}

std::optional<double> band_power(const Spectrum& spectrum, double low_hz, double high_hz) {
  if (spectrum.frequency_hz.size() != spectrum.power.size())
    throw Error("band_power: the spectrum has different numbers of frequencies and powers");
  double area = 0;
  std::size_t points = 0;
  std::optional<std::size_t> previous;
  for (std::size_t k = 0; k < spectrum.frequency_hz.size(); ++k) {
    const double f = spectrum.frequency_hz[k];
    if (!(f >= low_hz && f < high_hz)) continue;
    if (previous)
      area += 0.5 * (spectrum.power[k] + spectrum.power[*previous]) * (f - spectrum.frequency_hz[*previous]);
    previous = k;
    ++points;
  }
  if (points < 2) return std::nullopt;
  return area;
}

}  // namespace medtwin::signal

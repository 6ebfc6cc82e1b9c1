#include "medtwin/cardio/hrv.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <tuple>

#include "medtwin/core/error.hpp"
#include "medtwin/core/stats.hpp"

namespace medtwin::cardio {
namespace {

// ---------------------------------------------------------------- input ---

// No heartbeat pauses for a minute: a longer "interval" is a gap in the
// recording, which every index here would silently misread.
constexpr double longest_interval_ms = 60000;

void check_intervals(std::span<const double> rr_ms, std::size_t minimum, const char* what) {
  if (rr_ms.size() < minimum)
    throw NotEnoughData(std::string(what) + ": needs at least " + std::to_string(minimum) + " RR intervals, got " +
                        std::to_string(rr_ms.size()));
  for (std::size_t i = 0; i < rr_ms.size(); ++i) {
    if (!std::isfinite(rr_ms[i]) || !(rr_ms[i] > 0))
      throw Error(std::string(what) + ": RR interval " + std::to_string(i) + " is " + std::to_string(rr_ms[i]) +
                  " ms; intervals must be finite and positive");
    if (rr_ms[i] > longest_interval_ms)
      throw Error(std::string(what) + ": RR interval " + std::to_string(i) + " is " + std::to_string(rr_ms[i]) +
                  " ms, longer than a minute: a gap in the recording; analyse the parts on either side separately");
  }
}

std::vector<double> successive_differences(std::span<const double> x) {
  std::vector<double> d(x.size() - 1);
  for (std::size_t i = 0; i + 1 < x.size(); ++i) d[i] = x[i + 1] - x[i];
  return d;
}

double sd(std::span<const double> x) { return standard_deviation(x).value(); }

// ---------------------------------------------------------- time domain ---

// SDANN and SDNNI over segments of `minutes` of cumulative interval time.
// An interval belongs to the segment its end falls in; NeuroKit2 0.2.0 drops
// the last interval of each segment.
std::pair<std::optional<double>, std::optional<double>> segment_indices(std::span<const double> rr_ms,
                                                                        double minutes, Compatibility compat) {
  std::vector<double> end_ms(rr_ms.size());
  std::partial_sum(rr_ms.begin(), rr_ms.end(), end_ms.begin());
  const double window_ms = minutes * 60 * 1000;
  const double segments = std::nearbyint(end_ms.back() / window_ms);  // round half to even, as numpy
  if (segments < 3) return {};

  std::vector<double> means, sds;
  std::size_t first = 0;
  for (int k = 0; k < static_cast<int>(segments); ++k) {
    const double stop = (k + 1) * window_ms;
    while (first < end_ms.size() && end_ms[first] < k * window_ms) ++first;
    std::size_t last = first;  // one past the segment's intervals
    while (last < end_ms.size() && end_ms[last] < stop) ++last;
    std::size_t count = last - first;
    if (compat == Compatibility::neurokit2_0_2 && count > 0) --count;
    const auto segment = rr_ms.subspan(first, count);
    if (!segment.empty()) means.push_back(*mean(segment));
    if (const auto s = standard_deviation(segment)) sds.push_back(*s);
  }
  return {standard_deviation(means), mean(sds)};
}

// Histogram with bins [i·w, (i+1)·w) from 0 up to the first edge ≥ the
// longest interval, the last bin closed (numpy.histogram on np.arange edges).
std::vector<double> histogram(std::span<const double> rr_ms, double bin_ms) {
  const double longest = *std::max_element(rr_ms.begin(), rr_ms.end());
  const auto edges = static_cast<std::size_t>(std::ceil((longest + bin_ms) / bin_ms));
  const std::size_t bins = edges - 1;
  std::vector<double> counts(bins, 0.0);
  for (double v : rr_ms) {
    auto i = static_cast<std::size_t>(std::floor(v / bin_ms));
    if (static_cast<double>(i) * bin_ms > v) --i;  // rounding of v / bin: trust the edges
    else if (static_cast<double>(i + 1) * bin_ms <= v) ++i;
    counts[std::min(i, bins - 1)] += 1;
  }
  return counts;
}

// TINN: the triangle q with q(N) = 0, q(X) = Y (X the left edge of the
// fullest bin, Y its count), q(M) = 0, linear between and 0 outside,
// evaluated at the bins' left edges, whose squared difference from the
// histogram is least (Task Force 1996). The error splits into a part that
// depends only on N and one only on M, so each is minimised on its own: O(B²).
double tinn(std::span<const double> rr_ms, const std::vector<double>& counts, double bin_ms, Compatibility compat) {
  const auto peak = static_cast<std::size_t>(std::max_element(counts.begin(), counts.end()) - counts.begin());
  const double height = counts[peak];
  const double shortest = *std::min_element(rr_ms.begin(), rr_ms.end());
  const double longest = *std::max_element(rr_ms.begin(), rr_ms.end());
  const bool nk = compat == Compatibility::neurokit2_0_2;
  auto edge = [&](std::size_t i) { return static_cast<double>(i) * bin_ms; };

  // Left side: bins [n, peak) against the rising edge (and, standard, bins
  // below n against 0). Right side: bins (peak, m] against the falling edge
  // (and bins above m against 0).
  auto left_error = [&](std::size_t n) {
    double e = 0;
    for (std::size_t i = nk ? n : 0; i < peak; ++i) {
      const double q = i < n ? 0 : height * (edge(i) - edge(n)) / (edge(peak) - edge(n));
      e += (counts[i] - q) * (counts[i] - q);
    }
    return e;
  };
  auto right_error = [&](std::size_t m) {
    double e = 0;
    for (std::size_t i = peak + 1; i < (nk ? m + 1 : counts.size()); ++i) {
      const double q = i > m ? 0 : height * (edge(m) - edge(i)) / (edge(m) - edge(peak));
      e += (counts[i] - q) * (counts[i] - q);
    }
    return e;
  };

  // Candidates for N: edges below the peak — in NeuroKit2 only the first
  // edge above the shortest interval. For M: edges above the peak, below the
  // longest interval in NeuroKit2, up to the last edge otherwise.
  std::vector<std::size_t> n_candidates, m_candidates;
  for (std::size_t i = 0; i < peak; ++i)
    if (!nk || edge(i) > shortest) {
      n_candidates.push_back(i);
      if (nk) break;
    }
  for (std::size_t i = peak + 1; i <= counts.size(); ++i)
    if (!nk || edge(i) < longest) m_candidates.push_back(i);
  if (n_candidates.empty() || m_candidates.empty()) return 0;  // all intervals in one bin, or at one edge

  double best_left = std::numeric_limits<double>::infinity(), best_right = best_left;
  std::size_t n_best = 0, m_best = 0;
  for (auto n : n_candidates)
    if (const double e = left_error(n); e < best_left) best_left = e, n_best = n;
  for (auto m : m_candidates)
    if (const double e = right_error(m); e < best_right) best_right = e, m_best = m;
  if (nk && !(best_left + best_right < 16384)) return 0;  // NeuroKit2's starting "minimum" error, 2¹⁴
  return edge(m_best) - edge(n_best);
}

// ----------------------------------------------------- frequency domain ---

// NeuroKit2's Welch geometry for N samples at `rate`: lowest frequency
// 4·rate/N (two cycles per segment of half the record), segments of
// int(2 / f_min · rate) samples capped at N/2, FFT twice as long. The
// floating-point expressions are NeuroKit2's, so the segment count (scipy's
// (N − overlap) div step) comes out the same.
struct SpectralGrid {
  double min_frequency_hz;
  std::size_t segment_length;
};

SpectralGrid spectral_grid(std::size_t n, double rate) {
  const double half = static_cast<double>(n) / 2;
  const double min_frequency = (2 * rate) / half;
  auto segment = static_cast<std::size_t>((2 / min_frequency) * rate);
  if (static_cast<double>(segment) > half) segment = static_cast<std::size_t>(half);
  return {min_frequency, segment};
}

// 10⁸ resampled points (0.8 GB per copy): a week at 165 Hz, far beyond any
// sensible spectral grid for HRV.
constexpr double max_grid_samples = 1e8;

double resample_rate(const RrSeries& rr, const FrequencyOptions& options) {
  if (options.resample_hz > 0) return options.resample_hz;
  if (rr.clock_hz > 0) return std::max(rr.clock_hz, 10.0);  // NeuroKit2 _hrv_get_rri: at least 10 Hz
  return 4.0;  // Tarvainen et al. 2014 (Kubios HRV)
}

void check_series(const RrSeries& rr) {
  check_intervals(rr.rr_ms, 3, "hrv_frequency");
  if (std::all_of(rr.rr_ms.begin(), rr.rr_ms.end(), [&](double v) { return v == rr.rr_ms.front(); }))
    throw Error("hrv_frequency: all RR intervals are equal; there is no variability to analyse");
  if (rr.beat_time_s.size() != rr.rr_ms.size() + 1)
    throw Error("hrv_frequency: " + std::to_string(rr.rr_ms.size()) + " intervals need " +
                std::to_string(rr.rr_ms.size() + 1) + " beat times, got " + std::to_string(rr.beat_time_s.size()));
  for (std::size_t i = 1; i < rr.beat_time_s.size(); ++i)
    if (!std::isfinite(rr.beat_time_s[i]) || !(rr.beat_time_s[i] > rr.beat_time_s[i - 1]))
      throw Error("hrv_frequency: beat times must be finite and increase strictly (beat " + std::to_string(i) + ")");
  if (!(rr.beat_time_s.front() >= 0)) throw Error("hrv_frequency: beat times start before the recording");
  for (std::size_t i = 0; i < rr.rr_ms.size(); ++i) {
    const double between_ms = (rr.beat_time_s[i + 1] - rr.beat_time_s[i]) * 1000;
    if (std::abs(between_ms - rr.rr_ms[i]) > 1e-6 * rr.rr_ms[i])
      throw Error("hrv_frequency: RR interval " + std::to_string(i) + " (" + std::to_string(rr.rr_ms[i]) +
                  " ms) disagrees with its beat times (" + std::to_string(between_ms) + " ms apart)");
  }
}

// The PSD and its lowest usable frequency.
std::pair<signal::Spectrum, double> hrv_spectrum(const RrSeries& rr, const FrequencyOptions& options,
                                                 double top_hz) {
  const auto beat_end = std::span(rr.beat_time_s).subspan(1);  // each interval sits at the beat that ends it
  if (options.method == PsdMethod::lomb_scargle) {
    const double span = beat_end.back() - beat_end.front();
    return {signal::lomb_scargle_psd(beat_end, rr.rr_ms, {top_hz, options.lomb_oversampling}), 4 / span};
  }

  // NeuroKit2: the intervals interpolated on the grid k / rate from the
  // start of the recording to the last beat (held constant before the first
  // interval), then the mean removed.
  const double rate = resample_rate(rr, options);
  const double samples = std::nearbyint(rr.beat_time_s.back() * rate);
  if (samples > max_grid_samples)
    throw Error("hrv_frequency: resampling " + std::to_string(rr.beat_time_s.back()) + " s at " +
                std::to_string(rate) + " Hz gives " + std::to_string(samples) +
                " points; pass a lower resample_hz (4 Hz is usual for long recordings)");
  const auto n = static_cast<std::size_t>(samples);
  auto x = signal::resample_regular(beat_end, rr.rr_ms, 0.0, rate, n, options.interpolation);
  const double average = *mean(x);
  for (double& v : x) v -= average;

  const auto grid = spectral_grid(n, rate);
  if (grid.segment_length < 2)
    throw NotEnoughData("hrv_frequency: " + std::to_string(n) + " resampled points are too few for a spectrum");
  const std::size_t fft_length = 2 * grid.segment_length;
  if (options.method == PsdMethod::welch) {
    return {signal::welch_psd(x, rate,
                              {.segment_length = grid.segment_length,
                               .overlap = std::nullopt,
                               .fft_length = fft_length,
                               .detrend = signal::Detrend::none}),
            grid.min_frequency_hz};
  }
  std::vector<double> frequencies(fft_length / 2 + 1);
  for (std::size_t k = 0; k < frequencies.size(); ++k)
    frequencies[k] = static_cast<double>(k) * (1.0 / (static_cast<double>(fft_length) * (1.0 / rate)));
  auto spectrum = signal::ar_psd(signal::burg_ar(x, options.burg_order), rate, frequencies);
  if (options.compatibility == Compatibility::neurokit2_0_2)
    for (double& p : spectrum.power) p *= 2;
  return {std::move(spectrum), grid.min_frequency_hz};
}

signal::Spectrum between(const signal::Spectrum& s, double low_hz, double high_hz) {
  signal::Spectrum out;
  for (std::size_t k = 0; k < s.frequency_hz.size(); ++k)
    if (s.frequency_hz[k] >= low_hz && s.frequency_hz[k] <= high_hz) {
      out.frequency_hz.push_back(s.frequency_hz[k]);
      out.power.push_back(s.power[k]);
    }
  return out;
}

// ------------------------------------------------------------ nonlinear ---

// Template matches under the Chebyshev distance ≤ r, found by sorting the
// templates on their first value so that only pairs within r of it are
// compared: O(n log n + pairs within r).
struct Matches {
  std::vector<double> m_counts;   // per m-point template (n − m + 1 of them), self included
  std::vector<double> m1_counts;  // per (m+1)-point template (n − m), self included
  double m_pairs = 0;             // pairs i < j < n − m matching over m points
  double m1_pairs = 0;            // … and over m + 1 points
};

Matches count_matches(std::span<const double> x, int m, double r) {
  const std::size_t n = x.size(), dim = static_cast<std::size_t>(m);
  const std::size_t templates = n - dim + 1, long_templates = n - dim;
  Matches out{std::vector<double>(templates, 1.0), std::vector<double>(long_templates, 1.0), 0, 0};
  std::vector<std::size_t> order(templates);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  for (std::size_t p = 0; p < templates; ++p) {
    const std::size_t i = order[p];
    for (std::size_t q = p + 1; q < templates && x[order[q]] - x[i] <= r; ++q) {
      const std::size_t j = order[q];
      bool match = true;
      for (std::size_t k = 1; k < dim && match; ++k) match = std::abs(x[i + k] - x[j + k]) <= r;
      if (!match) continue;
      out.m_counts[i] += 1, out.m_counts[j] += 1;
      if (i >= long_templates || j >= long_templates) continue;
      out.m_pairs += 1;
      if (std::abs(x[i + dim] - x[j + dim]) <= r) {
        out.m1_counts[i] += 1, out.m1_counts[j] += 1;
        out.m1_pairs += 1;
      }
    }
  }
  return out;
}

void check_entropy_input(std::span<const double> x, int m, double r, const char* what) {
  if (m < 1) throw Error(std::string(what) + ": the dimension m must be at least 1");
  if (!(r >= 0) || !std::isfinite(r)) throw Error(std::string(what) + ": the tolerance r must be finite and ≥ 0");
  if (x.size() < static_cast<std::size_t>(m) + 2)
    throw NotEnoughData(std::string(what) + ": needs at least m + 2 = " + std::to_string(m + 2) + " values, got " +
                        std::to_string(x.size()));
  for (double v : x)
    if (!std::isfinite(v)) throw Error(std::string(what) + ": the series has a non-finite value");
}

// The profile's prefix sums Σ y, Σ j·y, Σ y² in extended precision: the
// residual of a window's line fit is a difference of these large sums.
struct Profile {
  std::vector<long double> s0, s1, s2;
};

Profile profile_sums(std::span<const double> x) {
  const double average = *mean(x);
  Profile p{std::vector<long double>(x.size() + 1, 0), std::vector<long double>(x.size() + 1, 0),
            std::vector<long double>(x.size() + 1, 0)};
  long double y = 0;
  for (std::size_t j = 0; j < x.size(); ++j) {
    y += static_cast<long double>(x[j]) - average;
    p.s0[j + 1] = p.s0[j] + y;
    p.s1[j + 1] = p.s1[j] + static_cast<long double>(j) * y;
    p.s2[j + 1] = p.s2[j] + y * y;
  }
  return p;
}

// F(s): RMS over windows [a, a + s), a = 0, s/2, … < n − s, of the residual
// of the least-squares line through the profile (NeuroKit2's overlapping
// windows, fractal_dfa.py).
double fluctuation(const Profile& p, std::size_t n, std::size_t s) {
  const auto len = static_cast<long double>(s);
  const long double sxx = len * (len * len - 1) / 12;  // Σ (x − x̄)² for x = 0 … s−1
  long double total = 0;
  std::size_t windows = 0;
  for (std::size_t a = 0; a < n - s; a += s / 2, ++windows) {
    const long double sy = p.s0[a + s] - p.s0[a];
    const long double sxy = (p.s1[a + s] - p.s1[a]) - static_cast<long double>(a) * sy;  // Σ (j − a)·y
    const long double cxy = sxy - (len - 1) / 2 * sy;
    const long double cyy = (p.s2[a + s] - p.s2[a]) - sy * sy / len;
    total += std::max(0.0L, cyy - cxy * cxy / sxx) / len;
  }
  return std::sqrt(static_cast<double>(total / static_cast<long double>(windows)));
}

// Least-squares slope of y on x.
double slope(std::span<const double> x, std::span<const double> y) {
  const double mx = *mean(x), my = *mean(y);
  double sxy = 0, sxx = 0;
  for (std::size_t i = 0; i < x.size(); ++i) sxy += (x[i] - mx) * (y[i] - my), sxx += (x[i] - mx) * (x[i] - mx);
  return sxy / sxx;
}

std::vector<int> scale_range(int low, int high) {
  std::vector<int> s;
  for (int v = low; v <= high; ++v) s.push_back(v);
  return s;
}

// ApEn and SampEn averaged over ⌈n / max⌉ equal consecutive segments, each with r = k·SD.
std::pair<double, std::optional<double>> segmented_entropies(std::span<const double> rr_ms,
                                                             const NonlinearOptions& o) {
  const std::size_t n = rr_ms.size();
  const std::size_t parts = (n + o.entropy_max_beats - 1) / o.entropy_max_beats;
  double apen = 0, sampen = 0;
  std::size_t sampen_parts = 0;
  for (std::size_t k = 0; k < parts; ++k) {
    const auto part = rr_ms.subspan(k * n / parts, (k + 1) * n / parts - k * n / parts);
    const double r = o.entropy_tolerance_sd * sd(part);
    apen += approximate_entropy(part, o.entropy_dimension, r);
    if (const auto s = sample_entropy(part, o.entropy_dimension, r)) sampen += *s, ++sampen_parts;
  }
  if (sampen_parts == 0) return {apen / static_cast<double>(parts), std::nullopt};
  return {apen / static_cast<double>(parts), sampen / static_cast<double>(sampen_parts)};
}

}  // namespace

// ---------------------------------------------------------------- input ---

RrSeries rr_from_peaks(std::span<const std::int64_t> peaks, double rate_hz) {
  if (!(rate_hz > 0) || !std::isfinite(rate_hz)) throw Error("rr_from_peaks: the sampling rate must be positive");
  if (peaks.size() < 2)
    throw NotEnoughData("rr_from_peaks: needs at least 2 peaks, got " + std::to_string(peaks.size()));
  RrSeries out;
  out.clock_hz = rate_hz;
  for (std::size_t i = 0; i < peaks.size(); ++i) {
    if (peaks[i] < 0) throw Error("rr_from_peaks: peak " + std::to_string(i) + " has a negative sample index");
    if (i > 0 && peaks[i] <= peaks[i - 1])
      throw Error("rr_from_peaks: peaks must increase strictly (peak " + std::to_string(i) + " at sample " +
                  std::to_string(peaks[i]) + " follows " + std::to_string(peaks[i - 1]) + ")");
    out.beat_time_s.push_back(static_cast<double>(peaks[i]) / rate_hz);
    if (i > 0) out.rr_ms.push_back(static_cast<double>(peaks[i] - peaks[i - 1]) / rate_hz * 1000);
  }
  return out;
}

NnSeries nn_from_peaks(std::span<const std::int64_t> peaks, double rate_hz, const std::vector<bool>& normal) {
  if (normal.size() != peaks.size())
    throw Error("nn_from_peaks: " + std::to_string(normal.size()) + " beat flags for " + std::to_string(peaks.size()) +
                " peaks");
  NnSeries out{rr_from_peaks(peaks, rate_hz), 0};
  std::vector<double>& rr = out.rr.rr_ms;
  std::vector<std::size_t> kept;  // indices of normal-to-normal intervals
  for (std::size_t i = 0; i < rr.size(); ++i)
    if (normal[i] && normal[i + 1] && rr[i] <= kMaxNormalRrMs) kept.push_back(i);
  if (kept.size() < 2)
    throw NotEnoughData("nn_from_peaks: needs at least 2 normal-to-normal intervals, got " +
                        std::to_string(kept.size()));
  std::size_t next = 0;  // first kept index at or after i
  for (std::size_t i = 0; i < rr.size(); ++i) {
    while (next < kept.size() && kept[next] < i) ++next;
    if (next < kept.size() && kept[next] == i) continue;
    ++out.replaced;
    if (next == 0) {
      rr[i] = rr[kept.front()];
    } else if (next == kept.size()) {
      rr[i] = rr[kept.back()];
    } else {
      const std::size_t a = kept[next - 1], b = kept[next];
      const double w = static_cast<double>(i - a) / static_cast<double>(b - a);
      rr[i] = (1 - w) * rr[a] + w * rr[b];
    }
  }
  for (std::size_t i = 0; i < rr.size(); ++i) out.rr.beat_time_s[i + 1] = out.rr.beat_time_s[i] + rr[i] / 1000;
  return out;
}

RrSeries rr_from_intervals(std::span<const double> rr_ms) {
  check_intervals(rr_ms, 1, "rr_from_intervals");
  RrSeries out;
  out.rr_ms.assign(rr_ms.begin(), rr_ms.end());
  out.beat_time_s.push_back(0);
  for (double v : rr_ms) out.beat_time_s.push_back(out.beat_time_s.back() + v / 1000);
  return out;
}

// ---------------------------------------------------------- time domain ---

TimeDomain hrv_time(std::span<const double> rr_ms, const TimeDomainOptions& options) {
  check_intervals(rr_ms, 3, "hrv_time");
  if (!(options.histogram_bin_ms > 0)) throw Error("hrv_time: the histogram bin must be positive");
  const auto diff = successive_differences(rr_ms);
  const auto n = static_cast<double>(rr_ms.size());

  TimeDomain t;
  t.mean_nn = *mean(rr_ms);
  t.sdnn = sd(rr_ms);
  std::tie(t.sdann1, t.sdnni1) = segment_indices(rr_ms, 1, options.compatibility);
  std::tie(t.sdann2, t.sdnni2) = segment_indices(rr_ms, 2, options.compatibility);
  std::tie(t.sdann5, t.sdnni5) = segment_indices(rr_ms, 5, options.compatibility);

  double squares = 0;
  for (double d : diff) squares += d * d;
  t.rmssd = std::sqrt(squares / static_cast<double>(diff.size()));
  t.sdsd = sd(diff);
  t.cvnn = t.sdnn / t.mean_nn;
  t.cvsd = t.rmssd / t.mean_nn;

  // Sorted once: the quantile functions sort their copy again, which is
  // cheap on sorted input.
  std::vector<double> sorted(rr_ms.begin(), rr_ms.end());
  std::sort(sorted.begin(), sorted.end());
  t.median_nn = *median(sorted);
  t.mad_nn = mad_to_sd * *median_absolute_deviation(sorted);
  t.mcvnn = t.mad_nn / t.median_nn;
  t.iqr_nn = *quantile(sorted, 0.75) - *quantile(sorted, 0.25);
  t.prc20_nn = *quantile(sorted, 0.2);
  t.prc80_nn = *quantile(sorted, 0.8);

  // pNNx out of the number of intervals, not of differences (NeuroKit2's convention).
  const auto over = [&](double limit) {
    return static_cast<double>(std::count_if(diff.begin(), diff.end(), [&](double d) { return std::abs(d) > limit; }));
  };
  t.pnn50 = over(50) / n * 100;
  t.pnn20 = over(20) / n * 100;
  t.min_nn = sorted.front();
  t.max_nn = sorted.back();

  const auto counts = histogram(rr_ms, options.histogram_bin_ms);
  t.hti = n / *std::max_element(counts.begin(), counts.end());
  t.tinn = tinn(rr_ms, counts, options.histogram_bin_ms, options.compatibility);
  return t;
}

// ----------------------------------------------------- frequency domain ---

FrequencyDomain hrv_frequency(const RrSeries& rr, const FrequencyOptions& options) {
  check_series(rr);
  const auto& b = options.bands;
  const std::array<Band, 5> bands = {b.ulf, b.vlf, b.lf, b.hf, b.vhf};
  double top = 0;
  for (const auto& band : bands) {
    if (!(band.low_hz >= 0 && band.high_hz > band.low_hz)) throw Error("hrv_frequency: a band has low ≥ high");
    top = std::max(top, band.high_hz);
  }

  auto [spectrum, min_frequency] = hrv_spectrum(rr, options, top);
  if (options.normalize) {
    const double peak = *std::max_element(spectrum.power.begin(), spectrum.power.end());
    if (!(peak > 0)) throw Error("hrv_frequency: the spectrum is zero; cannot normalise");
    for (double& p : spectrum.power) p /= peak;
  }

  FrequencyDomain out;
  out.spectrum = between(spectrum, min_frequency, top);
  std::array<std::optional<double>*, 5> fields = {&out.ulf, &out.vlf, &out.lf, &out.hf, &out.vhf};
  double total = 0;
  bool any = false;
  for (std::size_t i = 0; i < bands.size(); ++i) {
    *fields[i] = signal::band_power(out.spectrum, bands[i].low_hz, bands[i].high_hz);
    if (*fields[i]) total += **fields[i], any = true;
  }
  if (!any)
    throw NotEnoughData("hrv_frequency: the recording is too short for any band (lowest resolvable frequency " +
                        std::to_string(min_frequency) + " Hz)");
  if (out.lf && out.hf && *out.hf > 0) out.lf_hf = *out.lf / *out.hf;
  if (total > 0) {
    if (out.lf) out.lfn = *out.lf / total;
    if (out.hf) out.hfn = *out.hf / total;
  }
  if (out.hf && *out.hf > 0) out.ln_hf = std::log(*out.hf);
  return out;
}

// ------------------------------------------------------------ nonlinear ---

double approximate_entropy(std::span<const double> x, int m, double r) {
  check_entropy_input(x, m, r, "approximate_entropy");
  const auto matches = count_matches(x, m, r);
  auto phi = [](const std::vector<double>& counts) {
    double sum = 0;
    for (double c : counts) sum += std::log(c / static_cast<double>(counts.size()));
    return sum / static_cast<double>(counts.size());
  };
  return std::abs(phi(matches.m_counts) - phi(matches.m1_counts));
}

std::optional<double> sample_entropy(std::span<const double> x, int m, double r) {
  check_entropy_input(x, m, r, "sample_entropy");
  const auto matches = count_matches(x, m, r);
  if (matches.m_pairs == 0 || matches.m1_pairs == 0) return std::nullopt;
  return -std::log(matches.m1_pairs / matches.m_pairs);
}

double dfa_alpha(std::span<const double> x, std::span<const int> scales) {
  if (scales.size() < 2) throw Error("dfa_alpha: needs at least two scales");
  for (double v : x)
    if (!std::isfinite(v)) throw Error("dfa_alpha: the series has a non-finite value");
  for (int s : scales)
    if (s < 3 || static_cast<std::size_t>(s) >= x.size())
      throw NotEnoughData("dfa_alpha: scale " + std::to_string(s) + " needs 3 ≤ s < n = " + std::to_string(x.size()));
  const auto profile = profile_sums(x);
  std::vector<double> log_s, log_f;
  for (int s : scales) {
    const double f = fluctuation(profile, x.size(), static_cast<std::size_t>(s));
    if (!(f > 0))
      throw Error("dfa_alpha: no fluctuation at scale " + std::to_string(s) + " (a constant or linear series)");
    log_s.push_back(std::log2(s));
    log_f.push_back(std::log2(f));
  }
  return slope(log_s, log_f);
}

Nonlinear hrv_nonlinear(std::span<const double> rr_ms, const NonlinearOptions& options) {
  check_intervals(rr_ms, 3, "hrv_nonlinear");
  // Segments hold at least half of entropy_max_beats values: enough for m + 2.
  if (options.entropy_dimension < 1 ||
      options.entropy_max_beats < 2 * (static_cast<std::size_t>(options.entropy_dimension) + 2))
    throw Error("hrv_nonlinear: entropy_max_beats must be at least 2 · (entropy_dimension + 2)");

  // Poincaré plot: the spread across and along the line of identity.
  Nonlinear out;
  std::vector<double> across(rr_ms.size() - 1), along(rr_ms.size() - 1);
  for (std::size_t i = 0; i + 1 < rr_ms.size(); ++i) {
    across[i] = (rr_ms[i] - rr_ms[i + 1]) / std::sqrt(2.0);
    along[i] = (rr_ms[i] + rr_ms[i + 1]) / std::sqrt(2.0);
  }
  out.sd1 = sd(across);
  out.sd2 = sd(along);
  if (!(out.sd2 > 0)) throw Error("hrv_nonlinear: all RR intervals are equal; the nonlinear indices are undefined");
  out.sd1_sd2 = out.sd1 / out.sd2;

  std::tie(out.apen, out.sampen) = segmented_entropies(rr_ms, options);

  const int n = static_cast<int>(rr_ms.size());
  if (n > options.dfa_short_max)
    out.dfa_alpha1 = dfa_alpha(rr_ms, scale_range(options.dfa_short_min, options.dfa_short_max));
  const int long_max = (n + 1) / 10;  // NeuroKit2: a tenth of the number of beats
  if (long_max >= options.dfa_long_min + 1) out.dfa_alpha2 = dfa_alpha(rr_ms, scale_range(options.dfa_long_min, long_max));
  return out;
}

// ------------------------------------------------------------------ all ---

Hrv hrv(const RrSeries& rr, const HrvOptions& options) {
  return {hrv_time(rr.rr_ms, options.time), hrv_frequency(rr, options.frequency),
          hrv_nonlinear(rr.rr_ms, options.nonlinear)};
}

}  // namespace medtwin::cardio

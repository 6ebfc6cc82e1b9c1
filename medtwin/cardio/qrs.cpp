#include "medtwin/cardio/qrs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "medtwin/cardio/cycles.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/core/stats.hpp"
#include "medtwin/signal/filter.hpp"

namespace medtwin::cardio {
namespace {

using std::int64_t;

constexpr int history = 8;               // beats in the running medians, Hamilton & Tompkins 1986
constexpr double segment_s = 300;        // s, the signal is processed in segments this long (bounded memory) …
constexpr double margin_s = 10;          // s, … each with this much signal either side (filters and levels settle)
constexpr double feature_rate_hz = 100;  // Hz, the feature is computed at rate/⌊rate/100⌋ (100–200 Hz)
constexpr std::ptrdiff_t median_stride =
    4;  // samples; the integrated feature is smooth, so every 4th suffices for block medians

// One lead's QRS feature.
struct LeadFeature {
  std::vector<double> slope;   // five-point derivative of the band-passed lead (Pan & Tompkins 1985), mV/s
  std::vector<double> energy;  // RMS of the slope over the integration window, mV/s
};

// Per block: the lead's QRS level (mV/s) and quality index (dimensionless).
struct LeadQuality {
  std::vector<double> level, quality, snr;
};

struct Peak {
  int64_t at;
  double height;
};

// The last `history` values of a series, and their quantiles; no allocation.
class Recent {
 public:
  explicit Recent(double first) { push(first); }
  void push(double v) {
    values_[std::size_t(next_)] = v;
    next_ = (next_ + 1) % history;
    count_ = std::min(count_ + 1, history);
  }
  double quantile(double q) const {
    std::array<double, history> v = values_;
    auto k = std::ptrdiff_t(q * (count_ - 1) + 0.5);
    std::nth_element(v.begin(), v.begin() + k, v.begin() + count_);
    return v[std::size_t(k)];
  }

 private:
  std::array<double, history> values_{};
  int next_ = 0, count_ = 0;
};

// The values of a window sliding over a series, kept sorted: insert and erase
// cost O(window), quantiles O(1). Holds ~11 values here.
class SortedWindow {
 public:
  void insert(double v) { values_.insert(std::upper_bound(values_.begin(), values_.end(), v), v); }
  void erase(double v) { values_.erase(std::lower_bound(values_.begin(), values_.end(), v)); }
  double quantile(double q) const { return values_[std::size_t(q * double(values_.size() - 1) + 0.5)]; }

 private:
  std::vector<double> values_;
};

// The feature of each lead; the leads are band-passed together (interleaved recursions).
std::vector<LeadFeature> lead_features(const std::vector<std::vector<double>>& leads, double rate, const QrsParams& p) {
  const std::vector<std::vector<double>> band =  // band-passed ECG, mV
      signal::sos_filtfilt(signal::butterworth_bandpass(p.band_order, p.band_low_hz, p.band_high_hz, rate),
                           std::vector<std::span<const double>>(leads.begin(), leads.end()));
  const auto width = std::max<std::size_t>(1, std::size_t(std::lround(p.integration_s * rate)));
  std::vector<LeadFeature> features;
  std::vector<double> squared;
  for (const std::vector<double>& b : band) {
    LeadFeature f;
    const std::size_t n = b.size();
    f.slope.assign(n, 0.0);
    for (std::size_t i = 2; i + 2 < n; ++i) f.slope[i] = (2 * (b[i + 1] - b[i - 1]) + b[i + 2] - b[i - 2]) * rate / 8;
    squared.resize(n);
    for (std::size_t i = 0; i < n; ++i) squared[i] = f.slope[i] * f.slope[i];
    f.energy = signal::moving_average(squared, width);
    for (double& e : f.energy) e = std::sqrt(e);
    features.push_back(std::move(f));
  }
  return features;
}

// Level = median of the block maxima over ±level_blocks (most blocks of a
// second hold a QRS, so the median is a typical QRS height, robust to ectopic
// beats and artefacts). Quality = (level / median block median) ×
// (level / 80th percentile of the block maxima)⁴: the first ratio is a
// QRS-to-background ratio, the second is near 1 when the maxima are steady
// beats and small when bursts of noise tower over them.
LeadQuality lead_quality(const std::vector<double>& energy, int64_t block, const QrsParams& p) {
  const int64_t n = std::ssize(energy), blocks = (n + block - 1) / block;
  std::vector<double> maxima(static_cast<std::size_t>(blocks)), medians(static_cast<std::size_t>(blocks)), scratch;
  for (int64_t b = 0; b < blocks; ++b) {
    auto first = energy.begin() + b * block, last = energy.begin() + std::min(n, (b + 1) * block);
    maxima[std::size_t(b)] = *std::max_element(first, last);
    scratch.clear();
    for (auto it = first; it < last; it += std::min<std::ptrdiff_t>(median_stride, last - it)) scratch.push_back(*it);
    medians[std::size_t(b)] = select_in_place(scratch, 0.5);
  }
  LeadQuality q{std::vector<double>(std::size_t(blocks)), std::vector<double>(std::size_t(blocks)),
                std::vector<double>(std::size_t(blocks))};
  SortedWindow window_maxima, window_medians;
  for (int64_t b = 0, lo = 0, hi = 0; b < blocks; ++b) {
    for (; hi < std::min(blocks, b + p.level_blocks + 1); ++hi) {
      window_maxima.insert(maxima[std::size_t(hi)]);
      window_medians.insert(medians[std::size_t(hi)]);
    }
    for (; lo < b - p.level_blocks; ++lo) {
      window_maxima.erase(maxima[std::size_t(lo)]);
      window_medians.erase(medians[std::size_t(lo)]);
    }
    double level = window_maxima.quantile(0.5), high = window_maxima.quantile(0.8);
    double background = window_medians.quantile(0.5);
    if (!(level > p.min_level)) continue;  // flat or disconnected: level and quality stay 0
    q.level[std::size_t(b)] = level;
    q.snr[std::size_t(b)] = level / std::max(background, 1e-9);
    q.quality[std::size_t(b)] = q.snr[std::size_t(b)] * std::pow(level / high, 4);
  }
  return q;
}

// The fused feature: Σ weight × energy / level over the leads, weights the
// leads' shares of the quality, interpolated linearly between block centres so
// the gain never jumps. Blocks where no lead's QRS-to-background ratio reaches
// min_snr (pure noise, flat lines) get weight 0: no beats there.
struct Fused {
  std::vector<double> height, slope;  // in units of the local QRS level
  std::vector<double> quality;        // per block: the best lead's
  std::vector<int> best_lead;         // per block
};

Fused fuse(const std::vector<LeadFeature>& leads, const std::vector<LeadQuality>& qualities, int64_t block,
           const QrsParams& p) {
  const int64_t n = std::ssize(leads[0].energy), blocks = std::ssize(qualities[0].level);
  Fused f{std::vector<double>(std::size_t(n), 0.0), std::vector<double>(std::size_t(n), 0.0),
          std::vector<double>(std::size_t(blocks), 0.0), std::vector<int>(std::size_t(blocks), 0)};
  std::vector<std::vector<double>> gain(leads.size(), std::vector<double>(std::size_t(blocks), 0.0));
  for (int64_t b = 0; b < blocks; ++b) {
    double total = 0, snr = 0;
    for (std::size_t l = 0; l < leads.size(); ++l) {
      snr = std::max(snr, qualities[l].snr[std::size_t(b)]);
      double q = qualities[l].quality[std::size_t(b)];
      total += q;
      if (q > f.quality[std::size_t(b)]) {
        f.quality[std::size_t(b)] = q;
        f.best_lead[std::size_t(b)] = int(l);
      }
    }
    if (snr < p.min_snr) continue;
    for (std::size_t l = 0; l < leads.size(); ++l)
      if (qualities[l].level[std::size_t(b)] > 0)
        gain[l][std::size_t(b)] = qualities[l].quality[std::size_t(b)] / total / qualities[l].level[std::size_t(b)];
  }
  auto centre = [&](int64_t b) { return (double(b) + 0.5) * double(block) - 0.5; };  // of block b, in samples
  for (std::size_t l = 0; l < leads.size(); ++l) {
    const auto& g = gain[l];
    const auto& energy = leads[l].energy;
    const auto& slope = leads[l].slope;
    int64_t i = 0;
    for (int64_t b = 0; b < blocks; ++b) {
      // From block b's centre to the next one's the gain runs linearly; before the first and after the last it is flat.
      const int64_t end = b + 1 < blocks ? std::min(n, int64_t(std::ceil(centre(b + 1)))) : n;
      const double c = centre(b), g0 = g[std::size_t(b)];
      const double rise = b + 1 < blocks ? (g[std::size_t(b + 1)] - g0) / double(block) : 0;
      for (; i < end; ++i) {
        double k = double(i) <= c ? g0 : g0 + (double(i) - c) * rise;
        f.height[std::size_t(i)] += k * energy[std::size_t(i)];
        f.slope[std::size_t(i)] += k * std::abs(slope[std::size_t(i)]);
      }
    }
  }
  return f;
}

// Local maxima that are the largest within ±halfwidth (Hamilton 2002 rule 1).
std::vector<Peak> dominant_peaks(const std::vector<double>& x, int64_t halfwidth) {
  std::vector<Peak> out;
  const int64_t n = std::ssize(x);
  for (int64_t i = 1; i + 1 < n; ++i) {
    if (!(x[std::size_t(i)] > x[std::size_t(i - 1)] && x[std::size_t(i)] >= x[std::size_t(i + 1)])) continue;
    Peak c{i, x[std::size_t(i)]};
    while (!out.empty() && c.at - out.back().at <= halfwidth && out.back().height < c.height) out.pop_back();
    if (out.empty() || c.at - out.back().at > halfwidth) out.push_back(c);
  }
  return out;
}

double max_in(const std::vector<double>& x, int64_t from, int64_t to) {
  from = std::max<int64_t>(0, from);
  to = std::min<int64_t>(std::ssize(x), to);
  double m = 0;
  for (int64_t i = from; i < to; ++i) m = std::max(m, x[std::size_t(i)]);
  return m;
}

struct Detection {
  Peak peak;
  double qrs_level;  // median height of the recent QRS peaks when it was accepted
};

// Hamilton & Tompkins 1986 / Hamilton 2002 decision rules on the fused feature.
std::vector<Detection> decide(const Fused& f, double rate, const QrsParams& p) {
  const std::vector<Peak> peaks = dominant_peaks(f.height, std::lround(p.dominance_s * rate));
  const int64_t refractory = std::lround(p.refractory_s * rate), t_wave = std::lround(p.t_wave_window_s * rate);
  const int64_t searchback_min = std::lround(p.searchback_min_s * rate), slope_half = std::lround(0.075 * rate);
  // The fused feature is in units of the QRS level, so both running levels start known.
  Recent qrs_heights(1.0), noise_heights(0.0), rr(rate);
  std::vector<Detection> beats;
  double last_slope = 0;
  // Medians and the search-back limit change only when a peak is filed: kept, not recomputed per peak.
  double qrs_level = 1, threshold = p.threshold_fraction;
  int64_t limit = std::lround(p.searchback_rr * rate);
  auto update_threshold = [&] {
    double noise = noise_heights.quantile(0.5);
    qrs_level = qrs_heights.quantile(0.5);
    threshold = noise + p.threshold_fraction * (qrs_level - noise);
  };
  auto accept = [&](const Peak& c) {
    if (!beats.empty()) {
      rr.push(double(c.at - beats.back().peak.at));
      limit = std::lround(p.searchback_rr * rr.quantile(p.searchback_rr_quantile));
    }
    beats.push_back({c, qrs_level});
    qrs_heights.push(c.height);
    update_threshold();
    last_slope = max_in(f.slope, c.at - slope_half, c.at + slope_half);
  };
  std::size_t unsearched = 0;  // peaks before this one are behind the last beat or already searched
  for (std::size_t k = 0; k < peaks.size(); ++k) {
    const Peak& c = peaks[k];
    if (!beats.empty()) {
      // Search-back: no beat for searchback_rr intervals → the largest earlier peak above half the threshold.
      const int64_t last = beats.back().peak.at;
      if (c.at - last > limit) {
        const Peak* best = nullptr;
        const double low_threshold = p.searchback_fraction * threshold;
        for (std::size_t j = unsearched; j < k; ++j) {
          const Peak& b = peaks[j];
          if (b.at - last < searchback_min) continue;
          if (b.height > low_threshold && (!best || b.height > best->height)) best = &b;
        }
        if (best) {
          accept(*best);
          unsearched = std::size_t(best - peaks.data()) + 1;
        }
      }
    }
    const bool is_qrs = [&] {
      if (c.height <= threshold) return false;
      if (beats.empty()) return true;
      const int64_t since = c.at - beats.back().peak.at;
      if (since < refractory) return false;
      // A T wave: soon after a beat, and less than half its steepness (Pan & Tompkins 1985).
      return since >= t_wave ||
             max_in(f.slope, c.at - slope_half, c.at + slope_half) >= p.t_wave_slope_ratio * last_slope;
    }();
    if (is_qrs) {
      accept(c);
      unsearched = k + 1;
    } else {
      noise_heights.push(c.height);
      update_threshold();
    }
  }
  return beats;
}

// Drops a weak detection that splits one normal RR interval in two: RR before
// plus RR after within tolerance of the local median RR, one of them short,
// and its height well below its neighbours'. (An interpolated ectopic beat
// does the same but stands tall.)
std::vector<Detection> drop_split_intervals(const std::vector<Detection>& beats, const QrsParams& p) {
  constexpr std::size_t span_rr = 9, span_height = 4;  // neighbours on each side
  std::vector<Detection> kept;
  std::array<double, 2 * span_rr + 1> rr{};
  std::array<double, 2 * span_height> heights{};
  for (std::size_t i = 0; i < beats.size(); ++i) {
    if (!kept.empty() && i + 1 < beats.size()) {
      std::size_t m = 0;
      for (std::size_t j = std::max<std::size_t>(1, i >= span_rr ? i - span_rr : 0);
           j < std::min(beats.size(), i + span_rr + 1); ++j)
        rr[m++] = double(beats[j].peak.at - beats[j - 1].peak.at);
      double local_rr = select_in_place(std::span(rr.data(), m), 0.5);
      m = 0;
      for (std::size_t j = i >= span_height ? i - span_height : 0; j < std::min(beats.size(), i + span_height + 1); ++j)
        if (j != i) heights[m++] = beats[j].peak.height;
      double neighbours = select_in_place(std::span(heights.data(), m), 0.5);
      double before = double(beats[i].peak.at - kept.back().peak.at),
             after = double(beats[i + 1].peak.at - beats[i].peak.at);
      bool splits = std::abs(before + after - local_rr) < p.split_rr_tolerance * local_rr &&
                    std::min(before, after) < 0.7 * local_rr;  // 0.7: shorter than any sinus RR next to it
      if (splits && beats[i].peak.height < p.split_height * neighbours) continue;
    }
    kept.push_back(beats[i]);
  }
  return kept;
}

// The sample within ±reach of `centre` that deviates most from the mean of the
// ±half samples around it (the R wave, or the deepest S of a QS complex).
int64_t place_r(std::span<const double> x, int64_t centre, int64_t reach, int64_t half) {
  const int64_t n = std::ssize(x), from = std::max<int64_t>(0, centre - reach), to = std::min(n, centre + reach + 1);
  int64_t lo = std::max<int64_t>(0, from - half), hi = std::min(n, from + half + 1);  // the mean's window [lo, hi)
  double sum = 0;
  for (int64_t i = lo; i < hi; ++i) sum += x[std::size_t(i)];
  int64_t best = from;
  double best_deviation = -1;
  for (int64_t i = from; i < to; ++i) {
    for (; hi < std::min(n, i + half + 1); ++hi) sum += x[std::size_t(hi)];
    for (; lo < i - half; ++lo) sum -= x[std::size_t(lo)];
    double deviation = std::abs(x[std::size_t(i)] - sum / double(hi - lo));
    if (deviation > best_deviation) {
      best_deviation = deviation;
      best = i;
    }
  }
  return best;
}

// A copy with non-finite samples held as signal::boxcar_decimate() holds them.
std::vector<double> finite_copy(std::span<const double> x) {
  std::vector<double> out(x.begin(), x.end());
  double last = 0;
  for (double& v : out) {
    if (std::isfinite(v))
      last = v;
    else
      v = last;
  }
  return out;
}

void check(std::size_t samples, double rate) {
  check_ecg_rate(rate, "QRS detection");
  if (samples == 0) throw Error("QRS detection: the ECG has no samples");
}

// Beats of one segment, positions relative to its start.
QrsResult detect_segment(const std::vector<std::span<const double>>& inputs, double rate, const QrsParams& p) {
  // The QRS feature needs nothing above 20 Hz: it is computed at rate/factor, 100–200 Hz.
  const int64_t factor = std::max<int64_t>(1, int64_t(rate / feature_rate_hz));
  const double feature_rate = rate / double(factor);
  const int64_t block = std::max<int64_t>(1, std::lround(p.block_s * feature_rate));
  std::vector<std::vector<double>> copies;  // leads with non-finite samples, held
  std::vector<std::span<const double>> ecg;
  std::vector<std::vector<double>> reduced;
  for (std::span<const double> x : inputs) {
    signal::Decimated d = signal::boxcar_decimate(x, std::size_t(factor));
    reduced.push_back(std::move(d.samples));
    if (d.held_non_finite) {
      copies.push_back(finite_copy(x));
      x = copies.back();
    }
    ecg.push_back(x);
  }
  const std::vector<LeadFeature> leads = lead_features(reduced, feature_rate, p);
  std::vector<LeadQuality> qualities;
  for (const LeadFeature& lead : leads) qualities.push_back(lead_quality(lead.energy, block, p));
  const Fused fused = fuse(leads, qualities, block, p);
  const std::vector<Detection> beats = drop_split_intervals(decide(fused, feature_rate, p), p);

  QrsResult out;
  const int64_t reach = std::lround(0.075 * rate),
                half = std::lround(0.1 * rate);  // s: half a wide QRS; the R-placement mean
  for (const Detection& d : beats) {
    const std::size_t b = std::size_t(d.peak.at / block);
    // Lead 0 unless it is flat or far the worse lead here.
    const std::size_t lead = qualities[0].quality[b] >= 0.1 * fused.quality[b] ? 0 : std::size_t(fused.best_lead[b]);
    out.r_peaks.push_back(place_r(ecg[lead], d.peak.at * factor + (factor - 1) / 2, reach, half));
    out.confidence.push_back(std::min(1.0, d.peak.height / d.qrs_level) *
                             std::min(1.0, fused.quality[b] / (2 * p.min_snr)));
  }
  return out;
}

// Segment by segment, keeping each segment's beats in its own core; two beats
// closer than the refractory period (one QRS found twice) keep the surer one.
QrsResult detect(const std::vector<std::span<const double>>& inputs, double rate, const QrsParams& p) {
  const int64_t n = std::ssize(inputs[0]), core = std::lround(segment_s * rate), margin = std::lround(margin_s * rate);
  const int64_t refractory = std::lround(p.refractory_s * rate);
  QrsResult out;
  for (int64_t start = 0; start < n; start += core) {
    const int64_t lo = std::max<int64_t>(0, start - margin), hi = std::min(n, start + core + margin);
    std::vector<std::span<const double>> pieces;
    for (std::span<const double> x : inputs) pieces.push_back(x.subspan(std::size_t(lo), std::size_t(hi - lo)));
    const QrsResult part = detect_segment(pieces, rate, p);
    for (std::size_t k = 0; k < part.r_peaks.size(); ++k) {
      const int64_t r = lo + part.r_peaks[k];
      if (r < start || r >= start + core) continue;
      if (!out.r_peaks.empty() && r - out.r_peaks.back() < refractory) {
        if (part.confidence[k] <= out.confidence.back()) continue;
        out.r_peaks.pop_back();
        out.confidence.pop_back();
      }
      out.r_peaks.push_back(r);
      out.confidence.push_back(part.confidence[k]);
    }
  }
  return out;
}

}  // namespace

QrsResult detect_qrs(std::span<const double> lead, double rate_hz, const QrsParams& params) {
  check(lead.size(), rate_hz);
  return detect({lead}, rate_hz, params);
}

QrsResult detect_qrs(std::span<const double> lead0, std::span<const double> lead1, double rate_hz,
                     const QrsParams& params) {
  check(lead0.size(), rate_hz);
  if (lead1.size() != lead0.size())
    throw Error(
        fmt::format("QRS detection: the two leads differ in length ({} and {} samples)", lead0.size(), lead1.size()));
  return detect({lead0, lead1}, rate_hz, params);
}

}  // namespace medtwin::cardio

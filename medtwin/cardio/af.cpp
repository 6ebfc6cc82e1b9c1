#include "medtwin/cardio/af.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>

#include "medtwin/core/error.hpp"

namespace medtwin::cardio {
namespace {

// RMSSD / mean RR of the intervals, trimmed of their extremes.
double normalised_rmssd(const std::vector<double>& trimmed_in_order) {
  double sum_sq = 0;
  for (std::size_t i = 1; i < trimmed_in_order.size(); ++i) {
    const double d = trimmed_in_order[i] - trimmed_in_order[i - 1];
    sum_sq += d * d;
  }
  const double rmssd = std::sqrt(sum_sq / static_cast<double>(trimmed_in_order.size() - 1));
  const double mean = std::accumulate(trimmed_in_order.begin(), trimmed_in_order.end(), 0.0) /
                      static_cast<double>(trimmed_in_order.size());
  return rmssd / mean;
}

// Shannon entropy of the intervals' histogram over 16 equal bins between their
// minimum and maximum, normalised by log(1/16) so that it lies in 0..1 (Dash 2009).
double shannon_entropy(const std::vector<double>& rr) {
  constexpr int bins = 16;
  const auto [lo, hi] = std::minmax_element(rr.begin(), rr.end());
  if (*hi <= *lo) return 0;
  std::array<int, bins> counts{};
  for (double v : rr) ++counts[std::min(bins - 1, static_cast<int>((v - *lo) / (*hi - *lo) * bins))];
  double h = 0;
  for (int c : counts)
    if (c > 0) {
      const double p = static_cast<double>(c) / static_cast<double>(rr.size());
      h += p * std::log(p);
    }
  return h / std::log(1.0 / bins);
}

// Whether the number of turning points is that of a random series: its
// expectation (2n − 4)/3 and SD √((16n − 29)/90) (Kendall & Stuart).
bool random_turning_points(const std::vector<double>& rr, double sds) {
  int turning = 0;
  for (std::size_t i = 1; i + 1 < rr.size(); ++i)
    if ((rr[i] > rr[i - 1] && rr[i] > rr[i + 1]) || (rr[i] < rr[i - 1] && rr[i] < rr[i + 1])) ++turning;
  const double n = static_cast<double>(rr.size());
  const double expected = (2 * n - 4) / 3, sd = std::sqrt((16 * n - 29) / 90);
  return std::abs(turning - expected) <= sds * sd;
}

// The intervals of a window sliding over the series, kept in order of
// (interval, position) — a strict order: among equal intervals the earlier
// counts as the shorter. Sliding by one costs O(window) moves, not a sort.
class SortedWindow {
 public:
  using Entry = std::pair<double, std::size_t>;
  SortedWindow(std::span<const double> rr, std::size_t width) : rr_(rr) {
    for (std::size_t i = 0; i < width; ++i) sorted_.emplace_back(rr[i], i);
    std::sort(sorted_.begin(), sorted_.end());
  }
  // Drops the interval at `gone`, takes the one at `added`.
  void slide(std::size_t gone, std::size_t added) {
    sorted_.erase(std::lower_bound(sorted_.begin(), sorted_.end(), Entry{rr_[gone], gone}));
    const Entry in{rr_[added], added};
    sorted_.insert(std::upper_bound(sorted_.begin(), sorted_.end(), in), in);
  }
  const Entry& at(std::size_t rank) const { return sorted_[rank]; }
  std::size_t size() const { return sorted_.size(); }

 private:
  std::span<const double> rr_;
  std::vector<Entry> sorted_;
};

// The window's intervals (positions first … first + size − 1 of the series)
// without the `trim` longest and shortest, in time order.
std::vector<double> trimmed(const SortedWindow& window, std::span<const double> rr, std::size_t first, int trim) {
  const auto cut = static_cast<std::size_t>(trim);
  if (2 * cut >= window.size()) return {};
  const auto low = cut > 0 ? window.at(cut - 1) : SortedWindow::Entry{-std::numeric_limits<double>::infinity(), 0};
  const auto high = cut > 0 ? window.at(window.size() - cut) : SortedWindow::Entry{std::numeric_limits<double>::infinity(), 0};
  std::vector<double> out;
  out.reserve(window.size() - 2 * cut);
  for (std::size_t i = first; i < first + window.size(); ++i) {
    const SortedWindow::Entry e{rr[i], i};
    if (low < e && e < high) out.push_back(rr[i]);
  }
  return out;
}

bool window_is_af(const std::vector<double>& rr, const AfOptions& o) {
  if (rr.size() < 8) return false;
  return normalised_rmssd(rr) >= o.min_normalised_rmssd && shannon_entropy(rr) >= o.min_shannon_entropy &&
         random_turning_points(rr, o.turning_point_sds);
}

// Runs of AF beats at least min_episode long become episodes; shorter runs
// are cleared. The burden is their time over the analysed time.
void collect_episodes(std::span<const std::int64_t> r_peaks, double rate_hz, const AfOptions& o, AfResult& out) {
  const auto min_samples = static_cast<std::int64_t>(static_cast<double>(o.min_episode.count()) * rate_hz);
  double af_samples = 0;
  for (std::size_t i = 0; i < r_peaks.size();) {
    if (!out.beat_in_af[i]) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j + 1 < r_peaks.size() && out.beat_in_af[j + 1]) ++j;
    const AfEpisode e{r_peaks[i], r_peaks[j]};
    if (e.end_sample - e.start_sample >= min_samples) {
      out.episodes.push_back(e);
      af_samples += static_cast<double>(e.end_sample - e.start_sample);
    } else {
      std::fill(out.beat_in_af.begin() + static_cast<long>(i), out.beat_in_af.begin() + static_cast<long>(j) + 1, false);
    }
    i = j + 1;
  }
  out.burden = af_samples / static_cast<double>(r_peaks.back() - r_peaks.front());
}

}  // namespace

AfResult detect_af(std::span<const std::int64_t> r_peaks, double rate_hz, const std::vector<bool>& ventricular,
                   const AfOptions& o) {
  if (!(rate_hz > 0)) throw Error("AF detection: the sampling rate must be positive");
  if (!ventricular.empty() && ventricular.size() != r_peaks.size())
    throw Error("AF detection: the ventricular flags must be one per R peak");
  AfResult out;
  out.beat_in_af.assign(r_peaks.size(), false);
  // NN intervals (s) and the peak each ends at.
  std::vector<double> rr;
  std::vector<std::size_t> ends;
  for (std::size_t i = 1; i < r_peaks.size(); ++i) {
    if (!ventricular.empty() && (ventricular[i] || ventricular[i - 1])) continue;
    rr.push_back(static_cast<double>(r_peaks[i] - r_peaks[i - 1]) / rate_hz);
    ends.push_back(i);
  }
  const auto w = static_cast<std::size_t>(o.window_beats);
  if (rr.size() < w) return out;
  out.evaluated = true;
  // Each interval takes the call of the window centred on it; those before the
  // first and after the last full window take its call.
  std::vector<bool> interval_af(rr.size(), false);
  SortedWindow window(rr, w);
  for (std::size_t start = 0; start + w <= rr.size(); ++start) {
    if (start > 0) window.slide(start - 1, start + w - 1);
    interval_af[start + w / 2] = window_is_af(trimmed(window, rr, start, o.trimmed_beats), o);
  }
  std::fill(interval_af.begin(), interval_af.begin() + static_cast<long>(w / 2), interval_af[w / 2]);
  const std::size_t last_centre = rr.size() - w + w / 2;
  std::fill(interval_af.begin() + static_cast<long>(last_centre) + 1, interval_af.end(), interval_af[last_centre]);
  // A beat is in AF when the NN interval reaching it is (ectopic beats inside
  // an AF stretch take its call too).
  for (std::size_t k = 0; k < rr.size(); ++k)
    if (interval_af[k]) {
      const std::size_t from = k > 0 && interval_af[k - 1] ? ends[k - 1] + 1 : ends[k] - 1;
      std::fill(out.beat_in_af.begin() + static_cast<long>(from), out.beat_in_af.begin() + static_cast<long>(ends[k]) + 1, true);
    }
  collect_episodes(r_peaks, rate_hz, o, out);
  return out;
}

}  // namespace medtwin::cardio

#include "medtwin/cardio/beat_class.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>

#include "medtwin/cardio/af.hpp"
#include "medtwin/cardio/cycles.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/core/stats.hpp"

namespace medtwin::cardio {
namespace {

using std::int64_t;

constexpr double min_lead_mv = 0.02;   // mV, median QRS peak-to-peak below this: a flat or disconnected lead
constexpr int max_leads = 2;
constexpr std::size_t searched_templates = 3;  // templates searched over alignments when none matches at R
constexpr std::size_t scale_beats = 2000;      // beats sampled, evenly spread, for each lead's typical amplitude

// Where a beat's windows lie, in samples of the morphology rate.
struct Geometry {
  int step = 1;      // recording samples averaged into one morphology sample
  int before = 0;    // morphology samples before R
  int core = 0;      // samples in the QRS window
  int shift = 0;     // alignment search ± this many samples
  int extended = 0;  // core + 2·shift: the window extracted
  double rate = 0;   // Hz, morphology rate
  int leads = 1;
};

Geometry geometry(double rate_hz, int leads, const BeatClassParams& p) {
  Geometry g;
  g.step = std::max(1, int(std::floor(rate_hz / p.morphology_rate_hz)));
  g.rate = rate_hz / g.step;
  g.before = int(std::lround(p.window_before_s * g.rate));
  g.core = g.before + int(std::lround(p.window_after_s * g.rate)) + 1;
  g.shift = int(std::lround(p.max_shift_s * g.rate));
  g.extended = g.core + 2 * g.shift;
  g.leads = leads;
  return g;
}

// The leads, each divided by its typical QRS amplitude so both weigh alike.
struct Leads {
  std::span<const double> lead[max_leads];
  double scale[max_leads] = {0, 0};  // mV, record median QRS peak-to-peak; 0: lead unusable
  int count = 1;
};

// One beat's extended window, lead after lead, detrended; usable[l] false
// where the lead is flat or its window holds non-finite samples.
struct BeatWindow {
  std::vector<double> x;
  bool usable[max_leads] = {false, false};
  bool any() const { return usable[0] || usable[1]; }
  const double* lead(const Geometry& g, int l) const { return x.data() + std::ptrdiff_t(l) * g.extended; }
};

// Boxcar-averages the recording down to the morphology rate around R and
// removes the line through the window's two ends (baseline wander). Samples
// beyond the recording repeat its first or last one.
void extract(const Leads& leads, int64_t r, const Geometry& g, bool scaled, BeatWindow& w) {
  w.x.resize(std::size_t(g.leads * g.extended));
  for (int l = 0; l < g.leads; ++l) {
    std::span<const double> s = leads.lead[l];
    const auto n = int64_t(s.size());
    double* out = w.x.data() + std::ptrdiff_t(l) * g.extended;
    const int64_t start = r - int64_t(g.before + g.shift) * g.step - g.step / 2;
    const double inverse_step = 1.0 / g.step;
    const bool inside = start >= 0 && start + int64_t(g.extended) * g.step <= n;
    double total = 0;  // non-finite if any sample is
    for (int k = 0; k < g.extended; ++k) {
      double sum = 0;
      const int64_t at = start + int64_t(k) * g.step;
      if (inside)
        for (int j = 0; j < g.step; ++j) sum += s[std::size_t(at + j)];
      else
        for (int j = 0; j < g.step; ++j) sum += s[std::size_t(std::clamp<int64_t>(at + j, 0, n - 1))];
      out[k] = sum * inverse_step;
      total += out[k];
    }
    const bool finite = std::isfinite(total) && (!scaled || leads.scale[l] > 0);
    w.usable[l] = finite;
    if (!finite) continue;
    const int e = std::min(2, g.extended);  // samples averaged at each end for the baseline line
    double head = 0, tail = 0;
    for (int k = 0; k < e; ++k) {
      head += out[k] / e;
      tail += out[g.extended - 1 - k] / e;
    }
    const double slope = g.extended > e ? (tail - head) / (g.extended - e) : 0;
    const double gain = scaled ? 1 / leads.scale[l] : 1;
    for (int k = 0; k < g.extended; ++k) out[k] = (out[k] - head - slope * (k - (e - 1) / 2.0)) * gain;
  }
}

// A running-average morphology template (zero mean per lead) and its cluster.
struct Cluster {
  std::vector<double> t;  // leads × core; emptied when retired with few beats
  int count = 0;
  int64_t last_used = 0;  // beat index of the last match
  double width_s = 0;
};

struct Match {
  double correlation = -1;
  double amplitude = 0;  // RMS of the beat over that of the template
  int offset = 0;        // window offset 0 … 2·shift of the best match
};

// Correlation of the beat's core window at `offset` with a zero-mean template,
// over the leads usable in the beat; the template's zero mean makes the
// beat's own mean drop out of the numerator.
Match correlate(const BeatWindow& w, const std::vector<double>& t, const Geometry& g, int offset) {
  double num = 0, bb = 0, tt = 0;
  for (int l = 0; l < g.leads; ++l) {
    if (!w.usable[l]) continue;
    const double* b = w.lead(g, l) + offset;
    const double* tl = t.data() + std::ptrdiff_t(l) * g.core;
    double sum = 0, sq = 0, cross = 0, tsq = 0;
    for (int k = 0; k < g.core; ++k) {
      sum += b[k];
      sq += b[k] * b[k];
      cross += b[k] * tl[k];
      tsq += tl[k] * tl[k];
    }
    num += cross;
    bb += sq - sum * sum / g.core;
    tt += tsq;
  }
  Match m;
  m.offset = offset;
  if (bb > 0 && tt > 0) {
    m.correlation = num / std::sqrt(bb * tt);
    m.amplitude = std::sqrt(bb / tt);
  }
  return m;
}

// The best match over the alignment search (centre first, as most beats sit there).
Match best_match(const BeatWindow& w, const std::vector<double>& t, const Geometry& g) {
  Match best = correlate(w, t, g, g.shift);
  for (int offset = 0; offset <= 2 * g.shift; ++offset)
    if (offset != g.shift) {
      Match m = correlate(w, t, g, offset);
      if (m.correlation > best.correlation) best = m;
    }
  return best;
}

// The beat's core window at `offset`, zero mean per lead (a new template or
// the increment of one). Unusable leads read as zero.
std::vector<double> aligned(const BeatWindow& w, const Geometry& g, int offset) {
  std::vector<double> v(std::size_t(g.leads * g.core), 0.0);
  for (int l = 0; l < g.leads; ++l) {
    if (!w.usable[l]) continue;
    const double* b = w.lead(g, l) + offset;
    const double mean = std::accumulate(b, b + g.core, 0.0) / g.core;
    for (int k = 0; k < g.core; ++k) v[std::size_t(l * g.core + k)] = b[k] - mean;
  }
  return v;
}

// QRS width of a zero-mean window: from the first to the last sample where
// the slope summed over the leads reaches `fraction` of its peak (the P and T
// waves are much slower than the QRS).
double qrs_width_s(const std::vector<double>& t, const Geometry& g, double fraction) {
  std::vector<double> slope(std::size_t(g.core), 0.0);
  for (int l = 0; l < g.leads; ++l)
    for (int k = 1; k + 1 < g.core; ++k)
      slope[std::size_t(k)] += std::abs(t[std::size_t(l * g.core + k + 1)] - t[std::size_t(l * g.core + k - 1)]);
  const double peak = *std::max_element(slope.begin(), slope.end());
  if (!(peak > 0)) return 0;
  auto above = [&](double s) { return s >= fraction * peak; };
  auto first = std::find_if(slope.begin(), slope.end(), above);
  auto last = std::find_if(slope.rbegin(), slope.rend(), above);
  return double(std::distance(first, last.base()) - 1) / g.rate;
}

// High-frequency index of the core window: mean |2nd difference| over mean
// |1st difference|. A smooth QRS scores well under 1; white noise ≈ 1.6.
double high_frequency_index(const BeatWindow& w, const Geometry& g, int offset) {
  double d1 = 0, d2 = 0;
  for (int l = 0; l < g.leads; ++l) {
    if (!w.usable[l]) continue;
    const double* b = w.lead(g, l) + offset;
    for (int k = 1; k + 1 < g.core; ++k) {
      d1 += std::abs(b[k + 1] - b[k]);
      d2 += std::abs(b[k + 1] - 2 * b[k] + b[k - 1]);
    }
  }
  return d1 > 0 ? d2 / d1 : 0;
}

// Each lead's scale: its median QRS peak-to-peak (mV) over the beats, so the
// leads weigh alike, divided by its relative cleanliness, so a noisy lead
// weighs less. Roughness = median of mean |2nd difference| / peak-to-peak: a
// clean QRS is smooth at 150–300 Hz, noise is not; the smoothest lead has
// weight 1, another its roughness ratio. 0 for a flat lead.
void set_lead_scales(Leads& leads, std::span<const int64_t> peaks, const Geometry& g) {
  BeatWindow w;
  std::vector<double> ptp[max_leads], rough[max_leads];
  const std::size_t stride = std::max<std::size_t>(1, peaks.size() / scale_beats);  // medians need no more
  for (std::size_t i = 0; i < peaks.size(); i += stride) {
    extract(leads, peaks[i], g, false, w);
    for (int l = 0; l < g.leads; ++l) {
      if (!w.usable[l]) continue;
      const double* b = w.lead(g, l) + g.shift;
      auto [lo, hi] = std::minmax_element(b, b + g.core);
      double d2 = 0;
      for (int k = 1; k + 1 < g.core; ++k) d2 += std::abs(b[k + 1] - 2 * b[k] + b[k - 1]);
      ptp[l].push_back(*hi - *lo);
      if (*hi > *lo) rough[l].push_back(d2 / (g.core - 2) / (*hi - *lo));
    }
  }
  double roughness[max_leads] = {0, 0}, smoothest = std::numeric_limits<double>::infinity();
  for (int l = 0; l < g.leads; ++l) {
    const double m = ptp[l].empty() ? 0 : select_in_place(ptp[l], 0.5);
    leads.scale[l] = m >= min_lead_mv ? m : 0;
    roughness[l] = rough[l].empty() ? 0 : select_in_place(rough[l], 0.5);
    if (leads.scale[l] > 0) smoothest = std::min(smoothest, roughness[l]);
  }
  for (int l = 0; l < g.leads; ++l)
    if (leads.scale[l] > 0 && roughness[l] > 0) leads.scale[l] *= roughness[l] / smoothest;
}

// Online template clustering (Hamilton 2002): each beat joins the active
// template it best matches if the correlation reaches the threshold, else
// starts a new one, retiring the least recently used when all are taken.
// Returns each beat's cluster (−1: no usable lead); `offset` gets the window
// offset of each beat's alignment with it.
std::vector<int> cluster_beats(const Leads& leads, std::span<const int64_t> peaks, const Geometry& g,
                               const BeatClassParams& p, std::vector<Cluster>& clusters, std::vector<int>& offset) {
  offset.assign(peaks.size(), g.shift);
  std::vector<int> of(peaks.size(), -1);
  std::vector<int> active;
  std::vector<std::pair<double, int>> scratch;
  BeatWindow w;
  for (std::size_t i = 0; i < peaks.size(); ++i) {
    extract(leads, peaks[i], g, true, w);
    if (!w.any()) continue;
    // Same shape and same size: a fusion beat resembles its ventricular component in shape but is smaller.
    auto joins = [&](const Match& mc) {
      return mc.correlation >= p.cluster_correlation && mc.amplitude <= p.cluster_amplitude &&
             mc.amplitude * p.cluster_amplitude >= 1;
    };
    // Templates are kept most recently matched first and most beats join the first, at R as detected;
    // only a beat that joins none there is searched over all templates and alignments for the best.
    // The search is over the few templates that came closest at R.
    int best = -1;
    Match m;
    std::vector<std::pair<double, int>>& near = scratch;
    near.clear();
    for (int c : active) {
      m = correlate(w, clusters[std::size_t(c)].t, g, g.shift);
      if (joins(m)) {
        best = c;
        break;
      }
      near.emplace_back(m.correlation, c);
    }
    if (best < 0) {
      const auto searched = std::min(near.size(), searched_templates);
      std::partial_sort(near.begin(), near.begin() + std::ptrdiff_t(searched), near.end(), std::greater<>());
      for (std::size_t k = 0; k < searched; ++k) {
        Match mc = best_match(w, clusters[std::size_t(near[k].second)].t, g);
        if (joins(mc) && (best < 0 || mc.correlation > m.correlation)) {
          m = mc;
          best = near[k].second;
        }
      }
    }
    if (best >= 0) offset[i] = m.offset;
    std::vector<double> v = aligned(w, g, offset[i]);
    if (best >= 0) {
      Cluster& c = clusters[std::size_t(best)];
      ++c.count;
      c.last_used = int64_t(i);
      const double weight = 1.0 / std::min(c.count, p.template_memory);
      for (std::size_t k = 0; k < v.size(); ++k) c.t[k] += weight * (v[k] - c.t[k]);
      of[i] = best;
      const auto at = std::find(active.begin(), active.end(), best);
      std::rotate(active.begin(), at, at + 1);  // most recently matched first
      continue;
    }
    if (std::ssize(active) >= p.active_templates) {
      // The fewest beats go first (noise makes many one-beat templates), the least recently used among equals.
      auto lru = std::min_element(active.begin(), active.end(), [&](int a, int b) {
        const Cluster &ca = clusters[std::size_t(a)], &cb = clusters[std::size_t(b)];
        return std::min(ca.count, p.stable_cluster) != std::min(cb.count, p.stable_cluster)
                   ? ca.count < cb.count
                   : ca.last_used < cb.last_used;
      });
      Cluster& retired = clusters[std::size_t(*lru)];
      if (retired.count < p.stable_cluster) std::vector<double>().swap(retired.t);  // its beats are judged alone
      active.erase(lru);
    }
    clusters.push_back({std::move(v), 1, int64_t(i), 0});
    of[i] = int(clusters.size() - 1);
    active.insert(active.begin(), of[i]);
  }
  return of;
}

// Local normal RR per kept beat: the median of up to `context` normal–normal
// intervals (both ends of normal morphology) before its RR_pre and as many
// after its RR_post — the beat's own intervals, under test, are left out.
// Without any normal–normal interval nearby, the median of all intervals.
std::vector<double> local_normal_rr(std::span<const int64_t> beats, const std::vector<char>& normal, int context) {
  const std::size_t m = beats.size();
  std::vector<double> local(m, 0.0);
  if (m < 2) return local;
  std::vector<double> rr(m - 1);
  std::vector<std::size_t> nn;  // intervals j (beats j → j+1) between two normal beats
  for (std::size_t j = 0; j + 1 < m; ++j) {
    rr[j] = double(beats[j + 1] - beats[j]);
    if (normal[j] && normal[j + 1]) nn.push_back(j);
  }
  std::vector<double> all_rr = rr;
  const double fallback = select_in_place(all_rr, 0.5);
  std::vector<double> pick;
  for (std::size_t j = 0; j < m; ++j) {
    pick.clear();
    // Intervals j−1 (RR_pre) and j (RR_post) are the beat's own.
    auto after = std::lower_bound(nn.begin(), nn.end(), j + 1);
    auto before = std::lower_bound(nn.begin(), nn.end(), j == 0 ? 0 : j - 1);
    for (auto it = before; it != nn.begin() && std::ssize(pick) < context;) pick.push_back(rr[*--it]);
    for (auto it = after; it != nn.end() && std::ssize(pick) < 2 * context; ++it) pick.push_back(rr[*it]);
    local[j] = pick.empty() ? fallback : select_in_place(pick, 0.5);
  }
  return local;
}

void check_inputs(std::span<const double> lead0, std::span<const double> lead1, double rate_hz,
                  std::span<const int64_t> peaks) {
  check_ecg_rate(rate_hz, "beat classification");
  if (lead0.empty()) throw Error("beat classification: lead 0 is empty");
  if (!lead1.empty() && lead1.size() != lead0.size())
    throw Error(fmt::format("beat classification: the two leads must have equal lengths, got {} and {} samples",
                            lead0.size(), lead1.size()));
  if (std::adjacent_find(peaks.begin(), peaks.end(), std::greater_equal<>()) != peaks.end())
    throw Error("beat classification: R peaks must be sample indices in strictly increasing order");
  if (!peaks.empty() && (peaks.front() < 0 || peaks.back() >= int64_t(lead0.size())))
    throw Error(fmt::format("beat classification: R peaks must lie within the {} samples of the signal", lead0.size()));
}

// Morphology against the dominant template: the same, clearly wider (a
// ventricular conduction), or different in shape but not wider — which timing
// then tells apart (ectopic if premature, else a change of axis or a fusion).
enum class Morphology { normal, different, wide };

// Artefacts: a lone shape unlike every large recurring morphology
// (`max_recurring`) that splits one normal interval in two (RR_pre + RR_post ≈
// local RR) amid a settled rhythm (the intervals either side are not short) —
// noise or a T wave between two beats rather than an extra systole (a run of
// ectopic beats has short neighbours; a premature beat is followed by a pause).
template <class Recurring>
void flag_artefacts(std::span<const int64_t> peaks, const std::vector<int>& cluster, const std::vector<char>& normal,
                    const std::vector<double>& max_recurring, Recurring recurring, const BeatClassParams& p,
                    std::vector<BeatLabel>& labels) {
  const std::size_t n = peaks.size();
  const std::vector<double> local = local_normal_rr(peaks, normal, p.rr_context);
  auto interval = [&](std::size_t a) { return double(peaks[a + 1] - peaks[a]); };
  for (std::size_t i = 1; i + 1 < n; ++i) {
    if (cluster[i] < 0 || recurring(cluster[i]) || max_recurring[i] >= p.artefact_correlation) continue;
    const double rr = local[i];
    const bool splits = std::abs(interval(i - 1) + interval(i) - rr) <= p.split_tolerance * rr;
    const bool settled =
        (i < 2 || interval(i - 2) >= p.settled_ratio * rr) && (i + 2 >= n || interval(i + 1) >= p.settled_ratio * rr);
    labels[i].artefact = splits && settled;
  }
}

// The class of a beat whose shape is not the dominant one, from its shape
// (correlation `rho` with the dominant template; `wide`, `wider` than it by
// the margins) and timing (`timing` = RR_pre / normal RR, `pauses` = RR_post /
// RR_pre); `rare`: its shape is rare enough for fusion.
BeatClass other_shape_class(double rho, bool wide, bool wider, double timing, double pauses, bool rare,
                            const BeatClassParams& p) {
  // Ectopic timing: early and followed by a pause, the short–long pattern of a premature beat — in atrial
  // fibrillation a merely short interval is no sign of ectopy.
  const bool ectopic_timing = timing < p.premature_ratio && pauses >= p.pause_ratio;
  const bool clearly_different = rho < p.ventricular_correlation;
  if (wide || ectopic_timing || (clearly_different && timing < 1)) return BeatClass::ventricular;
  if (wider && clearly_different) return BeatClass::ventricular;  // late, wider and of another shape: escape
  if (wider && rare) return BeatClass::fusion;  // a fusion needs an ectopic focus firing as the sinus beat comes
  return BeatClass::normal;                     // a change of axis or noise on a normal beat: on time and not wide
}

}  // namespace

char aami_letter(BeatClass cls) {
  switch (cls) {
    case BeatClass::normal:
      return 'N';
    case BeatClass::supraventricular:
      return 'S';
    case BeatClass::ventricular:
      return 'V';
    case BeatClass::fusion:
      return 'F';
    case BeatClass::unknown:
      return 'Q';
  }
  return 'Q';
}

std::optional<BeatClass> aami_class_of(std::string_view code) {
  // EC57 §3 / de Chazal et al. 2004 Table I. B (unspecified bundle-branch block) and n (supraventricular
  // escape) do not occur in MIT-BIH; they join N like the other block and escape beats.
  for (std::string_view c : {"N", "L", "R", "e", "j", "n", "B"})
    if (code == c) return BeatClass::normal;
  for (std::string_view c : {"A", "a", "J", "S"})
    if (code == c) return BeatClass::supraventricular;
  for (std::string_view c : {"V", "E", "r"})
    if (code == c) return BeatClass::ventricular;
  if (code == "F") return BeatClass::fusion;
  for (std::string_view c : {"/", "f", "Q", "?"})
    if (code == c) return BeatClass::unknown;
  return std::nullopt;
}

std::vector<BeatLabel> classify_beats(std::span<const double> lead0, std::span<const double> lead1, double rate_hz,
                                      std::span<const int64_t> r_peaks, const BeatClassParams& p) {
  check_inputs(lead0, lead1, rate_hz, r_peaks);
  const std::size_t n = r_peaks.size();
  std::vector<BeatLabel> labels(n);
  if (n == 0) return labels;

  Leads leads;
  leads.lead[0] = lead0;
  leads.lead[1] = lead1;
  leads.count = lead1.empty() ? 1 : 2;
  const Geometry g = geometry(rate_hz, leads.count, p);
  set_lead_scales(leads, r_peaks, g);

  std::vector<Cluster> clusters;
  std::vector<int> offset;
  const std::vector<int> cluster = cluster_beats(leads, r_peaks, g, p, clusters, offset);
  if (clusters.empty()) return labels;  // no usable lead anywhere: all unknown

  // The dominant morphology: the largest cluster. Renumber so that it is 0.
  const auto dominant = std::size_t(
      std::max_element(clusters.begin(), clusters.end(), [](auto& a, auto& b) { return a.count < b.count; }) -
      clusters.begin());
  for (Cluster& c : clusters)
    if (!c.t.empty()) c.width_s = qrs_width_s(c.t, g, p.width_slope_fraction);
  const Cluster& dom = clusters[dominant];
  if (dom.t.empty()) return labels;  // no morphology recurs (all noise): nothing to call normal, all unknown
  auto recurring = [&](int c) { return clusters[std::size_t(c)].count >= p.stable_cluster; };

  // The largest recurring clusters, against which lone beats are checked (a bounded number, so that cost
  // stays linear however many clusters a long recording makes).
  std::vector<std::size_t> largest;
  for (std::size_t c = 0; c < clusters.size(); ++c)
    if (clusters[c].count >= p.stable_cluster && !clusters[c].t.empty()) largest.push_back(c);
  const auto keep = std::min(largest.size(), std::size_t(p.active_templates));
  std::partial_sort(largest.begin(), largest.begin() + std::ptrdiff_t(keep), largest.end(),
                    [&](std::size_t a, std::size_t b) { return clusters[a].count > clusters[b].count; });
  largest.resize(keep);

  // Per beat: correlation with the dominant template, amplitude, width, high-frequency index.
  std::vector<double> max_recurring(n, 1.0);  // best correlation with a large recurring template (lone beats)
  std::vector<std::pair<double, std::size_t>> near;
  BeatWindow w;
  for (std::size_t i = 0; i < n; ++i) {
    if (cluster[i] < 0) continue;
    extract(leads, r_peaks[i], g, true, w);
    // Most beats align with the dominant template as with their own: search only when that fails.
    Match m = correlate(w, dom.t, g, offset[i]);
    if (m.correlation < p.normal_correlation) m = best_match(w, dom.t, g);
    BeatFeatures& f = labels[i].features;
    f.cluster = cluster[i] == int(dominant) ? 0 : cluster[i] + (cluster[i] < int(dominant));
    f.cluster_size = clusters[std::size_t(cluster[i])].count;
    f.correlation = m.correlation;
    f.amplitude = m.amplitude;
    f.high_frequency = high_frequency_index(w, g, m.offset);
    f.width_s = recurring(cluster[i]) ? clusters[std::size_t(cluster[i])].width_s
                                      : qrs_width_s(aligned(w, g, m.offset), g, p.width_slope_fraction);
    if (recurring(cluster[i])) continue;
    max_recurring[i] = m.correlation;
    near.clear();
    for (std::size_t c : largest) near.emplace_back(correlate(w, clusters[c].t, g, g.shift).correlation, c);
    const auto searched = std::min(near.size(), searched_templates);
    std::partial_sort(near.begin(), near.begin() + std::ptrdiff_t(searched), near.end(), std::greater<>());
    for (std::size_t k = 0; k < searched; ++k)
      max_recurring[i] = std::max(max_recurring[i], best_match(w, clusters[near[k].second].t, g).correlation);
  }

  // A recurring cluster is judged by its members' median correlation with the dominant template.
  std::vector<std::vector<double>> members(clusters.size());
  for (std::size_t i = 0; i < n; ++i)
    if (cluster[i] >= 0 && recurring(cluster[i]))
      members[std::size_t(cluster[i])].push_back(labels[i].features.correlation);
  std::vector<double> cluster_correlation(clusters.size(), 0.0);
  for (std::size_t c = 0; c < clusters.size(); ++c)
    if (!members[c].empty()) cluster_correlation[c] = select_in_place(members[c], 0.5);

  std::vector<Morphology> morph(n, Morphology::normal);
  std::vector<char> normal(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (cluster[i] < 0) continue;
    const BeatFeatures& f = labels[i].features;
    const double rho = recurring(cluster[i]) ? cluster_correlation[std::size_t(cluster[i])] : f.correlation;
    const double wider = f.width_s - dom.width_s;
    // A lone beat's own width is noisy: with the dominant shape, it is normal whatever its width.
    const bool same_width = wider <= p.normal_width_margin_s || !recurring(cluster[i]);
    if (std::size_t(cluster[i]) == dominant || (rho >= p.normal_correlation && same_width))
      morph[i] = Morphology::normal;
    else if (wider >= p.wide_margin_s)
      morph[i] = Morphology::wide;
    else
      morph[i] = Morphology::different;
    normal[i] = morph[i] == Morphology::normal;
  }

  flag_artefacts(r_peaks, cluster, normal, max_recurring, recurring, p, labels);

  // Timing on the beats that remain.
  std::vector<std::size_t> kept;
  for (std::size_t i = 0; i < n; ++i)
    if (!labels[i].artefact) kept.push_back(i);
  std::vector<int64_t> beats(kept.size());
  std::vector<char> kept_normal(kept.size());
  std::vector<bool> ventricular(kept.size());
  for (std::size_t j = 0; j < kept.size(); ++j) {
    beats[j] = r_peaks[kept[j]];
    kept_normal[j] = normal[kept[j]];
    ventricular[j] = cluster[kept[j]] >= 0 && !normal[kept[j]];
  }
  const std::vector<double> local = local_normal_rr(beats, kept_normal, p.rr_context);
  // Supraventricular prematurity is undefined in atrial fibrillation: its irregular RR is no ectopy.
  const AfResult af = detect_af(beats, rate_hz, ventricular);

  // Prematurity RR_pre / local normal RR, per beat and as the median of each recurring cluster.
  std::vector<double> prematurity(n, 1.0), pause(n, 1.0);
  std::vector<std::vector<double>> cluster_prematurity(clusters.size()), cluster_pause(clusters.size());
  for (std::size_t j = 0; j < kept.size(); ++j) {
    const std::size_t i = kept[j];
    BeatFeatures& f = labels[i].features;
    f.rr_pre_s = j > 0 ? double(beats[j] - beats[j - 1]) / rate_hz : 0;
    f.rr_post_s = j + 1 < kept.size() ? double(beats[j + 1] - beats[j]) / rate_hz : 0;
    f.rr_local_s = local[j] / rate_hz;
    if (j > 0 && f.rr_local_s > 0) prematurity[i] = f.rr_pre_s / f.rr_local_s;
    if (j > 0 && j + 1 < kept.size()) pause[i] = f.rr_post_s / f.rr_pre_s;
    if (j > 0 && cluster[i] >= 0 && recurring(cluster[i])) {
      cluster_prematurity[std::size_t(cluster[i])].push_back(prematurity[i]);
      cluster_pause[std::size_t(cluster[i])].push_back(pause[i]);
    }
  }
  std::vector<double> cluster_timing(clusters.size(), 1.0), cluster_pauses(clusters.size(), 1.0);
  for (std::size_t c = 0; c < clusters.size(); ++c)
    if (!cluster_prematurity[c].empty()) {
      cluster_timing[c] = select_in_place(cluster_prematurity[c], 0.5);
      cluster_pauses[c] = select_in_place(cluster_pause[c], 0.5);
    }

  BeatClass previous = BeatClass::normal;
  // The sinus reference for S: the last rr_context intervals between normal beats, the later one not
  // supraventricular — so that a run of supraventricular tachycardia does not become its own reference.
  std::vector<double> sinus;  // samples, oldest first
  std::vector<double> scratch;
  for (std::size_t j = 0; j < kept.size(); ++j) {
    const std::size_t i = kept[j];
    const BeatFeatures& f = labels[i].features;
    double reference = local[j];
    if (std::ssize(sinus) == p.rr_context) {
      scratch = sinus;
      reference = select_in_place(scratch, 0.5);
    }
    const bool premature = j > 0 && double(beats[j] - beats[j - 1]) < p.premature_ratio * reference;
    BeatClass cls = BeatClass::unknown;
    if (cluster[i] < 0)
      cls = BeatClass::unknown;
    else if (morph[i] != Morphology::normal) {
      // A recurring shape is judged by its cluster's medians, so that one early or late beat does not
      // decide; a lone shape (in no recurring cluster) by its own, leaving out its noise-prone width.
      const bool lone = !recurring(cluster[i]);
      const std::size_t c = std::size_t(cluster[i]);
      cls = other_shape_class(lone ? f.correlation : cluster_correlation[c], !lone && morph[i] == Morphology::wide,
                              !lone && f.width_s - dom.width_s > p.normal_width_margin_s,
                              lone ? prematurity[i] : cluster_timing[c], lone ? pause[i] : cluster_pauses[c],
                              clusters[c].count <= p.fusion_share * dom.count, p);
    } else {
      // Sudden shortening after a normal beat (after a ventricular beat the pause makes any interval look
      // sudden), or the continuation of a supraventricular run.
      const bool abrupt = previous == BeatClass::supraventricular ||
                          (j >= 2 && previous == BeatClass::normal &&
                           f.rr_pre_s * rate_hz < p.abrupt_ratio * double(beats[j - 1] - beats[j - 2]));
      const bool in_af = !af.beat_in_af.empty() && af.beat_in_af[j];
      cls = premature && abrupt && !in_af ? BeatClass::supraventricular : BeatClass::normal;
    }
    labels[i].cls = cls;
    if (j > 0 && cls == BeatClass::normal && kept_normal[j - 1] && normal[i]) {
      sinus.push_back(double(beats[j] - beats[j - 1]));
      if (std::ssize(sinus) > p.rr_context) sinus.erase(sinus.begin());
    }
    previous = cls;
  }
  return labels;
}

std::vector<int64_t> drop_artefacts(std::span<const int64_t> r_peaks, std::span<const BeatLabel> labels) {
  if (r_peaks.size() != labels.size())
    throw Error(fmt::format("drop_artefacts: {} peaks but {} labels; classify_beats gives one label per peak",
                            r_peaks.size(), labels.size()));
  std::vector<int64_t> kept;
  kept.reserve(r_peaks.size());
  for (std::size_t i = 0; i < r_peaks.size(); ++i)
    if (!labels[i].artefact) kept.push_back(r_peaks[i]);
  return kept;
}

std::vector<bool> ventricular_flags(std::span<const BeatLabel> labels) {
  std::vector<bool> flags;
  for (const BeatLabel& b : labels)
    if (!b.artefact) flags.push_back(b.cls == BeatClass::ventricular || b.cls == BeatClass::fusion);
  return flags;
}

BeatCounts count_beats(std::span<const BeatLabel> labels) {
  BeatCounts c;
  for (const BeatLabel& b : labels) {
    if (b.artefact) {
      ++c.artefacts;
      continue;
    }
    switch (b.cls) {
      case BeatClass::normal:
        ++c.normal;
        break;
      case BeatClass::supraventricular:
        ++c.supraventricular;
        break;
      case BeatClass::ventricular:
        ++c.ventricular;
        break;
      case BeatClass::fusion:
        ++c.fusion;
        break;
      case BeatClass::unknown:
        ++c.unknown;
        break;
    }
  }
  return c;
}

}  // namespace medtwin::cardio

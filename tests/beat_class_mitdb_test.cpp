// Heartbeat classification (medtwin/cardio/beat_class.hpp) on the MIT-BIH
// Arrhythmia records in ../shared/data/ecg/mitdb: the two-lead QRS detector's
// beats are classified into AAMI classes and matched to the reference beats
// (150 ms, from 5:00 on, EC57's pairing as in ec57.hpp); prints per record and
// gross the confusion matrix and per-class Se / +P, and the EC57 QRS Se / +P
// after dropping the detections flagged as artefacts. The classifier learns
// nothing from these labels (unsupervised, per record), but its thresholds
// were looked at against these figures: docs/models/beat_class.md quotes them.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "cli_support.hpp"
#include "mitdb_support.hpp"
#include "medtwin/cardio/beat_class.hpp"
#include "medtwin/cardio/ec57.hpp"
#include "medtwin/cardio/qrs.hpp"

namespace medtwin::testing {
namespace {

namespace fs = std::filesystem;
using cardio::BeatClass;

constexpr int classes = 5;    // N S V F Q
constexpr int unmatched = 5;  // row of detections without a reference beat, column of missed beats

// Rows: reference class (N S V F Q, then detections without a reference beat);
// columns: algorithm class (N S V F Q, then reference beats without a detection).
struct Confusion {
  std::array<std::array<std::int64_t, classes + 1>, classes + 1> m{};

  Confusion& operator+=(const Confusion& o) {
    for (int r = 0; r <= classes; ++r)
      for (int c = 0; c <= classes; ++c) m[r][c] += o.m[r][c];
    return *this;
  }
  // Se of class k over the reference beats of class k that were detected.
  double sensitivity(int k) const {
    std::int64_t row = 0;
    for (int c = 0; c < classes; ++c) row += m[k][c];
    return row ? double(m[k][k]) / double(row) : std::nan("");
  }
  // +P of class k over detections labelled k: matched beats of classes N S V F and unmatched detections.
  double positive_predictivity(int k) const {
    std::int64_t column = 0;
    for (int r = 0; r <= classes; ++r)
      if (r != int(BeatClass::unknown)) column += m[r][k];
    return column ? double(m[k][k]) / double(column) : std::nan("");
  }
};

// Pairs reference beats and detections as score_beats does (nearest
// neighbours within 150 ms, walking both lists in order) and counts the
// labels of the pairs whose reference beat lies after the learning period.
Confusion confusion(const std::vector<Annotation>& reference, const std::vector<std::int64_t>& found,
                    const std::vector<cardio::BeatLabel>& labels, double rate) {
  struct Beat {
    std::int64_t at;
    int cls;
  };
  std::vector<Beat> beats;
  for (const Annotation& a : reference)
    if (auto cls = cardio::aami_class_of(a.code); cls && a.sample >= 0) beats.push_back({a.sample, int(*cls)});
  const auto start = std::int64_t(300 * rate), window = std::int64_t(0.150 * rate);
  Confusion c;
  std::size_t i = 0, j = 0;
  auto miss = [&] {
    if (beats[i].at >= start) ++c.m[beats[i].cls][unmatched];
    ++i;
  };
  auto extra = [&] {
    if (found[j] >= start && !labels[j].artefact) ++c.m[unmatched][int(labels[j].cls)];
    ++j;
  };
  while (i < beats.size() && j < found.size()) {
    std::int64_t r = beats[i].at, t = found[j], d = std::abs(t - r);
    if (t < r - window)
      extra();
    else if (t > r + window)
      miss();
    else if (j + 1 < found.size() && std::abs(found[j + 1] - r) < d)
      extra();
    else if (i + 1 < beats.size() && std::abs(beats[i + 1].at - t) < d)
      miss();
    else {
      if (r >= start) ++c.m[beats[i].cls][labels[j].artefact ? unmatched : int(labels[j].cls)];
      ++i;
      ++j;
    }
  }
  while (i < beats.size()) miss();
  while (j < found.size()) extra();
  return c;
}

void print_confusion(const Confusion& c) {
  fmt::print("      ref\\alg      N      S      V      F      Q   miss\n");
  static constexpr const char* rows[] = {"N", "S", "V", "F", "Q", "extra"};
  for (int r = 0; r <= classes; ++r) {
    fmt::print("      {:>7}", rows[r]);
    for (int k = 0; k <= classes; ++k) fmt::print(" {:>6}", c.m[r][k]);
    fmt::print("\n");
  }
}

std::string percent(double x) { return std::isnan(x) ? "    -" : fmt::format("{:6.2f}", 100 * x); }

TEST(BeatClassMitdb, AamiClassesAndArtefactRejection) {
  const std::vector<fs::path> headers = scored_mitdb_headers();
  ASSERT_FALSE(headers.empty()) << "no MIT-BIH records (*.hea) in ../shared/data/ecg/mitdb";
  Confusion gross;
  cardio::Ec57Counts qrs_before, qrs_after;
  fmt::print(
      "AAMI classes on detected beats, 150 ms match, from 5:00; Se over detected reference beats,\n"
      "+P over detections of that class (unmatched ones included); artefacts flagged are dropped\n");
  fmt::print("{:>6} {:>6} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>5} {:>5} {:>5}\n", "record", "beats", "V Se", "V +P",
             "S Se", "S +P", "F Se", "F +P", "drop", "FP-", "TP-");
  for (const fs::path& header : headers) {
    const std::string record = header.stem().string();
    const Signal signal = read_mitdb_signal(header);
    const double rate = signal.sample_rate_hz;
    std::vector<double> lead0(signal.samples[0].begin(), signal.samples[0].end());
    std::vector<double> lead1(signal.samples[1].begin(), signal.samples[1].end());
    const cardio::QrsResult found = cardio::detect_qrs(lead0, lead1, rate);
    const std::vector<cardio::BeatLabel> labels = cardio::classify_beats(lead0, lead1, rate, found.r_peaks);
    ASSERT_EQ(labels.size(), found.r_peaks.size());
    const Confusion c = confusion(signal.annotations, found.r_peaks, labels, rate);
    const cardio::Ec57Counts before = cardio::score_beats(signal.annotations, found.r_peaks, rate);
    const cardio::Ec57Counts after =
        cardio::score_beats(signal.annotations, cardio::drop_artefacts(found.r_peaks, labels), rate);
    const int v = int(BeatClass::ventricular), s = int(BeatClass::supraventricular), f = int(BeatClass::fusion);
    fmt::print("{:>6} {:>6} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>5} {:>5} {:>5}\n", record, before.tp + before.fn,
               percent(c.sensitivity(v)), percent(c.positive_predictivity(v)), percent(c.sensitivity(s)),
               percent(c.positive_predictivity(s)), percent(c.sensitivity(f)), percent(c.positive_predictivity(f)),
               cardio::count_beats(labels).artefacts, before.fp - after.fp, before.tp - after.tp);
    if (std::getenv("BEAT_CLASS_VERBOSE")) print_confusion(c);
    gross += c;
    qrs_before += before;
    qrs_after += after;
  }
  fmt::print("gross confusion (rows reference, columns algorithm):\n");
  print_confusion(gross);
  for (BeatClass k : {BeatClass::normal, BeatClass::supraventricular, BeatClass::ventricular, BeatClass::fusion})
    fmt::print("  {}: Se {} %  +P {} %\n", cardio::aami_letter(k), percent(gross.sensitivity(int(k))),
               percent(gross.positive_predictivity(int(k))));
  fmt::print(
      "EC57 QRS: before artefact rejection Se {:.3f} % +P {:.3f} % (FN {}, FP {}); after Se {:.3f} % +P "
      "{:.3f} % (FN {}, FP {})\n",
      100 * qrs_before.sensitivity(), 100 * qrs_before.positive_predictivity(), qrs_before.fn, qrs_before.fp,
      100 * qrs_after.sensitivity(), 100 * qrs_after.positive_predictivity(), qrs_after.fn, qrs_after.fp);
  std::fflush(stdout);

  // Floors at the figures reached (27 Nov 2026), so that a regression shows. For scale: de Chazal et al. 2004
  // (IEEE TBME 51:1196, Table VI), trained on DS1 and tested on the inter-patient DS2 set, reported VEB Se
  // 77.7 % / +P 81.9 % and SVEB Se 75.9 % / +P 38.5 %; per-record unsupervised methods commonly report VEB
  // Se above 90 %. These 16 records overlap both DS1 and DS2, and the thresholds were looked at against them.
  const int n = int(BeatClass::normal), v = int(BeatClass::ventricular), s = int(BeatClass::supraventricular);
  EXPECT_GE(gross.sensitivity(v), 0.97);             // 97.24 %
  EXPECT_GE(gross.positive_predictivity(v), 0.885);  // 88.63 %
  EXPECT_GE(gross.sensitivity(s), 0.605);            // 60.90 %
  EXPECT_GE(gross.positive_predictivity(s), 0.58);   // 58.27 %
  EXPECT_GE(gross.sensitivity(n), 0.98);             // 98.08 %
  EXPECT_GE(gross.positive_predictivity(n), 0.993);  // 99.37 %
  // Fusion beats (29 here) are not found: F Se 0 %, and 141 normal beats of 106 are called F — no floor; see
  // the model card's limits.
  // Artefact rejection: the target is QRS +P ≥ 99.8 % with Se still ≥ 99.8 %. Se holds (99.801 %);
  // +P rises from 99.649 % to 99.737 % (108 → 81 false detections; 6 true beats dropped) and misses the target.
  EXPECT_GE(qrs_after.sensitivity(), 0.998);
  EXPECT_GE(qrs_after.positive_predictivity(), 0.99735);
  if (qrs_after.positive_predictivity() < 0.998)
    fmt::print("QRS +P target of 99.8 % after artefact rejection NOT met yet: {:.3f} %\n",
               100 * qrs_after.positive_predictivity());
}

}  // namespace
}  // namespace medtwin::testing

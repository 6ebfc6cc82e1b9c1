// Short-recording rhythm labels (medtwin/cardio/rhythm_label.hpp) on the
// PhysioNet/CinC Challenge 2017 records in ../shared/data/ecg/cinc2017
// (146 records, one lead, 300 Hz, 9–60 s), against the relabelled answers of
// REFERENCE-v3-subset.csv, scored as the Challenge scored (Clifford et al. 2017,
// Computing in Cardiology 44): F1 per class, F1 = 2·TP / (row total + column
// total) of the confusion matrix, and the score = mean of F1(N), F1(A), F1(O).
// Thresholds come from the literature; the rule choices (which irregularity
// test, COSEn on all or on NN intervals, whether AF needs absent P waves, how
// much usable signal a label needs, the premature and classified-ectopic beat
// counts, whether a long QTc makes "other") were selected among 1152 variants
// on these very labels, so the test prints three figures: the literature-first
// rules, the defaults IN-SAMPLE (optimistic), and the selection by leave-one-out
// cross-validation (the honest estimate for unseen records — more records of
// the same kind are held out; the quality grade was also revised with these
// strips in view, outside the cross-validation — see the model card).
// Literature targets: the winning entries reached a mean F1 of about 0.83 on the
// hidden test set (Clifford et al. 2017), with feature-rich learned models or
// deep networks; these rules do not reach that. The model card
// (docs/models/rhythm_label.md) quotes this output.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "medtwin/cardio/rhythm_label.hpp"
#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/wfdb_importer.hpp"

namespace medtwin::testing {
namespace {

namespace fs = std::filesystem;

constexpr std::array<char, 4> kClasses{'N', 'A', 'O', '~'};

int class_index(char c) {
  for (std::size_t i = 0; i < kClasses.size(); ++i)
    if (kClasses[i] == c) return static_cast<int>(i);
  return -1;
}

using Confusion = std::array<std::array<int, 4>, 4>;  // [reference][predicted], classes N, A, O, ~

struct Scores {
  std::array<double, 4> f1{};
  double challenge = 0;  // mean of F1(N), F1(A), F1(O)
};

// Clifford et al. 2017: F1 per class = 2·TP / (reference count + predicted count).
Scores score(const Confusion& c) {
  Scores s;
  for (std::size_t i = 0; i < 4; ++i) {
    int row = 0, column = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      row += c[i][j];
      column += c[j][i];
    }
    s.f1[i] = row + column > 0 ? 2.0 * c[i][i] / (row + column) : 0;
  }
  s.challenge = (s.f1[0] + s.f1[1] + s.f1[2]) / 3;
  return s;
}

Scores print_confusion(const std::string& title, const Confusion& c) {
  fmt::print("\n{}\n{:>4}", title, "");
  for (char k : kClasses) fmt::print(" {:>4}", k);
  fmt::print("\n");
  for (std::size_t i = 0; i < 4; ++i) {
    fmt::print("{:>4}", kClasses[i]);
    for (std::size_t j = 0; j < 4; ++j) fmt::print(" {:>4}", c[i][j]);
    fmt::print("\n");
  }
  const Scores s = score(c);
  fmt::print("F1: N {:.3f}  A {:.3f}  O {:.3f}  ~ {:.3f}   Challenge score (mean of N, A, O) {:.3f}\n", s.f1[0],
             s.f1[1], s.f1[2], s.f1[3], s.challenge);
  return s;
}

char challenge_code(cardio::RhythmClass c) {
  switch (c) {
    case cardio::RhythmClass::normal:
      return 'N';
    case cardio::RhythmClass::af:
      return 'A';
    case cardio::RhythmClass::other:
      return 'O';
    case cardio::RhythmClass::noisy:
      return '~';
  }
  return '?';
}

struct Case {
  std::string name;
  int truth = 0;
  cardio::RhythmFeatures features;
};

std::vector<Case> read_cases() {
  const fs::path reference = shared_data("ecg/cinc2017/REFERENCE-v3-subset.csv");
  std::ifstream in(reference);
  EXPECT_TRUE(in) << "cannot read " << reference;
  std::vector<Case> cases;
  std::string line;
  int wrong_rate_noisy = 0, wrong_rate_refused = 0;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto comma = line.find(',');
    if (comma == std::string::npos || comma + 1 >= line.size()) continue;
    Case c;
    c.name = line.substr(0, comma);
    c.truth = class_index(line[comma + 1]);
    EXPECT_GE(c.truth, 0) << "unknown label in " << line;
    CollectingSink sink;
    ImportOptions options;
    options.time_zone = "UTC";  // the headers' base time has no zone; the label does not depend on it
    read_wfdb_record(shared_data("ecg/cinc2017/records/" + c.name + ".hea"), options, sink);
    EXPECT_EQ(sink.signals.size(), 1u) << c.name;
    const Signal& s = sink.signals.front();
    const std::vector<double> lead(s.samples.at(0).begin(), s.samples.at(0).end());
    c.features = cardio::measure_rhythm(lead, s.sample_rate_hz);
    // Robustness: the same strip declared at 1000 Hz instead of 300 Hz must come out noisy (or too short),
    // never as a rhythm built on a heart rate 3.3 times too slow.
    try {
      const cardio::RhythmLabel wrong = cardio::label_rhythm(lead, 1000);
      EXPECT_EQ(wrong.label, cardio::RhythmClass::noisy) << c.name << " at a wrong rate: " << wrong.reason;
      ++wrong_rate_noisy;
    } catch (const NotEnoughData&) {
      ++wrong_rate_refused;
    }
    cases.push_back(std::move(c));
  }
  fmt::print("declared at 1000 Hz instead of 300 Hz: {} noisy, {} refused as too short\n", wrong_rate_noisy,
             wrong_rate_refused);
  return cases;
}

int predicted(const Case& c, const cardio::RhythmParams& p) {
  return class_index(challenge_code(cardio::decide_rhythm(c.features, p).label));
}

// The rule variants a user of these records might pick among: the irregularity
// test, COSEn on all or on NN intervals, whether AF needs absent P waves, how
// much usable signal a label needs, how many premature or classified ectopic
// beats make "other", whether a long QTc does. The defaults come first, so
// that ties go to them.
std::vector<cardio::RhythmParams> variants() {
  std::vector<cardio::RhythmParams> out;
  for (auto irregularity : {cardio::Irregularity::both, cardio::Irregularity::either, cardio::Irregularity::dash,
                            cardio::Irregularity::cosen})
    for (bool nn : {true, false})
      for (bool p_wave : {true, false})
        for (double usable : {2.0 / 3, 0.5, 1.0 / 3})
          for (int premature : {1, 2, 3})
            for (int ectopic : {3, 2, 4, 0})
              for (double qtc : {480.0, 0.0}) {
                cardio::RhythmParams p;
                p.irregularity = irregularity;
                p.cosen_on_nn = nn;
                p.af_needs_absent_p_wave = p_wave;
                p.min_usable_fraction = usable;
                p.max_premature_beats = premature;
                p.min_ectopic_beats = ectopic;
                p.long_qtc_ms = qtc;
                out.push_back(p);
              }
  return out;
}

bool same_rules(const cardio::RhythmParams& a, const cardio::RhythmParams& b) {
  return a.irregularity == b.irregularity && a.cosen_on_nn == b.cosen_on_nn &&
         a.af_needs_absent_p_wave == b.af_needs_absent_p_wave && a.min_usable_fraction == b.min_usable_fraction &&
         a.max_premature_beats == b.max_premature_beats && a.min_ectopic_beats == b.min_ectopic_beats &&
         a.long_qtc_ms == b.long_qtc_ms;
}

Confusion confusion_of(const std::vector<Case>& cases, const cardio::RhythmParams& p, std::size_t skip = SIZE_MAX) {
  Confusion c{};
  for (std::size_t i = 0; i < cases.size(); ++i)
    if (i != skip) ++c[static_cast<std::size_t>(cases[i].truth)][static_cast<std::size_t>(predicted(cases[i], p))];
  return c;
}

std::string optional_ms(const std::optional<double>& v) { return v ? fmt::format("{:.0f}", *v) : "-"; }

TEST(RhythmLabelCinc2017, ChallengeF1OnTheSharedRecords) {
  const std::vector<Case> cases = read_cases();
  ASSERT_FALSE(cases.empty()) << "no records listed in REFERENCE-v3-subset.csv";
  const cardio::RhythmParams defaults;
  // Literature-first: either irregularity test, usable fraction 1/2, no classified-ectopy rule; the rest as the
  // defaults (COSEn on NN intervals, AF without P waves, QTc ≥ 480 ms: other).
  cardio::RhythmParams literature_first;
  literature_first.irregularity = cardio::Irregularity::either;
  literature_first.min_usable_fraction = 0.5;
  literature_first.min_ectopic_beats = 0;
  fmt::print("{:>7} {:>3} {:>3} {:>5} {:>5} {:>6} {:>5} {:>6} {:>6} {:>6} {:>4} {:>3} {:>3} {:>3} {:>5} {:>4} {:>5} "
             "{:>5} {:>4}  reason\n",
             "record", "ref", "got", "usab", "beats", "HR", "nRMS", "dash", "COSEn", "nnCOS", "prem", "V", "S", "art",
             "QRSms", "P", "PR", "QRSd", "QTc");
  for (const Case& c : cases) {
    const cardio::RhythmLabel got = cardio::decide_rhythm(c.features, defaults);
    const auto& f = c.features;
    fmt::print("{:>7} {:>3} {:>3} {:>5.2f} {:>5} {:>6.1f} {:>5.3f} {:>6} {:>6.2f} {:>6} {:>4} {:>3} {:>3} {:>3} {:>5.0f} "
               "{:>4} {:>5} {:>5} {:>4}  {}\n",
               c.name, kClasses[static_cast<std::size_t>(c.truth)], challenge_code(got.label), f.usable_fraction,
               f.beats, f.heart_rate_bpm, f.normalised_rmssd, f.dash_irregular, f.cosen,
               f.nn_cosen ? fmt::format("{:.2f}", *f.nn_cosen) : "-", f.premature_beats, f.ventricular_beats,
               f.supraventricular_beats, f.artefacts, 1000 * f.qrs_width_s,
               f.p_wave_share ? fmt::format("{:.2f}", *f.p_wave_share) : "-", optional_ms(f.pr_ms),
               optional_ms(f.qrs_ms), optional_ms(f.qtc_ms), got.reason);
  }
  // 1. The rules as fixed from the literature.
  print_confusion(fmt::format("literature-first rules, {} records", cases.size()),
                  confusion_of(cases, literature_first));
  const Scores in_sample =
      print_confusion("defaults, IN-SAMPLE (selected on these labels: optimistic)", confusion_of(cases, defaults));
  // 2. Picking the best of the rule variants on these labels is fitting: its
  // in-sample figure is optimistic. Leave-one-out: each record is labelled by
  // the variant that scores best on the other records (the first of ties).
  const std::vector<cardio::RhythmParams> grid = variants();
  std::vector<std::vector<int>> labels(grid.size());  // [variant][record]
  std::vector<Confusion> full(grid.size());
  for (std::size_t v = 0; v < grid.size(); ++v) {
    for (const Case& c : cases) labels[v].push_back(predicted(c, grid[v]));
    full[v] = confusion_of(cases, grid[v]);
  }
  auto best_variant = [&](std::size_t skip) {
    std::size_t best = 0;
    double best_score = -1;
    for (std::size_t v = 0; v < grid.size(); ++v) {
      Confusion c = full[v];
      if (skip < cases.size())
        --c[static_cast<std::size_t>(cases[skip].truth)][static_cast<std::size_t>(labels[v][skip])];
      const double s = score(c).challenge;
      if (s > best_score + 1e-12) best_score = s, best = v;
    }
    return best;
  };
  const std::size_t chosen = best_variant(SIZE_MAX);
  EXPECT_TRUE(same_rules(grid[chosen], defaults))
      << "the defaults are no longer the variant these records select (variant " << chosen << ")";
  Confusion loo{};
  std::vector<int> times_chosen(grid.size(), 0);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::size_t v = best_variant(i);
    ++times_chosen[v];
    ++loo[static_cast<std::size_t>(cases[i].truth)][static_cast<std::size_t>(labels[v][i])];
  }
  const Scores cross = print_confusion(
      fmt::format("variant chosen by leave-one-out cross-validation among {} (honest estimate)", grid.size()), loo);
  fmt::print("variants chosen in the {} folds:", cases.size());
  for (std::size_t v = 0; v < grid.size(); ++v)
    if (times_chosen[v] > 0) fmt::print(" #{} ×{}", v, times_chosen[v]);
  fmt::print("\n");
  std::fflush(stdout);
  // Floors at the measured cross-validated figures (the honest ones), and at the
  // in-sample score of the defaults; the literature targets are in the header comment.
  // Measured: cross-validated F1 N 0.795, A 0.839, O 0.562, ~ 0.784, score 0.732; in-sample score 0.759.
  // Before the beat classes and median beats (rule set of the first version): cross-validated N 0.792,
  // A 0.778, O 0.526, ~ 0.800, score 0.699. F1(~) is lower by one record: the noisy rule is unchanged (in-sample
  // F1(~) 0.784 then and now), but one fold of the old grid called a noisy-graded normal strip "other" instead.
  EXPECT_GE(cross.f1[0], 0.79);
  EXPECT_GE(cross.f1[1], 0.83);
  EXPECT_GE(cross.f1[2], 0.56);
  EXPECT_GE(cross.f1[3], 0.78);
  EXPECT_GE(cross.challenge, 0.73);
  EXPECT_GE(in_sample.challenge, 0.75);
}

}  // namespace
}  // namespace medtwin::testing

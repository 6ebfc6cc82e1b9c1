#include "medtwin/cardio/beat_class.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "medtwin/cardio/synthetic_ecg_testing.hpp"
#include "medtwin/core/error.hpp"

namespace medtwin::cardio {
namespace {

// Two-lead synthetic ECG from Gaussian waves (the morphology model of McSharry
// et al. 2003, IEEE TBME 50:289): lead 0 like MLII, lead 1 like V1.
struct Wave {
  double at_s, amplitude_mv, width_s;
};
struct Shape {
  std::vector<Wave> lead[2];
};

// Normal beat: P, narrow QRS (≈ 80 ms), upright T in lead 0; rS in lead 1.
Shape normal_shape(double qrs_scale = 1) {
  const double q = qrs_scale;
  return {{{{-0.20, 0.15, 0.025},
            {-0.03 * q, -0.10, 0.010 * q},
            {0, 1.2, 0.012 * q},
            {0.03 * q, -0.25, 0.010 * q},
            {0.30, 0.35, 0.060}},
           {{-0.20, 0.08, 0.025}, {0, 0.30, 0.010 * q}, {0.025 * q, -0.90, 0.012 * q}, {0.30, 0.20, 0.060}}}};
}

// Ventricular beat: no P, wide (≈ 160 ms) QRS of another axis, discordant T.
Shape ventricular_shape() {
  return {{{{0.01, 1.5, 0.035}, {0.30, -0.45, 0.070}}, {{-0.02, 0.6, 0.025}, {0.04, -0.8, 0.03}, {0.30, 0.4, 0.07}}}};
}

// Fusion: half a normal beat and half a ventricular one.
Shape fusion_shape() {
  Shape f;
  for (int l = 0; l < 2; ++l) {
    for (Wave w : normal_shape().lead[l]) f.lead[l].push_back({w.at_s, 0.5 * w.amplitude_mv, w.width_s});
    for (Wave w : ventricular_shape().lead[l]) f.lead[l].push_back({w.at_s, 0.5 * w.amplitude_mv, w.width_s});
  }
  return f;
}

struct Record {
  std::vector<double> lead[2];
  std::vector<std::int64_t> peaks;
  std::vector<char> truth;  // 'N' 'S' 'V' 'F', or 'X' for an artefact
  double rate = 360;
};

void add_beat(Record& r, const Shape& s, double t_s) {
  for (int l = 0; l < 2; ++l)
    for (const Wave& w : s.lead[l]) testing::add_gaussian(r.lead[l], r.rate, t_s + w.at_s, w.amplitude_mv, w.width_s);
}

// A 10-minute record at `rate` Hz, RR 0.8 s with slow sinus variation, and a
// repeating pattern of 20 beats: a PVC (coupling 0.55 RR, full compensatory
// pause), a PAC (coupling 0.65 RR, pause 1.1 RR), a fusion beat (on time) and
// a 60-ms burst of high-frequency noise mid-interval that a detector took for
// a beat. `qrs_scale` widens the normal QRS (1.75: bundle-branch block, ≈ 140 ms).
Record synthetic_record(double rate, double qrs_scale = 1, bool ectopy = true, bool artefacts = true) {
  Record r;
  r.rate = rate;
  const double seconds = 600;
  for (auto& l : r.lead) l.assign(std::size_t(seconds * rate), 0.0);
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0, 1);
  int k = 0;
  for (double t = 1; t < seconds - 2; ++k) {
    const double rr = 0.8 + 0.04 * std::sin(2 * 3.14159 * t / 25);
    const int slot = k % 20;
    char type = 'N';
    if (ectopy && slot == 7) type = 'V';
    if (ectopy && slot == 13) type = 'S';
    if (ectopy && slot == 17) type = 'F';
    const Shape shape = type == 'V' ? ventricular_shape() : type == 'F' ? fusion_shape() : normal_shape(qrs_scale);
    add_beat(r, shape, t);
    r.peaks.push_back(std::llround(t * rate));
    r.truth.push_back(type);
    double next = rr;
    if (ectopy && slot == 6) next = 0.55 * rr;   // the PVC comes early …
    if (ectopy && slot == 7) next = 1.45 * rr;   // … and is followed by a full compensatory pause
    if (ectopy && slot == 12) next = 0.65 * rr;  // the PAC comes early …
    if (ectopy && slot == 13) next = 1.1 * rr;   // … and resets the sinus node
    if (artefacts && slot == 3) {                // noise burst halfway to the next beat
      const double at = t + next / 2;
      for (auto i = std::int64_t((at - 0.03) * rate); i < std::int64_t((at + 0.03) * rate); ++i)
        for (auto& l : r.lead) l[std::size_t(i)] += 0.6 * noise(rng);
      r.peaks.push_back(std::llround(at * rate));
      r.truth.push_back('X');
    }
    t += next;
  }
  for (auto& l : r.lead)
    for (double& x : l) x += 0.01 * noise(rng);  // 10 µV of broadband noise
  return r;
}

// Every beat after the first 20 (the templates' start-up) has its true class;
// fusion beats only if `fusion` (see the tests that leave them out).
void expect_truth(const Record& r, const std::vector<BeatLabel>& labels, bool fusion = true) {
  ASSERT_EQ(labels.size(), r.peaks.size());
  for (std::size_t i = 20; i < labels.size(); ++i) {
    if (r.truth[i] == 'X') {
      EXPECT_TRUE(labels[i].artefact) << "beat " << i;
      continue;
    }
    EXPECT_FALSE(labels[i].artefact) << "beat " << i << " " << r.truth[i];
    if (r.truth[i] == 'F' && !fusion) continue;
    EXPECT_EQ(aami_letter(labels[i].cls), r.truth[i]) << "beat " << i;
  }
}

TEST(BeatClass, SyntheticEctopyAndArtefactsAtCommonRates) {
  for (double rate : {250.0, 360.0, 500.0, 1000.0}) {
    SCOPED_TRACE(rate);
    Record r = synthetic_record(rate);
    expect_truth(r, classify_beats(r.lead[0], r.lead[1], rate, r.peaks));
  }
}

TEST(BeatClass, OneLeadSufficesButForFusion) {
  // In lead 0 alone the half-and-half fusion beat is as wide as the ventricular one (its QRS slope reaches
  // 20 % of the peak as early and as late): it is called V. Everything else is as with two leads.
  Record r = synthetic_record(360);
  const std::vector<BeatLabel> labels = classify_beats(r.lead[0], {}, 360, r.peaks);
  expect_truth(r, labels, false);
  for (std::size_t i = 20; i < labels.size(); ++i)
    if (r.truth[i] == 'F') {
      EXPECT_EQ(labels[i].cls, BeatClass::ventricular) << i;
    }
}

TEST(BeatClass, BundleBranchBlockIsNormalForTheRecord) {
  // Every sinus beat is wide (≈ 140 ms): the dominant template defines normal, so they stay N, and the PVCs
  // and PACs are still told apart. (The synthetic fusion beat mixes the narrow normal shape, so it is left out.)
  Record r = synthetic_record(360, 1.75);
  const std::vector<BeatLabel> labels = classify_beats(r.lead[0], r.lead[1], 360, r.peaks);
  expect_truth(r, labels, false);
  EXPECT_GT(labels[30].features.width_s, 0.1);
}

TEST(BeatClass, FeaturesDescribeTheBeats) {
  Record r = synthetic_record(360, 1, true, false);
  const std::vector<BeatLabel> labels = classify_beats(r.lead[0], r.lead[1], 360, r.peaks);
  const BeatFeatures& pvc = labels[27].features;  // slot 7
  const BeatFeatures& normal = labels[29].features;
  ASSERT_EQ(r.truth[27], 'V');
  EXPECT_EQ(normal.cluster, 0);
  EXPECT_GT(normal.correlation, 0.98);
  EXPECT_NE(pvc.cluster, 0);
  EXPECT_LT(pvc.correlation, 0.7);
  EXPECT_GT(pvc.width_s, normal.width_s + 0.04);  // 160 ms against 80 ms by construction
  EXPECT_NEAR(pvc.rr_pre_s / pvc.rr_local_s, 0.55, 0.06);
  EXPECT_NEAR(pvc.rr_post_s / pvc.rr_local_s, 1.45, 0.1);
  EXPECT_NEAR(normal.rr_local_s, 0.8, 0.05);
}

TEST(BeatClass, NoSupraventricularCallsInAtrialFibrillation) {
  // Normal morphology, RR uniformly random 0.4–1.2 s (Dash et al. 2009's AF irregularity): no beat is S.
  Record r;
  r.lead[0].assign(std::size_t(600 * r.rate), 0.0);
  r.lead[1] = r.lead[0];
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> rr(0.4, 1.2);
  for (double t = 1; t < 598; t += rr(rng)) {
    add_beat(r, normal_shape(), t);
    r.peaks.push_back(std::llround(t * r.rate));
  }
  const BeatCounts c = count_beats(classify_beats(r.lead[0], r.lead[1], r.rate, r.peaks));
  EXPECT_EQ(c.supraventricular, 0);
  EXPECT_EQ(c.normal, std::ssize(r.peaks));
}

TEST(BeatClass, CountsDropAndVentricularFlags) {
  Record r = synthetic_record(360);
  const std::vector<BeatLabel> labels = classify_beats(r.lead[0], r.lead[1], 360, r.peaks);
  const BeatCounts c = count_beats(labels);
  const std::vector<std::int64_t> kept = drop_artefacts(r.peaks, labels);
  const std::vector<bool> flags = ventricular_flags(labels);
  EXPECT_EQ(std::ssize(kept), std::ssize(r.peaks) - c.artefacts);
  EXPECT_EQ(flags.size(), kept.size());
  EXPECT_EQ(std::count(flags.begin(), flags.end(), true), c.ventricular + c.fusion);
  EXPECT_EQ(c.normal + c.supraventricular + c.ventricular + c.fusion + c.unknown + c.artefacts, std::ssize(r.peaks));
  EXPECT_THROW(drop_artefacts(std::span(r.peaks).first(3), labels), Error);
}

TEST(BeatClass, AamiMapping) {
  for (const char* code : {"N", "L", "R", "e", "j", "n", "B"}) EXPECT_EQ(aami_class_of(code), BeatClass::normal);
  for (const char* code : {"A", "a", "J", "S"}) EXPECT_EQ(aami_class_of(code), BeatClass::supraventricular);
  for (const char* code : {"V", "E", "r"}) EXPECT_EQ(aami_class_of(code), BeatClass::ventricular);
  EXPECT_EQ(aami_class_of("F"), BeatClass::fusion);
  for (const char* code : {"/", "f", "Q", "?"}) EXPECT_EQ(aami_class_of(code), BeatClass::unknown);
  for (const char* code : {"+", "~", "|", "\"", "x", "!", "[", "]", ""}) EXPECT_FALSE(aami_class_of(code));
  EXPECT_EQ(std::string({aami_letter(BeatClass::normal), aami_letter(BeatClass::supraventricular),
                         aami_letter(BeatClass::ventricular), aami_letter(BeatClass::fusion),
                         aami_letter(BeatClass::unknown)}),
            "NSVFQ");
}

TEST(BeatClass, DegenerateInputsGiveNoCrash) {
  Record r = synthetic_record(360, 1, false, false);
  EXPECT_TRUE(classify_beats(r.lead[0], r.lead[1], 360, {}).empty());
  // One beat: it is its own dominant morphology.
  const std::vector<std::int64_t> one = {r.peaks[5]};
  const std::vector<BeatLabel> single = classify_beats(r.lead[0], r.lead[1], 360, one);
  ASSERT_EQ(single.size(), 1u);
  EXPECT_EQ(single[0].cls, BeatClass::normal);
  // A flat signal has no morphology: every beat unknown.
  const std::vector<double> flat(r.lead[0].size(), 0.3);
  for (const BeatLabel& b : classify_beats(flat, flat, 360, r.peaks)) EXPECT_EQ(b.cls, BeatClass::unknown);
  // A flat lead 1 is ignored.
  const std::vector<BeatLabel> with_flat = classify_beats(r.lead[0], flat, 360, r.peaks);
  for (std::size_t i = 0; i < with_flat.size(); ++i) EXPECT_EQ(with_flat[i].cls, BeatClass::normal) << i;
  // NaN in lead 0 around beat 50: lead 1 classifies it; with both leads lost it is unknown.
  std::vector<double> holed = r.lead[0];
  for (auto i = r.peaks[50] - 100; i < r.peaks[50] + 100; ++i) holed[std::size_t(i)] = std::nan("");
  EXPECT_EQ(classify_beats(holed, r.lead[1], 360, r.peaks)[50].cls, BeatClass::normal);
  EXPECT_EQ(classify_beats(holed, holed, 360, r.peaks)[50].cls, BeatClass::unknown);
  // Beats at the very ends of the signal.
  const std::vector<std::int64_t> ends = {0, std::int64_t(r.lead[0].size()) - 1};
  EXPECT_EQ(classify_beats(r.lead[0], r.lead[1], 360, ends).size(), 2u);
}

TEST(BeatClass, BadInputsThrow) {
  Record r = synthetic_record(360, 1, false, false);
  const std::vector<double> shorter(r.lead[0].begin(), r.lead[0].end() - 1);
  EXPECT_THROW(classify_beats(r.lead[0], shorter, 360, r.peaks), Error);
  EXPECT_THROW(classify_beats({}, {}, 360, r.peaks), Error);
  for (double rate : {0.0, -1.0, 10.0, 1e6, std::nan("")})
    EXPECT_THROW(classify_beats(r.lead[0], {}, rate, r.peaks), Error);
  const std::vector<std::int64_t> unsorted = {r.peaks[2], r.peaks[1]};
  EXPECT_THROW(classify_beats(r.lead[0], {}, 360, unsorted), Error);
  const std::vector<std::int64_t> outside = {r.peaks[1], std::int64_t(r.lead[0].size())};
  EXPECT_THROW(classify_beats(r.lead[0], {}, 360, outside), Error);
  const std::vector<std::int64_t> negative = {-1, r.peaks[1]};
  EXPECT_THROW(classify_beats(r.lead[0], {}, 360, negative), Error);
}

}  // namespace
}  // namespace medtwin::cardio

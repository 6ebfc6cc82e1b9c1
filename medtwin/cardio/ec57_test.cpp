#include "medtwin/cardio/ec57.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "medtwin/core/error.hpp"

namespace medtwin::cardio {
namespace {

constexpr double rate = 360;            // MIT-BIH
constexpr std::int64_t start = 108000;  // 5 min at 360 Hz: the first scored sample
constexpr std::int64_t window = 54;     // 150 ms at 360 Hz

Annotation beat(std::int64_t sample, const char* code = "N") { return {sample, 0, code, ""}; }
Annotation rhythm(std::int64_t sample, const char* text) { return {sample, 0, "+", text}; }

// Beats every second from 6 min on.
std::vector<Annotation> regular(int count) {
  std::vector<Annotation> a;
  for (int i = 0; i < count; ++i) a.push_back(beat(start + 360 * (60 + i)));
  return a;
}

std::vector<std::int64_t> samples_of(const std::vector<Annotation>& a, std::int64_t shift = 0) {
  std::vector<std::int64_t> s;
  for (const Annotation& x : a) s.push_back(x.sample + shift);
  return s;
}

TEST(Ec57, BeatCodesAreTheWfdbBeatLabelsOnly) {
  for (const char* code :
       {"N", "L", "R", "B", "A", "a", "J", "S", "V", "r", "F", "e", "j", "n", "E", "/", "f", "Q", "?"})
    EXPECT_TRUE(is_beat_code(code)) << code;
  for (const char* code : {"+", "~", "|", "\"", "x", "!", "[", "]", "U", "T", "(N", ""})
    EXPECT_FALSE(is_beat_code(code)) << code;
}

TEST(Ec57, PacedMitBihRecordsAreExcluded) {
  for (const char* r : {"102", "104", "107", "217"}) EXPECT_TRUE(is_paced_mitdb_record(r));
  for (const char* r : {"100", "105", "207", "1020"}) EXPECT_FALSE(is_paced_mitdb_record(r));
}

TEST(Ec57, PerfectDetectionsScoreOneHundredPercent) {
  auto ref = regular(100);
  Ec57Counts c = score_beats(ref, samples_of(ref), rate);
  EXPECT_EQ(c.tp, 100);
  EXPECT_EQ(c.fn, 0);
  EXPECT_EQ(c.fp, 0);
  EXPECT_DOUBLE_EQ(c.sensitivity(), 1);
  EXPECT_DOUBLE_EQ(c.positive_predictivity(), 1);
}

// 150 ms is 54 samples at 360 Hz: 54 off still matches, 55 off is a miss plus a false detection.
TEST(Ec57, MatchWindowIs150Milliseconds) {
  auto ref = regular(10);
  Ec57Counts inside = score_beats(ref, samples_of(ref, window), rate);
  EXPECT_EQ(inside.tp, 10);
  Ec57Counts early = score_beats(ref, samples_of(ref, -window), rate);
  EXPECT_EQ(early.tp, 10);
  Ec57Counts outside = score_beats(ref, samples_of(ref, window + 1), rate);
  EXPECT_EQ(outside.tp, 0);
  EXPECT_EQ(outside.fn, 10);
  EXPECT_EQ(outside.fp, 10);
}

TEST(Ec57, CountsMissesAndExtrasWithTheirRatios) {
  auto ref = regular(10);
  std::vector<std::int64_t> det = samples_of(ref);
  det.erase(det.begin() + 3);                        // one beat missed
  det.insert(det.begin() + 5, ref[5].sample + 180);  // one extra half-way to the next beat
  Ec57Counts c = score_beats(ref, det, rate);
  EXPECT_EQ(c.tp, 9);
  EXPECT_EQ(c.fn, 1);
  EXPECT_EQ(c.fp, 1);
  EXPECT_DOUBLE_EQ(c.sensitivity(), 0.9);
  EXPECT_DOUBLE_EQ(c.positive_predictivity(), 0.9);
}

// Two detections near one beat: the nearer pairs with it, the other is false.
TEST(Ec57, NearestDetectionPairsWithTheBeat) {
  std::vector<Annotation> ref{beat(start + 1000)};
  Ec57Counts c = score_beats(ref, std::vector<std::int64_t>{start + 970, start + 1005}, rate);
  EXPECT_EQ(c.tp, 1);
  EXPECT_EQ(c.fp, 1);
  EXPECT_EQ(c.fn, 0);
}

TEST(Ec57, LearningPeriodAndNonBeatAnnotationsAreNotScored) {
  std::vector<Annotation> ref{beat(1000),
                              rhythm(2000, "(AFIB"),
                              {3000, 0, "~", ""},
                              beat(start + 100, "V"),
                              {start + 500, 0, "|", ""},
                              beat(start + 900, "Q")};
  // Missed beat and false detection in the first 5 min, the rest found; "|" and "~" are not beats.
  Ec57Counts c = score_beats(ref, std::vector<std::int64_t>{5000, start + 110, start + 905}, rate);
  EXPECT_EQ(c.tp, 2);
  EXPECT_EQ(c.fn, 0);
  EXPECT_EQ(c.fp, 0);
}

// MIT-BIH 207 marks flutter with "[" … "]" and a "(VFL" rhythm that ends at the next rhythm label.
TEST(Ec57, VentricularFlutterIsExcluded) {
  const std::int64_t t = start + 36000;
  std::vector<Annotation> ref{beat(t - 360),         {t, 0, "[", ""},        rhythm(t + 40, "(VFL"),
                              {t + 200, 0, "!", ""}, {t + 3000, 0, "]", ""}, rhythm(t + 3100, "(N"),
                              beat(t + 3500)};
  // Detections on flutter waves (t+200 … t+3050) and one in the gap between "]" and the rhythm change.
  std::vector<std::int64_t> det{t - 360, t + 200, t + 1000, t + 2000, t + 3050, t + 3500};
  Ec57Counts c = score_beats(ref, det, rate);
  EXPECT_EQ(c.tp, 2);
  EXPECT_EQ(c.fp, 0);
  EXPECT_EQ(c.fn, 0);
  // A "(VFL" episode without brackets is excluded up to the next rhythm label, and no further.
  std::vector<Annotation> rhythm_only{rhythm(t, "(VFL"), rhythm(t + 3000, "(N"), beat(t + 3500)};
  c = score_beats(rhythm_only, std::vector<std::int64_t>{t + 1000, t + 3200, t + 3500}, rate);
  EXPECT_EQ(c.tp, 1);
  EXPECT_EQ(c.fp, 1);
}

TEST(Ec57, GrossCountsAddUp) {
  Ec57Counts total;
  total += Ec57Counts{99, 1, 2};
  total += Ec57Counts{200, 3, 0};
  EXPECT_EQ(total.tp, 299);
  EXPECT_NEAR(total.sensitivity(), 299.0 / 303, 1e-15);
  EXPECT_NEAR(total.positive_predictivity(), 299.0 / 301, 1e-15);
  EXPECT_TRUE(std::isnan(Ec57Counts{}.sensitivity()));
}

TEST(Ec57, ImpossibleInputThrows) {
  auto ref = regular(3);
  EXPECT_THROW(score_beats(ref, samples_of(ref), 0), Error);
  EXPECT_THROW(score_beats(ref, samples_of(ref), -360), Error);
  EXPECT_THROW(score_beats(ref, std::vector<std::int64_t>{start + 5000, start + 10}, rate), Error);
}

}  // namespace
}  // namespace medtwin::cardio

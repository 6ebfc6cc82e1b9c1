#include "medtwin/sleep/activity.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "medtwin/core/codes.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/sleep/test_data.hpp"

namespace medtwin::sleep {
namespace {

using namespace std::chrono_literals;
using namespace test_data;

Observation steps(const char* start, const char* end, double value) {
  Observation obs;
  obs.code = metrics::steps().code;
  obs.value = value;
  obs.unit = "{steps}";
  obs.start = at(start);
  obs.end = at(end);
  return obs;
}

Signal actigraphy(double rate_hz, std::vector<float> counts) {
  Signal s;
  s.kind = "actigraphy";
  s.sample_rate_hz = rate_hz;
  s.start = at("2024-01-01T08:30:00Z");
  s.channels = {{"activity", "{count}"}};
  s.samples = {std::move(counts)};
  return s;
}

TEST(ActivitySeries, FromSignal) {
  const ActivitySeries a = activity_from_signal(actigraphy(1.0 / 30, {1, std::nanf(""), 3}));
  EXPECT_EQ(a.epoch, 30s);
  EXPECT_EQ(a.start, at("2024-01-01T08:30:00Z"));
  ASSERT_EQ(a.counts.size(), 3u);
  EXPECT_TRUE(std::isnan(a.counts[1]));
  EXPECT_EQ(a.time_of(2), at("2024-01-01T08:31:00Z"));
}

TEST(ActivitySeries, FromSignalRejectsBadSignals) {
  Signal ecg = actigraphy(1.0 / 60, {1});
  ecg.kind = "ECG";
  EXPECT_NE(error_of([&] { activity_from_signal(ecg); }).find("kind 'actigraphy', got 'ECG'"), std::string::npos);
  EXPECT_NE(error_of([&] { activity_from_signal(actigraphy(1.0 / 420, {1})); }).find("divide one hour"),
            std::string::npos);  // 7-min epochs
  EXPECT_NE(error_of([&] { activity_from_signal(actigraphy(0, {1})); }).find("no sample rate"), std::string::npos);
}

// A 1-min step record straddling two grid minutes is split by overlap; a gap
// is missing unless told it means zero.
TEST(ActivitySeries, FromObservationsSpreadsByOverlap) {
  const std::vector<Observation> obs = {
      steps("2024-01-01T10:00:30Z", "2024-01-01T10:01:30Z", 60),  // 30 + 30
      steps("2024-01-01T10:03:00Z", "2024-01-01T10:04:00Z", 12),  // exactly minute 3
      steps("2024-01-01T10:03:20Z", "2024-01-01T10:03:20Z", 5),   // a point: all in minute 3
  };
  const ActivitySeries a = activity_from_observations(obs);
  EXPECT_EQ(a.start, at("2024-01-01T10:00:00Z"));
  ASSERT_EQ(a.counts.size(), 4u);  // 10:00 … 10:03; the last interval ends on the 10:04 grid line
  EXPECT_DOUBLE_EQ(a.counts[0], 30);
  EXPECT_DOUBLE_EQ(a.counts[1], 30);
  EXPECT_TRUE(std::isnan(a.counts[2]));
  EXPECT_DOUBLE_EQ(a.counts[3], 17);
  const ActivitySeries zero = activity_from_observations(obs, {1min, true});
  EXPECT_DOUBLE_EQ(zero.counts[2], 0);
  // 5-min grid: the same steps in one epoch of 10:00–10:05.
  const ActivitySeries five = activity_from_observations(obs, {5min, false});
  ASSERT_EQ(five.counts.size(), 1u);
  EXPECT_DOUBLE_EQ(five.counts[0], 77);
}

TEST(ActivitySeries, FromObservationsRejectsBadInput) {
  EXPECT_NE(error_of([] { activity_from_observations({}); }).find("no observations"), std::string::npos);
  std::vector<Observation> mixed = {steps("2024-01-01T10:00:00Z", "2024-01-01T10:01:00Z", 1),
                                    steps("2024-01-01T10:01:00Z", "2024-01-01T10:02:00Z", 1)};
  mixed[1].code = metrics::heart_rate().code;
  EXPECT_NE(error_of([&] { activity_from_observations(mixed); }).find("mix metrics"), std::string::npos);
  std::vector<Observation> coded = {steps("2024-01-01T10:00:00Z", "2024-01-01T10:01:00Z", 1)};
  coded[0].value.reset();
  EXPECT_NE(error_of([&] { activity_from_observations(coded); }).find("no finite numeric value"), std::string::npos);
  const std::vector<Observation> backwards = {steps("2024-01-01T10:01:00Z", "2024-01-01T10:00:00Z", 1)};
  EXPECT_NE(error_of([&] { activity_from_observations(backwards); }).find("ends before it starts"), std::string::npos);
  const std::vector<Observation> stray = {steps("1900-01-01T10:00:00Z", "1900-01-01T10:01:00Z", 1),
                                          steps("2200-01-01T10:00:00Z", "2200-01-01T10:01:00Z", 1)};
  EXPECT_NE(error_of([&] { activity_from_observations(stray); }).find("stray timestamp"), std::string::npos);
  EXPECT_NE(error_of([&] { activity_from_observations(backwards, {7min, false}); }).find("divide one hour"),
            std::string::npos);
}

// pyActigraphy binarises with "count > threshold": 4 stays 0, 5 becomes 1.
TEST(ActivitySeries, BinarizeIsStrictlyAbove) {
  const ActivitySeries a{at("2024-01-01T00:00:00Z"), 1min, {0, 4, 5, std::nan(""), 300}};
  const ActivitySeries b = binarize(a, 4);
  EXPECT_EQ(b.counts[0], 0);
  EXPECT_EQ(b.counts[1], 0);
  EXPECT_EQ(b.counts[2], 1);
  EXPECT_TRUE(std::isnan(b.counts[3]));
  EXPECT_EQ(b.counts[4], 1);
}

TEST(ActivitySeries, CheckSeriesNamesTheProblem) {
  ActivitySeries a{at("2024-01-01T00:00:00Z"), 1min, {}};
  EXPECT_NE(error_of([&] { check_series(a, "L5"); }).find("L5: the activity series is empty"), std::string::npos);
  a.counts = {std::nan(""), std::nan("")};
  EXPECT_NE(error_of([&] { check_series(a, "L5"); }).find("every epoch"), std::string::npos);
  a.counts = {1, -2};
  const auto negative = error_of([&] { check_series(a, "L5"); });
  EXPECT_NE(negative.find("L5: activity counts must be finite and non-negative"), std::string::npos);
  EXPECT_EQ(negative.find("-2"), std::string::npos);  // measured values stay out of messages
  a.counts = {1, INFINITY};
  EXPECT_NE(error_of([&] { check_series(a, "L5"); }).find("finite"), std::string::npos);
  a.counts = {1, 2};
  a.epoch = 0ms;
  EXPECT_NE(error_of([&] { check_series(a, "L5"); }).find("divide one hour"), std::string::npos);
}

TEST(ActivitySeries, CoveredDaysCountsPresentEpochs) {
  ActivitySeries a{at("2024-01-01T00:00:00Z"), 1min, std::vector<double>(2880, 1.0)};
  a.counts[0] = std::nan("");
  EXPECT_NEAR(covered_days(a), 2879.0 / 1440, 1e-15);
  EXPECT_NE(error_of([&] { require_days(a, 3, "IS"); }).find("needs at least 3 days of non-missing epochs, got 2.00"),
            std::string::npos);
}

TEST(ActivitySeries, LocalTimeOfDayFollowsZones) {
  const TimeZoneHistory berlin({{at("2024-01-01T00:00:00Z"), "Europe/Berlin"}});
  EXPECT_EQ(hhmm(local_time_of_day(at("2024-07-01T22:30:00Z"), berlin)), "00:30");  // CEST
  EXPECT_EQ(hhmm(local_time_of_day(at("2024-01-01T22:30:00Z"), berlin)), "23:30");  // CET
  // A move to New York on 2024-03-01: later instants read on its clock.
  const TimeZoneHistory moved({{at("2024-01-01T00:00:00Z"), "Europe/Berlin"},
                               {at("2024-03-01T00:00:00Z"), "America/New_York"}});
  EXPECT_EQ(hhmm(local_time_of_day(at("2024-03-02T12:00:00Z"), moved)), "07:00");
}

}  // namespace
}  // namespace medtwin::sleep

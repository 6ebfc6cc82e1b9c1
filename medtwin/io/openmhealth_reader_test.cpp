#include "medtwin/io/openmhealth_reader.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <map>

#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/fhir_reader.hpp"
#include "medtwin/io/testing.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;

const fs::path kSamples = fs::path(MEDTWIN_SHARED_DATA) / "fhir/openmhealth_schemas/test-data/omh";

CollectingSink read_sample(const std::string& relative) {
  CollectingSink sink;
  make_open_mhealth_importer()->read(required_file(kSamples / relative), {}, sink);
  return sink;
}

CollectingSink read_text(const std::string& text, const ImportOptions& options = {}) {
  CollectingSink sink;
  read_open_mhealth(text, "omh.json", options, sink);
  return sink;
}

TEST(OpenMhealthSamples, EveryValidSampleIsClaimedAndRead) {
  ASSERT_TRUE(fs::is_directory(kSamples)) << "validation data missing: " << kSamples;
  auto omh = make_open_mhealth_importer();
  auto fhir = make_fhir_importer();
  std::size_t files = 0, observations = 0, skipped = 0;
  std::map<std::string, std::size_t> per_code;
  for (const auto& entry : fs::recursive_directory_iterator(kSamples)) {
    if (!entry.is_regular_file()) continue;
    SCOPED_TRACE(entry.path().string());
    ++files;
    std::string head = read_head(entry.path());
    EXPECT_TRUE(omh->accepts(entry.path(), head, {}));
    EXPECT_FALSE(fhir->accepts(entry.path(), head, {}));
    CollectingSink sink;
    omh->read(entry.path(), {}, sink);
    observations += sink.observations.size();
    for (const auto& o : sink.observations) ++per_code[o.code.code];
    for (const auto& issue : sink.issues) {
      EXPECT_EQ(issue.kind, ImportIssue::Kind::skipped_record) << issue.what;
      ++skipped;
    }
  }
  EXPECT_EQ(files, 25u);
  // 11 samples are summaries (descriptive_statistic) or lack a time frame.
  EXPECT_EQ(observations, 17u);
  EXPECT_EQ(skipped, 11u);
  EXPECT_EQ(per_code["41653-7"], 3u);  // blood glucose
  EXPECT_EQ(per_code["8480-6"], 3u);
  EXPECT_EQ(per_code["8462-4"], 3u);
  EXPECT_EQ(per_code["8310-5"], 2u);
  EXPECT_EQ(per_code["8867-4"], 1u);
  EXPECT_EQ(per_code["rr-interval"], 2u);
  EXPECT_EQ(per_code["93832-4"], 1u);
  EXPECT_EQ(per_code["258158006"], 1u);
  EXPECT_EQ(per_code["55423-8"], 1u);
}

TEST(OpenMhealthSamples, ValuesUnitsAndTimes) {
  auto bp = read_sample("blood-pressure/4.0/shouldPass/blood-pressure-only.json");
  ASSERT_EQ(bp.observations.size(), 2u);
  EXPECT_EQ(bp.observations[0].code.code, "8480-6");
  EXPECT_EQ(*bp.observations[0].value, 115);
  EXPECT_EQ(bp.observations[0].unit, "mm[Hg]");
  EXPECT_EQ(*bp.observations[1].value, 60);
  EXPECT_EQ(bp.observations[1].start, parse_instant("2020-02-05T15:25:00Z"));

  auto temperature = read_sample("body-temperature/4.0/shouldPass/valid-temperature.json");
  ASSERT_EQ(temperature.observations.size(), 1u);
  EXPECT_NEAR(*temperature.observations[0].value, (97 - 32) * 5.0 / 9.0, 1e-9);  // 97 °F
  EXPECT_EQ(temperature.observations[0].unit, "Cel");
  EXPECT_EQ(temperature.observations[0].start, parse_instant("2023-02-05T06:25:00Z"));

  auto steps = read_sample("step-count/3.0/shouldPass/valid-step-count.json");
  ASSERT_EQ(steps.observations.size(), 1u);
  EXPECT_EQ(*steps.observations[0].value, 10600);
  EXPECT_EQ(steps.observations[0].unit, "{steps}");
  EXPECT_EQ(steps.observations[0].end - steps.observations[0].start, std::chrono::hours(1));

  auto sleep = read_sample("sleep-episode/1.1/shouldPass/valid-sleep-episode.json");
  ASSERT_EQ(sleep.observations.size(), 1u);
  EXPECT_EQ(sleep.observations[0].value_code, sleep_stages::asleep());
  EXPECT_EQ(sleep.observations[0].start, parse_instant("2016-02-05T21:35:00Z"));
  EXPECT_EQ(sleep.observations[0].end, parse_instant("2016-02-06T06:35:00Z"));  // start + 9 h

  auto rr = read_sample("rr-interval/1.0/shouldPass/with-time-frame.json");
  ASSERT_EQ(rr.observations.size(), 1u);
  EXPECT_EQ(*rr.observations[0].value, 30);
  EXPECT_EQ(rr.observations[0].unit, "ms");

  auto hours = read_sample("sleep-duration/2.0/shouldPass/valid-sleep-duration.json");
  EXPECT_EQ(*hours.observations.at(0).value, 7.5);
  EXPECT_EQ(hours.observations.at(0).unit, "h");

  auto summary = read_sample("heart-rate/2.0/shouldPass/with-descriptive-statistic.json");
  EXPECT_TRUE(summary.observations.empty());
  ASSERT_EQ(summary.issues.size(), 1u);
  EXPECT_EQ(summary.issues[0].what, "heart-rate minimum (a summary statistic) not imported");

  // Schema-valid, but its interval ends three years before it starts.
  auto inverted = read_sample("sleep-duration/2.0/shouldPass/with-descriptive-statistic.json");
  EXPECT_TRUE(inverted.observations.empty());
}

TEST(OpenMhealthDataPoints, HeaderGivesSchemaSourceAndPerson) {
  auto sink = read_text(R"([
    {"header":{"id":"1","creation_date_time":"2024-01-02T00:00:00Z",
       "schema_id":{"namespace":"omh","name":"heart-rate","version":"2.0"},
       "acquisition_provenance":{"source_name":"Polar H10","modality":"sensed"},"user_id":"u1"},
     "body":{"heart_rate":{"value":58,"unit":"beats/min"},"effective_time_frame":{"date_time":"2024-01-01T23:00:00-05:00"}}},
    {"header":{"id":"2","creation_date_time":"2024-01-02T00:00:00Z",
       "schema_id":{"namespace":"omh","name":"physical-activity","version":"1.2"},
       "acquisition_provenance":{"source_name":"Strava"},"user_id":"u1"},
     "body":{"activity_name":"walking","distance":{"value":2,"unit":"mi"},"kcal_burned":{"value":150,"unit":"kcal"},
       "reported_activity_intensity":"moderate",
       "effective_time_frame":{"time_interval":{"end_date_time":"2024-01-02T10:30:00Z","duration":{"value":30,"unit":"min"}}}}},
    {"header":{"id":"3","creation_date_time":"2024-01-02T00:00:00Z",
       "schema_id":{"namespace":"omh","name":"body-weight","version":"2.0"},"user_id":"u2"},
     "body":{"body_weight":{"value":154,"unit":"lb"},"effective_time_frame":{"date_time":"2024-01-02T07:00:00Z"}}},
    {"header":{"id":"4","creation_date_time":"2024-01-02T00:00:00Z",
       "schema_id":{"namespace":"acme","name":"mood","version":"1.0"}},"body":{"mood":"fine"}}])");
  ASSERT_EQ(sink.persons.size(), 2u);
  EXPECT_EQ(sink.persons[0].source_id, "u1");
  EXPECT_EQ(sink.persons[1].source_id, "u2");
  ASSERT_EQ(sink.observations.size(), 2u);
  EXPECT_EQ(sink.observations[0].source, "Polar H10");
  EXPECT_EQ(sink.observations[0].start, parse_instant("2024-01-02T04:00:00Z"));
  EXPECT_EQ(sink.observations[1].code.code, "29463-7");
  EXPECT_NEAR(*sink.observations[1].value, 154 * 0.45359237, 1e-9);
  ASSERT_EQ(sink.events.size(), 1u);
  const Event& walk = sink.events[0];
  EXPECT_EQ(walk.kind, event_kinds::workout);
  EXPECT_EQ(walk.code.display, "walking");
  EXPECT_EQ(walk.start, parse_instant("2024-01-02T10:00:00Z"));
  EXPECT_EQ(walk.end, parse_instant("2024-01-02T10:30:00Z"));
  EXPECT_EQ(walk.amount, 150.0);
  EXPECT_EQ(walk.unit, "kcal");
  EXPECT_EQ(walk.source, "Strava");
  auto details = nlohmann::json::parse(walk.details_json);
  EXPECT_NEAR(details["distance_km"].get<double>(), 3.218688, 1e-9);
  EXPECT_EQ(details["intensity"], "moderate");
  ASSERT_EQ(sink.issues.size(), 1u);
  EXPECT_EQ(sink.issues[0].kind, ImportIssue::Kind::unknown_type);
  EXPECT_EQ(sink.issues[0].what, "Open mHealth schema mood");
}

TEST(OpenMhealthBadInput, ClearErrors) {
  try {
    read_text(R"({"heart_rate":{"value":60,"unit":"beats/min"},"effective_time_frame":{"date_time":"2024-01-01T08:00:00"}})");
    FAIL() << "no error";
  } catch (const ParseError& e) {
    std::string message = e.what();
    EXPECT_EQ(message.rfind("omh.json: effective_time_frame.date_time: ", 0), 0u) << message;
    EXPECT_NE(message.find("--tz"), std::string::npos) << message;
  }
  EXPECT_THROW(read_text(R"({"heart_rate":{"value":60,"unit":"beats/min"},"effective_ti)"), ParseError);
  EXPECT_THROW(read_text(R"([1, 2])"), ParseError);
  EXPECT_THROW(read_text(R"({"sleep_duration":{"value":7,"unit":"h"},
    "effective_time_frame":{"time_interval":{"start_date_time":"2024-01-01T00:00:00Z","duration":{"value":1,"unit":"fortnight"}}}})"),
               ParseError);

  auto odd = read_text(R"({"heart_rate":{"value":1,"unit":"Hz"},"effective_time_frame":{"date_time":"2024-01-01T08:00:00Z"}})");
  ASSERT_EQ(odd.observations.size(), 1u);
  EXPECT_EQ(*odd.observations[0].value, 60);  // 1 Hz = 60 /min
  auto unknown = read_text(R"({"heart_rate":{"value":1,"unit":"furlongs"},"effective_time_frame":{"date_time":"2024-01-01T08:00:00Z"}})");
  EXPECT_EQ(unknown.observations.at(0).unit, "furlongs");
  EXPECT_EQ(unknown.issues.at(0).kind, ImportIssue::Kind::unknown_unit);
}

TEST(OpenMhealthDetect, LeavesOtherJsonAlone) {
  EXPECT_TRUE(looks_like_open_mhealth(R"({"header":{"id":"x","schema_id":{"namespace":"omh"}},"body":{}})"));
  EXPECT_TRUE(looks_like_open_mhealth(R"([{"step_count":{"value":1,"unit":"steps"}}])"));
  EXPECT_FALSE(looks_like_open_mhealth(R"({"resourceType":"Observation","effective_time_frame":1})"));
  EXPECT_FALSE(looks_like_open_mhealth(R"([{"dateTime":"01/01/20 00:00:00","value":{"bpm":60,"confidence":2}}])"));
  EXPECT_FALSE(looks_like_open_mhealth(R"({"header":{"id":"x"},"body":{}})"));
  EXPECT_FALSE(looks_like_open_mhealth("Id,ActivityDate,TotalSteps\n"));
}

}  // namespace
}  // namespace medtwin

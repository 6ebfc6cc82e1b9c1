#include "medtwin/io/fitbit_export.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/fitbit_common.hpp"
#include "medtwin/io/testing.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Hand-made samples of the documented export layout (see testdata/fitbit/README.md).
const fs::path kSamples = fs::path(MEDTWIN_SOURCE_DIR) / "medtwin/io/testdata/fitbit";

ImportOptions amsterdam() {
  ImportOptions options;
  options.time_zone = "Europe/Amsterdam";  // UTC+1 in January
  return options;
}

CollectingSink import_sample(const std::string& name) {
  fs::path path = required_file(kSamples / name, "test sample");
  CollectingSink sink;
  auto importer = make_fitbit_export_importer();
  EXPECT_TRUE(importer->accepts(path, read_head(path), amsterdam())) << name;
  importer->read(path, amsterdam(), sink);
  return sink;
}

double sum_of(const CollectingSink& sink, const Metric& metric) {
  double sum = 0;
  for (const auto& obs : sink.observations)
    if (obs.code == metric.code) sum += *obs.value;
  return sum;
}

std::size_t count_of(const CollectingSink& sink, const Metric& metric) {
  return std::count_if(sink.observations.begin(), sink.observations.end(),
                       [&](const Observation& obs) { return obs.code == metric.code; });
}

TEST(FitbitExport, RecognisesFileNames) {
  EXPECT_TRUE(is_fitbit_export_file("heart_rate-2020-01-01.json"));
  EXPECT_TRUE(is_fitbit_export_file("resting_heart_rate.json"));
  EXPECT_TRUE(is_fitbit_export_file("exercise-100.json"));
  EXPECT_TRUE(is_fitbit_export_file("sleep_score.csv"));
  EXPECT_TRUE(is_fitbit_export_file("moderately_active_minutes-2019-12-02.json"));
  EXPECT_FALSE(is_fitbit_export_file("badge.json"));
  EXPECT_FALSE(is_fitbit_export_file("heart_rate-2020-01-01.csv"));
  EXPECT_FALSE(is_fitbit_export_file("food_logs-0.json"));
}

TEST(FitbitExport, HeartRateIsLocalTime) {
  auto sink = import_sample("heart_rate-2020-01-01.json");
  ASSERT_EQ(sink.observations.size(), 5u);
  const auto& first = sink.observations.front();
  EXPECT_EQ(first.code, metrics::heart_rate().code);
  EXPECT_EQ(*first.value, 62);
  EXPECT_EQ(first.unit, "/min");
  EXPECT_EQ(format_instant(first.start), "2019-12-31T23:00:05.000Z");
  EXPECT_EQ(first.start, first.end);
  EXPECT_TRUE(sink.persons.empty());  // the export names no subject: ingest uses --person
}

TEST(FitbitExport, RestingHeartRateSkipsDaysWithoutEstimate) {
  auto sink = import_sample("resting_heart_rate-2020-01-01.json");
  ASSERT_EQ(sink.observations.size(), 2u);
  EXPECT_EQ(sink.observations[0].code, metrics::resting_heart_rate().code);
  EXPECT_DOUBLE_EQ(*sink.observations[0].value, 58.4);
  EXPECT_EQ(format_instant(sink.observations[0].start), "2019-12-31T23:00:00.000Z");
  EXPECT_EQ(format_instant(sink.observations[0].end), "2020-01-01T23:00:00.000Z");
}

TEST(FitbitExport, MinuteSeriesConvertUnits) {
  auto steps = import_sample("steps-2020-01-01.json");
  EXPECT_EQ(steps.observations.size(), 4u);
  EXPECT_EQ(sum_of(steps, metrics::steps()), 303);
  EXPECT_EQ(steps.observations[1].end - steps.observations[1].start, 1min);

  EXPECT_NEAR(sum_of(import_sample("calories-2020-01-01.json"), metrics::total_energy()), 11.37, 1e-9);
  auto distance = import_sample("distance-2020-01-01.json");
  ASSERT_EQ(distance.observations.size(), 2u);
  EXPECT_NEAR(*distance.observations[0].value, 0.0654, 1e-12);  // 6540 cm
  EXPECT_EQ(distance.observations[0].unit, "km");
  auto altitude = import_sample("altitude-2020-01-01.json");
  EXPECT_NEAR(sum_of(altitude, fitbit::elevation_gain()), 30 * 0.3048, 1e-9);  // 30 ft
}

TEST(FitbitExport, ActivityMinutesAreDaily) {
  auto very = import_sample("very_active_minutes-2020-01-01.json");
  ASSERT_EQ(very.observations.size(), 2u);
  EXPECT_EQ(very.observations[0].code, metrics::very_active_minutes().code);
  EXPECT_EQ(*very.observations[0].value, 12);
  EXPECT_EQ(very.observations[0].end - very.observations[0].start, 24h);
  EXPECT_EQ(sum_of(import_sample("moderately_active_minutes-2020-01-01.json"), metrics::fairly_active_minutes()), 13);
  EXPECT_EQ(sum_of(import_sample("lightly_active_minutes-2020-01-01.json"), metrics::lightly_active_minutes()), 384);
  EXPECT_EQ(sum_of(import_sample("sedentary_minutes-2020-01-01.json"), metrics::sedentary_minutes()), 1547);
}

TEST(FitbitExport, HeartRateZones) {
  auto sink = import_sample("time_in_heart_rate_zones-2020-01-01.json");
  ASSERT_EQ(sink.observations.size(), 4u);
  EXPECT_EQ(sum_of(sink, fitbit::time_in_heart_rate_zone(0)), 1380);
  EXPECT_EQ(sum_of(sink, fitbit::time_in_heart_rate_zone(1)), 48);
  EXPECT_EQ(sum_of(sink, fitbit::time_in_heart_rate_zone(2)), 12);
}

TEST(FitbitExport, WeightUnitFollowsFromBmi) {
  auto sink = import_sample("weight-2020-01-01.json");
  ASSERT_EQ(count_of(sink, metrics::body_weight()), 2u);
  std::vector<double> kg;
  for (const auto& obs : sink.observations)
    if (obs.code == metrics::body_weight().code) kg.push_back(*obs.value);
  EXPECT_NEAR(kg[0], 165.3 * 0.45359237, 1e-9);  // pounds, told by BMI 24.41
  EXPECT_DOUBLE_EQ(kg[1], 75.0);                  // kilograms, told by BMI 24.49
  EXPECT_EQ(count_of(sink, metrics::body_mass_index()), 2u);
  EXPECT_EQ(sum_of(sink, metrics::body_fat()), 21.5);
  ASSERT_EQ(sink.issues.size(), 1u);  // the entry without BMI
  EXPECT_EQ(sink.issues[0].kind, ImportIssue::Kind::skipped_record);
}

TEST(FitbitExport, SleepStagesWithShortWakesSpliced) {
  auto sink = import_sample("sleep-2020-01-01.json");
  std::vector<Observation> stages;
  for (const auto& obs : sink.observations)
    if (obs.code == metrics::sleep_stage().code) stages.push_back(obs);
  // Stages log: 7 long stages, two of them cut by a short wake (+2 pieces, +2 wakes); classic: 3.
  ASSERT_EQ(stages.size(), 14u);
  auto night_end = stages.begin() + 11;
  std::chrono::milliseconds total{0}, wake{0};
  for (auto it = stages.begin(); it != night_end; ++it) {
    total += it->end - it->start;
    if (*it->value_code == sleep_stages::awake()) wake += it->end - it->start;
    if (it != stages.begin()) {
      EXPECT_EQ(it->start, std::prev(it)->end) << "gap or overlap";
    }
  }
  EXPECT_EQ(total, 160min);
  EXPECT_EQ(wake, 17min + 30s);
  // Light 00:50-01:20 local is cut by the wake 00:55-00:56.
  EXPECT_EQ(format_instant(stages[3].start), "2020-01-01T23:50:00.000Z");
  EXPECT_EQ(*stages[3].value_code, sleep_stages::light());
  EXPECT_EQ(format_instant(stages[4].start), "2020-01-01T23:55:00.000Z");
  EXPECT_EQ(*stages[4].value_code, sleep_stages::awake());
  EXPECT_EQ(format_instant(stages[5].end), "2020-01-02T00:20:00.000Z");
  // Classic levels.
  EXPECT_EQ(*stages[12].value_code, sleep_stages::restless());
  EXPECT_EQ(*stages[13].value_code, sleep_stages::asleep());

  EXPECT_NEAR(sum_of(sink, metrics::sleep_duration()), (142.0 + 27.0) / 60, 1e-12);
  EXPECT_NEAR(sum_of(sink, metrics::time_in_bed()), (160.0 + 30.0) / 60, 1e-12);
  EXPECT_EQ(count_of(sink, fitbit::sleep_efficiency()), 2u);
}

TEST(FitbitExport, ExerciseBecomesWorkoutEvents) {
  auto sink = import_sample("exercise-0.json");
  ASSERT_EQ(sink.events.size(), 2u);
  const Event& walk = sink.events[0];
  EXPECT_EQ(walk.kind, event_kinds::workout);
  EXPECT_EQ(walk.code.code, "fitbit-activity-90013");
  EXPECT_EQ(walk.code.display, "Walk");
  EXPECT_EQ(format_instant(walk.start), "2020-01-01T08:00:00.000Z");
  EXPECT_EQ(format_instant(*walk.end), "2020-01-01T08:30:00.000Z");
  EXPECT_EQ(*walk.amount, 150);
  EXPECT_EQ(walk.unit, "kcal");
  EXPECT_NE(walk.details_json.find("\"steps\":3000"), std::string::npos) << walk.details_json;
  EXPECT_EQ(sink.events[1].code.display, "Run");
}

TEST(FitbitExport, SleepScores) {
  auto sink = import_sample("sleep_score.csv");
  ASSERT_EQ(sink.observations.size(), 5u);  // the second row scores nothing
  EXPECT_EQ(sum_of(sink, fitbit::sleep_score("overall")), 71);
  EXPECT_EQ(sum_of(sink, fitbit::sleep_score("duration")), 35);
  EXPECT_EQ(format_instant(sink.observations[0].start), "2020-01-02T02:10:00.000Z");
}

std::string export_error(std::string_view bytes, const std::string& name, const ImportOptions& options = amsterdam()) {
  CollectingSink sink;
  return error_of<ParseError>([&] { read_fitbit_export(bytes, name, options, sink); });
}

TEST(FitbitExport, BadInputIsAParseErrorNamingTheField) {
  std::string no_tz = export_error("[]", "steps-2020-01-01.json", ImportOptions{});
  EXPECT_NE(no_tz.find("--tz"), std::string::npos) << no_tz;
  EXPECT_NE(export_error("", "steps.json").find("not valid JSON"), std::string::npos);
  EXPECT_NE(export_error("{}", "steps.json").find("expected a JSON array"), std::string::npos);
  std::string bad_time =
      export_error(R"([{"dateTime":"01/01/20 00:00:00","value":"1"},{"dateTime":"noon","value":"2"}])", "steps.json");
  EXPECT_NE(bad_time.find("steps.json: entry 2, field 'dateTime'"), std::string::npos) << bad_time;
  std::string bad_value = export_error(R"([{"dateTime":"01/01/20 00:00:00","value":"many"}])", "steps.json");
  EXPECT_NE(bad_value.find("field 'value'"), std::string::npos) << bad_value;
  std::string long_stage = export_error(
      R"([{"startTime":"2020-01-01T23:00:00.000","endTime":"2020-01-02T07:00:00.000",
           "levels":{"data":[{"dateTime":"2020-01-01T23:00:00.000","level":"light","seconds":1e300}]}}])",
      "sleep-2020-01-01.json");
  EXPECT_NE(long_stage.find("seconds"), std::string::npos) << long_stage;
  std::string no_timestamp = export_error("sleep_log_entry_id,overall_score\n1,80\n", "sleep_score.csv");
  EXPECT_NE(no_timestamp.find("timestamp"), std::string::npos) << no_timestamp;
}

}  // namespace
}  // namespace medtwin

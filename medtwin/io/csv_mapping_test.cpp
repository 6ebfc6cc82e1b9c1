#include "medtwin/io/csv_mapping.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/testing.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path kMappings = fs::path(MEDTWIN_SOURCE_DIR) / "data/mappings";

CsvMapping example(const std::string& name) {
  return load_csv_mapping(required_file(kMappings / name, "example mapping (data/mappings)"));
}

const Observation& only(const CollectingSink& sink, const Code& code) {
  const Observation* found = nullptr;
  for (const auto& obs : sink.observations) {
    if (obs.code == code) {
      EXPECT_EQ(found, nullptr) << "more than one " << code.code;
      found = &obs;
    }
  }
  if (!found) throw std::runtime_error("no observation of " + code.code);
  return *found;
}

TEST(CsvMapping, SamsungHealthHeartRate) {
  // The shape of com.samsung.shealth.tracker.heart_rate.*.csv (values made up).
  std::string csv =
      "com.samsung.shealth.tracker.heart_rate,6313001,3\n"
      "source,tag_id,com.samsung.health.heart_rate.start_time,com.samsung.health.heart_rate.heart_rate,"
      "com.samsung.health.heart_rate.min,com.samsung.health.heart_rate.max,com.samsung.health.heart_rate.time_offset,"
      "com.samsung.health.heart_rate.end_time,com.samsung.health.heart_rate.datauuid,\n"
      "0,21313,2021-03-04 06:10:00.000,64.0,,,UTC+0100,2021-03-04 06:10:00.000,a1b2,\n"
      "0,21313,2021-03-04 07:30:00.000,71.0,60,90,UTC+0100,2021-03-04 07:40:00.000,c3d4,\n";
  CollectingSink sink;
  read_mapped_csv(csv, "com.samsung.shealth.tracker.heart_rate.20210305.csv", example("samsung-health-heart-rate.json"),
                  ImportOptions{}, sink);
  ASSERT_EQ(sink.observations.size(), 2u);
  const auto& second = sink.observations[1];
  EXPECT_EQ(second.code, metrics::heart_rate().code);
  EXPECT_EQ(*second.value, 71);
  EXPECT_EQ(second.unit, "/min");
  EXPECT_EQ(second.source, "Samsung Health");
  EXPECT_EQ(format_instant(second.start), "2021-03-04T07:30:00.000Z");
  EXPECT_EQ(format_instant(second.end), "2021-03-04T07:40:00.000Z");
  EXPECT_TRUE(sink.persons.empty());
}

TEST(CsvMapping, OuraDailySleep) {
  std::string csv =
      "date,Sleep Score,Total Sleep Duration,REM Sleep Duration,Light Sleep Duration,Deep Sleep Duration,"
      "Average Resting Heart Rate,Lowest Resting Heart Rate\n"
      "2021-01-01,78,26460,5400,15660,5400,58.2,52\n"
      "2021-03-28,,,,,,,\n";
  CollectingSink sink;
  read_mapped_csv(csv, "oura_trends.csv", example("oura-daily-sleep.json"), with_tz("Europe/Amsterdam"), sink);
  ASSERT_EQ(sink.observations.size(), 6u);  // the second row is empty
  const auto& sleep = only(sink, metrics::sleep_duration().code);
  EXPECT_DOUBLE_EQ(*sleep.value, 7.35);  // 26460 s
  EXPECT_EQ(sleep.unit, "h");
  EXPECT_EQ(format_instant(sleep.start), "2020-12-31T23:00:00.000Z");
  EXPECT_EQ(sleep.end - sleep.start, 24h);
  const auto& deep = only(sink, Code{"http://loinc.org", "93831-6", ""});
  EXPECT_DOUBLE_EQ(*deep.value, 1.5);
  EXPECT_EQ(deep.unit, "h");
  EXPECT_EQ(deep.code.display, "Deep sleep duration");
  EXPECT_EQ(*only(sink, metrics::resting_heart_rate().code).value, 52);
  const auto& score = only(sink, Code{"https://medtwin.org/code", "oura-sleep-score", ""});
  EXPECT_EQ(*score.value, 78);
  EXPECT_EQ(score.unit, "{score}");
  EXPECT_TRUE(sink.issues.empty());
}

TEST(CsvMapping, GarminDailySummaryAcrossDstChange) {
  std::string csv =
      "calendarDate,totalSteps,totalDistanceMeters,totalKilocalories,activeKilocalories,bmrKilocalories,"
      "restingHeartRate,floorsAscended,moderateIntensityMinutes,vigorousIntensityMinutes\n"
      "2021-03-28,10234,7812,2450,640,1810,54,9,22,14\n";
  CollectingSink sink;
  read_mapped_csv(csv, "garmin.csv", example("garmin-daily-summary.json"), with_tz("Europe/Amsterdam"), sink);
  ASSERT_EQ(sink.observations.size(), 9u);
  const auto& distance = only(sink, metrics::distance().code);
  EXPECT_DOUBLE_EQ(*distance.value, 7.812);
  // 28 March 2021 was 23 hours long in Amsterdam.
  EXPECT_EQ(format_instant(distance.start), "2021-03-27T23:00:00.000Z");
  EXPECT_EQ(format_instant(distance.end), "2021-03-28T22:00:00.000Z");
  EXPECT_EQ(*only(sink, metrics::basal_energy().code).value, 1810);
  EXPECT_EQ(only(sink, metrics::steps().code).source, "Garmin");
}

TEST(CsvMapping, PersonColumnSourceColumnTabsAndUnixTimes) {
  CsvMapping mapping = parse_csv_mapping(R"({
    "delimiter": "\t",
    "time": {"column": "t", "format": "unix_ms"},
    "person": {"column": "who"},
    "source": {"column": "device"},
    "values": [{"column": "glucose", "code": "blood_glucose", "unit": "mmol/L"},
               {"column": "odd", "code": "https://example.org|odd", "unit": "furlongs"}]})",
                                         "map.json");
  CollectingSink sink;
  read_mapped_csv("who\tt\tdevice\tglucose\todd\na\t1600000000000\tLibre\t5.5\t1\na\t1600000060000\t\t6\t\n"
                  "b\t1600000000000\tDexcom\t7\t\n",
                  "g.tsv", mapping, ImportOptions{}, sink);
  ASSERT_EQ(sink.persons.size(), 2u);
  EXPECT_EQ(sink.persons[1].source_id, "b");
  ASSERT_EQ(sink.observations.size(), 4u);
  EXPECT_NEAR(*sink.observations[0].value, 5.5 * 180.156 / 10, 1e-9);
  EXPECT_EQ(sink.observations[0].unit, "mg/dL");
  EXPECT_EQ(sink.observations[0].source, "Libre");
  EXPECT_EQ(sink.observations[2].source, "map");  // empty device: the mapping's name
  EXPECT_EQ(format_instant(sink.observations[0].start), "2020-09-13T12:26:40.000Z");
  EXPECT_EQ(sink.observations[1].unit, "furlongs");
  ASSERT_EQ(sink.issues.size(), 1u);
  EXPECT_EQ(sink.issues[0].kind, ImportIssue::Kind::unknown_unit);
}

TEST(CsvMapping, TimeSplitOverTwoColumnsWithPattern) {
  CsvMapping mapping = parse_csv_mapping(R"({
    "delimiter": ";",
    "time": {"columns": ["Datum", "Zeit"], "format": "%d.%m.%Y %H:%M", "time_zone": "Europe/Berlin"},
    "period": "minute",
    "values": [{"column": "Puls", "code": "heart_rate"}]})",
                                         "de.json");
  CollectingSink sink;
  read_mapped_csv("Datum;Zeit;Puls\n24.12.2022;18:05;72\n", "de.csv", mapping, ImportOptions{}, sink);
  ASSERT_EQ(sink.observations.size(), 1u);
  EXPECT_EQ(format_instant(sink.observations[0].start), "2022-12-24T17:05:00.000Z");
  EXPECT_EQ(sink.observations[0].end - sink.observations[0].start, 1min);
}

std::string read_error(const std::string& csv, const std::string& mapping_json, const ImportOptions& options = {}) {
  return error_of<ParseError>([&] {
    CsvMapping mapping = parse_csv_mapping(mapping_json, "map.json");
    CollectingSink sink;
    read_mapped_csv(csv, "data.csv", mapping, options, sink);
  });
}

const char* kSimple = R"({"time": {"column": "time"}, "values": [{"column": "hr", "code": "heart_rate"}]})";

TEST(CsvMapping, RaggedRowNamesTheLine) {
  std::string error = read_error("time,hr\n2021-01-01T00:00:00Z,60\n2021-01-01T00:01:00Z\n", kSimple);
  EXPECT_NE(error.find("data.csv:3:"), std::string::npos) << error;
}

TEST(CsvMapping, BadTimestampNamesLineAndColumn) {
  std::string error = read_error("time,hr\n2021-01-01T00:00:00Z,60\nlunchtime,61\n", kSimple);
  EXPECT_NE(error.find("data.csv:3:1:"), std::string::npos) << error;
  EXPECT_NE(error.find("column 'time'"), std::string::npos) << error;
}

TEST(CsvMapping, ZonelessTimeNeedsTz) {
  std::string error = read_error("time,hr\n2021-01-01 08:00,60\n", kSimple);
  EXPECT_NE(error.find("--tz"), std::string::npos) << error;
  EXPECT_NE(error.find("data.csv:2:1:"), std::string::npos) << error;
  EXPECT_EQ(read_error("time,hr\n2021-01-01 08:00,60\n", kSimple, with_tz("UTC")), "");
}

TEST(CsvMapping, EmptyFile) {
  EXPECT_NE(read_error("", kSimple).find("empty"), std::string::npos);
}

TEST(CsvMapping, MissingColumnNamesMappingAndColumn) {
  std::string error = read_error("time,pulse\n2021-01-01T00:00:00Z,60\n", kSimple);
  EXPECT_NE(error.find("data.csv:1:"), std::string::npos) << error;
  EXPECT_NE(error.find("'hr'"), std::string::npos) << error;
  EXPECT_NE(error.find("map.json"), std::string::npos) << error;
}

TEST(CsvMapping, NonNumberNamesCell) {
  std::string error = read_error("time,hr\n2021-01-01T00:00:00Z,sixty\n", kSimple);
  EXPECT_NE(error.find("data.csv:2:2:"), std::string::npos) << error;
}

TEST(CsvMapping, BadMappingsNameTheField) {
  auto mapping_error = [](const std::string& json) {
    return error_of<ParseError>([&] { parse_csv_mapping(json, "map.json"); });
  };
  EXPECT_NE(mapping_error("{").find("not valid JSON"), std::string::npos);
  EXPECT_NE(mapping_error(R"({"values": [{"column": "a", "code": "steps"}]})").find("time: missing"), std::string::npos);
  EXPECT_NE(mapping_error(R"({"time": {"column": "t"}, "values": [{"column": "a", "code": "hart_rate"}]})")
                .find("values[0].code"),
            std::string::npos);
  EXPECT_NE(mapping_error(R"({"time": {"column": "t"}, "values": [{"column": "a", "code": "steps", "unit": "kg"}]})")
                .find("values[0].unit"),
            std::string::npos);
  EXPECT_NE(mapping_error(R"({"time": {"column": "t"}, "valeus": []})").find("valeus: unknown key"), std::string::npos);
  EXPECT_NE(mapping_error(R"({"time": {"column": "t", "time_zone": "Mars/Olympus"},
                          "values": [{"column": "a", "code": "steps"}]})")
                .find("time.time_zone"),
            std::string::npos);
  EXPECT_NE(mapping_error(R"({"time": {"column": "t", "format": "dd/mm"}, "values": [{"column": "a", "code": "steps"}]})")
                .find("time.format"),
            std::string::npos);
}

TEST(CsvMapping, ImporterNeedsMappingOption) {
  auto importer = make_csv_mapping_importer();
  EXPECT_FALSE(importer->accepts("x.csv", "a,b\n", ImportOptions{}));
  ImportOptions options;
  options.csv_mapping = kMappings / "oura-daily-sleep.json";
  EXPECT_TRUE(importer->accepts("x.CSV", "a,b\n", options));
  EXPECT_FALSE(importer->accepts("x.json", "{}", options));
}

TEST(CsvMapping, ImporterReadsFileThroughMapping) {
  fs::path dir = fs::temp_directory_path() / "medtwin_csv_mapping_test";
  fs::create_directories(dir);
  fs::path file = dir / "oura.csv";
  std::ofstream(file) << "date,Total Sleep Duration,Deep Sleep Duration,Light Sleep Duration,REM Sleep Duration,"
                         "Lowest Resting Heart Rate,Sleep Score\n2021-01-02,27000,,,,,\n";
  ImportOptions options = with_tz("Europe/Amsterdam");
  options.csv_mapping = kMappings / "oura-daily-sleep.json";
  CollectingSink sink;
  make_csv_mapping_importer()->read(file, options, sink);
  fs::remove_all(dir);
  ASSERT_EQ(sink.observations.size(), 1u);
  EXPECT_DOUBLE_EQ(*sink.observations[0].value, 7.5);
}

}  // namespace
}  // namespace medtwin

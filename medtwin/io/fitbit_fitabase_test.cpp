#include "medtwin/io/fitbit_fitabase.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/testing.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;

const std::string kTz = "America/New_York";  // the participants were recruited in the US

ImportOptions new_york() { return with_tz(kTz); }

// Reads a shared Fitabase file; fails the test when the data is missing.
CollectingSink import_file(const std::string& relative, const ImportOptions& options = new_york()) {
  fs::path path = shared_data("wearables/fitbit_fitabase/" + relative);
  CollectingSink sink;
  auto importer = make_fitabase_importer();
  EXPECT_TRUE(importer->accepts(path, read_head(path), options));
  importer->read(path, options, sink);
  return sink;
}

std::set<std::string> person_ids(const CollectingSink& sink) {
  std::set<std::string> ids;
  for (const auto& person : sink.persons) ids.insert(person.source_id);
  return ids;
}

const Observation* find(const CollectingSink& sink, const Metric& metric, const std::string& when) {
  for (const auto& obs : sink.observations)
    if (obs.code == metric.code && format_instant(obs.start) == when) return &obs;
  return nullptr;
}

TEST(Fitabase, DailyActivityPeriod2) {
  auto sink = import_file("period2_2016-04-12_2016-05-12/dailyActivity_merged.csv");
  // 940 rows of 33 people, rows grouped by person: one person() call each.
  EXPECT_EQ(sink.persons.size(), 33u);
  EXPECT_EQ(person_ids(sink).size(), 33u);
  // 11 imported columns per row, none empty in this file.
  EXPECT_EQ(sink.observations.size(), 10340u);

  double steps = 0, calories = 0;
  for (const auto& obs : sink.observations) {
    if (obs.code == metrics::steps().code) steps += *obs.value;
    if (obs.code == metrics::total_energy().code) calories += *obs.value;
  }
  EXPECT_DOUBLE_EQ(steps, 7179636);
  EXPECT_DOUBLE_EQ(calories, 2165393);

  // Person 1503960366 on 4/12/2016: 13162 steps over the local day (EDT, UTC-4).
  const Observation* first = find(sink, metrics::steps(), "2016-04-12T04:00:00.000Z");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(*first->value, 13162);
  EXPECT_EQ(format_instant(first->end), "2016-04-13T04:00:00.000Z");
  EXPECT_EQ(first->unit, "{steps}");
  EXPECT_EQ(first->source, "Fitbit");
  const Observation* distance = find(sink, metrics::distance(), "2016-04-12T04:00:00.000Z");
  ASSERT_NE(distance, nullptr);
  EXPECT_DOUBLE_EQ(*distance->value, 8.5);
  EXPECT_EQ(distance->unit, "km");
}

TEST(Fitabase, LastRowBelongsToLastPerson) {
  auto sink = import_file("period2_2016-04-12_2016-05-12/dailyActivity_merged.csv");
  ASSERT_FALSE(sink.persons.empty());
  EXPECT_EQ(sink.persons.back().source_id, "8877689391");
  // 8877689391 on 5/12/2016: 8064 steps and 1849 kcal (the last column of the file).
  const auto& last = sink.observations;
  auto it = std::find_if(last.rbegin(), last.rend(),
                         [](const Observation& o) { return o.code == metrics::steps().code; });
  ASSERT_NE(it, last.rend());
  EXPECT_EQ(*it->value, 8064);
  EXPECT_EQ(format_instant(it->start), "2016-05-12T04:00:00.000Z");
  EXPECT_EQ(last.back().code, metrics::total_energy().code);
  EXPECT_EQ(*last.back().value, 1849);
}

TEST(Fitabase, WeightLogPeriod2) {
  auto sink = import_file("period2_2016-04-12_2016-05-12/weightLogInfo_merged.csv");
  EXPECT_EQ(person_ids(sink).size(), 8u);
  // 67 rows: weight and BMI each, body fat in 2.
  EXPECT_EQ(sink.observations.size(), 136u);
  // First row: 1503960366 at 5/2/2016 11:59:59 PM EDT, 52.6 kg, 22 % fat, BMI 22.65.
  const Observation* weight = find(sink, metrics::body_weight(), "2016-05-03T03:59:59.000Z");
  ASSERT_NE(weight, nullptr);
  EXPECT_NEAR(*weight->value, 52.5999984741211, 1e-9);
  EXPECT_EQ(weight->start, weight->end);
  const Observation* fat = find(sink, metrics::body_fat(), "2016-05-03T03:59:59.000Z");
  ASSERT_NE(fat, nullptr);
  EXPECT_EQ(*fat->value, 22);
  const Observation* bmi = find(sink, metrics::body_mass_index(), "2016-05-03T03:59:59.000Z");
  ASSERT_NE(bmi, nullptr);
  EXPECT_NEAR(*bmi->value, 22.65, 1e-6);
}

TEST(Fitabase, SleepDayGivesSleepAndTimeInBedInHours) {
  auto sink = import_file("period2_2016-04-12_2016-05-12/sleepDay_merged.csv");
  EXPECT_EQ(person_ids(sink).size(), 24u);
  EXPECT_EQ(sink.observations.size(), 2u * 413u);
  double asleep_h = 0, in_bed_h = 0;
  for (const auto& obs : sink.observations) {
    if (obs.code == metrics::sleep_duration().code) asleep_h += *obs.value;
    if (obs.code == metrics::time_in_bed().code) in_bed_h += *obs.value;
  }
  EXPECT_NEAR(asleep_h * 60, 173240, 1e-6);
  EXPECT_NEAR(in_bed_h * 60, 189418, 1e-6);
  // 1503960366, night of 4/12/2016: 327 min asleep, 346 min in bed.
  const Observation* night = find(sink, metrics::sleep_duration(), "2016-04-12T04:00:00.000Z");
  ASSERT_NE(night, nullptr);
  EXPECT_DOUBLE_EQ(*night->value, 327.0 / 60);
  EXPECT_EQ(night->unit, "h");
}

TEST(Fitabase, HourlyStepsPeriod1) {
  auto sink = import_file("period1_2016-03-12_2016-04-11/hourlySteps_merged.csv");
  EXPECT_EQ(person_ids(sink).size(), 34u);
  EXPECT_EQ(sink.observations.size(), 24084u);
  double steps = 0;
  for (const auto& obs : sink.observations) steps += *obs.value;
  EXPECT_DOUBLE_EQ(steps, 6893291);
  // Last row: 8877689391, 4/12/2016 8:00:00 AM, 834 steps over one hour.
  const auto& last = sink.observations.back();
  EXPECT_EQ(*last.value, 834);
  EXPECT_EQ(format_instant(last.start), "2016-04-12T12:00:00.000Z");
  EXPECT_EQ(format_instant(last.end), "2016-04-12T13:00:00.000Z");
}

TEST(Fitabase, HourlyIntensityIsMeanLevel) {
  auto sink = import_file("period1_2016-03-12_2016-04-11/hourlyIntensities_merged.csv");
  EXPECT_EQ(sink.observations.size(), 24084u);
  double total = 0;
  for (const auto& obs : sink.observations) total += *obs.value * 60;
  EXPECT_NEAR(total, 260741, 1e-6);
}

TEST(Fitabase, SpringForwardHourIsShorter) {
  // 3/13/2016 was the US spring-forward day: the local day lasted 23 hours.
  auto sink = import_file("period1_2016-03-12_2016-04-11/dailyActivity_merged.csv");
  bool found = false;
  for (const auto& obs : sink.observations) {
    if (format_instant(obs.start) == "2016-03-13T05:00:00.000Z") {
      EXPECT_EQ(format_instant(obs.end), "2016-03-14T04:00:00.000Z");
      found = true;
      break;
    }
  }
  EXPECT_TRUE(found);
}

std::string in_memory_error(const std::string& csv, const ImportOptions& options = new_york()) {
  CollectingSink sink;
  return error_of<ParseError>([&] { read_fitabase(csv, "mem.csv", options, sink); });
}

TEST(Fitabase, MinuteSleepAndWideAndHeartRate) {
  CollectingSink sink;
  read_fitabase("Id,date,value,logId\n1,4/12/2016 2:47:30 AM,3,11\n1,4/12/2016 2:48:30 AM,2,11\n"
                "1,4/12/2016 2:49:30 AM,1,11\n1,4/12/2016 2:50:30 AM,7,11\n",
                "minuteSleep_merged.csv", new_york(), sink);
  ASSERT_EQ(sink.observations.size(), 3u);
  EXPECT_EQ(*sink.observations[0].value_code, sleep_stages::awake());
  EXPECT_EQ(*sink.observations[1].value_code, sleep_stages::restless());
  EXPECT_EQ(*sink.observations[2].value_code, sleep_stages::asleep());
  EXPECT_EQ(format_instant(sink.observations[2].start), "2016-04-12T06:49:30.000Z");
  EXPECT_EQ(format_instant(sink.observations[2].end), "2016-04-12T06:50:30.000Z");
  EXPECT_EQ(sink.issues.size(), 1u);  // the value 7

  std::string wide = "Id,ActivityHour";
  std::string values = "\n2,4/13/2016 1:00:00 PM";
  for (int m = 0; m < 60; ++m) {
    wide += fmt::format(",Steps{:02}", m);
    values += "," + std::to_string(m);
  }
  CollectingSink wide_sink;
  read_fitabase(wide + values + "\n", "minuteStepsWide_merged.csv", new_york(), wide_sink);
  ASSERT_EQ(wide_sink.observations.size(), 60u);
  EXPECT_EQ(*wide_sink.observations[59].value, 59);
  EXPECT_EQ(format_instant(wide_sink.observations[59].start), "2016-04-13T17:59:00.000Z");

  CollectingSink hr;
  read_fitabase("Id,Time,Value\n3,4/12/2016 7:21:00 AM,97\n", "heartrate_seconds_merged.csv", new_york(), hr);
  ASSERT_EQ(hr.observations.size(), 1u);
  EXPECT_EQ(hr.observations[0].unit, "/min");
  EXPECT_EQ(format_instant(hr.observations[0].start), "2016-04-12T11:21:00.000Z");

  CollectingSink mets;
  read_fitabase("Id,ActivityMinute,METs\n3,4/12/2016 12:00:00 AM,13\n", "m.csv", new_york(), mets);
  ASSERT_EQ(mets.observations.size(), 1u);
  EXPECT_DOUBLE_EQ(*mets.observations[0].value, 1.3);
}

TEST(Fitabase, BadInputNamesLineAndColumn) {
  EXPECT_NE(in_memory_error("Id,ActivityDay,StepTotal\n1,4/12/2016,10\n1,4/13/2016\n").find("mem.csv:3:"),
            std::string::npos);
  std::string bad_time = in_memory_error("Id,ActivityDay,StepTotal\n1,4/12/2016,10\n1,yesterday,5\n");
  EXPECT_NE(bad_time.find("mem.csv:3:2:"), std::string::npos) << bad_time;
  EXPECT_NE(bad_time.find("ActivityDay"), std::string::npos) << bad_time;
  std::string bad_number = in_memory_error("Id,ActivityDay,StepTotal\n1,4/12/2016,ten\n");
  EXPECT_NE(bad_number.find("mem.csv:2:3:"), std::string::npos) << bad_number;
  EXPECT_NE(in_memory_error("").find("empty"), std::string::npos);
  EXPECT_NE(in_memory_error("a,b\n1,2\n").find("not one of a Fitabase"), std::string::npos);
  std::string no_tz = in_memory_error("Id,ActivityDay,StepTotal\n1,4/12/2016,10\n", ImportOptions{});
  EXPECT_NE(no_tz.find("--tz"), std::string::npos) << no_tz;
}

TEST(Fitabase, AcceptsOnlyKnownHeaders) {
  EXPECT_TRUE(is_fitabase_header("Id,ActivityDay,StepTotal\r"));
  EXPECT_TRUE(is_fitabase_header("\xEF\xBB\xBFId,Time,Value"));
  EXPECT_FALSE(is_fitabase_header("Id,Time,Value,Extra"));
  EXPECT_FALSE(is_fitabase_header("\"open"));
}

}  // namespace
}  // namespace medtwin

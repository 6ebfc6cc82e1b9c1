#include "medtwin/io/apple_health.hpp"

#include <gtest/gtest.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/testing.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;

std::string health(const std::string& body) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HealthData locale=\"en_US\">\n"
         " <ExportDate value=\"2024-06-01 08:10:05 +0200\"/>\n" +
         body + "</HealthData>\n";
}

std::string record(const std::string& type, const std::string& unit, const std::string& value,
                   const std::string& start = "2024-01-01 10:00:00 +0100", const std::string& children = "") {
  std::string attributes = "type=\"" + type + "\" sourceName=\"Phone\"" + (unit.empty() ? "" : " unit=\"" + unit + "\"") +
                           " startDate=\"" + start + "\" endDate=\"" + start + "\" value=\"" + value + "\"";
  if (children.empty()) return " <Record " + attributes + "/>\n";
  return " <Record " + attributes + ">\n" + children + " </Record>\n";
}

CollectingSink read_bytes(const std::string& bytes, const ImportOptions& options = {}) {
  CollectingSink sink;
  read_apple_health(bytes, "test.xml", options, sink);
  return sink;
}

std::string parse_error(const std::string& bytes, const std::string& name = "test.xml") {
  CollectingSink sink;
  return error_of<ParseError>([&] { read_apple_health(bytes, name, {}, sink); });
}

void write_zip(const fs::path& path, const std::vector<std::pair<std::string, std::string>>& entries) {
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  ASSERT_NE(archive, nullptr);
  for (const auto& [name, data] : entries) {
    zip_source_t* source = zip_source_buffer(archive, data.data(), data.size(), 0);
    ASSERT_NE(source, nullptr);
    ASSERT_GE(zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_UTF_8), 0);
  }
  ASSERT_EQ(zip_close(archive), 0);  // writes while `entries` still holds the data
}

std::size_t count_code(const CollectingSink& sink, const Metric& metric) {
  return std::size_t(std::count_if(sink.observations.begin(), sink.observations.end(),
                                   [&](const Observation& o) { return o.code == metric.code; }));
}

const Observation& find(const CollectingSink& sink, const Code& code) {
  for (const auto& o : sink.observations)
    if (o.code == code) return o;
  throw std::runtime_error("no observation with code " + code.token());
}

TEST(AppleHealth, ReadsTheSharedRealExport) {
  fs::path path = shared_data("wearables/apple_health/export.xml");
  ASSERT_TRUE(fs::exists(path));
  auto importer = make_apple_health_importer();
  ASSERT_TRUE(importer->accepts(path, read_head(path), {}));
  CollectingSink sink;
  importer->read(path, {}, sink);

  ASSERT_EQ(sink.persons.size(), 1u);
  EXPECT_EQ(sink.persons[0].sex, Sex::male);
  EXPECT_EQ(sink.persons[0].birth_date, std::chrono::year{1990} / 5 / 20);
  EXPECT_TRUE(sink.persons[0].name.empty());
  EXPECT_TRUE(sink.persons[0].source_id.empty());

  EXPECT_EQ(sink.observations.size(), 8u);
  EXPECT_EQ(count_code(sink, metrics::heart_rate()), 2u);
  EXPECT_EQ(count_code(sink, metrics::active_energy()), 2u);
  EXPECT_EQ(count_code(sink, metrics::active_minutes()), 1u);
  EXPECT_EQ(count_code(sink, metrics::stand_time()), 1u);
  EXPECT_EQ(count_code(sink, metrics::sleep_stage()), 2u);

  const Observation& hr = sink.observations[0];
  EXPECT_EQ(hr.code, metrics::heart_rate().code);
  EXPECT_EQ(hr.value, 74.0);
  EXPECT_EQ(hr.unit, "/min");
  EXPECT_EQ(format_instant(hr.start), "2023-12-31T23:01:36.000Z");  // 01:01:36 +0200
  EXPECT_EQ(hr.end, hr.start);
  EXPECT_EQ(hr.source, "Alexandre's Apple Watch");

  const Observation& energy = find(sink, metrics::active_energy().code);
  EXPECT_DOUBLE_EQ(*energy.value, 0.12);
  EXPECT_EQ(energy.unit, "kcal");
  EXPECT_EQ(format_instant(energy.end), "2023-12-31T23:02:58.000Z");

  std::vector<Code> stages;
  for (const auto& o : sink.observations)
    if (o.code == metrics::sleep_stage().code) stages.push_back(*o.value_code);
  ASSERT_EQ(stages.size(), 2u);
  EXPECT_EQ(stages[0], sleep_stages::in_bed());
  EXPECT_EQ(stages[1], sleep_stages::light());  // AsleepCore

  // Both sleep records carry HKTimeZone; the zone is passed on once.
  ASSERT_EQ(sink.zones.size(), 1u);
  EXPECT_EQ(sink.zones[0].tz, "Europe/Amsterdam");
  EXPECT_EQ(format_instant(sink.zones[0].from), "2023-12-31T22:55:28.000Z");
  EXPECT_TRUE(sink.issues.empty());
}

TEST(AppleHealth, ReadsAZipWithExportAndEcg) {
  TempDir dir;
  std::string xml = health(record("HKQuantityTypeIdentifierHeartRate", "count/min", "61") +
                           record("HKQuantityTypeIdentifierStepCount", "count", "120"));
  std::string ecg =
      "Name,Jane Example\n"
      "Date of Birth,\"Jan 2, 1980\"\n"
      "Recorded Date,2024-01-01 10:00:00 +0200\n"
      "Classification,Sinus Rhythm\n"
      "Symptoms,Dizziness\n"
      "Software Version,2\n"
      "Device,\"Watch6,2\"\n"
      "Sample Rate,512 hertz\n"
      "\n"
      "Lead,Lead I\n"
      "Unit,\xC2\xB5V\n"
      "\n"
      "-12.5\n"
      "3.25\n"
      "100\n";
  fs::path zip = dir / "export.zip";
  write_zip(zip, {{"apple_health_export/export.xml", xml},
                  {"apple_health_export/electrocardiograms/ecg_2024-01-01.csv", ecg},
                  {"__MACOSX/apple_health_export/electrocardiograms/._ecg_2024-01-01.csv", "\x00\x05"}});

  auto importer = make_apple_health_importer();
  ASSERT_TRUE(importer->accepts(zip, read_head(zip), {}));
  CollectingSink sink;
  std::uint64_t last_done = 0, last_total = 0;
  ImportOptions options;
  options.progress = [&](std::uint64_t done, std::uint64_t total) { last_done = done, last_total = total; };
  importer->read(zip, options, sink);

  EXPECT_EQ(last_total, xml.size());
  EXPECT_EQ(last_done, xml.size());
  ASSERT_EQ(sink.observations.size(), 2u);
  EXPECT_EQ(sink.observations[1].code, metrics::steps().code);
  EXPECT_EQ(sink.observations[1].unit, "{steps}");

  ASSERT_EQ(sink.signals.size(), 1u);
  const Signal& s = sink.signals[0];
  EXPECT_EQ(s.kind, "ECG");
  EXPECT_EQ(s.sample_rate_hz, 512);
  EXPECT_EQ(format_instant(s.start), "2024-01-01T08:00:00.000Z");
  ASSERT_EQ(s.channels.size(), 1u);
  EXPECT_EQ(s.channels[0].label, "Lead I");
  EXPECT_EQ(s.channels[0].unit, "uV");
  EXPECT_EQ(s.samples[0], (std::vector<float>{-12.5f, 3.25f, 100.f}));
  ASSERT_EQ(s.annotations.size(), 2u);
  EXPECT_EQ(s.annotations[0].sample, 0);
  EXPECT_EQ(s.annotations[0].code, "classification");
  EXPECT_EQ(s.annotations[0].text, "Sinus Rhythm");
  EXPECT_EQ(s.annotations[1].code, "symptoms");
  EXPECT_EQ(s.annotations[1].text, "Dizziness");
  EXPECT_EQ(s.source, "Apple Watch (Watch6,2)");
  // The name and birth date in the CSV go nowhere.
  EXPECT_EQ(s.source.find("Jane"), std::string::npos);
  for (const auto& a : s.annotations) EXPECT_EQ(a.text.find("Jane"), std::string::npos);
  EXPECT_TRUE(sink.persons.empty());
}

TEST(AppleHealth, HrvBeatsGetUtcTimestampsAcrossMidnight) {
  std::string beats =
      "  <HeartRateVariabilityMetadataList>\n"
      "   <InstantaneousBeatsPerMinute bpm=\"62\" time=\"11:59:58.50 PM\"/>\n"
      "   <InstantaneousBeatsPerMinute bpm=\"64\" time=\"11:59:59.40 PM\"/>\n"
      "   <InstantaneousBeatsPerMinute bpm=\"66\" time=\"12:00:00.30 AM\"/>\n"
      "   <InstantaneousBeatsPerMinute bpm=\"65\" time=\"12:00:01.2\xE2\x80\xAF" "AM\"/>\n"
      "  </HeartRateVariabilityMetadataList>\n";
  std::string beats_24h =
      "  <HeartRateVariabilityMetadataList>\n"
      "   <InstantaneousBeatsPerMinute bpm=\"70\" time=\"7:05:01,25\"/>\n"
      "   <InstantaneousBeatsPerMinute bpm=\"71\" time=\"07:05:02,10\"/>\n"
      "  </HeartRateVariabilityMetadataList>\n";
  auto sink = read_bytes(
      health(record("HKQuantityTypeIdentifierHeartRateVariabilitySDNN", "ms", "48.2", "2024-03-10 23:59:58 +0100",
                    beats) +
             record("HKQuantityTypeIdentifierHeartRateVariabilitySDNN", "ms", "51", "2024-07-01 07:05:00 +0200",
                    beats_24h)));
  EXPECT_EQ(count_code(sink, metrics::hrv_sdnn()), 2u);
  ASSERT_EQ(count_code(sink, metrics::instantaneous_heart_rate()), 6u);
  std::vector<std::string> times;
  std::vector<double> bpm;
  for (const auto& o : sink.observations) {
    if (!(o.code == metrics::instantaneous_heart_rate().code)) continue;
    times.push_back(format_instant(o.start));
    bpm.push_back(*o.value);
    EXPECT_EQ(o.unit, "/min");
    EXPECT_EQ(o.source, "Phone");
  }
  EXPECT_EQ(times, (std::vector<std::string>{"2024-03-10T22:59:58.500Z", "2024-03-10T22:59:59.400Z",
                                             "2024-03-10T23:00:00.300Z", "2024-03-10T23:00:01.200Z",
                                             "2024-07-01T05:05:01.250Z", "2024-07-01T05:05:02.100Z"}));
  EXPECT_EQ(bpm, (std::vector<double>{62, 64, 66, 65, 70, 71}));
  EXPECT_DOUBLE_EQ(*find(sink, metrics::hrv_sdnn().code).value, 48.2);
}

TEST(AppleHealth, ReadsWorkoutsWithTotalsAndStatistics) {
  auto sink = read_bytes(health(
      " <Workout workoutActivityType=\"HKWorkoutActivityTypeRunning\" duration=\"1800\" durationUnit=\"s\"\n"
      "  totalDistance=\"3.10686\" totalDistanceUnit=\"mi\" totalEnergyBurned=\"1255.2\" totalEnergyBurnedUnit=\"kJ\"\n"
      "  sourceName=\"Watch\" startDate=\"2024-05-01 18:00:00 +0200\" endDate=\"2024-05-01 18:31:00 +0200\">\n"
      "  <MetadataEntry key=\"HKIndoorWorkout\" value=\"0\"/>\n"
      "  <MetadataEntry key=\"HKTimeZone\" value=\"Europe/Paris\"/>\n"
      "  <WorkoutEvent type=\"HKWorkoutEventTypePause\" date=\"2024-05-01 18:10:00 +0200\"/>\n"
      "  <WorkoutStatistics type=\"HKQuantityTypeIdentifierHeartRate\" startDate=\"2024-05-01 18:00:00 +0200\"\n"
      "   endDate=\"2024-05-01 18:31:00 +0200\" average=\"150.5\" minimum=\"98\" maximum=\"171\" unit=\"count/min\"/>\n"
      "  <WorkoutRoute sourceName=\"Watch\" startDate=\"2024-05-01 18:00:00 +0200\" endDate=\"2024-05-01 18:31:00 +0200\">\n"
      "   <FileReference path=\"/workout-routes/route.gpx\"/>\n"
      "  </WorkoutRoute>\n"
      " </Workout>\n"
      // iOS 16+: totals only in the statistics.
      " <Workout workoutActivityType=\"HKWorkoutActivityTypeCycling\" sourceName=\"Watch\"\n"
      "  startDate=\"2024-05-02 08:00:00 +0200\" endDate=\"2024-05-02 08:45:00 +0200\">\n"
      "  <WorkoutStatistics type=\"HKQuantityTypeIdentifierDistanceCycling\" startDate=\"2024-05-02 08:00:00 +0200\"\n"
      "   endDate=\"2024-05-02 08:45:00 +0200\" sum=\"15000\" unit=\"m\"/>\n"
      "  <WorkoutStatistics type=\"HKQuantityTypeIdentifierActiveEnergyBurned\" startDate=\"2024-05-02 08:00:00 +0200\"\n"
      "   endDate=\"2024-05-02 08:45:00 +0200\" sum=\"410\" unit=\"Cal\"/>\n"
      " </Workout>\n"));
  ASSERT_EQ(sink.events.size(), 2u);
  const Event& run = sink.events[0];
  EXPECT_EQ(run.kind, event_kinds::workout);
  EXPECT_EQ(run.code, (Code{std::string(systems::healthkit), "HKWorkoutActivityTypeRunning", ""}));
  EXPECT_EQ(run.code.display, "Running");
  EXPECT_EQ(format_instant(run.start), "2024-05-01T16:00:00.000Z");
  EXPECT_EQ(format_instant(*run.end), "2024-05-01T16:31:00.000Z");
  EXPECT_DOUBLE_EQ(*run.amount, 30.0);
  EXPECT_EQ(run.unit, "min");
  EXPECT_EQ(run.source, "Watch");
  auto details = nlohmann::json::parse(run.details_json);
  EXPECT_NEAR(details["totalDistance"]["value"].get<double>(), 5.0, 1e-4);
  EXPECT_EQ(details["totalDistance"]["unit"], "km");
  EXPECT_NEAR(details["totalEnergyBurned"]["value"].get<double>(), 300.0, 1e-9);
  EXPECT_EQ(details["metadata"]["HKIndoorWorkout"], "0");
  auto hr = details["statistics"]["HKQuantityTypeIdentifierHeartRate"];
  EXPECT_EQ(hr["average"], 150.5);
  EXPECT_EQ(hr["minimum"], 98);
  EXPECT_EQ(hr["maximum"], 171);
  EXPECT_EQ(hr["unit"], "/min");
  ASSERT_EQ(sink.zones.size(), 1u);
  EXPECT_EQ(sink.zones[0].tz, "Europe/Paris");

  const Event& ride = sink.events[1];
  EXPECT_DOUBLE_EQ(*ride.amount, 45.0);  // from start and end
  auto ride_details = nlohmann::json::parse(ride.details_json);
  EXPECT_DOUBLE_EQ(ride_details["totalDistance"]["value"].get<double>(), 15.0);
  EXPECT_DOUBLE_EQ(ride_details["totalEnergyBurned"]["value"].get<double>(), 410.0);
  EXPECT_EQ(ride_details["statistics"]["HKQuantityTypeIdentifierDistanceCycling"]["unit"], "m");
  EXPECT_TRUE(sink.observations.empty());
}

TEST(AppleHealth, ConvertsUnitsToTheMetricUnits) {
  auto sink = read_bytes(health(
      record("HKQuantityTypeIdentifierBodyMass", "lb", "154.32358") +
      record("HKQuantityTypeIdentifierBloodGlucose", "mmol&lt;180.1558800000541&gt;/L", "5.5") +
      record("HKQuantityTypeIdentifierOxygenSaturation", "%", "0.97") +
      record("HKQuantityTypeIdentifierOxygenSaturation", "%", "1") +
      record("HKQuantityTypeIdentifierBodyFatPercentage", "%", "0.215") +
      record("HKQuantityTypeIdentifierBodyTemperature", "degF", "98.6") +
      record("HKQuantityTypeIdentifierBodyMassIndex", "count", "22.4") +
      record("HKQuantityTypeIdentifierHeight", "ft", "6") +
      record("HKQuantityTypeIdentifierDistanceWalkingRunning", "m", "1500") +
      record("HKQuantityTypeIdentifierVO2Max", "mL/min\xC2\xB7kg", "45.2")));
  ASSERT_EQ(sink.observations.size(), 10u);
  auto value = [&](std::size_t i) { return *sink.observations[i].value; };
  EXPECT_EQ(sink.observations[0].code, metrics::body_weight().code);
  EXPECT_EQ(sink.observations[0].unit, "kg");
  EXPECT_NEAR(value(0), 70.0, 1e-5);
  EXPECT_EQ(sink.observations[1].unit, "mg/dL");
  EXPECT_NEAR(value(1), 99.0858, 1e-4);
  EXPECT_EQ(sink.observations[2].unit, "%");
  EXPECT_NEAR(value(2), 97.0, 1e-9);
  EXPECT_NEAR(value(3), 100.0, 1e-9);
  EXPECT_EQ(sink.observations[4].code, metrics::body_fat().code);
  EXPECT_NEAR(value(4), 21.5, 1e-9);
  EXPECT_EQ(sink.observations[5].unit, "Cel");
  EXPECT_NEAR(value(5), 37.0, 1e-9);
  EXPECT_EQ(sink.observations[6].code, metrics::body_mass_index().code);
  EXPECT_EQ(sink.observations[6].unit, "kg/m2");
  EXPECT_NEAR(value(6), 22.4, 1e-12);
  EXPECT_EQ(sink.observations[7].unit, "cm");
  EXPECT_NEAR(value(7), 182.88, 1e-9);
  EXPECT_EQ(sink.observations[8].unit, "km");
  EXPECT_NEAR(value(8), 1.5, 1e-12);
  EXPECT_EQ(sink.observations[9].code, metrics::vo2_max().code);
  EXPECT_NEAR(value(9), 45.2, 1e-12);
  EXPECT_TRUE(sink.issues.empty());
}

TEST(AppleHealth, KeepsUnknownUnitsAndTypesUnderHealthKitCodes) {
  auto sink = read_bytes(health(
      record("HKQuantityTypeIdentifierRunningPower", "W", "250") +
      record("HKQuantityTypeIdentifierRunningPower", "W", "260") +
      record("HKQuantityTypeIdentifierHeartRate", "kg", "70") +
      record("HKQuantityTypeIdentifierDistanceCycling", "km", "12.5") +
      record("HKCategoryTypeIdentifierAppleStandHour", "", "HKCategoryValueAppleStandHourStood") +
      record("HKDataTypeSleepDurationGoal", "hr", "8") +
      " <ActivitySummary dateComponents=\"2024-01-01\" activeEnergyBurned=\"500\"/>\n"
      " <ActivitySummary dateComponents=\"2024-01-02\" activeEnergyBurned=\"600\"/>\n"
      " <ClinicalRecord type=\"HKClinicalTypeIdentifierLabResultRecord\"/>\n"));
  ASSERT_EQ(sink.observations.size(), 6u);
  const auto& power = sink.observations[0];
  EXPECT_EQ(power.code, (Code{std::string(systems::healthkit), "HKQuantityTypeIdentifierRunningPower", ""}));
  EXPECT_EQ(power.unit, "W");
  EXPECT_EQ(power.value, 250.0);
  const auto& odd_heart_rate = sink.observations[2];
  EXPECT_EQ(odd_heart_rate.code.system, systems::healthkit);
  EXPECT_EQ(odd_heart_rate.unit, "kg");
  EXPECT_EQ(sink.observations[3].unit, "km");
  const auto& stand = sink.observations[4];
  EXPECT_EQ(stand.code.code, "HKCategoryTypeIdentifierAppleStandHour");
  EXPECT_FALSE(stand.value);
  EXPECT_EQ(stand.value_code, (Code{std::string(systems::healthkit), "HKCategoryValueAppleStandHourStood", ""}));
  EXPECT_EQ(stand.value_code->display, "AppleStandHourStood");
  EXPECT_EQ(stand.code.display, "AppleStandHour");
  EXPECT_EQ(sink.observations[5].code.code, "HKDataTypeSleepDurationGoal");
  EXPECT_EQ(sink.observations[5].unit, "h");

  std::vector<std::pair<ImportIssue::Kind, std::string>> issues;
  for (const auto& i : sink.issues) issues.emplace_back(i.kind, i.what);
  using Kind = ImportIssue::Kind;
  std::string activity = "ActivitySummary skipped: the daily ring totals sum records already imported";
  EXPECT_EQ(issues, (std::vector<std::pair<Kind, std::string>>{
                        {Kind::unknown_unit, "unit 'W' of HKQuantityTypeIdentifierRunningPower is not known; kept as written"},
                        {Kind::unknown_unit, "unit 'W' of HKQuantityTypeIdentifierRunningPower is not known; kept as written"},
                        {Kind::unknown_unit, "unit 'kg' of HKQuantityTypeIdentifierHeartRate cannot be converted to /min; "
                                             "kept under the HealthKit code"},
                        {Kind::note, activity},
                        {Kind::note, activity},
                        {Kind::unknown_type, "<ClinicalRecord> is not imported"}}));
  EXPECT_EQ(sink.issues[0].where, "test.xml:4");
}

TEST(AppleHealth, ReadsCorrelationRecordsAndSleepStages) {
  std::string sleep;
  for (const char* stage : {"InBed", "AsleepUnspecified", "Asleep", "Awake", "AsleepCore", "AsleepDeep", "AsleepREM"})
    sleep += record("HKCategoryTypeIdentifierSleepAnalysis", "", std::string("HKCategoryValueSleepAnalysis") + stage);
  auto sink = read_bytes(health(
      " <Correlation type=\"HKCorrelationTypeIdentifierBloodPressure\" sourceName=\"Cuff\"\n"
      "  startDate=\"2024-01-10 11:30:00 +0100\" endDate=\"2024-01-10 11:30:00 +0100\">\n"
      "  <MetadataEntry key=\"HKWasUserEntered\" value=\"1\"/>\n" +
      record("HKQuantityTypeIdentifierBloodPressureSystolic", "mmHg", "136") +
      record("HKQuantityTypeIdentifierBloodPressureDiastolic", "mmHg", "69") + " </Correlation>\n" + sleep));
  ASSERT_EQ(sink.observations.size(), 9u);
  EXPECT_EQ(sink.observations[0].code, metrics::systolic_bp().code);
  EXPECT_EQ(sink.observations[0].unit, "mm[Hg]");
  EXPECT_EQ(sink.observations[1].code, metrics::diastolic_bp().code);
  std::vector<Code> expected = {sleep_stages::in_bed(), sleep_stages::asleep(), sleep_stages::asleep(),
                                sleep_stages::awake(),  sleep_stages::light(),  sleep_stages::deep(),
                                sleep_stages::rem()};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(sink.observations[2 + i].code, metrics::sleep_stage().code);
    EXPECT_EQ(sink.observations[2 + i].value_code, expected[i]);
    EXPECT_TRUE(sink.observations[2 + i].unit.empty());
  }
}

TEST(AppleHealth, TimeZonesMustBeIanaNames) {
  auto sink = read_bytes(health(
      record("HKCategoryTypeIdentifierSleepAnalysis", "", "HKCategoryValueSleepAnalysisInBed",
             "2024-01-01 23:00:00 +0100", "  <MetadataEntry key=\"HKTimeZone\" value=\"Mars/Olympus\"/>\n") +
      record("HKCategoryTypeIdentifierSleepAnalysis", "", "HKCategoryValueSleepAnalysisInBed",
             "2024-02-01 23:00:00 -0500", "  <MetadataEntry key=\"HKTimeZone\" value=\"America/New_York\"/>\n")));
  ASSERT_EQ(sink.zones.size(), 1u);
  EXPECT_EQ(sink.zones[0].tz, "America/New_York");
  EXPECT_EQ(format_instant(sink.zones[0].from), "2024-02-02T04:00:00.000Z");
  ASSERT_EQ(sink.issues.size(), 1u);
  EXPECT_EQ(sink.issues[0].kind, ImportIssue::Kind::note);
}

// Larger than the 1 MiB chunks expat is fed, with a line longer than a chunk.
TEST(AppleHealth, StreamsLargeExportsInChunks) {
  TempDir dir;
  std::string body;
  const int records = 12000;
  for (int i = 0; i < records; ++i) {
    if (i == records / 2) {
      body += record("HKQuantityTypeIdentifierHeartRate", "count/min", "99", "2024-01-01 10:00:00 +0100",
                     "  <MetadataEntry key=\"Long\" value=\"" + std::string(1500000, 'x') + "\"/>\n");
    }
    body += " <Record type=\"HKQuantityTypeIdentifierStepCount\" sourceName=\"Phone\" sourceVersion=\"17.2\" "
            "device=\"&lt;&lt;HKDevice: 0x3012772a0&gt;, name:iPhone&gt;\" unit=\"count\" "
            "creationDate=\"2024-01-01 10:05:00 +0100\" startDate=\"2024-01-01 10:00:00 +0100\" "
            "endDate=\"2024-01-01 10:05:00 +0100\" value=\"" + std::to_string(i) + "\"/>\n";
  }
  std::ofstream(dir / "export.xml") << health(body);
  std::uint64_t size = fs::file_size(dir / "export.xml");
  ASSERT_GT(size, 4u << 20);

  std::vector<std::uint64_t> progress;
  ImportOptions options;
  options.progress = [&](std::uint64_t done, std::uint64_t total) {
    EXPECT_EQ(total, size);
    progress.push_back(done);
  };
  CollectingSink sink;
  make_apple_health_importer()->read(dir / "export.xml", options, sink);
  ASSERT_EQ(sink.observations.size(), std::size_t(records + 1));
  EXPECT_EQ(sink.observations[records / 2].value, 99.0);
  for (int i : {0, 1, records / 2 - 1, records - 1}) {
    const auto& steps = sink.observations[std::size_t(i + (i >= records / 2))];
    EXPECT_EQ(steps.value, double(i));
    EXPECT_EQ(steps.source, "Phone");
    EXPECT_EQ(format_instant(steps.end), "2024-01-01T09:05:00.000Z");
  }
  ASSERT_GE(progress.size(), 5u);
  EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end()));
  EXPECT_EQ(progress.back(), size);
}

TEST(AppleHealth, TruncatedXmlNamesLineAndColumn) {
  std::string xml = health(record("HKQuantityTypeIdentifierHeartRate", "count/min", "61"));
  std::string truncated = xml.substr(0, xml.find("value=\"61\""));
  EXPECT_EQ(parse_error(truncated), "test.xml:4:2: unclosed token");  // the <Record that never ends
  EXPECT_EQ(parse_error(xml.substr(0, xml.find("</HealthData>"))), "test.xml:5:1: no element found");
}

TEST(AppleHealth, MalformedXmlNamesLineAndColumn) {
  EXPECT_EQ(parse_error(health(" <Correlation>\n </Workout>\n")), "test.xml:5:4: mismatched tag");
  EXPECT_EQ(parse_error("<?xml version=\"1.0\"?>\n<Something/>\n"),
            "test.xml:2:1: the root element is not <HealthData>: not an Apple Health export");
}

// sourceVersion, device and creationDate are dropped before expat parses a
// line; errors still give columns of the file as written.
TEST(AppleHealth, ErrorColumnsCountTheOriginalText) {
  std::string line =
      " <Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"W\" sourceVersion=\"10.2\" "
      "device=\"&lt;&lt;HKDevice: 0x3012772a0&gt;, name:Apple Watch \xC3\xA9&gt;\" unit=\"count/min\" "
      "creationDate=\"2024-01-01 10:00:05 +0100\" startDate=\"2024-01-01 10:00:00 +0100\" "
      "endDate=\"2024-01-01 10:00:00 +0100\" value=\"7<4\"/>\n";
  std::size_t before = line.find("<4");
  std::size_t characters_before = before - 1;  // "é" is two bytes, one character
  EXPECT_EQ(parse_error(health(line)),
            "test.xml:4:" + std::to_string(characters_before + 1) + ": not well-formed (invalid token)");

  std::string bad_value = line;
  bad_value.replace(before, 2, "x");
  EXPECT_EQ(parse_error(health(bad_value)),
            "test.xml:4:2: the value of this HKQuantityTypeIdentifierHeartRate record is not a number");

  // The same line read in full still gives its record.
  std::string good = line;
  good.replace(before, 2, "4");
  auto sink = read_bytes(health(good + good));
  ASSERT_EQ(sink.observations.size(), 2u);
  EXPECT_EQ(sink.observations[0].value, 74.0);
  EXPECT_EQ(sink.observations[0].source, "W");
}

TEST(AppleHealth, BadValuesAreErrorsWithTheirLine) {
  EXPECT_EQ(parse_error(health(record("HKQuantityTypeIdentifierHeartRate", "count/min", "7x4"))),
            "test.xml:4:2: the value of this HKQuantityTypeIdentifierHeartRate record is not a number");
  std::string bad_date = parse_error(health(record("HKQuantityTypeIdentifierHeartRate", "count/min", "74", "yesterday")));
  EXPECT_EQ(bad_date.rfind("test.xml:4:2: startDate: ", 0), 0u) << bad_date;
  EXPECT_EQ(parse_error(health(" <Me HKCharacteristicTypeIdentifierDateOfBirth=\"1990-13-45\"/>\n")),
            "test.xml:4:2: HKCharacteristicTypeIdentifierDateOfBirth is not a date (YYYY-MM-DD)");
  EXPECT_EQ(parse_error(health(record("HKQuantityTypeIdentifierHeartRateVariabilitySDNN", "ms", "40",
                                      "2024-01-01 10:00:00 +0100",
                                      "  <InstantaneousBeatsPerMinute bpm=\"fast\" time=\"10:00:01\"/>\n"))),
            "test.xml:5:3: InstantaneousBeatsPerMinute: bpm is not a number");
}

TEST(AppleHealth, TruncatedZipIsAnError) {
  TempDir dir;
  fs::path zip = dir / "export.zip";
  write_zip(zip, {{"apple_health_export/export.xml", health(record("HKQuantityTypeIdentifierHeartRate", "count/min", "61"))}});
  std::string bytes = read_file(zip);
  std::string message = parse_error(bytes.substr(0, bytes.size() / 2), "export.zip");
  EXPECT_EQ(message.rfind("export.zip: cannot read the zip archive (", 0), 0u) << message;

  std::ofstream(dir / "cut.zip", std::ios::binary) << bytes.substr(0, bytes.size() - 30);
  auto importer = make_apple_health_importer();
  EXPECT_FALSE(importer->accepts(dir / "cut.zip", read_head(dir / "cut.zip"), {}));
  CollectingSink sink;
  EXPECT_THROW(importer->read(dir / "cut.zip", {}, sink), ParseError);
}

TEST(AppleHealth, ZipWithoutExportXmlIsNotAnAppleHealthExport) {
  TempDir dir;
  fs::path zip = dir / "other.zip";
  write_zip(zip, {{"data/readme.txt", "hello"}});
  auto importer = make_apple_health_importer();
  EXPECT_FALSE(importer->accepts(zip, read_head(zip), {}));
  EXPECT_EQ(parse_error(read_file(zip), "other.zip"),
            "other.zip: no apple_health_export/export.xml inside; not an Apple Health export");
}

TEST(AppleHealth, DetectsExportsByContent) {
  TempDir dir;
  auto importer = make_apple_health_importer();
  std::ofstream(dir / "renamed.xml") << health("");
  std::ofstream(dir / "other.xml") << "<?xml version=\"1.0\"?>\n<ClinicalDocument/>\n";
  std::ofstream(dir / "export.zip.txt") << "PK\x03\x04 not really";
  EXPECT_TRUE(importer->accepts(dir / "renamed.xml", read_head(dir / "renamed.xml"), {}));
  EXPECT_FALSE(importer->accepts(dir / "other.xml", read_head(dir / "other.xml"), {}));
  EXPECT_FALSE(importer->accepts(dir / "export.zip.txt", read_head(dir / "export.zip.txt"), {}));
  std::string head = "<?xml version=\"1.0\"?>\n<!DOCTYPE HealthData [\n<!-- HealthKit Export Version: 14 -->\n";
  EXPECT_TRUE(importer->accepts(dir / "export.xml", head + std::string(5000, ' '), {}));
}

TEST(AppleHealth, EcgCsvErrorsNameTheLine) {
  std::string header = "Name,X\nRecorded Date,2024-01-01 10:00:00 +0200\nSample Rate,512 hertz\nUnit,uV\n\n";
  CollectingSink sink;
  EXPECT_NO_THROW(read_apple_ecg_csv(header + "1.5\n2\n", "ecg.csv", sink));
  ASSERT_EQ(sink.signals.size(), 1u);
  EXPECT_EQ(sink.signals[0].sample_count(), 2);
  EXPECT_EQ(error_of<ParseError>([&] { read_apple_ecg_csv(header + "1.5\nabc\n", "ecg.csv", sink); }),
            "ecg.csv:7: expected one sample value per line");
  EXPECT_THROW(read_apple_ecg_csv("Name,X\nSample Rate,512 hertz\n\n1\n", "ecg.csv", sink), ParseError);
}

TEST(AppleHealth, WorkoutTotalsInUnitsThatDoNotConvertAreKeptAndReported) {
  auto sink = read_bytes(health(
      " <Workout workoutActivityType=\"HKWorkoutActivityTypeSwimming\" duration=\"2\" durationUnit=\"fortnight\"\n"
      "  totalDistance=\"40\" totalDistanceUnit=\"kg\" totalEnergyBurned=\"300\" totalEnergyBurnedUnit=\"kcal\"\n"
      "  sourceName=\"Watch\" startDate=\"2024-05-01 18:00:00 +0200\" endDate=\"2024-05-01 18:31:00 +0200\"/>\n" +
      record("HKQuantityTypeIdentifierHeartRate", "count/min", "61")));
  ASSERT_EQ(sink.events.size(), 1u);  // the import went on
  ASSERT_EQ(sink.observations.size(), 1u);
  const Event& swim = sink.events[0];
  EXPECT_DOUBLE_EQ(*swim.amount, 2.0);
  EXPECT_EQ(swim.unit, "fortnight");
  auto details = nlohmann::json::parse(swim.details_json);
  EXPECT_DOUBLE_EQ(details["totalDistance"]["value"].get<double>(), 40.0);
  EXPECT_EQ(details["totalDistance"]["unit"], "kg");
  EXPECT_DOUBLE_EQ(details["totalEnergyBurned"]["value"].get<double>(), 300.0);
  EXPECT_EQ(details["totalEnergyBurned"]["unit"], "kcal");
  ASSERT_EQ(sink.issues.size(), 2u);
  EXPECT_EQ(sink.issues[0].kind, ImportIssue::Kind::unknown_unit);
  EXPECT_EQ(sink.issues[0].where, "test.xml:4");
  EXPECT_EQ(sink.issues[0].what, "<Workout> duration unit 'fortnight' cannot be converted to min; kept as written");
  EXPECT_EQ(sink.issues[1].what, "<Workout> totalDistance unit 'kg' cannot be converted to km; kept as written");
}

TEST(AppleHealth, EntityDeclarationsAreRefused) {
  std::string bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE HealthData [\n<!ENTITY a \"aaaaaaaaaa\">\n]>\n"
                     "<HealthData>&a;</HealthData>\n";
  EXPECT_EQ(parse_error(bomb), "test.xml:3:12: entity declarations are not allowed");
  // Element and attribute declarations, as real exports carry, are fine.
  std::string declared = "<?xml version=\"1.0\"?>\n<!DOCTYPE HealthData [\n<!ELEMENT HealthData ANY>\n"
                         "<!ATTLIST HealthData locale CDATA #REQUIRED>\n]>\n<HealthData locale=\"en_US\">\n" +
                         record("HKQuantityTypeIdentifierHeartRate", "count/min", "61") + "</HealthData>\n";
  EXPECT_EQ(read_bytes(declared).observations.size(), 1u);
}

TEST(AppleHealth, EcgUnitsAreMappedToUcumOrKeptAndReported) {
  auto ecg = [](const std::string& unit) {
    return "Name,X\nRecorded Date,2024-01-01 10:00:00 +0200\nSymptoms,Rapid, pounding heartbeat\n"
           "Sample Rate,512 hertz\nUnit," + unit + "\n\n1.5\n2\n";
  };
  CollectingSink sink;
  read_apple_ecg_csv(ecg("\xCE\xBCV"), "ecg.csv", sink);  // GREEK SMALL LETTER MU
  read_apple_ecg_csv(ecg("mV"), "ecg.csv", sink);
  read_apple_ecg_csv(ecg("furlong"), "ecg.csv", sink);
  ASSERT_EQ(sink.signals.size(), 3u);
  EXPECT_EQ(sink.signals[0].channels[0].unit, "uV");
  EXPECT_EQ(sink.signals[1].channels[0].unit, "mV");
  EXPECT_EQ(sink.signals[2].channels[0].unit, "furlong");
  EXPECT_EQ(sink.signals[0].annotations[0].text, "Rapid, pounding heartbeat");  // an unquoted value with a comma
  ASSERT_EQ(sink.issues.size(), 1u);
  EXPECT_EQ(sink.issues[0].kind, ImportIssue::Kind::unknown_unit);
  EXPECT_EQ(sink.issues[0].what, "ECG unit 'furlong' is not known; kept as written");
}

}  // namespace
}  // namespace medtwin

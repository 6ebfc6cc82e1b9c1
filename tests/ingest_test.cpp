// Ingest across files and importers: one person per subject, whatever file
// names them, and the shared vocabulary putting one metric in one series.
#include "medtwin/twin/ingest.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

#include "cli_support.hpp"
#include "medtwin/core/codes.hpp"
#include "medtwin/store/open_store.hpp"

namespace medtwin::testing {
namespace {

namespace fs = std::filesystem;

// Splits a Synthea bundle the way a bulk export does: Patient.ndjson and Observation.ndjson.
void write_bulk_export(const fs::path& bundle, const fs::path& folder) {
  std::ifstream in(bundle);
  auto json = nlohmann::json::parse(in);
  std::ofstream patients(folder / "Patient.ndjson"), observations(folder / "Observation.ndjson");
  for (const auto& entry : json.at("entry")) {
    const auto& resource = entry.at("resource");
    if (resource.at("resourceType") == "Patient") patients << resource.dump() << "\n";
    if (resource.at("resourceType") == "Observation") observations << resource.dump() << "\n";
  }
}

TEST(Ingest, BulkExportFilesOfOnePatientLandInOnePerson) {
  ScratchDir dir;
  write_bulk_export(shared_data("fhir/synthea/Dirk_Kuhlman_1e503533-b8c2-42cb-a6d5-bbd7d70d07ad.json"), dir.path());
  auto store = open_store((dir / "t.db").string());
  // Observations first (they name only the patient's id), then the Patient, then again in the other order.
  ingest(*store, {dir / "Observation.ndjson"}, IngestOptions{});
  ingest(*store, {dir / "Patient.ndjson"}, IngestOptions{});
  ASSERT_EQ(store->persons().size(), 1u);
  std::string name = store->persons().front().name;
  EXPECT_EQ(store->find_person(name)->sex, Sex::male);  // demographics joined the same person
  std::int64_t total = 0;
  for (const auto& s : store->series(name)) total += s.count;
  EXPECT_GT(total, 200);
}

TEST(Ingest, TheFirstTimeZoneGivenBecomesThePersonsAndStays) {
  ScratchDir dir;
  auto store = open_store((dir / "t.db").string());
  const auto fitabase = shared_data("wearables/fitbit_fitabase");
  IngestOptions options;
  options.import.time_zone = "America/New_York";
  ingest(*store, {fitabase / "period2_2016-04-12_2016-05-12/dailySteps_merged.csv"}, options);
  options.import.time_zone = "Europe/Berlin";  // a later file read in another zone
  ingest(*store, {fitabase / "period2_2016-04-12_2016-05-12/sleepDay_merged.csv"}, options);
  const auto zones = store->time_zones("1503960366");
  ASSERT_EQ(zones.spans().size(), 1u);
  EXPECT_EQ(zones.spans().front().tz, "America/New_York");
  EXPECT_EQ(zones.zone_at(Instant{}), "America/New_York");
}

TEST(Ingest, SameMetricFromTwoFormatsSharesOneCode) {
  ScratchDir dir;
  auto store = open_store((dir / "t.db").string());
  IngestOptions ann;
  ann.person = "ann";
  ingest(*store, {shared_data("wearables/apple_health/export.xml")}, ann);
  std::ofstream(dir / "hr.json") << R"({"resourceType":"Observation","status":"final",
    "code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
    "effectiveDateTime":"2024-02-01T08:00:00Z",
    "valueQuantity":{"value":1.2,"unit":"beats/s","system":"http://unitsofmeasure.org","code":"/s"}})";
  ingest(*store, {dir / "hr.json"}, ann);
  auto hr = store->observations({"ann", metrics::heart_rate().code, {}});
  ASSERT_EQ(hr.size(), 3u);  // two from Apple Health, one from FHIR
  auto fhir = std::find_if(hr.begin(), hr.end(), [](const Observation& o) {
    return o.start == parse_instant("2024-02-01T08:00:00Z");
  });
  ASSERT_NE(fhir, hr.end());
  EXPECT_EQ(fhir->unit, "/min");
  EXPECT_DOUBLE_EQ(*fhir->value, 72);  // 1.2 per second, converted
}

TEST(Ingest, ARecordEndingBeforeItStartsIsSkippedAndCounted) {
  ScratchDir dir;
  std::ofstream(dir / "export.xml") << R"(<?xml version="1.0" encoding="UTF-8"?>
<HealthData locale="en_US">
 <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Watch" unit="count"
   startDate="2024-01-01 10:00:00 +0000" endDate="2024-01-01 09:00:00 +0000" value="10"/>
 <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Watch" unit="count"
   startDate="2024-01-01 11:00:00 +0000" endDate="2024-01-01 11:05:00 +0000" value="20"/>
</HealthData>
)";
  auto store = open_store((dir / "t.db").string());
  auto results = ingest(*store, {dir / "export.xml"}, IngestOptions{});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].counts.observations_added, 1);
  ASSERT_EQ(results[0].issues.size(), 1u);
  EXPECT_EQ(results[0].issues[0].kind, ImportIssue::Kind::skipped_record);
  EXPECT_EQ(results[0].issues[0].times, 1);
}

}  // namespace
}  // namespace medtwin::testing

#include "medtwin/io/fhir_reader.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/testing.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;

const fs::path kShared = MEDTWIN_SHARED_DATA;
const fs::path kSynthea = kShared / "fhir/synthea";
const fs::path kPhd = kShared / "fhir/hl7_phd_examples";
const fs::path kDirk = kSynthea / "Dirk_Kuhlman_1e503533-b8c2-42cb-a6d5-bbd7d70d07ad.json";
constexpr const char* kDirkId = "948e608d-e408-4788-8cf2-8157c49c2940";

CollectingSink import_file(const fs::path& path, const ImportOptions& options = {}) {
  CollectingSink sink;
  make_fhir_importer()->read(required_file(path), options, sink);
  return sink;
}

CollectingSink read_text(const std::string& text, const ImportOptions& options = {}) {
  CollectingSink sink;
  read_fhir(text, "test.json", options, sink);
  return sink;
}

std::size_t count_code(const CollectingSink& sink, const std::string& code) {
  return std::size_t(std::count_if(sink.observations.begin(), sink.observations.end(),
                                   [&](const Observation& o) { return o.code.code == code; }));
}

std::size_t count_events(const CollectingSink& sink, const std::string& kind) {
  return std::size_t(
      std::count_if(sink.events.begin(), sink.events.end(), [&](const Event& e) { return e.kind == kind; }));
}

std::size_t count_issues(const CollectingSink& sink, ImportIssue::Kind kind, const std::string& what = "") {
  return std::size_t(std::count_if(sink.issues.begin(), sink.issues.end(), [&](const ImportIssue& i) {
    return i.kind == kind && (what.empty() || i.what == what);
  }));
}

const Event& find_event(const CollectingSink& sink, const std::string& code) {
  auto it = std::find_if(sink.events.begin(), sink.events.end(), [&](const Event& e) { return e.code.code == code; });
  if (it == sink.events.end()) throw std::runtime_error("no event with code " + code);
  return *it;
}

// The Dirk Kuhlman bundle as NDJSON, one resource per line.
std::string dirk_ndjson(bool with_patient) {
  auto bundle = nlohmann::json::parse(read_file(kDirk));
  std::string out;
  for (const auto& entry : bundle["entry"]) {
    if (!with_patient && entry["resource"]["resourceType"] == "Patient") continue;
    out += entry["resource"].dump() + "\n";
  }
  return out;
}

// Counts verified against the bundles with an independent script (see INDEX.tsv for the originals).
TEST(FhirSynthea, DirkKuhlmanBundle) {
  auto sink = import_file(kDirk);
  ASSERT_FALSE(sink.persons.empty());
  for (const auto& p : sink.persons) EXPECT_EQ(p.source_id, kDirkId);
  EXPECT_EQ(sink.persons.front().name, "Dirk Kuhlman");
  EXPECT_EQ(sink.persons.front().sex, Sex::male);
  EXPECT_EQ(sink.persons.front().birth_date, std::chrono::year{1971} / 12 / 7);

  // 222 valueQuantity + 33 valueCodeableConcept + 11 BP panels × 2 components.
  EXPECT_EQ(sink.observations.size(), 277u);
  EXPECT_EQ(count_code(sink, "8480-6"), 11u);
  EXPECT_EQ(count_code(sink, "8462-4"), 11u);
  EXPECT_EQ(count_code(sink, "55284-4"), 0u);
  EXPECT_EQ(count_code(sink, "4548-4"), 8u);
  EXPECT_EQ(count_code(sink, "29463-7"), 11u);
  EXPECT_EQ(count_code(sink, "72166-2"), 11u);

  // The first BP panel (entry 29): diastolic 83.85…, systolic 117.86… at 2013-02-19T20:32:26Z.
  auto first_bp = std::find_if(sink.observations.begin(), sink.observations.end(),
                               [](const Observation& o) { return o.code.code == "8480-6"; });
  ASSERT_NE(first_bp, sink.observations.end());
  EXPECT_EQ(first_bp->code.system, "http://loinc.org");
  EXPECT_DOUBLE_EQ(*first_bp->value, 117.86911681496026);
  EXPECT_EQ(first_bp->unit, "mm[Hg]");
  EXPECT_EQ(first_bp->start, parse_instant("2013-02-19T20:32:26Z"));
  EXPECT_EQ(first_bp->end, first_bp->start);
  auto first_dia = std::find_if(sink.observations.begin(), sink.observations.end(),
                                [](const Observation& o) { return o.code.code == "8462-4"; });
  EXPECT_DOUBLE_EQ(*first_dia->value, 83.85227370945988);

  auto smoking = std::find_if(sink.observations.begin(), sink.observations.end(),
                              [](const Observation& o) { return o.code.code == "72166-2"; });
  ASSERT_TRUE(smoking->value_code);
  EXPECT_EQ(smoking->value_code->token(), "http://snomed.info/sct|266919005");
  EXPECT_FALSE(smoking->value);

  EXPECT_EQ(count_events(sink, event_kinds::condition), 18u);
  EXPECT_EQ(count_events(sink, event_kinds::medication), 7u);
  EXPECT_EQ(count_events(sink, event_kinds::procedure), 10u);
  const Event& diabetes = find_event(sink, "44054006");
  EXPECT_EQ(diabetes.code.system, "http://snomed.info/sct");
  EXPECT_EQ(diabetes.start, parse_instant("2019-03-05T20:32:26Z"));
  EXPECT_FALSE(diabetes.end);
  EXPECT_EQ(nlohmann::json::parse(diabetes.details_json)["clinicalStatus"], "active");
  const Event& sinusitis = find_event(sink, "444814009");
  EXPECT_EQ(sinusitis.end, parse_instant("2012-03-08T20:32:26Z"));
  const Event& metformin = find_event(sink, "860975");
  EXPECT_EQ(metformin.code.system, "http://www.nlm.nih.gov/research/umls/rxnorm");
  EXPECT_EQ(metformin.kind, event_kinds::medication);
  auto details = nlohmann::json::parse(metformin.details_json);
  EXPECT_EQ(details["status"], "active");
  EXPECT_EQ(details["intent"], "order");
  EXPECT_EQ(details["resource"], "MedicationRequest");
  const Event& meperidine = find_event(sink, "861467");
  EXPECT_EQ(meperidine.amount, 1.0);
  const Event& procedure = find_event(sink, "387685009");
  EXPECT_EQ(procedure.start, parse_instant("2020-12-17T20:32:26Z"));
  EXPECT_EQ(procedure.end, parse_instant("2020-12-17T22:32:26Z"));

  // Encounters, claims, … are skipped and counted, not fatal.
  EXPECT_EQ(count_issues(sink, ImportIssue::Kind::unknown_type), 117u);
  EXPECT_EQ(count_issues(sink, ImportIssue::Kind::unknown_type, "resource type Claim"), 29u);
  EXPECT_EQ(count_issues(sink, ImportIssue::Kind::skipped_record), 0u);
  EXPECT_EQ(count_issues(sink, ImportIssue::Kind::unknown_unit), 0u);
}

TEST(FhirSynthea, EveryBundle) {
  struct Expected {
    const char* file;
    std::size_t observations, conditions, medications, procedures, unknown;
  };
  const Expected all[] = {
      {"Alfreda_Wyman_3287b938-4670-47eb-91e5-e0ce3df71405.json", 84, 3, 2, 5, 48},
      {"Andy_Schaden_d630c6ca-046c-470a-8f3a-4dbc3850e7ae.json", 184, 8, 4, 4, 86},
      {"Austin_Franecki_f23eef30-acb2-49da-8091-159b61dc1ed5.json", 197, 8, 97, 69, 342},
      {"Darin_Skiles_31c343e9-5d7f-444e-9be4-56b1a6ec6146.json", 81, 9, 1, 10, 73},
      {"Dennis_Durgan_78f005f3-7b33-4a5b-84d9-28417b36dbab.json", 149, 9, 6, 10, 122},
      {"Dirk_Kuhlman_1e503533-b8c2-42cb-a6d5-bbd7d70d07ad.json", 277, 18, 7, 10, 117},
      {"Eddie_Lakin_cf7c878e-a8e3-468a-9d88-dd3e729bf026.json", 242, 14, 7, 26, 122},
      {"Estrella_Daugherty_ecc5586f-45d1-4fb2-bb4c-3fce1b7b4456.json", 157, 12, 7, 12, 114},
      {"Parker_Casper_6d0c6969-6843-47e1-9921-d9bf11b1df31.json", 278, 15, 17, 18, 148},
      {"Sammie_Zemlak_641f6ec3-9c8e-454d-8fcb-c2e35bae1700.json", 256, 8, 7, 10, 146},
  };
  for (const auto& expected : all) {
    SCOPED_TRACE(expected.file);
    auto sink = import_file(kSynthea / expected.file);
    EXPECT_EQ(sink.observations.size(), expected.observations);
    EXPECT_EQ(count_events(sink, event_kinds::condition), expected.conditions);
    EXPECT_EQ(count_events(sink, event_kinds::medication), expected.medications);
    EXPECT_EQ(count_events(sink, event_kinds::procedure), expected.procedures);
    EXPECT_EQ(count_issues(sink, ImportIssue::Kind::unknown_type), expected.unknown);
    EXPECT_EQ(count_issues(sink, ImportIssue::Kind::skipped_record), 0u);
    for (const auto& e : sink.events) {
      bool snomed = e.kind == event_kinds::condition || e.kind == event_kinds::procedure;
      EXPECT_EQ(e.code.system, snomed ? "http://snomed.info/sct" : "http://www.nlm.nih.gov/research/umls/rxnorm");
    }
  }
}

TEST(FhirNdjson, SameRecordsAsTheBundle) {
  auto bundle = import_file(kDirk);
  auto ndjson = read_text(dirk_ndjson(true));
  EXPECT_EQ(ndjson.observations.size(), 277u);
  EXPECT_EQ(ndjson.events.size(), bundle.events.size());
  EXPECT_EQ(count_issues(ndjson, ImportIssue::Kind::unknown_type), 117u);
  ASSERT_FALSE(ndjson.persons.empty());
  EXPECT_EQ(ndjson.persons.front().name, "Dirk Kuhlman");
  for (std::size_t i = 0; i < bundle.observations.size(); ++i) {
    EXPECT_EQ(ndjson.observations[i].code, bundle.observations[i].code);
    EXPECT_EQ(ndjson.observations[i].value, bundle.observations[i].value);
    EXPECT_EQ(ndjson.observations[i].start, bundle.observations[i].start);
  }
}

TEST(FhirNdjson, FromAFileWithCrlfAndBlankLines) {
  std::string text = dirk_ndjson(true);
  std::string crlf;
  for (char c : text) crlf += c == '\n' ? std::string("\r\n\r\n") : std::string(1, c);
  TempDir dir;
  write_file(dir / "dirk.ndjson", crlf);
  auto sink = import_file(dir / "dirk.ndjson");
  EXPECT_EQ(sink.observations.size(), 277u);
  EXPECT_EQ(sink.events.size(), 35u);
}

TEST(FhirNdjson, OneLineIsADocumentNotNdjson) {
  TempDir dir;
  fs::path path = dir / "dirk.json";
  write_file(path, "\xEF\xBB\xBF" + nlohmann::json::parse(read_file(kDirk)).dump() + "\n\n");
  auto sink = import_file(path);
  EXPECT_EQ(sink.observations.size(), 277u);
  ASSERT_FALSE(sink.issues.empty());
  EXPECT_EQ(sink.issues[0].where.find(path.string() + ": entry["), 0u) << sink.issues[0].where;
}

TEST(FhirNdjson, PatientInAnotherFileUsesTheReferenceId) {
  auto sink = read_text(dirk_ndjson(false));
  ASSERT_EQ(sink.persons.size(), 1u);
  EXPECT_EQ(sink.persons.front().source_id, kDirkId);
  EXPECT_EQ(sink.persons.front().name, "");
  EXPECT_EQ(sink.observations.size(), 277u);
}

TEST(FhirNdjson, ErrorsNameTheLine) {
  std::string text = dirk_ndjson(true);
  // Cut the 4th line in half: a truncated export.
  std::size_t at = 0;
  for (int i = 0; i < 3; ++i) at = text.find('\n', at) + 1;
  std::string truncated = text.substr(0, at + 40);
  try {
    read_text(truncated);
    FAIL() << "no error";
  } catch (const ParseError& e) {
    EXPECT_NE(std::string(e.what()).find("test.json:4:"), std::string::npos) << e.what();
  }
}

TEST(FhirBundle, SeveralPatientsEachGetTheirRecords) {
  auto sink = read_text(R"({"resourceType":"Bundle","type":"collection","entry":[
    {"resource":{"resourceType":"Observation","id":"o1","subject":{"reference":"Patient/b"},
      "code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"effectiveDateTime":"2024-01-01T08:00:00Z",
      "valueQuantity":{"value":60,"unit":"beats/minute","system":"http://unitsofmeasure.org","code":"/min"}}},
    {"fullUrl":"urn:uuid:aaa","resource":{"resourceType":"Patient","id":"a","name":[{"use":"usual","text":"Ann"}],"gender":"female"}},
    {"resource":{"resourceType":"Patient","id":"b","name":[{"given":["Bo","B."],"family":"Berg"}],"birthDate":"1980-05"}},
    {"resource":{"resourceType":"Observation","id":"o2","subject":{"reference":"urn:uuid:aaa"},
      "code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"effectiveDateTime":"2024-01-01T09:00:00+01:00",
      "valueQuantity":{"value":61,"unit":"bpm"}}}]})");
  ASSERT_EQ(sink.observations.size(), 2u);
  // person(b) for o1, then person(a) for the Patient entry and o2, person(b) for its own entry.
  std::vector<std::string> order;
  for (const auto& p : sink.persons) order.push_back(p.source_id);
  EXPECT_EQ(order, (std::vector<std::string>{"b", "a", "b", "a"}));
  EXPECT_EQ(sink.persons[0].name, "Bo B. Berg");
  EXPECT_EQ(sink.persons[0].birth_date, std::chrono::year{1980} / 5 / 1);
  EXPECT_EQ(sink.persons[1].name, "Ann");
  EXPECT_EQ(sink.persons[1].sex, Sex::female);
  EXPECT_EQ(sink.observations[1].start, parse_instant("2024-01-01T08:00:00Z"));
  EXPECT_EQ(sink.observations[1].unit, "/min");
}

TEST(FhirPhd, DeviceSubjectsAreNotPersons) {
  auto sink = import_file(kPhd / "bundle-example-1.json");
  ASSERT_EQ(sink.persons.size(), 1u);  // the coincident-time Observation's subject is a Device
  EXPECT_EQ(sink.persons[0].source_id, "patient-001");
  EXPECT_EQ(sink.observations.size(), 2u);  // SpO2 and pulse rate
  EXPECT_EQ(sink.observations[0].code.code, "59408-5");
  EXPECT_EQ(count_issues(sink, ImportIssue::Kind::skipped_record, "Observation valueDateTime not imported"), 1u);
}

TEST(FhirBadInput, JsonThatIsNotFhir) {
  try {
    read_text(R"({"heart_rate":{"value":60,"unit":"beats/min"}})");
    FAIL() << "no error";
  } catch (const ParseError& e) {
    EXPECT_STREQ(e.what(), "test.json is JSON but not a FHIR resource (no resourceType)");
  }
}

TEST(FhirBadInput, UnknownResourceTypeIsSkippedAndCounted) {
  auto sink = read_text(R"({"resourceType":"Flag","id":"f1","status":"active"})");
  EXPECT_TRUE(sink.observations.empty());
  ASSERT_EQ(sink.issues.size(), 1u);
  EXPECT_EQ(sink.issues[0].kind, ImportIssue::Kind::unknown_type);
  EXPECT_EQ(sink.issues[0].what, "resource type Flag");
  EXPECT_EQ(sink.issues[0].where, "test.json: Flag/f1");
}

const char* kNoZone = R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient","id":"p"}},
  {"resource":{"resourceType":"Observation","id":"abc","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
   "effectiveDateTime":"2024-01-01T08:00:00","valueQuantity":{"value":60,"code":"/min","system":"http://unitsofmeasure.org"}}}]})";

TEST(FhirBadInput, DateTimeWithoutZoneNamesResourceAndField) {
  try {
    read_text(kNoZone);
    FAIL() << "no error";
  } catch (const ParseError& e) {
    std::string message = e.what();
    EXPECT_EQ(message.rfind("test.json: entry[1] Observation/abc: effectiveDateTime: ", 0), 0u) << message;
    EXPECT_NE(message.find("--tz"), std::string::npos) << message;
  }
  ImportOptions options;
  options.time_zone = "Europe/Amsterdam";
  auto sink = read_text(kNoZone, options);
  ASSERT_EQ(sink.observations.size(), 1u);
  EXPECT_EQ(sink.observations[0].start, parse_instant("2024-01-01T07:00:00Z"));
}

TEST(FhirBadInput, DateOnlyIsMidnightUtcWithANote) {
  std::string text = R"({"resourceType":"Condition","id":"c","code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003"}]},
    "onsetDateTime":"2019-04-01","abatementDateTime":"2020"})";
  auto sink = read_text(text);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].start, parse_instant("2019-04-01T00:00:00Z"));
  EXPECT_EQ(sink.events[0].end, parse_instant("2020-01-01T00:00:00Z"));
  EXPECT_EQ(count_issues(sink, ImportIssue::Kind::note), 1u);
  ImportOptions options;
  options.time_zone = "America/New_York";
  auto local = read_text(text, options);
  EXPECT_EQ(local.events[0].start, parse_instant("2019-04-01T04:00:00Z"));
  EXPECT_EQ(count_issues(local, ImportIssue::Kind::note), 0u);
}

TEST(FhirBadInput, TruncatedJsonNamesTheFile) {
  std::string text = read_file(kDirk);
  text.resize(text.size() / 2);
  try {
    read_text(text);
    FAIL() << "no error";
  } catch (const ParseError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("test.json: ", 0), 0u) << e.what();
  }
}

TEST(FhirBadInput, WrongTypesNameTheField) {
  try {
    read_text(R"({"resourceType":"Observation","id":"x","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
      "effectiveDateTime":"2024-01-01T08:00:00Z","valueQuantity":{"value":"sixty"}})");
    FAIL() << "no error";
  } catch (const ParseError& e) {
    EXPECT_STREQ(e.what(), "test.json: Observation/x: valueQuantity.value: expected a number, found a string");
  }
}

TEST(FhirObservation, SkippedValuesAreCounted) {
  auto sink = read_text(R"({"resourceType":"Bundle","entry":[
    {"resource":{"resourceType":"Observation","id":"a","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
      "effectiveDateTime":"2024-01-01T08:00:00Z","dataAbsentReason":{"text":"asked but declined"}}},
    {"resource":{"resourceType":"Observation","id":"b","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
      "valueQuantity":{"value":60}}},
    {"resource":{"resourceType":"Observation","id":"c","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
      "effectiveDateTime":"2024-01-01T08:00:00Z","valueString":"fast"}},
    {"resource":{"resourceType":"Observation","id":"e","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
      "effectiveDateTime":"2024-01-01T08:00:00Z","valueSampledData":null,"valueInteger":null}},
    {"resource":{"resourceType":"Observation","id":"d","status":"entered-in-error","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
      "effectiveDateTime":"2024-01-01T08:00:00Z","valueQuantity":{"value":60}}}]})");
  EXPECT_TRUE(sink.observations.empty());
  EXPECT_EQ(count_issues(sink, ImportIssue::Kind::skipped_record, "Observation without a value"), 2u);
  EXPECT_EQ(count_issues(sink, ImportIssue::Kind::skipped_record, "Observation without an effective time"), 1u);
  EXPECT_EQ(count_issues(sink, ImportIssue::Kind::skipped_record, "Observation valueString not imported"), 1u);
  EXPECT_EQ(count_issues(sink, ImportIssue::Kind::skipped_record, "resource entered in error"), 1u);
}

TEST(FhirObservation, CanonicalUnitsAndUnknownUnits) {
  auto sink = read_text(R"({"resourceType":"Bundle","entry":[
    {"resource":{"resourceType":"Observation","code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},
      "effectiveDateTime":"2024-01-01T08:00:00Z","valueQuantity":{"value":150,"unit":"lbs","system":"http://unitsofmeasure.org","code":"[lb_av]"}}},
    {"resource":{"resourceType":"Observation","code":{"coding":[{"system":"http://loinc.org","code":"8310-5"}]},
      "effectiveDateTime":"2024-01-01T08:00:00Z","valueQuantity":{"value":98.6,"unit":"degF"}}},
    {"resource":{"resourceType":"Observation","code":{"coding":[{"system":"http://loinc.org","code":"1234-5"}]},
      "effectiveDateTime":"2024-01-01T08:00:00Z","valueQuantity":{"value":3,"unit":"furlongs"}}}]})");
  ASSERT_EQ(sink.observations.size(), 3u);
  EXPECT_NEAR(*sink.observations[0].value, 68.0388555, 1e-6);
  EXPECT_EQ(sink.observations[0].unit, "kg");
  EXPECT_NEAR(*sink.observations[1].value, 37.0, 1e-9);
  EXPECT_EQ(sink.observations[1].unit, "Cel");
  EXPECT_EQ(sink.observations[2].unit, "furlongs");
  EXPECT_EQ(count_issues(sink, ImportIssue::Kind::unknown_unit, "unit 'furlongs'"), 1u);
}

TEST(FhirPhd, DeviceObservationsMapToCanonicalMetrics) {
  auto bp = import_file(kPhd / "compound-numeric-blood-pressure.json");
  ASSERT_EQ(bp.observations.size(), 3u);  // systolic, diastolic, mean; no panel row
  EXPECT_EQ(bp.observations[0].code.code, "8480-6");
  EXPECT_EQ(*bp.observations[0].value, 116);
  EXPECT_EQ(bp.observations[1].code.code, "8462-4");
  EXPECT_EQ(*bp.observations[1].value, 71);
  EXPECT_EQ(bp.observations[2].code.token(), "urn:iso:std:iso:11073:10101|150023");
  EXPECT_EQ(bp.observations[0].source, "Device/phd-711000FEFF5F49B0.B0495F001071");
  EXPECT_EQ(bp.persons.at(0).source_id, "patientExample-1");

  auto pulse = import_file(kPhd / "numeric-spotnumeric.json");
  ASSERT_EQ(pulse.observations.size(), 1u);
  EXPECT_EQ(pulse.observations[0].code.token(), "http://loinc.org|8867-4");
  EXPECT_EQ(*pulse.observations[0].value, 48);
  EXPECT_EQ(pulse.observations[0].unit, "/min");

  auto temperature = import_file(kPhd / "temperature-observation.json");
  ASSERT_EQ(temperature.observations.size(), 1u);
  EXPECT_EQ(temperature.observations[0].code.code, "8310-5");
  EXPECT_EQ(*temperature.observations[0].value, 36.5);
  EXPECT_EQ(temperature.observations[0].unit, "Cel");
}

TEST(FhirSampledData, EcgWaveform) {
  auto sink = import_file(kPhd / "rtsa-example-2.json");
  EXPECT_TRUE(sink.observations.empty());
  ASSERT_EQ(sink.signals.size(), 1u);
  const Signal& ecg = sink.signals[0];
  EXPECT_EQ(ecg.kind, "ECG");
  EXPECT_DOUBLE_EQ(ecg.sample_rate_hz, 100.0);  // period 10 ms
  EXPECT_EQ(ecg.start, parse_instant("2018-08-02T06:25:24Z"));
  ASSERT_EQ(ecg.channels.size(), 1u);
  EXPECT_EQ(ecg.channels[0].label, "MDC_ECG_ELEC_POTL_I");
  EXPECT_EQ(ecg.channels[0].unit, "mV");
  // 116 values, one of them separated by a no-break space in HL7's file.
  ASSERT_EQ(ecg.sample_count(), 116);
  EXPECT_FLOAT_EQ(ecg.samples[0][0], float(-3300 + 1.612 * 2041));
  EXPECT_FLOAT_EQ(ecg.samples[0][115], float(-3300 + 1.612 * 2073));
}

TEST(FhirSampledData, PlethAndInterleavedChannelsWithMarkers) {
  auto pleth = import_file(kPhd / "rtsa-example.json");
  ASSERT_EQ(pleth.signals.size(), 1u);
  EXPECT_EQ(pleth.signals[0].kind, "PPG");
  EXPECT_DOUBLE_EQ(pleth.signals[0].sample_rate_hz, 500.0);
  ASSERT_EQ(pleth.signals[0].sample_count(), 6);
  EXPECT_FLOAT_EQ(pleth.signals[0].samples[0][0], float(-3.4 + 3.0 * 123));

  auto sink = read_text(R"({"resourceType":"Observation","id":"w","code":{"coding":[{"system":"http://loinc.org","code":"X-1","display":"Accel"}]},
    "effectiveDateTime":"2024-01-01T08:00:00Z",
    "valueSampledData":{"origin":{"value":1,"unit":"m/s2"},"period":20,"factor":0.5,"dimensions":2,"data":"2 4 E 6 L U"}})");
  ASSERT_EQ(sink.signals.size(), 1u);
  const Signal& s = sink.signals[0];
  EXPECT_EQ(s.kind, "Accel");
  EXPECT_DOUBLE_EQ(s.sample_rate_hz, 50.0);
  ASSERT_EQ(s.channels.size(), 2u);
  EXPECT_EQ(s.channels[1].label, "Accel 2");
  EXPECT_FLOAT_EQ(s.samples[0][0], 2);
  EXPECT_TRUE(std::isnan(s.samples[0][1]));
  EXPECT_TRUE(std::isnan(s.samples[0][2]));
  EXPECT_FLOAT_EQ(s.samples[1][0], 3);
  EXPECT_FLOAT_EQ(s.samples[1][1], 4);
  EXPECT_TRUE(std::isnan(s.samples[1][2]));

  EXPECT_THROW(read_text(R"({"resourceType":"Observation","code":{"coding":[{"code":"x"}]},"effectiveDateTime":"2024-01-01T08:00:00Z",
    "valueSampledData":{"origin":{"value":0},"period":1,"dimensions":2,"data":"1 2 3"}})"), ParseError);
  EXPECT_THROW(read_text(R"({"resourceType":"Observation","code":{"coding":[{"code":"x"}]},"effectiveDateTime":"2024-01-01T08:00:00Z",
    "valueSampledData":{"origin":{"value":0},"period":0,"dimensions":1,"data":"1"}})"), ParseError);
}

TEST(FhirDetect, ClaimsOnlyFhir) {
  auto importer = make_fhir_importer();
  ImportOptions options;
  EXPECT_TRUE(importer->accepts(kDirk, read_file(kDirk).substr(0, 4096), options));
  EXPECT_TRUE(importer->accepts("x.ndjson", dirk_ndjson(true).substr(0, 4096), options));
  EXPECT_TRUE(looks_like_fhir("\xEF\xBB\xBF  {\n \"id\": \"x\", \"meta\": {\"a\": [1]},\n \"resourceType\": \"Observation\""));
  EXPECT_FALSE(looks_like_fhir(R"({"heart_rate":{"value":50,"unit":"beats/min"}})"));
  EXPECT_FALSE(looks_like_fhir(R"({"header":{"schema_id":{"name":"x"}},"body":{"resourceType":"x"}})"));
  EXPECT_FALSE(looks_like_fhir(R"([{"dateTime":"01/01/20 00:00:00","value":{"bpm":60}}])"));
  EXPECT_FALSE(looks_like_fhir("time,value\n"));
}

}  // namespace
}  // namespace medtwin

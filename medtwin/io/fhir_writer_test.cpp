#include "medtwin/io/fhir_writer.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/io/fhir_reader.hpp"
#include "medtwin/io/testing.hpp"

namespace medtwin {
namespace {

std::string write_bundle(const PersonInfo& person, const std::vector<Observation>& observations,
                         const std::vector<Event>& events) {
  std::ostringstream out;
  FhirBundleWriter writer(out, person);
  for (const auto& o : observations) writer.observation(o);
  for (const auto& e : events) writer.event(e);
  writer.finish();
  return out.str();
}

CollectingSink read_back(const std::string& text) {
  CollectingSink sink;
  read_fhir(text, "export.json", {}, sink);
  return sink;
}

TEST(FhirWriter, SyntheaRecordsSurviveExportAndImport) {
  CollectingSink original;
  make_fhir_importer()->read(shared_data("fhir/synthea/Dirk_Kuhlman_1e503533-b8c2-42cb-a6d5-bbd7d70d07ad.json"), {},
                             original);
  std::string text = write_bundle(original.persons.front(), original.observations, original.events);
  auto copy = read_back(text);

  ASSERT_FALSE(copy.persons.empty());
  EXPECT_EQ(copy.persons.front().name, "Dirk Kuhlman");
  EXPECT_EQ(copy.persons.front().sex, Sex::male);
  EXPECT_EQ(copy.persons.front().birth_date, original.persons.front().birth_date);
  EXPECT_TRUE(copy.issues.empty());
  ASSERT_EQ(copy.observations.size(), original.observations.size());
  for (std::size_t i = 0; i < copy.observations.size(); ++i) {
    const auto &a = original.observations[i], &b = copy.observations[i];
    EXPECT_EQ(b.code, a.code);
    EXPECT_EQ(b.value, a.value);  // exact: JSON numbers are written to round-trip
    EXPECT_EQ(b.value_code, a.value_code);
    EXPECT_EQ(b.unit, a.unit);
    EXPECT_EQ(b.start, a.start);
    EXPECT_EQ(b.end, a.end);
    EXPECT_EQ(b.source, a.source);
  }
  ASSERT_EQ(copy.events.size(), original.events.size());
  for (std::size_t i = 0; i < copy.events.size(); ++i) {
    const auto &a = original.events[i], &b = copy.events[i];
    EXPECT_EQ(b.kind, a.kind);
    EXPECT_EQ(b.code, a.code);
    EXPECT_EQ(b.start, a.start);
    EXPECT_EQ(b.end, a.end);
    EXPECT_EQ(b.amount, a.amount);
    EXPECT_EQ(b.unit, a.unit);
    EXPECT_EQ(b.details_json, a.details_json);
  }
}

TEST(FhirWriter, EveryEventKindAndPeriodsRoundTrip) {
  Instant t = parse_instant("2024-03-01T07:30:00.250Z");
  std::vector<Observation> observations{
      {metrics::steps().code, 812.0, std::nullopt, "{steps}", t, t + std::chrono::minutes(15), "Watch, \"S\""},
      {metrics::sleep_stage().code, std::nullopt, sleep_stages::deep(), "", t, t + std::chrono::hours(1), ""},
  };
  std::vector<Event> events{
      {event_kinds::meal, Code{}, t, std::nullopt, 80.0, "g", "app", R"({"note":"pasta"})"},
      {event_kinds::insulin, Code{"http://www.nlm.nih.gov/research/umls/rxnorm", "253182", "insulin"}, t, std::nullopt,
       4.0, "[IU]", "pen", "{}"},
      {event_kinds::procedure, Code{"http://snomed.info/sct", "1", ""}, t, t, std::nullopt, "", "", "{}"},
      {event_kinds::medication, Code{"", "", "tea"}, t, t + std::chrono::hours(2), 1.0, "", "", "{}"},
      {event_kinds::condition, Code{}, t, std::nullopt, 2.0, "mg", "", R"({"clinicalStatus":"active"})"},
  };
  auto text = write_bundle(PersonInfo{"", "ann", Sex::female, std::nullopt}, observations, events);
  auto bundle = nlohmann::json::parse(text);  // valid JSON
  EXPECT_EQ(bundle["type"], "collection");
  EXPECT_EQ(bundle["entry"].size(), 8u);
  EXPECT_EQ(bundle["entry"][3]["resource"]["resourceType"], "Basic");
  EXPECT_EQ(bundle["entry"][7]["resource"]["clinicalStatus"]["coding"][0]["code"], "active");

  auto copy = read_back(text);
  ASSERT_EQ(copy.observations.size(), 2u);
  EXPECT_EQ(copy.observations[0].end, t + std::chrono::minutes(15));
  EXPECT_EQ(copy.observations[0].source, "Watch, \"S\"");
  EXPECT_EQ(copy.observations[1].value_code, sleep_stages::deep());
  ASSERT_EQ(copy.events.size(), events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    SCOPED_TRACE(events[i].kind);
    EXPECT_EQ(copy.events[i].kind, events[i].kind);
    EXPECT_EQ(copy.events[i].code, events[i].code);
    EXPECT_EQ(copy.events[i].start, events[i].start);
    EXPECT_EQ(copy.events[i].end, events[i].end);
    EXPECT_EQ(copy.events[i].amount, events[i].amount);
    EXPECT_EQ(copy.events[i].unit, events[i].unit);
    EXPECT_EQ(copy.events[i].source, events[i].source);
    EXPECT_EQ(copy.events[i].details_json, events[i].details_json);
  }
}

TEST(FhirWriter, CsvQuotesFields) {
  std::ostringstream out;
  ObservationCsvWriter csv(out, "ann, b");
  Instant t = parse_instant("2024-03-01T07:30:00Z");
  csv.observation({metrics::heart_rate().code, 61.5, std::nullopt, "/min", t, t, "Watch \"7\""});
  csv.observation({metrics::sleep_stage().code, std::nullopt, sleep_stages::rem(), "", t, t, ""});
  EXPECT_EQ(out.str(),
            "person,system,code,display,start,end,value,value_code,unit,source\r\n"
            "\"ann, b\",http://loinc.org,8867-4,Heart rate,2024-03-01T07:30:00.000Z,2024-03-01T07:30:00.000Z,61.5,,"
            "/min,\"Watch \"\"7\"\"\"\r\n"
            "\"ann, b\",http://snomed.info/sct,258158006,Sleep,2024-03-01T07:30:00.000Z,2024-03-01T07:30:00.000Z,,"
            "https://medtwin.org/code|sleep-rem,,\r\n");
}

}  // namespace
}  // namespace medtwin

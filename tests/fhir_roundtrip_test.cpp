// FHIR round trip through the store and the command: import a Synthea bundle,
// `medtwin export` it, import the export into a fresh store under the same
// person name, and find every series, value, time and event unchanged.
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

#include "cli_support.hpp"
#include "medtwin/store/open_store.hpp"
#include "medtwin/twin/ingest.hpp"

namespace medtwin::testing {
namespace {

namespace fs = std::filesystem;

void import_as(const fs::path& db, const fs::path& file, const std::string& person) {
  auto store = open_store(db.string());
  IngestOptions options;
  options.person = person;
  auto results = ingest(*store, {file}, options);
  ASSERT_EQ(results.size(), 1u);
  ASSERT_EQ(results[0].importer, "fhir-r4");
}

std::vector<std::string> series_rows(Store& store, const std::string& person) {
  std::vector<std::string> rows;
  for (const auto& s : store.series(person)) {
    rows.push_back(s.code.token() + " " + s.unit + " " + s.source + " " + std::to_string(s.count) + " " +
                   format_instant(s.first) + " " + format_instant(s.last));
  }
  // The store orders by code and source; series that differ only in unit come in insertion order.
  std::sort(rows.begin(), rows.end());
  return rows;
}

// All of a person's observations in one total order (the store's leaves ties between units open).
std::vector<Observation> observations(Store& store, const std::string& person) {
  auto all = store.observations(ObservationQuery{person, std::nullopt, {}});
  auto key = [](const Observation& o) {
    return std::tuple(o.code.token(), o.unit, o.source, o.start, o.end, o.value.value_or(0),
                      o.value_code ? o.value_code->token() : "");
  };
  std::sort(all.begin(), all.end(), [&](const auto& x, const auto& y) { return key(x) < key(y); });
  return all;
}

void expect_same_observations(Store& a, Store& b, const std::string& person) {
  auto left = observations(a, person);
  auto right = observations(b, person);
  ASSERT_EQ(left.size(), right.size());
  for (std::size_t i = 0; i < left.size(); ++i) {
    SCOPED_TRACE(left[i].code.token() + " at " + format_instant(left[i].start));
    EXPECT_EQ(left[i].code, right[i].code);
    EXPECT_EQ(left[i].value, right[i].value);  // bit for bit
    EXPECT_EQ(left[i].value_code, right[i].value_code);
    EXPECT_EQ(left[i].unit, right[i].unit);
    EXPECT_EQ(left[i].start, right[i].start);
    EXPECT_EQ(left[i].end, right[i].end);
    EXPECT_EQ(left[i].source, right[i].source);
  }
}

void expect_same_events(Store& a, Store& b, const std::string& person) {
  auto left = a.events(EventQuery{person, std::nullopt, {}});
  auto right = b.events(EventQuery{person, std::nullopt, {}});
  ASSERT_EQ(left.size(), right.size());
  // Same start and kind sort by insertion order in each store: compare as sorted sets.
  auto key = [](const Event& e) {
    return e.kind + "|" + e.code.token() + "|" + format_instant(e.start) + "|" +
           (e.end ? format_instant(*e.end) : "-") + "|" + (e.amount ? std::to_string(*e.amount) : "-") + "|" +
           e.unit + "|" + e.source + "|" + e.details_json;
  };
  std::vector<std::string> l, r;
  for (const auto& e : left) l.push_back(key(e));
  for (const auto& e : right) r.push_back(key(e));
  std::sort(l.begin(), l.end());
  std::sort(r.begin(), r.end());
  EXPECT_EQ(l, r);
}

class FhirRoundTrip : public ::testing::TestWithParam<const char*> {};

TEST_P(FhirRoundTrip, ExportThenImportChangesNothing) {
  ScratchDir dir;
  fs::path bundle = shared_data(std::string("fhir/synthea/") + GetParam());
  import_as(dir / "a.db", bundle, "pat");

  auto exported = run_medtwin("--db " + quoted(dir / "a.db") + " export pat --format fhir --output " +
                              quoted(dir / "pat.json"));
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_TRUE(exported.out.empty());
  EXPECT_FALSE(fs::exists(dir / "pat.json.partial"));
  import_as(dir / "b.db", dir / "pat.json", "pat");

  auto a = open_store((dir / "a.db").string());
  auto b = open_store((dir / "b.db").string());
  auto pa = a->find_person("pat"), pb = b->find_person("pat");
  ASSERT_TRUE(pa && pb);
  EXPECT_EQ(pa->sex, pb->sex);
  EXPECT_EQ(pa->birth_date, pb->birth_date);
  auto series = series_rows(*a, "pat");
  EXPECT_FALSE(series.empty());
  EXPECT_EQ(series, series_rows(*b, "pat"));
  expect_same_observations(*a, *b, "pat");
  expect_same_events(*a, *b, "pat");
}

INSTANTIATE_TEST_SUITE_P(Synthea, FhirRoundTrip,
                         ::testing::Values("Dirk_Kuhlman_1e503533-b8c2-42cb-a6d5-bbd7d70d07ad.json",
                                           "Austin_Franecki_f23eef30-acb2-49da-8091-159b61dc1ed5.json"));

TEST(FhirExport, CsvHasOneRowPerObservation) {
  ScratchDir dir;
  import_as(dir / "a.db", shared_data("fhir/synthea/Dirk_Kuhlman_1e503533-b8c2-42cb-a6d5-bbd7d70d07ad.json"), "dirk");
  auto csv = run_medtwin("--db " + quoted(dir / "a.db") + " export dirk --format csv");
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 1 + 277);
  EXPECT_EQ(csv.out.rfind("person,system,code,display,start,end,value,value_code,unit,source\r\n", 0), 0u);
  EXPECT_NE(csv.out.find("dirk,http://loinc.org,8480-6,"), std::string::npos);
}

TEST(FhirExport, UnknownPersonIsOneClearLine) {
  ScratchDir dir;
  import_as(dir / "a.db", shared_data("fhir/synthea/Dirk_Kuhlman_1e503533-b8c2-42cb-a6d5-bbd7d70d07ad.json"), "dirk");
  auto r = run_medtwin("--db " + quoted(dir / "a.db") + " export nobody --output " + quoted(dir / "x.json"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no person named 'nobody'"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "x.json"));
}

}  // namespace
}  // namespace medtwin::testing

#include "medtwin/store/sqlite_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <thread>

#include "medtwin/core/codes.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/store/open_store.hpp"
#include "medtwin/store/sqlite.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("medtwin-store-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "t.db").string();
    store_ = open_store(path_);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  static Provenance provenance(const std::string& sha) {
    return Provenance{"file.xml", sha, "test", "1", parse_instant("2024-06-01T00:00:00Z")};
  }
  static Observation heart_rate(const char* at, double bpm) {
    return Observation{metrics::heart_rate().code, bpm, std::nullopt, "/min", parse_instant(at), parse_instant(at),
                       "watch"};
  }

  fs::path dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, MigratesOnOpenAndReopens) {
  EXPECT_EQ(store_->schema_version(), 5);
  store_.reset();
  store_ = open_store(path_);
  EXPECT_EQ(store_->schema_version(), 5);
}

TEST_F(StoreTest, AccessTokensAreKeptByDigestAndGoWithTheirPerson) {
  auto session = store_->begin_import(provenance("aa"));
  const PersonId ann = session->person("ann", PersonInfo{});
  session->add(ann, heart_rate("2024-01-01T08:00:00Z", 61));
  session->commit();
  store_->save_access_token({"t1", "digest-1", ann, "clinic", from_epoch_ms(1000)});
  store_->save_access_token({"t2", "digest-2", std::nullopt, "all", from_epoch_ms(2000)});
  EXPECT_THROW(store_->save_access_token({"t3", "digest-1", std::nullopt, "again", from_epoch_ms(3000)}), StoreError);
  const auto found = store_->find_access_token_by_digest("digest-1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->person, ann);
  EXPECT_EQ(found->label, "clinic");
  EXPECT_FALSE(store_->find_access_token_by_digest("digest-2")->person);
  EXPECT_FALSE(store_->find_access_token_by_digest("nothing"));
  ASSERT_EQ(store_->access_tokens().size(), 2u);
  EXPECT_EQ(store_->find_person(ann)->name, "ann");
  store_->delete_person("ann");  // her token goes with her
  ASSERT_EQ(store_->access_tokens().size(), 1u);
  EXPECT_TRUE(store_->revoke_access_token("t2"));
  EXPECT_FALSE(store_->revoke_access_token("t2"));
  EXPECT_TRUE(store_->access_tokens().empty());
}

TEST_F(StoreTest, ASeriesIsReadOnlyThroughItsPerson) {
  auto session = store_->begin_import(provenance("aa"));
  const PersonId ann = session->person("ann", PersonInfo{});
  session->person("bob", PersonInfo{});
  session->add(ann, heart_rate("2024-01-01T08:00:00Z", 61));
  session->add(ann, heart_rate("2024-01-01T09:00:00Z", 65));
  session->commit();
  const auto series = store_->series("ann").front().id;
  std::vector<double> values;
  store_->series_observations("ann", series, {parse_instant("2024-01-01T08:30:00Z"), std::nullopt},
                              [&](const Observation& o) { values.push_back(*o.value); });
  EXPECT_EQ(values, std::vector<double>{65});
  EXPECT_THROW(store_->series_observations("bob", series, {}, [](const Observation&) {}), NotFound);
}

std::vector<ObservationRollup> rollups(Store& store, const std::string& person, const TimeRange& range = {},
                                       std::chrono::milliseconds width = std::chrono::minutes(10)) {
  std::vector<ObservationRollup> out;
  store.series_rollups(person, store.series(person).front().id, range, width,
                       [&](const ObservationRollup& r) { out.push_back(r); });
  return out;
}

TEST_F(StoreTest, RollupsKeepEachTenMinutesLowestAndHighest) {
  auto first = store_->begin_import(provenance("aa"));
  const PersonId ann = first->person("ann", PersonInfo{});
  // Around the epoch, where integer division and floor differ.
  for (auto [at, bpm] : {std::pair{"1969-12-31T23:55:00Z", 70.0}, {"1969-12-31T23:59:59Z", 90.0},
                         {"1970-01-01T00:00:00Z", 60.0}, {"1970-01-01T00:05:00Z", 80.0}, {"1970-01-01T00:25:00Z", 75.0}})
    first->add(ann, heart_rate(at, bpm));
  first->commit();
  auto r = rollups(*store_, "ann");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].bucket_start, parse_instant("1969-12-31T23:50:00Z"));
  EXPECT_EQ(r[0].count, 2);
  EXPECT_EQ(r[0].min, 70);
  EXPECT_EQ(r[0].max_at, parse_instant("1969-12-31T23:59:59Z"));
  EXPECT_EQ(r[1].min_at, parse_instant("1970-01-01T00:00:00Z"));
  EXPECT_EQ(r[1].max, 80);
  EXPECT_EQ(r[2].count, 1);
  // A later import into a bucket refreshes it.
  auto second = store_->begin_import(provenance("bb"));
  second->add(second->person("ann", PersonInfo{}), heart_rate("1970-01-01T00:07:00Z", 120));
  second->commit();
  r = rollups(*store_, "ann");
  EXPECT_EQ(r[1].count, 3);
  EXPECT_EQ(r[1].max, 120);
  // Only buckets wholly inside a range.
  EXPECT_EQ(rollups(*store_, "ann", {parse_instant("1969-12-31T23:55:00Z"), parse_instant("1970-01-01T00:30:00Z")}).size(), 2u);
  EXPECT_EQ(rollups(*store_, "ann", {parse_instant("1970-01-01T00:00:00Z"), parse_instant("1970-01-01T00:19:59Z")}).size(), 1u);
  // Hours as well: the hour before the epoch and the first after it.
  const auto hours = rollups(*store_, "ann", {}, std::chrono::hours(1));
  ASSERT_EQ(hours.size(), 2u);
  EXPECT_EQ(hours[0].bucket_start, parse_instant("1969-12-31T23:00:00Z"));
  EXPECT_EQ(hours[1].count, 4);
  EXPECT_EQ(hours[1].min, 60);
  EXPECT_EQ(hours[1].max, 120);
  EXPECT_THROW(rollups(*store_, "ann", {}, std::chrono::minutes(5)), Error);
}

TEST_F(StoreTest, MigratingFillsTheRollupsOfStoredSeries) {
  auto session = store_->begin_import(provenance("aa"));
  const PersonId ann = session->person("ann", PersonInfo{});
  session->add(ann, heart_rate("2024-01-01T08:00:00Z", 61));
  session->add(ann, heart_rate("2024-01-01T08:03:00Z", 66));
  session->commit();
  store_.reset();
  {  // back to the schema before roll-ups (and model runs with persons)
    sqlite::Connection db(path_);
    db.exec("DROP INDEX model_run_by_person; ALTER TABLE model_run DROP COLUMN person_id;"
            "DROP TABLE observation_rollup; PRAGMA user_version = 3");
  }
  store_ = open_store(path_);
  EXPECT_EQ(store_->schema_version(), 5);
  const auto r = rollups(*store_, "ann");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].count, 2);
  EXPECT_EQ(r[0].max, 66);
  EXPECT_EQ(rollups(*store_, "ann", {}, std::chrono::hours(1)).size(), 1u);
}

TEST_F(StoreTest, ModelRunsAreKeptByIdAndReplaced) {
  ModelRun run{"tumour-1", "tumour-twin", "patient A", from_epoch_ms(1000), "ab", R"({"D":0.1})", std::nullopt};
  store_->save_model_run(run);
  run.result_json = R"({"D":0.2})";
  run.created = from_epoch_ms(2000);
  store_->save_model_run(run);
  store_->save_model_run({"other", "glucose", "x", from_epoch_ms(0), "cd", "{}", std::nullopt});
  const auto found = store_->find_model_run("tumour-1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->result_json, R"({"D":0.2})");
  EXPECT_EQ(found->label, "patient A");
  EXPECT_EQ(to_epoch_ms(found->created), 2000);
  EXPECT_FALSE(store_->find_model_run("missing"));
  const auto runs = store_->model_runs("tumour-twin");
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].id, "tumour-1");
  EXPECT_TRUE(runs[0].result_json.empty());
  EXPECT_FALSE(runs[0].person);
}

TEST_F(StoreTest, APersonsModelRunIsErasedWithThem) {
  PersonId ann = 0;
  {
    auto session = store_->begin_import(provenance("aa"));
    ann = session->person("ann", PersonInfo{});
    session->add(ann, heart_rate("2024-01-01T08:00:00Z", 61));
    session->commit();
  }
  store_->save_model_run({"tumour-ann", "tumour-twin", "ann's", from_epoch_ms(1000), "ab", "{}", ann});
  store_->save_model_run({"tumour-anyone", "tumour-twin", "x", from_epoch_ms(2000), "cd", "{}", std::nullopt});
  EXPECT_EQ(store_->find_model_run("tumour-ann")->person, ann);
  EXPECT_EQ(store_->model_runs("tumour-twin")[0].person, ann);
  // Calibrated again without a person, it stays ann's.
  store_->save_model_run({"tumour-ann", "tumour-twin", "ann's", from_epoch_ms(3000), "ab", "{}", std::nullopt});
  EXPECT_EQ(store_->find_model_run("tumour-ann")->person, ann);
  store_->delete_person("ann");
  EXPECT_FALSE(store_->find_model_run("tumour-ann"));
  EXPECT_TRUE(store_->find_model_run("tumour-anyone"));
}

TEST_F(StoreTest, ImportIsOneTransaction) {
  {
    auto session = store_->begin_import(provenance("aa"));
    PersonId ann = session->person("ann", PersonInfo{});
    session->add(ann, heart_rate("2024-01-01T08:00:00Z", 61));
    // destroyed without commit: rolled back
  }
  EXPECT_TRUE(store_->persons().empty());
  EXPECT_FALSE(store_->find_import("aa"));
}

TEST_F(StoreTest, SameRowsAreNotAddedTwice) {
  auto first = store_->begin_import(provenance("aa"));
  PersonId ann = first->person("ann", PersonInfo{});
  EXPECT_TRUE(first->add(ann, heart_rate("2024-01-01T08:00:00Z", 61)));
  EXPECT_FALSE(first->add(ann, heart_rate("2024-01-01T08:00:00Z", 61)));
  EXPECT_TRUE(first->add(ann, heart_rate("2024-01-01T08:00:00Z", 62)));  // another value at the same time
  auto record = first->commit();
  EXPECT_EQ(record.rows_added, 2);
  EXPECT_EQ(record.rows_skipped, 1);
  EXPECT_EQ(store_->find_import("aa")->rows_added, 2);
  EXPECT_EQ(store_->begin_import(provenance("aa")), nullptr);  // same bytes: nothing to do
}

TEST_F(StoreTest, RejectsImpossibleValuesAndTimes) {
  auto s = store_->begin_import(provenance("aa"));
  PersonId ann = s->person("ann", PersonInfo{});
  auto bad = heart_rate("2024-01-01T08:00:00Z", std::numeric_limits<double>::infinity());
  EXPECT_THROW(s->add(ann, bad), Error);
  EXPECT_THROW(s->add(ann, heart_rate("3024-01-01T08:00:00Z", 60)), Error);
  auto backwards = heart_rate("2024-01-01T08:00:00Z", 60);
  backwards.end = backwards.start - std::chrono::minutes(1);
  EXPECT_THROW(s->add(ann, backwards), Error);
}

TEST_F(StoreTest, QueriesByCodeAndTimeRange) {
  auto s = store_->begin_import(provenance("aa"));
  PersonId ann = s->person("ann", PersonInfo{"", "", Sex::female, std::chrono::year{1980} / 5 / 17});
  for (int h = 0; h < 5; ++h) s->add(ann, heart_rate(("2024-01-01T0" + std::to_string(h) + ":00:00Z").c_str(), 60 + h));
  s->add(ann, Observation{metrics::sleep_stage().code, std::nullopt, sleep_stages::deep(), "",
                          parse_instant("2024-01-01T01:00:00Z"), parse_instant("2024-01-01T01:30:00Z"), "watch"});
  s->commit();
  auto person = store_->find_person("ann");
  ASSERT_TRUE(person);
  EXPECT_EQ(person->sex, Sex::female);
  EXPECT_EQ(person->birth_date, std::chrono::year{1980} / 5 / 17);
  auto hr = store_->observations({"ann", metrics::heart_rate().code,
                                  {parse_instant("2024-01-01T01:00:00Z"), parse_instant("2024-01-01T03:00:00Z")}});
  ASSERT_EQ(hr.size(), 2u);
  EXPECT_EQ(*hr[0].value, 61);
  EXPECT_EQ(*hr[1].value, 62);
  auto sleep = store_->observations({"ann", metrics::sleep_stage().code, {}});
  ASSERT_EQ(sleep.size(), 1u);
  EXPECT_EQ(*sleep[0].value_code, sleep_stages::deep());
  auto series = store_->series("ann");
  ASSERT_EQ(series.size(), 2u);
  EXPECT_THROW(store_->observations({"bob", std::nullopt, {}}), NotFound);
}

TEST_F(StoreTest, SignalsAreChunkedAndReadByWindow) {
  Signal ecg;
  ecg.kind = "ECG";
  ecg.sample_rate_hz = 360;
  ecg.start = parse_instant("2024-01-01T00:00:00Z");
  ecg.source = "MIT-BIH";
  ecg.channels = {{"MLII", "mV"}, {"V5", "mV"}};
  const std::int64_t n = 3 * kSignalChunkSamples + 17;
  ecg.samples.assign(2, {});
  for (std::int64_t i = 0; i < n; ++i) {
    ecg.samples[0].push_back(float(i));
    ecg.samples[1].push_back(float(-i));
  }
  ecg.annotations = {{100, -1, "N", ""}, {kSignalChunkSamples + 5, -1, "V", ""}};
  auto s = store_->begin_import(provenance("sig"));
  PersonId p = s->person("ann", PersonInfo{});
  EXPECT_TRUE(s->add(p, ecg));
  EXPECT_FALSE(s->add(p, ecg));
  s->commit();
  auto info = store_->signals("ann");
  ASSERT_EQ(info.size(), 1u);
  EXPECT_EQ(info[0].sample_count, n);
  auto window = store_->read_signal(info[0].id, kSignalChunkSamples - 10, 20);
  ASSERT_EQ(window.samples[0].size(), 20u);
  EXPECT_EQ(window.samples[0][0], float(kSignalChunkSamples - 10));
  EXPECT_EQ(window.samples[1][19], -float(kSignalChunkSamples + 9));
  ASSERT_EQ(window.annotations.size(), 1u);
  EXPECT_EQ(window.annotations[0].sample, 15);
  auto whole = store_->read_signal(info[0].id);
  EXPECT_EQ(whole.samples[1], ecg.samples[1]);
}

TEST_F(StoreTest, DeletingAPersonErasesEverythingOfTheirs) {
  auto s = store_->begin_import(provenance("aa"));
  PersonId ann = s->person("ann", PersonInfo{});
  PersonId bob = s->person("bob", PersonInfo{});
  s->add(ann, heart_rate("2024-01-01T08:00:00Z", 61));
  s->add(bob, heart_rate("2024-01-01T08:00:00Z", 71));
  s->add(ann, Event{event_kinds::meal, {}, parse_instant("2024-01-01T12:00:00Z"), std::nullopt, 50.0, "g",
                    "app", R"({"note":"SECRET-MEAL-NOTE"})"});
  s->time_zone(ann, parse_instant("2024-01-01T00:00:00Z"), "Europe/Amsterdam");
  s->commit();
  auto solo = store_->begin_import(Provenance{"ann-only.xml", "bb", "test", "1", {}});
  s.reset();
  PersonId ann2 = solo->person("ann", PersonInfo{});
  solo->add(ann2, heart_rate("2024-01-02T08:00:00Z", 64));
  solo->commit();

  store_->delete_person("ann");
  EXPECT_FALSE(store_->find_person("ann"));
  EXPECT_EQ(store_->observations({"bob", std::nullopt, {}}).size(), 1u);
  EXPECT_TRUE(store_->find_import("aa"));   // bob's rows still come from it
  EXPECT_FALSE(store_->find_import("bb"));  // only ann's: gone with her
  EXPECT_THROW(store_->delete_person("ann"), NotFound);
  store_.reset();
  // Nothing of hers remains in the file's bytes (secure_delete + WAL checkpoint).
  std::ifstream in(path_, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.find("SECRET-MEAL-NOTE"), std::string::npos);
  EXPECT_EQ(bytes.find("ann-only.xml"), std::string::npos);
}

TEST_F(StoreTest, ConcurrentImportsWaitForEachOther) {
  auto run = [&](const std::string& sha, const char* at) {
    auto store = open_store(path_);
    auto s = store->begin_import(provenance(sha));
    PersonId p = s->person("ann", PersonInfo{});
    for (int i = 0; i < 2000; ++i) {
      s->add(p, heart_rate(at, 50 + i));
    }
    s->commit();
  };
  std::thread a(run, "one", "2024-01-01T08:00:00Z");
  std::thread b(run, "two", "2024-01-01T09:00:00Z");
  a.join();
  b.join();
  EXPECT_EQ(store_->observations({"ann", std::nullopt, {}}).size(), 4000u);
}

TEST_F(StoreTest, SubjectIdsFindTheirPersonAgain) {
  auto s = store_->begin_import(provenance("aa"));
  s->person("Dirk Kuhlman", PersonInfo{"patient-1", "Dirk Kuhlman", Sex::male, std::nullopt});
  EXPECT_EQ(s->person_by_source("patient-1"), "Dirk Kuhlman");
  EXPECT_EQ(s->person_by_source("patient-2"), std::nullopt);
  s->commit();
  store_->delete_person("Dirk Kuhlman");
  auto after = store_->begin_import(provenance("bb"));
  EXPECT_EQ(after->person_by_source("patient-1"), std::nullopt);  // erased with the person
}

TEST(OpenStore, UnwritablePathIsAClearError) {
  try {
    open_store("/proc/medtwin/cannot/be/here.db");
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("/proc/medtwin/cannot/be/here.db"), std::string::npos);
  }
}

TEST(OpenStore, DefaultLocationHonoursEnvironment) {
  EXPECT_EQ(default_store_location(std::string("x.db")), "x.db");
  ::setenv("MEDTWIN_DB", "/tmp/from-env.db", 1);
  EXPECT_EQ(default_store_location(std::nullopt), "/tmp/from-env.db");
  ::unsetenv("MEDTWIN_DB");
}

}  // namespace
}  // namespace medtwin

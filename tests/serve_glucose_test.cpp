// The glucose page's API and the jobs behind its what-if: a CGMacros
// participant (shared data) imported, a day of their record read, a meal
// added and simulated as a job, the answers checked against the OpenAPI
// document; the job queue's cancellation and limits on their own.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <future>
#include <thread>

#include "apps/server/access.hpp"
#include "apps/server/jobs.hpp"
#include "apps/server/store_pool.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/store/open_store.hpp"
#include "serve_support.hpp"

namespace medtwin::testing {
namespace {

// One CGMacros participant, imported once for the whole suite (the import is the slow part).
class ServeGlucose : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir;
    const auto r = run_medtwin("--db " + quoted(database()) + " import " +
                               quoted(shared_data("cgm/cgmacros/cgm/CGMacros-002.csv")) + " --tz UTC --person cgm-person");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::filesystem::path database() { return *dir_ / "glucose.db"; }

  static ScratchDir* dir_;
};
ScratchDir* ServeGlucose::dir_ = nullptr;

// The value of a curve at the sample nearest `t_ms`.
double at(const json& curve, std::int64_t t_ms) {
  std::size_t best = 0;
  for (std::size_t i = 0; i < curve["t_ms"].size(); ++i)
    if (std::llabs(curve["t_ms"][i].get<std::int64_t>() - t_ms) < std::llabs(curve["t_ms"][best].get<std::int64_t>() - t_ms))
      best = i;
  return curve["mg_dl"][best].get<double>();
}

TEST_F(ServeGlucose, ADayOfTheRecordWithItsReadingsAndMeals) {
  RunningServer server(database().string());
  auto c = server.client();
  const auto person = person_path(c, "cgm-person");
  const auto last = get_json(c, person + "/glucose/day");
  expect_matches(last, response_schema("/api/v1/persons/{person}/glucose/day"), "day");
  ASSERT_GE(last["dates"].size(), 5u);
  EXPECT_EQ(last["date"], last["dates"].back());
  // A whole day in the middle of the record: a reading every few minutes, and its meals.
  const auto middle = last["dates"][last["dates"].size() / 2].get<std::string>();
  const auto day = get_json(c, person + "/glucose/day?date=" + middle);
  EXPECT_EQ(day["date"], middle);
  EXPECT_GE(day["readings"]["t_ms"].size(), 250u);
  EXPECT_GE(day["meals"].size(), 2u);
  for (const auto& t : day["readings"]["t_ms"]) {
    EXPECT_GE(t.get<std::int64_t>(), day["start_ms"].get<std::int64_t>());
    EXPECT_LT(t.get<std::int64_t>(), day["start_ms"].get<std::int64_t>() + 86'400'000);
  }
  EXPECT_NE(get_json(c, person + "/glucose/day?date=2024-13-01", 400)["error"].get<std::string>().find("date"),
            std::string::npos);
  get_json(c, person + "/glucose/day?date=1999-01-01", 404);
}

TEST_F(ServeGlucose, AnAddedMealRaisesTheCurveAfterItAndNotBefore) {
  RunningServer server(database().string());
  auto c = server.client();
  const auto person = person_path(c, "cgm-person");
  const auto dates = get_json(c, person + "/glucose/day")["dates"];
  const auto date = dates[dates.size() / 2].get<std::string>();
  const auto job = post_json(c, person + "/glucose/what-if", {{"date", date}, {"meals", {{{"time", "15:00"}, {"carbs_g", 75}}}}}, 202);
  expect_matches(job, response_schema("/api/v1/persons/{person}/glucose/what-if", "post", "202"), "job");
  const auto done = wait_for_job(c, job);
  ASSERT_EQ(done["state"], "done") << done.dump();
  expect_matches(done, response_schema("/api/v1/jobs/{job}"), "job");
  const auto& result = done["result"];
  expect_matches(result, json{{"$ref", "#/components/schemas/GlucoseWhatIf"}}, "what-if");
  EXPECT_EQ(result["date"], date);
  EXPECT_GE(result["fit"]["meals"].get<int>(), 5);
  const auto meal = result["added_meals"][0]["t_ms"].get<std::int64_t>();
  const auto& logged = result["as_logged"];
  const auto& what_if = result["what_if"];
  ASSERT_EQ(logged["t_ms"].size(), what_if["t_ms"].size());
  EXPECT_EQ(at(logged, meal - 600'000), at(what_if, meal - 600'000));    // nothing changes before the meal
  EXPECT_GT(at(what_if, meal + 3'600'000), at(logged, meal + 3'600'000) + 10);  // an hour after: higher
  EXPECT_GE(what_if["mean_mg_dl"].get<double>(), logged["mean_mg_dl"].get<double>());
  EXPECT_LT(result["fit"]["interval_80_low_mg_dl"].get<double>(), 0);
  EXPECT_GT(result["fit"]["interval_80_high_mg_dl"].get<double>(), 0);
}

// A run counts from the participant's own rest (their Fitbit heart rate),
// through the gain their own bouts of exercise show; it changes nothing before it.
TEST_F(ServeGlucose, AnAddedRunCountsAsTheParticipantsOwnExerciseShows) {
  RunningServer server(database().string());
  auto c = server.client();
  const auto person = person_path(c, "cgm-person");
  const auto dates = get_json(c, person + "/glucose/day")["dates"];
  const auto date = dates[dates.size() / 2].get<std::string>();
  const json run = {{"time", "17:00"}, {"minutes", 45}, {"heart_rate_bpm", 150}};
  const auto done = wait_for_job(c, post_json(c, person + "/glucose/what-if", {{"date", date}, {"exercise", {run}}}, 202));
  ASSERT_EQ(done["state"], "done") << done.dump();
  const auto& result = done["result"];
  expect_matches(result, json{{"$ref", "#/components/schemas/GlucoseWhatIf"}}, "what-if");
  EXPECT_TRUE(result["added_meals"].empty());
  ASSERT_EQ(result["added_exercise"].size(), 1u);
  EXPECT_EQ(result["added_exercise"][0]["minutes"], 45);
  const auto& response = result["exercise_response"];
  EXPECT_TRUE(response["resting_heart_rate_measured"].get<bool>());
  EXPECT_GT(response["resting_heart_rate_bpm"].get<double>(), 40);
  EXPECT_LT(response["resting_heart_rate_bpm"].get<double>(), 90);
  ASSERT_TRUE(response.contains("gain"));
  EXPECT_GE(response["gain"]["bouts"].get<int>(), 10);
  EXPECT_LE(response["gain"]["low"].get<double>(), response["gain"]["value"].get<double>());
  EXPECT_LT(response["gain"]["value"].get<double>(), 0.5);  // this participant's glucose barely follows exercise
  const auto start = result["added_exercise"][0]["t_ms"].get<std::int64_t>();
  const auto& logged = result["as_logged"];
  const auto& what_if = result["what_if"];
  EXPECT_EQ(at(logged, start - 600'000), at(what_if, start - 600'000));
  EXPECT_LE(at(what_if, start + 2'700'000), at(logged, start + 2'700'000));
  const auto& band = result["what_if_band"];
  ASSERT_EQ(band["low_mg_dl"].size(), what_if["mg_dl"].size());
  for (std::size_t i = 0; i < what_if["mg_dl"].size(); ++i) {
    EXPECT_LT(band["low_mg_dl"][i].get<double>(), what_if["mg_dl"][i].get<double>());
    EXPECT_GT(band["high_mg_dl"][i].get<double>(), what_if["mg_dl"][i].get<double>());
  }
}

TEST_F(ServeGlucose, BadWhatIfsAreRefusedBeforeAnyJobStarts) {
  RunningServer server(database().string());
  auto c = server.client();
  const auto path = person_path(c, "cgm-person") + "/glucose/what-if";
  const auto error = [&](const json& body) { return post_json(c, path, body, 400)["error"].get<std::string>(); };
  EXPECT_NE(error(json::array()).find("JSON object"), std::string::npos);
  EXPECT_NE(error({{"meals", json::array()}}).find("meals"), std::string::npos);
  EXPECT_NE(error({{"meals", {{{"time", "25:00"}, {"carbs_g", 50}}}}}).find("meals[0].time"), std::string::npos);
  EXPECT_NE(error({{"meals", {{{"time", "12:00"}, {"carbs_g", 5000}}}}}).find("meals[0].carbs_g"), std::string::npos);
  EXPECT_NE(error({{"meals", {{{"time", "12:00"}, {"carbs_g", 50}}}}, {"date", "soon"}}).find("date"), std::string::npos);
  EXPECT_NE(error({{"exercise", 5}}).find("exercise"), std::string::npos);
  const auto run = [](double minutes, double bpm) { return json{{"time", "18:00"}, {"minutes", minutes}, {"heart_rate_bpm", bpm}}; };
  EXPECT_NE(error({{"exercise", {run(0, 150)}}}).find("exercise[0].minutes"), std::string::npos);
  EXPECT_NE(error({{"exercise", {run(30, 150), run(30, 400)}}}).find("exercise[1].heart_rate_bpm"), std::string::npos);
  const auto res = c.Post(path.c_str(), "{not json", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  get_json(c, "/api/v1/jobs/424242", 404);
  // A day without readings is said at once, not by a failed job.
  post_json(c, path, {{"date", "1999-01-01"}, {"meals", {{{"time", "12:00"}, {"carbs_g", 50}}}}}, 404);
  // Another site's page cannot start one: not with its origin, not without saying the body is JSON.
  const json good = {{"meals", {{{"time", "12:00"}, {"carbs_g", 50}}}}};
  const auto foreign = c.Post(path.c_str(), httplib::Headers{{"Origin", "http://attacker.example"}}, good.dump(), "application/json");
  ASSERT_TRUE(foreign);
  EXPECT_EQ(foreign->status, 403);
  const auto marked = c.Post(path.c_str(), httplib::Headers{{"Sec-Fetch-Site", "cross-site"}}, good.dump(), "application/json");
  ASSERT_TRUE(marked);
  EXPECT_EQ(marked->status, 403);
  // Behind a proxy that rewrites Host, the browser's own word that the page is this site's is enough.
  const auto proxied = c.Post(path.c_str(), httplib::Headers{{"Origin", "https://twin.example"}, {"Sec-Fetch-Site", "same-origin"}},
                              good.dump(), "Application/JSON; charset=utf-8");
  ASSERT_TRUE(proxied);
  EXPECT_EQ(proxied->status, 202);
  const auto plain = c.Post(path.c_str(), good.dump(), "text/plain");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->status, 415);
  // A body of unknown length is refused before it is read.
  EXPECT_TRUE(raw_request(server.port(), "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\r\n")
                  .starts_with("HTTP/1.1 411"));
}

// A job of one person does not exist for a token of another's.
TEST_F(ServeGlucose, JobsAreSeenOnlyByWhoMaySeeTheirPerson) {
  const auto other_database = *dir_ / "two.db";
  std::filesystem::copy_file(database(), other_database, std::filesystem::copy_options::overwrite_existing);
  ASSERT_EQ(run_medtwin("--db " + quoted(other_database) + " import " + sample("mitdb/100.hea") + " --person record-100").exit_code, 0);
  std::string own_token, other_token, cgm;
  {
    auto store = open_store(other_database.string());
    const auto person = store->find_person(std::string("cgm-person"))->id;
    cgm = "/api/v1/persons/" + std::to_string(person);
    own_token = server::issue_token(*store, person, "own");
    other_token = server::issue_token(*store, store->find_person(std::string("record-100"))->id, "other");
  }
  RunningServer server(other_database.string(), "a-long-server-token-for-tests");
  auto own = server.client(own_token), other = server.client(other_token);
  const auto job = post_json(own, cgm + "/glucose/what-if", {{"meals", {{{"time", "12:00"}, {"carbs_g", 40}}}}}, 202);
  const auto path = "/api/v1/jobs/" + std::to_string(job["id"].get<std::int64_t>());
  EXPECT_EQ(get_json(other, path, 404), get_json(other, "/api/v1/jobs/424242", 404));
  EXPECT_EQ(other.Delete(path.c_str())->status, 404);
  EXPECT_EQ(wait_for_job(own, job)["state"], "done");
  post_json(other, cgm + "/glucose/what-if", {{"meals", {{{"time", "12:00"}, {"carbs_g", 40}}}}}, 403);
}

// A work function that waits until released.
struct Latch {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
};

TEST(JobQueue, CancelsQueuedAndRunningJobsAndKeepsAFixedNumberOfEnded) {
  ScratchDir dir;
  open_store((dir / "jobs.db").string());
  server::StorePool pool((dir / "jobs.db").string());
  server::JobQueue jobs(pool, 1, /*kept_finished=*/2, /*max_waiting=*/1);
  Latch gate;
  std::promise<void> started;
  const auto running = jobs.start(1, "test", [&](Store&, server::JobProgress& progress) {
    started.set_value();
    gate.released.wait();
    progress.report(0.5, "after the gate");  // where a cancellation takes effect
    return json("never");
  });
  ASSERT_TRUE(running);
  started.get_future().wait();
  const auto queued = jobs.start(1, "test", [](Store&, server::JobProgress&) { return json(1); });
  ASSERT_TRUE(queued);
  EXPECT_FALSE(jobs.start(1, "test", [](Store&, server::JobProgress&) { return json(2); }));  // the queue is full
  EXPECT_EQ(jobs.cancel(queued->id)->state, server::JobState::cancelled);
  EXPECT_EQ(jobs.cancel(running->id)->state, server::JobState::running);  // until its next report
  gate.release.set_value();
  for (int i = 0; i < 1000 && jobs.status(running->id)->state == server::JobState::running; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(jobs.status(running->id)->state, server::JobState::cancelled);
  const auto failing = jobs.start(1, "test", [](Store&, server::JobProgress&) -> json { throw Error("no meals"); });
  for (int i = 0; i < 1000 && jobs.status(failing->id)->state != server::JobState::failed; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(jobs.status(failing->id)->error, "no meals");
  EXPECT_FALSE(jobs.status(queued->id));  // the oldest ended job was dropped (two are kept)
  EXPECT_FALSE(jobs.cancel(424242));
}

TEST(JobQueue, OnePersonCannotFillTheQueue) {
  ScratchDir dir;
  open_store((dir / "jobs.db").string());
  server::StorePool pool((dir / "jobs.db").string());
  server::JobQueue jobs(pool, 1);
  Latch gate;
  const auto wait = [&](Store&, server::JobProgress&) {
    gate.released.wait();
    return json(0);
  };
  ASSERT_TRUE(jobs.start(std::nullopt, "test", wait));  // holds the only worker
  for (std::size_t i = 0; i < server::JobQueue::kMaxWaitingPerPerson; ++i) EXPECT_TRUE(jobs.start(1, "test", wait));
  EXPECT_FALSE(jobs.start(1, "test", wait));
  EXPECT_TRUE(jobs.start(2, "test", wait));
  EXPECT_TRUE(jobs.start(std::nullopt, "test", wait));
  gate.release.set_value();
}

}  // namespace
}  // namespace medtwin::testing

// The tumour page's API: the twins `medtwin tumor calibrate` kept, one twin's
// visits and parameters with the plans on offer, a comparison of plans run as
// a job with the same figures as `medtwin tumor compare --json`, and tumour
// twins open to a one-person token only when calibrated for that person.
#include <gtest/gtest.h>
#include <httplib.h>

#include "apps/server/access.hpp"
#include "medtwin/store/open_store.hpp"
#include "serve_support.hpp"

namespace medtwin::testing {
namespace {

std::string samples_folder() { return (std::filesystem::path(MEDTWIN_SOURCE_DIR) / "data/samples/tumour").string(); }

// The API database with the sample timeline's twin calibrated into it.
class ServeTumour : public ::testing::Test {
 protected:
  ServeTumour() {
    const auto r = run_medtwin("--db " + quoted(std::filesystem::path(db_.path())) + " tumor calibrate --timeline " +
                               quoted(std::filesystem::path(samples_folder()) / "timeline_radii.json"));
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
  std::string twin_path(httplib::Client& c) {
    const auto twins = get_json(c, "/api/v1/tumour-twins");
    return twins.empty() ? "" : "/api/v1/tumour-twins/" + twins[0]["id"].get<std::string>();
  }

  ApiDatabase db_;
};

TEST_F(ServeTumour, ListsTheTwinsAndShowsOneWithItsVisitsParametersAndPlans) {
  RunningServer server(db_.path());
  auto c = server.client();
  const auto twins = get_json(c, "/api/v1/tumour-twins");
  expect_matches(twins, response_schema("/api/v1/tumour-twins"), "twins");
  ASSERT_EQ(twins.size(), 1u);
  EXPECT_EQ(twins[0]["patient"], "example (radii)");
  const auto twin = get_json(c, twin_path(c));
  expect_matches(twin, response_schema("/api/v1/tumour-twins/{twin}"), "twin");
  ASSERT_EQ(twin["visits"].size(), 2u);
  EXPECT_EQ(twin["visits"][1]["t2_radius_mm"], 30.0);
  EXPECT_TRUE(twin["visits"][1]["calibrated_on"].get<bool>());
  ASSERT_GE(twin["parameters"].size(), 2u);
  for (const auto& p : twin["parameters"]) {
    EXPECT_LT(p["low95"].get<double>(), p["value"].get<double>()) << p.dump();
    EXPECT_GT(p["high95"].get<double>(), p["value"].get<double>()) << p.dump();
  }
  std::vector<std::string> plans;
  for (const auto& p : twin["plans"]) plans.push_back(p["id"].get<std::string>());
  EXPECT_EQ(plans, (std::vector<std::string>{"combination", "hypofractionated_rt", "hypofractionated_tmz", "standard_rt", "stupp"}));
  get_json(c, "/api/v1/tumour-twins/tumour-000000000000", 404);
}

// Lengths of alternating runs, outside first, back to a mask.
std::vector<int> unrun(const json& runs) {
  std::vector<int> mask;
  int value = 0;
  for (const auto& n : runs) {
    mask.insert(mask.end(), n.get<std::size_t>(), value);
    value = 1 - value;
  }
  return mask;
}

// A twin calibrated from a synthetic patient's masks keeps them: each visit's
// masks on the slice where the tumour is largest, inside the brain, growing.
TEST(ServeTumourMasks, EachVisitsMasksOnOneSliceOfTheBrain) {
  ScratchDir dir;
  auto r = run_medtwin("tumor synthesize --out " + quoted(dir / "patient") +
                       " --diffusion 0.1 --proliferation 0.05 --first-t2 22 --visit-days 0 60");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_medtwin("--db " + quoted(dir / "t.db") + " tumor calibrate --timeline " + quoted(dir / "patient/timeline.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  RunningServer server((dir / "t.db").string());
  auto c = server.client();
  const auto path = "/api/v1/tumour-twins/" + get_json(c, "/api/v1/tumour-twins")[0]["id"].get<std::string>();
  EXPECT_TRUE(get_json(c, path)["has_visit_masks"].get<bool>());
  const auto slices = get_json(c, path + "/visit-slices");
  expect_matches(slices, response_schema("/api/v1/tumour-twins/{twin}/visit-slices"), "slices");
  const std::size_t voxels = slices["width"].get<std::size_t>() * slices["height"].get<std::size_t>();
  const auto brain = unrun(slices["brain"]);
  ASSERT_EQ(brain.size(), voxels);
  ASSERT_EQ(slices["visits"].size(), 2u);
  std::vector<int> t2_area;
  for (const auto& visit : slices["visits"]) {
    const auto t2 = unrun(visit["t2"]), t1gd = unrun(visit["t1gd"]);
    ASSERT_EQ(t2.size(), voxels);
    ASSERT_EQ(t1gd.size(), voxels);
    int area = 0;
    for (std::size_t q = 0; q < voxels; ++q) {
      EXPECT_LE(t2[q], brain[q]) << "T2/FLAIR outside the brain at " << q;
      EXPECT_LE(t1gd[q], t2[q]) << "enhancement outside T2/FLAIR at " << q;
      area += t2[q];
    }
    t2_area.push_back(area);
  }
  EXPECT_GT(t2_area[0], 20);
  EXPECT_GT(t2_area[1], t2_area[0]) << "the tumour grows between the visits";
  EXPECT_EQ(slices["visits"][1]["index"], 1);
}

TEST_F(ServeTumour, ATwinFromRadiiHasNoVisitSlices) {
  RunningServer server(db_.path());
  auto c = server.client();
  const auto path = twin_path(c);
  EXPECT_FALSE(get_json(c, path)["has_visit_masks"].get<bool>());
  get_json(c, path + "/visit-slices", 404);
}

TEST_F(ServeTumour, AComparisonJobGivesTheCommandsFiguresWithDailyBands) {
  RunningServer server(db_.path());
  auto c = server.client();
  const auto path = twin_path(c);
  const auto job = post_json(c, path + "/forecast", {{"plans", {"stupp", "standard_rt"}}, {"samples", 6}}, 202);
  expect_matches(job, response_schema("/api/v1/tumour-twins/{twin}/forecast", "post", "202"), "job");
  EXPECT_TRUE(job["person"].is_null());
  const auto done = wait_for_job(c, job);
  ASSERT_EQ(done["state"], "done") << done.dump();
  auto result = done["result"];
  expect_matches(result, json{{"$ref", "#/components/schemas/TumourForecasts"}}, "forecasts");
  ASSERT_EQ(result["plans"].size(), 3u);
  EXPECT_EQ(result["plans"][0]["plan"], "untreated (virtual control)");
  for (auto& plan : result["plans"]) {
    const auto& series = plan["series"];
    ASSERT_GT(series["day"].size(), 100u);
    for (const auto* radius : {"t1gd_radius_mm", "t2_radius_mm"})
      for (std::size_t i = 0; i < series["day"].size(); i += 50) {
        EXPECT_LE(series[radius]["low"][i].get<double>(), series[radius]["median"][i].get<double>());
        EXPECT_LE(series[radius]["median"][i].get<double>(), series[radius]["high"][i].get<double>());
      }
    plan.erase("series");
  }
  const auto cli = run_medtwin("--db " + quoted(std::filesystem::path(db_.path())) + " tumor compare --twin " +
                               result["twin"].get<std::string>() + " " + quoted(std::filesystem::path(samples_folder()) / "stupp.json") + " " +
                               quoted(std::filesystem::path(samples_folder()) / "standard_rt.json") + " --samples 6 --json");
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(result["plans"], json::parse(cli.out)["plans"]);
}

TEST_F(ServeTumour, BadComparisonsAreRefusedBeforeAnyJobStarts) {
  RunningServer server(db_.path());
  auto c = server.client();
  const auto path = twin_path(c) + "/forecast";
  const auto error = [&](const json& body) { return post_json(c, path, body, 400)["error"].get<std::string>(); };
  EXPECT_NE(error(json::object()).find("plans"), std::string::npos);
  EXPECT_NE(error({{"plans", json::array()}}).find("plans"), std::string::npos);
  EXPECT_NE(error({{"plans", {"timeline_radii"}}}).find("not a plan on offer"), std::string::npos);
  EXPECT_NE(error({{"plans", {"../stupp"}}}).find("not a plan on offer"), std::string::npos);
  EXPECT_NE(error({{"plans", {"stupp"}}, {"samples", 0}}).find("samples"), std::string::npos);
  EXPECT_NE(error({{"plans", {"stupp", "stupp"}}}).find("twice"), std::string::npos);
  post_json(c, "/api/v1/tumour-twins/nope/forecast", {{"plans", {"stupp"}}}, 404);
}

TEST_F(ServeTumour, TwinsAndTheirJobsAreClosedToATokenForOnePerson) {
  std::string person_token;
  {
    auto store = open_store(db_.path());
    person_token = server::issue_token(*store, store->find_person(std::string("apple-person"))->id, "clinic");
  }
  RunningServer server(db_.path(), "a-long-server-token-for-tests");
  auto everyone = server.client("a-long-server-token-for-tests"), one = server.client(person_token);
  const auto path = twin_path(everyone);
  EXPECT_TRUE(get_json(one, "/api/v1/tumour-twins").empty());
  get_json(one, path, 403);
  get_json(one, "/api/v1/tumour-twins/tumour-000000000000", 403);  // the same answer: it learns nothing
  get_json(one, path + "/visit-slices", 403);
  post_json(one, path + "/forecast", {{"plans", {"stupp"}}, {"samples", 1}}, 403);
  const auto job = post_json(everyone, path + "/forecast", {{"plans", {"stupp"}}, {"samples", 1}}, 202);
  get_json(one, "/api/v1/jobs/" + std::to_string(job["id"].get<std::int64_t>()), 404);
  EXPECT_EQ(wait_for_job(everyone, job)["state"], "done");
}

// `tumor calibrate --person`: the person's token opens their twin and follows
// its jobs; another person's token learns nothing of it; erasing the person erases it.
TEST_F(ServeTumour, ATwinCalibratedForAPersonOpensToTheirToken) {
  auto r = run_medtwin("--db " + quoted(std::filesystem::path(db_.path())) + " tumor calibrate --person apple-person --radius-sd 2 --timeline " +
                       quoted(std::filesystem::path(samples_folder()) / "timeline_radii.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_medtwin("--db " + quoted(std::filesystem::path(db_.path())) + " tumor calibrate --person nobody --timeline " +
                  quoted(std::filesystem::path(samples_folder()) / "timeline_radii.json"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("no person 'nobody'"), std::string::npos) << r.err;
  std::string own_token, other_token;
  PersonId owner = 0;
  {
    auto store = open_store(db_.path());
    owner = store->find_person(std::string("apple-person"))->id;
    own_token = server::issue_token(*store, owner, "clinic");
    other_token = server::issue_token(*store, store->find_person(std::string("record-100"))->id, "other clinic");
  }
  RunningServer server(db_.path(), "a-long-server-token-for-tests");
  auto own = server.client(own_token), other = server.client(other_token);
  auto everyone = server.client("a-long-server-token-for-tests");
  const auto twins = get_json(own, "/api/v1/tumour-twins");
  expect_matches(twins, response_schema("/api/v1/tumour-twins"), "twins");
  ASSERT_EQ(twins.size(), 1u);
  EXPECT_EQ(twins[0]["person"], owner);
  const auto path = "/api/v1/tumour-twins/" + twins[0]["id"].get<std::string>();
  EXPECT_EQ(get_json(own, path)["person"], owner);
  const auto job = post_json(own, path + "/forecast", {{"plans", {"stupp"}}, {"samples", 1}}, 202);
  EXPECT_EQ(wait_for_job(own, job)["state"], "done");
  EXPECT_TRUE(get_json(other, "/api/v1/tumour-twins").empty());
  EXPECT_EQ(get_json(other, path, 403), get_json(other, "/api/v1/tumour-twins/tumour-000000000000", 403))
      << "another person's twin and no twin get the same answer";
  // Calibrated again without --person it stays theirs; it cannot be given to another person.
  r = run_medtwin("--db " + quoted(std::filesystem::path(db_.path())) + " tumor calibrate --radius-sd 2 --timeline " +
                  quoted(std::filesystem::path(samples_folder()) / "timeline_radii.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(get_json(own, path)["person"], owner);
  r = run_medtwin("--db " + quoted(std::filesystem::path(db_.path())) + " tumor calibrate --person record-100 --radius-sd 2 --timeline " +
                  quoted(std::filesystem::path(samples_folder()) / "timeline_radii.json"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("another person's"), std::string::npos) << r.err;
  get_json(other, "/api/v1/jobs/" + std::to_string(job["id"].get<std::int64_t>()), 404);
  EXPECT_EQ(get_json(everyone, "/api/v1/tumour-twins").size(), 2u);
  open_store(db_.path())->delete_person("apple-person");
  EXPECT_EQ(get_json(everyone, "/api/v1/tumour-twins").size(), 1u);
}

}  // namespace
}  // namespace medtwin::testing

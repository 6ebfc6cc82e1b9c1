// The HTTP API end to end: a server started in this process on a free port
// over a fresh database with the bundled samples imported, asked through
// HTTP. The OpenAPI document is checked against the routes and the answers;
// access control is checked for what a refused request can learn.
#include <gtest/gtest.h>
#include <httplib.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <fstream>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "apps/server/access.hpp"
#include "apps/server/openapi.hpp"
#include "apps/server/result_cache.hpp"
#include "apps/server/routes.hpp"
#include "apps/server/server.hpp"
#include "cli_support.hpp"
#include "serve_support.hpp"
#include "medtwin/core/codes.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/store/open_store.hpp"

namespace medtwin::testing {
namespace {

using nlohmann::json;

TEST(ServeApi, TheOpenApiDocumentListsExactlyTheRoutes) {
  std::set<std::string> routed, documented;
  for (const auto& r : server::api_routes()) routed.insert(r.method + " " + r.path);
  for (const auto& [path, operations] : server::openapi_document()["paths"].items())
    for (const auto& [method, op] : operations.items()) {
      std::string upper = method;
      for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.insert(upper + " " + path);
      if (!op.contains("parameters")) continue;
      for (const auto& p : op["parameters"])
        if (p["in"] == "path") {
          EXPECT_NE(path.find("{" + p["name"].get<std::string>() + "}"), std::string::npos) << path;
        }
    }
  EXPECT_EQ(routed, documented);
  EXPECT_EQ(server::path_pattern("/api/v1/persons/{person}/series/{series}/points"),
            "/api/v1/persons/([^/]+)/series/([^/]+)/points");
}

TEST(ServeApi, AnswersMatchTheDocumentAndThinSeriesKeepingPeaks) {
  ApiDatabase db;
  RunningServer server(db.path());
  auto c = server.client();
  const auto served = get_json(c, "/api/v1/openapi.json");
  EXPECT_EQ(served, server::openapi_document());
  const auto persons = get_json(c, "/api/v1/persons");
  expect_matches(persons, response_schema("/api/v1/persons"), "persons");
  ASSERT_EQ(persons.size(), 2u);
  const auto id = [&](const std::string& name) {
    for (const auto& p : persons)
      if (p["name"] == name) return std::to_string(p["id"].get<std::int64_t>());
    return std::string("none");
  };
  const auto apple = "/api/v1/persons/" + id("apple-person");
  expect_matches(get_json(c, apple), response_schema("/api/v1/persons/{person}"), "person");
  const auto series = get_json(c, apple + "/series");
  expect_matches(series, response_schema("/api/v1/persons/{person}/series"), "series");
  // The longest numeric series, thinned to 20 points: its extremes survive.
  json longest;
  for (const auto& s : series)
    if (s["unit"] != "" && (longest.is_null() || s["count"] > longest["count"])) longest = s;
  ASSERT_FALSE(longest.is_null());
  const auto full = get_json(c, apple + "/series/" + std::to_string(longest["id"].get<std::int64_t>()) + "/points?points=20000");
  const auto thin = get_json(c, apple + "/series/" + std::to_string(longest["id"].get<std::int64_t>()) + "/points?points=20");
  expect_matches(thin, response_schema("/api/v1/persons/{person}/series/{series}/points"), "points");
  ASSERT_EQ(full["total"], longest["count"]);
  EXPECT_LE(thin["value"].size(), 20u);
  if (longest["count"].get<int>() > 20) {
    EXPECT_TRUE(thin["thinned"].get<bool>());
  }
  const auto max_of = [](const json& values) {
    double m = -INFINITY;
    for (const auto& v : values) m = std::max(m, v.get<double>());
    return m;
  };
  EXPECT_EQ(max_of(thin["value"]), max_of(full["value"]));
  expect_matches(get_json(c, apple + "/events"), response_schema("/api/v1/persons/{person}/events"), "events");

  const auto record = "/api/v1/persons/" + id("record-100");
  const auto signals = get_json(c, record + "/signals");
  expect_matches(signals, response_schema("/api/v1/persons/{person}/signals"), "signals");
  ASSERT_EQ(signals.size(), 1u);
  const auto window = get_json(c, record + "/signals/" + std::to_string(signals[0]["id"].get<std::int64_t>()) +
                                      "/window?start=600&seconds=10");
  expect_matches(window, response_schema("/api/v1/persons/{person}/signals/{signal}/window"), "window");
  EXPECT_EQ(window["first_sample"], 600 * 360);
  EXPECT_EQ(window["channels"][0]["samples"].size(), 3600u);
  EXPECT_GE(window["annotations"].size(), 10u);  // beats in 10 s of record 100
}

// A month of 1-minute heart rate: a chart of it is drawn from the 10-minute
// roll-ups, with the values of the partial buckets at the ends; the count and
// the extremes are those of every value in the range.
TEST(ServeApi, LongRangesComeFromRollupsWithTheirExtremes) {
  ScratchDir dir;
  const auto database = (dir / "month.db").string();
  const auto start = parse_instant("2024-03-01T00:00:00Z");
  std::vector<std::pair<Instant, double>> values;
  {
    auto store = open_store(database);
    auto session = store->begin_import({"month.csv", "ab", "test", "1", start});
    const auto person = session->person("month-person", PersonInfo{});
    for (int minute = 0; minute < 30 * 1440; ++minute) {
      const auto at = start + std::chrono::minutes(minute);
      const double bpm = 60 + 20 * std::sin(minute / 300.0) + (minute == 20'000 ? 80 : 0) - (minute == 30'001 ? 30 : 0);
      values.emplace_back(at, bpm);
      session->add(person, Observation{metrics::heart_rate().code, bpm, std::nullopt, "/min", at, at, "watch"});
    }
    session->commit();
  }
  RunningServer server(database);
  auto c = server.client();
  const auto person = "/api/v1/persons/" + std::to_string(get_json(c, "/api/v1/persons")[0]["id"].get<std::int64_t>());
  const auto series = get_json(c, person + "/series")[0]["id"].get<std::int64_t>();
  const auto from = start + std::chrono::seconds(5 * 60 + 30), to = start + std::chrono::hours(29 * 24 + 12) + std::chrono::minutes(3);
  const auto month = get_json(c, person + "/series/" + std::to_string(series) + "/points?points=1000&from=" +
                                     format_instant(from) + "&to=" + format_instant(to));
  std::size_t inside = 0;
  double low = INFINITY, high = -INFINITY;
  std::map<std::int64_t, double> by_time;
  for (const auto& [at, bpm] : values) {
    by_time[to_epoch_ms(at)] = bpm;
    if (at < from || at >= to) continue;
    ++inside;
    low = std::min(low, bpm);
    high = std::max(high, bpm);
  }
  EXPECT_EQ(month["total"].get<std::size_t>(), inside);
  EXPECT_TRUE(month["thinned"].get<bool>());
  ASSERT_LE(month["value"].size(), 1000u);
  EXPECT_GE(month["value"].size(), 600u);  // 2-hour buckets: whole hourly roll-ups each
  double drawn_low = INFINITY, drawn_high = -INFINITY;
  for (std::size_t i = 0; i < month["value"].size(); ++i) {
    const double v = month["value"][i].get<double>();
    EXPECT_EQ(by_time.at(month["t_ms"][i].get<std::int64_t>()), v);  // every point is a stored value at its time
    drawn_low = std::min(drawn_low, v);
    drawn_high = std::max(drawn_high, v);
  }
  EXPECT_EQ(drawn_low, low);
  EXPECT_EQ(drawn_high, high);
}

// The export streams the person's records as `medtwin export` writes them, and the bundle imports back whole.
TEST(ServeApi, ExportsAFhirBundleThatImportsBack) {
  ApiDatabase db;
  RunningServer server(db.path());
  auto c = server.client();
  const auto apple = person_path(c, "apple-person");
  const auto res = c.Get((apple + "/export").c_str());
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/fhir+json");
  EXPECT_NE(res->get_header_value("Content-Disposition").find("attachment"), std::string::npos);
  const auto bundle = json::parse(res->body);
  EXPECT_EQ(bundle["resourceType"], "Bundle");
  EXPECT_EQ(bundle["entry"].size(), 1u + 8u);  // the Patient and the sample's 8 observations
  ScratchDir dir;
  {
    std::ofstream(dir / "bundle.json") << res->body;
  }
  const auto back = run_medtwin("--db " + quoted(dir / "back.db") + " import " + quoted(dir / "bundle.json") + " --person back");
  EXPECT_NE(back.out.find("8 observations"), std::string::npos) << back.out << back.err;
  const auto csv = c.Get((apple + "/export?format=csv").c_str());
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv");
  EXPECT_EQ(std::count(csv->body.begin(), csv->body.end(), '\n'), 1 + 8);
  EXPECT_NE(get_json(c, apple + "/export?format=xml", 400)["error"].get<std::string>().find("format"), std::string::npos);
}

// Thirty nights asleep 23:30–07:00 (UTC): the sleep twin fits the two-process
// model to them, and a short night planned for tonight leaves a debt the
// habitual night does not.
TEST(ServeApi, ServesTheSleepTwinAndAPlannedNight) {
  ScratchDir dir;
  const auto database = (dir / "sleep.db").string();
  {
    auto store = open_store(database);
    auto session = store->begin_import({"nights", "cd", "test", "1", parse_instant("2024-03-01T00:00:00Z")});
    const auto person = session->person("sleeper", PersonInfo{});
    for (int night = 0; night < 30; ++night) {
      const auto onset = parse_instant("2024-03-01T23:30:00Z") + std::chrono::days(night);
      session->add(person, Observation{metrics::sleep_stage().code, std::nullopt, sleep_stages::asleep(), "",
                                       onset, onset + std::chrono::minutes(450), "watch"});
    }
    session->commit();
  }
  RunningServer server(database);
  auto c = server.client();
  const auto path = "/api/v1/persons/" + std::to_string(get_json(c, "/api/v1/persons")[0]["id"].get<std::int64_t>()) + "/sleep";
  const auto twin = get_json(c, path);
  expect_matches(twin, response_schema("/api/v1/persons/{person}/sleep"), "sleep");
  ASSERT_EQ(twin["nights"].size(), 30u);
  ASSERT_TRUE(twin.contains("two_process")) << twin["unavailable"];
  EXPECT_NEAR(twin["two_process"]["sleep_need_h"].get<double>(), 7.5, 0.5);
  const auto short_night = get_json(c, path + "?plan=02:00-05:00");
  expect_matches(short_night, response_schema("/api/v1/persons/{person}/sleep"), "short night");
  ASSERT_TRUE(short_night.contains("scenario"));
  const auto most_debt = [](const json& values) {
    double most = -INFINITY;
    for (const auto& v : values)
      if (v.is_number()) most = std::max(most, v.get<double>());
    return most;
  };
  EXPECT_GT(most_debt(short_night["scenario"]["planned"]["debt_h"]), most_debt(short_night["scenario"]["habitual"]["debt_h"]) + 1);
  EXPECT_NE(get_json(c, path + "?plan=25:00-07:00", 400)["error"].get<std::string>().find("plan"), std::string::npos);
}

// A night's stages for the hypnogram: the night that woke on a day, from the source that staged it in most detail.
TEST(ServeApi, ServesANightsStagesFromTheSourceWithMostOfThem) {
  ScratchDir dir;
  const auto database = (dir / "stages.db").string();
  {
    auto store = open_store(database);
    auto session = store->begin_import({"stages", "cd", "test", "1", parse_instant("2024-03-01T00:00:00Z")});
    const auto person = session->person("sleeper", PersonInfo{});
    const auto stage = [&](const char* start, int minutes, const Code& code, const char* source) {
      const auto from = parse_instant(start);
      session->add(person, Observation{metrics::sleep_stage().code, std::nullopt, code, "", from,
                                       from + std::chrono::minutes(minutes), source});
    };
    for (const char* onset : {"2024-03-01T23:00:00Z", "2024-03-02T23:00:00Z"}) stage(onset, 480, sleep_stages::asleep(), "phone");
    stage("2024-03-02T23:00:00Z", 120, sleep_stages::light(), "watch");
    stage("2024-03-03T01:00:00Z", 90, sleep_stages::deep(), "watch");
    stage("2024-03-03T02:30:00Z", 10, sleep_stages::awake(), "watch");
    stage("2024-03-03T02:40:00Z", 260, sleep_stages::rem(), "watch");
    session->commit();
  }
  RunningServer server(database);
  auto c = server.client();
  const auto path = person_path(c, "sleeper") + "/sleep/stages";
  const auto last = get_json(c, path);
  expect_matches(last, response_schema("/api/v1/persons/{person}/sleep/stages"), "stages");
  EXPECT_EQ(last["nights"], json({"2024-03-02", "2024-03-03"}));
  EXPECT_EQ(last["night"], "2024-03-03");
  EXPECT_EQ(last["source"], "watch");
  ASSERT_EQ(last["segments"].size(), 4u);
  EXPECT_EQ(last["segments"][1]["stage"], "sleep-deep");
  EXPECT_EQ(last["segments"][1]["end_ms"].get<std::int64_t>() - last["segments"][1]["start_ms"].get<std::int64_t>(), 90 * 60000);
  EXPECT_EQ(last["segments"][1]["wall_offset_ms"], 0);  // a person without a zone is on UTC
  const auto first = get_json(c, path + "?night=2024-03-02");
  EXPECT_EQ(first["source"], "phone");
  ASSERT_EQ(first["segments"].size(), 1u);
  get_json(c, path + "?night=2024-04-01", 404);
  get_json(c, path + "?night=yesterday", 400);
}

// The Fitbit wearers of the shared data, imported into a database in `dir`.
std::filesystem::path fitbit_database(const ScratchDir& dir) {
  const auto database = dir / "twin.db";
  const auto r = run_medtwin("--db " + quoted(database) + " import " + quoted(shared_data("wearables/fitbit_fitabase")) +
                             " --tz America/New_York");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return database;
}

// The twin of a Fitbit wearer (shared data): today against the baseline, readiness, tomorrow, as the document says.
TEST(ServeApi, ServesTheBaselineTwin) {
  ScratchDir dir;
  const auto database = fitbit_database(dir);
  RunningServer server(database.string());
  auto c = server.client();
  std::string id;
  for (const auto& p : get_json(c, "/api/v1/persons"))
    if (p["name"] == "1503960366") id = std::to_string(p["id"].get<std::int64_t>());
  ASSERT_FALSE(id.empty());
  const auto twin = get_json(c, "/api/v1/persons/" + id + "/twin?days=3");
  expect_matches(twin, response_schema("/api/v1/persons/{person}/twin"), "twin");
  ASSERT_FALSE(twin["forecasts"].empty());
  for (const auto& f : twin["forecasts"]) {
    EXPECT_EQ(f["days"].size(), 3u) << f["metric"];
    for (const auto& d : f["days"])
      if (!d["lo80"].is_null()) {
        EXPECT_LE(d["lo80"].get<double>(), d["point"].get<double>());
        EXPECT_LE(d["point"].get<double>(), d["hi80"].get<double>());
      }
  }
  EXPECT_FALSE(twin["state"].empty());
  get_json(c, "/api/v1/persons/" + id + "/twin?days=0", 400);
  // The CLI's JSON and the API's are one and the same.
  const auto cli = run_medtwin("--db " + quoted(database) + " forecast 1503960366 --days 3 --json");
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  auto from_cli = json::parse(cli.out);
  from_cli.erase("person");
  EXPECT_EQ(from_cli, twin);
}

// A feature's timeline: each day's value against the baseline of the days before it, and the twin's forecast.
TEST(ServeApi, ServesAFeaturesTimelineWithItsBaselineAndForecast) {
  ScratchDir dir;
  const auto database = fitbit_database(dir);
  RunningServer server(database.string());
  auto c = server.client();
  const auto person = person_path(c, "1503960366");
  const auto twin = get_json(c, person + "/twin?days=3");
  const auto& forecast = twin["forecasts"][0];
  const auto metric = forecast["metric"].get<std::string>();
  const auto timeline = get_json(c, person + "/twin/features/" + metric + "?days=3");
  expect_matches(timeline, response_schema("/api/v1/persons/{person}/twin/features/{feature}"), "timeline");
  const auto n = timeline["days"].size();
  ASSERT_GE(n, 30u);
  ASSERT_EQ(timeline["value"].size(), n);
  ASSERT_EQ(timeline["median60"].size(), n);
  EXPECT_TRUE(timeline["median60"][0].is_null());  // no days before the first
  EXPECT_EQ(timeline["forecast"], forecast);       // the twin's own forecast
  // The feature's last day with a value stands against the baseline the twin judged it by.
  bool compared = false;
  for (const auto& state : twin["state"])
    for (std::size_t i = 0; i < n; ++i)
      if (state["metric"] == metric && state["day"] == timeline["days"][i]) {
        EXPECT_EQ(timeline["median60"][i], state["median60"]);
        EXPECT_EQ(timeline["value"][i], state["value"]);
        compared = true;
      }
  EXPECT_TRUE(compared);
  get_json(c, person + "/twin/features/no_such_feature", 404);
}

TEST(ServeApi, BadParametersAreNamed) {
  ApiDatabase db;
  RunningServer server(db.path());
  auto c = server.client();
  const auto persons = get_json(c, "/api/v1/persons");
  const auto person = "/api/v1/persons/" + std::to_string(persons[0]["id"].get<std::int64_t>());
  const auto series = get_json(c, person + "/series");
  const auto points = person + "/series/" + std::to_string(series[0]["id"].get<std::int64_t>()) + "/points";
  EXPECT_NE(get_json(c, points + "?points=1", 400)["error"].get<std::string>().find("points"), std::string::npos);
  EXPECT_NE(get_json(c, points + "?from=yesterday", 400)["error"].get<std::string>().find("from"), std::string::npos);
  EXPECT_NE(get_json(c, points + "?from=2024-02-01T00:00:00Z&to=2024-01-01T00:00:00Z", 400)["error"].get<std::string>().find("to"),
            std::string::npos);
  get_json(c, person + "/series/999999/points", 404);
  for (const auto& p : persons) {
    const auto other = "/api/v1/persons/" + std::to_string(p["id"].get<std::int64_t>());
    for (const auto& signal : get_json(c, other + "/signals")) {
      const auto window = other + "/signals/" + std::to_string(signal["id"].get<std::int64_t>()) + "/window";
      // A start past the end (or absurdly far) is refused, not read as "everything".
      EXPECT_NE(get_json(c, window + "?start=1e300", 400)["error"].get<std::string>().find("start"), std::string::npos);
      get_json(c, window + "?start=1806", 400);
      get_json(c, window + "?seconds=301", 400);
    }
  }
  get_json(c, "/api/v1/persons/999999", 404);
  get_json(c, "/api/v1/nothing", 404);
}

TEST(ServeApi, RefusedRequestsLearnNothing) {
  ApiDatabase db;
  const std::string server_token = "a-long-server-token-for-tests";
  std::string person_token, other_id;
  std::int64_t apple_id = 0;
  {
    auto store = open_store(db.path());
    apple_id = store->find_person(std::string("apple-person"))->id;
    other_id = std::to_string(store->find_person(std::string("record-100"))->id);
    person_token = server::issue_token(*store, apple_id, "clinic");
  }
  RunningServer server(db.path(), server_token);
  auto anonymous = server.client();
  for (const std::string& path : std::vector<std::string>{"/api/v1/persons", "/api/v1/persons/" + other_id, "/api/v1/persons/999999"}) {
    const auto res = anonymous.Get(path.c_str());
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << path;
    EXPECT_EQ(res->body, R"({"error":"a valid token is needed"})");
    EXPECT_EQ(res->get_header_value("WWW-Authenticate"), "Bearer");
  }
  auto wrong = server.client("not-a-token");
  EXPECT_EQ(wrong.Get("/api/v1/persons")->status, 401);
  get_json(anonymous, "/api/v1/health");  // open: says nothing about anyone

  auto clinic = server.client(person_token);
  const auto visible = get_json(clinic, "/api/v1/persons");
  ASSERT_EQ(visible.size(), 1u);
  EXPECT_EQ(visible[0]["id"], apple_id);
  get_json(clinic, "/api/v1/persons/" + std::to_string(apple_id) + "/series");
  // Another person and no person at all look the same.
  const auto other = clinic.Get(("/api/v1/persons/" + other_id + "/series").c_str());
  const auto nobody = clinic.Get("/api/v1/persons/999999/series");
  ASSERT_TRUE(other && nobody);
  EXPECT_EQ(other->status, 403);
  EXPECT_EQ(nobody->status, 403);
  EXPECT_EQ(other->body, nobody->body);

  auto admin = server.client(server_token);
  EXPECT_EQ(get_json(admin, "/api/v1/persons").size(), 2u);
  auto lower_case = server.client();
  lower_case.set_default_headers({{"Authorization", "bearer " + server_token}});  // the scheme is case-insensitive
  EXPECT_EQ(get_json(lower_case, "/api/v1/persons").size(), 2u);
}

TEST(ServeApi, TheCacheComputesOnceAndDropsTheOldest) {
  server::ResultCache cache(2);
  int computed = 0;
  auto value = [&](int v) { return [&computed, v] { ++computed; return json(v); }; };
  EXPECT_EQ(cache.get("a", value(1)), 1);
  EXPECT_EQ(cache.get("a", value(9)), 1);  // kept
  cache.get("b", value(2));
  cache.get("c", value(3));                // drops "a"
  EXPECT_EQ(cache.get("a", value(4)), 4);
  EXPECT_EQ(computed, 4);
  EXPECT_THROW(cache.get("d", [] () -> json { throw server::ApiError(404, "none"); }), server::ApiError);
  EXPECT_EQ(cache.get("d", value(5)), 5);  // a failure is not kept
}

TEST(ServeApi, LoopbackMeansLoopbackAddresses) {
  for (const char* host : {"127.0.0.1", "127.0.0.2", "::1", "localhost"}) EXPECT_TRUE(server::is_loopback(host)) << host;
  for (const char* host : {"0.0.0.0", "::", "10.0.0.1", "127.attacker.example", "localhost.example", ""})
    EXPECT_FALSE(server::is_loopback(host)) << host;
}

TEST(ServeApi, AnOpenServerAnswersOnlyThisMachine) {
  ApiDatabase db;
  RunningServer server(db.path());
  auto c = server.client();
  c.set_default_headers({{"Host", "attacker.example:8600"}});  // DNS rebinding: a page of another site
  EXPECT_EQ(c.Get("/api/v1/persons")->status, 403);
  auto everywhere = test_options(db.path());
  everywhere.host = "0.0.0.0";
  EXPECT_THROW(server::ApiServer{everywhere}, Error);
  EXPECT_THROW(server::ApiServer{test_options(db.path(), "short")}, Error);
}

TEST(ServeApi, LogsNameRoutesNotPersonsOrValues) {
  ApiDatabase db;
  std::ostringstream log;
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log)));
  {
    RunningServer server(db.path());
    auto c = server.client();
    const auto persons = get_json(c, "/api/v1/persons");
    for (const auto& p : persons) get_json(c, "/api/v1/persons/" + std::to_string(p["id"].get<std::int64_t>()) + "/series");
  }
  spdlog::set_default_logger(previous);
  EXPECT_NE(log.str().find("GET /api/v1/persons/{person}/series 200"), std::string::npos) << log.str();
  for (const char* secret : {"apple-person", "record-100", "?"}) EXPECT_EQ(log.str().find(secret), std::string::npos) << secret;
}

// Readers keep being answered while an import writes to the same file.
TEST(ServeApi, ReadsGoOnWhileAnImportWrites) {
  ScratchDir dir;
  const auto database = dir / "busy.db";
  ASSERT_EQ(run_medtwin("--db " + quoted(database) + " import " + sample("mitdb/100.hea") + " --person record-100").exit_code, 0);
  RunningServer server(database.string());
  auto importing = std::async(std::launch::async, [&] {
    return run_medtwin("--db " + quoted(database) + " import " + sample("apple-health/export.xml") + " --person apple-person");
  });
  std::atomic<int> failures{0}, answered{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t)
    readers.emplace_back([&] {
      auto c = server.client();
      for (int i = 0; i < 50; ++i) {
        const auto res = c.Get("/api/v1/persons");
        if (!res || res->status != 200) ++failures;
        ++answered;
      }
    });
  for (auto& r : readers) r.join();
  EXPECT_EQ(importing.get().exit_code, 0);
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(answered.load(), 200);
}

}  // namespace
}  // namespace medtwin::testing

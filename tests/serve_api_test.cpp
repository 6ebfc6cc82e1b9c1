// The HTTP API end to end: a server started in this process on a free port
// over a fresh database with the bundled samples imported, asked through
// HTTP. The OpenAPI document is checked against the routes and the answers;
// access control is checked for what a refused request can learn.
#include <gtest/gtest.h>
#include <httplib.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <future>
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
#include "medtwin/core/error.hpp"
#include "medtwin/store/open_store.hpp"

namespace medtwin::testing {
namespace {

using nlohmann::json;

std::string sample(const std::string& relative) {
  return quoted(std::filesystem::path(MEDTWIN_SOURCE_DIR) / "data/samples" / relative);
}

// A database with the Apple Health sample (series) and MIT-BIH record 100 (an ECG signal).
class ApiDatabase {
 public:
  ApiDatabase() {
    for (const auto* file : {"apple-health/export.xml", "mitdb/100.hea"}) {
      const auto r = run_medtwin("--db " + quoted(dir_ / "api.db") + " import " + sample(file) + " --person " +
                                 (std::string(file).starts_with("mitdb") ? "record-100" : "apple-person"));
      EXPECT_EQ(r.exit_code, 0) << r.err;
    }
  }
  std::string path() const { return (dir_ / "api.db").string(); }

 private:
  ScratchDir dir_;
};

// A server on 127.0.0.1, any free port, in a thread of this process.
class RunningServer {
 public:
  explicit RunningServer(const std::string& database, std::optional<std::string> token = std::nullopt)
      : api_({database, "127.0.0.1", 0, std::move(token), std::nullopt, std::size_t(1) << 20, 4}) {
    port_ = api_.bind();
    thread_ = std::thread([this] { api_.run(); });
    api_.wait_until_running();
  }
  ~RunningServer() {
    api_.stop();
    thread_.join();
  }
  httplib::Client client(const std::string& bearer = "") const {
    httplib::Client c("127.0.0.1", port_);
    if (!bearer.empty()) c.set_bearer_token_auth(bearer.c_str());
    return c;
  }

 private:
  server::ApiServer api_;
  int port_ = 0;
  std::thread thread_;
};

json get_json(httplib::Client& c, const std::string& path, int expected_status = 200) {
  const auto res = c.Get(path.c_str());
  EXPECT_TRUE(res) << path;
  if (!res) return {};
  EXPECT_EQ(res->status, expected_status) << path << ": " << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json") << path;
  return json::parse(res->body);
}

// The schema behind a $ref or inline, with allOf merged (enough of JSON Schema for our document).
json resolve(const json& schema) {
  if (schema.contains("$ref")) {
    const auto name = schema["$ref"].get<std::string>().substr(std::string("#/components/schemas/").size());
    return resolve(server::openapi_document()["components"]["schemas"].at(name));
  }
  if (!schema.contains("allOf")) return schema;
  json merged = {{"type", "object"}, {"required", json::array()}, {"properties", json::object()}};
  for (const auto& part : schema["allOf"]) {
    const json p = resolve(part);
    if (p.contains("required"))
      for (const auto& r : p["required"]) merged["required"].push_back(r);
    if (p.contains("properties"))
      for (const auto& [k, v] : p["properties"].items()) merged["properties"][k] = v;
  }
  return merged;
}

// Checks `value` against `schema`: types, required properties, no undocumented ones.
void expect_matches(const json& value, const json& raw_schema, const std::string& where) {
  const auto schema = resolve(raw_schema);
  const auto type = schema.value("type", "");
  if (value.is_null()) {
    EXPECT_TRUE(schema.value("nullable", false)) << where << ": null";
    return;
  }
  if (type == "object") {
    ASSERT_TRUE(value.is_object()) << where;
    if (schema.contains("required")) {
      for (const auto& r : schema["required"]) {
        EXPECT_TRUE(value.contains(r.get<std::string>())) << where << ": missing " << r;
      }
    }
    if (!schema.contains("properties")) return;
    for (const auto& [k, v] : value.items()) {
      ASSERT_TRUE(schema["properties"].contains(k)) << where << ": undocumented property " << k;
      expect_matches(v, schema["properties"][k], where + "." + k);
    }
  } else if (type == "array") {
    ASSERT_TRUE(value.is_array()) << where;
    for (std::size_t i = 0; i < std::min<std::size_t>(value.size(), 3); ++i)
      expect_matches(value[i], schema["items"], where + "[" + std::to_string(i) + "]");
  } else if (type == "integer") {
    EXPECT_TRUE(value.is_number_integer()) << where;
  } else if (type == "number") {
    EXPECT_TRUE(value.is_number()) << where;
  } else if (type == "string") {
    EXPECT_TRUE(value.is_string()) << where;
  } else if (type == "boolean") {
    EXPECT_TRUE(value.is_boolean()) << where;
  }
}

json response_schema(const std::string& path) {
  return server::openapi_document()["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
}

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

// The twin of a Fitbit wearer (shared data): today against the baseline, readiness, tomorrow, as the document says.
TEST(ServeApi, ServesTheBaselineTwin) {
  ScratchDir dir;
  const auto database = dir / "twin.db";
  ASSERT_EQ(run_medtwin("--db " + quoted(database) + " import " + quoted(shared_data("wearables/fitbit_fitabase")) +
                        " --tz America/New_York")
                .exit_code,
            0);
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
  EXPECT_THROW(server::ApiServer({db.path(), "0.0.0.0", 0, std::nullopt, std::nullopt, 1024, 1}), Error);
  EXPECT_THROW(server::ApiServer({db.path(), "127.0.0.1", 0, std::string("short"), std::nullopt, 1024, 1}), Error);
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

// What the HTTP API tests share: a database with the bundled samples, a
// server in this process on a free port, and checks of answers against the
// OpenAPI document.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

#include "apps/server/openapi.hpp"
#include "apps/server/server.hpp"
#include "cli_support.hpp"

namespace medtwin::testing {

using nlohmann::json;

inline std::string sample(const std::string& relative) {
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

// Options for a server on 127.0.0.1, any free port.
inline server::ServerOptions test_options(const std::string& database, std::optional<std::string> token = std::nullopt) {
  server::ServerOptions options;
  options.database = database;
  options.port = 0;
  options.token = std::move(token);
  options.threads = 4;
  options.reference.cipa_tables = std::filesystem::path(MEDTWIN_SHARED_DATA) / "ecg" / "cipa";
  options.reference.tumour_plans = std::filesystem::path(MEDTWIN_SOURCE_DIR) / "data" / "samples" / "tumour";
  return options;
}

// A server in a thread of this process.
class RunningServer {
 public:
  explicit RunningServer(const std::string& database, std::optional<std::string> token = std::nullopt)
      : RunningServer(test_options(database, std::move(token))) {}
  explicit RunningServer(server::ServerOptions options) : api_(std::move(options)) {
    port_ = api_.bind();
    thread_ = std::thread([this] { api_.run(); });
    api_.wait_until_running();
  }
  ~RunningServer() {
    api_.stop();
    thread_.join();
  }
  int port() const { return port_; }
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

inline json get_json(httplib::Client& c, const std::string& path, int expected_status = 200) {
  const auto res = c.Get(path.c_str());
  EXPECT_TRUE(res) << path;
  if (!res) return {};
  EXPECT_EQ(res->status, expected_status) << path << ": " << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json") << path;
  return json::parse(res->body);
}

inline json post_json(httplib::Client& c, const std::string& path, const json& body, int expected_status) {
  const auto res = c.Post(path.c_str(), body.dump(), "application/json");
  EXPECT_TRUE(res) << path;
  if (!res) return {};
  EXPECT_EQ(res->status, expected_status) << path << ": " << res->body;
  return json::parse(res->body);
}

// The API path of the person of that name ("" when the caller does not see them).
inline std::string person_path(httplib::Client& c, const std::string& name) {
  for (const auto& p : get_json(c, "/api/v1/persons"))
    if (p["name"] == name) return "/api/v1/persons/" + std::to_string(p["id"].get<std::int64_t>());
  return "";
}

// The schema behind a $ref or inline, with allOf merged (enough of JSON Schema for our document).
inline json resolve(const json& schema) {
  if (schema.contains("$ref")) {
    const auto name = schema["$ref"].get<std::string>().substr(std::string("#/components/schemas/").size());
    return resolve(server::openapi_document()["components"]["schemas"].at(name));
  }
  if (!schema.contains("allOf")) return schema;
  json merged = {{"type", "object"}, {"required", json::array()}, {"properties", json::object()},
                 {"nullable", schema.value("nullable", false)}};
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
inline void expect_matches(const json& value, const json& raw_schema, const std::string& where) {
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

// The schema of a route's successful answer.
inline json response_schema(const std::string& path, const std::string& method = "get", const std::string& status = "200") {
  return server::openapi_document()["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"];
}

// Sends `request` as it is and returns what comes back before the server closes or 5 s pass.
inline std::string raw_request(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size())) {
    timeval timeout{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    char buffer[4096];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) {
      answer.append(buffer, static_cast<std::size_t>(n));
      if (answer.find("\r\n\r\n") != std::string::npos && answer.find("}") != std::string::npos) break;
    }
  }
  ::close(fd);
  return answer;
}

// Polls a job until it has ended (or two minutes have passed).
inline json wait_for_job(httplib::Client& c, json job) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  while ((job["state"] == "queued" || job["state"] == "running") && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    job = get_json(c, "/api/v1/jobs/" + std::to_string(job["id"].get<std::int64_t>()));
  }
  return job;
}

}  // namespace medtwin::testing

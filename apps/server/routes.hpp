// The JSON API under /api/v1 as a table of routes: each has its OpenAPI path
// template ("/api/v1/persons/{person}/series"), so the served OpenAPI
// document and the router cannot drift apart (a test compares them).
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "apps/server/access.hpp"
#include "apps/server/result_cache.hpp"
#include "medtwin/store/store.hpp"

namespace medtwin::server {

// A request's failure as the client sees it: a status and a message.
struct ApiError : std::runtime_error {
  ApiError(int status, const std::string& message) : std::runtime_error(message), status(status) {}
  int status;
};

// What a handler gets: the query parameters, the values of the path's
// {placeholders} in order, the server's cache of costly answers, and the
// person of {person}, already checked against the caller.
struct ApiRequest {
  std::function<std::optional<std::string>(const std::string&)> query;
  std::vector<std::string> path_values;
  Store& store;
  const Caller& caller;
  ResultCache& cache;
  std::optional<PersonRecord> person;
};

struct Route {
  std::string method;  // "GET"
  std::string path;    // OpenAPI template
  bool needs_caller = true;  // false: open to anyone (health, the OpenAPI document)
  std::function<nlohmann::json(ApiRequest&)> handle;
};

const std::vector<Route>& api_routes();

// The regular expression matching a path template's concrete paths, one
// group per placeholder.
std::string path_pattern(const std::string& path_template);

}  // namespace medtwin::server

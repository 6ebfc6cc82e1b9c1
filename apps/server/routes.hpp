// The JSON API under /api/v1 as a table of routes: each has its OpenAPI path
// template ("/api/v1/persons/{person}/series"), so the served OpenAPI
// document and the router cannot drift apart (a test compares them).
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "apps/server/access.hpp"
#include "apps/server/jobs.hpp"
#include "apps/server/reference_data.hpp"
#include "apps/server/result_cache.hpp"
#include "medtwin/store/store.hpp"

namespace medtwin::server {

// A request's failure as the client sees it: a status and a message.
struct ApiError : std::runtime_error {
  ApiError(int status, const std::string& message) : std::runtime_error(message), status(status) {}
  int status;
};

// What a handler gets: the query parameters, the values of the path's
// {placeholders} in order, the body, the server's cache of costly answers, its
// jobs and its reference data, and the person of {person},
// already checked against the caller.
// An upload route gets no body but `receive_upload`, which streams it into a
// private file of that name (deleted with the folder it returns the path in,
// which the handler must remove) and throws ApiError when it is too large.
struct ApiRequest {
  std::function<std::optional<std::string>(const std::string&)> query;
  std::vector<std::string> path_values;
  const std::string& body;
  Store& store;
  const Caller& caller;
  ResultCache& cache;
  JobQueue& jobs;
  const ReferenceData& reference;
  std::optional<PersonRecord> person;
  std::function<std::filesystem::path(const std::string& file_name)> receive_upload = {};
};

// An answer written while it is sent, so an export of years of data never sits
// in memory: its content type, the file name a browser saves it as, and the
// writer, run with a store connection of its own after the handler returned.
struct StreamedAnswer {
  std::string content_type;
  std::string file_name;
  std::function<void(Store&, std::ostream&)> write;
};

struct Route {
  std::string method;  // "GET", "POST", "DELETE"
  std::string path;    // OpenAPI template
  bool needs_caller = true;  // false: open to anyone (health, the OpenAPI document)
  std::function<nlohmann::json(ApiRequest&)> handle;
  int status = 200;  // of a successful answer (202: a job was started)
  bool upload = false;  // the body is a file, streamed to disk (receive_upload)
  std::function<StreamedAnswer(ApiRequest&)> stream = {};  // instead of handle
};

const std::vector<Route>& api_routes();

// A job as the API shows it: id, kind, state, progress, step, and its result or error once ended.
nlohmann::json job_json(const JobStatus& job);

// The regular expression matching a path template's concrete paths, one
// group per placeholder.
std::string path_pattern(const std::string& path_template);

}  // namespace medtwin::server

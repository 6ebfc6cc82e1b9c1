// `medtwin serve`: the JSON API (routes.hpp) over HTTP with cpp-httplib, on a
// pool of worker threads that each lease their own store connection. Binds to
// 127.0.0.1 unless told otherwise; any other address needs a token
// (access.hpp). Logs name the route, status and time of each request, never
// its path, query, values or names.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "apps/server/reference_data.hpp"

namespace medtwin::server {

struct ServerOptions {
  std::string database;
  std::string host = "127.0.0.1";
  int port = 8600;  // 0: any free port
  std::optional<std::string> token;
  std::optional<std::filesystem::path> web_root;  // the dashboard's built files, served at /
  std::size_t max_request_bytes = std::size_t(1) << 20;  // any body but an upload's
  std::size_t max_upload_bytes = std::size_t(4) << 30;   // an uploaded file (POST /imports)
  int threads = 8;      // answering requests
  int job_workers = 1;  // running simulations and imports (jobs.hpp)
  ReferenceData reference;
};

class ApiServer {
 public:
  // Opens the store and checks the options. Throws Error naming what is wrong.
  explicit ApiServer(ServerOptions options);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds the address; returns the port. Throws Error naming the address.
  int bind();
  // Serves until stop() (from another thread). Throws Error when serving
  // ends by a failure of the socket rather than by stop().
  void run();
  // Stops a running server; does nothing to one not running (yet).
  void stop();
  bool running() const;
  // Until the server accepts connections, after bind() and run() were called.
  void wait_until_running() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace medtwin::server

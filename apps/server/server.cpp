#include "apps/server/server.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <limits>
#include <regex>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "apps/server/access.hpp"
#include "apps/server/jobs.hpp"
#include "apps/server/routes.hpp"
#include "apps/server/store_pool.hpp"
#include "medtwin/core/error.hpp"

namespace medtwin::server {
namespace {

using nlohmann::json;

// Stored text may not be valid UTF-8 (a Latin-1 unit in an EDF header):
// replaced, not refused, so one odd label cannot break a whole list.
std::string json_text(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

void send_error(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(json_text(json{{"error", message}}), "application/json");
}

// Health data: nothing is cached, nothing is sniffed, nothing is framed.
void set_safety_headers(httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
}

// The dashboard's files: its own scripts and styles only, never in a frame.
httplib::Headers dashboard_headers() {
  return {{"Content-Security-Policy",
           "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"},
          {"X-Content-Type-Options", "nosniff"},
          {"Referrer-Policy", "no-referrer"}};
}

bool has_person(const Route& route) { return route.path.find("{person}") != std::string::npos; }

// Buffers what a streamed answer writes into chunks for the socket; once the
// client is gone a write fails, and the stream (set to throw) stops the writer.
class ChunkBuffer : public std::streambuf {
 public:
  explicit ChunkBuffer(httplib::DataSink& sink) : sink_(sink), buffer_(64 * 1024) { setp(buffer_.data(), buffer_.data() + buffer_.size()); }

 protected:
  int_type overflow(int_type c) override {
    if (sync() != 0) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) sputc(traits_type::to_char_type(c));
    return traits_type::not_eof(c);
  }
  int sync() override {
    const auto size = static_cast<std::size_t>(pptr() - pbase());
    if (size > 0 && !failed_ && !sink_.write(pbase(), size)) failed_ = true;
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return failed_ ? -1 : 0;
  }

 private:
  httplib::DataSink& sink_;
  std::vector<char> buffer_;
  bool failed_ = false;
};

// "application/json" of "Application/JSON; charset=utf-8".
std::string media_type(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  type.erase(type.find_last_not_of(" \t") + 1);
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return type;
}

// Whether a request comes from this server's own pages or from a program: a
// browser says where a request comes from in Sec-Fetch-Site (which pages cannot
// forge); older browsers only in Origin, compared with the Host asked for.
bool same_site(const httplib::Request& req) {
  const auto site = req.get_header_value("Sec-Fetch-Site");
  if (!site.empty()) return site == "same-origin" || site == "none";
  const auto origin = req.get_header_value("Origin");
  if (origin.empty()) return true;  // not a browser
  const auto host = req.get_header_value("Host");
  return media_type(origin) == "http://" + media_type(host) || media_type(origin) == "https://" + media_type(host);
}

// The body's declared length (0 without one: see the pre-routing handler; unparseable counts as too large).
std::size_t declared_length(const httplib::Request& req) {
  const auto text = req.get_header_value("Content-Length");
  if (text.empty()) return 0;
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() ? value : std::numeric_limits<std::size_t>::max();
}

// A folder only this user can read, for uploads on their way into the store:
// beside the database rather than in /tmp, which is often held in memory.
// Removed with the server (one killed outright leaves it behind).
class PrivateFolder {
 public:
  explicit PrivateFolder(const std::string& database) {
    auto beside = std::filesystem::absolute(database).parent_path();
    if (!std::filesystem::is_directory(beside)) beside = std::filesystem::temp_directory_path();
    auto pattern = (beside / ".medtwin-uploads-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw Error("server: cannot make a private folder for uploads in " + pattern);
    path_ = pattern;
  }
  ~PrivateFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  PrivateFolder(const PrivateFolder&) = delete;
  PrivateFolder& operator=(const PrivateFolder&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The body of an upload request written to `file`; throws ApiError when it
// exceeds `limit` or the connection fails.
void save_body(const httplib::ContentReader& reader, const std::filesystem::path& file, std::size_t limit) {
  std::ofstream out(file, std::ios::binary);
  std::size_t received = 0;
  bool too_large = false;
  const bool complete = reader([&](const char* data, std::size_t length) {
    received += length;
    if (received > limit) return !(too_large = true);
    out.write(data, static_cast<std::streamsize>(length));
    return bool(out);
  });
  out.close();
  if (complete && out) return;
  if (too_large) throw ApiError(413, fmt::format("the file is larger than this server accepts ({} MiB)", limit >> 20));
  throw ApiError(400, "the upload did not arrive whole");
}

}  // namespace

struct ApiServer::Impl {
  ServerOptions options;
  StorePool pool;
  Gate gate;
  ResultCache cache;
  PrivateFolder uploads;
  std::atomic<std::int64_t> next_upload{1};
  std::vector<std::regex> upload_paths;
  JobQueue jobs;
  httplib::Server http;
  int port = 0;

  explicit Impl(ServerOptions o)
      : options(std::move(o)),
        pool(options.database),
        gate(options.token, options.host),
        uploads(options.database),
        jobs(pool, options.job_workers) {}

  // The person of the request's {person}, checked against the caller: a
  // person the caller may not see gets 403 whether or not they exist.
  PersonRecord person_of(const std::string& text, const Caller& caller, Store& store) const {
    PersonId id = -1;
    try {
      std::size_t used = 0;
      id = std::stoll(text, &used);
      if (used != text.size()) id = -1;
    } catch (const std::exception&) {
    }
    if (!caller.may_see(id)) throw ApiError(403, "this token does not open this person");
    auto person = id >= 0 ? store.find_person(id) : std::nullopt;
    if (!person) throw ApiError(404, "no such person");
    return *person;
  }

  // A fresh folder in the private one, holding the upload as `file_name`.
  std::filesystem::path receive(const httplib::ContentReader& reader, const std::string& file_name) {
    const auto folder = uploads.path() / std::to_string(next_upload++);
    std::filesystem::create_directory(folder);
    try {
      save_body(reader, folder / file_name, options.max_upload_bytes);
    } catch (...) {
      std::filesystem::remove_all(folder);
      throw;
    }
    return folder / file_name;
  }

  // Sends the answer in chunks as it is written; a failure midway can only cut the answer short.
  void stream(StreamedAnswer answer, httplib::Response& res) {
    res.set_header("Content-Disposition", "attachment; filename=\"" + answer.file_name + "\"");
    res.set_chunked_content_provider(answer.content_type, [this, write = std::move(answer.write)](std::size_t, httplib::DataSink& sink) {
      try {
        auto store = pool.lease();
        ChunkBuffer buffer(sink);
        std::ostream out(&buffer);
        out.exceptions(std::ios::badbit);  // a client gone: stop reading the store
        write(*store, out);
        out.flush();
      } catch (const std::ios_base::failure&) {
        return false;
      } catch (const std::exception& e) {
        spdlog::error("a streamed answer failed: {}", typeid(e).name());  // the message may carry values
        return false;
      }
      sink.done();
      return true;
    });
  }

  // A request that changes something must come from this server's own pages
  // (or a program), with the body's type stated: a form or a script of
  // another site can send neither without a CORS preflight, which fails.
  void check_write(const Route& route, const httplib::Request& req) const {
    if (route.method == "GET") return;
    if (!same_site(req)) throw ApiError(403, "requests from other sites are refused");
    if (route.method != "POST") return;
    const std::string wanted = route.upload ? "application/octet-stream" : "application/json";
    if (media_type(req.get_header_value("Content-Type")) != wanted)
      throw ApiError(415, "Content-Type: " + wanted + " is needed");
    if (route.upload && declared_length(req) > options.max_upload_bytes)
      throw ApiError(413, fmt::format("the file is larger than this server accepts ({} MiB)", options.max_upload_bytes >> 20));
  }

  int answer(const Route& route, const httplib::Request& req, httplib::Response& res,
             const httplib::ContentReader* upload = nullptr) {
    set_safety_headers(res);
    // A refused upload's body is never read: the connection cannot carry another request.
    if (upload) res.set_header("Connection", "close");
    try {
      check_write(route, req);
      auto store = pool.lease();
      Caller caller;
      if (route.needs_caller) {
        int refusal = 401;
        const auto admitted = gate.admit(req.get_header_value("Authorization"), req.get_header_value("Host"), *store, refusal);
        if (!admitted) {
          if (refusal == 401) res.set_header("WWW-Authenticate", "Bearer");
          send_error(res, refusal, refusal == 401 ? "a valid token is needed" : "requests must come from this machine");
          return res.status;
        }
        caller = *admitted;
      }
      ApiRequest request{[&req](const std::string& name) -> std::optional<std::string> {
                           if (!req.has_param(name.c_str())) return std::nullopt;
                           return req.get_param_value(name.c_str());
                         },
                         {req.matches.begin() + 1, req.matches.end()},
                         req.body,
                         *store,
                         caller,
                         cache,
                         jobs,
                         options.reference,
                         std::nullopt};
      if (has_person(route)) request.person = person_of(request.path_values.at(0), caller, *store);
      if (upload) request.receive_upload = [this, upload](const std::string& name) { return receive(*upload, name); };
      if (route.stream) stream(route.stream(request), res);
      else res.set_content(json_text(route.handle(request)), "application/json");
      res.status = route.status;
    } catch (const ApiError& e) {
      send_error(res, e.status, e.what());
    } catch (const NotFound&) {
      send_error(res, 404, "not found");
    } catch (const std::exception& e) {
      spdlog::error("{} {}: {}", route.method, route.path, typeid(e).name());  // the message may carry values
      send_error(res, 500, "internal error");
    }
    return res.status;
  }

  void add_routes() {
    for (const auto& route : api_routes()) {
      auto timed = [&route](const std::function<int()>& respond) {
        const auto started = std::chrono::steady_clock::now();
        const int status = respond();
        const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - started;
        spdlog::info("{} {} {} {:.1f} ms", route.method, route.path, status, took.count());
      };
      const auto pattern = path_pattern(route.path);
      if (route.upload) {
        upload_paths.emplace_back(pattern);
        http.Post(pattern, [this, &route, timed](const httplib::Request& req, httplib::Response& res,
                                                 const httplib::ContentReader& reader) {
          timed([&] { return answer(route, req, res, &reader); });
        });
        continue;
      }
      auto handler = [this, &route, timed](const httplib::Request& req, httplib::Response& res) {
        timed([&] { return answer(route, req, res); });
      };
      if (route.method == "GET") http.Get(pattern, handler);
      else if (route.method == "POST") http.Post(pattern, handler);
      else if (route.method == "DELETE") http.Delete(pattern, handler);
      else throw Error("server: no such method " + route.method);
    }
    // Bodies are read whole before a handler runs, except an upload's: a
    // large one anywhere else is refused before it is read, and so is one of
    // unknown length (httplib would read it until the client closes).
    http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      const auto refuse = [&](int status, const std::string& message) {
        set_safety_headers(res);
        res.set_header("Connection", "close");
        send_error(res, status, message);
        return httplib::Server::HandlerResponse::Handled;
      };
      const bool chunked = req.has_header("Transfer-Encoding");
      const bool sized = req.has_header("Content-Length");
      if (req.method == "POST" || req.method == "PUT" || req.method == "PATCH") {
        if (!sized && !chunked) return refuse(411, "the request needs a Content-Length");
        const auto upload = [&](const std::regex& pattern) { return std::regex_match(req.path, pattern); };
        if (req.method == "POST" && std::any_of(upload_paths.begin(), upload_paths.end(), upload))
          return httplib::Server::HandlerResponse::Unhandled;
      }
      if (chunked) return refuse(411, "the request needs a Content-Length");
      if (declared_length(req) > options.max_request_bytes) return refuse(413, "the request is too large");
      return httplib::Server::HandlerResponse::Unhandled;
    });
    http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (res.body.empty()) send_error(res, res.status, res.status == 413 ? "the request is too large" : "no such endpoint");
    });
  }
};

ApiServer::ApiServer(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  const auto& o = impl_->options;
  if (o.threads < 1) throw Error("server: at least one thread");
  impl_->http.new_task_queue = [threads = o.threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  impl_->http.set_payload_max_length(std::max(o.max_request_bytes, o.max_upload_bytes));
  // Headers and body go out in separate writes: without this, Nagle's
  // algorithm meets the client's delayed ACK and every answer waits ~40 ms.
  impl_->http.set_tcp_nodelay(true);
  if (o.web_root && !impl_->http.set_mount_point("/", o.web_root->string(), dashboard_headers()))
    throw Error(o.web_root->string() + ": the dashboard's folder does not exist");
  impl_->add_routes();
}

ApiServer::~ApiServer() { stop(); }

int ApiServer::bind() {
  auto& i = *impl_;
  if (i.options.port == 0) {
    i.port = i.http.bind_to_any_port(i.options.host);
  } else {
    i.port = i.http.bind_to_port(i.options.host, i.options.port) ? i.options.port : -1;
  }
  if (i.port < 0) throw Error(fmt::format("--listen {}:{}: cannot bind (in use, or not an address of this machine)",
                                          i.options.host, i.options.port));
  return i.port;
}

void ApiServer::run() {
  if (!impl_->http.listen_after_bind()) throw Error("server: the listening socket failed");
}

bool ApiServer::running() const { return impl_->http.is_running(); }

void ApiServer::stop() {
  if (impl_->http.is_running()) impl_->http.stop();
}

void ApiServer::wait_until_running() const {
  while (!impl_->http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

}  // namespace medtwin::server

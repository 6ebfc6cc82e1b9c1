// `medtwin serve [--listen HOST:PORT] [--token T]`: the HTTP API on the store
// (apps/server), and `medtwin token create|list|revoke`: tokens that open one
// person's data (or all of it) to a client of the API.
#include <fmt/format.h>

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <memory>
#include <thread>

#include "apps/server/access.hpp"
#include "apps/server/server.hpp"
#include "cli.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/core/time.hpp"

namespace medtwin::cli {
namespace {

struct ServeArgs {
  std::string listen = "127.0.0.1:8600";
  std::optional<std::string> token;
  std::optional<std::string> web, cipa_data, tumour_plans;
  int threads = 8;
  int jobs = std::max(1u, std::thread::hardware_concurrency() / 2);
};

std::pair<std::string, int> host_and_port(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) throw Error("--listen: expected HOST:PORT, got '" + listen + "'");
  std::string host = listen.substr(0, colon);
  if (host.starts_with("[") && host.ends_with("]")) host = host.substr(1, host.size() - 2);
  try {
    std::size_t used = 0;
    const int port = std::stoi(listen.substr(colon + 1), &used);
    if (used == listen.size() - colon - 1 && port >= 0 && port <= 65535) return {host, port};
  } catch (const std::exception&) {
  }
  throw Error("--listen: the port must be a number from 0 to 65535, got '" + listen.substr(colon + 1) + "'");
}

// The dashboard: --web, else the one this build made (if it did).
std::optional<std::filesystem::path> dashboard_folder(const std::optional<std::string>& web) {
  if (web) return std::filesystem::path(*web);
  const std::filesystem::path built = MEDTWIN_WEB_DIR;
  if (std::filesystem::exists(built / "index.html")) return built;
  return std::nullopt;
}

// SIGINT and SIGTERM stop the server from a thread of their own (sigwait),
// not from a signal handler; a signal that comes before the server runs stops
// it as soon as it does. The destructor releases and joins the thread, so it
// never outlives the server, whether serving ended by a signal or a failure.
class SignalStop {
 public:
  explicit SignalStop(server::ApiServer& api) {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    sigaddset(&signals_, SIGUSR1);  // from the destructor
    pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
    thread_ = std::thread([this, &api] { stop_on_signal(api); });
  }
  ~SignalStop() {
    done_ = true;
    pthread_kill(thread_.native_handle(), SIGUSR1);
    thread_.join();
  }
  SignalStop(const SignalStop&) = delete;
  SignalStop& operator=(const SignalStop&) = delete;

 private:
  void stop_on_signal(server::ApiServer& api) {
    int received = 0;
    do {
      sigwait(&signals_, &received);
      if (done_) return;
    } while (received == SIGUSR1);  // someone else's SIGUSR1: keep waiting for SIGINT/SIGTERM
    while (!api.running() && !done_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    api.stop();
  }

  sigset_t signals_{};
  std::atomic<bool> done_{false};
  std::thread thread_;
};

void run_serve(const Context& context, ServeArgs args) {
  const auto [host, port] = host_and_port(args.listen);
  if (!args.token)
    if (const char* from_environment = std::getenv("MEDTWIN_TOKEN"); from_environment && *from_environment)
      args.token = from_environment;
  if (!server::is_loopback(host) && !args.token) {
    args.token = server::new_token();
    fmt::print("Token for this server (shown once; send it as 'Authorization: Bearer TOKEN'):\n  {}\n", *args.token);
  }
  server::ServerOptions options;
  options.database = context.location();
  options.host = host;
  options.port = port;
  options.token = args.token;
  options.web_root = dashboard_folder(args.web);
  options.threads = args.threads;
  options.job_workers = args.jobs;
  options.reference.cipa_tables = cipa_data_folder(args.cipa_data);
  options.reference.tumour_plans = args.tumour_plans ? std::filesystem::path(*args.tumour_plans)
                                                     : std::filesystem::path(MEDTWIN_DATA_DIR) / "samples" / "tumour";
  server::ApiServer api(options);
  const int bound = api.bind();
  SignalStop stop(api);
  const auto shown_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  fmt::print("medtwin: serving http://{}:{}/ (the API under /api/v1; Ctrl-C stops)\n", shown_host, bound);
  std::fflush(stdout);
  api.run();
}

void add_token_commands(CLI::App& app, Context& context) {
  auto* token = app.add_subcommand("token", "Access tokens of the HTTP API: one person's data, or all");
  token->require_subcommand(1);
  auto person = std::make_shared<std::optional<std::string>>();
  auto label = std::make_shared<std::string>();
  auto* create = token->add_subcommand("create", "Make a token (shown once) for one person, or with --all for everyone");
  auto* one = create->add_option("--person", *person, "The person it opens");
  auto everyone = std::make_shared<bool>(false);
  auto* all = create->add_flag("--all", *everyone, "It opens everyone's data");
  one->excludes(all);
  create->add_option("--label", *label, "What it is for (e.g. the clinic's name)");
  create->callback([&context, person, label, everyone] {
    if (!*person && !*everyone)
      throw Error("token create: give --person NAME, or --all for a token that opens everyone's data");
    auto store = context.open();
    std::optional<PersonId> id;
    if (*person) {
      const auto found = store->find_person(**person);
      if (!found) throw NotFound("no person '" + **person + "'");
      id = found->id;
    }
    const auto made = server::issue_token(*store, id, *label);
    fmt::print("Token (shown once; only its digest is kept):\n  {}\n", made);
  });
  token->add_subcommand("list", "The tokens: id, whom they open, label")->callback([&context] {
    auto store = context.open();
    for (const auto& t : store->access_tokens()) {
      const auto who = t.person ? store->find_person(*t.person) : std::nullopt;
      fmt::print("{}  {:<20}  {}  {}\n", t.id, t.person ? (who ? who->name : "?") : "everyone", format_instant(t.created),
                 t.label);
    }
  });
  auto id = std::make_shared<std::string>();
  auto* revoke = token->add_subcommand("revoke", "Withdraw a token by its id");
  revoke->add_option("id", *id, "The token's id (from `token list`)")->required();
  revoke->callback([&context, id] {
    if (!context.open()->revoke_access_token(*id)) throw NotFound("no token '" + *id + "'");
    fmt::print("Token {} revoked\n", *id);
  });
}

}  // namespace

void add_serve_command(CLI::App& app, Context& context) {
  auto args = std::make_shared<ServeArgs>();
  auto* serve = app.add_subcommand("serve", "Serve the JSON API (and the dashboard) on the store");
  serve->add_option("--listen", args->listen, "HOST:PORT (default 127.0.0.1:8600; port 0: any free port)");
  serve->add_option("--token", args->token,
                    "Requests need 'Authorization: Bearer TOKEN' (default: $MEDTWIN_TOKEN, which other users cannot see "
                    "in the process list; else none on loopback and a generated one elsewhere)");
  serve->add_option("--web", args->web, "Folder of the dashboard's built files, served at / (default: this build's)");
  serve->add_option("--cipa-data", args->cipa_data, "Folder of the CiPA drug tables (default: the shared data's ecg/cipa)");
  serve->add_option("--tumour-plans", args->tumour_plans,
                    "Folder of tumour plan files (JSON) the tumour page offers (default: the bundled sample plans)");
  serve->add_option("--threads", args->threads, "Threads answering requests (default 8)")->check(CLI::Range(1, 256));
  serve->add_option("--jobs", args->jobs, "Threads running simulations (default: half the cores)")->check(CLI::Range(1, 64));
  serve->callback([&context, args] { run_serve(context, *args); });
  add_token_commands(app, context);
}

}  // namespace medtwin::cli

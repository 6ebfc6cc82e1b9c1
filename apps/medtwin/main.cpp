// medtwin: the command-line entry point. Each subcommand lives in its own file;
// errors become one line on stderr and exit code 1 (2 for usage errors).
#include <fmt/format.h>

#include <cstdio>

#include "cli.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/store/open_store.hpp"

namespace medtwin::cli {

std::string Context::location() const { return default_store_location(db); }
std::unique_ptr<Store> Context::open() const { return open_store(location()); }

}  // namespace medtwin::cli

int main(int argc, char** argv) {
  using namespace medtwin;
  CLI::App app{"medtwin — a medical digital twin from your own health data"};
  app.set_version_flag("--version", std::string("medtwin ") + MEDTWIN_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // `medtwin import FILE --db X` as well as `medtwin --db X import FILE`
  // Usage errors too are one line: what is wrong and where to look.
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return std::string("medtwin: ") + e.what() + " (see --help)\n";
  });
  cli::Context context;
  app.add_option("--db", context.db, "Database file (default: $MEDTWIN_DB or ~/.local/share/medtwin/medtwin.db)");
  cli::add_import_command(app, context);
  cli::add_query_commands(app, context);
  cli::add_export_command(app, context);
  cli::add_demo_command(app, context);
  cli::add_backtest_command(app, context);
  cli::add_twin_commands(app, context);
  cli::add_sleep_command(app, context);
  cli::add_ecg_command(app, context);
  cli::add_risk_command(app, context);
  cli::add_drug_command(app, context);
  cli::add_glucose_command(app, context);
  cli::add_tumour_command(app, context);
  cli::add_serve_command(app, context);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const Error& e) {
    std::fprintf(stderr, "medtwin: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "medtwin: unexpected error: %s\n", e.what());
    return 1;
  }
  return 0;
}

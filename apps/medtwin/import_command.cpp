// `medtwin import PATH... [--person NAME] [--tz ZONE] [--mapping FILE]`
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "cli.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/core/time.hpp"
#include "medtwin/twin/ingest.hpp"

namespace medtwin::cli {
namespace {

struct ImportArgs {
  std::vector<std::string> paths;
  std::optional<std::string> person;
  std::optional<std::string> tz;
  std::optional<std::string> mapping;
};

// A progress bar on stderr, redrawn at most ten times a second.
class ProgressBar {
 public:
  void update(std::uint64_t done, std::uint64_t total) {
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(100) && done < total) return;
    last_ = now;
    if (total > 0) {
      int percent = int(100.0 * double(done) / double(total));
      int filled = percent * 30 / 100;
      std::fprintf(stderr, "\r  [%-30s] %3d%%  %.1f MB", std::string(std::size_t(filled), '#').c_str(), percent,
                   double(done) / 1e6);
    } else {
      std::fprintf(stderr, "\r  %.1f MB read", double(done) / 1e6);
    }
    std::fflush(stderr);
    drawn_ = true;
  }
  void clear() {
    if (drawn_) std::fprintf(stderr, "\r%60s\r", "");
    drawn_ = false;
  }

 private:
  std::chrono::steady_clock::time_point last_{};
  bool drawn_ = false;
};

std::string describe(const IngestResult& r) {
  std::string name = r.path.string();
  if (r.unrecognised) return fmt::format("{}: skipped, not a format medtwin reads", name);
  if (r.already_imported) return fmt::format("{}: already imported, 0 rows added", name);
  const auto& c = r.counts;
  std::string line = fmt::format("{}: {} — {} observations, {} signals, {} events added", name, r.importer,
                                 c.observations_added, c.signals_added, c.events_added);
  if (c.skipped() > 0) line += fmt::format(" ({} already present)", c.skipped());
  if (c.persons.size() == 1) line += fmt::format("; person: {}", c.persons.front());
  if (c.persons.size() > 1) line += fmt::format("; {} persons (see `medtwin persons`)", c.persons.size());
  return line;
}

void run_import(const ImportArgs& args, const Context& context) {
  if (args.tz && !is_known_time_zone(*args.tz)) {
    throw Error(fmt::format("--tz: unknown time zone '{}' (expected an IANA name such as Europe/Amsterdam)", *args.tz));
  }
  auto store = context.open();
  IngestOptions options;
  options.person = args.person;
  options.import.time_zone = args.tz;
  if (args.mapping) options.import.csv_mapping = *args.mapping;
  ProgressBar bar;
  if (isatty(STDERR_FILENO)) {
    options.import.progress = [&bar](std::uint64_t done, std::uint64_t total) { bar.update(done, total); };
  }
  std::vector<std::filesystem::path> paths(args.paths.begin(), args.paths.end());
  int recognised = 0;
  ingest(*store, paths, options, [&](const IngestResult& r) {
    bar.clear();
    recognised += r.unrecognised ? 0 : 1;
    std::printf("%s\n", describe(r).c_str());
    for (const auto& issue : r.issues) {
      std::printf("  %s: %s (%lld×, first at %s)\n", issue_label(issue.kind), issue.what.c_str(),
                  static_cast<long long>(issue.times), issue.first_where.c_str());
    }
  });
  if (recognised == 0) throw Error("nothing imported: no file was in a format medtwin reads");
}

}  // namespace

void add_import_command(CLI::App& app, Context& context) {
  auto args = std::make_shared<ImportArgs>();
  auto* cmd = app.add_subcommand("import", "Import health data files or folders (format detected automatically)");
  cmd->add_option("paths", args->paths, "Files or folders: Apple Health export.zip/xml, FHIR JSON/NDJSON, Fitbit, "
                                        "WFDB, EDF/BDF/GDF, actigraphy, CSV")
      ->required();
  cmd->add_option("--person", args->person, "Store everything under this person (default: from the file, else 'me')");
  cmd->add_option("--tz", args->tz, "IANA time zone for timestamps written without one (e.g. Europe/Amsterdam)");
  cmd->add_option("--mapping", args->mapping, "Column mapping for a generic CSV file (see docs/formats/csv-mapping.md)");
  cmd->callback([args, &context] { run_import(*args, context); });
}

}  // namespace medtwin::cli

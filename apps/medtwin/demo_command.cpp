// `medtwin demo`: imports the bundled sample data (data/samples, see
// data/README.md) into a fresh demo database and prints what it holds.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

#include "cli.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/store/open_store.hpp"
#include "medtwin/twin/ingest.hpp"

namespace medtwin::cli {
namespace {

struct DemoSample {
  const char* folder;
  const char* person;     // nullptr: named by the file itself
  const char* time_zone;  // for samples written in local time
};

// The Fitabase participant whose baseline twin the demo shows.
constexpr const char* kTwinPerson = "6962181067";

// The Fitabase and Actiwatch files carry no zone and their datasets name none:
// the zones here are assumptions for the demo, said so when it runs.
constexpr DemoSample kSamples[] = {
    {"apple-health", "alex", nullptr},
    {"synthea", nullptr, nullptr},
    {"mitdb", "mitdb-100", nullptr},
    {"fitabase", nullptr, "America/New_York"},
    {"actigraphy", "actiwatch-sample", "UTC"},
};

void import_samples(Store& store, const std::filesystem::path& data_dir) {
  for (const auto& sample : kSamples) {
    IngestOptions options;
    if (sample.person) options.person = sample.person;
    if (sample.time_zone) options.import.time_zone = sample.time_zone;
    ingest(store, {data_dir / sample.folder}, options, [&](const IngestResult& r) {
      if (r.unrecognised) return;
      std::printf("  %-40s %-14s %6lld observations %3lld signals %4lld events%s\n",
                  r.path.filename().string().c_str(), r.importer.c_str(),
                  static_cast<long long>(r.counts.observations_added),
                  static_cast<long long>(r.counts.signals_added), static_cast<long long>(r.counts.events_added),
                  sample.time_zone ? fmt::format("  (local times read as {})", sample.time_zone).c_str() : "");
    });
  }
}

void summarise(Store& store) {
  std::printf("\nThe demo database holds:\n");
  for (const auto& person : store.persons()) {
    auto series = store.series(person.name);
    std::int64_t total = 0;
    for (const auto& s : series) total += s.count;
    std::printf("  %-22s %3zu series %7lld observations %2zu signals %4zu events\n", person.name.c_str(),
                series.size(), static_cast<long long>(total), store.signals(person.name).size(),
                store.events(EventQuery{person.name, {}, {}}).size());
  }
}

// The personal baseline twin of a bundled Fitbit participant, and the
// backtest of the daily forecasts of both.
void show_baseline_twin(Store& store) {
  std::printf("\n== The personal baseline twin of Fitabase participant %s ==\n\n", kTwinPerson);
  print_twin(store, kTwinPerson);
  std::printf("\n== Backtest: every day forecast from the days before it ==\n\n");
  print_backtest(store, {"1503960366", kTwinPerson}, false);
}

void print_next_steps(const std::string& location) {
  std::printf("\nTry:  medtwin --db %s series alex\n      medtwin --db %s export alex --format fhir\n"
              "      medtwin --db %s forecast %s --days 7\n"
              "      medtwin glucose simulate data/samples/glucose_day.json --patient child#004 --plot day.svg\n"
              "      medtwin --db %s tumor twins\n",
              location.c_str(), location.c_str(), location.c_str(), kTwinPerson, location.c_str());
}

}  // namespace

void add_demo_command(CLI::App& app, Context& context) {
  auto* cmd = app.add_subcommand("demo", "Import the bundled sample data into a fresh demo database and summarise it");
  auto data_dir = std::make_shared<std::string>(std::string(MEDTWIN_DATA_DIR) + "/samples");
  cmd->add_option("--data", *data_dir, "Folder of sample data")->capture_default_str();
  cmd->callback([data_dir, &context] {
    std::string location = context.db ? *context.db : std::string("medtwin-demo.db");
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(location + suffix);
    auto store = open_store(location);
    std::printf("demo database: %s (fresh)\n", location.c_str());
    import_samples(*store, *data_dir);
    summarise(*store);
    show_baseline_twin(*store);
    show_glucose_demo(std::filesystem::path(*data_dir) / "glucose_day.json");
    show_tumour_demo(*store, std::filesystem::path(*data_dir) / "tumour");
    print_next_steps(location);
  });
}

}  // namespace medtwin::cli

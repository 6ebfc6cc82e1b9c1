// `medtwin demo`: imports the bundled sample data into a fresh demo database
// and prints what it holds.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

#include "cli.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/store/open_store.hpp"
#include "medtwin/twin/ingest.hpp"

namespace medtwin::cli {

void add_demo_command(CLI::App& app, Context& context) {
  auto* cmd = app.add_subcommand("demo", "Import the bundled sample data into a fresh demo database and summarise it");
  auto data_dir = std::make_shared<std::string>(MEDTWIN_DATA_DIR);
  cmd->add_option("--data", *data_dir, "Folder of sample data")->capture_default_str();
  cmd->callback([data_dir, &context] {
    std::string location = context.db ? *context.db : std::string("medtwin-demo.db");
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(location + suffix);
    auto store = open_store(location);
    std::printf("demo database: %s\n", location.c_str());
    IngestOptions options;
    ingest(*store, {std::filesystem::path(*data_dir) / "samples"}, options, [](const IngestResult& r) {
      if (!r.unrecognised) std::printf("  imported %s (%s)\n", r.path.filename().string().c_str(), r.importer.c_str());
    });
    for (const auto& person : store->persons()) {
      auto series = store->series(person.name);
      std::int64_t total = 0;
      for (const auto& s : series) total += s.count;
      std::printf("%s: %zu series, %lld observations, %zu signals, %zu events\n", person.name.c_str(), series.size(),
                  static_cast<long long>(total), store->signals(person.name).size(),
                  store->events(EventQuery{person.name, {}, {}}).size());
    }
  });
}

}  // namespace medtwin::cli

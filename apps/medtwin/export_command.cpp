// `medtwin export PERSON --format fhir|csv [--output FILE]`: a person's
// observations and events as a FHIR R4 Bundle, or their observations as CSV
// (medtwin/twin/person_export.hpp), streamed from the store to stdout or a file.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/twin/person_export.hpp"

namespace medtwin::cli {
namespace {

namespace fs = std::filesystem;

struct ExportArgs {
  std::string person;
  std::string format = "fhir";
  std::optional<std::string> output;
};

void run_export(const ExportArgs& args, const Context& context) {
  auto store = context.open();
  auto person = store->find_person(args.person);
  if (!person) throw NotFound(fmt::format("no person named '{}' (see `medtwin persons`)", args.person));
  const auto format = *parse_export_format(args.format);  // CLI11 allows only fhir and csv
  if (args.output) {
    write_file_atomically(*args.output, [&](std::ostream& out) { write_person_export(*store, *person, format, out); });
  } else {
    write_person_export(*store, *person, format, std::cout);
    std::cout.flush();
    if (!std::cout) throw Error("cannot write to standard output");
  }
  if (auto signals = store->signals(person->name).size(); signals > 0) {
    std::fprintf(stderr, "note: %zu signal%s not exported (the export holds observations%s)\n", signals,
                 signals == 1 ? " was" : "s were", args.format == "fhir" ? " and events" : "");
  }
}

}  // namespace

void add_export_command(CLI::App& app, Context& context) {
  auto args = std::make_shared<ExportArgs>();
  auto* cmd = app.add_subcommand("export", "Export a person's data as a FHIR R4 Bundle or CSV");
  cmd->add_option("person", args->person, "Person name")->required();
  cmd->add_option("--format", args->format, "fhir: a FHIR R4 Bundle of observations and events; csv: observations")
      ->check(CLI::IsMember({"fhir", "csv"}))
      ->capture_default_str();
  cmd->add_option("--output,-o", args->output, "File to write (default: standard output)");
  cmd->callback([args, &context] { run_export(*args, context); });
}

}  // namespace medtwin::cli

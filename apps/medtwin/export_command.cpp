// `medtwin export PERSON --format fhir|csv [--output FILE]`
#include "cli.hpp"
#include "medtwin/core/error.hpp"

namespace medtwin::cli {

void add_export_command(CLI::App& app, Context& context) {
  auto* cmd = app.add_subcommand("export", "Export a person's data as a FHIR R4 Bundle or CSV");
  auto person = std::make_shared<std::string>();
  cmd->add_option("person", *person, "Person name")->required();
  cmd->callback([person, &context] {
    context.open();
    throw Error("export is not implemented yet");
  });
}

}  // namespace medtwin::cli

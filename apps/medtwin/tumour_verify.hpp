// `medtwin tumor verify`: the growth solver's verification plots.
#pragma once

#include <CLI/CLI.hpp>

namespace medtwin::cli {

void add_tumour_verify_command(CLI::App& tumour);

}  // namespace medtwin::cli

// Shared pieces of the medtwin command: how subcommands register and reach the store.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <ostream>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "medtwin/io/svg_chart.hpp"
#include "medtwin/store/store.hpp"
#include "medtwin/twin/json_number.hpp"

namespace medtwin::cli {

// Options every command shares, filled by CLI11 before a command runs.
struct Context {
  std::optional<std::string> db;  // --db PATH
  std::unique_ptr<Store> open() const;
  std::string location() const;
};

void add_import_command(CLI::App& app, Context& context);
void add_query_commands(CLI::App& app, Context& context);   // persons, series, person delete
void add_export_command(CLI::App& app, Context& context);
void add_demo_command(CLI::App& app, Context& context);
void add_backtest_command(CLI::App& app, Context& context);  // backtest PERSON|--all
void add_twin_commands(CLI::App& app, Context& context);     // twin PERSON, forecast PERSON
void add_sleep_command(CLI::App& app, Context& context);     // sleep PERSON [--plan]
void add_ecg_command(CLI::App& app, Context& context);       // ecg FILE
void add_risk_command(CLI::App& app, Context& context);  // risk PERSON
void add_drug_command(CLI::App& app, Context& context);  // drug-test DRUG|TABLE
void add_glucose_command(CLI::App& app, Context& context);  // glucose simulate SCENARIO, calibrate, forecast
void add_tumour_command(CLI::App& app, Context& context);   // tumor calibrate|simulate|compare|twins
void add_serve_command(CLI::App& app, Context& context);    // serve, token create|list|revoke
void add_glucose_twin_commands(CLI::App& glucose, Context& context);  // glucose calibrate|forecast PERSON
void add_glucose_trial_command(CLI::App& glucose, Context& context, const std::filesystem::path& tables);  // glucose trial ARM...
// `glucose simulate SCENARIO --person NAME`: the scenario's meals on the person's calibrated meal response.
void simulate_for_person(const Context& context, const std::string& person, const std::string& scenario, bool csv,
                         bool json);
// The demo's glucose part: the scenario on adult#001 and a bigger dinner.
void show_glucose_demo(const std::filesystem::path& scenario_file);
// The demo's tumour part: the sample timeline's twin (kept in `store`) and the sample plans.
void show_tumour_demo(Store& store, const std::filesystem::path& samples);

// The CiPA drug tables (`drug-test`, `serve`): the option's folder, else
// $MEDTWIN_SHARED_DATA/ecg/cipa, else the build's shared data.
std::filesystem::path cipa_data_folder(const std::optional<std::string>& option);

// The twin report (`medtwin twin`) and the backtest table (`medtwin backtest`),
// shared with the demo.
void print_twin(Store& store, const std::string& person);
void print_backtest(Store& store, const std::vector<std::string>& persons, bool json);

// Numbers as people read them (no exponents; "—" for none), local days as
// YYYY-MM-DD, clock times (hours after midnight, may be negative or past 24)
// as HH:MM (numbers in JSON: medtwin/twin/json_number.hpp).
std::string number_text(double v);
std::string date_text(std::chrono::local_days day);
std::string clock_text(double hours_after_midnight);

// Text for XML/SVG content and attributes (shared with the io module's charts).
using io::xml_escaped;

// Writes `target` through FILE.partial, renamed at the end: a failure leaves
// no half-written file behind (and the partial one is removed).
void write_file_atomically(const std::filesystem::path& target, const std::function<void(std::ostream&)>& write);

// A code from the command line: "system|code", or a bare code that must match
// exactly one stored series of the person.
Code resolve_code(Store& store, const std::string& person, const std::string& text);

}  // namespace medtwin::cli

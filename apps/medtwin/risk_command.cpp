// `medtwin risk PERSON [--as-of DATE] [--race …] [--smoker yes|no] … [--json]`:
// the 10-year ASCVD (Pooled Cohort Equations), 5-year atrial fibrillation
// (CHARGE-AF) and 10-year heart failure (PCP-HF) risks from the person's
// records, each with the inputs it used and where they came from, the inputs
// it lacks and what would supply them. Values given on the command line
// override stored ones. Reads only the named person. Guide: docs/risk.md.
#include <fmt/format.h>

#include <cmath>
#include <cstdio>

#include "cli.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/twin/risk_inputs.hpp"

namespace medtwin::cli {
namespace {

struct RiskArgs {
  std::string person;
  std::optional<std::string> as_of;
  std::optional<std::string> race;
  std::optional<std::string> smoker, treated_hypertension, treated_glucose, diabetes, heart_failure,
      myocardial_infarction;
  bool json = false;
};

// The end of DATE (YYYY-MM-DD, UTC): records of that whole day count.
Instant end_of_day(const std::string& text) {
  std::chrono::year_month_day day{};
  unsigned m = 0, d = 0;
  int y = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3 ||
      !(day = std::chrono::year{y} / int(m) / int(d)).ok())
    throw ParseError(fmt::format("--as-of '{}' is not a date YYYY-MM-DD", text));
  const Instant end = Instant{std::chrono::sys_days{day}} + std::chrono::days{1} - std::chrono::milliseconds{1};
  if (!is_plausible_instant(end)) throw ParseError(fmt::format("--as-of '{}' is outside 1800–2299", text));
  return end;
}

std::optional<bool> yes_no(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return *text == "yes";
}

RiskOverrides overrides(const RiskArgs& a) {
  RiskOverrides o;
  if (a.race) o.race = *a.race == "white"              ? cardio::Race::white
                       : *a.race == "african-american" ? cardio::Race::african_american
                                                       : cardio::Race::other;
  o.current_smoker = yes_no(a.smoker), o.treated_hypertension = yes_no(a.treated_hypertension);
  o.treated_glucose = yes_no(a.treated_glucose), o.diabetes = yes_no(a.diabetes);
  o.heart_failure = yes_no(a.heart_failure), o.myocardial_infarction = yes_no(a.myocardial_infarction);
  return o;
}

std::string day_of(Instant t) { return format_instant(t).substr(0, 10); }

std::string value_text(const RiskInput& in) {
  if (const auto* b = std::get_if<bool>(&in.value)) return *b ? "yes" : "no";
  if (const auto* s = std::get_if<std::string>(&in.value)) return *s;
  const double v = std::get<double>(in.value);
  const std::string number = v == std::floor(v) && std::abs(v) < 1e6 ? fmt::format("{:.0f}", v) : number_text(v);
  return number + (in.unit.empty() ? "" : " " + in.unit);
}

std::string source_text(const RiskInput& in) {
  if (in.from_command_line) return "command line";
  return in.assumed ? "assumed: " + in.source : in.source;
}

std::string percent_text(double risk) { return fmt::format("{:.1f} %", 100 * risk); }

void print_score(const RiskScore& s) {
  const auto& r = s.result;
  std::printf("\n%s — %g-year risk of %s: ", s.name.c_str(), r.horizon_years, s.outcome.c_str());
  if (!s.error.empty()) std::printf("not computed (%s)\n", s.error.c_str());
  else if (r.risk) std::printf("%s (equation: %s)\n", percent_text(*r.risk).c_str(), r.equation.c_str());
  else std::printf("not computed, inputs missing\n");
  for (const auto& [field, in] : s.inputs)
    std::printf("  %-32s %-18s %s\n", std::string(risk_input_label(field)).c_str(), value_text(in).c_str(),
                source_text(in).c_str());
  for (const auto& field : r.missing)
    std::printf("  missing: %s — give %s\n", std::string(risk_input_label(field)).c_str(),
                std::string(risk_input_supply(field)).c_str());
  for (const auto& flag : r.outside_derivation) std::printf("  outside derivation: %s\n", flag.c_str());
}

void print_text(const RiskInputs& in, const std::vector<RiskScore>& scores) {
  std::printf("Cardiovascular risk of %s as of %s (population equations, not a diagnosis; values given on the "
              "command line override stored ones; docs/risk.md)\n",
              in.person.c_str(), day_of(in.as_of).c_str());
  for (const auto& s : scores) print_score(s);
  if (!in.overridden.empty()) {
    std::printf("\nCommand-line values override the stored ones:\n");
    for (const auto& o : in.overridden)
      std::printf("  %s: stored %s (%s)\n", std::string(risk_input_label(o.field)).c_str(), value_text(o.stored).c_str(),
                  source_text(o.stored).c_str());
  }
  if (!in.notes.empty()) std::printf("\nNot used:\n");
  for (const auto& n : in.notes) std::printf("  %s\n", n.c_str());
}

nlohmann::json input_json(const std::string& field, const RiskInput& in) {
  nlohmann::json j{{"field", field}, {"label", risk_input_label(field)}};
  std::visit([&](const auto& v) { j["value"] = v; }, in.value);
  j["unit"] = in.unit;
  j["source"] = in.from_command_line ? "command line" : in.source;
  j["assumed"] = in.assumed;
  j["from_command_line"] = in.from_command_line;
  return j;
}

nlohmann::json score_json(const RiskScore& s) {
  const auto& r = s.result;
  nlohmann::json j{{"id", s.id}, {"name", s.name}, {"outcome", s.outcome}, {"horizon_years", r.horizon_years}};
  j["risk"] = r.risk ? json_number(*r.risk) : nlohmann::json(nullptr);
  j["risk_percent"] = r.risk ? json_number(100 * *r.risk) : nlohmann::json(nullptr);
  j["linear_predictor"] = r.linear_predictor ? json_number(*r.linear_predictor) : nlohmann::json(nullptr);
  j["equation"] = r.equation;
  j["error"] = s.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.error);
  j["inputs"] = nlohmann::json::array();
  for (const auto& [field, in] : s.inputs) j["inputs"].push_back(input_json(field, in));
  j["missing"] = nlohmann::json::array();
  for (const auto& field : r.missing)
    j["missing"].push_back({{"field", field}, {"label", risk_input_label(field)}, {"supply", risk_input_supply(field)}});
  j["outside_derivation"] = r.outside_derivation;
  return j;
}

void print_json(const RiskInputs& in, const std::vector<RiskScore>& scores) {
  nlohmann::json j{{"person", in.person}, {"as_of", format_instant(in.as_of)}};
  j["scores"] = nlohmann::json::array();
  for (const auto& s : scores) j["scores"].push_back(score_json(s));
  j["overridden"] = nlohmann::json::array();
  for (const auto& o : in.overridden) {
    auto stored = input_json(o.field, o.stored);
    j["overridden"].push_back({{"field", o.field}, {"stored", stored}});
  }
  j["notes"] = in.notes;
  std::printf("%s\n", j.dump(2).c_str());
}

void run_risk(const Context& context, const RiskArgs& args) {
  const Instant as_of = args.as_of ? end_of_day(*args.as_of)
                                   : std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  auto store = context.open();
  auto inputs = gather_risk_inputs(*store, args.person, as_of);
  apply_overrides(inputs, overrides(args));
  const auto scores = risk_scores(inputs);
  if (args.json) print_json(inputs, scores);
  else print_text(inputs, scores);
}

}  // namespace

void add_risk_command(CLI::App& app, Context& context) {
  auto args = std::make_shared<RiskArgs>();
  auto* cmd = app.add_subcommand("risk", "10-year ASCVD, 5-year AF and 10-year heart-failure risk from the person's records");
  cmd->add_option("person", args->person, "Person")->required();
  cmd->add_option("--as-of", args->as_of, "Date YYYY-MM-DD the risk is computed for (default: now); later records are ignored");
  cmd->add_option("--race", args->race, "Race as the equations were derived on (never stored)")
      ->check(CLI::IsMember({"white", "african-american", "other"}));
  const CLI::IsMember yes_no_values({"yes", "no"});
  cmd->add_option("--smoker", args->smoker, "Current smoker (overrides the records)")->check(yes_no_values);
  cmd->add_option("--treated-hypertension", args->treated_hypertension, "On blood-pressure-lowering medication")
      ->check(yes_no_values);
  cmd->add_option("--diabetes", args->diabetes, "Has diabetes")->check(yes_no_values);
  cmd->add_option("--heart-failure", args->heart_failure, "History of heart failure")->check(yes_no_values);
  cmd->add_option("--myocardial-infarction", args->myocardial_infarction, "History of myocardial infarction")
      ->check(yes_no_values);
  cmd->add_option("--treated-glucose", args->treated_glucose, "On glucose-lowering medication")->check(yes_no_values);
  cmd->add_flag("--json", args->json, "JSON output");
  cmd->callback([args, &context] { run_risk(context, *args); });
}

}  // namespace medtwin::cli

// `medtwin glucose trial SCENARIO... [--cohort all|adults|adolescents|children|NAME,…
// | --person NAME [--samples N] [--seed S]] [--json] [--csv]`:
// an in-silico trial (medtwin/twin/glucose_trial.hpp): each scenario file is an
// arm, run on every virtual patient of the cohort, or on parameter sets sampled
// around a person's calibrated meal response; the table gives each
// outcome by arm (mean ± SD, median [quartiles]) and each arm's paired
// difference from the first. Guide: docs/glucose.md.
#include <fmt/format.h>

#include <cmath>
#include <thread>

#include "cli.hpp"
#include "medtwin/io/importer.hpp"
#include "medtwin/metabolic/meal_response.hpp"
#include "medtwin/twin/glucose_history.hpp"
#include "medtwin/twin/glucose_trial.hpp"

namespace medtwin::cli {
namespace {

namespace fs = std::filesystem;

struct TrialArgs {
  std::vector<std::string> scenarios;
  std::string cohort = "all";
  std::optional<std::string> person;
  int samples = 200;
  std::uint32_t seed = 1;
  bool json = false, csv = false;
};

void print_table(const TrialResult& r, const std::string& cohort) {
  fmt::print("In-silico trial: {} arms × {}\n", r.arms.size(), cohort);
  for (std::size_t a = 0; a < r.arms.size(); ++a) fmt::print("  arm {}: {}\n", char('A' + a), r.arms[a]);
  const auto& measures = trial_outcomes();
  for (std::size_t m = 0; m < measures.size(); ++m) {
    fmt::print("\n{}\n", measures[m].name);
    for (std::size_t a = 0; a < r.arms.size(); ++a) {
      const auto& s = r.summaries[a][m];
      std::string diff;
      if (a > 0) {
        const auto& d = r.differences[a][m];
        diff = std::isnan(d.low) ? fmt::format("   vs A: {:+.2f}", d.mean)
                                 : fmt::format("   vs A: {:+.2f} ({:+.2f} to {:+.2f})", d.mean, d.low, d.high);
      }
      fmt::print("  {}  {:8.2f} ± {:<7.2f} median {:7.2f} [{:.2f}–{:.2f}]{}\n", char('A' + a), s.mean, s.sd, s.median,
                 s.q1, s.q3, diff);
    }
  }
}

void print_csv(const TrialResult& r) {
  fmt::print("arm,patient");
  for (const auto& m : trial_outcomes()) fmt::print(",\"{}\"", m.name);
  fmt::print("\n");
  for (std::size_t a = 0; a < r.arms.size(); ++a)
    for (std::size_t p = 0; p < r.patients.size(); ++p) {
      fmt::print("\"{}\",{}", r.arms[a], r.patients[p]);
      for (const auto& m : trial_outcomes()) fmt::print(",{:.4f}", r.outcomes[a][p].*(m.field));
      fmt::print("\n");
    }
}

void print_json(const TrialResult& r) {
  nlohmann::json arms = nlohmann::json::array();
  const auto& measures = trial_outcomes();
  for (std::size_t a = 0; a < r.arms.size(); ++a) {
    nlohmann::json outcomes = nlohmann::json::object();
    for (std::size_t m = 0; m < measures.size(); ++m) {
      const auto& s = r.summaries[a][m];
      const auto& d = r.differences[a][m];
      outcomes[measures[m].name] = {
          {"mean", s.mean}, {"sd", json_number(s.sd)}, {"median", s.median}, {"q1", s.q1}, {"q3", s.q3},
          {"difference_from_first", {{"mean", d.mean}, {"low", json_number(d.low)}, {"high", json_number(d.high)}}}};
    }
    arms.push_back({{"arm", r.arms[a]}, {"outcomes", outcomes}});
  }
  fmt::print("{}\n", nlohmann::json{{"patients", r.patients}, {"arms", arms}}.dump(2));
}

void run_trial(const Context& context, const TrialArgs& args, const fs::path& tables) {
  std::vector<GlucoseArm> arms;
  for (const auto& file : args.scenarios)
    arms.push_back(resolve_arm(fs::path(file).filename().string(), parse_glucose_scenario(read_file(file), file), tables));
  TrialResult result;
  std::string cohort;
  if (args.person) {
    auto store = context.open();
    auto history = gather_glucose_history(*store, *args.person);
    auto fit = metabolic::fit_meal_response(history.history, history.history.cgm.back().minute + 1);
    result = run_person_meal_trial(fit, arms, args.samples, args.seed);
    cohort = fmt::format("{} samples of {}'s meal response (meals only; seed {})", args.samples, *args.person, args.seed);
  } else {
    auto patients = select_cohort(load_virtual_patients(tables), args.cohort);
    result = run_glucose_trial(arms, patients, std::max(1, int(std::thread::hardware_concurrency())));
    cohort = fmt::format("{} virtual patients (UVA/Padova)", patients.size());
  }
  if (args.json) print_json(result);
  else if (args.csv) print_csv(result);
  else print_table(result, cohort);
}

}  // namespace

void add_glucose_trial_command(CLI::App& glucose, Context& context, const fs::path& tables) {
  auto args = std::make_shared<TrialArgs>();
  auto* cmd = glucose.add_subcommand("trial", "An in-silico trial: scenario files as arms over a virtual cohort");
  cmd->add_option("scenarios", args->scenarios, "Scenario files, one per arm (docs/glucose.md)")->required();
  auto* cohort =
      cmd->add_option("--cohort", args->cohort, "all, adults, adolescents, children, or names: adult#001,child#004");
  cmd->add_option("--person", args->person, "Instead: samples around this person's calibrated meal response")
      ->excludes(cohort);
  cmd->add_option("--samples", args->samples, "With --person: how many parameter sets (default 200)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--seed", args->seed, "With --person: seed of the sampling (default 1)");
  auto* json = cmd->add_flag("--json", args->json, "Summaries by arm as JSON");
  cmd->add_flag("--csv", args->csv, "Outcomes per arm and patient")->excludes(json);
  cmd->callback([args, &context, tables] { run_trial(context, *args, tables); });
}

}  // namespace medtwin::cli

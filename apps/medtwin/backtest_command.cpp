// `medtwin backtest PERSON|--all [--json]`: rolling-origin evaluation of the
// daily forecasts against persistence and the 7-day mean (docs/models/forecaster.md).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

#include "cli.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/twin/personal_days.hpp"

namespace medtwin::cli {
namespace {

struct BacktestArgs {
  std::optional<std::string> person;
  bool all = false, json = false;
};

nlohmann::json to_json(const baseline::BacktestScores& s) {
  return {{"metric", s.metric}, {"model", s.model}, {"n", s.n()}, {"mae", json_number(s.mae())},
          {"mae_persistence", json_number(s.mae_persistence())}, {"mae_mean7", json_number(s.mae_mean7())},
          {"coverage80", json_number(s.coverage80())}, {"coverage95", json_number(s.coverage95())}};
}

void print_row(const std::string& who, const baseline::BacktestScores& s) {
  std::printf("%-14s %-18s %-10s %5zu %12s %12s %12s %6.1f%% %6.1f%%\n", who.c_str(), s.metric.c_str(),
              s.model.c_str(), s.n(), number_text(s.mae()).c_str(), number_text(s.mae_persistence()).c_str(),
              number_text(s.mae_mean7()).c_str(), 100 * s.coverage80(), 100 * s.coverage95());
}

void print_header() {
  std::printf("%-14s %-18s %-10s %5s %12s %12s %12s %7s %7s\n", "person", "metric", "model", "n", "mae",
              "persistence", "mean7", "cov80", "cov95");
}

// Per metric and model, the scored days of every person that
// keep(person, scores, day) accepts, in metric and model order.
template <typename Keep>
std::vector<baseline::BacktestScores> pool(const std::vector<PersonScores>& rows, Keep&& keep) {
  std::map<std::pair<std::string, std::string>, baseline::BacktestScores> pooled;
  for (const auto& [person, s] : rows) {
    auto& total = pooled.try_emplace({s.metric, s.model}, baseline::BacktestScores{s.metric, s.model, {}}).first->second;
    total.append(s.filtered([&](std::chrono::local_days day) { return keep(person, s, day); }));
  }
  std::vector<baseline::BacktestScores> out;
  for (auto& [key, s] : pooled)
    if (s.n() > 0) out.push_back(std::move(s));
  return out;
}

// Pooled on the (person, day) pairs that every model of the metric scored.
std::vector<baseline::BacktestScores> pool_on_common_days(const std::vector<PersonScores>& rows) {
  using Key = std::tuple<std::string, std::string, std::chrono::local_days>;  // metric, person, day
  std::map<std::string, std::set<std::string>> models;                         // by metric
  std::map<Key, std::size_t> scored_by;
  for (const auto& [person, s] : rows) {
    if (s.n() == 0) continue;
    models[s.metric].insert(s.model);
    for (const auto& d : s.days) ++scored_by[{s.metric, person, d.day}];
  }
  return pool(rows, [&](const std::string& person, const baseline::BacktestScores& s, std::chrono::local_days day) {
    return scored_by[{s.metric, person, day}] == models[s.metric].size();
  });
}

std::size_t scored_days(const std::vector<baseline::BacktestScores>& pooled) {
  std::size_t n = 0;
  for (const auto& s : pooled) n += s.n();
  return n;
}

void run_backtest(const Context& context, const BacktestArgs& args) {
  if (args.all == args.person.has_value()) throw Error("backtest: give a PERSON or --all (one of them)");
  auto store = context.open();
  std::vector<std::string> persons;
  if (args.person) {
    persons.push_back(*args.person);  // the store says when there is no such person
  } else {
    for (const auto& p : store->persons()) persons.push_back(p.name);
  }
  print_backtest(*store, persons, args.json);
}

}  // namespace

void print_backtest(Store& store, const std::vector<std::string>& persons, bool json_output) {
  const auto variants = structural_variants();
  std::vector<const baseline::Forecaster*> forecasters;
  for (const auto& v : variants) forecasters.push_back(&v);
  std::vector<PersonDays> days;
  for (const auto& person : persons) days.push_back(load_person_days(store, person));
  std::vector<PersonScores> rows;
  for (const auto& d : days)
    for (auto& s : backtest_person(d, forecasters)) rows.push_back({d.person, std::move(s)});
  for (auto& r : backtest_pooled(days)) rows.push_back(std::move(r));
  std::stable_sort(rows.begin(), rows.end(), [](const PersonScores& a, const PersonScores& b) {
    return std::tie(a.person, a.scores.metric) < std::tie(b.person, b.scores.metric);
  });
  std::erase_if(rows, [](const PersonScores& r) { return r.scores.n() == 0; });
  if (json_output) {
    auto json = nlohmann::json::array();
    for (const auto& [person, s] : rows) {
      auto row = to_json(s);
      row["person"] = person;
      json.push_back(row);
    }
    std::printf("%s\n", json.dump(2).c_str());
    return;
  }
  print_header();
  for (const auto& [person, s] : rows) print_row(person, s);
  if (persons.size() < 2) return;
  const auto all = pool(rows, [](const auto&, const auto&, auto) { return true; });
  std::printf("\npooled over %zu persons (every scored day counts once):\n", persons.size());
  print_header();
  for (const auto& s : all) print_row("all", s);
  const auto common = pool_on_common_days(rows);
  if (scored_days(common) == scored_days(all)) return;  // every model scored the same days: nothing new to show
  std::printf("\npooled, only the days every model scored (a like-for-like comparison):\n");
  print_header();
  for (const auto& s : common) print_row("all", s);
}

void add_backtest_command(CLI::App& app, Context& context) {
  auto args = std::make_shared<BacktestArgs>();
  auto* cmd = app.add_subcommand("backtest", "Score the daily forecasts on each day of a person's history");
  cmd->add_option("person", args->person, "Person to backtest");
  cmd->add_flag("--all", args->all, "Every person in the store");
  cmd->add_flag("--json", args->json, "JSON: per person and metric n, mae, mae_persistence, mae_mean7, coverage80/95");
  cmd->callback([args, &context] { run_backtest(context, *args); });
}

}  // namespace medtwin::cli

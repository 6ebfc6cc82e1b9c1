// `medtwin persons`, `medtwin series PERSON [CODE]`, `medtwin person delete NAME`.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>

#include "cli.hpp"
#include "medtwin/core/error.hpp"

namespace medtwin::cli {
namespace {

struct SeriesArgs {
  std::string person;
  std::optional<std::string> code;
  std::optional<std::string> from, to;
  bool json = false, csv = false;
};

std::string format_birth(const std::optional<std::chrono::year_month_day>& d) {
  return d ? fmt::format("{:04}-{:02}-{:02}", int(d->year()), unsigned(d->month()), unsigned(d->day())) : "";
}

void list_persons(const Context& context) {
  auto store = context.open();
  auto persons = store->persons();
  if (persons.empty()) {
    std::printf("no persons yet: `medtwin import FILE` adds one\n");
    return;
  }
  for (const auto& p : persons) {
    auto series = store->series(p.name);
    std::int64_t total = 0;
    for (const auto& s : series) total += s.count;
    std::printf("%s\t%s\t%s\t%zu series\t%lld observations\t%zu signals\n", p.name.c_str(),
                std::string(to_string(p.sex)).c_str(), format_birth(p.birth_date).c_str(), series.size(),
                static_cast<long long>(total), store->signals(p.name).size());
  }
}

std::string value_text(const Observation& o) {
  if (o.value) return fmt::format("{}", *o.value);
  return o.value_code ? o.value_code->code : "";
}

void print_series_list(Store& store, const SeriesArgs& args) {
  auto series = store.series(args.person);
  if (args.json) {
    auto out = nlohmann::json::array();
    for (const auto& s : series) {
      out.push_back({{"system", s.code.system}, {"code", s.code.code}, {"display", s.code.display}, {"unit", s.unit},
                     {"source", s.source}, {"count", s.count}, {"first", format_instant(s.first)},
                     {"last", format_instant(s.last)}});
    }
    std::printf("%s\n", out.dump(2).c_str());
    return;
  }
  for (const auto& s : series) {
    std::printf("%s\t%s\t%s\t%s\t%lld\t%s\t%s\n", s.code.token().c_str(), s.code.display.c_str(), s.unit.c_str(),
                s.source.c_str(), static_cast<long long>(s.count), format_instant(s.first).c_str(),
                format_instant(s.last).c_str());
  }
}

void print_observations(Store& store, const SeriesArgs& args) {
  ObservationQuery query{args.person, resolve_code(store, args.person, *args.code), {}};
  if (args.from) query.range.from = parse_instant(*args.from);
  if (args.to) query.range.to = parse_instant(*args.to);
  if (args.json) {
    auto out = nlohmann::json::array();
    store.observations(query, [&](const Observation& o) {
      nlohmann::json row{{"start", format_instant(o.start)}, {"end", format_instant(o.end)}, {"unit", o.unit},
                         {"source", o.source}};
      if (o.value) row["value"] = *o.value;
      if (o.value_code) row["value_code"] = o.value_code->token();
      out.push_back(std::move(row));
    });
    std::printf("%s\n", out.dump(2).c_str());
    return;
  }
  const char* sep = args.csv ? "," : "\t";
  if (args.csv) std::printf("start,end,value,unit,source\n");
  store.observations(query, [&](const Observation& o) {
    std::string source = o.source;
    if (args.csv && source.find_first_of(",\"") != std::string::npos) {
      std::string quoted = "\"";
      for (char c : source) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      source = quoted + "\"";
    }
    std::printf("%s%s%s%s%s%s%s%s%s\n", format_instant(o.start).c_str(), sep, format_instant(o.end).c_str(), sep,
                value_text(o).c_str(), sep, o.unit.c_str(), sep, source.c_str());
  });
}

}  // namespace

Code resolve_code(Store& store, const std::string& person, const std::string& text) {
  if (text.find('|') != std::string::npos) return parse_code_token(text);
  std::optional<Code> match;
  for (const auto& s : store.series(person)) {
    if (s.code.code != text) continue;
    if (match && !(*match == s.code)) {
      throw Error(fmt::format("code '{}' is ambiguous for {}: write it as system|code ({} or {})", text, person,
                              match->token(), s.code.token()));
    }
    match = s.code;
  }
  if (!match) throw NotFound(fmt::format("{} has no series with code '{}' (see `medtwin series {}`)", person, text, person));
  return *match;
}

void add_query_commands(CLI::App& app, Context& context) {
  app.add_subcommand("persons", "List the persons in the store")->callback([&context] { list_persons(context); });

  auto args = std::make_shared<SeriesArgs>();
  auto* series = app.add_subcommand("series", "List a person's series, or the observations of one code");
  series->add_option("person", args->person, "Person name")->required();
  series->add_option("code", args->code, "Code (e.g. 8867-4 or http://loinc.org|8867-4)");
  series->add_option("--from", args->from, "Start instant, ISO 8601 with zone (inclusive)");
  series->add_option("--to", args->to, "End instant, ISO 8601 with zone (exclusive)");
  auto* json = series->add_flag("--json", args->json, "JSON output");
  series->add_flag("--csv", args->csv, "CSV output")->excludes(json);
  series->callback([args, &context] {
    auto store = context.open();
    if (args->code) print_observations(*store, *args);
    else print_series_list(*store, *args);
  });

  auto* person = app.add_subcommand("person", "Manage one person");
  person->require_subcommand(1);
  auto name = std::make_shared<std::string>();
  auto* del = person->add_subcommand("delete", "Erase everything stored about a person (right to erasure)");
  del->add_option("name", *name, "Person name")->required();
  del->callback([name, &context] {
    context.open()->delete_person(*name);
    std::printf("deleted %s and all their data\n", name->c_str());
  });
}

}  // namespace medtwin::cli

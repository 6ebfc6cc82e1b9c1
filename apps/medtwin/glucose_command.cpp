// `medtwin glucose simulate SCENARIO [--patient adult#001|--model hovorka2004|--person NAME] [--csv] [--json]
// [--plot OUT.svg]`: a scenario of meals and insulin (docs/glucose.md) on one
// of the 30 UVA/Padova virtual patients (or its meals on a person's own meal
// response, glucose_twin_command.cpp) (medtwin/metabolic/t1d_simulation.hpp;
// their parameters ship in data/simglucose), with the consensus glucose
// outcomes (medtwin/metabolic/glucose_outcomes.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/importer.hpp"
#include "medtwin/metabolic/glucose_outcomes.hpp"
#include "medtwin/metabolic/hovorka.hpp"
#include "medtwin/metabolic/t1d_simulation.hpp"
#include "medtwin/twin/glucose_scenario.hpp"
#include "medtwin/twin/glucose_trial.hpp"
#include "medtwin/twin/virtual_patients.hpp"

namespace medtwin::cli {
namespace {

namespace fs = std::filesystem;
using metabolic::T1dMinute;

struct SimulateArgs {
  std::string scenario;
  std::string patient = "adult#001";
  std::optional<std::string> person;
  std::string model = "uva-padova";
  std::optional<std::string> plot;
  bool csv = false, json = false;
};

const fs::path kPatientTables = fs::path(MEDTWIN_DATA_DIR) / "simglucose";

VirtualPatient load_patient(const std::string& name) { return load_virtual_patient(kPatientTables, name); }

std::string minute_text(int minute) {
  const int day = minute / 1440, in_day = minute % 1440;
  return (day > 0 ? fmt::format("day {} ", day + 1) : "") + fmt::format("{:02}:{:02}", in_day / 60, in_day % 60);
}


bool has_cgm(const std::vector<T1dMinute>& rows) { return !rows.empty() && !std::isnan(rows.front().cgm_mg_dl); }


// Who was simulated, as the outputs name it.
struct SimulatedPatient {
  std::string name;
  std::string model;  // "UVA/Padova virtual patient", …
  double bw = 0;      // kg
  double default_basal_u_per_min = 0;
};

void print_summary(const SimulatedPatient& p, const GlucoseScenarioFile& file, const std::vector<T1dMinute>& rows) {
  const auto o = metabolic::glucose_outcomes(metabolic::glucose_values(rows));
  const auto& s = file.scenario;
  double carbs = 0, insulin = 0;
  for (const auto& r : rows) carbs += r.carbs_announced_g, insulin += r.insulin_u_per_min;
  std::printf("%s (%s, %.0f kg), %g h simulated%s%s\n", p.name.c_str(), p.model.c_str(), p.bw,
              s.minutes / 60.0, file.description.empty() ? "" : ": ", file.description.c_str());
  std::printf("  carbohydrate %.0f g in %zu meals; insulin %.1f U (basal %.3f U/h%s)\n", carbs, s.meals.size(), insulin,
              60 * s.basal_u_per_min.value_or(p.default_basal_u_per_min),
              s.meal_bolus ? fmt::format(", meal boluses CR {:g} g/U, CF {:g} mg/dL/U", s.meal_bolus->carb_ratio_g_per_u,
                                         s.meal_bolus->correction_factor_mg_dl_per_u)
                                 .c_str()
                           : "");
  std::printf("  glucose: mean %.0f mg/dL, SD %.0f, CV %.1f %%, GMI %.1f %%\n", o.mean_mg_dl, o.sd_mg_dl, o.cv_percent,
              o.gmi_percent);
  std::printf("  time in range 70–180: %.1f %%; below 70: %.1f %%, below 54: %.1f %%; above 180: %.1f %%, above 250: %.1f %%\n",
              o.time_in_range, o.time_below_70, o.time_below_54, o.time_above_180, o.time_above_250);
  const auto [low, high] = std::minmax_element(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.glucose_mg_dl < b.glucose_mg_dl;
  });
  std::printf("  LBGI %.2f, HBGI %.2f; lowest %.0f mg/dL at %s, highest %.0f mg/dL at %s\n", o.lbgi, o.hbgi,
              low->glucose_mg_dl, minute_text(low->minute).c_str(), high->glucose_mg_dl,
              minute_text(high->minute).c_str());
  if (!file.sensor) return;
  const auto c = metabolic::glucose_outcomes(metabolic::cgm_values(rows));
  std::printf("  sensor %s (seed %u), pump %s, basal-bolus controller dosing from the CGM; as the CGM reads it: mean "
              "%.0f mg/dL, time in range %.1f %%, below 70 %.1f %%\n",
              file.sensor->name.c_str(), file.sensor->seed, file.pump.value_or("Insulet").c_str(), c.mean_mg_dl,
              c.time_in_range, c.time_below_70);
}

nlohmann::json outcomes_json(const metabolic::GlucoseOutcomes& o) {
  return {{"readings", o.readings},       {"mean_mg_dl", o.mean_mg_dl},         {"sd_mg_dl", o.sd_mg_dl},
          {"cv_percent", o.cv_percent},   {"gmi_percent", o.gmi_percent},       {"time_in_range_70_180", o.time_in_range},
          {"time_below_70", o.time_below_70}, {"time_below_54", o.time_below_54}, {"time_above_180", o.time_above_180},
          {"time_above_250", o.time_above_250}, {"lbgi", o.lbgi},                {"hbgi", o.hbgi}};
}

void print_json(const SimulatedPatient& p, const GlucoseScenarioFile& file, const std::vector<T1dMinute>& rows) {
  nlohmann::json minutes = nlohmann::json::array();
  for (const auto& r : rows) {
    minutes.push_back({{"minute", r.minute},
                       {"glucose_mg_dl", r.glucose_mg_dl},
                       {"carbs_announced_g", r.carbs_announced_g},
                       {"insulin_u_per_min", r.insulin_u_per_min}});
    if (has_cgm(rows)) minutes.back()["cgm_mg_dl"] = r.cgm_mg_dl;
  }
  nlohmann::json out{{"patient", p.name},
                     {"model", p.model},
                     {"description", file.description},
                     {"minutes", file.scenario.minutes},
                     {"outcomes", outcomes_json(metabolic::glucose_outcomes(metabolic::glucose_values(rows)))},
                     {"series", minutes}};
  if (file.sensor) {
    out["sensor"] = {{"name", file.sensor->name}, {"seed", file.sensor->seed}, {"pump", file.pump.value_or("Insulet")}};
    out["cgm_outcomes"] = outcomes_json(metabolic::glucose_outcomes(metabolic::cgm_values(rows)));
  }
  std::printf("%s\n", out.dump(1).c_str());
}

void print_csv(const std::vector<T1dMinute>& rows) {
  const bool cgm = has_cgm(rows);
  std::printf("t_min,time,glucose_mg_dl,%scarbs_announced_g,insulin_u_per_min\n", cgm ? "cgm_mg_dl," : "");
  for (const auto& r : rows)
    std::printf("%d,%s,%.4f,%s%g,%.9g\n", r.minute, minute_text(r.minute).c_str(), r.glucose_mg_dl,
                cgm ? fmt::format("{:.4f},", r.cgm_mg_dl).c_str() : "", r.carbs_announced_g, r.insulin_u_per_min);
}

// Glucose against time over the target band, meals as markers.
void write_plot(const fs::path& out, const SimulatedPatient& p, const std::vector<T1dMinute>& rows) {
  constexpr double width = 860, height = 380, left = 60, right = 20, top = 40, bottom = 50;
  double bg_max = 250;
  for (const auto& r : rows) bg_max = std::max(bg_max, r.glucose_mg_dl + 20);
  const double t_max = rows.back().minute;
  const auto x = [&](double minute) { return left + (width - left - right) * minute / t_max; };
  const auto y = [&](double bg) { return top + (height - top - bottom) * (1 - std::clamp(bg, 0.0, bg_max) / bg_max); };
  write_file_atomically(out, [&](std::ostream& svg) {
    svg << fmt::format(
        R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" font-family="sans-serif" font-size="12">)",
        width, height)
        << "\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    svg << fmt::format("<text x=\"{}\" y=\"22\" font-size=\"14\">{}: glucose (mg/dL), target 70–180</text>\n", left,
                       xml_escaped(p.name));
    svg << fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"#e6f4ea\"/>\n", left,
                       y(180), width - left - right, y(70) - y(180));
    for (double bg = 0; bg <= bg_max; bg += 50)
      svg << fmt::format(
          "<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#ddd\"/><text x=\"{:.1f}\" "
          "y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n",
          left, width - right, y(bg), y(bg), left - 6, y(bg) + 4, bg);
    const double hour_step = t_max > 2 * 1440 ? 720 : 180;
    for (double m = 0; m <= t_max; m += hour_step)
      svg << fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n", x(m), height - bottom + 16,
                         minute_text(static_cast<int>(m)));
    svg << "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"";
    for (const auto& r : rows) svg << fmt::format("{:.1f},{:.1f} ", x(r.minute), y(r.glucose_mg_dl));
    svg << "\"/>\n";
    if (has_cgm(rows)) {  // the sensor's readings, dashed
      svg << "<polyline fill=\"none\" stroke=\"#555\" stroke-dasharray=\"4 3\" stroke-width=\"1\" points=\"";
      for (const auto& r : rows) svg << fmt::format("{:.1f},{:.1f} ", x(r.minute), y(r.cgm_mg_dl));
      svg << "\"/>\n";
    }
    for (const auto& r : rows)
      if (r.carbs_announced_g > 0)
        svg << fmt::format(
            "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"4\" fill=\"#ff7f0e\"/><text x=\"{:.1f}\" y=\"{:.1f}\" "
            "text-anchor=\"middle\">{:g} g</text>\n",
            x(r.minute), height - bottom - 6, x(r.minute), height - bottom - 14, r.carbs_announced_g);
    svg << "</svg>\n";
  });
}

// The scenario on the Hovorka 2004 nominal patient: open loop, meal boluses only by a rule the file gives.
std::vector<T1dMinute> simulate_on_hovorka(const GlucoseScenarioFile& file, const std::string& name) {
  if (file.sensor) throw ParseError(name + ": sensor: the Hovorka patient runs open loop only (for now)");
  if (file.meal_boluses_from_patient)
    throw ParseError(name + ": meal_boluses: the Hovorka patient has no carb ratio of its own: give "
                     "{\"carb_ratio_g_per_unit\": …, \"correction_factor_mg_dl_per_unit\": …}");
  return metabolic::simulate_hovorka(metabolic::HovorkaParams{}, file.scenario);
}

void run_simulate(const Context& context, const SimulateArgs& args) {
  if (args.person) return simulate_for_person(context, *args.person, args.scenario, args.csv, args.json);
  GlucoseScenarioFile file = parse_glucose_scenario(read_file(args.scenario), args.scenario);
  SimulatedPatient patient;
  std::vector<T1dMinute> rows;
  if (args.model == "hovorka2004") {
    const metabolic::HovorkaParams nominal;
    patient = {"Hovorka 2004 nominal", "Hovorka 2004 model, Table 1 parameters", nominal.bw,
               metabolic::hovorka_basal_u_per_min(nominal, 100)};
    rows = simulate_on_hovorka(file, args.scenario);
  } else {
    const VirtualPatient virtual_patient = load_patient(args.patient);
    patient = {virtual_patient.params.name, "UVA/Padova virtual patient", virtual_patient.params.bw,
               metabolic::basal_insulin_u_per_min(virtual_patient.params)};
    rows = simulate_glucose_arm(virtual_patient, resolve_arm(args.scenario, file, kPatientTables));
  }
  if (args.plot) write_plot(*args.plot, patient, rows);
  if (args.csv)
    print_csv(rows);
  else if (args.json)
    print_json(patient, file, rows);
  else
    print_summary(patient, file, rows);
}

}  // namespace

void show_glucose_demo(const fs::path& scenario_file) {
  GlucoseScenarioFile file = parse_glucose_scenario(read_file(scenario_file), scenario_file.string());
  const VirtualPatient patient = load_patient("adult#001");
  file.scenario.meal_bolus = metabolic::MealBolusRule{patient.carb_ratio_g_per_u, patient.correction_factor_mg_dl_per_u};
  metabolic::T1dScenario bigger_dinner = file.scenario;
  for (auto& meal : bigger_dinner.meals)
    if (meal.minute == 19 * 60) meal.carbs_g += 40;
  const auto planned = metabolic::simulate_t1d(patient.params, file.scenario);
  const auto what_if = metabolic::simulate_t1d(patient.params, bigger_dinner);
  const auto a = metabolic::glucose_outcomes(metabolic::glucose_values(planned)), b = metabolic::glucose_outcomes(metabolic::glucose_values(what_if));
  const auto peak = [](const std::vector<T1dMinute>& rows) {
    double m = 0;
    for (const auto& r : rows) m = std::max(m, r.glucose_mg_dl);
    return m;
  };
  std::printf("\n== Glucose twin: a day of UVA/Padova virtual patient %s (%s), and a what-if ==\n\n",
              patient.params.name.c_str(), scenario_file.filename().string().c_str());
  std::printf("  %-28s %12s %20s\n", "", "as planned", "dinner +40 g (bolused)");
  std::printf("  %-28s %10.1f %% %18.1f %%\n", "time in range 70–180", a.time_in_range, b.time_in_range);
  std::printf("  %-28s %10.1f %% %18.1f %%\n", "time above 180", a.time_above_180, b.time_above_180);
  std::printf("  %-28s %10.1f %% %18.1f %%\n", "time below 70", a.time_below_70, b.time_below_70);
  std::printf("  %-28s %12.0f %20.0f\n", "mean glucose (mg/dL)", a.mean_mg_dl, b.mean_mg_dl);
  std::printf("  %-28s %12.0f %20.0f\n", "highest glucose (mg/dL)", peak(planned), peak(what_if));
  std::printf("  %-28s %12.2f %20.2f\n", "HBGI", a.hbgi, b.hbgi);
}

void add_glucose_command(CLI::App& app, Context& context) {
  auto* glucose = app.add_subcommand("glucose", "Glucose twin: simulate a virtual patient, calibrate and forecast a person");
  glucose->require_subcommand(1);
  auto args = std::make_shared<SimulateArgs>();
  auto* sim = glucose->add_subcommand("simulate", "A scenario of meals and insulin on a UVA/Padova virtual patient");
  sim->add_option("scenario", args->scenario, "Scenario file (JSON, docs/glucose.md)")->required();
  auto* patient = sim->add_option("--patient", args->patient, "Virtual patient: adolescent#001…010, adult#001…010, child#001…010");
  auto* person = sim->add_option("--person", args->person, "A person's own meal-response twin instead (see glucose calibrate)")
                     ->excludes(patient);
  auto* csv = sim->add_flag("--csv", args->csv, "One row per minute: glucose, carbohydrate, insulin");
  sim->add_flag("--json", args->json, "Outcomes and the minute series as JSON")->excludes(csv);
  sim->add_option("--plot", args->plot, "Draw the glucose curve into this SVG")->excludes(person);
  sim->add_option("--model", args->model, "uva-padova (default: the 30 virtual patients) or hovorka2004 (its nominal adult)")
      ->check(CLI::IsMember({"uva-padova", "hovorka2004"}))
      ->excludes(person)
      ->excludes(patient);
  sim->callback([args, &context] { run_simulate(context, *args); });
  add_glucose_trial_command(*glucose, context, kPatientTables);
  add_glucose_twin_commands(*glucose, context);
}

}  // namespace medtwin::cli

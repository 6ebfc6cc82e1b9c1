// `medtwin glucose calibrate PERSON [--sensor S] [--json]` and
// `medtwin glucose forecast PERSON [--at TIME] [--meals PLAN.json] [--sensor S] [--json]`:
// the person's own glucose twin from their CGM readings, meal log and heart
// rate. calibrate fits the meal response (medtwin/metabolic/meal_response.hpp)
// and backtests the 30/60-minute forecasts; forecast gives the next 30 and 60
// minutes from the latest reading (or TIME) with their 80 % interval and
// alerts, and with a plan the day's curve after the planned meals. Reads only
// the named person. Guide: docs/glucose.md.
#include <fmt/format.h>

#include <array>
#include <cmath>

#include "cli.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/importer.hpp"
#include "medtwin/metabolic/meal_response.hpp"
#include "medtwin/twin/glucose_history.hpp"
#include "medtwin/twin/glucose_scenario.hpp"
#include "medtwin/twin/person_glucose_day.hpp"

namespace medtwin::cli {
namespace {

using metabolic::GlucoseHistory;

constexpr double kMinutesPerDay = 1440;
constexpr double kHighMgDl = 180, kLowMgDl = 70;
constexpr int kBacktestFirstDay = 3;

struct GlucoseTwinArgs {
  std::string person;
  std::optional<std::string> sensor, at, meals;
  bool json = false;
};

double epoch_minutes(Instant t) { return double(to_epoch_ms(t)) / 60000.0; }
std::string minute_text(double minute) { return format_instant(from_epoch_ms(std::int64_t(std::llround(minute * 60000)))); }

constexpr std::array<const char*, 4> kParameterNames = {"SG (1/min)", "SR (1/min per mg/dL)", "tau (min)",
                                                        "A (mg/dL per g)"};

std::array<double, 4> parameter_values(const metabolic::MealResponseModel& m) { return {m.sg, m.sr, m.tau, m.gain}; }

std::string cv_text(double cv) { return std::isfinite(cv) ? fmt::format("{:.0f} %", cv) : "not determined"; }

// The 30-minute backtest, or nullopt when no day after the first three could be forecast.
std::optional<metabolic::ForecastErrors> backtest_30(const GlucoseHistory& h) {
  auto errors = metabolic::backtest_glucose_forecasts(h, kBacktestFirstDay).errors;
  if (errors.forecasts == 0) return std::nullopt;
  return errors;
}

void run_calibrate(const Context& context, const GlucoseTwinArgs& args) {
  auto store = context.open();
  auto person = gather_glucose_history(*store, args.person, args.sensor);
  const auto& h = person.history;
  auto fit = metabolic::fit_meal_response(h, INFINITY);
  auto values = parameter_values(fit.model);
  auto errors = backtest_30(h);
  if (args.json) {
    nlohmann::json params = nlohmann::json::object();
    for (std::size_t k = 0; k < 4; ++k)
      params[kParameterNames[k]] = {{"value", values[k]}, {"cv_percent", json_number(fit.cv_percent[k])}};
    nlohmann::json out{{"person", args.person},  {"sensor", person.sensor},    {"readings", h.cgm.size()},
                       {"meals_fitted", fit.meals}, {"basal_mg_dl", fit.model.gb}, {"parameters", params},
                       {"fit_rmse_mg_dl", fit.rmse}, {"p2_per_min", metabolic::MealResponseModel::p2}};
    if (errors)
      out["forecast_30_min"] = {{"forecasts", errors->forecasts},
                                {"rmse", errors->rmse},
                                {"persistence_rmse", errors->persistence_rmse},
                                {"interval_coverage", errors->interval_coverage}};
    fmt::print("{}\n", out.dump(2));
    return;
  }
  fmt::print("Glucose twin of {} from {} readings ({}) and {} meals\n", args.person, h.cgm.size(), person.sensor,
             h.meals.size());
  fmt::print("Meal response (oral minimal model, insulin from glucose), fitted on {} meals: RMSE {:.1f} mg/dL\n",
             fit.meals, fit.rmse);
  fmt::print("  {:<22} {:>10}  {}\n", "basal glucose Gb", fmt::format("{:.0f}", fit.model.gb), "mg/dL (median pre-meal)");
  for (std::size_t k = 0; k < 4; ++k)
    fmt::print("  {:<22} {:>10.3g}  CV {}\n", kParameterNames[k], values[k], cv_text(fit.cv_percent[k]));
  if (errors)
    fmt::print("30-min forecasts backtested from day {}: RMSE {:.1f} mg/dL vs {:.1f} for persistence ({} forecasts, "
               "80 % interval holds {:.0f} %)\n",
               kBacktestFirstDay, errors->rmse, errors->persistence_rmse, errors->forecasts,
               100 * errors->interval_coverage);
  else
    fmt::print("30-min forecasts: not backtested (no day after the first {} had enough readings before it)\n",
               kBacktestFirstDay);
}

// The text of an ISO 8601 option as an instant, or a ParseError naming the option.
Instant instant_option(const char* option, const std::string& text) {
  try {
    return parse_instant(text);
  } catch (const ParseError&) {
    throw ParseError(fmt::format("{} '{}' is not a date and time with a zone, such as 2024-05-01T12:00:00Z", option, text));
  }
}

std::string alert_of(double predicted, double now) {
  if (predicted > kHighMgDl && now <= kHighMgDl) return "high glucose expected";
  if (predicted < kLowMgDl && now >= kLowMgDl) return "low glucose expected";
  return "";
}

std::string day_text(const PersonDay& day) {
  const auto& o = day.outcomes;
  const double peak = day.peak_mg_dl;
  return fmt::format("peak {:.0f} mg/dL (with the fit's 80 % misses: {:.0f}–{:.0f}), mean {:.0f}, {:.0f} % of the "
                     "time above 180, {:.0f} % in 70–180",
                     peak, peak + day.fit.residual_low, peak + day.fit.residual_high, o.mean_mg_dl, o.time_above_180,
                     o.time_in_range);
}

nlohmann::json day_json(const PersonDay& day) {
  const auto& o = day.outcomes;
  nlohmann::json points = nlohmann::json::array();
  for (const auto& p : day.curve)
    points.push_back({{"at", minute_text(p.minute)},
                      {"mg_dl", p.mg_dl},
                      {"low", p.mg_dl + day.fit.residual_low},
                      {"high", p.mg_dl + day.fit.residual_high}});
  return {{"start", minute_text(day.start)},       {"peak_mg_dl", day.peak_mg_dl},
          {"mean_mg_dl", o.mean_mg_dl},            {"time_above_180_percent", o.time_above_180},
          {"time_in_range_percent", o.time_in_range}, {"meals_fitted", day.fit.meals},
          {"curve", points}};
}

void run_forecast(const Context& context, const GlucoseTwinArgs& args) {
  auto store = context.open();
  auto person = gather_glucose_history(*store, args.person, args.sensor);
  const auto& h = person.history;
  double at = args.at ? epoch_minutes(instant_option("--at", *args.at)) : h.cgm.back().minute;
  nlohmann::json out{{"person", args.person}, {"sensor", person.sensor}};
  nlohmann::json horizons = nlohmann::json::array();
  std::vector<std::string> lines;
  for (double horizon : {30.0, 60.0}) {
    metabolic::ForecastSettings settings;
    settings.horizon_minutes = horizon;
    auto model = metabolic::fit_glucose_forecaster(h, at, settings);
    auto f = metabolic::forecast_glucose(model, h, at);
    if (!f) throw Error(fmt::format("no CGM reading within {:.0f} min before {}", settings.max_reading_age_minutes,
                                    minute_text(at)));
    const double now = f->origin_mg_dl;
    std::string alert = alert_of(f->mg_dl, now);
    horizons.push_back({{"minutes", horizon}, {"at", minute_text(f->target_minute)}, {"mg_dl", f->mg_dl},
                        {"low", f->low}, {"high", f->high}, {"alert", alert}});
    if (lines.empty()) lines.push_back(fmt::format("Latest reading {:.0f} mg/dL at {}", now, minute_text(f->origin_minute)));
    lines.push_back(fmt::format("  in {:.0f} min: {:.0f} mg/dL (80 %: {:.0f}–{:.0f}){}", horizon, f->mg_dl, f->low,
                                f->high, alert.empty() ? "" : "  ← " + alert));
  }
  out["forecasts"] = horizons;
  if (args.meals) {
    auto day = plan_person_day(h, parse_glucose_scenario(read_file(*args.meals), *args.meals), at);
    out["plan"] = day_json(day);
    out["plan"]["file"] = *args.meals;
    lines.push_back(fmt::format("Planned day from {} ({} meals): {}", minute_text(day.start), day.meals, day_text(day)));
  }
  if (args.json) fmt::print("{}\n", out.dump(2));
  else
    for (const auto& line : lines) fmt::print("{}\n", line);
}

}  // namespace

void simulate_for_person(const Context& context, const std::string& person, const std::string& scenario, bool csv,
                         bool json) {
  auto store = context.open();
  auto history = gather_glucose_history(*store, person);
  auto plan = parse_glucose_scenario(read_file(scenario), scenario);
  auto day = plan_person_day(history.history, plan, history.history.cgm.back().minute);
  if (json) {
    auto out = day_json(day);
    out["person"] = person;
    out["sensor"] = history.sensor;
    fmt::print("{}\n", out.dump(2));
  } else if (csv) {
    fmt::print("time,glucose_mg_dl,low_mg_dl,high_mg_dl\n");
    for (const auto& p : day.curve)
      fmt::print("{},{:.2f},{:.2f},{:.2f}\n", minute_text(p.minute), p.mg_dl, p.mg_dl + day.fit.residual_low,
                 p.mg_dl + day.fit.residual_high);
  } else {
    fmt::print("{}'s meal response (calibrated on {} meals, {}), {} meals from {}\n  {}\n", person, day.fit.meals,
               history.sensor, day.meals, minute_text(day.start), day_text(day));
    if (!plan.scenario.boluses.empty() || plan.scenario.meal_bolus || plan.sensor)
      fmt::print("  (the scenario's insulin and sensor are not used: this twin has meals only)\n");
  }
}

namespace {

void add_person_options(CLI::App* cmd, GlucoseTwinArgs& args) {
  cmd->add_option("person", args.person, "Person")->required();
  cmd->add_option("--sensor", args.sensor, "CGM source to use (default: the one with the most readings)");
  cmd->add_flag("--json", args.json, "JSON output");
}

}  // namespace

void add_glucose_twin_commands(CLI::App& glucose, Context& context) {
  auto calibrate_args = std::make_shared<GlucoseTwinArgs>();
  auto* calibrate = glucose.add_subcommand("calibrate", "Fit the person's meal response and backtest their forecasts");
  add_person_options(calibrate, *calibrate_args);
  calibrate->callback([calibrate_args, &context] { run_calibrate(context, *calibrate_args); });

  auto forecast_args = std::make_shared<GlucoseTwinArgs>();
  auto* forecast = glucose.add_subcommand("forecast", "Glucose in 30 and 60 minutes, and after planned meals");
  add_person_options(forecast, *forecast_args);
  forecast->add_option("--at", forecast_args->at, "Forecast from this instant (ISO 8601 with zone; default: the latest reading)");
  forecast->add_option("--meals", forecast_args->meals, "Planned meals (a scenario file, docs/glucose.md) for the next day");
  forecast->callback([forecast_args, &context] { run_forecast(context, *forecast_args); });
}

}  // namespace medtwin::cli

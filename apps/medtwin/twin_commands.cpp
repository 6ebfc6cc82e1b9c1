// `medtwin twin PERSON` (today's state against the person's own baseline,
// readiness, alerts) and `medtwin forecast PERSON [--days N] [--json]`.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

#include "cli.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/core/units.hpp"
#include "medtwin/twin/daily_features.hpp"
#include "medtwin/twin/baseline_twin.hpp"
#include "medtwin/twin/baseline_twin_json.hpp"
#include "medtwin/twin/stress_report.hpp"

namespace medtwin::cli {
namespace {

struct TwinArgs {
  std::string person;
  int days = 7;
  bool json = false;
};

// A feature's value as text: clock times of sleep as HH:MM, others as numbers.
std::string value_text(const baseline::DailySeries& f, double v) {
  return is_clock_time(f.name) && std::isfinite(v) ? clock_text(v) : number_text(v);
}
std::string value_text(const baseline::DailySeries& f, const std::optional<double>& v) {
  return v ? value_text(f, *v) : "—";
}
std::string signed_text(const std::optional<double>& v) {
  return v ? fmt::format("{:+.1f}", *v) : "—";
}
std::string unit_text(const baseline::DailySeries& f) { return is_clock_time(f.name) ? "" : display_unit(f.unit); }

void print_state(const BaselineTwin& twin) {
  std::printf("State on each feature's last day, against the person's own history (z: robust SDs from the 60-day median):\n");
  std::printf("  %-18s %-10s %10s %-7s %10s %7s %10s %12s\n", "feature", "day", "value", "unit", "median60", "z",
              "median7", "trend/week");
  for (const auto& f : twin.state) {
    const auto& b = f.baseline;
    const auto trend = b.trend_per_week ? fmt::format("{}{}", *b.trend_per_week >= 0 ? "+" : "", number_text(*b.trend_per_week))
                                        : std::string("—");
    std::printf("  %-18s %-10s %10s %-7s %10s %7s %10s %12s\n", f.series->name.c_str(), date_text(f.day).c_str(),
                value_text(*f.series, b.value).c_str(), unit_text(*f.series).c_str(),
                value_text(*f.series, b.long_median).c_str(), signed_text(b.z).c_str(),
                value_text(*f.series, b.short_median).c_str(), trend.c_str());
  }
}

void print_forecasts(const BaselineTwin& twin, int days) {
  std::printf("\nForecast (point, 80%% and 95%% prediction intervals; model chosen by the person's own backtest):\n");
  for (const auto& f : twin.forecasts) {
    const auto& s = *f.series;
    if (f.backtest.n() == 0)
      std::printf("  %-18s %s (no past day to backtest it on yet)\n", s.name.c_str(), f.model.c_str());
    else
      std::printf("  %-18s %s (one day ahead over %zu past days: MAE %s; persistence %s; 7-day mean %s)\n",
                  s.name.c_str(), f.model.c_str(), f.backtest.n(), number_text(f.backtest.mae()).c_str(),
                  number_text(f.backtest.mae_persistence()).c_str(), number_text(f.backtest.mae_mean7()).c_str());
    for (int h = 0; h < days && h < static_cast<int>(f.days.size()); ++h) {
      const auto& d = f.days[static_cast<std::size_t>(h)];
      std::printf("    %s  %10s  [%s, %s]  [%s, %s] %s\n", date_text(d.day).c_str(), value_text(s, d.point).c_str(),
                  value_text(s, d.lo80).c_str(), value_text(s, d.hi80).c_str(), value_text(s, d.lo95).c_str(),
                  value_text(s, d.hi95).c_str(), unit_text(s).c_str());
    }
  }
  for (const auto& why : twin.not_forecast) std::printf("  %s\n", why.c_str());
}

void print_readiness(const BaselineTwin& twin) {
  if (!twin.readiness) {
    std::printf("\nReadiness: not available (%s)\n", twin.readiness_unavailable.c_str());
    return;
  }
  const auto& r = *twin.readiness;
  std::printf("\nReadiness %.0f / 100 (from %.0f%% of the parts' weight; docs/models/readiness.md):\n", r.score,
              100 * r.confidence);
  for (const auto& c : r.contributions) std::printf("  %+6.1f  %s\n", c.points, c.sentence.c_str());
  if (!r.missing.empty()) {
    std::string names;
    for (auto part : r.missing) names += std::string(names.empty() ? "" : ", ") + std::string(baseline::to_string(part));
    std::printf("  missing today: %s\n", names.c_str());
  }
}

void print_stress(const StressReport& r) {
  if (r.hours.empty()) {
    std::printf("\nStress: not available (%s)\n",
                r.unavailable.empty() ? "no still hour with heart-rate data" : r.unavailable.front().c_str());
    return;
  }
  std::printf("\nDaytime stress (0-100, still minutes only; docs/models/stress.md): %zu hours over %zu days\n",
              r.hours.size(), r.days.size());
  if (!r.days.empty()) std::printf("  %s: %.0f\n", date_text(r.days.back().day).c_str(), r.days.back().stress);
  if (r.profile) {
    std::string hours;
    for (int h : r.profile->rising_hours) hours += fmt::format("{}{:02}:00", hours.empty() ? "" : ", ", h);
    std::printf("  usual level %.0f; hours when it tends to rise: %s\n", r.profile->median,
                hours.empty() ? "none" : hours.c_str());
  }
  if (r.trend)
    std::printf("  last %d days: %+.1f points/day (Mann-Kendall p %.2g)%s\n", r.trend->days, r.trend->slope_per_day,
                r.trend->p_value, r.trend->worsening ? " — trending worse" : "");
  for (const auto& why : r.unavailable) std::printf("  %s\n", why.c_str());
}

void print_alerts(const BaselineTwin& twin) {
  if (twin.alerts.empty()) {
    std::printf("\nNo alerts for tomorrow.\n");
    return;
  }
  std::printf("\nAlerts — tomorrow may be worse than usual:\n");
  for (const auto& a : twin.alerts) std::printf("  %s\n", a.reason.c_str());
}

void run_forecast(const Context& context, const TwinArgs& args) {
  if (args.days < 1 || args.days > 28) throw Error("--days must lie in 1..28");
  auto store = context.open();
  const auto days = load_person_days(*store, args.person);
  const auto twin = build_baseline_twin(days, args.days);
  if (args.json) {
    auto j = baseline_twin_json(twin, args.days);
    j["person"] = args.person;
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  std::printf("%s — data up to %s\n", args.person.c_str(), date_text(twin.today).c_str());
  print_forecasts(twin, args.days);
  print_alerts(twin);
}

void run_twin(const Context& context, const TwinArgs& args) {
  auto store = context.open();
  print_twin(*store, args.person);
}

}  // namespace

void print_twin(Store& store, const std::string& person) {
  const auto days = load_person_days(store, person);
  if (days.features.empty()) throw NotEnoughData(fmt::format("{} has no daily data yet: import a wearable export", person));
  const auto twin = build_baseline_twin(days, 1);
  std::printf("%s — data up to %s\n\n", person.c_str(), date_text(twin.today).c_str());
  print_state(twin);
  print_readiness(twin);
  print_stress(build_stress_report(store, person));
  print_forecasts(twin, 1);
  print_alerts(twin);
}

void add_twin_commands(CLI::App& app, Context& context) {
  auto args = std::make_shared<TwinArgs>();
  auto* twin = app.add_subcommand("twin", "A person's state today against their own baseline, tomorrow's forecast, alerts");
  twin->add_option("person", args->person, "Person")->required();
  twin->callback([args, &context] { run_twin(context, *args); });

  auto* forecast = app.add_subcommand("forecast", "Forecast every daily metric of a person with 80%/95% intervals");
  forecast->add_option("person", args->person, "Person")->required();
  forecast->add_option("--days", args->days, "Days ahead (1..28)")->capture_default_str();
  forecast->add_flag("--json", args->json, "JSON output");
  forecast->callback([args, &context] { run_forecast(context, *args); });
}

}  // namespace medtwin::cli

// `medtwin sleep PERSON [--plan 23:30-07:00]`: nights, circadian rhythm
// metrics, the two-process model fitted to the person's timing, and what a
// planned night does to sleep pressure, alertness and sleep debt.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "cli.hpp"
#include "medtwin/twin/sleep_twin.hpp"

namespace medtwin::cli {
namespace {

using namespace std::chrono_literals;

struct SleepArgs {
  std::string person;
  std::optional<std::string> plan;
};

double hours(std::chrono::milliseconds d) { return std::chrono::duration<double, std::ratio<3600>>(d).count(); }
using cli::clock_text;
std::string clock_text(std::chrono::milliseconds since_midnight) { return clock_text(hours(since_midnight)); }

std::string local_text(Instant t, const TimeZoneHistory& zones) {
  const auto local = to_local(t, zones.zone_at(t));
  const auto day = std::chrono::floor<std::chrono::days>(local);
  return date_text(day) + " " + clock_text(local - day);
}

void print_nights(const SleepReport& r) {
  std::printf("Nights (%zu, from %s), the last ones:\n", r.nights.size(), r.nights_from.c_str());
  const std::size_t from = r.nights.size() > 7 ? r.nights.size() - 7 : 0;
  for (std::size_t i = from; i < r.nights.size(); ++i) {
    const auto& n = r.nights[i];
    std::printf("  %s → %s  asleep %.2f h  efficiency %.0f%%\n", local_text(n.onset, r.zones).c_str(),
                local_text(n.offset, r.zones).substr(11).c_str(), hours(n.asleep), 100 * n.efficiency());
  }
}

void print_rhythm(const SleepReport& r) {
  if (r.rhythm)
    std::printf("\nRhythm (classical formulas): IS %.3f  IV %.3f  L5 %.4g from %s  M10 %.4g from %s  RA %.3f\n",
                r.rhythm->is, r.rhythm->iv, r.rhythm->l5.mean, clock_text(r.rhythm->l5.start).c_str(),
                r.rhythm->m10.mean, clock_text(r.rhythm->m10.start).c_str(), r.rhythm->ra);
  if (r.sleep_regularity_index) std::printf("Sleep Regularity Index %.1f (100: same state 24 h apart every minute)\n", *r.sleep_regularity_index);
  if (r.cosinor)
    std::printf("Cosinor: mesor %.4g  amplitude %.4g  acrophase %s  R² %.2f  p %.2g\n", r.cosinor->mesor,
                r.cosinor->amplitude, clock_text(r.cosinor->acrophase).c_str(), r.cosinor->r_squared, r.cosinor->p_value);
  if (r.social_jet_lag)
    std::printf("Social jet lag %.2f h (mid-sleep %s on %zu free nights, %s on %zu work nights)\n",
                r.social_jet_lag->hours, clock_text(r.social_jet_lag->mid_sleep_free).c_str(),
                r.social_jet_lag->free_nights, clock_text(r.social_jet_lag->mid_sleep_work).c_str(),
                r.social_jet_lag->work_nights);
}

void print_model(const SleepReport& r) {
  if (!r.two_process) return;
  const auto& f = *r.two_process;
  std::printf("\nTwo-process model fitted to %zu nights: habitual sleep %s–%s (%.2f h need); "
              "RMS error onset %.0f min, wake-up %.0f min\n",
              f.onset_residuals_h.size(), clock_text(f.habitual.onset_h).c_str(),
              clock_text(f.habitual.offset_h).c_str(), f.habitual.sleep_h(), 60 * f.onset_rms_h, 60 * f.offset_rms_h);
}

// Sleep pressure, alertness and debt every 3 hours, planned next to habitual.
void print_scenario(const SleepReport& r) {
  if (!r.scenario) return;
  const auto& s = *r.scenario;
  std::printf("\nScenario: tonight %s → %s, then habitual nights. Every 3 h (S: sleep pressure; alertness: margin "
              "before sleep onset, < 0 = kept awake past it; debt in hours of sleep):\n",
              local_text(s.planned_night.onset, r.zones).c_str(), local_text(s.planned_night.offset, r.zones).substr(11).c_str());
  std::printf("  %-16s %-7s %7s %10s %8s   %-7s %7s %10s %8s\n", "local time", "planned", "S", "alertness", "debt h",
              "usual", "S", "alertness", "debt h");
  const auto& plan = s.planned.points;
  const auto& usual = s.habitual.points;
  if (plan.size() < 2) return;
  const auto every_3h = static_cast<std::size_t>(std::chrono::hours(3) / (plan[1].time - plan[0].time));
  for (std::size_t i = 0; i < plan.size() && i < usual.size(); i += std::max<std::size_t>(every_3h, 1)) {
    std::printf("  %-16s %-7s %7.3f %10.3f %8.2f   %-7s %7.3f %10.3f %8.2f\n", local_text(plan[i].time, r.zones).c_str(),
                plan[i].asleep ? "asleep" : "awake", plan[i].pressure, plan[i].alertness, plan[i].debt_h,
                usual[i].asleep ? "asleep" : "awake", usual[i].pressure, usual[i].alertness, usual[i].debt_h);
  }
}

void run_sleep(const Context& context, const SleepArgs& args) {
  auto store = context.open();
  const auto plan = args.plan ? std::optional(parse_sleep_plan(*args.plan)) : std::nullopt;
  const auto report = build_sleep_report(*store, args.person, plan);
  if (!report.nights.empty()) print_nights(report);
  print_rhythm(report);
  print_model(report);
  print_scenario(report);
  if (!report.unavailable.empty()) std::printf("\nNot computed:\n");
  for (const auto& why : report.unavailable) std::printf("  %s\n", why.c_str());
}

}  // namespace

void add_sleep_command(CLI::App& app, Context& context) {
  auto args = std::make_shared<SleepArgs>();
  auto* cmd = app.add_subcommand("sleep", "Sleep timing, circadian rhythm, the two-process model and a planned night");
  cmd->add_option("person", args->person, "Person")->required();
  cmd->add_option("--plan", args->plan, "Tonight's planned sleep, local time HH:MM-HH:MM (e.g. 01:00-06:00)");
  cmd->callback([args, &context] { run_sleep(context, *args); });
}

}  // namespace medtwin::cli

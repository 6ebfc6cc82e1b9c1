#include "medtwin/twin/sleep_twin.hpp"

#include <fmt/format.h>

#include "medtwin/core/codes.hpp"
#include "medtwin/core/daily.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/sleep/activity.hpp"
#include "medtwin/sleep/scoring.hpp"

namespace medtwin {
namespace {

using namespace std::chrono_literals;

// Minute-level activity: the longest actigraphy recording, else minute steps.
std::optional<sleep::ActivitySeries> load_activity(Store& store, const std::string& person) {
  std::optional<SignalInfo> longest;
  for (const auto& s : store.signals(person))
    if (s.kind == "actigraphy" && (!longest || s.sample_count > longest->sample_count)) longest = s;
  if (longest) return sleep::activity_from_signal(store.read_signal(longest->id));
  // Steps recorded per minute or a few minutes (Fitbit minute files, Apple
  // Health samples) can stand for activity counts; hourly totals cannot.
  const auto steps = store.observations(ObservationQuery{person, metrics::steps().code, {}});
  std::vector<Observation> intraday;
  for (const auto& o : steps)
    if (o.end - o.start <= 15min) intraday.push_back(o);
  if (intraday.size() < 24 * 4) return std::nullopt;  // under a day of such data
  return sleep::activity_from_observations(intraday, {.gaps_are_zero = true});
}

// Runs `compute`, or records why it could not be computed.
template <typename T, typename Compute>
void try_compute(std::optional<T>& out, SleepReport& report, const char* what, Compute&& compute) {
  try {
    out = compute();
  } catch (const Error& e) {
    report.unavailable.push_back(fmt::format("{}: {}", what, e.what()));
  }
}

void nights_and_rhythm(Store& store, const std::string& person, SleepReport& r) {
  const auto stages = store.observations(ObservationQuery{person, metrics::sleep_stage().code, {}});
  const auto activity = load_activity(store, person);
  if (!stages.empty()) {
    r.nights = sleep::main_sleep_per_day(sleep::sleep_episodes(stages), r.zones);
    r.nights_from = "sleep stages";
  }
  if (!activity) {
    r.unavailable.push_back("rhythm metrics (IS, IV, L5, M10, RA, SRI, cosinor): no minute-level activity");
    return;
  }
  try_compute(r.rhythm, r, "IS/IV/L5/M10/RA", [&] { return sleep::nonparametric_rhythm(*activity, r.zones); });
  try_compute(r.cosinor, r, "cosinor", [&] { return sleep::fit_cosinor(*activity, r.zones); });
  std::optional<sleep::SleepWakeSeries> scored;
  try_compute(scored, r, "sleep/wake scoring", [&] { return sleep::score_cole_kripke(*activity); });
  if (!scored) return;
  try_compute(r.sleep_regularity_index, r, "sleep regularity index",
              [&] { return sleep::sleep_regularity_index(*scored); });
  if (r.nights.empty()) {
    r.nights = sleep::main_sleep_per_day(sleep::scored_episodes(*scored), r.zones);
    r.nights_from = "actigraphy scored with Cole–Kripke";
  }
}

// The planned night: the first onset at the plan's clock time after the last
// recorded wake-up, in the person's zone then.
sleep::SleepEpisode planned_night(const SleepPlan& plan, Instant after, const TimeZoneHistory& zones) {
  const std::string& tz = zones.zone_at(after);
  auto onset_day = std::chrono::floor<std::chrono::days>(to_local(after, tz));
  auto at = [&](std::chrono::local_days day, std::chrono::minutes clock) {
    return to_instant(LocalTime{(day + clock).time_since_epoch()}, tz);
  };
  if (at(onset_day, plan.onset) <= after) onset_day += std::chrono::days(1);
  const Instant onset = at(onset_day, plan.onset);
  // The wake-up is a clock time too: on a daylight-saving night the night is an hour shorter or longer.
  const Instant offset = at(plan.offset > plan.onset ? onset_day : onset_day + std::chrono::days(1), plan.offset);
  return {onset, offset, offset - onset, offset - onset};
}

// Tonight as planned (or habitual), then two habitual nights, simulated on
// a 5-minute grid from the last wake-up to the third morning.
SleepScenario run_scenario(const SleepReport& r, const SleepPlan& plan) {
  const auto& fit = *r.two_process;
  const Instant last_wake = r.nights.back().offset;
  const auto habitual_plan = SleepPlan{std::chrono::round<std::chrono::minutes>(std::chrono::duration<double, std::ratio<3600>>(fit.habitual.onset_h)),
                                       std::chrono::round<std::chrono::minutes>(std::chrono::duration<double, std::ratio<3600>>(fit.habitual.offset_h))};
  auto schedule = [&](const SleepPlan& tonight) {
    std::vector<sleep::SleepEpisode> nights{planned_night(tonight, last_wake, r.zones)};
    for (int i = 0; i < 2; ++i) nights.push_back(planned_night(habitual_plan, nights.back().offset, r.zones));
    return nights;
  };
  const auto planned = schedule(plan), habitual = schedule(habitual_plan);
  const sleep::SimulationGrid grid{last_wake, std::max(planned.back().offset, habitual.back().offset), 5min};
  return {plan, planned.front(),
          sleep::simulate_scenario(fit.parameters, r.zones, r.nights, planned, grid),
          sleep::simulate_scenario(fit.parameters, r.zones, r.nights, habitual, grid)};
}

}  // namespace

SleepReport build_sleep_report(Store& store, const std::string& person, const std::optional<SleepPlan>& plan) {
  SleepReport r;
  r.zones = store.time_zones(person);  // throws NotFound for an unknown person
  nights_and_rhythm(store, person, r);
  if (r.nights.empty()) {
    r.unavailable.push_back("sleep timing: no sleep stages, actigraphy or minute steps");
    return r;
  }
  try_compute(r.social_jet_lag, r, "social jet lag", [&] { return sleep::social_jet_lag(r.nights, r.zones); });
  try_compute(r.two_process, r, "two-process model", [&] { return sleep::fit_two_process(r.nights, r.zones); });
  if (plan && r.two_process) r.scenario = run_scenario(r, *plan);
  else if (plan) r.unavailable.push_back("sleep plan: needs the fitted two-process model");
  return r;
}

}  // namespace medtwin

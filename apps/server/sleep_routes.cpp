#include "apps/server/sleep_routes.hpp"

#include <cmath>

#include "apps/server/request_values.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/twin/hypnogram.hpp"
#include "medtwin/twin/json_number.hpp"
#include "medtwin/twin/sleep_twin.hpp"

namespace medtwin::server {
namespace {

using nlohmann::json;

// An instant on the person's wall clock, as milliseconds of a UTC clock
// showing the same time: what a chart labels without knowing the zone.
std::int64_t wall_ms(Instant t, const TimeZoneHistory& zones) {
  return to_local(t, zones.zone_at(t)).time_since_epoch().count();
}

double hours(std::chrono::milliseconds d) { return std::chrono::duration<double, std::ratio<3600>>(d).count(); }

json nights_json(const SleepReport& r) {
  json nights = json::array();
  for (const auto& n : r.nights)
    nights.push_back({{"onset_wall_ms", wall_ms(n.onset, r.zones)},
                      {"offset_wall_ms", wall_ms(n.offset, r.zones)},
                      {"asleep_h", hours(n.asleep)},
                      {"efficiency", json_number(n.efficiency())}});
  return nights;
}

json trajectory_json(const sleep::TwoProcessTrajectory& t, const TimeZoneHistory& zones) {
  json time = json::array(), asleep = json::array(), pressure = json::array(), upper = json::array(),
       lower = json::array(), alertness = json::array(), debt = json::array();
  for (const auto& p : t.points) {
    time.push_back(wall_ms(p.time, zones));
    asleep.push_back(p.asleep);
    pressure.push_back(p.pressure);
    upper.push_back(p.upper);
    lower.push_back(p.lower);
    alertness.push_back(p.alertness);
    debt.push_back(json_number(p.debt_h));
  }
  return {{"wall_ms", time}, {"asleep", asleep}, {"pressure", pressure}, {"upper", upper},
          {"lower", lower},  {"alertness", alertness}, {"debt_h", debt}};
}

json metrics_json(const SleepReport& r) {
  json m = json::object();
  if (r.rhythm)
    m["rhythm"] = {{"is", r.rhythm->is}, {"iv", r.rhythm->iv}, {"ra", r.rhythm->ra},
                   {"l5_start_h", hours(r.rhythm->l5.start)}, {"m10_start_h", hours(r.rhythm->m10.start)}};
  if (r.sleep_regularity_index) m["sleep_regularity_index"] = *r.sleep_regularity_index;
  if (r.social_jet_lag) m["social_jet_lag_h"] = r.social_jet_lag->hours;
  if (r.cosinor) m["cosinor"] = {{"acrophase_h", hours(r.cosinor->acrophase)}, {"amplitude", r.cosinor->amplitude},
                                 {"r_squared", r.cosinor->r_squared}};
  return m;
}

}  // namespace

json sleep_view(ApiRequest& r) {
  std::optional<SleepPlan> plan;
  if (const auto text = r.query("plan")) {
    try {
      plan = parse_sleep_plan(*text);
    } catch (const ParseError&) {
      throw ApiError(400, "plan: a night as HH:MM-HH:MM, e.g. 23:30-07:00");
    }
  }
  const auto report = build_sleep_report(r.store, r.person->name, plan);
  json out = {{"nights_from", report.nights_from},
              {"nights", nights_json(report)},
              {"metrics", metrics_json(report)},
              {"unavailable", report.unavailable}};
  if (report.two_process) {
    const auto& f = *report.two_process;
    out["two_process"] = {{"habitual_onset_h", f.habitual.onset_h}, {"habitual_offset_h", f.habitual.offset_h},
                          {"sleep_need_h", f.habitual.sleep_h()}, {"nights_fitted", f.onset_residuals_h.size()},
                          {"onset_rms_min", 60 * f.onset_rms_h}, {"offset_rms_min", 60 * f.offset_rms_h}};
  }
  if (report.scenario) {
    const auto& s = *report.scenario;
    out["scenario"] = {{"planned_onset_wall_ms", wall_ms(s.planned_night.onset, report.zones)},
                       {"planned_offset_wall_ms", wall_ms(s.planned_night.offset, report.zones)},
                       {"planned", trajectory_json(s.planned, report.zones)},
                       {"habitual", trajectory_json(s.habitual, report.zones)}};
  }
  return out;
}

json sleep_stages_view(ApiRequest& r) {
  std::optional<std::chrono::local_days> night;
  if (const auto text = r.query("night")) night = std::chrono::local_days(date_value(*text, "night").time_since_epoch());
  Hypnogram h;
  try {
    h = build_hypnogram(r.store, r.person->name, night);
  } catch (const NotFound&) {  // its message may name the person (erased meanwhile)
    throw ApiError(404, "no staged night: no sleep stages, or no main sleep woke on that day");
  }
  json nights = json::array(), segments = json::array();
  for (const auto& n : h.nights) nights.push_back(format_local_day(n));
  for (const auto& o : h.stages)  // instants, and the wall clock's offset at each start for its labels
    segments.push_back({{"start_ms", to_epoch_ms(o.start)},
                        {"end_ms", to_epoch_ms(o.end)},
                        {"wall_offset_ms", wall_ms(o.start, h.zones) - to_epoch_ms(o.start)},
                        {"stage", o.value_code ? o.value_code->code : ""}});
  return {{"night", format_local_day(h.night)}, {"nights", std::move(nights)}, {"source", h.source}, {"segments", std::move(segments)}};
}

}  // namespace medtwin::server

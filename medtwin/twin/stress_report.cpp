#include "medtwin/twin/stress_report.hpp"

#include "medtwin/core/codes.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/core/stats.hpp"
#include "medtwin/sleep/episodes.hpp"

namespace medtwin {
namespace {

std::vector<Observation> of_metric(Store& store, const std::string& person, const Metric& metric) {
  return store.observations(ObservationQuery{person, metric.code, {}});
}

std::vector<baseline::TimedValue> timed_values(const std::vector<Observation>& obs) {
  std::vector<baseline::TimedValue> out;
  for (const auto& o : obs)
    if (o.value) out.push_back({o.start, *o.value});
  return out;
}

// Step counts over intervals of at most an hour: daily totals say nothing
// about which minutes were still.
std::vector<baseline::StepCount> intraday_steps(const std::vector<Observation>& obs) {
  std::vector<baseline::StepCount> out;
  for (const auto& o : obs)
    if (o.value && o.end - o.start <= std::chrono::hours(1)) out.push_back({o.start, o.end, *o.value});
  return out;
}

std::vector<baseline::TimeSpan> workouts(Store& store, const std::string& person) {
  std::vector<baseline::TimeSpan> out;
  for (const auto& e : store.events(EventQuery{person, std::string(event_kinds::workout), {}}))
    if (e.end) out.push_back({e.start, *e.end});
  return out;
}

std::vector<baseline::TimeSpan> sleep_spans(const std::vector<Observation>& stages) {
  std::vector<baseline::TimeSpan> out;
  for (const auto& e : sleep::sleep_episodes(stages)) out.push_back({e.onset, e.offset});
  return out;
}

std::optional<double> median_resting_hr(const std::vector<Observation>& obs) {
  std::vector<double> v;
  for (const auto& o : obs)
    if (o.value) v.push_back(*o.value);
  return median(v);
}

}  // namespace

StressReport build_stress_report(Store& store, const std::string& person) {
  StressReport r;
  const auto heart_rate = timed_values(of_metric(store, person, metrics::heart_rate()));
  const auto rr = timed_values(of_metric(store, person, metrics::rr_interval()));
  if (heart_rate.empty() && rr.empty()) {
    r.unavailable.push_back("no intraday heart rate or beat-to-beat intervals");
    return r;
  }
  const auto steps = intraday_steps(of_metric(store, person, metrics::steps()));
  const auto exercise = workouts(store, person);
  const auto asleep = sleep_spans(of_metric(store, person, metrics::sleep_stage()));
  baseline::StressInputs in;
  in.heart_rate = heart_rate, in.rr_intervals = rr, in.steps = steps, in.workouts = exercise, in.sleep = asleep;
  in.resting_hr_bpm = median_resting_hr(of_metric(store, person, metrics::resting_heart_rate()));
  const auto zones = store.time_zones(person);
  try {
    r.hours = baseline::hourly_stress(in, zones);
    r.days = baseline::daily_stress(r.hours);
    r.profile = baseline::stress_profile(r.hours);
    r.trend = baseline::stress_trend(r.days);
  } catch (const Error& e) {
    r.unavailable.push_back(e.what());
  }
  return r;
}

}  // namespace medtwin

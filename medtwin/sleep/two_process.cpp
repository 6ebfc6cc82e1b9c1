#include "medtwin/sleep/two_process.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <stdexcept>

#include <fmt/format.h>
#include <nlopt.hpp>

#include "medtwin/core/daily.hpp"
#include "medtwin/core/error.hpp"

namespace medtwin::sleep {
namespace {

using std::chrono::milliseconds;

constexpr double ms_per_hour = 3.6e6;
constexpr double day_h = 24;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Switch instants are located to this precision (h; 3.6 us), far below the
// millisecond resolution of Instant.
constexpr double switch_tolerance_h = 1e-9;

// Free-running switches are searched on this step (h): a sleep or wake bout
// shorter than it could be missed.
constexpr double scan_step_h = 5.0 / 60;

// The habitual cycle is accepted once two successive onsets and offsets are
// 24 h apart to within cycle_tolerance_h. No switch for max_bout_h, or no
// convergence in max_cycle_days, means there is no stable once-a-day cycle.
constexpr double cycle_tolerance_h = 1e-6;
constexpr double max_bout_h = 72;
constexpr int max_cycle_days = 120;

// Largest grid the simulators accept (95 years at 5 min): a guard against a
// mistyped horizon allocating gigabytes.
constexpr std::int64_t max_grid_points = 10'000'000;

double to_hours(milliseconds d) { return static_cast<double>(d.count()) / ms_per_hour; }
double hours_between(Instant from, Instant to) { return to_hours(to - from); }
milliseconds hours_to_ms(double h) { return milliseconds{std::llround(h * ms_per_hour)}; }

// `h` modulo 24, in [0, 24).
double wrap_clock(double h) {
  double w = std::fmod(h, day_h);
  if (w < 0) w += day_h;
  return w < day_h ? w : 0;  // a tiny negative w rounds up to exactly 24
}

// A difference of clock hours as the shorter way round, in [-12, 12).
double clock_difference(double h) { return wrap_clock(h + day_h / 2) - day_h / 2; }

double local_clock_h(Instant t, const TimeZoneHistory& zones) { return to_hours(local_time_of_day(t, zones)); }

SleepEpisode make_episode(Instant onset, Instant offset) { return {onset, offset, offset - onset, offset - onset}; }

void require(bool ok, const std::string& what) {
  if (!ok) throw Error("two-process parameters: " + what);
}

void require_pressure(const TwoProcessParameters& p, double s) {
  if (!(std::isfinite(s) && s > 0 && s <= p.upper_asymptote))
    throw Error(fmt::format("two-process: initial sleep pressure S must lie in (0, {}] (the upper asymptote), got {}",
                            p.upper_asymptote, s));
}

std::int64_t grid_points(const SimulationGrid& grid) {
  if (grid.step <= std::chrono::minutes{0})
    throw Error(fmt::format("two-process: the grid step must be positive, got {} min", grid.step.count()));
  if (grid.end < grid.start)
    throw Error(fmt::format("two-process: the grid ends ({}) before it starts ({})", format_instant(grid.end),
                            format_instant(grid.start)));
  const std::int64_t n = (grid.end - grid.start) / grid.step + 1;
  if (n > max_grid_points)
    throw Error(
        fmt::format("two-process: the grid has {} points, more than the {} allowed; use a coarser step or a "
                    "shorter horizon",
                    n, max_grid_points));
  return n;
}

void validate_episodes(std::span<const SleepEpisode> episodes, const char* what) {
  for (std::size_t i = 0; i < episodes.size(); ++i) {
    if (episodes[i].offset <= episodes[i].onset)
      throw Error(fmt::format("two-process: {} episode {} does not end after it starts", what, i));
    if (i > 0 && episodes[i].onset < episodes[i - 1].offset)
      throw Error(
          fmt::format("two-process: {} episodes {} and {} overlap or are out of order; sort them and merge overlaps",
                      what, i - 1, i));
  }
}

double evolve(const TwoProcessParameters& p, double s, bool asleep, double hours) {
  return asleep ? pressure_asleep(p, s, hours) : pressure_awake(p, s, hours);
}

// How far S is past the threshold that ends the current state; >= 0 means switch.
double past_threshold(const TwoProcessParameters& p, double s, bool asleep, double clock_h) {
  return asleep ? lower_threshold(p, clock_h) - s : s - upper_threshold(p, clock_h);
}

// Advances a free-running state from `from_h` to `to_h` hours after local
// clock hour `clock_h`, switching where S meets a threshold, and calls
// on_switch(hours after clock_h, state after the switch) at each switch. A
// threshold is assumed to be crossed at most once in the interval, which
// advance_free() keeps to scan_step_h. After a switch S is the gap
// H0+ - H0- > 0 away from the next threshold, so the loop always moves on.
template <class OnSwitch>
TwoProcessState advance_interval(const TwoProcessParameters& p, TwoProcessState st, double clock_h, double from_h,
                                 double to_h, OnSwitch& on_switch) {
  while (true) {
    auto past = [&](double dt) {
      return past_threshold(p, evolve(p, st.pressure, st.asleep, dt), st.asleep, clock_h + from_h + dt);
    };
    const double left = to_h - from_h;
    double hit = 0;
    if (past(0) < 0) {
      if (past(left) < 0) {
        st.pressure = evolve(p, st.pressure, st.asleep, left);
        return st;
      }
      double lo = 0;  // past(lo) < 0 <= past(hit)
      hit = left;
      while (hit - lo > switch_tolerance_h) {
        const double mid = (lo + hit) / 2;
        (past(mid) < 0 ? lo : hit) = mid;
      }
    }
    st.pressure = evolve(p, st.pressure, st.asleep, hit);
    st.asleep = !st.asleep;
    from_h += hit;
    on_switch(from_h, st);
  }
}

// advance_interval() over `hours`, in pieces of at most scan_step_h so that no
// short bout hides inside one piece whatever the caller's step.
template <class OnSwitch>
TwoProcessState advance_free(const TwoProcessParameters& p, TwoProcessState st, double clock_h, double hours,
                             OnSwitch&& on_switch) {
  for (double done = 0; done < hours;) {
    const double next = std::min(hours, done + scan_step_h);
    st = advance_interval(p, st, clock_h, done, next, on_switch);
    done = next;
  }
  return st;
}

// Walks a sorted, non-overlapping schedule forward in time.
class ScheduleCursor {
 public:
  explicit ScheduleCursor(std::span<const SleepEpisode> schedule) : schedule_(schedule) {}

  // Times passed must not decrease between calls.
  bool asleep_at(Instant t) {
    while (next_ < schedule_.size() && schedule_[next_].offset <= t) ++next_;
    return next_ < schedule_.size() && schedule_[next_].onset <= t;
  }

  // The first instant after `t` where sleep starts or ends.
  Instant next_change(Instant t) {
    if (next_ == schedule_.size()) return Instant::max();
    return asleep_at(t) ? schedule_[next_].offset : schedule_[next_].onset;
  }

 private:
  std::span<const SleepEpisode> schedule_;
  std::size_t next_ = 0;
};

// S at `to` from S = `s` at `from`, asleep exactly as the schedule says.
double follow_schedule(const TwoProcessParameters& p, ScheduleCursor& cursor, double s, Instant from, Instant to) {
  while (from < to) {
    const bool asleep = cursor.asleep_at(from);
    const Instant until = std::min(to, cursor.next_change(from));
    s = evolve(p, s, asleep, hours_between(from, until));
    from = until;
  }
  return s;
}

TwoProcessPoint make_point(const TwoProcessParameters& p, const std::optional<HabitualCycle>& cycle, Instant t,
                           double clock_h, TwoProcessState st) {
  const double upper = upper_threshold(p, clock_h);
  return {t,
          st.asleep,
          st.pressure,
          upper,
          lower_threshold(p, clock_h),
          upper - st.pressure,
          cycle ? sleep_debt_h(p, *cycle, st.pressure, clock_h) : nan};
}

std::vector<SleepEpisode> episodes_in(std::span<const SleepEpisode> schedule, const SimulationGrid& grid) {
  std::vector<SleepEpisode> out;
  for (const auto& e : schedule)
    if (e.offset > grid.start && e.onset <= grid.end) out.push_back(e);
  return out;
}

TwoProcessTrajectory simulate_with(const TwoProcessParameters& p, const std::optional<HabitualCycle>& cycle,
                                   const TimeZoneHistory& zones, std::span<const SleepEpisode> schedule,
                                   double initial_pressure, const SimulationGrid& grid) {
  const std::int64_t n = grid_points(grid);
  require_pressure(p, initial_pressure);
  TwoProcessTrajectory out{{}, episodes_in(schedule, grid), cycle};
  out.points.reserve(static_cast<std::size_t>(n));
  ScheduleCursor cursor(schedule);
  double s = initial_pressure;
  for (std::int64_t i = 0; i < n; ++i) {
    const Instant t = grid.start + i * grid.step;
    if (i > 0) s = follow_schedule(p, cursor, s, t - grid.step, t);
    out.points.push_back(make_point(p, cycle, t, local_clock_h(t, zones), {s, cursor.asleep_at(t)}));
  }
  return out;
}

HabitualCycle require_cycle(const std::optional<HabitualCycle>& cycle) {
  if (!cycle)
    throw Error(
        "two-process: these parameters give no stable once-a-day sleep, so there is no habitual cycle to start "
        "from; fit them to the person (fit_two_process) first");
  return *cycle;
}

TwoProcessState state_with(const TwoProcessParameters& p, const HabitualCycle& cycle, const TimeZoneHistory& zones,
                           std::span<const SleepEpisode> history, Instant at) {
  if (history.empty() || at <= history.front().onset) {
    const double clock = local_clock_h(at, zones);
    return {habitual_pressure(p, cycle, clock), cycle.asleep_at(clock)};
  }
  // Until the first recorded sleep the person is taken to have been awake
  // since their habitual wake-up.
  const Instant begin = history.front().onset;
  const double awake_h = wrap_clock(local_clock_h(begin, zones) - cycle.offset_h);
  ScheduleCursor cursor(history);
  const double s = follow_schedule(p, cursor, pressure_awake(p, cycle.pressure_at_offset, awake_h), begin, at);
  return {s, cursor.asleep_at(at)};
}

// A clock-hour record of the free-running switches, used to find the cycle.
struct Switch {
  double time_h;
  double pressure;
};

// Whether the last two onsets and the offsets before them are 24 h apart.
bool settled(const std::vector<Switch>& onsets, const std::vector<Switch>& offsets) {
  const std::size_t n = onsets.size();
  if (n < 3 || offsets.size() < n - 1) return false;
  return std::abs(onsets[n - 1].time_h - onsets[n - 2].time_h - day_h) < cycle_tolerance_h &&
         std::abs(offsets[n - 2].time_h - offsets[n - 3].time_h - day_h) < cycle_tolerance_h;
}

// Night timing in local clock hours, the fit's data.
struct ClockNight {
  double onset_h;
  double offset_h;
  double length_h;
};

std::vector<ClockNight> clock_nights(std::span<const SleepEpisode> nights, const TimeZoneHistory& zones) {
  if (nights.size() < static_cast<std::size_t>(min_fit_nights))
    throw NotEnoughData(
        fmt::format("two-process fit needs at least {} nights, got {} (pass one main sleep episode per night)",
                    min_fit_nights, nights.size()));
  std::vector<ClockNight> out;
  for (std::size_t i = 0; i < nights.size(); ++i) {
    const double length = hours_between(nights[i].onset, nights[i].offset);
    if (!(length > 0 && length < day_h))
      throw Error(
          fmt::format("two-process fit: night {} does not last between 0 and 24 h; each night must end after it "
                      "starts and last less than 24 h",
                      i));
    out.push_back({local_clock_h(nights[i].onset, zones), local_clock_h(nights[i].offset, zones), length});
  }
  return out;
}

double circular_mean_h(const std::vector<double>& clock_h) {
  double x = 0, y = 0;
  for (double h : clock_h) {
    x += std::cos(2 * std::numbers::pi * h / day_h);
    y += std::sin(2 * std::numbers::pi * h / day_h);
  }
  return wrap_clock(std::atan2(y, x) * day_h / (2 * std::numbers::pi));
}

double root_mean_square(const std::vector<double>& r) {
  double sum = 0;
  for (double x : r) sum += x * x;
  return std::sqrt(sum / static_cast<double>(r.size()));
}

// The fitted family: start with a new phase and both threshold means shifted.
TwoProcessParameters with_fit(TwoProcessParameters p, double phase_h, double shift) {
  p.phase_h = phase_h;
  p.upper_mean += shift;
  p.lower_mean += shift;
  return p;
}

double sum_squared_residuals(const HabitualCycle& cycle, const std::vector<ClockNight>& nights) {
  double sum = 0;
  for (const auto& n : nights)
    sum += std::pow(clock_difference(n.onset_h - cycle.onset_h), 2) +
           std::pow(clock_difference(n.offset_h - cycle.offset_h), 2);
  return sum;
}

}  // namespace

void validate(const TwoProcessParameters& p) {
  auto finite = [](double x) { return std::isfinite(x); };
  require(finite(p.upper_asymptote) && p.upper_asymptote > 0,
          fmt::format("upper_asymptote must be a positive number, got {}", p.upper_asymptote));
  require(finite(p.tau_rise_h) && p.tau_rise_h > 0,
          fmt::format("tau_rise_h must be a positive number of hours, got {}", p.tau_rise_h));
  require(finite(p.tau_decay_h) && p.tau_decay_h > 0,
          fmt::format("tau_decay_h must be a positive number of hours, got {}", p.tau_decay_h));
  require(finite(p.lower_mean) && finite(p.upper_mean) && 0 < p.lower_mean && p.lower_mean < p.upper_mean &&
              p.upper_mean < p.upper_asymptote,
          fmt::format("need 0 < lower_mean < upper_mean < upper_asymptote, got {} / {} / {}", p.lower_mean,
                      p.upper_mean, p.upper_asymptote));
  require(finite(p.amplitude) && p.amplitude >= 0, fmt::format("amplitude must be a number >= 0, got {}", p.amplitude));
  require(finite(p.phase_h), "phase_h must be a finite number of hours");
  require(std::all_of(p.harmonics.begin(), p.harmonics.end(), finite), "harmonics must be finite numbers");
}

double circadian_drive(const TwoProcessParameters& p, double clock_h) {
  // sin(k x) by the recurrence sin((k+1)x) = 2 cos x sin(kx) - sin((k-1)x):
  // two library calls instead of five.
  const double x = 2 * std::numbers::pi * (clock_h - p.phase_h) / day_h;
  const double two_cos = 2 * std::cos(x);
  double previous = 0, current = std::sin(x), c = 0;
  for (double weight : p.harmonics) {
    c += weight * current;
    const double next = two_cos * current - previous;
    previous = current;
    current = next;
  }
  return c;
}

double upper_threshold(const TwoProcessParameters& p, double clock_h) {
  return p.upper_mean + p.amplitude * circadian_drive(p, clock_h);
}

double lower_threshold(const TwoProcessParameters& p, double clock_h) {
  return p.lower_mean + p.amplitude * circadian_drive(p, clock_h);
}

double pressure_awake(const TwoProcessParameters& p, double s0, double hours) {
  return p.upper_asymptote - (p.upper_asymptote - s0) * std::exp(-hours / p.tau_rise_h);
}

double pressure_asleep(const TwoProcessParameters& p, double s0, double hours) {
  return s0 * std::exp(-hours / p.tau_decay_h);
}

double HabitualCycle::sleep_h() const { return wrap_clock(offset_h - onset_h); }

bool HabitualCycle::asleep_at(double clock_h) const { return wrap_clock(clock_h - onset_h) < sleep_h(); }

std::optional<HabitualCycle> habitual_cycle(const TwoProcessParameters& p) {
  validate(p);
  // Start awake, midway between the thresholds, and follow the model until
  // its sleep repeats every 24 h; the initial state is forgotten on the way.
  TwoProcessState st{(p.upper_mean + p.lower_mean) / 2, false};
  std::vector<Switch> onsets, offsets;
  double last_switch_h = 0;
  const int steps = static_cast<int>(std::lround(max_cycle_days * day_h / scan_step_h));
  for (int i = 0; i < steps && !settled(onsets, offsets); ++i) {
    const double t = i * scan_step_h;
    if (t - last_switch_h > max_bout_h) return std::nullopt;
    st = advance_free(p, st, t, scan_step_h, [&](double dt, const TwoProcessState& now) {
      last_switch_h = t + dt;
      (now.asleep ? onsets : offsets).push_back({t + dt, now.pressure});
    });
  }
  if (!settled(onsets, offsets)) return std::nullopt;
  const Switch& onset = onsets[onsets.size() - 2];
  const Switch& offset = offsets[offsets.size() - 2];  // the wake-up after `onset`
  return HabitualCycle{wrap_clock(onset.time_h), wrap_clock(offset.time_h), onset.pressure, offset.pressure};
}

double habitual_pressure(const TwoProcessParameters& p, const HabitualCycle& cycle, double clock_h) {
  if (cycle.asleep_at(clock_h)) return pressure_asleep(p, cycle.pressure_at_onset, wrap_clock(clock_h - cycle.onset_h));
  return pressure_awake(p, cycle.pressure_at_offset, wrap_clock(clock_h - cycle.offset_h));
}

double sleep_debt_h(const TwoProcessParameters& p, const HabitualCycle& cycle, double pressure, double clock_h) {
  if (!(std::isfinite(pressure) && pressure > 0))
    throw Error(fmt::format("two-process: sleep debt needs a positive sleep pressure S, got {}", pressure));
  return p.tau_decay_h * std::log(pressure / habitual_pressure(p, cycle, clock_h));
}

TwoProcessTrajectory simulate_schedule(const TwoProcessParameters& p, const TimeZoneHistory& zones,
                                       std::span<const SleepEpisode> schedule, double initial_pressure,
                                       const SimulationGrid& grid) {
  validate_episodes(schedule, "schedule");
  return simulate_with(p, habitual_cycle(p), zones, schedule, initial_pressure, grid);
}

TwoProcessTrajectory simulate_free_running(const TwoProcessParameters& p, const TimeZoneHistory& zones,
                                           TwoProcessState initial, const SimulationGrid& grid) {
  validate(p);
  const std::int64_t n = grid_points(grid);
  require_pressure(p, initial.pressure);
  TwoProcessTrajectory out{{}, {}, habitual_cycle(p)};
  out.points.reserve(static_cast<std::size_t>(n));
  Instant onset = grid.start;  // of the sleep in progress, when asleep
  TwoProcessState st = initial;
  const double step_h = to_hours(grid.step);
  for (std::int64_t i = 0; i < n; ++i) {
    const Instant t = grid.start + i * grid.step;
    const double clock = local_clock_h(t, zones);
    out.points.push_back(make_point(p, out.habitual, t, clock, st));
    if (i + 1 == n) break;
    st = advance_free(p, st, clock, step_h, [&](double dt, const TwoProcessState& now) {
      const Instant at = t + hours_to_ms(dt);
      if (now.asleep) {
        onset = at;
      } else {
        out.sleeps.push_back(make_episode(onset, at));
      }
    });
  }
  // A sleep still going at the end of the window is cut there.
  if (st.asleep && onset < out.points.back().time) out.sleeps.push_back(make_episode(onset, out.points.back().time));
  return out;
}

TwoProcessState state_after(const TwoProcessParameters& p, const TimeZoneHistory& zones,
                            std::span<const SleepEpisode> history, Instant at) {
  validate_episodes(history, "history");
  return state_with(p, require_cycle(habitual_cycle(p)), zones, history, at);
}

TwoProcessTrajectory simulate_scenario(const TwoProcessParameters& p, const TimeZoneHistory& zones,
                                       std::span<const SleepEpisode> history, std::span<const SleepEpisode> plan,
                                       const SimulationGrid& grid) {
  std::vector<SleepEpisode> schedule(history.begin(), history.end());
  schedule.insert(schedule.end(), plan.begin(), plan.end());
  validate_episodes(schedule, "history and plan");
  const auto cycle = habitual_cycle(p);
  const double s0 = state_with(p, require_cycle(cycle), zones, schedule, grid.start).pressure;
  return simulate_with(p, cycle, zones, schedule, s0, grid);
}

TwoProcessFit fit_two_process(std::span<const SleepEpisode> nights, const TimeZoneHistory& zones,
                              const TwoProcessParameters& start) {
  const auto observed = clock_nights(nights, zones);
  const HabitualCycle prior = require_cycle(habitual_cycle(start));

  // Phase moves the timing about hour for hour, so start it where the prior's
  // mid-sleep lands on the person's circular mean mid-sleep.
  std::vector<double> mids;
  for (const auto& n : observed) mids.push_back(n.onset_h + n.length_h / 2);
  const double phase0 = start.phase_h + clock_difference(circular_mean_h(mids) - (prior.onset_h + prior.sleep_h() / 2));

  // Worse than any feasible fit: no residual exceeds 12 h.
  const double infeasible = 2 * static_cast<double>(observed.size()) * 144 + 1;
  int evaluations = 0;
  auto objective = [&](const std::vector<double>& x) {
    ++evaluations;
    const auto cycle = habitual_cycle(with_fit(start, x[0], x[1]));
    return cycle ? sum_squared_residuals(*cycle, observed) : infeasible;
  };

  nlopt::opt opt(nlopt::LN_BOBYQA, 2);
  // Phase within 6 h of the start (the start is within about 1 h of the
  // answer). The threshold shift spans about 3.5-11.5 h habitual sleep with
  // the default gap (about -23 h of sleep per unit of shift) while keeping
  // both means inside (0, mu).
  const double shift_lo = std::max(-0.15, 0.01 * start.upper_asymptote - start.lower_mean);
  const double shift_hi = std::min(0.20, 0.99 * start.upper_asymptote - start.upper_mean);
  if (shift_lo > shift_hi)
    throw Error("two-process fit: the starting thresholds leave no room to fit their level; start from the defaults");
  opt.set_lower_bounds({phase0 - 6, shift_lo});
  opt.set_upper_bounds({phase0 + 6, shift_hi});
  opt.set_initial_step({1.0, 0.02});
  opt.set_min_objective([](const std::vector<double>& x, std::vector<double>&,
                           void* data) { return (*static_cast<decltype(objective)*>(data))(x); },
                        &objective);
  opt.set_xtol_abs({1e-5, 1e-7});  // 0.04 s of phase; 1e-7 S units of level
  opt.set_maxeval(500);
  std::vector<double> x{phase0, std::clamp(0.0, shift_lo, shift_hi)};
  double best = 0;
  try {
    opt.optimize(x, best);
  } catch (const nlopt::roundoff_limited&) {
    // BOBYQA stopped on rounding: x holds the best point it reached.
  } catch (const std::runtime_error& e) {
    throw Error(fmt::format("two-process fit: the optimiser failed ({})", e.what()));
  }

  TwoProcessFit fit;
  fit.parameters = with_fit(start, wrap_clock(x[0]), x[1]);
  const auto cycle = habitual_cycle(fit.parameters);
  if (!cycle)
    throw Error(
        "two-process fit: no parameters give a once-a-day sleep matching these nights; pass one main sleep per "
        "night (main_sleep_per_day), without naps or shift-work days");
  fit.habitual = *cycle;
  for (const auto& n : observed) {
    fit.onset_residuals_h.push_back(clock_difference(n.onset_h - cycle->onset_h));
    fit.offset_residuals_h.push_back(clock_difference(n.offset_h - cycle->offset_h));
  }
  fit.onset_rms_h = root_mean_square(fit.onset_residuals_h);
  fit.offset_rms_h = root_mean_square(fit.offset_residuals_h);
  fit.evaluations = evaluations;
  return fit;
}

}  // namespace medtwin::sleep

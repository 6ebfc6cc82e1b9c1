// The two-process model of sleep regulation (Borbély 1982, Hum Neurobiol
// 1:195; Daan, Beersma & Borbély 1984, Am J Physiol 246:R161): homeostatic
// sleep pressure S rises while awake and decays while asleep; sleep starts when
// S reaches an upper threshold H(t) and ends when it falls to a lower threshold
// L(t), both modulated by the circadian process C on the person's local clock.
//
// Use: fit_two_process() on a person's main sleep episodes (>= 7 nights) gives
// their parameters and habitual (free-running) sleep timing; simulate_scenario()
// then predicts S, alertness and sleep debt for a planned schedule, starting
// from the S their recent sleep left them with. Everything runs on UTC
// instants; only the circadian phase reads the local clock (TimeZoneHistory).
// Model card: docs/models/two_process.md.
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <span>
#include <vector>

#include "medtwin/core/time.hpp"
#include "medtwin/sleep/episodes.hpp"

namespace medtwin::sleep {

// Fixed parameters. S is dimensionless, in units of its upper asymptote.
// Defaults: Daan et al. 1984, as tabulated by Skeldon, Dijk & Derks 2014 (PLoS
// ONE 9:e103877) and npj Biol Timing Sleep 2025 (doi:10.1038/s44323-025-
// 00039-z, Fig. 1), and Borbély & Achermann 1999 (J Biol Rhythms 14:559) for
// the shape and phase of C. Only phase_h and the threshold level are fitted.
struct TwoProcessParameters {
  double upper_asymptote = 1.0;  // mu (S units): level S rises towards while awake
  double tau_rise_h = 18.2;      // chi_w (h): time constant of the rise while awake (Daan 1984)
  double tau_decay_h = 4.2;      // chi_s (h): time constant of the decay while asleep (Daan 1984)
  double upper_mean = 0.67;      // H0+ (S units): mean sleep-onset threshold (Daan 1984)
  double lower_mean = 0.17;      // H0- (S units): mean wake-up threshold (Daan 1984)
  double amplitude = 0.12;       // a (S units): circadian amplitude of both thresholds (Daan 1984)
  double phase_h = 8.6;          // t0 (local clock h): phase of C (Daan 1984 via Borbély & Achermann 1999)
  // Fourier weights b_k of C(t) = sum_k b_k sin(k w (t - t0)), w = 2 pi / 24 h:
  // the skewed sine of Daan 1984 as written by Borbély & Achermann 1999.
  // {1, 0, 0, 0, 0} gives a plain sinusoid.
  std::array<double, 5> harmonics{0.97, 0.22, 0.07, 0.03, 0.001};
};

// Throws medtwin::Error naming the first parameter that is not usable
// (non-finite, non-positive time constant, thresholds not inside (0, mu)).
void validate(const TwoProcessParameters& p);

// Circadian process C at local clock hour `clock_h` (dimensionless, about [-1, 1]).
double circadian_drive(const TwoProcessParameters& p, double clock_h);
// H(t) = H0+ + a C(t) and L(t) = H0- + a C(t), in S units.
double upper_threshold(const TwoProcessParameters& p, double clock_h);
double lower_threshold(const TwoProcessParameters& p, double clock_h);

// Closed-form S after `hours` of wake (mu - (mu - S0) e^(-t/chi_w)) or of
// sleep (S0 e^(-t/chi_s)) from S0 (Daan 1984, eqs. for the rise and decay).
double pressure_awake(const TwoProcessParameters& p, double s0, double hours);
double pressure_asleep(const TwoProcessParameters& p, double s0, double hours);

// The model's own once-a-day sleep when nothing imposes a schedule: the
// periodic solution it settles into, in local clock hours. This is the
// person's habitual timing and sleep need as the model sees it.
struct HabitualCycle {
  double onset_h = 0;             // local clock hour of spontaneous sleep onset, [0, 24)
  double offset_h = 0;            // local clock hour of spontaneous wake-up, [0, 24)
  double pressure_at_onset = 0;   // S at onset (= H there), S units
  double pressure_at_offset = 0;  // S at wake-up (= L there), S units
  double sleep_h() const;         // habitual sleep length (h): the sleep need
  bool asleep_at(double clock_h) const;
};

// Empty when the parameters give no stable cycle of one sleep per 24 h (S
// never reaches H, several sleeps a day, or timing that drifts).
std::optional<HabitualCycle> habitual_cycle(const TwoProcessParameters& p);

// S on the habitual cycle at local clock hour `clock_h` (closed form).
double habitual_pressure(const TwoProcessParameters& p, const HabitualCycle& cycle, double clock_h);

// Sleep debt (h): the sleep that, at the model's decay rate, would bring S
// from `pressure` down to where the habitual cycle has it at this clock hour,
// chi_s ln(S / S_habitual). Negative: a surplus (e.g. after a nap).
double sleep_debt_h(const TwoProcessParameters& p, const HabitualCycle& cycle, double pressure, double clock_h);

struct TwoProcessState {
  double pressure = 0;  // S (S units), in (0, mu]
  bool asleep = false;
};

// A regular time grid [start, end], both ends included when they fall on a step.
struct SimulationGrid {
  Instant start;
  Instant end;
  std::chrono::minutes step{5};
};

struct TwoProcessPoint {
  Instant time;
  bool asleep = false;
  double pressure = 0;   // S (S units)
  double upper = 0;      // H(t) (S units)
  double lower = 0;      // L(t) (S units)
  double alertness = 0;  // H(t) - S(t) (S units): margin before the model falls asleep; < 0 = kept awake past it
  double debt_h = 0;     // sleep_debt_h(); NaN when `habitual` is empty
};

struct TwoProcessTrajectory {
  std::vector<TwoProcessPoint> points;    // one per grid instant
  std::vector<SleepEpisode> sleeps;       // the sleep in the window: planned, or the model's own when free-running
  std::optional<HabitualCycle> habitual;  // the reference of debt_h
};

// S driven by a fixed schedule: asleep exactly inside the `schedule`'s
// [onset, offset) episodes (sorted, non-overlapping), awake elsewhere, however
// high S gets. Cost O(grid points + episodes).
TwoProcessTrajectory simulate_schedule(const TwoProcessParameters& p, const TimeZoneHistory& zones,
                                       std::span<const SleepEpisode> schedule, double initial_pressure,
                                       const SimulationGrid& grid);

// The model decides: sleep starts where S reaches H and ends where it falls to
// L (switch instants found to < 1 s inside each step). Cost O(grid points).
TwoProcessTrajectory simulate_free_running(const TwoProcessParameters& p, const TimeZoneHistory& zones,
                                           TwoProcessState initial, const SimulationGrid& grid);

// The state at `at` after the person's actual sleep `history` (sorted,
// non-overlapping). Before the first episode they are taken to be on their
// habitual cycle; S forgets that start by a factor ~0.06 per day.
TwoProcessState state_after(const TwoProcessParameters& p, const TimeZoneHistory& zones,
                            std::span<const SleepEpisode> history, Instant at);

// A scenario: S at grid.start from `history`, then the `plan` (sorted,
// non-overlapping, after the history) imposed as in simulate_schedule.
TwoProcessTrajectory simulate_scenario(const TwoProcessParameters& p, const TimeZoneHistory& zones,
                                       std::span<const SleepEpisode> history, std::span<const SleepEpisode> plan,
                                       const SimulationGrid& grid);

inline constexpr int min_fit_nights = 7;

// A person's fitted twin. Residuals are observed minus predicted local clock
// hours, wrapped to [-12, 12), one per night in input order.
struct TwoProcessFit {
  TwoProcessParameters parameters;
  HabitualCycle habitual;
  std::vector<double> onset_residuals_h;
  std::vector<double> offset_residuals_h;
  double onset_rms_h = 0;
  double offset_rms_h = 0;
  int evaluations = 0;  // objective evaluations used by the optimiser
};

// Fits the circadian phase t0 and a common shift of both threshold means (their
// gap, the amplitude and the time constants stay as in `start`) so that the
// habitual cycle's onset and offset match the person's main sleep `nights`
// (one episode per night, e.g. main_sleep_per_day()) by least squares on local
// clock times (NLopt LN_BOBYQA, bounded). Throws NotEnoughData below
// min_fit_nights nights and Error for episodes that end before they start.
TwoProcessFit fit_two_process(std::span<const SleepEpisode> nights, const TimeZoneHistory& zones,
                              const TwoProcessParameters& start = {});

}  // namespace medtwin::sleep

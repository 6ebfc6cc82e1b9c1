// Regularity of sleep and of daily rhythms:
// - Sleep Regularity Index (Phillips et al. 2017, Sci Rep 7:3216): how often
//   the sleep/wake state is the same 24 h apart, scaled to −100 … 100.
// - Social jet lag (Wittmann et al. 2006, Chronobiol Int 23:497): the gap
//   between mid-sleep on free days and on work days, on the local clock.
// - Cosinor (Nelson et al. 1979, Chronobiologia 6:305; Cornelissen 2014,
//   Theor Biol Med Model 11:16): least-squares y = M + A cos(2π t / 24 h + φ)
//   on the local clock, with the zero-amplitude F-test.
#pragma once

#include <chrono>
#include <span>
#include <vector>

#include "medtwin/core/time.hpp"
#include "medtwin/sleep/activity.hpp"
#include "medtwin/sleep/episodes.hpp"
#include "medtwin/sleep/scoring.hpp"

namespace medtwin::sleep {

// SRI = 200 × P(same state at t and t + 24 h) − 100 over all pairs whose two
// epochs are known (elapsed 24 h, so a DST night compares UTC-24-h-apart
// epochs). 100: the same schedule every day; ≈ 0: states at random.
// Needs an epoch dividing one hour, 2 days of states and ≥ 12 h of pairs
// whose two states are both known.
double sleep_regularity_index(const SleepWakeSeries& scored);

struct SocialJetLagOptions {
  // Days without work; a night counts as free when the local day it ends on
  // (the wake-up day) is one of these: Friday and Saturday nights by default.
  std::vector<std::chrono::weekday> free_days{std::chrono::Saturday, std::chrono::Sunday};
};

struct SocialJetLag {
  double hours = 0;                            // |MSF − MSW| on the 24-h circle, in [0, 12]
  std::chrono::milliseconds mid_sleep_free{};  // circular mean local clock time of mid-sleep, free nights
  std::chrono::milliseconds mid_sleep_work{};  // … work nights
  std::size_t free_nights = 0, work_nights = 0;
};

// From sleep episodes (typically main_sleep_per_day): the mid-sleep of each is
// the instant halfway between onset and offset, read on the local clock;
// times are averaged on the 24-h circle, so 23:30 and 00:30 average to 00:00.
// Needs at least one free and one work night.
SocialJetLag social_jet_lag(std::span<const SleepEpisode> episodes, const TimeZoneHistory& zones,
                            const SocialJetLagOptions& options = {});

struct CosinorFit {
  double mesor = 0;                        // M, in the values' unit
  double amplitude = 0;                    // A ≥ 0, in the values' unit
  std::chrono::milliseconds acrophase{};   // local clock time of the fitted peak, in [0, 24 h)
  double r_squared = 0;                    // 1 − SSE / SST
  double f_statistic = 0;                  // ((SST − SSE) / 2) / (SSE / (n − 3))
  double p_value = 0;                      // P(F(2, n − 3) > f): zero-amplitude test
  std::size_t n = 0;                       // values used
};

// Fits values at instants (t = their local clock time). Needs ≥ 4 finite
// values at ≥ 3 distinct clock times that are not all equal.
CosinorFit fit_cosinor(std::span<const Instant> times, std::span<const double> values, const TimeZoneHistory& zones);

// The same on every non-missing epoch of an activity series (t = epoch start).
CosinorFit fit_cosinor(const ActivitySeries& series, const TimeZoneHistory& zones);

}  // namespace medtwin::sleep

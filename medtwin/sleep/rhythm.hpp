// Nonparametric circadian rhythm metrics of an activity series:
// interdaily stability (IS) and intradaily variability (IV) after Witting et
// al. 1990 (Biol Psychiatry 27:563) and Van Someren et al. 1999 (Chronobiol
// Int 16:505); L5 and M10 (least active 5 h, most active 10 h of the average
// day, with their local clock start) and relative amplitude RA = (M10 − L5) /
// (M10 + L5) (Van Someren et al. 1999). Conventions and validation against
// pyActigraphy: docs/models/actigraphy.md.
#pragma once

#include <chrono>
#include <vector>

#include "medtwin/core/time.hpp"
#include "medtwin/sleep/activity.hpp"

namespace medtwin::sleep {

// Which variance formulas IS and IV use. Both bin the series into sums over
// `RhythmOptions::bin`, the bins anchored at the first epoch.
enum class RhythmFormula {
  // The published formulas (the default medtwin reports):
  //   IS = n Σ_h (x̄_h − x̄)² / (p Σ_i (x_i − x̄)²)
  //   IV = n Σ_i (x_i − x_{i−1})² / ((n − 1) Σ_i (x_i − x̄)²)
  // on complete bins only (a bin with a missing epoch, or cut short by the
  // end of the recording, is left out).
  classical,
  // pyActigraphy's: sample variances (ddof = 1) of the hourly profile
  // (around its own mean) and of the bins; IV without the n/(n − 1) factor;
  // a bin holds the sum of whatever epochs it has, the last partial bin too.
  pyactigraphy,
};

struct RhythmOptions {
  std::chrono::minutes bin{60};  // IS/IV resampling (sum); a multiple of the epoch dividing 24 h
  RhythmFormula formula = RhythmFormula::classical;
};

// IS in [0, 1]: how alike the days are. Needs ≥ 2 days of data.
double interdaily_stability(const ActivitySeries& series, const TimeZoneHistory& zones, const RhythmOptions& options = {});

// IV (≈ 0 for a sine wave, ≈ 2 for white noise): fragmentation from bin to
// bin. Needs ≥ 1 day of data.
double intradaily_variability(const ActivitySeries& series, const RhythmOptions& options = {});

// The mean activity of each epoch-long slot of the local day (slot k starts
// at k × epoch after local midnight), averaged over the days that have it;
// NaN for a slot no day has.
std::vector<double> average_day(const ActivitySeries& series, const TimeZoneHistory& zones);

struct ActivityWindow {
  double mean = 0;                    // mean activity per epoch inside the window, in the series' unit
  std::chrono::milliseconds start{};  // local clock time of its first epoch, since local midnight
};

// The least (L5: length 5 h) or most (M10: 10 h) active window of the average
// day, wrapping past midnight, at the series' own epoch. Ties (window sums
// equal to 1e-12 relative) go to the earliest start after local midnight.
// Needs ≥ 1 day of data and every slot of the average day covered.
ActivityWindow least_active_window(const ActivitySeries& series, const TimeZoneHistory& zones,
                                   std::chrono::minutes length = std::chrono::hours(5));
ActivityWindow most_active_window(const ActivitySeries& series, const TimeZoneHistory& zones,
                                  std::chrono::minutes length = std::chrono::hours(10));

// RA = (M10 − L5) / (M10 + L5), in [0, 1].
double relative_amplitude(const ActivityWindow& l5, const ActivityWindow& m10);

struct NonparametricRhythm {
  double is = 0, iv = 0;
  ActivityWindow l5, m10;
  double ra = 0;
};

NonparametricRhythm nonparametric_rhythm(const ActivitySeries& series, const TimeZoneHistory& zones,
                                         const RhythmOptions& options = {});

}  // namespace medtwin::sleep

// Activity on a regular epoch grid — the input of the rhythm metrics
// (rhythm.hpp: Witting et al. 1990, Van Someren et al. 1999), sleep/wake
// scoring (scoring.hpp: Cole et al. 1992, Sadeh et al. 1994) and the cosinor
// (regularity.hpp). Built from an actigraphy Signal or from interval
// observations such as per-minute steps. Clock-time binning always uses the
// person's local time (TimeZoneHistory), never UTC.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "medtwin/core/daily.hpp"
#include "medtwin/core/records.hpp"
#include "medtwin/core/time.hpp"

namespace medtwin::sleep {

struct ActivitySeries {
  Instant start;                                             // UTC start of epoch 0
  std::chrono::milliseconds epoch{std::chrono::minutes(1)};  // length of every epoch
  std::vector<double> counts;  // activity per epoch (device counts, steps, …, ≥ 0); NaN = missing

  Instant time_of(std::size_t i) const { return start + epoch * static_cast<std::int64_t>(i); }
};

// Throws medtwin::Error unless `series` can feed metric `what` ("IS", "L5"…):
// at least one epoch, not all missing, an epoch that divides one hour, and
// finite non-negative counts where present.
void check_series(const ActivitySeries& series, std::string_view what);

// Non-missing epochs × epoch length, in days.
double covered_days(const ActivitySeries& series);

// Throws, naming `what`, when `series` covers fewer than `min_days` days.
void require_days(const ActivitySeries& series, double min_days, std::string_view what);

// Channel 0 (activity counts per epoch) of a Signal of kind "actigraphy"
// (io/actigraphy.hpp); NaN samples stay missing.
ActivitySeries activity_from_signal(const Signal& signal);

struct GridOptions {
  std::chrono::milliseconds epoch{std::chrono::minutes(1)};  // grid epoch; must divide one hour
  // Epochs that no observation touches: missing (NaN) by default. Sources
  // that only record movement (Apple Health steps) mean "no steps" by a gap:
  // set true for those.
  bool gaps_are_zero = false;
};

// Interval observations of one numeric metric (steps per minute, …) on a
// grid aligned to multiples of the epoch since the Unix epoch: each value is
// spread over the epochs it overlaps in proportion to the overlap (so sums
// are kept); a point observation goes to the epoch holding it. Overlapping
// observations add up: pass one source.
ActivitySeries activity_from_observations(std::span<const Observation> observations, const GridOptions& options = {});

// 1 where count > threshold, else 0; missing stays missing (the "x > 4"
// binarisation pyActigraphy applies before IS/IV/L5/M10).
ActivitySeries binarize(const ActivitySeries& series, double threshold);


}  // namespace medtwin::sleep

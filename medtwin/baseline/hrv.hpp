// Beat-to-beat intervals to clean successive differences, the raw material
// of RMSSD: pairs of intervals that are both physiological, neighbours in time
// (a missing beat breaks the chain) and that change by no more than the
// common 20 % rule (Malik et al. 1989) — ectopic beats and artefacts fail it.
#pragma once

#include <span>
#include <vector>

#include "medtwin/core/time.hpp"

namespace medtwin::baseline {

// A point sample of a series.
struct TimedValue {
  Instant time;
  double value;
};

struct RrRules {
  double min_rr_ms = 300, max_rr_ms = 2000;  // 200 and 30 beats/min
  double max_successive_change = 0.2;        // |ΔRR| / RR of the first beat
};

struct SuccessiveDifference {
  Instant time;           // of the second beat
  double squared_ms2 = 0; // (RR_i − RR_{i−1})², ms²
};

// In time order. `rr`: one interval (ms) per beat, stamped at the beat that
// ends it, any order; non-finite values throw medtwin::Error.
std::vector<SuccessiveDifference> clean_successive_differences(std::span<const TimedValue> rr,
                                                               const RrRules& rules = {});

}  // namespace medtwin::baseline

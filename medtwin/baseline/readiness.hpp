// Readiness: an open recovery score 0-100 built from parts (HRV, resting
// heart rate, last night's sleep, sleep debt, training-load balance,
// temperature), each shown with its contribution in points and a sentence.
// The weights and breakpoints are a documented design choice informed by the
// literature (HRV-guided training: Plews et al. 2013, Buchheit 2014; sleep
// need 7-9 h: Hirshkowitz et al. 2015; acute:chronic load: Gabbett 2016),
// not a validated clinical score. Model card: docs/models/readiness.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace medtwin::baseline {

// This morning's inputs; every part is optional.
struct ReadinessInputs {
  std::optional<double> hrv_z;                    // (ln RMSSD - personal baseline) / baseline SD; higher is better
  std::optional<double> resting_hr_z;             // (resting HR - baseline) / baseline SD; lower is better
  std::optional<double> sleep_hours;              // last night's sleep, h
  double sleep_need_hours = 8;                    // the person's need, h (8: middle of the NSF 7-9 h, Hirshkowitz 2015)
  std::optional<double> sleep_debt_hours;         // sum over the last 7 nights of (need - slept), h
  std::optional<double> acute_chronic_ratio;      // LoadState::acwr up to yesterday, dimensionless
  std::optional<double> temperature_deviation_c;  // last night's temperature - personal baseline, degrees C
};

enum class ReadinessPart { hrv, resting_hr, sleep, sleep_debt, training_load, temperature };
std::string_view to_string(ReadinessPart part);

// A breakpoint of a part's goodness curve: at input x the part scores
// `goodness` (-1 worst, 0 neutral, +1 best); linear between breakpoints,
// flat beyond the first and last.
struct Knot {
  double x;
  double goodness;
};

struct PartModel {
  double weight;            // relative weight, > 0
  std::vector<Knot> knots;  // x strictly increasing, goodness in [-1, 1], monotone
};

// Fixed parameters (sources and reasoning in the model card).
struct ReadinessParameters {
  double centre = 70;  // score of a day with every part neutral, points (0..100 exclusive)
  // HRV z: within +-0.5 SD (the smallest worthwhile change, Plews et al. 2013) is neutral; 2 SD saturates.
  PartModel hrv{30, {{-2, -1}, {-0.5, 0}, {0.5, 0}, {2, 1}}};
  // Resting HR z: the same curve, mirrored (a raised resting HR is the bad sign, Buchheit 2014).
  PartModel resting_hr{15, {{-2, 1}, {-0.5, 0}, {0.5, 0}, {2, -1}}};
  // Sleep minus need, h: meeting the need is best; 1 h short (7 h for an 8 h need, the
  // NSF lower bound) neutral; 2 h short (6 h, "not recommended", Hirshkowitz 2015) worst.
  PartModel sleep{20, {{-2, -1}, {-1, 0}, {0, 1}}};
  // Sleep debt over 7 nights, h: none is best, 2 h (~17 min a night) neutral, 7 h (1 h a night) worst.
  PartModel sleep_debt{10, {{0, 1}, {2, 0}, {7, -1}}};
  // Acute:chronic ratio: <= 0.8 fresh, 1.3 the top of the "sweet spot" (neutral), 2.0 worst (Gabbett 2016).
  PartModel training_load{15, {{0.8, 1}, {1.3, 0}, {2.0, -1}}};
  // Temperature rise, degrees C: up to 0.2 neutral, 0.5 half (a warning sign), 1.0 (fever-like) worst.
  PartModel temperature{10, {{0.2, 0}, {0.5, -0.5}, {1.0, -1}}};
};

struct ReadinessContribution {
  ReadinessPart part;
  double input = 0;      // the input value, in its unit (see ReadinessInputs)
  double goodness = 0;   // -1..1
  double points = 0;     // signed points this part adds to the centre, after renormalisation
  std::string sentence;  // "HRV 1.2 SD below your baseline: -9.8"
};

struct Readiness {
  double score = 0;                                  // 0..100 = centre + sum of contributions' points
  double confidence = 0;                             // share of the total weight whose part was present, 0..1
  std::vector<ReadinessContribution> contributions;  // parts present, in ReadinessPart order
  std::vector<ReadinessPart> missing;                // parts absent
};

// Each present part i with weight w_i and goodness g_i adds
//   points_i = (w_i / W_present) * g_i * (g_i >= 0 ? 100 - centre : centre),
// so the score stays in [0, 100] whichever parts are present, and a person
// with only sleep still gets a score (with a lower confidence). Throws
// NotEnoughData when no part is present, medtwin::Error when an input is not
// a finite number in its range.
Readiness readiness(const ReadinessInputs& inputs, const ReadinessParameters& params = {});

}  // namespace medtwin::baseline

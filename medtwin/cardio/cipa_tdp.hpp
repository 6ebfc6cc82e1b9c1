// The CiPA in-silico torsade de pointes (TdP) risk assessment: a drug's block
// (drug.hpp) applied to the endocardial ORd-CiPA myocyte paced at a cycle
// length of 2000 ms at 1, 2, 3 and 4 × its free Cmax; qNet of each dose
// (Dutta et al. 2017, Front Physiol 8:616, Eq. 1), the torsade metric score
// = mean qNet over the doses, and the risk class from the two thresholds of
// Li et al. 2019 (Clin Pharmacol Ther 105:466–475, "Assessment of an In Silico
// Mechanistic Model for Proarrhythmia Risk Prediction Under the CiPA
// Initiative"). Class probabilities count the classes of parameter samples
// (e.g. bootstrap IC50 samples, Chang et al. 2017, Front Physiol 8:917).
// Pure computation; the doses (and samples) may run on several threads.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "medtwin/cardio/drug.hpp"
#include "medtwin/cardio/ord_pacing.hpp"

namespace medtwin::cardio {

// How each dose is simulated. Defaults: the CiPA protocol (FDA/CiPA
// AP_simulation, used by Li et al. 2017 and 2019): CL 2000 ms, 1000 beats from
// the control steady state with the drug added, EADs looked for in the last
// 250 beats. qNet is that of the last beat (CiPA takes the beat of the last
// 250 with the largest dV/dt during repolarisation; without EADs these beats
// are identical at steady state).
struct CipaProtocol {
  PacingProtocol pacing{2000, -80, 0.5};  // ms, µA/µF, ms
  int beats = 1000;
  int analysed_beats = 250;
  OrdIntegration integration = RushLarsenOptions{};
};

struct TracePoint {
  double t_ms = 0;  // from the stimulus onset
  double v_mv = 0;
};

struct DoseResult {
  double concentration_nm = 0;
  // APD90, APD50, qNet (C/F = µC/µF) … of the analysed beat CiPA keeps: the
  // one with the largest repolarisation dV/dt (ord_pacing.hpp), i.e. the
  // worst EAD, else the beat closest to one.
  BeatMetrics beat;
  bool ead = false;               // an EAD in any analysed beat (ord_pacing.hpp criterion)
  bool repolarised = true;        // every analysed beat repolarised to 90 % (APD90 defined)
  std::vector<TracePoint> trace;  // V of that beat, at least 0.5 ms apart
};

// Paces `initial` (the control steady state; ord::D is set here) with `drug`
// at `concentration_nm` for protocol.beats beats.
// CiPA's choice among the analysed beats: the candidate replaces the kept
// beat when its repolarisation dV/dt is larger; a depolarisation failure (NaN)
// ranks below every other beat, so it is kept only when every beat failed (the
// first of them); ties keep the earlier beat, as CiPA's which.max does.
bool replaces_kept_beat(const BeatMetrics& candidate, const BeatMetrics& kept);

DoseResult simulate_dose(const OrdParams& base, const OrdState& initial, const Drug& drug, double concentration_nm,
                         const CipaProtocol& protocol);

enum class TdpRisk { low = 0, intermediate = 1, high = 2 };  // CiPA category codes 0, 1, 2
std::string_view to_string(TdpRisk risk);

// Torsade metric score thresholds, µC/µF (qNet unit): a lower qNet is a
// higher risk. Li et al. 2019 (thresholds from ordinal logistic regression of
// the 12 training drugs' TMS): TMS < high_below is high risk, TMS > low_above
// is low risk, in between intermediate. The two values were not checked
// against the paper's text in this work (docs/models/cipa_drug_block.md,
// "Unsure"): verify before relying on them.
struct TdpThresholds {
  double high_below = 0.0579;  // Threshold 1 (high / intermediate), µC/µF
  double low_above = 0.0689;   // Threshold 2 (intermediate / low), µC/µF
};

struct TdpAssessment {
  double metric = 0;  // torsade metric score: mean qNet over the doses, µC/µF
  TdpRisk risk = TdpRisk::low;
  bool ead = false;  // some dose had an EAD or failed to repolarise: high risk whatever the metric
};

// The metric and class of a drug's doses (at least one). A dose with an EAD or
// a repolarisation failure makes the drug high risk (FDA/CiPA
// LOOCV/mycompute_TdP_error.R: samples whose metrics are undefined because of
// repolarisation failure are assigned to high risk).
TdpAssessment classify_tdp(std::span<const DoseResult> doses, const TdpThresholds& thresholds = {});

struct RiskProbabilities {
  double low = 0, intermediate = 0, high = 0;  // fractions of the samples
  std::size_t samples = 0;
};
// Fractions of each class among the samples' classes (at least one).
RiskProbabilities risk_probabilities(std::span<const TdpRisk> classes);

struct CipaRequest {
  std::vector<double> dose_multiples{1, 2, 3, 4};  // × Cmax (Li et al. 2019)
  CipaProtocol protocol;
  TdpThresholds thresholds;
  int threads = 2;  // simulations run at once (each dose is independent)
  // Called after each dose, from the thread that simulated it (so it must be
  // thread-safe): progress, or a cancellation, since an exception it throws
  // stops the doses not yet started and is rethrown.
  std::function<void()> after_each_dose = {};
};

struct CipaResult {
  std::vector<double> dose_multiples;
  std::vector<DoseResult> doses;  // one per multiple
  TdpAssessment assessment;
  std::vector<std::string> notes;  // drug_notes
};

// The assessment of one drug; it needs drug.cmax_nm. Throws medtwin::Error on
// a bad drug, request or a simulation that fails.
CipaResult assess_tdp_risk(const OrdParams& base, const OrdState& initial, const Drug& drug,
                           const CipaRequest& request);

// The class of every sample (each a complete Drug, e.g. one bootstrap draw of
// the IC50s and binding parameters) and their fractions. The doses are given
// as multiples of each sample's Cmax.
struct SampledRisk {
  std::vector<TdpAssessment> samples;
  RiskProbabilities probabilities;
};
SampledRisk assess_tdp_risk_samples(const OrdParams& base, const OrdState& initial, std::span<const Drug> samples,
                                    const CipaRequest& request);

}  // namespace medtwin::cardio

#include "medtwin/cardio/cipa_tdp.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "medtwin/core/error.hpp"
#include "medtwin/core/parallel.hpp"

namespace medtwin::cardio {
namespace {

constexpr double kTraceSpacing = 0.5;  // ms between kept trace points: enough for a plot
constexpr double kInfinity = std::numeric_limits<double>::infinity();

void validate(const CipaProtocol& p) {
  if (p.beats < 1) throw Error("CiPA assessment: beats must be at least 1, got " + std::to_string(p.beats));
  if (p.analysed_beats < 1 || p.analysed_beats > p.beats)
    throw Error("CiPA assessment: analysed beats must be within 1.." + std::to_string(p.beats) + ", got " +
                std::to_string(p.analysed_beats));
}

void validate(const CipaRequest& request) {
  if (request.dose_multiples.empty()) throw Error("CiPA assessment: no doses given");
  for (double m : request.dose_multiples)
    if (!std::isfinite(m) || m < 0)
      throw Error("CiPA assessment: dose multiple " + std::to_string(m) + " is not a finite number >= 0");
  validate(request.protocol);
  if (request.threads < 1) throw Error("CiPA assessment: threads must be at least 1");
  if (!(request.thresholds.high_below <= request.thresholds.low_above))
    throw Error("CiPA assessment: the high-risk threshold must not exceed the low-risk one");
}

}  // namespace

DoseResult simulate_dose(const OrdParams& base, const OrdState& initial, const Drug& drug, double concentration_nm,
                         const CipaProtocol& protocol) {
  validate(protocol);
  const OrdParams params = with_drug(base, drug, concentration_nm);
  OrdState y = with_drug_concentration(initial, concentration_nm);
  OrdPacer pacer(params, protocol.pacing, protocol.integration);
  DoseResult result;
  result.concentration_nm = concentration_nm;
  std::vector<TracePoint> trace;
  const BeatObserver record = [&trace](double t, const OrdState& s) {
    if (trace.empty() || t - trace.back().t_ms >= kTraceSpacing) trace.push_back({t, s[ord::v]});
  };
  const int first_analysed = protocol.beats - protocol.analysed_beats;
  bool have_kept = false;
  for (int beat = 0; beat < protocol.beats; ++beat) {
    const bool analysed = beat >= first_analysed;
    trace.clear();
    const BeatMetrics m = pacer.beat(y, analysed ? record : BeatObserver{});
    if (!analysed) continue;
    result.ead = result.ead || m.ead;
    result.repolarised = result.repolarised && std::isfinite(m.apd90);
    if (!have_kept || replaces_kept_beat(m, result.beat)) {
      result.beat = m;
      result.trace.swap(trace);
      have_kept = true;
    }
  }
  return result;
}

bool replaces_kept_beat(const BeatMetrics& candidate, const BeatMetrics& kept) {
  const auto key = [](const BeatMetrics& m) {
    return std::isnan(m.repolarisation_dvdt_max) ? -kInfinity : m.repolarisation_dvdt_max;
  };
  return key(candidate) > key(kept);
}

std::string_view to_string(TdpRisk risk) {
  switch (risk) {
    case TdpRisk::low:
      return "low";
    case TdpRisk::intermediate:
      return "intermediate";
    case TdpRisk::high:
      return "high";
  }
  return "unknown";
}

TdpAssessment classify_tdp(std::span<const DoseResult> doses, const TdpThresholds& thresholds) {
  if (doses.empty()) throw Error("TdP metric: no doses simulated");
  TdpAssessment a;
  for (const DoseResult& d : doses) {
    a.metric += d.beat.qnet;
    a.ead = a.ead || d.ead || !d.repolarised;
  }
  a.metric /= static_cast<double>(doses.size());
  if (a.ead || a.metric < thresholds.high_below)
    a.risk = TdpRisk::high;
  else if (a.metric > thresholds.low_above)
    a.risk = TdpRisk::low;
  else
    a.risk = TdpRisk::intermediate;
  return a;
}

RiskProbabilities risk_probabilities(std::span<const TdpRisk> classes) {
  if (classes.empty()) throw Error("TdP risk probabilities: no samples");
  RiskProbabilities p;
  p.samples = classes.size();
  for (TdpRisk r : classes) {
    if (r == TdpRisk::low) p.low += 1;
    if (r == TdpRisk::intermediate) p.intermediate += 1;
    if (r == TdpRisk::high) p.high += 1;
  }
  const double n = static_cast<double>(p.samples);
  p.low /= n;
  p.intermediate /= n;
  p.high /= n;
  return p;
}

SampledRisk assess_tdp_risk_samples(const OrdParams& base, const OrdState& initial, std::span<const Drug> samples,
                                    const CipaRequest& request) {
  validate(request);
  if (samples.empty()) throw Error("CiPA assessment: no drug samples given");
  for (const Drug& d : samples) {
    validate(d);
    if (!d.cmax_nm) throw Error("drug " + d.name + ": no Cmax given; doses are multiples of Cmax");
  }
  const std::size_t per_sample = request.dose_multiples.size();
  std::vector<DoseResult> doses(samples.size() * per_sample);
  run_parallel(doses.size(), request.threads, [&](std::size_t job) {
    const Drug& drug = samples[job / per_sample];
    const double concentration = request.dose_multiples[job % per_sample] * *drug.cmax_nm;
    doses[job] = simulate_dose(base, initial, drug, concentration, request.protocol);
    if (request.after_each_dose) request.after_each_dose();
  });
  SampledRisk result;
  std::vector<TdpRisk> classes;
  for (std::size_t s = 0; s < samples.size(); ++s) {
    const std::span<const DoseResult> mine(doses.data() + s * per_sample, per_sample);
    result.samples.push_back(classify_tdp(mine, request.thresholds));
    classes.push_back(result.samples.back().risk);
  }
  result.probabilities = risk_probabilities(classes);
  return result;
}

CipaResult assess_tdp_risk(const OrdParams& base, const OrdState& initial, const Drug& drug,
                           const CipaRequest& request) {
  validate(request);
  validate(drug);
  if (!drug.cmax_nm) throw Error("drug " + drug.name + ": no Cmax given; doses are multiples of Cmax");
  CipaResult result;
  result.dose_multiples = request.dose_multiples;
  result.doses.resize(request.dose_multiples.size());
  run_parallel(result.doses.size(), request.threads, [&](std::size_t i) {
    result.doses[i] = simulate_dose(base, initial, drug, request.dose_multiples[i] * *drug.cmax_nm, request.protocol);
    if (request.after_each_dose) request.after_each_dose();
  });
  result.assessment = classify_tdp(result.doses, request.thresholds);
  result.notes = drug_notes(base, drug);
  return result;
}

}  // namespace medtwin::cardio

#include "medtwin/cardio/drug.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "medtwin/cardio/cipa_tdp.hpp"
#include "medtwin/core/error.hpp"

namespace medtwin::cardio {
namespace {

Drug all_currents_drug() {
  Drug d;
  d.name = "testdrug";
  d.cmax_nm = 10;
  for (Current c : kAllCurrents) d[c] = HillBlock{100, 1};
  return d;
}

std::string error_of(const Drug& d) {
  try {
    validate(d);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(DrugBlock, PoreBlockFactorIsTheHillEquation) {
  // 1/(1 + (D/IC50)^h) (Li et al. 2017): half block at the IC50 whatever h.
  EXPECT_DOUBLE_EQ(pore_block_factor({100, 0.7}, 100), 0.5);
  EXPECT_DOUBLE_EQ(pore_block_factor({100, 2}, 300), 1.0 / (1 + 9));
  EXPECT_DOUBLE_EQ(pore_block_factor({50, 1}, 25), 1.0 / 1.5);
  EXPECT_DOUBLE_EQ(pore_block_factor({50, 1}, 0), 1);
}

TEST(DrugBlock, ScalesEveryCurrentWithAnIc50) {
  const OrdParams base = ord2011_params(CellType::endo);
  const OrdParams p = with_drug(base, all_currents_drug(), 100);  // D = IC50: every factor 0.5
  EXPECT_DOUBLE_EQ(p.gna_scale, 0.5);
  EXPECT_DOUBLE_EQ(p.gnal_scale, 0.5);
  EXPECT_DOUBLE_EQ(p.pca_scale, 0.5);
  EXPECT_DOUBLE_EQ(p.gto_scale, 0.5);
  EXPECT_DOUBLE_EQ(p.gks_scale, 0.5);
  EXPECT_DOUBLE_EQ(p.gk1_scale, 0.5);
  EXPECT_DOUBLE_EQ(p.gkr_scale, 0.5);
  EXPECT_EQ(p.herg.kmax, 0);  // no binding parameters: no Markov binding
  EXPECT_TRUE(drug_notes(base, all_currents_drug()).empty());
}

TEST(DrugBlock, DynamicHergBindingReplacesIkrPoreBlockInTheCipaModel) {
  Drug d = all_currents_drug();
  d.herg_binding = HergBinding{35.1, 1.816e-05, 1.08, 216.6, -1};  // dofetilide, CiPA hERG_dynamic_pars_optimal.csv
  const OrdParams cipa = with_drug(ord_cipa_params(CellType::endo), d, 100);
  EXPECT_DOUBLE_EQ(cipa.gkr_scale, 1);
  EXPECT_DOUBLE_EQ(cipa.gks_scale, 0.5);
  EXPECT_DOUBLE_EQ(cipa.herg.kmax, 35.1);
  EXPECT_DOUBLE_EQ(cipa.herg.ku, 1.816e-05);
  EXPECT_DOUBLE_EQ(cipa.herg.hill_n, 1.08);
  EXPECT_DOUBLE_EQ(cipa.herg.halfmax, 216.6);
  EXPECT_DOUBLE_EQ(cipa.herg.vhalf, -1);
  EXPECT_EQ(with_drug_concentration(OrdState{}, 8)[ord::D], 8);
  // The ORd 2011 model has no drug-bound hERG states: pore block instead.
  const OrdParams ord = with_drug(ord2011_params(CellType::endo), d, 100);
  EXPECT_DOUBLE_EQ(ord.gkr_scale, 0.5);
  EXPECT_EQ(ord.herg.kmax, 0);
}

TEST(DrugBlock, MissingCurrentsAreUnblockedAndNoted) {
  Drug d = all_currents_drug();
  d[Current::iks].reset();
  d[Current::ina].reset();
  const OrdParams base = ord_cipa_params(CellType::endo);
  const OrdParams p = with_drug(base, d, 1000);
  EXPECT_EQ(p.gks_scale, 1);
  EXPECT_EQ(p.gna_scale, 1);
  const auto notes = drug_notes(base, d);
  ASSERT_EQ(notes.size(), 3u);
  EXPECT_EQ(notes[0], "no IC50 for INa: treated as unblocked");
  EXPECT_EQ(notes[1], "no IC50 for IKs: treated as unblocked");
  EXPECT_NE(notes[2].find("pore block"), std::string::npos);  // CiPA model, hERG IC50 without binding data
}

TEST(DrugBlock, ZeroConcentrationLeavesTheModelUnchanged) {
  const OrdParams base = ord_cipa_params(CellType::endo);
  const OrdParams p = with_drug(base, all_currents_drug(), 0);
  EXPECT_EQ(p.gkr_scale, 1);
  EXPECT_EQ(p.pca_scale, 1);
}

TEST(DrugBlock, RejectsBadParametersNamingDrugAndField) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Drug d = all_currents_drug();
  d[Current::ical]->ic50_nm = 0;
  EXPECT_NE(error_of(d).find("drug testdrug: ICaL IC50 (nM) is 0"), std::string::npos) << error_of(d);
  d = all_currents_drug();
  d[Current::herg]->ic50_nm = nan;
  EXPECT_NE(error_of(d).find("hERG IC50"), std::string::npos);
  d = all_currents_drug();
  d[Current::ito]->hill = -1;
  EXPECT_NE(error_of(d).find("Ito Hill coefficient is -1"), std::string::npos);
  d = all_currents_drug();
  d.herg_binding = HergBinding{1, 0, 1, 1, 0};
  EXPECT_NE(error_of(d).find("hERG Ku"), std::string::npos);
  d = all_currents_drug();
  d.cmax_nm = -3;
  EXPECT_NE(error_of(d).find("Cmax"), std::string::npos);
  EXPECT_THROW(with_drug(ord_cipa_params(CellType::endo), all_currents_drug(), -1), Error);
  EXPECT_THROW(with_drug(ord_cipa_params(CellType::endo), all_currents_drug(), nan), Error);
}

DoseResult dose_with_qnet(double qnet, bool ead = false, bool repolarised = true) {
  DoseResult d;
  d.beat.qnet = qnet;
  d.ead = ead;
  d.repolarised = repolarised;
  return d;
}

TEST(DrugTdp, MetricIsMeanQnetAndClassFollowsTheThresholds) {
  const TdpThresholds t;  // Li et al. 2019: 0.0579, 0.0689 µC/µF
  const std::vector<DoseResult> low = {dose_with_qnet(0.080), dose_with_qnet(0.078), dose_with_qnet(0.076),
                                       dose_with_qnet(0.074)};
  const TdpAssessment a = classify_tdp(low, t);
  EXPECT_DOUBLE_EQ(a.metric, 0.077);
  EXPECT_EQ(a.risk, TdpRisk::low);
  EXPECT_EQ(classify_tdp(std::vector{dose_with_qnet(0.060), dose_with_qnet(0.064)}, t).risk, TdpRisk::intermediate);
  EXPECT_EQ(classify_tdp(std::vector{dose_with_qnet(0.050)}, t).risk, TdpRisk::high);
  // An EAD, or a dose that does not repolarise, is high risk whatever the metric.
  const TdpAssessment ead = classify_tdp(std::vector{dose_with_qnet(0.080), dose_with_qnet(0.080, true)}, t);
  EXPECT_EQ(ead.risk, TdpRisk::high);
  EXPECT_TRUE(ead.ead);
  EXPECT_EQ(classify_tdp(std::vector{dose_with_qnet(0.080, false, false)}, t).risk, TdpRisk::high);
  EXPECT_THROW(classify_tdp(std::vector<DoseResult>{}, t), Error);
}

TEST(DrugTdp, ProbabilitiesCountTheSampleClasses) {
  const std::vector<TdpRisk> classes = {TdpRisk::high, TdpRisk::high, TdpRisk::low, TdpRisk::intermediate};
  const RiskProbabilities p = risk_probabilities(classes);
  EXPECT_EQ(p.samples, 4u);
  EXPECT_DOUBLE_EQ(p.high, 0.5);
  EXPECT_DOUBLE_EQ(p.intermediate, 0.25);
  EXPECT_DOUBLE_EQ(p.low, 0.25);
  EXPECT_THROW(risk_probabilities(std::vector<TdpRisk>{}), Error);
}

// A few beats of 50 % IKr pore block from the resting state: the action
// potential lengthens and the net inward charge grows (qNet falls) — the
// mechanism qNet rests on (Dutta et al. 2017, Fig. 5).
TEST(DrugTdp, HergBlockProlongsTheActionPotentialAndLowersQnet) {
  const OrdParams base = ord_cipa_params(CellType::endo);
  const OrdState rest = ord_initial_state(base);
  CipaProtocol protocol;
  protocol.beats = 3;
  protocol.analysed_beats = 1;
  Drug herg_only;
  herg_only.name = "hERG blocker";
  herg_only[Current::herg] = HillBlock{10, 1};
  const DoseResult control = simulate_dose(base, rest, herg_only, 0, protocol);
  const DoseResult blocked = simulate_dose(base, rest, herg_only, 10, protocol);
  EXPECT_GT(blocked.beat.apd90, control.beat.apd90 + 20);
  EXPECT_LT(blocked.beat.qnet, control.beat.qnet);
  EXPECT_FALSE(control.trace.empty());
  EXPECT_NEAR(control.trace.back().t_ms, protocol.pacing.cycle_length, 1);
}

// Samples drive the probabilities; one thread and two give the same numbers.
TEST(DrugTdp, SamplesAreClassifiedAndThreadsDoNotChangeResults) {
  const OrdParams base = ord_cipa_params(CellType::endo);
  const OrdState rest = ord_initial_state(base);
  Drug weak = all_currents_drug();
  Drug strong = all_currents_drug();
  for (Current c : kAllCurrents) strong[c]->ic50_nm = 20;
  CipaRequest request;
  request.dose_multiples = {1, 2};
  request.protocol.beats = 2;
  request.protocol.analysed_beats = 1;
  request.threads = 1;
  const std::vector<Drug> samples = {weak, strong};
  const SampledRisk one = assess_tdp_risk_samples(base, rest, samples, request);
  request.threads = 2;
  const SampledRisk two = assess_tdp_risk_samples(base, rest, samples, request);
  ASSERT_EQ(one.samples.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) EXPECT_EQ(one.samples[i].metric, two.samples[i].metric);
  EXPECT_EQ(one.probabilities.samples, 2u);
  EXPECT_DOUBLE_EQ(one.probabilities.low + one.probabilities.intermediate + one.probabilities.high, 1);
  Drug no_cmax = weak;
  no_cmax.cmax_nm.reset();
  EXPECT_THROW(assess_tdp_risk(base, rest, no_cmax, request), Error);
  request.dose_multiples.clear();
  EXPECT_THROW(assess_tdp_risk(base, rest, weak, request), Error);
}

TEST(DrugTdp, KeptBeatIsCipasLargestRepolarisationSlope) {
  const auto beat = [](double slope) {
    BeatMetrics m;
    m.repolarisation_dvdt_max = slope;
    return m;
  };
  const double failed = std::nan("");
  EXPECT_TRUE(replaces_kept_beat(beat(-0.1), beat(-0.2)));   // larger slope wins
  EXPECT_FALSE(replaces_kept_beat(beat(-0.2), beat(-0.2)));  // a tie keeps the earlier beat
  EXPECT_TRUE(replaces_kept_beat(beat(-0.3), beat(failed)));  // any beat over a failed one
  EXPECT_FALSE(replaces_kept_beat(beat(failed), beat(-0.3)));
  EXPECT_FALSE(replaces_kept_beat(beat(failed), beat(failed)));  // all failed: the first stays
}

}  // namespace
}  // namespace medtwin::cardio

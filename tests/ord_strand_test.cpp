// The transmural ORd-CiPA strand (medtwin/cardio/ord_strand.hpp), its
// phenotypes and the QTc personalisation (qt_personalisation.hpp), and
// `medtwin drug-test --qtc` on top. Figures: docs/models/ord_strand.md.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "medtwin/cardio/qt_personalisation.hpp"

namespace medtwin::testing {
namespace {

using namespace cardio;

const PacingProtocol k1Hz{1000, -80, 1};

std::array<OrdState, 3> paced_cells(const StrandCells& cells, int beats) {
  std::array<OrdState, 3> out;
  for (std::size_t k = 0; k < 3; ++k)
    out[k] = pace_to_steady_state(ord_initial_state(cells[k]), cells[k], k1Hz, RushLarsenOptions{}, {beats, 1e-12}).state;
  return out;
}

StrandBeat second_beat(const StrandCells& cells, const std::array<OrdState, 3>& start, const RushLarsenOptions& steps) {
  OrdStrand strand(cells, {}, k1Hz, steps);
  strand.set_states(start);
  strand.beat();
  return strand.beat();
}

TEST(OrdStrandValidation, QtConvergesAndTheWaveIsPhysiological) {
  const StrandCells cells = strand_cells(ord_cipa_params(CellType::endo));
  const auto start = paced_cells(cells, 100);
  const auto t0 = std::chrono::steady_clock::now();
  const StrandBeat b = second_beat(cells, start, strand_default_steps());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / 2;
  RushLarsenOptions fine = strand_default_steps();
  fine.dt_min /= 2, fine.dv_max /= 2;
  const StrandBeat f = second_beat(cells, start, fine);
  std::printf("strand QT %.2f ms (halved steps %.2f), T peak %.1f ms, CV %.1f cm/s, APD90 endo %.1f epi %.1f ms, "
              "%ld steps, %.2f s per beat\n",
              b.qt, f.qt, b.t_peak, b.conduction_velocity, b.apd90.front(), b.apd90.back(), b.steps, seconds);
  EXPECT_LT(std::abs(b.qt - f.qt), 1.0);  // halving the steps moves QT by < 1 ms
  EXPECT_LT(std::abs(b.conduction_velocity - f.conduction_velocity), 0.05 * f.conduction_velocity);
  EXPECT_GT(b.qt, 250);
  EXPECT_LT(b.qt, 350);
  EXPECT_GT(b.t_peak, b.qrs_onset + 150);
  EXPECT_GT(b.ecg[static_cast<std::size_t>(b.t_peak / b.sample_interval)], b.ecg.back());  // upright T wave
  EXPECT_GT(b.apd90.front(), b.apd90.back() + 30);  // endocardium repolarises after epicardium
  EXPECT_GT(b.conduction_velocity, 30);
  EXPECT_LT(b.conduction_velocity, 70);
  EXPECT_FALSE(b.ead);
}

double phenotype_qt(const Phenotype& phenotype) {
  StrandCells cells = strand_cells(ord_cipa_params(CellType::endo));
  for (OrdParams& p : cells) p = with_phenotype(p, phenotype);
  return strand_beat_after_pacing(cells, {}, k1Hz, 100, 2).qt;
}

TEST(OrdStrandValidation, PhenotypesLengthenQtAsTheirCurrentsDictate) {
  const double control = phenotype_qt({});
  Phenotype female, lqt1, lqt2, lqt3;
  female.sex = Sex::female;
  lqt1.long_qt = LongQtType::lqt1, lqt1.long_qt_severity = 0.5;
  lqt2.long_qt = LongQtType::lqt2, lqt2.long_qt_severity = 0.5;
  lqt3.long_qt = LongQtType::lqt3, lqt3.long_qt_severity = 3;
  const double f = phenotype_qt(female), q1 = phenotype_qt(lqt1), q2 = phenotype_qt(lqt2), q3 = phenotype_qt(lqt3);
  std::printf("strand QT at 1 Hz: control %.1f, female %.1f, LQT1 %.1f, LQT2 %.1f, LQT3 %.1f ms\n", control, f, q1, q2, q3);
  EXPECT_GT(f, control + 10);
  EXPECT_GT(q1, control + 5);  // IKs is small at 1 Hz without β-adrenergic drive: a mild effect
  EXPECT_GT(q2, control + 50);
  EXPECT_GT(q3, control + 30);
  EXPECT_GT(q2, q1);
}

TEST(OrdStrandValidation, CalibrationReachesTheMeasuredQtc) {
  QtCalibrationRequest request;
  request.measured_qtc_ms = 460;
  const auto t0 = std::chrono::steady_clock::now();
  const PersonalHeart h = calibrate_to_qtc(ord_cipa_params(CellType::endo), request);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("QTc 460: IKr, IKs ×%.3f, strand QT %.1f (target %.1f), %d strand runs, %.1f s\n", h.repolarisation_scale,
              h.model_qt_ms, h.target_model_qt_ms, h.strand_runs, seconds);
  EXPECT_TRUE(h.target_reached);
  EXPECT_NEAR(h.model_qt_ms, h.reference_model_qt_ms * 460 / 410, 1.0);
  EXPECT_LT(h.repolarisation_scale, 1);
  request.measured_qtc_ms = 90;
  EXPECT_THROW(calibrate_to_qtc(ord_cipa_params(CellType::endo), request), Error);
}

// A tolerance no search can meet: the search stops after its runs and says
// so, reporting the QT of the scale it returns (a short strand keeps it fast).
TEST(OrdStrandValidation, UnmetToleranceIsFlagged) {
  QtCalibrationRequest request;
  request.measured_qtc_ms = 450;
  request.tolerance_ms = 1e-300;  // QT(s) is smooth: Illinois meets even 1e-9 ms within its runs
  request.setup.geometry.endo_cells = request.setup.geometry.epi_cells = 8;
  request.setup.geometry.mid_cells = 6;
  request.setup.cell_beats = 10;
  request.setup.strand_beats = 1;
  const PersonalHeart h = calibrate_to_qtc(ord_cipa_params(CellType::endo), request);
  std::printf("unmet tolerance: IKr, IKs ×%.4f, strand QT %.4f (target %.4f), %d runs\n", h.repolarisation_scale,
              h.model_qt_ms, h.target_model_qt_ms, h.strand_runs);
  EXPECT_FALSE(h.target_reached);
  EXPECT_NEAR(h.model_qt_ms, h.target_model_qt_ms, 0.5);  // converged all the same
  StrandCells cells = h.cells;  // the reported QT is the QT of the returned scale
  EXPECT_DOUBLE_EQ(strand_beat_after_pacing(cells, request.setup.geometry, request.setup.pacing,
                                            request.setup.cell_beats, request.setup.strand_beats)
                       .qt,
                   h.model_qt_ms);
}

nlohmann::json heart_of(const std::string& drug) {
  const auto r = run_medtwin("drug-test " + drug + " --json --beats 50 --doses 1 --qtc 440 --sex female --cipa-data " +
                             cipa_data());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out)["heart"];
}

// Dofetilide, a pure IKr blocker, prolongs QTc at its therapeutic Cmax more
// than verapamil, which blocks IKr and ICaL alike. Clinically verapamil leaves
// QTc near unchanged; the strand gives it ≈ +25 ms, a known miss
// (docs/models/ord_strand.md, Limits): the band pins the model's figure so
// that a change to it is seen, it does not endorse it.
TEST(DrugTestCli, QtcChangeForThisHeart) {
  const auto dofetilide = heart_of("dofetilide");
  const auto verapamil = heart_of("verapamil");
  ASSERT_TRUE(dofetilide.is_object() && verapamil.is_object());
  const double d = dofetilide["doses"][0]["delta_qtc_ms"], v = verapamil["doses"][0]["delta_qtc_ms"];
  std::printf("ΔQTc at 1× Cmax (female, QTc 440 ms): dofetilide %+.1f ms, verapamil %+.1f ms\n", d, v);
  EXPECT_TRUE(dofetilide["target_reached"].get<bool>());
  EXPECT_GT(d, 20);
  EXPECT_LT(v, d);
  EXPECT_GT(v, 15);
  EXPECT_LT(v, 35);
  EXPECT_FALSE(dofetilide["doses"][0]["ead"].get<bool>());
}

// The person's own records: sex from the FHIR Patient, QTc (Bazett, LOINC
// 8636-3) from an ECG observation; --person reads both.
TEST(DrugTestCli, PersonsHeartFromTheirRecords) {
  ScratchDir dir;
  const nlohmann::json qtc = {
      {"resourceType", "Observation"},
      {"status", "final"},
      {"subject", {{"reference", "Patient/p1"}}},
      {"effectiveDateTime", "2024-05-02T09:00:00Z"},
      {"code", {{"coding", {{{"system", "http://loinc.org"}, {"code", "8636-3"}}}}}},
      {"valueQuantity", {{"value", 455}, {"unit", "ms"}, {"system", "http://unitsofmeasure.org"}, {"code", "ms"}}}};
  const nlohmann::json entries = {
      {{"resource", {{"resourceType", "Patient"}, {"id", "p1"}, {"gender", "female"}, {"birthDate", "1969-01-01"}}}},
      {{"resource", qtc}}};
  // resourceType first: the importer recognises FHIR by the head of the file.
  std::ofstream(dir / "bundle.json") << R"({"resourceType": "Bundle", "type": "collection", "entry": )" << entries.dump()
                                     << "}\n";
  const std::string db = " --db " + quoted(dir / "t.db");
  ASSERT_EQ(run_medtwin("import " + quoted(dir / "bundle.json") + " --person ann" + db).exit_code, 0);
  const auto r = run_medtwin("drug-test sotalol --json --beats 50 --doses 1 --person ann --cipa-data " + cipa_data() + db);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto heart = nlohmann::json::parse(r.out)["heart"];
  EXPECT_EQ(heart["measured_qtc_ms"], 455);
  EXPECT_NE(heart["qtc_source"].get<std::string>().find("QTc Bazett of 2024-05-02"), std::string::npos);
  EXPECT_NE(heart["phenotype"].get<std::string>().find("female"), std::string::npos);
  EXPECT_TRUE(heart["target_reached"].get<bool>());
  EXPECT_GT(heart["doses"][0]["delta_qtc_ms"].get<double>(), 0);  // sotalol blocks IKr
  const auto unknown = run_medtwin("drug-test sotalol --beats 1 --person bob --cipa-data " + cipa_data() + db);
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.err.find("no person named 'bob'"), std::string::npos) << unknown.err;
}

TEST(DrugTestCli, HeartOptionsAreChecked) {
  const std::pair<const char*, const char*> cases[] = {
      {"--lqt LQT2", "--qtc"},                       // a phenotype needs a QTc
      {"--reference-qtc 420", "--qtc"},              // so does the reference
      {"--qtc 440 --lqt-severity 0.3", "--lqt"},     // a severity needs a genotype
      {"--qtc 440 --sex other", "--sex"},            // the model knows two
      {"--qtc 440 --lqt LQT9", "LQT1, LQT2, LQT3"},  // genotypes by name
      {"--qtc 1000", "--qtc"}};                      // out of range
  for (const auto& [options, message] : cases) {
    const auto r = run_medtwin(std::string("drug-test dofetilide --beats 1 ") + options + " --cipa-data " + cipa_data());
    EXPECT_NE(r.exit_code, 0) << options;
    EXPECT_NE(r.err.find(message), std::string::npos) << options << ": " << r.err;
  }
}

}  // namespace
}  // namespace medtwin::testing

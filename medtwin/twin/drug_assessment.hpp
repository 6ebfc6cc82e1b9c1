// The heart drug test of one drug, shared by `medtwin drug-test` and the
// server's drug page: the CiPA TdP risk assessment (cardio/cipa_tdp.hpp) of a
// CiPA training drug or of a user's IC50 record, on the control steady state
// from the CiPA data folder, and, for a person with a QTc, the drug's QTc
// change in their calibrated strand (cardio/qt_personalisation.hpp).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "medtwin/cardio/cipa_tdp.hpp"
#include "medtwin/cardio/qt_personalisation.hpp"
#include "medtwin/io/cipa_tables.hpp"

namespace medtwin {

cardio::Drug to_drug(const CipaDrugRecord& record);

// The training drugs of `cipa`/CiPA12_merged_table.csv; NotFound names the
// missing file and how to point at the data.
std::vector<CipaDrugRecord> read_cipa_training_table(const std::filesystem::path& cipa);

// The control steady state at the protocol's cycle length: CiPA's
// newordherg_states_CL2000.txt when pacing at 2000 ms and the file is there,
// else paced from rest (slow: up to 1000 beats; a note says so).
cardio::OrdState cipa_control_state(const cardio::OrdParams& params, const cardio::CipaProtocol& protocol,
                                    const std::filesystem::path& cipa, std::vector<std::string>& notes);

// The QTc the strand calibration takes, ms: a stored value outside is a
// mistake of the record rather than a heart.
inline constexpr double kLowestQtcMs = 250, kHighestQtcMs = 700;
inline bool calibratable_qtc(double ms) { return ms >= kLowestQtcMs && ms <= kHighestQtcMs; }

// The CiPA protocol with `beats` paced per dose: CiPA analyses the last
// quarter (250 of 1000 beats); a shorter run keeps that share, not its first beats.
cardio::CipaProtocol cipa_protocol(int beats);

// A person's calibrated strand, where its QTc came from, and its drug-free QT
// under the drug protocol (computed once for every drug).
struct DrugTestHeart {
  cardio::PersonalHeart model;
  std::string qtc_source;
  cardio::StrandSetup drug_setup;
  double drug_free_qt_ms = 0;
};

// Calibrates the endocardial strand to request.measured_qtc_ms (about 15 s)
// and paces it drug-free under the drug protocol.
DrugTestHeart calibrate_drug_test_heart(cardio::QtCalibrationRequest request, std::string qtc_source, int threads);

struct DrugTestOutcome {
  cardio::Drug drug;
  cardio::CipaResult result;
  std::optional<cardio::SampledRisk> sampled;
  std::vector<cardio::DrugQtPoint> heart;  // per dose on the person's strand; empty without one
};

// The drug's QT change in the heart at each of the result's doses.
std::vector<cardio::DrugQtPoint> predict_for_heart(const DrugTestHeart& heart, const cardio::Drug& drug,
                                                   const cardio::CipaResult& result);

// What `medtwin drug-test --json` prints; with `with_traces` every dose's kept
// beat (t_ms, v_mv) as well, up to drawn_beat_ms.
nlohmann::json drug_test_json(const DrugTestOutcome& outcome, const cardio::CipaRequest& request,
                              const std::optional<DrugTestHeart>& heart, bool with_traces = false);

// The time up to which the doses' action potentials are worth drawing: 1.4 ×
// the longest APD90 from the stimulus (at least 600 ms), or the whole beat
// when a dose has an EAD or does not repolarise.
double drawn_beat_ms(const cardio::CipaResult& result);

}  // namespace medtwin

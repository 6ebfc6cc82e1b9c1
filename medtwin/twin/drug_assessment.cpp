#include "medtwin/twin/drug_assessment.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "medtwin/core/error.hpp"
#include "medtwin/io/importer.hpp"
#include "medtwin/twin/json_number.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The drug strand paces each cell type this long first: hERG binding settles
// over hundreds of beats (the QTc calibration, without drug, needs fewer).
constexpr int kDrugStrandCellBeats = 300;

// io's table columns and cardio's currents are two lists of the same seven currents, in the same order.
static_assert(kCipaCurrents.size() == cardio::kCurrentCount);

json heart_json(const DrugTestHeart& heart, const std::vector<cardio::DrugQtPoint>& points,
                const cardio::CipaResult& r) {
  const auto& m = heart.model;
  json doses = json::array();
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto& d = points[i];
    doses.push_back({{"multiple", r.dose_multiples[i]},
                     {"concentration_nm", d.concentration_nm},
                     {"model_qt_ms", json_number(d.model_qt_ms)},
                     {"predicted_qtc_ms", json_number(d.predicted_qtc_ms)},
                     {"delta_qtc_ms", json_number(d.delta_qtc_ms)},
                     {"ead", d.ead},
                     {"repolarised", d.repolarised}});
  }
  return {{"phenotype", cardio::describe(m.phenotype)},
          {"measured_qtc_ms", m.measured_qtc_ms},
          {"qtc_source", heart.qtc_source},
          {"reference_qtc_ms", m.reference_qtc_ms},
          {"reference_model_qt_ms", json_number(m.reference_model_qt_ms)},
          {"repolarisation_scale", m.repolarisation_scale},
          {"target_model_qt_ms", json_number(m.target_model_qt_ms)},
          {"model_qt_ms", json_number(m.model_qt_ms)},
          {"target_reached", m.target_reached},
          {"drug_free_model_qt_ms", json_number(heart.drug_free_qt_ms)},
          {"doses", doses}};
}

json trace_json(const cardio::DoseResult& dose, double until_ms) {
  json t = json::array(), v = json::array();
  for (const auto& p : dose.trace) {
    if (p.t_ms > until_ms) break;
    t.push_back(p.t_ms);
    v.push_back(p.v_mv);
  }
  return {{"t_ms", std::move(t)}, {"v_mv", std::move(v)}};
}

}  // namespace

cardio::Drug to_drug(const CipaDrugRecord& record) {
  cardio::Drug drug;
  drug.name = record.name;
  drug.cmax_nm = record.cmax_nm;
  for (std::size_t c = 0; c < cardio::kCurrentCount; ++c)
    if (record.hill[c]) drug.block[c] = cardio::HillBlock{record.hill[c]->ic50_nm, record.hill[c]->hill};
  if (const auto& b = record.herg_binding)
    drug.herg_binding = cardio::HergBinding{b->kmax, b->ku, b->n, b->halfmax, b->vhalf};
  return drug;
}

std::vector<CipaDrugRecord> read_cipa_training_table(const fs::path& cipa) {
  const fs::path table = cipa / "CiPA12_merged_table.csv";
  if (!fs::exists(table))
    throw NotFound(
        fmt::format("{}: not found; give the CiPA data folder with --cipa-data DIR or "
                    "MEDTWIN_SHARED_DATA, or test your own IC50 table (TABLE.csv)",
                    table.string()));
  return read_cipa_merged_table(read_file(table), table.string());
}

cardio::OrdState cipa_control_state(const cardio::OrdParams& params, const cardio::CipaProtocol& protocol,
                                    const fs::path& cipa, std::vector<std::string>& notes) {
  const fs::path states = cipa / "newordherg_states_CL2000.txt";
  const cardio::OrdState rest = cardio::ord_initial_state(params);
  if (protocol.pacing.cycle_length == 2000 && fs::exists(states))
    return cardio::ord_parse_cipa_states(read_file(states), rest, states.string());
  notes.push_back(
      "control steady state paced from rest (CiPA state file not found): its qNet differs from CiPA's by about 1 %, "
      "so a drug near a class threshold may change class");
  return cardio::pace_to_steady_state(rest, params, protocol.pacing, protocol.integration, {1000, 1e-6}).state;
}

cardio::CipaProtocol cipa_protocol(int beats) {
  cardio::CipaProtocol protocol;
  protocol.beats = beats;
  protocol.analysed_beats = std::max(1, std::min(protocol.analysed_beats, beats / 4));
  return protocol;
}

DrugTestHeart calibrate_drug_test_heart(cardio::QtCalibrationRequest request, std::string qtc_source, int threads) {
  request.setup.threads = threads;
  DrugTestHeart heart;
  heart.model = cardio::calibrate_to_qtc(cardio::ord_cipa_params(cardio::CellType::endo), request);
  heart.qtc_source = std::move(qtc_source);
  heart.drug_setup.cell_beats = kDrugStrandCellBeats;
  heart.drug_setup.threads = threads;
  heart.drug_free_qt_ms = cardio::drug_free_qt(heart.model, heart.drug_setup);
  return heart;
}

std::vector<cardio::DrugQtPoint> predict_for_heart(const DrugTestHeart& heart, const cardio::Drug& drug,
                                                   const cardio::CipaResult& result) {
  std::vector<double> concentrations;
  for (const auto& d : result.doses) concentrations.push_back(d.concentration_nm);
  return cardio::predict_drug_qtc(heart.model, heart.drug_free_qt_ms, drug, concentrations, heart.drug_setup);
}

double drawn_beat_ms(const cardio::CipaResult& result) {
  double until = 600, traced = 0;
  bool whole = false;
  for (const auto& d : result.doses) {
    whole = whole || d.ead || !d.repolarised;
    if (!d.trace.empty()) traced = std::max(traced, d.trace.back().t_ms);
    if (std::isfinite(d.beat.apd90)) until = std::max(until, 1.4 * (d.beat.apd90 + d.beat.t_upstroke));
  }
  return whole ? traced : std::min(until, traced);
}

json drug_test_json(const DrugTestOutcome& o, const cardio::CipaRequest& request,
                    const std::optional<DrugTestHeart>& heart, bool with_traces) {
  const auto& r = o.result;
  const double until = drawn_beat_ms(r);
  json doses = json::array();
  for (std::size_t i = 0; i < r.doses.size(); ++i) {
    const auto& d = r.doses[i];
    json dose = {{"multiple", r.dose_multiples[i]},
                 {"concentration_nm", d.concentration_nm},
                 {"apd90_ms", json_number(d.beat.apd90)},
                 {"apd50_ms", json_number(d.beat.apd50)},
                 {"qnet", json_number(d.beat.qnet)},
                 {"ead", d.ead},
                 {"repolarised", d.repolarised}};
    if (with_traces) dose["trace"] = trace_json(d, until);
    doses.push_back(std::move(dose));
  }
  json probabilities = nullptr;
  if (o.sampled) {
    const auto& p = o.sampled->probabilities;
    probabilities = {{"samples", p.samples}, {"high", p.high}, {"intermediate", p.intermediate}, {"low", p.low}};
  }
  return {{"drug", o.drug.name},
          {"cmax_nm", *o.drug.cmax_nm},
          {"cycle_length_ms", request.protocol.pacing.cycle_length},
          {"beats", request.protocol.beats},
          {"doses", doses},
          {"tdp_metric", json_number(r.assessment.metric)},
          {"risk", cardio::to_string(r.assessment.risk)},
          {"ead", r.assessment.ead},
          {"thresholds", {{"high_below", request.thresholds.high_below}, {"low_above", request.thresholds.low_above}}},
          {"probabilities", probabilities},
          {"heart", heart ? heart_json(*heart, o.heart, r) : json(nullptr)},
          {"notes", r.notes}};
}

}  // namespace medtwin

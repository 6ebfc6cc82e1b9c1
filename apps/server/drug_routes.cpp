#include "apps/server/drug_routes.hpp"

#include <fmt/format.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <typeinfo>
#include <thread>

#include "apps/server/request_values.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/twin/drug_assessment.hpp"
#include "medtwin/twin/heart_inputs.hpp"

namespace medtwin::server {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxDoses = 6;
constexpr double kMaxDoseMultiple = 100;  // × Cmax
constexpr int kMinBeats = 10, kMaxBeats = 1000;

// The job workers together simulate on half the cores: reads keep the rest.
int simulation_threads(const JobQueue& jobs) {
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / (2 * jobs.workers()));
}

// The control state; a failure to read it names the server's files, which the client is not told.
cardio::OrdState control_state(const cardio::OrdParams& params, const cardio::CipaRequest& request,
                               const std::filesystem::path& cipa, std::vector<std::string>& notes) {
  try {
    return cipa_control_state(params, request.protocol, cipa, notes);
  } catch (const Error& e) {
    spdlog::error("drug test: the CiPA control state could not be read ({})", typeid(e).name());
    throw Error("the server's CiPA control state could not be read");
  }
}

std::vector<CipaDrugRecord> training_drugs(const ApiRequest& r) {
  const auto none = [] { return ApiError(404, "this server has no CiPA drug tables (medtwin serve --cipa-data DIR)"); };
  if (r.reference.cipa_tables.empty()) throw none();
  try {
    return read_cipa_training_table(r.reference.cipa_tables);
  } catch (const NotFound&) {  // its message names the server's folder
    throw none();
  }
}

json risk_name(std::optional<int> category) {
  return category ? json(cardio::to_string(static_cast<cardio::TdpRisk>(*category))) : json(nullptr);
}

// The person's stored QTc, when the strand can be calibrated to it.
std::optional<PersonHeartInputs> heart_of(ApiRequest& r) {
  auto inputs = gather_heart_inputs(r.store, r.person->name);
  if (!inputs.qtc_ms || !calibratable_qtc(*inputs.qtc_ms)) return std::nullopt;
  return inputs;
}

std::vector<double> dose_multiples(const json& body) {
  if (!body.contains("doses")) return cardio::CipaRequest{}.dose_multiples;
  const auto& doses = body["doses"];
  const auto bad = fmt::format("doses: a list of 1 to {} multiples of Cmax, each above 0 and at most {:g}", kMaxDoses,
                               kMaxDoseMultiple);
  if (!doses.is_array() || doses.empty() || doses.size() > kMaxDoses) throw ApiError(400, bad);
  std::vector<double> multiples;
  for (const auto& d : doses) {
    if (!d.is_number() || !(d.get<double>() > 0) || d.get<double>() > kMaxDoseMultiple) throw ApiError(400, bad);
    multiples.push_back(d.get<double>());
  }
  return multiples;
}

int beats_of(const json& body) {
  if (!body.contains("beats")) return cardio::CipaProtocol{}.beats;
  const auto& beats = body["beats"];
  if (!beats.is_number_integer() || beats.get<std::int64_t>() < kMinBeats || beats.get<std::int64_t>() > kMaxBeats)
    throw ApiError(400, fmt::format("beats: a whole number from {} to {}", kMinBeats, kMaxBeats));
  return beats.get<int>();
}

cardio::Drug drug_of(const json& body, const std::vector<CipaDrugRecord>& table) {
  const auto name = text_field(body, "drug");
  const CipaDrugRecord* record = name ? find_cipa_drug(table, *name) : nullptr;
  if (!record) throw ApiError(400, "drug: the name of a CiPA training drug (GET this path lists them)");
  return to_drug(*record);
}

}  // namespace

json drug_test_options(ApiRequest& r) {
  json drugs = json::array();
  for (const auto& d : training_drugs(r))
    drugs.push_back({{"name", d.name}, {"cmax_nm", d.cmax_nm.value_or(0)}, {"cipa_risk", risk_name(d.risk_category)}});
  const auto heart = heart_of(r);
  return {{"drugs", std::move(drugs)},
          {"doses", cardio::CipaRequest{}.dose_multiples},
          {"beats", cardio::CipaProtocol{}.beats},
          {"heart", heart ? json{{"qtc_ms", *heart->qtc_ms},
                                 {"qtc_source", heart->qtc_source},
                                 {"sex", to_string(heart->sex)}}
                          : json(nullptr)}};
}

// Checks the body and reads the tables and the person's QTc now (a bad drug or
// a missing QTc is a 4xx, not a failed job); the simulations run on a job worker.
json start_drug_test(ApiRequest& r) {
  const auto body = json_body(r);
  cardio::CipaRequest request;
  request.dose_multiples = dose_multiples(body);
  request.protocol = cipa_protocol(beats_of(body));
  request.threads = simulation_threads(r.jobs);
  const auto drug = drug_of(body, training_drugs(r));
  std::optional<cardio::QtCalibrationRequest> calibration;
  std::string qtc_source;
  if (flag_field(body, "heart").value_or(false)) {
    const auto heart = heart_of(r);
    if (!heart)
      throw ApiError(409, fmt::format("heart: this person has no stored QTc from {:g} to {:g} ms; analyse an ECG first",
                                      kLowestQtcMs, kHighestQtcMs));
    calibration.emplace();
    calibration->phenotype.sex = heart->sex;
    calibration->measured_qtc_ms = *heart->qtc_ms;
    qtc_source = heart->qtc_source;
  }
  auto work = [cipa = r.reference.cipa_tables, request, drug, calibration, qtc_source](Store&, JobProgress& progress) mutable -> json {
    const double cell_share = calibration ? 0.5 : 1.0;  // of the progress; the heart takes the rest
    std::atomic<std::size_t> paced{0};
    request.after_each_dose = [&] {
      const auto done = ++paced;
      progress.report(cell_share * static_cast<double>(done) / static_cast<double>(request.dose_multiples.size()),
                      fmt::format("paced {} of {} doses", done, request.dose_multiples.size()));
    };
    progress.report(0, "pacing the cell at each dose");
    const auto params = cardio::ord_cipa_params(cardio::CellType::endo);
    std::vector<std::string> notes;
    const auto control = control_state(params, request, cipa, notes);
    DrugTestOutcome outcome{drug, cardio::assess_tdp_risk(params, control, drug, request), std::nullopt, {}};
    outcome.result.notes.insert(outcome.result.notes.end(), notes.begin(), notes.end());
    std::optional<DrugTestHeart> heart;
    if (calibration) {
      progress.report(0.5, "calibrating the heart to the person's QTc");
      heart = calibrate_drug_test_heart(*calibration, qtc_source, request.threads);
      progress.report(0.75, "the drug in the person's heart");
      outcome.heart = predict_for_heart(*heart, drug, outcome.result);
    }
    return drug_test_json(outcome, request, heart, true);
  };
  const auto job = r.jobs.start(r.person->id, "drug-test", std::move(work));
  if (!job) throw ApiError(503, "too many jobs are waiting; try again shortly");
  return job_json(*job);
}

}  // namespace medtwin::server

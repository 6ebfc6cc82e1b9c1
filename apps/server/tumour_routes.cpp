#include "apps/server/tumour_routes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "apps/server/request_values.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/importer.hpp"
#include "medtwin/twin/tumour_forecast_json.hpp"
#include "medtwin/twin/tumour_grid.hpp"

namespace medtwin::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kDefaultSamples = 40, kMaxSamples = 200;
constexpr std::uint32_t kSeed = 1;  // the command's default: the page and `tumor compare` agree

// A caller who sees everyone sees every twin; a one-person token sees the
// twins calibrated for that person.
bool may_see(const ApiRequest& r, const ModelRun& run) {
  return r.caller.sees_everyone() || (run.person && r.caller.may_see(*run.person));
}

// The twin of the path and whose it is. A one-person token learns nothing of
// twins that are not its person's, not even whether they exist.
std::pair<TumourTwin, std::optional<PersonId>> twin_of(ApiRequest& r) {
  const auto run = r.store.find_model_run(r.path_values.at(0));
  if (!r.caller.sees_everyone() && !(run && may_see(r, *run)))
    throw ApiError(403, "this token opens one person's data; this tumour twin is not theirs");
  if (!run || run->kind != kTumourTwinKind) throw ApiError(404, "no such tumour twin");
  return {tumour_twin_from_json(run->result_json), run->person};
}

// The plans on offer: every JSON file of the plans folder that is a plan (a
// timeline beside them is not), by file name without ".json".
std::vector<std::pair<std::string, TumourPlan>> offered_plans(const ApiRequest& r) {
  std::vector<std::pair<std::string, TumourPlan>> plans;
  const auto& folder = r.reference.tumour_plans;
  std::error_code error;
  if (folder.empty() || !fs::is_directory(folder, error)) return plans;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    if (entry.path().extension() != ".json") continue;
    try {
      plans.emplace_back(entry.path().stem().string(), parse_tumour_plan(read_file(entry.path()), entry.path().filename().string()));
    } catch (const Error&) {  // not a plan
    }
  }
  std::sort(plans.begin(), plans.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return plans;
}

json parameter_json(const std::string& name, const std::string& unit, const onco::FittedParameter& p) {
  const bool interval = std::isfinite(p.log_sd);
  return {{"name", name},
          {"unit", unit},
          {"value", p.value},
          {"low95", interval ? json(p.low95()) : json(nullptr)},
          {"high95", interval ? json(p.high95()) : json(nullptr)}};
}

json parameters_json(const TumourTwin& twin) {
  json out = json::array({parameter_json("diffusion D", "mm²/day", twin.fit.diffusion),
                          parameter_json("proliferation ρ", "1/day", twin.fit.proliferation)});
  if (twin.alpha) out.push_back(parameter_json("radiosensitivity α", "1/Gy", *twin.alpha));
  if (twin.temozolomide_max_kill)
    out.push_back(parameter_json("temozolomide maximal kill", "1/day", *twin.temozolomide_max_kill));
  return out;
}

json visits_json(const TumourTwin& twin) {
  json out = json::array();
  for (const auto& v : twin.visits)
    out.push_back({{"date", v.date},
                   {"day", v.day},
                   {"t1gd_radius_mm", v.t1gd_radius_mm},
                   {"t2_radius_mm", v.t2_radius_mm},
                   {"calibrated_on", v.calibrated_on},
                   {"rano", v.rano ? json(onco::to_string(*v.rano)) : json(nullptr)},
                   {"days_gained", v.days_gained ? json(*v.days_gained) : json(nullptr)}});
  return out;
}

std::vector<TumourPlan> chosen_plans(const json& body, const ApiRequest& r) {
  const auto offered = offered_plans(r);
  if (!body.contains("plans") || !body["plans"].is_array() || body["plans"].empty() ||
      body["plans"].size() > offered.size())
    throw ApiError(400, "plans: a list of plan ids, each once (GET the twin lists them)");
  std::vector<TumourPlan> plans;
  std::set<std::string> chosen;
  for (const auto& id : body["plans"]) {
    const auto found = std::find_if(offered.begin(), offered.end(), [&](const auto& p) { return id.is_string() && p.first == id; });
    if (found == offered.end()) throw ApiError(400, "plans: " + id.dump() + " is not a plan on offer");
    if (!chosen.insert(found->first).second) throw ApiError(400, "plans: " + id.dump() + " is there twice");
    plans.push_back(found->second);
  }
  return plans;
}

int samples_of(const json& body) {
  if (!body.contains("samples")) return kDefaultSamples;
  const auto& n = body["samples"];
  if (!n.is_number_integer() || n.get<std::int64_t>() < 1 || n.get<std::int64_t>() > kMaxSamples)
    throw ApiError(400, fmt::format("samples: a whole number from 1 to {}", kMaxSamples));
  return n.get<int>();
}

bool has_visit_masks(const TumourTwin& twin) { return twin.images && !twin.images->visit_masks.empty(); }

// A mask as the lengths of its alternating runs, outside first: a slice of a
// few hundred voxels a side in a few hundred numbers.
json runs(const std::vector<std::uint8_t>& mask) {
  json out = json::array();
  std::uint8_t current = 0;
  std::size_t length = 0;
  for (auto value : mask) {
    if ((value != 0) != (current != 0)) {
      out.push_back(length);
      current = value != 0;
      length = 0;
    }
    ++length;
  }
  out.push_back(length);
  return out;
}

}  // namespace

json list_tumour_twins(ApiRequest& r) {
  json out = json::array();
  for (const auto& run : r.store.model_runs(kTumourTwinKind))
    if (may_see(r, run))
      out.push_back({{"id", run.id},
                     {"patient", run.label},
                     {"created", format_instant(run.created)},
                     {"person", run.person ? json(*run.person) : json(nullptr)}});
  return out;
}

json tumour_twin_view(ApiRequest& r) {
  const auto [twin, person] = twin_of(r);
  json plans = json::array();
  for (const auto& [id, plan] : offered_plans(r)) plans.push_back({{"id", id}, {"name", plan.name}});
  return {{"id", twin.id},
          {"patient", twin.patient},
          {"diagnosis", twin.diagnosis},
          {"visits", visits_json(twin)},
          {"parameters", parameters_json(twin)},
          {"rmse_mm", twin.fit.rmse_mm},
          {"last_calibration_day", twin.last_calibration_day},
          {"person", person ? json(*person) : json(nullptr)},
          {"has_visit_masks", has_visit_masks(twin)},
          {"plans", std::move(plans)}};
}

// The masks are read once per twin and server (the twin's inputs' digest is
// in the key: calibrating it again makes another twin).
json tumour_visit_slices(ApiRequest& r) {
  const auto twin = twin_of(r).first;
  if (!has_visit_masks(twin))
    throw ApiError(404, "this tumour twin keeps no visit masks (calibrated from radii, or before twins kept them: calibrate it again)");
  return r.cache.get("tumour-visit-slices:" + twin.inputs_sha256, [&] {
    VisitMaskSlices slices;
    try {
      slices = visit_mask_slices(twin);
    } catch (const Error&) {  // its message names the server's files (and might name the patient): not for the client or the log
      throw ApiError(500, "the tumour twin's mask files cannot be read (moved or changed since `medtwin tumor calibrate`?)");
    }
    json visits = json::array();
    for (const auto& v : slices.visits)
      visits.push_back({{"index", v.index}, {"date", twin.visits.at(v.index).date}, {"t1gd", runs(v.t1gd)}, {"t2", runs(v.t2)}});
    return json{{"width", slices.width},
                {"height", slices.height},
                {"spacing_mm", slices.spacing_mm},
                {"brain", runs(slices.brain)},
                {"visits", std::move(visits)}};
  });
}

// Checks the body and reads the twin and the plans now; the plans (after the
// untreated control) are forecast on a job worker, one step each.
json start_tumour_forecast(ApiRequest& r) {
  auto [twin, person] = twin_of(r);
  const auto body = json_body(r);
  const auto plans = plans_with_control(chosen_plans(body, r));
  const int samples = samples_of(body);
  auto work = [twin = std::move(twin), plans, samples](Store&, JobProgress& progress) -> json {
    const auto forecasts = forecast_plans(twin, plans, samples, kSeed, [&](std::size_t i) {
      progress.report(static_cast<double>(i) / static_cast<double>(plans.size()), "forecasting " + plans[i].name);
    });
    json out = json::array();
    for (const auto& f : forecasts) out.push_back(plan_forecast_json(f, true));
    return {{"twin", twin.id}, {"samples", samples}, {"plans", std::move(out)}};
  };
  const auto job = r.jobs.start(person, "tumour-forecast", std::move(work));  // the person's token may follow it
  if (!job) throw ApiError(503, "too many jobs are waiting; try again shortly");
  return job_json(*job);
}

}  // namespace medtwin::server

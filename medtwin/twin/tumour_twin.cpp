#include "medtwin/twin/tumour_twin.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numbers>
#include <random>
#include <thread>

#include "medtwin/core/error.hpp"
#include "medtwin/core/parallel.hpp"
#include "medtwin/core/stats.hpp"
#include "medtwin/io/file_hash.hpp"
#include "medtwin/twin/json_number.hpp"

namespace medtwin {
namespace {

using nlohmann::json;

constexpr int kTwinFormat = 1;
constexpr double kAssessmentAfterDays = 28;  // the first post-treatment MRI (RANO 2.0; Neal 2013)
constexpr double kControlBeyondDays = 1000;
constexpr double kPseudoprogressionDays = 84;  // RANO: 12 weeks after radiotherapy
constexpr double kLethalT1gdRadiusMm = 35;     // PDEControlGym BrainTumor1D's default (reference_parameters.csv)
// A drug dose this long after the last fraction is adjuvant: its kill shows apart from radiotherapy's.
constexpr double kAdjuvantGapDays = 14;

std::vector<onco::RadiusVisit> before(const std::vector<onco::RadiusVisit>& radii, std::optional<double> first_treatment) {
  std::vector<onco::RadiusVisit> kept;
  for (const auto& v : radii)
    if (!first_treatment || v.day < *first_treatment) kept.push_back(v);
  return kept;
}

std::vector<double> daily(double from, double to) {
  std::vector<double> days;
  for (double d = std::floor(from); d <= to; ++d) days.push_back(d);
  if (days.empty() || days.back() < to) days.push_back(to);
  return days;
}

std::vector<double> radii_of(const std::vector<onco::TumourSize>& sizes, bool t1gd) {
  std::vector<double> r;
  for (const auto& s : sizes) r.push_back(t1gd ? s.t1gd_radius_mm : s.t2_radius_mm);
  return r;
}

std::vector<double> days_of(const std::vector<onco::TumourSize>& sizes) {
  std::vector<double> d;
  for (const auto& s : sizes) d.push_back(s.day);
  return d;
}

// Days Gained (Neal 2013) on the T1Gd radius; on the T2/FLAIR radius when
// no enhancing core is left (the T1Gd radius would compare with the seed).
double days_gained_at(const std::vector<onco::TumourSize>& control, double day, double t1gd_radius_mm,
                      double t2_radius_mm) {
  const bool enhancing = t1gd_radius_mm > 0;
  return onco::days_gained(days_of(control), radii_of(control, enhancing), day, enhancing ? t1gd_radius_mm : t2_radius_mm);
}

// RANO within 12 weeks of radiotherapy: progression is not called
// (pseudoprogression; it must lie outside the field, which one sphere cannot show).
onco::Response rano_outside_window(onco::Response r, double day, std::optional<double> radiotherapy_end) {
  const bool in_window = radiotherapy_end && day < *radiotherapy_end + kPseudoprogressionDays;
  return r == onco::Response::progressive && in_window ? onco::Response::stable : r;
}

// Observed response and Days Gained of the visits after treatment began.
void judge_treated_visits(TumourTwin& twin) {
  const auto& o = twin.options;
  if (twin.visits.empty()) throw Error("a tumour twin without visits");
  std::vector<double> days;
  for (const auto& v : twin.visits) days.push_back(v.day);
  // Past the last visit too: a tumour larger than the untreated twin has negative Days Gained.
  const auto control = onco::untreated_history(twin.fit.params, twin.first_t2_radius_mm, twin.first_visit_day,
                                               days.back() + kControlBeyondDays, o.visibility, o.grid);
  double baseline = 0, nadir = 0;
  for (auto& v : twin.visits) {
    const double measure = onco::lesion_measure(onco::Criteria::rano, v.t1gd_radius_mm);
    if (v.calibrated_on) {
      baseline = nadir = measure;
      continue;
    }
    v.rano = rano_outside_window(onco::classify(onco::Criteria::rano, baseline, nadir, measure), v.day,
                                 twin.last_radiotherapy_day);
    nadir = std::min(nadir, measure);
    try {
      v.days_gained = days_gained_at(control, v.day, v.t1gd_radius_mm, v.t2_radius_mm);
    } catch (const Error&) {
      // larger than the untreated twin becomes within kControlBeyondDays: no Days Gained
    }
  }
}

std::array<double, 2> draw_log_params(const TumourTwin& twin, std::mt19937_64& rng, bool point) {
  const double mu_d = std::log(twin.fit.diffusion.value), mu_r = std::log(twin.fit.proliferation.value);
  const bool uncertain = std::isfinite(twin.fit.diffusion.log_sd) && std::isfinite(twin.fit.proliferation.log_sd);
  if (point || !uncertain) return {mu_d, mu_r};
  std::normal_distribution<double> z;
  const double z1 = z(rng), z2 = z(rng), rho = twin.fit.log_correlation;
  const double sd_d = twin.fit.diffusion.log_sd, sd_r = twin.fit.proliferation.log_sd;
  return {mu_d + sd_d * z1, mu_r + sd_r * (rho * z1 + std::sqrt(std::max(0.0, 1 - rho * rho)) * z2)};
}

struct SampleRun {
  std::vector<onco::TumourSize> treated;
  double days_gained = 0;
  onco::Response rano_at_assessment = onco::Response::stable;
  std::optional<double> progression_day;
};

// RANO along a trajectory from `from_day` (the baseline): the first day of
// progression, in days after `from_day`. Progression is not called before
// `earliest_day`: within 12 weeks of chemoradiation RANO calls it only outside
// the radiation field (pseudoprogression), which one sphere cannot show.
std::optional<double> progression_day(const std::vector<onco::TumourSize>& sizes, double from_day, double earliest_day) {
  double baseline = -1, nadir = 0;
  for (const auto& s : sizes) {
    if (s.day < from_day) continue;
    const double m = onco::lesion_measure(onco::Criteria::rano, s.t1gd_radius_mm);
    if (baseline < 0) {
      baseline = nadir = m;
      continue;
    }
    if (s.day >= earliest_day && onco::classify(onco::Criteria::rano, baseline, nadir, m) == onco::Response::progressive)
      return s.day - from_day;
    nadir = std::min(nadir, m);
  }
  return std::nullopt;
}

// The category on `at_day` against the first day from `from_day` (the baseline)
// and the smallest measure since.
onco::Response category_at(onco::Criteria criteria, const std::vector<double>& days, const std::vector<double>& radii,
                           double from_day, double at_day) {
  std::optional<double> baseline;
  double nadir = 0, current = 0;
  for (std::size_t i = 0; i < days.size() && days[i] <= at_day; ++i) {
    if (days[i] < from_day) continue;
    current = onco::lesion_measure(criteria, radii[i]);
    nadir = baseline ? std::min(nadir, current) : current;
    if (!baseline) baseline = current;
  }
  return onco::classify(criteria, baseline.value_or(0), nadir, current);
}

Band band_of(const std::vector<std::vector<double>>& per_sample, std::size_t points) {
  Band b;
  std::vector<double> column(per_sample.size());
  for (std::size_t i = 0; i < points; ++i) {
    for (std::size_t s = 0; s < per_sample.size(); ++s) column[s] = per_sample[s][i];
    b.low.push_back(*quantile(column, 0.1));
    b.median.push_back(*quantile(column, 0.5));
    b.high.push_back(*quantile(column, 0.9));
  }
  return b;
}

std::optional<double> fitted_value(const std::optional<onco::FittedParameter>& p) {
  return p ? std::optional(p->value) : std::nullopt;
}

bool is_temozolomide(const std::string& drug) {
  std::string lower;
  for (char c : drug) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "temozolomide";
}

// Temozolomide's doses given, when its kill can be told apart from
// radiotherapy's: all drugs given are temozolomide, and a visit follows a dose
// given at least two weeks after the last fraction (the adjuvant cycles; any
// dose without radiotherapy). Otherwise its effect is absorbed into α.
std::optional<onco::Chemotherapy> separable_temozolomide(const TumourTimeline& timeline,
                                                         const std::vector<onco::RadiusVisit>& radii) {
  if (timeline.drugs.empty()) return std::nullopt;
  double separate_from = -INFINITY;
  for (const auto& f : timeline.radiotherapy) separate_from = std::max(separate_from, f.day + kAdjuvantGapDays);
  std::optional<double> first_separate_dose;
  onco::DrugCourse course{onco::temozolomide(), {}};
  for (const auto& d : timeline.drugs) {
    if (!is_temozolomide(d.drug)) return std::nullopt;
    course.doses.push_back({d.day, d.dose_mg});
    if (d.day >= separate_from) first_separate_dose = std::min(first_separate_dose.value_or(d.day), d.day);
  }
  if (!first_separate_dose || radii.back().day <= *first_separate_dose) return std::nullopt;
  onco::Chemotherapy chemo;
  chemo.drugs.push_back(course);
  return chemo;
}

// α and temozolomide's maximal kill rate from the visits on or after the
// first treatment, D and ρ as fitted.
void calibrate_treatment_response(const TumourTimeline& timeline, const std::vector<onco::RadiusVisit>& radii,
                                  TumourTwin& twin) {
  onco::GivenTreatment given;
  auto fractions = timeline.radiotherapy;
  std::sort(fractions.begin(), fractions.end(), [](const auto& a, const auto& b) { return a.day < b.day; });
  for (const auto& f : fractions) {
    given.fraction_days.push_back(f.day);
    given.fraction_doses_gy.push_back(f.dose_gy);
  }
  given.chemotherapy = separable_temozolomide(timeline, radii);
  const auto first_treatment = timeline.first_treatment_day();
  if (!first_treatment || (fractions.empty() && !given.chemotherapy)) return;
  std::vector<onco::RadiusVisit> after;
  for (const auto& v : radii)
    if (v.day >= *first_treatment) after.push_back(v);
  if (after.empty()) return;
  const auto fit = onco::fit_treatment_response(twin.fit, radii.front(), given, after, twin.options);
  twin.alpha = fit.alpha;
  twin.temozolomide_max_kill = fit.max_kill;
}

// The plan's days: its start, the response assessment and the reporting grid.
struct PlanCalendar {
  std::optional<double> radiotherapy_end;
  double earliest_progression = 0;
  double end_day = 0;
  std::size_t assessment_index = 0;
};

PlanCalendar plan_calendar(const TumourTwin& twin, const TumourPlan& plan, PlanForecast& f) {
  PlanCalendar c;
  f.start_day = twin.last_calibration_day + plan.start_after_days;
  f.treatment_end_day = plan_treatment_end(plan, f.start_day);
  if (plan.radiotherapy) c.radiotherapy_end = onco::fraction_days(*plan.radiotherapy, f.start_day).back();
  f.assessment_day = c.radiotherapy_end.value_or(f.treatment_end_day) + kAssessmentAfterDays;
  c.earliest_progression = c.radiotherapy_end ? *c.radiotherapy_end + kPseudoprogressionDays : f.start_day;
  c.end_day = std::max(f.start_day + plan.follow_up_days, f.assessment_day);
  f.days = daily(twin.last_calibration_day, c.end_day);
  if (std::find(f.days.begin(), f.days.end(), f.assessment_day) == f.days.end()) {
    f.days.push_back(f.assessment_day);
    std::sort(f.days.begin(), f.days.end());
  }
  c.assessment_index = static_cast<std::size_t>(std::find(f.days.begin(), f.days.end(), f.assessment_day) - f.days.begin());
  return c;
}

// One posterior sample under the plan, against its own untreated control.
SampleRun judge_sample(const PlanForecast& f, const PlanCalendar& c, PlanTrajectories trajectories) {
  auto& sizes = trajectories.treated;
  SampleRun run;
  const auto& assessed = sizes[c.assessment_index];
  run.days_gained = days_gained_at(trajectories.control, f.assessment_day, assessed.t1gd_radius_mm, assessed.t2_radius_mm);
  run.rano_at_assessment = rano_outside_window(
      category_at(onco::Criteria::rano, f.days, radii_of(sizes, true), f.start_day, f.assessment_day), f.assessment_day,
      c.radiotherapy_end);
  run.progression_day = progression_day(sizes, f.start_day, c.earliest_progression);
  run.treated = std::move(sizes);
  return run;
}

void summarise_samples(const std::vector<SampleRun>& runs, const PlanCalendar& c, PlanForecast& f) {
  std::vector<std::vector<double>> t1, t2;
  std::vector<double> gained;
  const double share = 1.0 / static_cast<double>(runs.size());
  for (const auto& run : runs) {
    t1.push_back(radii_of(run.treated, true));
    t2.push_back(radii_of(run.treated, false));
    gained.push_back(run.days_gained);
    const auto r = run.rano_at_assessment;
    f.responding_share += (r == onco::Response::complete || r == onco::Response::partial) ? share : 0.0;
    f.progressing_share += run.progression_day ? share : 0.0;
  }
  f.t1gd_radius_mm = band_of(t1, f.days.size());
  f.t2_radius_mm = band_of(t2, f.days.size());
  f.days_gained_low = *quantile(gained, 0.1);
  f.days_gained_median = *quantile(gained, 0.5);
  f.days_gained_high = *quantile(gained, 0.9);
  const auto& median = f.t1gd_radius_mm.median;
  f.rano = rano_outside_window(category_at(onco::Criteria::rano, f.days, median, f.start_day, f.assessment_day),
                               f.assessment_day, c.radiotherapy_end);
  f.recist = category_at(onco::Criteria::recist_1_1, f.days, median, f.start_day, f.assessment_day);
  std::vector<onco::TumourSize> trajectory;
  for (std::size_t i = 0; i < f.days.size(); ++i) trajectory.push_back({f.days[i], median[i], 0, 0});
  f.median_progression_day = progression_day(trajectory, f.start_day, c.earliest_progression);
  f.t1gd_volume_end_ml = sphere_volume_ml(median.back());
  for (std::size_t i = 0; i < f.days.size() && !f.median_lethal_day; ++i)
    if (f.days[i] >= f.start_day && median[i] >= kLethalT1gdRadiusMm) f.median_lethal_day = f.days[i] - f.start_day;
}

PlanForecast forecast_samples(const TumourTwin& twin, const TumourPlan& plan, int samples, std::uint32_t seed,
                              const PlanSimulator& simulate) {
  PlanForecast f;
  f.plan = plan.name;
  const auto calendar = plan_calendar(twin, plan, f);
  const auto treatment = plan_treatment(plan, f.start_day, twin.default_alpha_per_gy(), twin.body_surface_m2,
                                        fitted_value(twin.temozolomide_max_kill));
  const auto count = static_cast<std::size_t>(std::max(1, samples));
  std::vector<std::optional<SampleRun>> runs(count);
  std::vector<std::string> errors(count);
  run_parallel(count, static_cast<int>(std::max(1u, std::thread::hardware_concurrency())), [&](std::size_t s) {
    std::mt19937_64 rng(seed * 1000003ULL + s);
    const auto log_params = draw_log_params(twin, rng, count == 1);
    const onco::PiParams params{std::exp(log_params[0]), std::exp(log_params[1]), twin.options.carrying_capacity};
    try {
      runs[s] = judge_sample(f, calendar, simulate(params, treatment, f.days));
    } catch (const Error& e) {  // e.g. a tail draw too slow to reach the first visit within the model's maximum age
      errors[s] = e.what();
    }
  });
  std::vector<SampleRun> done;
  for (auto& run : runs)
    if (run) done.push_back(std::move(*run));
  if (done.empty()) throw Error("plan '" + plan.name + "': no sample could be simulated (" + errors.front() + ")");
  f.samples = static_cast<int>(done.size());
  f.failed_samples = static_cast<int>(count - done.size());
  summarise_samples(done, calendar, f);
  return f;
}

// Null for an uncertainty the fit could not determine.
double number_or_nan(const json& v) { return v.is_null() ? NAN : v.get<double>(); }

json fitted_json(const onco::FittedParameter& p) {
  return {{"value", p.value}, {"log_sd", json_number(p.log_sd)}, {"low95", json_number(p.low95())},
          {"high95", json_number(p.high95())}};
}

onco::FittedParameter fitted_from_json(const json& j) {
  return {j.at("value").get<double>(), number_or_nan(j.at("log_sd"))};
}

}  // namespace

double sphere_volume_ml(double radius_mm) { return 4 * std::numbers::pi / 3 * radius_mm * radius_mm * radius_mm / 1000; }

double TumourTwin::default_alpha_per_gy() const {
  if (alpha) return alpha->value;
  const double share = std::clamp(std::log(fit.params.proliferation_per_day / 0.02) / std::log(0.1 / 0.02), 0.0, 1.0);
  return 0.03 + share * (0.09 - 0.03);
}

TumourTwin calibrate_tumour_twin(const TumourTimeline& timeline, const std::filesystem::path& images,
                                 const onco::RadiusCalibrationOptions& options) {
  const auto radii = visit_radii(timeline, images);
  const auto first_treatment = timeline.first_treatment_day();
  const auto pre = before(radii, first_treatment);
  if (pre.size() < 2)
    throw Error(timeline.file + ": the calibration needs two visits before the first treatment, found " +
                std::to_string(pre.size()));
  TumourTwin twin;
  twin.patient = timeline.patient;
  twin.diagnosis = timeline.diagnosis;
  twin.body_surface_m2 = timeline.body_surface_m2;
  twin.options = options;
  twin.fit = onco::calibrate_from_radii(pre, options);
  twin.options.grid = twin.fit.grid;
  twin.first_visit_day = pre.front().day;
  twin.first_t2_radius_mm = pre.front().t2_radius_mm;
  twin.last_calibration_day = pre.back().day;
  for (const auto& f : timeline.radiotherapy)
    twin.last_radiotherapy_day = std::max(twin.last_radiotherapy_day.value_or(f.day), f.day);
  calibrate_treatment_response(timeline, radii, twin);
  const auto& last = timeline.visits[pre.size() - 1];
  if (!timeline.brain_mask.empty() && !last.t2_mask.empty()) {
    twin.images = TumourImages{std::filesystem::absolute(images).lexically_normal().string(), timeline.brain_mask,
                               timeline.white_matter_mask, timeline.grey_matter_mask, last.t2_mask, {}};
    for (const auto& v : timeline.visits) twin.images->visit_masks.push_back({v.t1gd_mask, v.t2_mask});
  }
  for (std::size_t i = 0; i < radii.size(); ++i)
    twin.visits.push_back({timeline.visits[i].date, radii[i].day, radii[i].t1gd_radius_mm, radii[i].t2_radius_mm,
                           !first_treatment || radii[i].day < *first_treatment, std::nullopt, std::nullopt});
  judge_treated_visits(twin);
  // Everything the twin depends on: the same inputs give the same id.
  json inputs = {{"visits", json::array()}, {"diagnosis", timeline.diagnosis}, {"patient", timeline.patient},
                 {"K", options.carrying_capacity}, {"t1", options.visibility.t1gd_share},
                 {"t2", options.visibility.t2_share}, {"sd", options.radius_sd_mm},
                 {"grid", {options.grid.domain_radius_mm, options.grid.shell_mm, options.grid.max_step_days}},
                 {"body_surface_m2", timeline.body_surface_m2 ? json(*timeline.body_surface_m2) : json()},
                 {"radiotherapy", json::array()}, {"drugs", json::array()}};
  for (const auto& v : radii) inputs["visits"].push_back({v.day, v.t1gd_radius_mm, v.t2_radius_mm});
  for (const auto& f : timeline.radiotherapy) inputs["radiotherapy"].push_back({f.day, f.dose_gy});
  for (const auto& d : timeline.drugs) inputs["drugs"].push_back({d.day, d.drug, d.dose_mg});
  twin.inputs_sha256 = sha256_files(timeline_files(timeline, images), inputs.dump());
  twin.id = tumour_twin_id(twin.inputs_sha256);
  return twin;
}

std::string tumour_twin_id(const std::string& inputs_sha256) { return "tumour-" + inputs_sha256.substr(0, 12); }

std::string tumour_twin_json(const TumourTwin& twin) {
  const auto& o = twin.options;
  const auto& fit = twin.fit;
  json visits = json::array();
  for (const auto& v : twin.visits) {
    json j = {{"date", v.date}, {"day", v.day}, {"t1gd_radius_mm", v.t1gd_radius_mm},
              {"t2_radius_mm", v.t2_radius_mm}, {"calibrated_on", v.calibrated_on}};
    if (v.rano) j["rano"] = onco::to_string(*v.rano);
    if (v.days_gained) j["days_gained"] = *v.days_gained;
    visits.push_back(j);
  }
  json model = {{"name", "proliferation-invasion, spherical"},
                {"carrying_capacity_cells_per_mm3", o.carrying_capacity},
                {"t1gd_visible_share", o.visibility.t1gd_share},
                {"t2_visible_share", o.visibility.t2_share},
                {"radius_sd_mm", o.radius_sd_mm},
                {"domain_radius_mm", o.grid.domain_radius_mm},
                {"shell_mm", o.grid.shell_mm},
                {"max_step_days", o.grid.max_step_days}};
  json j = {{"format", kTwinFormat},
            {"id", twin.id},
            {"inputs_sha256", twin.inputs_sha256},
            {"patient", twin.patient},
            {"diagnosis", twin.diagnosis},
            {"model", model},
            {"diffusion_mm2_per_day", fitted_json(fit.diffusion)},
            {"proliferation_per_day", fitted_json(fit.proliferation)},
            {"log_correlation", fit.log_correlation},
            {"fisher_speed_mm_per_year", 365.25 * fit.fisher_speed_mm_per_day},
            {"front_scale_mm", fit.front_scale_mm},
            {"age_at_first_visit_days", fit.age_at_first_visit_days},
            {"rmse_mm", fit.rmse_mm},
            {"iterations", fit.iterations},
            {"default_alpha_per_gy", twin.default_alpha_per_gy()},
            {"first_visit_day", twin.first_visit_day},
            {"first_t2_radius_mm", twin.first_t2_radius_mm},
            {"last_calibration_day", twin.last_calibration_day},
            {"visits", visits}};
  if (twin.body_surface_m2) j["body_surface_m2"] = *twin.body_surface_m2;
  if (twin.last_radiotherapy_day) j["last_radiotherapy_day"] = *twin.last_radiotherapy_day;
  if (twin.alpha) j["alpha_per_gy"] = fitted_json(*twin.alpha);
  if (twin.temozolomide_max_kill) j["temozolomide_max_kill_per_day"] = fitted_json(*twin.temozolomide_max_kill);
  if (const auto& g = twin.grid_fit) {
    json visits_3d = json::array();
    for (const auto& v : g->visits)
      visits_3d.push_back({{"day", v.day}, {"t1gd_dice", json_number(v.t1gd_dice)}, {"t2_dice", v.t2_dice},
                           {"spherical_t1gd_dice", json_number(v.spherical_t1gd_dice)},
                           {"spherical_t2_dice", v.spherical_t2_dice}});
    j["grid_fit"] = {{"white_diffusion_mm2_per_day", fitted_json(g->white_diffusion)},
                     {"proliferation_per_day", fitted_json(g->proliferation)},
                     {"log_correlation", g->log_correlation},
                     {"grey_to_white_diffusion", g->grey_to_white_diffusion},
                     {"spacing_mm", g->spacing_mm},
                     {"rms_edge_mm", g->rms_edge_mm},
                     {"iterations", g->iterations},
                     {"visits", visits_3d}};
  }
  if (const auto& i = twin.images) {
    json visit_masks = json::array();
    for (const auto& m : i->visit_masks) visit_masks.push_back({{"t1gd", m.t1gd}, {"t2", m.t2}});
    j["images"] = {{"folder", i->folder},
                   {"brain_mask", i->brain_mask},
                   {"white_matter_mask", i->white_matter_mask},
                   {"grey_matter_mask", i->grey_matter_mask},
                   {"t2_mask", i->t2_mask},
                   {"visit_masks", visit_masks}};
  }
  return j.dump(2);
}

TumourTwin tumour_twin_from_json(const std::string& text) {
  try {
    const json j = json::parse(text);
    if (j.at("format").get<int>() != kTwinFormat) throw Error("a tumour twin of another format version");
    TumourTwin twin;
    twin.id = j.at("id").get<std::string>();
    twin.inputs_sha256 = j.at("inputs_sha256").get<std::string>();
    twin.patient = j.at("patient").get<std::string>();
    twin.diagnosis = j.at("diagnosis").get<std::string>();
    const json& m = j.at("model");
    auto& o = twin.options;
    o.carrying_capacity = m.at("carrying_capacity_cells_per_mm3").get<double>();
    o.visibility = {m.at("t1gd_visible_share").get<double>(), m.at("t2_visible_share").get<double>()};
    o.radius_sd_mm = m.at("radius_sd_mm").get<double>();
    o.grid.domain_radius_mm = m.at("domain_radius_mm").get<double>();
    o.grid.shell_mm = m.at("shell_mm").get<double>();
    o.grid.max_step_days = m.at("max_step_days").get<double>();
    auto& fit = twin.fit;
    fit.diffusion = fitted_from_json(j.at("diffusion_mm2_per_day"));
    fit.proliferation = fitted_from_json(j.at("proliferation_per_day"));
    fit.params = {fit.diffusion.value, fit.proliferation.value, o.carrying_capacity};
    fit.log_correlation = j.at("log_correlation").get<double>();
    fit.fisher_speed_mm_per_day = j.at("fisher_speed_mm_per_year").get<double>() / 365.25;
    fit.front_scale_mm = j.at("front_scale_mm").get<double>();
    fit.age_at_first_visit_days = j.at("age_at_first_visit_days").get<double>();
    fit.rmse_mm = j.at("rmse_mm").get<double>();
    fit.iterations = j.at("iterations").get<int>();
    twin.first_visit_day = j.at("first_visit_day").get<double>();
    twin.first_t2_radius_mm = j.at("first_t2_radius_mm").get<double>();
    twin.last_calibration_day = j.at("last_calibration_day").get<double>();
    if (j.contains("body_surface_m2")) twin.body_surface_m2 = j.at("body_surface_m2").get<double>();
    if (j.contains("last_radiotherapy_day")) twin.last_radiotherapy_day = j.at("last_radiotherapy_day").get<double>();
    if (j.contains("alpha_per_gy")) twin.alpha = fitted_from_json(j.at("alpha_per_gy"));
    if (j.contains("temozolomide_max_kill_per_day"))
      twin.temozolomide_max_kill = fitted_from_json(j.at("temozolomide_max_kill_per_day"));
    if (j.contains("grid_fit")) {
      const json& g = j.at("grid_fit");
      GridFit fit{fitted_from_json(g.at("white_diffusion_mm2_per_day")), fitted_from_json(g.at("proliferation_per_day")),
                  g.at("log_correlation").get<double>(), g.at("grey_to_white_diffusion").get<double>(),
                  g.at("spacing_mm").get<std::array<double, 3>>(), g.at("rms_edge_mm").get<double>(),
                  g.at("iterations").get<int>(), {}};
      for (const auto& v : g.at("visits"))
        fit.visits.push_back({v.at("day").get<double>(), number_or_nan(v.at("t1gd_dice")), v.at("t2_dice").get<double>(),
                              number_or_nan(v.at("spherical_t1gd_dice")), v.at("spherical_t2_dice").get<double>()});
      twin.grid_fit = fit;
    }
    if (j.contains("images")) {
      const json& i = j.at("images");
      twin.images = TumourImages{i.at("folder").get<std::string>(), i.at("brain_mask").get<std::string>(),
                                 i.at("white_matter_mask").get<std::string>(), i.at("grey_matter_mask").get<std::string>(),
                                 i.at("t2_mask").get<std::string>(), {}};
      for (const auto& m : i.value("visit_masks", json::array()))
        twin.images->visit_masks.push_back({m.at("t1gd").get<std::string>(), m.at("t2").get<std::string>()});
    }
    for (const auto& v : j.at("visits")) {
      ObservedVisit visit{v.at("date").get<std::string>(), v.at("day").get<double>(),
                          v.at("t1gd_radius_mm").get<double>(), v.at("t2_radius_mm").get<double>(),
                          v.at("calibrated_on").get<bool>(), std::nullopt, std::nullopt};
      twin.visits.push_back(visit);
    }
    judge_treated_visits(twin);
    return twin;
  } catch (const json::exception& e) {
    throw Error(std::string("not a stored tumour twin (") + e.what() + ")");
  }
}

PlanSimulator spherical_simulator(const TumourTwin& twin) {
  return [&twin](const onco::PiParams& params, const onco::Treatment& treatment, const std::vector<double>& days) {
    const auto& o = twin.options;
    auto tumour = onco::tumour_with_t2_radius(params, twin.first_t2_radius_mm, o.visibility, o.grid);
    std::vector<double> sample_days{twin.first_visit_day};
    sample_days.insert(sample_days.end(), days.begin(), days.end());
    PlanTrajectories t;
    t.treated = onco::run_spherical(tumour, params, twin.first_visit_day, sample_days, treatment,
                                    {o.grid.max_step_days, o.visibility});
    t.treated.erase(t.treated.begin());
    t.control = onco::untreated_history(params, twin.first_t2_radius_mm, twin.first_visit_day, days.back(), o.visibility, o.grid);
    return t;
  };
}

PlanForecast forecast_plan(const TumourTwin& twin, const TumourPlan& plan, int samples, std::uint32_t seed,
                           const PlanSimulator& simulate) {
  try {
    return forecast_samples(twin, plan, samples, seed, simulate);
  } catch (const Error& e) {
    const std::string what = e.what();
    if (what.rfind("plan '", 0) == 0) throw;
    throw Error("plan '" + plan.name + "': " + what);
  }
}

std::vector<PlanForecast> forecast_plans(const TumourTwin& twin, const std::vector<TumourPlan>& plans, int samples,
                                         std::uint32_t seed, const std::function<void(std::size_t)>& before_each) {
  std::vector<PlanForecast> forecasts;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    if (before_each) before_each(i);
    forecasts.push_back(forecast_plan(twin, plans[i], samples, seed, spherical_simulator(twin)));
  }
  return forecasts;
}

}  // namespace medtwin

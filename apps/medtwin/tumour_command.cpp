// `medtwin tumor calibrate --timeline T.json [--images DIR] [--person NAME] [--json] [--grid [--voxel MM] [--threads N]]`,
// `medtwin tumor simulate --twin ID --plan PLAN.json [--samples N] [--json] [--csv FILE] [--plot FILE.png]
//  [--grid [--voxel MM] [--threads N]]`,
// `medtwin tumor compare --twin ID PLAN.json... [--samples N] [--json] [--grid ...]`,
// `medtwin tumor trial PLAN.json... [--patients N]`, `medtwin tumor synthesize --out DIR`,
// `medtwin tumor cellularity --timeline T.json [--forecast-days N] [--json]`,
// `medtwin tumor synthesize-cellularity --out DIR` and `medtwin tumor twins`:
// the cancer twin (docs/tumour.md). calibrate fits the
// spherical proliferation–invasion model to the visits before treatment and
// keeps the twin in the store; simulate and compare run candidate plans on it
// with bands from the calibration's posterior, or (--grid) in 3D on the
// patient's image grid with the fitted parameters.
#include <fmt/format.h>

#include <cmath>
#include <fstream>

#include "cli.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/importer.hpp"
#include "medtwin/twin/synthetic_tumour.hpp"
#include "medtwin/twin/tumour_cellularity.hpp"
#include "medtwin/twin/tumour_grid.hpp"
#include "medtwin/twin/tumour_forecast_json.hpp"
#include "medtwin/twin/tumour_grid_fit.hpp"
#include "medtwin/twin/tumour_trial.hpp"
#include "medtwin/twin/tumour_twin.hpp"
#include "tumour_plot.hpp"
#include "tumour_verify.hpp"

namespace medtwin::cli {
namespace {


struct TumourArgs {
  std::string timeline, images, twin;
  std::optional<std::string> person;  // whose twin it is
  std::vector<std::string> plans;
  std::optional<std::string> csv, plot;
  double radius_sd_mm = 1.0;
  int samples = 40;
  int patients = 50;
  double body_surface_m2 = 1.8;
  std::uint32_t seed = 1;
  bool json = false;
  bool grid = false;
  GridOptions grid_options;
};

std::string fitted_text(const onco::FittedParameter& p, int decimals) {
  if (!std::isfinite(p.log_sd)) return fmt::format("{:.{}f}  (interval not determined)", p.value, decimals);
  return fmt::format("{:.{}f}  (95 % {:.{}f} … {:.{}f})", p.value, decimals, p.low95(), decimals, p.high95(), decimals);
}

void print_twin_summary(const TumourTwin& twin) {
  const auto& fit = twin.fit;
  fmt::print("Tumour twin {} of {} (diagnosis {})\n", twin.id, twin.patient.empty() ? "an unnamed patient" : twin.patient,
             twin.diagnosis);
  fmt::print("Proliferation–invasion model, spherical, fitted to {} pre-treatment visits (radius RMSE {:.2f} mm)\n",
             std::count_if(twin.visits.begin(), twin.visits.end(), [](const auto& v) { return v.calibrated_on; }),
             fit.rmse_mm);
  fmt::print("  {:<36} {}\n", "D (mm²/day)", fitted_text(fit.diffusion, 4));
  fmt::print("  {:<36} {}\n", "ρ (1/day)", fitted_text(fit.proliferation, 4));
  fmt::print("  {:<36} {:.1f} mm/year\n", "front speed 2√(Dρ)", 365.25 * fit.fisher_speed_mm_per_day);
  fmt::print("  {:<36} {:.2f} mm\n", "invasion scale √(D/ρ)", fit.front_scale_mm);
  if (twin.alpha)
    fmt::print("  {:<36} {}\n", "α (1/Gy), fitted after radiotherapy", fitted_text(*twin.alpha, 3));
  else
    fmt::print("  {:<36} {:.2f}/Gy (from ρ)\n", "α for plans that give none", twin.default_alpha_per_gy());
  if (twin.temozolomide_max_kill)
    fmt::print("  {:<36} {}\n", "temozolomide's kill (1/day), fitted", fitted_text(*twin.temozolomide_max_kill, 3));
  fmt::print("  {:<36} {:.0f} days\n", "model age at the first visit", fit.age_at_first_visit_days);
  if (const auto& g = twin.grid_fit) {
    fmt::print("3D on the image grid ({:.1f} mm voxels; D in grey matter {} × white), fitted to the masks' edges"
               " (RMS {:.2f} mm, {} iterations)\n",
               g->spacing_mm[0], g->grey_to_white_diffusion, g->rms_edge_mm, g->iterations);
    fmt::print("  {:<36} {}\n", "D in white matter (mm²/day)", fitted_text(g->white_diffusion, 4));
    fmt::print("  {:<36} {}\n", "ρ (1/day)", fitted_text(g->proliferation, 4));
    auto dice = [](double v) { return std::isfinite(v) ? fmt::format("{:.3f}", v) : std::string("–"); };
    for (const auto& v : g->visits)
      fmt::print("  day {:>4.0f}: Dice T1Gd {}, T2 {:.3f} (with the spherical D, ρ: {}, {:.3f})\n", v.day, dice(v.t1gd_dice),
                 v.t2_dice, dice(v.spherical_t1gd_dice), v.spherical_t2_dice);
  }
  fmt::print("\n  {:<12} {:>6} {:>10} {:>10}  {}\n", "visit", "day", "T1Gd (mm)", "T2 (mm)", "");
  for (const auto& v : twin.visits) {
    std::string note = v.calibrated_on ? "calibration" : "";
    if (v.rano) note = fmt::format("RANO {}", onco::to_string(*v.rano));
    if (v.days_gained) note += fmt::format(", days gained {:.0f}", *v.days_gained);
    fmt::print("  {:<12} {:>6.0f} {:>10.1f} {:>10.1f}  {}\n", v.date, v.day, v.t1gd_radius_mm, v.t2_radius_mm, note);
  }
}

// Calibrates the timeline's twin and keeps it in `store`, as `person`'s when given.
TumourTwin calibrate_and_save(Store& store, const std::filesystem::path& timeline_path, const std::string& images_dir,
                              double radius_sd_mm, const std::optional<GridOptions>& grid = std::nullopt,
                              const std::optional<std::string>& person = std::nullopt) {
  std::optional<PersonId> owner;
  if (person) {
    const auto found = store.find_person(*person);
    if (!found) throw NotFound("no person '" + *person + "' (import their records first: medtwin persons lists them)");
    owner = found->id;
  }
  const auto timeline = parse_tumour_timeline(read_file(timeline_path), timeline_path.filename().string());
  const std::filesystem::path images = images_dir.empty() ? timeline_path.parent_path() : std::filesystem::path(images_dir);
  onco::RadiusCalibrationOptions options;
  options.radius_sd_mm = radius_sd_mm;
  auto twin = calibrate_tumour_twin(timeline, images, options);
  if (grid) add_grid_calibration(twin, timeline, *grid);
  if (const auto kept = store.find_model_run(twin.id); kept && kept->person && owner && *kept->person != *owner)
    throw Error("tumour twin " + twin.id + " is another person's; a twin is not moved between persons");
  const Instant now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  store.save_model_run(ModelRun{twin.id, kTumourTwinKind, twin.patient, now, twin.inputs_sha256, tumour_twin_json(twin), owner});
  return twin;
}

void run_calibrate(const Context& context, const TumourArgs& args) {
  const auto twin = calibrate_and_save(*context.open(), args.timeline, args.images, args.radius_sd_mm,
                                       args.grid ? std::optional(args.grid_options) : std::nullopt, args.person);
  if (args.json) {
    fmt::print("{}\n", tumour_twin_json(twin));
    return;
  }
  print_twin_summary(twin);
  fmt::print("\nSaved as {}: medtwin tumor simulate --twin {} --plan PLAN.json\n", twin.id, twin.id);
}

TumourTwin load_twin(const Context& context, const std::string& id) {
  const auto run = context.open()->find_model_run(id);
  if (!run || run->kind != kTumourTwinKind) throw Error("no tumour twin '" + id + "' in " + context.location() + " (see medtwin tumor twins)");
  return tumour_twin_from_json(run->result_json);
}

std::vector<TumourPlan> read_plans(const std::vector<std::string>& files) {
  std::vector<TumourPlan> plans;
  for (const auto& f : files) plans.push_back(parse_tumour_plan(read_file(f), std::filesystem::path(f).filename().string()));
  return plans;
}

// Rounded to a day, without "-0".
std::string whole_days(double days) { return fmt::format("{:.0f}", std::round(days) + 0.0); }
std::string optional_days(const std::optional<double>& d) { return d ? whole_days(*d) : "none"; }

// The forecasts of a twin's plans, and how they were made.
struct Forecasts {
  TumourTwin twin;
  std::string model;  // one line
  std::vector<PlanForecast> plans;
  std::optional<GridSlices> slices;  // of the last plan, in 3D
};

std::string spherical_model(int samples) { return fmt::format("spherical model; {} posterior samples per plan", samples); }

Forecasts forecast(const Context& context, const TumourArgs& args, const std::vector<TumourPlan>& plans) {
  Forecasts out{load_twin(context, args.twin), "", {}, std::nullopt};
  const auto twin = out.twin;
  if (!args.grid) {
    out.plans = forecast_plans(twin, plans, args.samples, args.seed);
    out.model = spherical_model(out.plans.front().samples);
    return out;
  }
  GridTwin grid_twin(twin, args.grid_options);
  out.twin = with_grid_parameters(twin);  // the parameters the forecasts use
  const auto& grid = grid_twin.grid();
  const auto n = grid.size();
  const auto h = grid.spacing_mm();
  out.model = fmt::format("3D on the image grid: {}×{}×{} voxels of {:.1f}×{:.1f}×{:.1f} mm, {} in the brain, {}; the {}"
                          " calibration's parameters (no bands)",
                          n[0], n[1], n[2], h[0], h[1], h[2], grid.brain_voxels(),
                          grid.has_tissue_masks()
                              ? fmt::format("D in white matter, {} × D in grey",
                                            twin.grid_fit ? twin.grid_fit->grey_to_white_diffusion
                                                          : args.grid_options.grey_to_white_diffusion)
                              : "one tissue",
                          twin.grid_fit ? "3D" : "spherical");
  for (const auto& plan : plans) {
    auto g = grid_twin.forecast(plan);
    out.plans.push_back(std::move(g.forecast));
    out.slices = std::move(g.slices);
  }
  return out;
}

void print_comparison(const Forecasts& forecasts) {
  const auto& twin = forecasts.twin;
  fmt::print("Tumour twin {}: D {:.4f} mm²/day, ρ {:.4f}/day; {}\n", twin.id, twin.fit.params.diffusion_mm2_per_day,
             twin.fit.params.proliferation_per_day, forecasts.model);
  fmt::print("Days gained (Neal 2013) and response 4 weeks after radiotherapy; median [10 %, 90 %]\n\n");
  fmt::print("  {:<44} {:>16} {:>6} {:>8} {:>11} {:>12} {:>12} {:>14}\n", "plan", "days gained", "RANO", "RECIST",
             "responding", "progression", "lethal size", "T1Gd volume");
  for (const auto& f : forecasts.plans)
    fmt::print("  {:<44} {:>16} {:>6} {:>8} {:>10.0f}% {:>12} {:>12} {:>11.1f} ml\n", f.plan,
               fmt::format("{} [{}, {}]", whole_days(f.days_gained_median), whole_days(f.days_gained_low),
                           whole_days(f.days_gained_high)),
               onco::to_string(f.rano), onco::to_string(f.recist), 100 * f.responding_share,
               optional_days(f.median_progression_day), optional_days(f.median_lethal_day), f.t1gd_volume_end_ml);
  for (const auto& f : forecasts.plans)
    if (f.failed_samples > 0)
      fmt::print("\n{}: {} of {} samples left out (not simulable, e.g. too slow to reach the first visit)", f.plan,
                 f.failed_samples, f.samples + f.failed_samples);
  fmt::print("\nprogression, lethal size: days from the plan's start to RANO progression and to a T1Gd radius of 35 mm"
             " (median trajectory); volume: median at the end of the follow-up\n");
}

void write_csv(const PlanForecast& f, const std::string& path) {
  write_file_atomically(path, [&](std::ostream& out) {
    out << "day,t1gd_radius_mm_low,t1gd_radius_mm,t1gd_radius_mm_high,t2_radius_mm_low,t2_radius_mm,t2_radius_mm_high\n";
    for (std::size_t i = 0; i < f.days.size(); ++i)
      out << fmt::format("{},{:.3f},{:.3f},{:.3f},{:.3f},{:.3f},{:.3f}\n", f.days[i], f.t1gd_radius_mm.low[i],
                         f.t1gd_radius_mm.median[i], f.t1gd_radius_mm.high[i], f.t2_radius_mm.low[i],
                         f.t2_radius_mm.median[i], f.t2_radius_mm.high[i]);
  });
}

void run_simulate(const Context& context, const TumourArgs& args) {
  const auto forecasts = forecast(context, args, read_plans({args.plans.front()}));
  const auto& f = forecasts.plans.front();
  if (args.csv) write_csv(f, *args.csv);
  if (args.plot) forecasts.slices ? write_tumour_grid_plot(*forecasts.slices, *args.plot) : write_tumour_plot(f, *args.plot);
  if (args.json) {
    fmt::print("{}\n", plan_forecast_json(f, true).dump(2));
    return;
  }
  print_comparison(forecasts);
  fmt::print("\n  {:>6} {:>24} {:>24}\n", "day", "T1Gd radius (mm)", "T2 radius (mm)");
  for (std::size_t i = 0; i < f.days.size(); i += 30)
    fmt::print("  {:>6.0f} {:>24} {:>24}\n", f.days[i],
               fmt::format("{:.1f} [{:.1f}, {:.1f}]", f.t1gd_radius_mm.median[i], f.t1gd_radius_mm.low[i], f.t1gd_radius_mm.high[i]),
               fmt::format("{:.1f} [{:.1f}, {:.1f}]", f.t2_radius_mm.median[i], f.t2_radius_mm.low[i], f.t2_radius_mm.high[i]));
}

void run_compare(const Context& context, const TumourArgs& args) {
  const auto forecasts = forecast(context, args, plans_with_control(read_plans(args.plans)));
  if (args.json) {
    nlohmann::json out = {{"twin", forecasts.twin.id}, {"model", forecasts.model}, {"plans", nlohmann::json::array()}};
    for (const auto& f : forecasts.plans) out["plans"].push_back(plan_forecast_json(f, false));
    fmt::print("{}\n", out.dump(2));
    return;
  }
  print_comparison(forecasts);
}

void run_synthesize(const SyntheticTumourSpec& spec, const std::string& folder) {
  const auto radii = write_synthetic_tumour(spec, folder);
  fmt::print("Synthetic patient in {}: D {} mm²/day, ρ {}/day, segmentation SD {} mm, {} mm voxels\n", folder,
             spec.truth.diffusion_mm2_per_day, spec.truth.proliferation_per_day, spec.segmentation_sd_mm, spec.voxel_mm);
  if (spec.alpha_per_gy)
    fmt::print("Standard radiotherapy from day {} with α {}/Gy\n", spec.radiotherapy_day, *spec.alpha_per_gy);
  if (spec.temozolomide_max_kill)
    fmt::print("Temozolomide in the Stupp schedule with a maximal kill of {}/day\n", *spec.temozolomide_max_kill);
  if (spec.grid_truth) fmt::print("Grown in 3D on the masks' voxels: D in white matter, D/5 in grey matter\n");
  for (const auto& r : radii)
    fmt::print("  day {:>4.0f}: true T1Gd radius {:.2f} mm, T2 radius {:.2f} mm\n", r.day, r.t1gd_radius_mm, r.t2_radius_mm);
  fmt::print("Next: medtwin tumor calibrate --timeline {}\n", (std::filesystem::path(folder) / "timeline.json").string());
}

void run_trial(const TumourArgs& args) {
  const auto cohort = virtual_tumour_cohort(args.patients, args.seed, args.body_surface_m2);
  const auto arms = run_tumour_trial(cohort, plans_with_control(read_plans(args.plans)));
  if (args.json) {
    nlohmann::json out = {{"patients", args.patients}, {"seed", args.seed}, {"arms", nlohmann::json::array()}};
    for (const auto& a : arms)
      out["arms"].push_back({{"plan", a.plan},
                             {"responding_share", a.responding_share},
                             {"progressing_share", a.progressing_share},
                             {"days_gained", {{"low", a.days_gained_low}, {"median", a.days_gained_median}, {"high", a.days_gained_high}}},
                             {"days_gained_100_share", a.beyond_neal_share}});
    fmt::print("{}\n", out.dump(2));
    return;
  }
  fmt::print("In-silico trial: {} virtual glioma patients (D, ρ log-normal around Rockne's virtual groups; seed {})\n\n",
             args.patients, args.seed);
  fmt::print("  {:<44} {:>11} {:>12} {:>22} {:>14}\n", "plan", "responding", "progressing", "days gained", "≥ 100 days");
  for (const auto& a : arms)
    fmt::print("  {:<44} {:>10.0f}% {:>11.0f}% {:>22} {:>13.0f}%\n", a.plan, 100 * a.responding_share,
               100 * a.progressing_share,
               fmt::format("{} [{}, {}]", whole_days(a.days_gained_median), whole_days(a.days_gained_low),
                           whole_days(a.days_gained_high)),
               100 * a.beyond_neal_share);
  fmt::print("\nresponding: CR or PR by RANO 4 weeks after radiotherapy; progressing: RANO progression within the"
             " follow-up; days gained: median [10 %, 90 %] over patients\n");
}

void add_grid_options(CLI::App& command, TumourArgs& args, const std::string& what) {
  command.add_flag("--grid", args.grid, what);
  command.add_option("--voxel", args.grid_options.voxel_mm, "With --grid: voxel size in mm, merging the images' (default 2;"
                     " 0: the images' own)")->check(CLI::Range(0.0, 10.0));
  command.add_option("--threads", args.grid_options.threads, "With --grid: threads (default 2)")->check(CLI::Range(1, 256));
}

nlohmann::json totals_json(const std::vector<CellularityTotals>& totals) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& t : totals) out.push_back({{"day", t.day}, {"cells", t.cells}, {"volume_ml", t.volume_ml}});
  return out;
}

nlohmann::json cellularity_json(const CellularityReport& r) {
  nlohmann::json j = {{"adc_water_mm2_per_s", r.scale.water_mm2_per_s},
                      {"adc_min_mm2_per_s", r.scale.min_mm2_per_s},
                      {"spacing_mm", r.spacing_mm},
                      {"domain_voxels", r.domain_voxels},
                      {"diffusion_mm2_per_day",
                       {{"value", r.fit.diffusion.value}, {"log_sd", r.fit.diffusion.log_sd}, {"low95", r.fit.diffusion.low95()},
                        {"high95", r.fit.diffusion.high95()}}},
                      {"proliferation_per_day", {{"low", r.rate_low}, {"median", r.rate_median}, {"high", r.rate_high}}},
                      {"rmse_share", r.fit.rmse_share},
                      {"observed", totals_json(r.observed)},
                      {"forecast", totals_json(r.forecast)}};
  if (const auto& b = r.backtest)
    j["backtest"] = {{"day", b->day},
                     {"concordance", b->concordance},
                     {"unchanged_concordance", b->unchanged_concordance},
                     {"cells_error", b->cells_error},
                     {"unchanged_cells_error", b->unchanged_cells_error},
                     {"volume_error", b->volume_error},
                     {"unchanged_volume_error", b->unchanged_volume_error}};
  return j;
}

void print_cellularity(const CellularityTimeline& timeline, const CellularityReport& r) {
  fmt::print("Cellularity twin of {}: reaction–diffusion, one D and a proliferation rate per voxel, from ADC\n",
             timeline.patient.empty() ? "an unnamed patient" : timeline.patient);
  fmt::print("  ADC → cells: free water {:.2e} mm²/s, the tumour's lowest {:.2e} mm²/s; {} voxels of {:.1f}×{:.1f}×{:.1f} mm\n",
             r.scale.water_mm2_per_s, r.scale.min_mm2_per_s, r.domain_voxels, r.spacing_mm[0], r.spacing_mm[1],
             r.spacing_mm[2]);
  fmt::print("  {:<40} {}\n", "D (mm²/day)", fitted_text(r.fit.diffusion, 4));
  if (std::isfinite(r.rate_median))
    fmt::print("  {:<40} {:.4f} [{:.4f}, {:.4f}] (median [10 %, 90 %])\n", "k over the last visit's tumour (1/day)",
               r.rate_median, r.rate_low, r.rate_high);
  fmt::print("  {:<40} {:.4f}\n", "fit RMSE (share of capacity)", r.fit.rmse_share);
  if (const auto& b = r.backtest) {
    fmt::print("\nBacktest: day {:.0f} predicted from the visits before it\n", b->day);
    fmt::print("  {:<24} {:>10} {:>18}\n", "", "model", "nothing changes");
    fmt::print("  {:<24} {:>10.4f} {:>18.4f}\n", "concordance (Lin)", b->concordance, b->unchanged_concordance);
    auto percent = [](double v) { return std::isfinite(v) ? fmt::format("{:+.1f}%", 100 * v) : std::string("–"); };
    fmt::print("  {:<24} {:>10} {:>18}\n", "total cells", percent(b->cells_error), percent(b->unchanged_cells_error));
    fmt::print("  {:<24} {:>10} {:>18}\n", "tumour volume", percent(b->volume_error), percent(b->unchanged_volume_error));
  }
  fmt::print("\n  {:>6} {:>14} {:>12}\n", "day", "cells", "volume (ml)");
  for (const auto& t : r.observed) fmt::print("  {:>6.0f} {:>14.3e} {:>12.2f}  observed\n", t.day, t.cells, t.volume_ml);
  for (const auto& t : r.forecast) fmt::print("  {:>6.0f} {:>14.3e} {:>12.2f}  forecast\n", t.day, t.cells, t.volume_ml);
}

void run_cellularity_command(const std::string& timeline_path, const std::string& images_dir, const CellularityOptions& options,
                             bool json) {
  const std::filesystem::path path(timeline_path);
  const auto timeline = parse_cellularity_timeline(read_file(path), path.filename().string());
  const auto report = run_cellularity(timeline, images_dir.empty() ? path.parent_path() : std::filesystem::path(images_dir), options);
  if (json) {
    fmt::print("{}\n", cellularity_json(report).dump(2));
    return;
  }
  print_cellularity(timeline, report);
}

void add_cellularity_commands(CLI::App& tumour, TumourArgs& args) {
  auto options = std::make_shared<CellularityOptions>();
  auto* cellularity = tumour.add_subcommand("cellularity", "Solid tumour from ADC maps: fit D and k(x), backtest, forecast");
  cellularity->add_option("--timeline", args.timeline, "Cellularity timeline JSON (docs/formats/cellularity_timeline.md)")
      ->required();
  cellularity->add_option("--images", args.images, "Folder of the NIfTI files (default: the timeline's folder)");
  cellularity->add_option("--forecast-days", options->forecast_days, "Forecast this many days after the last visit (default 30)")
      ->check(CLI::Range(1.0, 365.0));
  cellularity->add_option("--threads", options->fit.threads, "Threads (default 1)")->check(CLI::Range(1, 256));
  cellularity->add_flag("--json", args.json, "The report as JSON");
  cellularity->callback([&args, options] { run_cellularity_command(args.timeline, args.images, *options, args.json); });

  auto spec = std::make_shared<SyntheticCellularitySpec>();
  auto folder = std::make_shared<std::string>();
  auto* synthesize =
      tumour.add_subcommand("synthesize-cellularity", "Write a synthetic solid tumour (ADC maps, ROIs, timeline) with known D and k");
  synthesize->add_option("--out", *folder, "Folder to write into")->required();
  synthesize->add_option("--diffusion", spec->diffusion_mm2_per_day, "D in mm²/day (default 0.02)")->check(CLI::PositiveNumber);
  synthesize->add_option("--visit-days", spec->visit_days, "Visit days (default 0 21 42 63)")->expected(2, 20);
  synthesize->add_option("--voxel", spec->voxel_mm, "Voxel size in mm (default 2)")->check(CLI::Range(0.5, 5.0));
  synthesize->add_option("--noise", spec->adc_noise, "ADC noise SD as a share of free water's ADC (default 0)")
      ->check(CLI::Range(0.0, 0.2));
  synthesize->add_option("--seed", spec->seed, "Seed of the noise (default 1)");
  synthesize->callback([spec, folder] {
    const auto cells = write_synthetic_cellularity(*spec, *folder);
    fmt::print("Synthetic solid tumour in {}: D {} mm²/day, k {} … {}/day across it, ADC noise {} of free water's\n", *folder,
               spec->diffusion_mm2_per_day, spec->rate_low, spec->rate_high, spec->adc_noise);
    for (std::size_t i = 0; i < cells.size(); ++i)
      fmt::print("  day {:>4.0f}: {:.1f} voxels' worth of cells\n", spec->visit_days[i], cells[i]);
    fmt::print("Next: medtwin tumor cellularity --timeline {}\n", (std::filesystem::path(*folder) / "timeline.json").string());
  });
}

void run_list(const Context& context) {
  const auto runs = context.open()->model_runs(kTumourTwinKind);
  if (runs.empty()) fmt::print("No tumour twins yet: medtwin tumor calibrate --timeline T.json\n");
  for (const auto& r : runs) fmt::print("{}  {}  {}\n", r.id, format_instant(r.created), r.label);
}

}  // namespace

void show_tumour_demo(Store& store, const std::filesystem::path& samples) {
  fmt::print("\n== A tumour twin from two pre-treatment visits, and four plans compared on it ==\n\n");
  const auto twin = calibrate_and_save(store, samples / "timeline_radii.json", "", 1.0);
  print_twin_summary(twin);
  fmt::print("\n");
  std::vector<std::string> plans;
  for (const char* name : {"standard_rt.json", "hypofractionated_rt.json", "stupp.json", "hypofractionated_tmz.json"})
    plans.push_back((samples / name).string());
  const auto forecasts = forecast_plans(twin, plans_with_control(read_plans(plans)), 12, 1);
  print_comparison({twin, spherical_model(forecasts.front().samples), forecasts, std::nullopt});
}

void add_tumour_command(CLI::App& app, Context& context) {
  auto* tumour = app.add_subcommand("tumor", "Cancer twin: calibrate tumour growth, forecast and compare treatment plans");
  tumour->alias("tumour");
  tumour->require_subcommand(1);
  auto args = std::make_shared<TumourArgs>();

  auto* calibrate = tumour->add_subcommand("calibrate", "Fit the growth model to the visits before treatment; save the twin");
  calibrate->add_option("--timeline", args->timeline, "Timeline JSON (docs/formats/tumour_timeline.md)")->required();
  calibrate->add_option("--images", args->images, "Folder of the NIfTI masks (default: the timeline's folder)");
  calibrate->add_option("--person", args->person,
                        "Whose twin it is (a person of the store): their token opens it, and erasing them erases it");
  calibrate->add_option("--radius-sd", args->radius_sd_mm, "Measurement SD of a radius in mm, for the uncertainty (default 1)")
      ->check(CLI::PositiveNumber);
  calibrate->add_flag("--json", args->json, "The twin with every fitted parameter and its uncertainty as JSON");
  add_grid_options(*calibrate, *args, "Also fit D (white matter) and ρ in 3D to the masks' edges");
  calibrate->callback([args, &context] { run_calibrate(context, *args); });

  auto* simulate = tumour->add_subcommand("simulate", "One plan on a twin: radii with bands, days gained, response");
  simulate->add_option("--twin", args->twin, "The twin's id (from calibrate)")->required();
  simulate->add_option("--plan", args->plans, "Plan JSON (docs/formats/tumour_plan.md)")->required()->expected(1);
  simulate->add_option("--samples", args->samples, "Posterior samples for the bands (default 40)")->check(CLI::Range(1, 2000));
  simulate->add_option("--seed", args->seed, "Seed of the samples (default 1)");
  simulate->add_option("--csv", args->csv, "Write the daily radii with bands to this CSV");
  simulate->add_option("--plot", args->plot, "Draw axial slices with contours and the radius curves into this PNG");
  simulate->add_flag("--json", args->json, "The forecast with its daily series as JSON");
  add_grid_options(*simulate, *args, "Simulate in 3D on the patient's image grid (needs the timeline's brain mask)");
  simulate->callback([args, &context] { run_simulate(context, *args); });

  auto* compare = tumour->add_subcommand("compare", "Plans side by side on one twin, with the untreated control");
  compare->add_option("--twin", args->twin, "The twin's id (from calibrate)")->required();
  compare->add_option("plans", args->plans, "Plan JSON files")->required();
  compare->add_option("--samples", args->samples, "Posterior samples per plan (default 40)")->check(CLI::Range(1, 2000));
  compare->add_option("--seed", args->seed, "Seed of the samples (default 1)");
  compare->add_flag("--json", args->json, "The comparison as JSON");
  add_grid_options(*compare, *args, "Simulate in 3D on the patient's image grid (needs the timeline's brain mask)");
  compare->callback([args, &context] { run_compare(context, *args); });

  add_tumour_verify_command(*tumour);
  tumour->add_subcommand("twins", "The stored tumour twins")->callback([&context] { run_list(context); });
  add_cellularity_commands(*tumour, *args);

  auto* trial = tumour->add_subcommand("trial", "Plans on a virtual cohort: response rates and Days Gained");
  trial->add_option("plans", args->plans, "Plan JSON files")->required();
  trial->add_option("--patients", args->patients, "Virtual patients (default 50)")->check(CLI::Range(1, 5000));
  trial->add_option("--seed", args->seed, "Seed of the cohort (default 1)");
  trial->add_option("--body-surface", args->body_surface_m2, "Body surface area in m² for drug doses (default 1.8)")
      ->check(CLI::Range(0.5, 4.0));
  trial->add_flag("--json", args->json, "The arms as JSON");
  trial->callback([args] { run_trial(*args); });

  auto spec = std::make_shared<SyntheticTumourSpec>();
  auto folder = std::make_shared<std::string>();
  auto* synthesize = tumour->add_subcommand("synthesize", "Write a synthetic patient (masks and timeline) with known D and ρ");
  synthesize->add_option("--out", *folder, "Folder to write into")->required();
  synthesize->add_option("--diffusion", spec->truth.diffusion_mm2_per_day, "D in mm²/day (default 0.1)")->check(CLI::PositiveNumber);
  synthesize->add_option("--proliferation", spec->truth.proliferation_per_day, "ρ in 1/day (default 0.05)")->check(CLI::PositiveNumber);
  synthesize->add_option("--first-t2", spec->first_t2_radius_mm, "T2 radius at the first visit in mm (default 22)")
      ->check(CLI::Range(2.0, 60.0));
  synthesize->add_option("--visit-days", spec->visit_days, "Visit days from the first (default 0 60)")->expected(2, 20);
  synthesize->add_option("--voxel", spec->voxel_mm, "Voxel size in mm (default 2)")->check(CLI::Range(0.5, 5.0));
  synthesize->add_option("--noise", spec->segmentation_sd_mm, "Segmentation SD in mm (default 0)")->check(CLI::Range(0.0, 10.0));
  synthesize->add_option("--seed", spec->seed, "Seed of the noise (default 1)");
  auto* alpha = synthesize->add_option("--alpha", spec->alpha_per_gy, "With it, the standard radiotherapy plan is given (α in 1/Gy)")
                    ->check(CLI::Range(0.001, 1.0));
  synthesize->add_option("--radiotherapy-day", spec->radiotherapy_day, "First fraction, days after the first visit (default 14)")
      ->check(CLI::Range(1.0, 3650.0));
  synthesize->add_option("--temozolomide-kill", spec->temozolomide_max_kill,
                         "With --alpha: temozolomide in the Stupp schedule too, with this maximal kill rate per day")
      ->check(CLI::Range(0.01, 50.0))
      ->needs(alpha);
  synthesize->add_flag("--grid-truth", spec->grid_truth,
                       "Grow the truth in 3D (D in white matter, D/5 in grey) instead of in spherical symmetry; noise-free");
  synthesize->add_option("--offset", spec->tumour_offset_mm, "The tumour's centre from the brain's in mm (default 15 10 5)");
  synthesize->callback([spec, folder] { run_synthesize(*spec, *folder); });
}

}  // namespace medtwin::cli

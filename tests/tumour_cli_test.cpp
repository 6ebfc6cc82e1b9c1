// `medtwin tumor` end to end on synthetic patients made by the solver itself
// (no patient images are shared): masks written as NIfTI, the calibration
// recovering D and ρ, plans compared, and bad input as one line naming the
// file and the field.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "medtwin/io/nifti_volume.hpp"

namespace medtwin::testing {
namespace {

std::string samples(const std::string& name) {
  return quoted(std::filesystem::path(MEDTWIN_SOURCE_DIR) / "data/samples/tumour" / name);
}

// A synthetic patient with D 0.1 mm²/day and ρ 0.05/day in `dir`.
void synthesize(const ScratchDir& dir, const std::string& visit_days = "0 60", const std::string& extra = "") {
  const auto r = run_medtwin("tumor synthesize --out " + quoted(dir / "patient") +
                             " --diffusion 0.1 --proliferation 0.05 --first-t2 22 --visit-days " + visit_days + " " + extra);
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

nlohmann::json calibrate(const ScratchDir& dir) {
  const auto r = run_medtwin("--db " + quoted(dir / "t.db") + " tumor calibrate --json --timeline " +
                             quoted(dir / "patient/timeline.json"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json();
}

void edit_timeline(const ScratchDir& dir, const std::function<void(nlohmann::json&)>& edit) {
  nlohmann::json t;
  std::ifstream(dir / "patient/timeline.json") >> t;
  edit(t);
  std::ofstream(dir / "patient/timeline.json") << t.dump();
}

TEST(TumourCli, RecoversTheParametersFromMasks) {
  ScratchDir dir;
  synthesize(dir);
  const auto twin = calibrate(dir);
  const double d = twin["diffusion_mm2_per_day"]["value"], rho = twin["proliferation_per_day"]["value"];
  std::printf("from 2-mm masks: D %.4f (true 0.1), rho %.4f (true 0.05)\n", d, rho);
  EXPECT_NEAR(d / 0.1, 1, 0.05);
  EXPECT_NEAR(rho / 0.05, 1, 0.05);
  EXPECT_LT(twin["diffusion_mm2_per_day"]["low95"].get<double>(), 0.1);
  EXPECT_GT(twin["diffusion_mm2_per_day"]["high95"].get<double>(), 0.1);
  // The same inputs give the same twin: re-calibrating replaces it.
  EXPECT_EQ(calibrate(dir)["id"], twin["id"]);
  const auto list = run_medtwin("--db " + quoted(dir / "t.db") + " tumor twins");
  EXPECT_EQ(std::count(list.out.begin(), list.out.end(), '\n'), 1) << list.out;
}

// Rockne 2010 fitted α per patient to the MRI after radiotherapy: so does the twin.
TEST(TumourCli, RecoversRadiosensitivityAfterRadiotherapy) {
  ScratchDir dir;
  synthesize(dir, "0 30 120", "--alpha 0.06 --radiotherapy-day 42");
  const auto twin = calibrate(dir);
  ASSERT_TRUE(twin.contains("alpha_per_gy")) << twin.dump();
  const double alpha = twin["alpha_per_gy"]["value"];
  std::printf("alpha %.4f (true 0.06), D %.4f (true 0.1), rho %.4f (true 0.05)\n", alpha,
              twin["diffusion_mm2_per_day"]["value"].get<double>(), twin["proliferation_per_day"]["value"].get<double>());
  EXPECT_NEAR(alpha / 0.06, 1, 0.10);
  EXPECT_LT(twin["alpha_per_gy"]["low95"].get<double>(), 0.06);
  EXPECT_GT(twin["alpha_per_gy"]["high95"].get<double>(), 0.06);
}

// Temozolomide's kill is told apart from radiotherapy's by the visits during
// the adjuvant cycles; plans with temozolomide alone then use it.
TEST(TumourCli, RecoversTheDrugKillThroughTheStuppSchedule) {
  ScratchDir dir;
  synthesize(dir, "0 60 150 210 270", "--alpha 0.06 --temozolomide-kill 5 --radiotherapy-day 74");
  const auto twin = calibrate(dir);
  ASSERT_TRUE(twin.contains("temozolomide_max_kill_per_day")) << twin.dump();
  const auto& kill = twin["temozolomide_max_kill_per_day"];
  const double alpha = twin["alpha_per_gy"]["value"];
  std::printf("alpha %.4f (true 0.06), temozolomide kill %.3f (%.3f-%.3f; true 5)\n", alpha, kill["value"].get<double>(),
              kill["low95"].get<double>(), kill["high95"].get<double>());
  EXPECT_NEAR(alpha / 0.06, 1, 0.05);
  EXPECT_NEAR(kill["value"].get<double>() / 5, 1, 0.10);
  EXPECT_LT(kill["low95"].get<double>(), 5);
  EXPECT_GT(kill["high95"].get<double>(), 5);
  const auto plan = dir / "stupp.json";
  std::ofstream(plan) << R"({"name": "stupp", "radiotherapy": "standard", "temozolomide": {}})";
  const auto r = run_medtwin("--db " + quoted(dir / "t.db") + " tumor simulate --twin " + twin["id"].get<std::string>() +
                             " --plan " + quoted(plan));
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(TumourCli, ComparesPlansAndDrawsThem) {
  ScratchDir dir;
  synthesize(dir);
  edit_timeline(dir, [](nlohmann::json& t) { t["body_surface_m2"] = 1.8; });
  const std::string id = calibrate(dir)["id"];
  const std::string db = "--db " + quoted(dir / "t.db");
  const auto compare = run_medtwin(db + " tumor compare --twin " + id + " --samples 8 --json " + samples("standard_rt.json") +
                                   " " + samples("hypofractionated_rt.json") + " " + samples("stupp.json"));
  ASSERT_EQ(compare.exit_code, 0) << compare.err;
  const auto plans = nlohmann::json::parse(compare.out)["plans"];
  ASSERT_EQ(plans.size(), 4u);
  EXPECT_NEAR(plans[0]["days_gained"]["median"].get<double>(), 0, 0.01);  // the untreated control
  const double standard = plans[1]["days_gained"]["median"], hypo = plans[2]["days_gained"]["median"],
               stupp = plans[3]["days_gained"]["median"];
  EXPECT_GT(standard, hypo);  // 61.2 Gy against 40.05 Gy, same α/β
  EXPECT_GE(stupp, standard);
  const auto simulate = run_medtwin(db + " tumor simulate --twin " + id + " --samples 8 --plan " + samples("stupp.json") +
                                    " --csv " + quoted(dir / "r.csv") + " --plot " + quoted(dir / "r.png"));
  ASSERT_EQ(simulate.exit_code, 0) << simulate.err;
  std::ifstream png(dir / "r.png", std::ios::binary);
  std::string magic(8, '\0');
  png.read(magic.data(), 8);
  EXPECT_EQ(magic, "\x89PNG\r\n\x1a\n");
  std::ifstream csv(dir / "r.csv");
  std::string header;
  std::getline(csv, header);
  EXPECT_EQ(header.substr(0, 26), "day,t1gd_radius_mm_low,t1g");
}

// The 3D twin on the patient's image grid (2-mm voxels, white matter within a
// grey shell) against the spherical twin with the same fitted parameters: the
// synthetic tumour lies in white matter, so the two agree until it reaches
// the grey shell.
TEST(TumourCli, ForecastsOnTheImageGrid) {
  ScratchDir dir;
  synthesize(dir);
  const std::string id = calibrate(dir)["id"];
  const std::string db = "--db " + quoted(dir / "t.db");
  const std::string plans = samples("standard_rt.json") + " " + samples("hypofractionated_rt.json");
  auto compare = [&](const std::string& how) {
    const auto r = run_medtwin(db + " tumor compare --json --twin " + id + " " + how + " " + plans);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? nlohmann::json::parse(r.out)["plans"] : nlohmann::json::array();
  };
  const auto grid = compare("--grid --threads 2"), spherical = compare("--samples 1");
  ASSERT_EQ(grid.size(), 3u);
  ASSERT_EQ(spherical.size(), 3u);
  for (std::size_t i = 1; i < 3; ++i) {
    const double on_grid = grid[i]["days_gained"]["median"], in_sphere = spherical[i]["days_gained"]["median"];
    std::printf("%s: days gained %.1f on the grid, %.1f spherical; RANO %s vs %s\n", grid[i]["plan"].get<std::string>().c_str(),
                on_grid, in_sphere, grid[i]["rano"].get<std::string>().c_str(), spherical[i]["rano"].get<std::string>().c_str());
    EXPECT_NEAR(on_grid, in_sphere, 5);
    EXPECT_EQ(grid[i]["rano"], spherical[i]["rano"]);
  }
  const auto simulate = run_medtwin(db + " tumor simulate --grid --voxel 3 --twin " + id + " --plan " +
                                    samples("standard_rt.json") + " --plot " + quoted(dir / "g.png"));
  ASSERT_EQ(simulate.exit_code, 0) << simulate.err;
  EXPECT_NE(simulate.out.find("voxels of 4.0×4.0×4.0 mm"), std::string::npos) << simulate.out;  // 3 mm: blocks of 2
  std::ifstream png(dir / "g.png", std::ios::binary);
  std::string magic(8, '\0');
  png.read(magic.data(), 8);
  EXPECT_EQ(magic, "\x89PNG\r\n\x1a\n");
  // Radii alone give no images to simulate on.
  const auto radii = run_medtwin(db + " tumor calibrate --json --timeline " + samples("timeline_radii.json"));
  ASSERT_EQ(radii.exit_code, 0) << radii.err;
  const auto none = run_medtwin(db + " tumor simulate --grid --twin " +
                                nlohmann::json::parse(radii.out)["id"].get<std::string>() + " --plan " + samples("standard_rt.json"));
  EXPECT_NE(none.err.find("the 3D model needs a brain mask"), std::string::npos) << none.err;
}

// A truth grown in 3D on the masks' voxels, near the grey-matter shell: the 3D
// calibration recovers D (white matter) and ρ, and its visible tumour matches
// the last visit's T2/FLAIR mask at least as well as the spherical fit's.
TEST(TumourCli, CalibratesInThreeDimensions) {
  ScratchDir dir;
  synthesize(dir, "0 60", "--grid-truth --offset 38 10 5");
  const auto r = run_medtwin("--db " + quoted(dir / "t.db") + " tumor calibrate --json --grid --timeline " +
                             quoted(dir / "patient/timeline.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto twin = nlohmann::json::parse(r.out);
  const auto& fit = twin["grid_fit"];
  const double d = fit["white_diffusion_mm2_per_day"]["value"], rho = fit["proliferation_per_day"]["value"];
  const auto& visit = fit["visits"][0];
  std::printf("3D fit: D %.4f (true 0.1), rho %.4f (true 0.05); T2 Dice %.3f (spherical fit's %.3f)\n", d, rho,
              visit["t2_dice"].get<double>(), visit["spherical_t2_dice"].get<double>());
  EXPECT_NEAR(d / 0.1, 1, 0.10);  // the start's profile costs about 7 % in D at 2 mm (card)
  EXPECT_NEAR(rho / 0.05, 1, 0.02);
  for (const char* p : {"white_diffusion_mm2_per_day", "proliferation_per_day"}) {
    const double truth = std::string(p) == "proliferation_per_day" ? 0.05 : 0.1;
    EXPECT_LT(fit[p]["low95"].get<double>(), truth) << p;
    EXPECT_GT(fit[p]["high95"].get<double>(), truth) << p;
  }
  EXPECT_GE(visit["t2_dice"].get<double>(), visit["spherical_t2_dice"].get<double>());
  EXPECT_GT(visit["t2_dice"].get<double>(), 0.98);
}

// A visit without an enhancing core has no T1Gd Dice: the twin keeps it as
// null and still loads for a 3D forecast (4-mm voxels, to be quick).
TEST(TumourCli, ThreeDimensionalTwinWithoutACoreOnAVisitLoads) {
  ScratchDir dir;
  synthesize(dir, "0 30 60", "--grid-truth");
  auto mask = io::read_nifti_volume(dir / "patient/visit2_t1gd.nii.gz");
  std::fill(mask.values.begin(), mask.values.end(), 0.0f);
  io::write_nifti_volume(mask, dir / "patient/visit2_t1gd.nii.gz");
  const std::string db = "--db " + quoted(dir / "t.db");
  const auto r = run_medtwin(db + " tumor calibrate --json --grid --voxel 4 --timeline " + quoted(dir / "patient/timeline.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto twin = nlohmann::json::parse(r.out);
  EXPECT_TRUE(twin["grid_fit"]["visits"][0]["t1gd_dice"].is_null()) << twin["grid_fit"].dump();
  EXPECT_FALSE(twin["grid_fit"]["visits"][1]["t1gd_dice"].is_null());
  const auto simulate = run_medtwin(db + " tumor simulate --grid --voxel 4 --twin " + twin["id"].get<std::string>() +
                                    " --plan " + samples("standard_rt.json"));
  EXPECT_EQ(simulate.exit_code, 0) << simulate.err;
}

// The cellularity twin on a synthetic solid tumour with ADC noise (2 % of free
// water's): the last of four visits, predicted from the first three, beats the
// naive forecast that nothing changes.
TEST(TumourCli, CellularityTwinBeatsNoChangeOnTheLastVisit) {
  ScratchDir dir;
  const auto made = run_medtwin("tumor synthesize-cellularity --noise 0.02 --out " + quoted(dir / "solid"));
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const auto r = run_medtwin("tumor cellularity --json --timeline " + quoted(dir / "solid/timeline.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  const auto& b = report["backtest"];
  std::printf("day %.0f: CCC %.4f (no change %.4f), total cells %+.1f %% (no change %+.1f %%), volume %+.1f %% (%+.1f %%)\n",
              b["day"].get<double>(), b["concordance"].get<double>(), b["unchanged_concordance"].get<double>(),
              100 * b["cells_error"].get<double>(), 100 * b["unchanged_cells_error"].get<double>(),
              100 * b["volume_error"].get<double>(), 100 * b["unchanged_volume_error"].get<double>());
  EXPECT_GT(b["concordance"].get<double>(), 0.95);  // scored on the ROIs' union only
  EXPECT_GT(b["concordance"].get<double>(), b["unchanged_concordance"].get<double>());
  EXPECT_LT(std::abs(b["cells_error"].get<double>()), 0.05);
  EXPECT_LT(std::abs(b["cells_error"].get<double>()), std::abs(b["unchanged_cells_error"].get<double>()));
  EXPECT_LT(std::abs(b["volume_error"].get<double>()), std::abs(b["unchanged_volume_error"].get<double>()));
  // An ADC in µm²/s read as mm²/s is named; so is a timeline with one visit.
  auto adc = io::read_nifti_volume(dir / "solid/visit1_adc.nii.gz");
  for (auto& v : adc.values) v *= 1e6f;
  io::write_nifti_volume(adc, dir / "solid/visit1_adc.nii.gz");
  const auto unit = run_medtwin("tumor cellularity --timeline " + quoted(dir / "solid/timeline.json"));
  EXPECT_NE(unit.err.find("visit1_adc.nii.gz: an ADC of"), std::string::npos) << unit.err;
  std::ofstream(dir / "solid/one.json") << R"({"domain_mask": "domain.nii.gz", "visits": [{"date": "2026-01-05", "adc": "a", "roi_mask": "b"}]})";
  const auto one = run_medtwin("tumor cellularity --timeline " + quoted(dir / "solid/one.json"));
  EXPECT_NE(one.err.find("one.json: visits: two visits or more"), std::string::npos) << one.err;
}

TEST(TumourCli, DrawsTheVerificationPlots) {
  ScratchDir dir;
  const auto r = run_medtwin("tumor verify --out " + quoted(dir / "plots"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("-0.62 %"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2.00 in space, 2.00 in time"), std::string::npos) << r.out;
  for (const char* plot : {"pi_travelling_wave.svg", "pi_order_space.svg", "pi_order_time.svg"})
    EXPECT_GT(std::filesystem::file_size(dir / "plots" / plot), 2000u) << plot;
}

TEST(TumourCli, BadInputIsNamed) {
  ScratchDir dir;
  synthesize(dir);
  const std::string db = "--db " + quoted(dir / "t.db");
  auto calibrate_error = [&] {
    const auto r = run_medtwin(db + " tumor calibrate --timeline " + quoted(dir / "patient/timeline.json"));
    EXPECT_NE(r.exit_code, 0);
    return r.err;
  };
  edit_timeline(dir, [](nlohmann::json& t) { t["visits"][0]["date"] = "2025-12-01"; });
  EXPECT_NE(calibrate_error().find("timeline.json: visits[0].date: 2025-12-01 is before the diagnosis"), std::string::npos);
  edit_timeline(dir, [](nlohmann::json& t) {
    t["visits"][0]["date"] = "2026-01-05";
    t["visits"][0]["t2_mask"] = "brain_elsewhere.nii.gz";
  });
  const auto other = run_medtwin("tumor synthesize --out " + quoted(dir / "other") + " --voxel 3");
  ASSERT_EQ(other.exit_code, 0) << other.err;
  std::filesystem::copy_file(dir / "other/visit1_t2.nii.gz", dir / "patient/brain_elsewhere.nii.gz");
  EXPECT_NE(calibrate_error().find("brain_elsewhere.nii.gz: not on the grid of brain.nii.gz"), std::string::npos);
  auto mask = io::read_nifti_volume(dir / "patient/brain.nii.gz");
  std::fill(mask.values.begin(), mask.values.end(), 0.0f);
  io::write_nifti_volume(mask, dir / "patient/empty.nii.gz");
  edit_timeline(dir, [](nlohmann::json& t) { t["visits"][0]["t2_mask"] = "empty.nii.gz"; });
  EXPECT_NE(calibrate_error().find("empty.nii.gz: the mask is empty"), std::string::npos);
  // An empty T1Gd mask is a visit without enhancement; the last pre-treatment visit must enhance.
  edit_timeline(dir, [](nlohmann::json& t) {
    t["visits"][0]["t2_mask"] = "visit1_t2.nii.gz";
    t["visits"][1]["t1gd_mask"] = "empty.nii.gz";
  });
  EXPECT_NE(calibrate_error().find("the last visit needs an enhancing (T1Gd) radius"), std::string::npos);
  edit_timeline(dir, [](nlohmann::json& t) { t["visits"][1]["t1gd_mask"] = "visit2_t1gd.nii.gz"; });
  std::fill(mask.values.begin(), mask.values.end(), 1.0f);
  io::write_nifti_volume(mask, dir / "patient/everywhere.nii.gz");
  edit_timeline(dir, [](nlohmann::json& t) { t["visits"][0]["t2_mask"] = "everywhere.nii.gz"; });
  EXPECT_NE(calibrate_error().find("everywhere.nii.gz: the tumour mask reaches outside the brain mask"), std::string::npos);
  edit_timeline(dir, [](nlohmann::json& t) { t["visits"][0]["t2_mask"] = "nothing.nii.gz"; });
  EXPECT_NE(calibrate_error().find("nothing.nii.gz: no such file"), std::string::npos);
  edit_timeline(dir, [](nlohmann::json& t) {
    t.erase("brain_mask");
    t["visits"][0]["t2_mask"] = "visit1_t2.nii.gz";
  });
  EXPECT_NE(calibrate_error().find("white_matter_mask: tissue masks need the brain_mask they lie in"), std::string::npos);
  edit_timeline(dir, [](nlohmann::json& t) { t["brain_mask"] = "brain.nii.gz"; t["visits"][0]["size"] = 1; });
  EXPECT_NE(calibrate_error().find("visits[0].size: unknown key"), std::string::npos);

  const auto plan = dir / "plan.json";
  std::ofstream(plan) << R"({"radiotherapy": "standard", "temozolomide": {}})";
  edit_timeline(dir, [](nlohmann::json& t) { t["visits"][0].erase("size"); });
  const auto twin = calibrate(dir);
  const auto r = run_medtwin(db + " tumor simulate --twin " + twin["id"].get<std::string>() + " --plan " + quoted(plan));
  EXPECT_NE(r.err.find("missing max_kill_per_day"), std::string::npos) << r.err;
  auto plan_error = [&](const std::string& json) {
    std::ofstream(plan) << json;
    return run_medtwin(db + " tumor simulate --twin " + twin["id"].get<std::string>() + " --plan " + quoted(plan)).err;
  };
  EXPECT_NE(plan_error(R"({"drugs": [{"name": "x", "ka_per_h": 1, "clearance_l_per_h": 5, "volume_l": 50,
                                      "ec50_mg_per_l": 2, "hill": 1, "doses": [{"day": 0, "dose_mg": 100}]}]})")
                .find("plan.json: max_kill_per_day: missing: a plan with drugs other than temozolomide"),
            std::string::npos);
  EXPECT_NE(plan_error(R"({"radiotherapy": "standard", "temozolomide": {"adjuvant_cycles": 2.5}, "max_kill_per_day": 1})")
                .find("plan.json: temozolomide.adjuvant_cycles: expected a whole number"),
            std::string::npos);
  EXPECT_NE(plan_error(R"({"radiotherapy": "standard", "temozolomide": {}, "max_kill_per_day": 1, "interaction": "loewe"})")
                .find("plan.json: interaction: how drugs combine needs two drugs"),
            std::string::npos);
  EXPECT_NE(plan_error(R"({"radiotherapy": "standard", "temozolomide": {}, "max_kill_per_day": 1})")
                .find("temozolomide is dosed by body surface: add body_surface_m2 to the timeline"),
            std::string::npos);
  const auto unknown = run_medtwin(db + " tumor simulate --twin tumour-000 --plan " + samples("standard_rt.json"));
  EXPECT_NE(unknown.err.find("no tumour twin 'tumour-000'"), std::string::npos) << unknown.err;
}

}  // namespace
}  // namespace medtwin::testing

#include "medtwin/twin/synthetic_tumour.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "medtwin/core/error.hpp"
#include "medtwin/core/time.hpp"
#include "medtwin/io/nifti_volume.hpp"
#include "medtwin/onco/cellularity.hpp"
#include "medtwin/onco/grid_course.hpp"

namespace medtwin {
namespace {

constexpr std::array<double, 3> kBrainSemiAxesMm{70, 85, 60};
constexpr double kCortexMm = 8;  // grey matter: the brain's outer shell; white matter inside it
constexpr double kGridTruthStartT2Mm = 10;
constexpr double kGridTruthStepDays = 0.25;
constexpr double kGridTruthMaxDays = 3000;
constexpr double kFieldOfViewMm = 180;
constexpr double kBodySurfaceM2 = 1.9;  // of synthetic patients given temozolomide

// A smooth random bump over directions: g·u + uᵀHu, in units of its SD scale.
struct RoughEdge {
  std::array<double, 3> g{};
  std::array<double, 9> h{};
  double offset = 0;
  double at(double x, double y, double z) const {
    const std::array<double, 3> u{x, y, z};
    double v = offset;
    for (std::size_t i = 0; i < 3; ++i) {
      v += g[i] * u[i];
      for (std::size_t j = 0; j < 3; ++j) v += h[3 * i + j] * u[i] * u[j];
    }
    return v;
  }
};

RoughEdge rough_edge(std::mt19937_64& rng, double sd) {
  std::normal_distribution<double> n;
  RoughEdge e;
  e.offset = sd * n(rng);
  for (double& v : e.g) v = 0.5 * sd * n(rng) / std::sqrt(3.0);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = i; j < 3; ++j) e.h[3 * i + j] = e.h[3 * j + i] = 0.25 * sd * n(rng) / std::sqrt(3.0);
  return e;
}

io::Volume empty_volume(const std::string& name, double voxel_mm) {
  io::Volume v;
  v.name = name;
  const auto n = static_cast<std::int64_t>(std::lround(kFieldOfViewMm / voxel_mm));
  v.size = {n, n, n};
  v.spacing_mm = {voxel_mm, voxel_mm, voxel_mm};
  const double origin = -kFieldOfViewMm / 2 + voxel_mm / 2;
  v.to_world = {voxel_mm, 0, 0, origin, 0, voxel_mm, 0, origin, 0, 0, voxel_mm, origin};
  v.values.assign(static_cast<std::size_t>(n * n * n), 0.0f);
  return v;
}

// visit(index, x, y, z) on every voxel with its centre in mm.
template <typename Visit>
void each_voxel_centre(const io::Volume& v, Visit visit) {
  std::size_t i = 0;
  for (std::int64_t k = 0; k < v.size[2]; ++k)
    for (std::int64_t j = 0; j < v.size[1]; ++j)
      for (std::int64_t x = 0; x < v.size[0]; ++x, ++i)
        visit(i, v.to_world[0] * x + v.to_world[3], v.to_world[5] * j + v.to_world[7], v.to_world[10] * k + v.to_world[11]);
}

// Sets the voxels whose centre is `inside`.
template <typename Inside>
void fill(io::Volume& v, Inside inside) {
  each_voxel_centre(v, [&](std::size_t i, double x, double y, double z) { v.values[i] = inside(x, y, z) ? 1.0f : 0.0f; });
}

struct VisitMasks {
  io::Volume t1gd, t2;
};

io::Volume sphere_mask(const SyntheticTumourSpec& spec, double radius_mm, const RoughEdge& edge) {
  auto v = empty_volume("", spec.voxel_mm);
  const auto& centre = spec.tumour_offset_mm;
  fill(v, [&](double x, double y, double z) {
    const double dx = x - centre[0], dy = y - centre[1], dz = z - centre[2];
    const double r = std::sqrt(dx * dx + dy * dy + dz * dz);
    if (r == 0) return radius_mm > 0;
    return r <= radius_mm + edge.at(dx / r, dy / r, dz / r);
  });
  return v;
}

// The spherical truth, drawn with segmentation noise.
std::vector<VisitMasks> spherical_truth_masks(const SyntheticTumourSpec& spec, const std::vector<onco::RadiusVisit>& radii) {
  std::mt19937_64 rng(spec.seed);
  std::vector<VisitMasks> masks;
  for (const auto& r : radii) {
    auto t1gd = sphere_mask(spec, r.t1gd_radius_mm, rough_edge(rng, spec.segmentation_sd_mm));
    masks.push_back({std::move(t1gd), sphere_mask(spec, r.t2_radius_mm, rough_edge(rng, spec.segmentation_sd_mm))});
  }
  return masks;
}

// The 3D truth on the brain's voxels; `radii` receives its sizes.
std::vector<VisitMasks> grid_truth_masks(const SyntheticTumourSpec& spec, const io::Volume& brain, const io::Volume& white,
                                         std::vector<onco::RadiusVisit>& radii) {
  if (spec.segmentation_sd_mm > 0 || spec.alpha_per_gy)
    throw Error("synthetic tumour: a 3D truth is noise-free and untreated");
  if (!(spec.first_t2_radius_mm > kGridTruthStartT2Mm))
    throw Error("synthetic tumour: a 3D truth starts at a T2 radius of 10 mm; the first visit's must be larger");
  const auto& truth = spec.truth;
  onco::TissueGrid grid;
  for (std::size_t a = 0; a < 3; ++a) grid.size[a] = static_cast<std::size_t>(brain.size[a]);
  grid.spacing_mm = brain.spacing_mm;
  grid.diffusion.resize(brain.values.size());
  for (std::size_t q = 0; q < grid.diffusion.size(); ++q)
    grid.diffusion[q] = brain.values[q] > 0.5f
                            ? static_cast<float>(truth.diffusion_mm2_per_day * (white.values[q] > 0.5f ? 1 : 0.2))
                            : 0.0f;
  const auto start = onco::tumour_with_t2_radius(truth, kGridTruthStartT2Mm, {}, onco::kFineGrid);
  onco::GridTumour tumour{std::vector<double>(grid.voxels(), 0), {}};
  const auto& centre = spec.tumour_offset_mm;
  const double a = centre[0] / kBrainSemiAxesMm[0], b = centre[1] / kBrainSemiAxesMm[1], c = centre[2] / kBrainSemiAxesMm[2];
  if (a * a + b * b + c * c >= 1) throw Error("synthetic tumour: the tumour's centre lies outside the brain");
  each_voxel_centre(brain, [&](std::size_t q, double x, double y, double z) {
    if (grid.diffusion[q] > 0) tumour.density[q] = start.density_at_radius(std::hypot(x - centre[0], y - centre[1], z - centre[2]));
  });
  const onco::GridRun run{kGridTruthStepDays, 2, {}};
  onco::GridCourse course(grid, tumour, truth, run);
  double day = 0;
  while (course.measure(day).t2_radius_mm < spec.first_t2_radius_mm) {
    if (day > kGridTruthMaxDays) throw Error("synthetic tumour: the 3D truth never reaches the first T2 radius");
    course.grow(1, nullptr, day++);
  }
  const onco::Visibility visible;
  std::vector<VisitMasks> masks;
  for (double visit : spec.visit_days) {
    if (visit > spec.visit_days.front()) course.grow(visit - radii.back().day, nullptr, 0);
    const auto size = course.measure(visit);
    radii.push_back({visit, size.t1gd_radius_mm, size.t2_radius_mm});
    VisitMasks m{empty_volume("", spec.voxel_mm), empty_volume("", spec.voxel_mm)};
    for (std::size_t p = 0; p < grid.voxels(); ++p) {
      m.t1gd.values[p] = tumour.density[p] >= visible.t1gd_share * truth.carrying_capacity ? 1.0f : 0.0f;
      m.t2.values[p] = tumour.density[p] >= visible.t2_share * truth.carrying_capacity ? 1.0f : 0.0f;
    }
    masks.push_back(std::move(m));
  }
  return masks;
}

std::vector<onco::RadiusVisit> to_visits(const std::vector<onco::TumourSize>& sizes) {
  std::vector<onco::RadiusVisit> radii;
  for (const auto& s : sizes) radii.push_back({s.day, s.t1gd_radius_mm, s.t2_radius_mm});
  return radii;
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text << "\n";
  if (!out.flush()) throw Error(path.string() + ": could not be written");
}

// The Stupp schedule after the spec's radiotherapy, when it has a drug kill.
std::optional<onco::Chemotherapy> synthetic_temozolomide(const SyntheticTumourSpec& spec) {
  if (!spec.temozolomide_max_kill) return std::nullopt;
  if (!spec.alpha_per_gy) throw Error("synthetic tumour: temozolomide comes with radiotherapy (give α)");
  const auto days = onco::fraction_days(onco::standard_radiotherapy(), spec.radiotherapy_day);
  onco::Chemotherapy chemo;
  chemo.drugs.push_back({onco::temozolomide(), onco::stupp_temozolomide(days.front(), days.back(), kBodySurfaceM2)});
  chemo.max_kill_per_day = *spec.temozolomide_max_kill;
  return chemo;
}

std::string date_after(const std::string& diagnosis, double day) {
  const auto d = std::chrono::floor<std::chrono::days>(parse_local_time(diagnosis, "%Y-%m-%d")) +
                 std::chrono::days(static_cast<int>(std::lround(day)));
  return format_instant(Instant{std::chrono::sys_days(d.time_since_epoch())}).substr(0, 10);
}

}  // namespace

std::vector<onco::RadiusVisit> synthetic_radii(const SyntheticTumourSpec& spec) {
  if (!spec.alpha_per_gy)
    return to_visits(onco::sizes_from_t2_radius(spec.truth, spec.first_t2_radius_mm, spec.visit_days, {}, onco::kFineGrid));
  auto tumour = onco::tumour_with_t2_radius(spec.truth, spec.first_t2_radius_mm, {}, onco::kFineGrid);
  const onco::Treatment treatment{
      onco::RadiotherapyCourse{onco::standard_radiotherapy(), spec.radiotherapy_day, {*spec.alpha_per_gy, 10}, {}},
      synthetic_temozolomide(spec)};
  return to_visits(onco::run_spherical(tumour, spec.truth, spec.visit_days.front(), spec.visit_days, treatment,
                                       {onco::kFineGrid.max_step_days, {}}));
}

std::vector<onco::RadiusVisit> write_synthetic_tumour(const SyntheticTumourSpec& spec, const std::filesystem::path& folder) {
  require_positive(spec.voxel_mm, "synthetic tumour: the voxel size");
  for (std::size_t i = 1; i < spec.visit_days.size(); ++i)
    if (!(spec.visit_days[i] > spec.visit_days[i - 1])) throw Error("synthetic tumour: the visit days must increase");
  std::filesystem::create_directories(folder);
  auto inside_ellipsoid = [](double shrink_mm) {
    return [shrink_mm](double x, double y, double z) {
      const double a = x / (kBrainSemiAxesMm[0] - shrink_mm), b = y / (kBrainSemiAxesMm[1] - shrink_mm),
                   c = z / (kBrainSemiAxesMm[2] - shrink_mm);
      return a * a + b * b + c * c <= 1;
    };
  };
  auto brain = empty_volume("brain.nii.gz", spec.voxel_mm), white = empty_volume("white_matter.nii.gz", spec.voxel_mm);
  fill(brain, inside_ellipsoid(0));
  fill(white, inside_ellipsoid(kCortexMm));
  auto grey = brain;
  grey.name = "grey_matter.nii.gz";
  for (std::size_t i = 0; i < grey.values.size(); ++i) grey.values[i] -= white.values[i];
  for (const auto* v : {&brain, &white, &grey}) io::write_nifti_volume(*v, folder / v->name);
  std::vector<onco::RadiusVisit> radii;
  std::vector<VisitMasks> masks;
  if (spec.grid_truth) {
    masks = grid_truth_masks(spec, brain, white, radii);
  } else {
    radii = synthetic_radii(spec);
    masks = spherical_truth_masks(spec, radii);
  }
  nlohmann::json timeline = {{"patient", spec.patient}, {"diagnosis", spec.diagnosis}, {"brain_mask", "brain.nii.gz"},
                             {"white_matter_mask", "white_matter.nii.gz"}, {"grey_matter_mask", "grey_matter.nii.gz"},
                             {"visits", nlohmann::json::array()}};
  for (std::size_t i = 0; i < radii.size(); ++i) {
    const std::string t1 = fmt::format("visit{}_t1gd.nii.gz", i + 1), t2 = fmt::format("visit{}_t2.nii.gz", i + 1);
    masks[i].t1gd.name = t1;
    masks[i].t2.name = t2;
    io::write_nifti_volume(masks[i].t1gd, folder / t1);
    io::write_nifti_volume(masks[i].t2, folder / t2);
    timeline["visits"].push_back({{"date", date_after(spec.diagnosis, radii[i].day)}, {"t1gd_mask", t1}, {"t2_mask", t2}});
  }
  if (spec.alpha_per_gy) {
    const auto plan = onco::standard_radiotherapy();
    timeline["radiotherapy"] = nlohmann::json::array();
    for (double day : onco::fraction_days(plan, spec.radiotherapy_day))
      timeline["radiotherapy"].push_back({{"date", date_after(spec.diagnosis, day)}, {"dose_gy", 1.8}});
  }
  if (const auto chemo = synthetic_temozolomide(spec)) {
    timeline["body_surface_m2"] = kBodySurfaceM2;
    timeline["drugs"] = nlohmann::json::array();
    for (const auto& dose : chemo->drugs.front().doses)
      timeline["drugs"].push_back(
          {{"date", date_after(spec.diagnosis, dose.day)}, {"drug", "temozolomide"}, {"dose_mg", dose.amount_mg}});
  }
  write_file(folder / "timeline.json", timeline.dump(2));
  return radii;
}

namespace {

constexpr std::array<double, 3> kDomainSemiAxesMm{50, 40, 30};
constexpr std::array<double, 3> kSolidTumourCentreMm{5, 0, 0};
constexpr double kSolidTumourWidthMm = 6, kSolidTumourPeak = 0.6, kRoiShare = 0.05;
constexpr double kRateRampMm = 15;  // k goes from low to high over ±this along x

}  // namespace

std::vector<double> write_synthetic_cellularity(const SyntheticCellularitySpec& spec, const std::filesystem::path& folder) {
  require_positive(spec.voxel_mm, "synthetic tumour: the voxel size");
  for (std::size_t i = 1; i < spec.visit_days.size(); ++i)
    if (!(spec.visit_days[i] > spec.visit_days[i - 1])) throw Error("synthetic tumour: the visit days must increase");
  std::filesystem::create_directories(folder);
  auto domain = empty_volume("domain.nii.gz", spec.voxel_mm);
  fill(domain, [](double x, double y, double z) {
    const double a = x / kDomainSemiAxesMm[0], b = y / kDomainSemiAxesMm[1], c = z / kDomainSemiAxesMm[2];
    return a * a + b * b + c * c <= 1;
  });
  io::write_nifti_volume(domain, folder / domain.name);
  onco::TissueGrid grid;
  for (std::size_t a = 0; a < 3; ++a) grid.size[a] = static_cast<std::size_t>(domain.size[a]);
  grid.spacing_mm = domain.spacing_mm;
  grid.diffusion.assign(grid.voxels(), 0.0f);
  grid.proliferation_per_day.assign(grid.voxels(), 0.0f);
  onco::GridTumour tumour{std::vector<double>(grid.voxels(), 0), {}};
  const auto& c = kSolidTumourCentreMm;
  each_voxel_centre(domain, [&](std::size_t p, double x, double y, double z) {
    if (!(domain.values[p] > 0.5f)) return;
    grid.diffusion[p] = static_cast<float>(spec.diffusion_mm2_per_day);
    const double ramp = std::clamp((x - c[0]) / kRateRampMm, -1.0, 1.0);
    grid.proliferation_per_day[p] = static_cast<float>(spec.rate_low + (spec.rate_high - spec.rate_low) * (ramp + 1) / 2);
    const double r = std::hypot(x - c[0], y - c[1], z - c[2]) / kSolidTumourWidthMm;
    tumour.density[p] = kSolidTumourPeak * std::exp(-r * r);
  });
  const onco::PiParams params{spec.diffusion_mm2_per_day, 0, 1};
  const onco::GridRun run{kGridTruthStepDays, 2, {}};
  onco::GridCourse course(grid, tumour, params, run);
  const onco::AdcScale scale{3.0e-3, 0.6e-3};
  std::mt19937_64 rng(spec.seed);
  std::normal_distribution<double> noise(0, spec.adc_noise * scale.water_mm2_per_s);
  nlohmann::json timeline = {{"patient", spec.patient}, {"domain_mask", domain.name}, {"visits", nlohmann::json::array()}};
  std::vector<double> cells;
  onco::run_course(course, spec.visit_days.front(), spec.visit_days, {}, [&](std::size_t i) {
    auto adc = empty_volume(fmt::format("visit{}_adc.nii.gz", i + 1), spec.voxel_mm);
    auto roi = empty_volume(fmt::format("visit{}_roi.nii.gz", i + 1), spec.voxel_mm);
    double total = 0;
    for (std::size_t p = 0; p < grid.voxels(); ++p) {
      const double share = tumour.density[p];
      total += share;
      roi.values[p] = share >= kRoiShare ? 1.0f : 0.0f;
      adc.values[p] = static_cast<float>(std::max(1e-5, scale.adc(share) + (spec.adc_noise > 0 ? noise(rng) : 0.0)));
    }
    cells.push_back(total);
    io::write_nifti_volume(adc, folder / adc.name);
    io::write_nifti_volume(roi, folder / roi.name);
    timeline["visits"].push_back(
        {{"date", date_after(spec.first_date, spec.visit_days[i] - spec.visit_days.front())}, {"adc", adc.name}, {"roi_mask", roi.name}});
  });
  write_file(folder / "timeline.json", timeline.dump(2));
  return cells;
}

}  // namespace medtwin

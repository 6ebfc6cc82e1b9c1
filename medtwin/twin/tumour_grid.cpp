#include "medtwin/twin/tumour_grid.hpp"

#include <algorithm>
#include <cmath>

#include "medtwin/core/error.hpp"
#include "medtwin/io/nifti_volume.hpp"
#include "medtwin/onco/distance_map.hpp"
#include "medtwin/onco/grid_course.hpp"

namespace medtwin {
namespace {

std::vector<std::uint8_t> above_half(const io::Volume& volume) {
  std::vector<std::uint8_t> mask(volume.values.size());
  std::transform(volume.values.begin(), volume.values.end(), mask.begin(), [](float v) { return v > 0.5f ? 1 : 0; });
  return mask;
}

// The brain's bounding box, one voxel wider where there is room: the
// simulation needs nothing outside it.
struct Box {
  std::array<std::int64_t, 3> low{}, high{};  // high exclusive
};

Box brain_box(const io::Volume& brain) {
  Box b{brain.size, {0, 0, 0}};
  std::size_t p = 0;
  for (std::int64_t k = 0; k < brain.size[2]; ++k)
    for (std::int64_t j = 0; j < brain.size[1]; ++j)
      for (std::int64_t i = 0; i < brain.size[0]; ++i, ++p)
        if (brain.values[p] > 0.5f) {
          const std::array<std::int64_t, 3> at{i, j, k};
          for (std::size_t a = 0; a < 3; ++a) {
            b.low[a] = std::min(b.low[a], at[a]);
            b.high[a] = std::max(b.high[a], at[a] + 1);
          }
        }
  if (b.high[0] == 0) throw Error(brain.name + ": the brain mask is empty");
  for (std::size_t a = 0; a < 3; ++a) {
    b.low[a] = std::max<std::int64_t>(0, b.low[a] - 1);
    b.high[a] = std::min(brain.size[a], b.high[a] + 1);
  }
  return b;
}

io::Volume cropped(const io::Volume& v, const Box& b) {
  io::Volume out{v.name, {}, v.spacing_mm, v.to_world, {}};
  for (std::size_t a = 0; a < 3; ++a) out.size[a] = b.high[a] - b.low[a];
  for (std::size_t row = 0; row < 3; ++row)
    for (std::size_t a = 0; a < 3; ++a) out.to_world[4 * row + 3] += v.to_world[4 * row + a] * static_cast<double>(b.low[a]);
  out.values.reserve(static_cast<std::size_t>(out.size[0] * out.size[1] * out.size[2]));
  for (std::int64_t k = b.low[2]; k < b.high[2]; ++k)
    for (std::int64_t j = b.low[1]; j < b.high[1]; ++j)
      for (std::int64_t i = b.low[0]; i < b.high[0]; ++i) out.values.push_back(v.at(i, j, k));
  return out;
}

// Signed distance (mm) to the edge of `region`: negative inside, positive
// outside, the edge half a voxel beyond the outermost region voxel's centre.
std::vector<float> signed_distance(const std::array<std::size_t, 3>& size, const std::array<double, 3>& spacing,
                                   std::vector<std::uint8_t> region) {
  const auto outside = onco::distance_to_region(size, spacing, region);
  for (auto& v : region) v = v ? 0 : 1;
  const auto inside = onco::distance_to_region(size, spacing, region);
  const auto half = static_cast<float>(*std::min_element(spacing.begin(), spacing.end()) / 2);
  std::vector<float> d(region.size());
  for (std::size_t p = 0; p < d.size(); ++p) d[p] = region[p] ? outside[p] - half : half - inside[p];
  return d;
}

// The density of the spherical tumour at radius r (mm), linear between shell centres.
double profile_at(const onco::SphericalTumour& t, double r) {
  const double x = r / t.shell_mm - 0.5;
  if (x <= 0) return t.density_at(0);
  const auto i = static_cast<std::size_t>(x);
  if (i + 1 >= t.density.size()) return t.density_at(t.density.size() - 1);
  const double share = x - static_cast<double>(i);
  return (1 - share) * t.density_at(i) + share * t.density_at(i + 1);
}

}  // namespace

template <typename Fine>
std::vector<double> GridTwin::block_mean(Fine fine) const {
  std::vector<double> sum(size_[0] * size_[1] * size_[2], 0), count(sum.size(), 0);
  std::size_t p = 0;
  for (std::size_t k = 0; k < fine_size_[2]; ++k)
    for (std::size_t j = 0; j < fine_size_[1]; ++j)
      for (std::size_t i = 0; i < fine_size_[0]; ++i, ++p) {
        const std::size_t q = i / block_[0] + size_[0] * (j / block_[1] + size_[1] * (k / block_[2]));
        sum[q] += fine(p);
        count[q] += 1;
      }
  for (std::size_t q = 0; q < sum.size(); ++q) sum[q] /= count[q];
  return sum;
}

template <typename T, typename Value>
std::vector<T> GridTwin::slice(Value value) const {
  std::vector<T> out(size_[0] * size_[1]);
  for (std::size_t q = 0; q < out.size(); ++q) out[q] = static_cast<T>(value(q + out.size() * slice_k_));
  return out;
}

GridTwin::GridTwin(const TumourTwin& twin, const GridOptions& options) : twin_(twin), options_(options) {
  if (!twin.images)
    throw Error("tumour twin " + twin.id + ": the 3D model needs a brain mask and a T2/FLAIR mask on the last "
                "calibration visit (docs/formats/tumour_timeline.md)");
  require_positive(options.max_step_days, "the time step");
  require_positive(options.grey_to_white_diffusion, "the grey-to-white diffusion ratio");
  const auto& images = *twin.images;
  const std::filesystem::path folder(images.folder);
  const auto whole_brain = io::read_nifti_volume(folder / images.brain_mask);
  const Box box = brain_box(whole_brain);
  auto read = [&](const std::string& name) {
    const auto volume = io::read_nifti_volume(folder / name);
    io::require_same_grid(whole_brain, volume);
    return cropped(volume, box);
  };
  const auto brain = cropped(whole_brain, box);
  const auto t2 = read(images.t2_mask);
  for (std::size_t a = 0; a < 3; ++a) {
    fine_size_[a] = static_cast<std::size_t>(brain.size[a]);
    const double ratio = options.voxel_mm > 0 ? options.voxel_mm / brain.spacing_mm[a] : 1.0;
    block_[a] = static_cast<std::size_t>(std::clamp<long>(std::lround(ratio), 1, static_cast<long>(fine_size_[a])));
    size_[a] = (fine_size_[a] + block_[a] - 1) / block_[a];
    spacing_[a] = brain.spacing_mm[a] * static_cast<double>(block_[a]);
  }
  fine_brain_ = above_half(brain);
  const auto t2_region = above_half(t2);
  if (io::mask_voxels(t2) == 0) throw Error(t2.name + ": the mask is empty");
  signed_distance_mm_ = signed_distance(fine_size_, brain.spacing_mm, t2_region);
  const auto brain_share = block_mean([&](std::size_t p) { return fine_brain_[p]; });
  brain_.resize(brain_share.size());
  for (std::size_t q = 0; q < brain_.size(); ++q) brain_[q] = brain_share[q] >= 0.5 ? 1 : 0;
  white_.assign(brain_.size(), 0);
  if (!images.white_matter_mask.empty()) {
    const auto white = read(images.white_matter_mask);
    const auto white_share = block_mean([&](std::size_t p) { return white.values[p] > 0.5f ? 1.0 : 0.0; });
    for (std::size_t q = 0; q < white_.size(); ++q) white_[q] = brain_[q] && white_share[q] >= 0.5 ? 1 : 0;
  }
  // Grey matter is every brain voxel that is not white; its mask is checked only.
  if (!images.grey_matter_mask.empty()) read(images.grey_matter_mask);
  has_tissues_ = !images.white_matter_mask.empty() || !images.grey_matter_mask.empty();
  // The picture's slice: the one with the most T2/FLAIR abnormality.
  const auto t2_share = block_mean([&](std::size_t p) { return t2_region[p]; });
  std::vector<double> area(size_[2], 0);
  for (std::size_t q = 0; q < t2_share.size(); ++q) area[q / (size_[0] * size_[1])] += t2_share[q];
  slice_k_ = static_cast<std::size_t>(std::max_element(area.begin(), area.end()) - area.begin());
}

std::size_t GridTwin::brain_voxels() const { return static_cast<std::size_t>(std::count(brain_.begin(), brain_.end(), 1)); }

onco::TissueGrid GridTwin::tissue_grid(const onco::PiParams& params) const {
  onco::TissueGrid grid{size_, spacing_, std::vector<float>(brain_.size(), 0.0f)};
  const double white = params.diffusion_mm2_per_day, grey = white * options_.grey_to_white_diffusion;
  for (std::size_t q = 0; q < brain_.size(); ++q)
    if (brain_[q]) grid.diffusion[q] = static_cast<float>(has_tissues_ && !white_[q] ? grey : white);
  return grid;
}

onco::GridTumour GridTwin::initial_tumour(const onco::PiParams& params) const {
  const auto& o = twin_.options;
  auto profile = onco::tumour_with_t2_radius(params, twin_.first_t2_radius_mm, o.visibility, o.grid);
  if (twin_.last_calibration_day > twin_.first_visit_day)
    onco::run_spherical(profile, params, twin_.first_visit_day, {twin_.last_calibration_day}, {},
                        {o.grid.max_step_days, o.visibility});
  const double t2_radius = profile.radius_at(o.visibility.t2_share * params.carrying_capacity);
  onco::GridTumour tumour{block_mean([&](std::size_t p) {
                            return fine_brain_[p] ? profile_at(profile, t2_radius + signed_distance_mm_[p]) : 0.0;
                          }),
                          {}};
  for (std::size_t q = 0; q < brain_.size(); ++q)
    if (!brain_[q]) tumour.density[q] = 0;
  return tumour;
}

PlanTrajectories GridTwin::simulate(const onco::PiParams& params, const onco::Treatment& treatment,
                                    const std::vector<double>& days, std::map<double, std::vector<float>>& slices,
                                    std::vector<std::uint8_t>& field) {
  const auto grid = tissue_grid(params);
  const onco::GridRun run{options_.max_step_days, options_.threads, twin_.options.visibility};
  const double start = twin_.last_calibration_day;
  const auto first = initial_tumour(params);
  if (!control_ || control_->back().day < days.back()) {
    // Days Gained compares with the whole untreated history: the spherical
    // twin's before the images' day, the 3D one after.
    const auto& o = twin_.options;
    control_ = onco::untreated_history(params, twin_.first_t2_radius_mm, twin_.first_visit_day, start, o.visibility, o.grid);
    std::erase_if(*control_, [&](const onco::TumourSize& s) { return s.day >= start; });
    auto untreated = first;
    onco::GridCourse course(grid, untreated, params, run);
    const auto after = onco::run_course(course, start, days, {});
    control_->insert(control_->end(), after.begin(), after.end());
  }
  auto tumour = first;
  onco::GridCourse course(grid, tumour, params, run);
  const double to_share = 1 / params.carrying_capacity;
  PlanTrajectories t;
  t.treated = onco::run_course(course, start, days, treatment, [&](std::size_t i) {
    slices[days[i]] = slice<float>([&](std::size_t q) { return tumour.density_at(q) * to_share; });
  });
  t.control = *control_;
  if (course.fields() > 0) field = slice<std::uint8_t>([&](std::size_t q) { return course.field(0)[q]; });
  return t;
}

GridForecast GridTwin::forecast(const TumourPlan& plan) {
  std::map<double, std::vector<float>> daily;
  GridForecast g;
  auto& s = g.slices;
  g.forecast = forecast_plan(twin_, plan, 1, 1, [&](const onco::PiParams& params, const onco::Treatment& treatment,
                                                     const std::vector<double>& days) {
    return simulate(params, treatment, days, daily, s.field);
  });
  const auto& f = g.forecast;
  s.width = size_[0];
  s.height = size_[1];
  s.spacing_mm = {spacing_[0], spacing_[1]};
  s.brain = slice<std::uint8_t>([&](std::size_t q) { return brain_[q]; });
  s.white_matter = slice<std::uint8_t>([&](std::size_t q) { return white_[q]; });
  s.visibility = twin_.options.visibility;
  s.days = {f.start_day, f.assessment_day, f.days.back()};
  for (double day : s.days) {
    auto at = daily.lower_bound(day);
    if (at == daily.end()) at = std::prev(daily.end());
    s.density_share.push_back(at->second);
  }
  return g;
}

}  // namespace medtwin

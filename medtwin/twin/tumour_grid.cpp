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

}  // namespace

template <typename Fine>
std::vector<double> PatientGrid::block_mean(Fine fine) const {
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

PatientGrid::PatientGrid(const TumourImages& images, double voxel_mm) : folder_(images.folder) {
  // The brain's bounding box, one voxel wider where there is room: the
  // simulation needs nothing outside it.
  auto whole_brain = io::read_nifti_volume(folder_ / images.brain_mask);
  crop_ = io::mask_bounds({&whole_brain}, {1, 1, 1});
  const auto brain = io::crop(whole_brain, crop_);
  whole_brain.values = {};
  brain_header_ = std::move(whole_brain);
  for (std::size_t a = 0; a < 3; ++a) {
    fine_size_[a] = static_cast<std::size_t>(brain.size[a]);
    fine_spacing_[a] = brain.spacing_mm[a];
    const double ratio = voxel_mm > 0 ? voxel_mm / brain.spacing_mm[a] : 1.0;
    block_[a] = static_cast<std::size_t>(std::clamp<long>(std::lround(ratio), 1, static_cast<long>(fine_size_[a])));
    size_[a] = (fine_size_[a] + block_[a] - 1) / block_[a];
    spacing_[a] = brain.spacing_mm[a] * static_cast<double>(block_[a]);
  }
  fine_brain_ = above_half(brain);
  brain_ = coarse_mask(fine_brain_);
  // White matter from its mask, else the brain without the grey-matter mask;
  // grey matter is every other brain voxel.
  white_.assign(brain_.size(), 0);
  if (!images.white_matter_mask.empty()) {
    white_ = coarse_mask(read_mask(images.white_matter_mask, true));
    if (!images.grey_matter_mask.empty()) read_mask(images.grey_matter_mask, true);  // checked only
  } else if (!images.grey_matter_mask.empty()) {
    auto white = read_mask(images.grey_matter_mask, true);
    for (std::size_t p = 0; p < white.size(); ++p) white[p] = fine_brain_[p] && !white[p];
    white_ = coarse_mask(white);
  }
  for (std::size_t q = 0; q < white_.size(); ++q) white_[q] = white_[q] && brain_[q];
  has_tissues_ = !images.white_matter_mask.empty() || !images.grey_matter_mask.empty();
}

std::vector<std::uint8_t> PatientGrid::read_mask(const std::string& name, bool may_be_empty) const {
  const auto volume = io::read_nifti_volume(folder_ / name);
  io::require_same_grid(brain_header_, volume);
  const auto mask = above_half(io::crop(volume, crop_));
  if (!may_be_empty && std::find(mask.begin(), mask.end(), 1) == mask.end()) throw Error(volume.name + ": the mask is empty");
  return mask;
}

std::vector<std::uint8_t> PatientGrid::coarse_mask(const std::vector<std::uint8_t>& fine_mask) const {
  const auto share = block_mean([&](std::size_t p) { return fine_mask[p]; });
  std::vector<std::uint8_t> mask(share.size());
  std::transform(share.begin(), share.end(), mask.begin(), [](double v) { return v >= 0.5 ? 1 : 0; });
  return mask;
}

std::vector<float> PatientGrid::signed_distance(const std::vector<std::uint8_t>& fine_mask) const {
  auto region = fine_mask;
  const auto outside = onco::distance_to_region(fine_size_, fine_spacing_, region);
  for (auto& v : region) v = v ? 0 : 1;
  const auto inside = onco::distance_to_region(fine_size_, fine_spacing_, region);
  // The edge lies half a voxel beyond the centres of the mask's outermost voxels.
  const auto half = static_cast<float>(*std::min_element(fine_spacing_.begin(), fine_spacing_.end()) / 2);
  std::vector<float> d(region.size());
  for (std::size_t p = 0; p < d.size(); ++p) d[p] = region[p] ? outside[p] - half : half - inside[p];
  return d;
}

double PatientGrid::equivalent_radius(const std::vector<std::uint8_t>& fine_mask) const {
  const auto voxels = static_cast<double>(std::count(fine_mask.begin(), fine_mask.end(), 1));
  return onco::equivalent_radius_mm(voxels * fine_spacing_[0] * fine_spacing_[1] * fine_spacing_[2]);
}

std::size_t PatientGrid::brain_voxels() const { return static_cast<std::size_t>(std::count(brain_.begin(), brain_.end(), 1)); }

onco::TissueGrid PatientGrid::tissue_grid(double white_diffusion, double grey_to_white) const {
  onco::TissueGrid grid{size_, spacing_, std::vector<float>(brain_.size(), 0.0f), {}};
  const double grey = white_diffusion * grey_to_white;
  for (std::size_t q = 0; q < brain_.size(); ++q)
    if (brain_[q]) grid.diffusion[q] = static_cast<float>(has_tissues_ && !white_[q] ? grey : white_diffusion);
  return grid;
}

onco::GridTumour PatientGrid::tumour_at_edge(const std::vector<float>& edge_distance, const onco::SphericalTumour& profile,
                                             double profile_t2_radius_mm) const {
  onco::GridTumour tumour{block_mean([&](std::size_t p) {
                            return fine_brain_[p] ? profile.density_at_radius(profile_t2_radius_mm + edge_distance[p]) : 0.0;
                          }),
                          {}};
  for (std::size_t q = 0; q < brain_.size(); ++q)
    if (!brain_[q]) tumour.density[q] = 0;
  return tumour;
}

TumourTwin with_grid_parameters(const TumourTwin& twin) {
  TumourTwin out = twin;
  if (const auto& g = twin.grid_fit) {
    out.fit.diffusion = g->white_diffusion;
    out.fit.proliferation = g->proliferation;
    out.fit.log_correlation = g->log_correlation;
    out.fit.params = {g->white_diffusion.value, g->proliferation.value, twin.options.carrying_capacity};
  }
  return out;
}

namespace {

const TumourImages& images_of(const TumourTwin& twin) {
  if (!twin.images)
    throw Error("tumour twin " + twin.id + ": the 3D model needs a brain mask and a T2/FLAIR mask on the last "
                "calibration visit (docs/formats/tumour_timeline.md)");
  return *twin.images;
}

// The picture's slice: the constant k with the most of the mask.
std::size_t largest_axial_slice(const std::vector<std::uint8_t>& mask, std::array<std::size_t, 3> size) {
  std::vector<std::size_t> area(size[2], 0);
  for (std::size_t q = 0; q < mask.size(); ++q) area[q / (size[0] * size[1])] += mask[q];
  return static_cast<std::size_t>(std::max_element(area.begin(), area.end()) - area.begin());
}

std::vector<std::uint8_t> axial_slice(const std::vector<std::uint8_t>& volume, std::array<std::size_t, 3> size,
                                      std::size_t k) {
  const std::size_t plane = size[0] * size[1];
  return {volume.begin() + static_cast<std::ptrdiff_t>(plane * k), volume.begin() + static_cast<std::ptrdiff_t>(plane * (k + 1))};
}

}  // namespace

VisitMaskSlices visit_mask_slices(const TumourTwin& twin) {
  auto images = images_of(twin);
  if (images.visit_masks.empty()) throw Error("this tumour twin keeps no visit masks: calibrate it again to draw them");
  images.white_matter_mask = images.grey_matter_mask = "";  // the pictures need the brain alone
  const PatientGrid grid(images, 0);                          // the images' own voxels
  const auto size = grid.size();
  std::vector<std::vector<std::uint8_t>> t2(images.visit_masks.size());
  for (std::size_t v = 0; v < t2.size(); ++v)
    if (!images.visit_masks[v].t2.empty()) t2[v] = grid.read_mask(images.visit_masks[v].t2, false);
  // The slice where the last calibration visit's T2/FLAIR mask is largest.
  const auto last = std::find_if(images.visit_masks.begin(), images.visit_masks.end(),
                                 [&](const VisitMasks& m) { return m.t2 == images.t2_mask; });
  const std::size_t k = largest_axial_slice(last != images.visit_masks.end() ? t2[std::size_t(last - images.visit_masks.begin())]
                                                                              : grid.read_mask(images.t2_mask, false),
                                            size);
  VisitMaskSlices out{size[0], size[1], {grid.spacing_mm()[0], grid.spacing_mm()[1]}, axial_slice(grid.brain(), size, k), {}};
  for (std::size_t v = 0; v < t2.size(); ++v) {
    if (t2[v].empty()) continue;
    const auto& t1gd_name = images.visit_masks[v].t1gd;
    const auto t1gd = t1gd_name.empty() ? std::vector<std::uint8_t>(t2[v].size(), 0) : grid.read_mask(t1gd_name, true);
    out.visits.push_back({v, axial_slice(t1gd, size, k), axial_slice(t2[v], size, k)});
  }
  return out;
}

GridTwin::GridTwin(const TumourTwin& twin, const GridOptions& options)
    : twin_(with_grid_parameters(twin)), options_(options), grid_(images_of(twin), options.voxel_mm) {
  require_positive(options.max_step_days, "the time step");
  require_positive(options.grey_to_white_diffusion, "the grey-to-white diffusion ratio");
  if (twin.grid_fit) options_.grey_to_white_diffusion = twin.grid_fit->grey_to_white_diffusion;
  const auto t2 = grid_.read_mask(twin.images->t2_mask, false);
  edge_distance_ = grid_.signed_distance(t2);
  t2_radius_mm_ = grid_.equivalent_radius(t2);
  slice_k_ = largest_axial_slice(grid_.coarse_mask(t2), grid_.size());
}

template <typename T, typename Value>
std::vector<T> GridTwin::slice(Value value) const {
  std::vector<T> out(grid_.size()[0] * grid_.size()[1]);
  for (std::size_t q = 0; q < out.size(); ++q) out[q] = static_cast<T>(value(q + out.size() * slice_k_));
  return out;
}

// Not thread-safe (the control, slices and field are kept here): forecast
// runs one sample, the twin's fitted parameters, for which the control holds.
PlanTrajectories GridTwin::simulate(const onco::PiParams& params, const onco::Treatment& treatment,
                                    const std::vector<double>& days, std::map<double, std::vector<float>>& slices,
                                    std::vector<std::uint8_t>& field) {
  const auto tissue = grid_.tissue_grid(params.diffusion_mm2_per_day, options_.grey_to_white_diffusion);
  const auto& o = twin_.options;
  const onco::GridRun run{options_.max_step_days, options_.threads, o.visibility};
  const double start = twin_.last_calibration_day;
  const auto profile = onco::tumour_with_t2_radius(params, t2_radius_mm_, o.visibility, o.grid);
  const auto first = grid_.tumour_at_edge(edge_distance_, profile, t2_radius_mm_);
  if (!control_ || control_->back().day < days.back()) {
    // Days Gained compares with the whole untreated history: the spherical
    // model's before the images' day, the 3D one after.
    control_ = onco::untreated_history(params, twin_.first_t2_radius_mm, twin_.first_visit_day, start, o.visibility, o.grid);
    std::erase_if(*control_, [&](const onco::TumourSize& s) { return s.day >= start; });
    auto untreated = first;
    onco::GridCourse course(tissue, untreated, params, run);
    const auto after = onco::run_course(course, start, days, {});
    control_->insert(control_->end(), after.begin(), after.end());
  }
  auto tumour = first;
  onco::GridCourse course(tissue, tumour, params, run);
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
  s.width = grid_.size()[0];
  s.height = grid_.size()[1];
  s.spacing_mm = {grid_.spacing_mm()[0], grid_.spacing_mm()[1]};
  s.brain = slice<std::uint8_t>([&](std::size_t q) { return grid_.brain()[q]; });
  s.white_matter = slice<std::uint8_t>([&](std::size_t q) { return grid_.white_matter()[q]; });
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

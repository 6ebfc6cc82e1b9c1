#include "medtwin/twin/tumour_grid_fit.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "medtwin/core/error.hpp"
#include "medtwin/io/file_hash.hpp"
#include "medtwin/onco/grid_course.hpp"
#include "medtwin/onco/log_fit.hpp"

namespace medtwin {
namespace {

constexpr int kFarthestVoxels = 15;     // the model's contour is looked for this far along a line
constexpr double kEmptyShare = 1e-12;    // of K: the log-density's floor
constexpr double kLeastLogSlope = 0.05;  // 1/mm: a flatter log-density is taken as this steep
// Each evaluation is a 3D simulation: stop when the cost settles to 10⁻⁶ of itself.
constexpr double kFunctionTolerance = 1e-6;

// One mask's edge as faces between a voxel inside it and its neighbour
// outside, both in the brain: the observed edge lies on the face.
struct Face {
  std::size_t inside;
  std::size_t axis;
  std::ptrdiff_t outward;  // +1 or −1 along the axis, from inside to outside
};

struct Edge {
  double level = 0;  // cells/mm³ of the visibility threshold
  std::vector<Face> faces;
  std::vector<std::uint8_t> mask;
  double weight = 0;  // 1/(σ·√n)
};

struct LaterVisit {
  double day = 0;
  std::optional<Edge> t1gd;  // none without an enhancing core
  Edge t2;
};

// The voxel `m` steps from q along `axis` (negative: backwards), or none off the grid.
std::optional<std::size_t> along(const onco::TissueGrid& grid, std::size_t q, std::size_t axis, std::ptrdiff_t m) {
  const auto at = static_cast<std::ptrdiff_t>(grid.coordinate(q, axis)) + m;
  if (at < 0 || at >= static_cast<std::ptrdiff_t>(grid.size[axis])) return std::nullopt;
  return static_cast<std::size_t>(static_cast<std::ptrdiff_t>(q) + m * static_cast<std::ptrdiff_t>(grid.stride(axis)));
}

Edge edge_of(const std::vector<std::uint8_t>& mask, const onco::TissueGrid& grid, double level, double sd_mm) {
  Edge e{level, {}, mask, 0};
  for (std::size_t q = 0; q < mask.size(); ++q) {
    if (!mask[q] || grid.diffusion[q] <= 0) continue;
    for (int a = 0; a < 3; ++a)
      for (const std::ptrdiff_t direction : {-1, 1}) {
        const auto next = along(grid, q, static_cast<std::size_t>(a), direction);
        if (next && !mask[*next] && grid.diffusion[*next] > 0) e.faces.push_back({q, static_cast<std::size_t>(a), direction});
      }
  }
  e.weight = e.faces.empty() ? 0 : 1 / (sd_mm * std::sqrt(static_cast<double>(e.faces.size())));
  return e;
}

// The distance (mm) from voxel q's centre out to the contour c = level, to
// first order: ln(c/level)/|∇ln c|, the gradient by differences within the brain.
double linearised_distance(const onco::GridTumour& t, const onco::TissueGrid& grid, std::size_t q, double level,
                           double floor) {
  auto log_c = [&](std::size_t p) { return std::log(std::max(t.density_at(p), floor)); };
  double slope2 = 0;
  for (std::size_t a = 0; a < 3; ++a) {
    auto in_brain = [&](std::ptrdiff_t m) {
      const auto p = along(grid, q, a, m);
      return p && grid.diffusion[*p] > 0 ? p : std::nullopt;
    };
    const auto down = in_brain(-1), up = in_brain(1);
    if (!down && !up) continue;
    const double high = log_c(up.value_or(q)), low = log_c(down.value_or(q));
    const double g = (high - low) / (grid.spacing_mm[a] * ((up ? 1 : 0) + (down ? 1 : 0)));
    slope2 += g * g;
  }
  return (log_c(q) - std::log(level)) / std::max(std::sqrt(slope2), kLeastLogSlope);
}

// Where the model's contour c = level crosses the line through a face, from
// the face outward (mm): log-density linear between voxel centres, looked for
// up to kFarthestVoxels either way (the line stops at the grid's edge). Where
// the line does not cross it (a mask's one-voxel spur), to first order.
double contour_beyond(const onco::GridTumour& t, const onco::TissueGrid& grid, const Face& f, double level,
                      double floor) {
  const double h = grid.spacing_mm[f.axis], log_level = std::log(level);
  // log c at m voxels outward of the inside voxel (m may be negative), or none off the grid.
  auto log_c = [&](int m) -> std::optional<double> {
    const auto p = along(grid, f.inside, f.axis, f.outward * m);
    if (!p) return std::nullopt;
    return std::log(std::max(t.density_at(*p), floor));
  };
  auto crossing = [&](int m, double above, double below) {  // between m and m + 1
    return h * (m + (above - log_level) / (above - below) - 0.5);
  };
  const bool inside_visible = *log_c(0) >= log_level;
  for (int m = 0; m < kFarthestVoxels; ++m) {
    const int lo = inside_visible ? m : -m - 1;  // walk outward while visible, inward while not
    const auto a = log_c(lo), b = log_c(lo + 1);
    if (!a || !b) break;
    if (*a >= log_level && *b < log_level) return crossing(lo, *a, *b);
  }
  const double farthest = h * (kFarthestVoxels + 0.5);
  return std::clamp(linearised_distance(t, grid, f.inside, level, floor) - h / 2, -farthest, farthest);
}

double dice(const onco::GridTumour& t, const Edge& e) {
  double both = 0, model = 0, mask = 0;
  for (std::size_t q = 0; q < e.mask.size(); ++q) {
    const bool visible = t.density_at(q) >= e.level;
    both += visible && e.mask[q];
    model += visible;
    mask += e.mask[q];
  }
  return model + mask > 0 ? 2 * both / (model + mask) : 1.0;
}

// The pre-treatment visits; throws Error when one lacks a mask the fit reads
// (the first visit's T2/FLAIR mask, both masks of the later ones).
std::vector<const TumourVisitEntry*> calibration_visits(const TumourTwin& twin, const TumourTimeline& timeline) {
  std::vector<const TumourVisitEntry*> visits;
  for (std::size_t i = 0; i < twin.visits.size(); ++i) {
    if (!twin.visits[i].calibrated_on) continue;
    const auto& v = timeline.visits[i];
    if (v.t2_mask.empty() || (!visits.empty() && v.t1gd_mask.empty()))
      throw Error(timeline.file + ": visits[" + std::to_string(i) + "]: the 3D calibration needs " +
                  (visits.empty() ? "a T2/FLAIR mask on the first visit" : "T1Gd and T2/FLAIR masks"));
    visits.push_back(&v);
  }
  return visits;
}

class GridCalibration {
 public:
  GridCalibration(const TumourTwin& twin, const TumourTimeline& timeline, const GridOptions& options)
      : twin_(twin), options_(options), grid_(*twin.images, options.voxel_mm),
        shape_(grid_.tissue_grid(1, options.grey_to_white_diffusion)) {
    const auto visits = calibration_visits(twin, timeline);
    const auto first = grid_.read_mask(visits.front()->t2_mask, false);
    edge_distance_ = grid_.signed_distance(first);
    first_t2_radius_mm_ = grid_.equivalent_radius(first);
    first_day_ = visits.front()->day;
    const double k = twin.options.carrying_capacity, sd = twin.options.radius_sd_mm;
    const auto& visible = twin.options.visibility;
    for (std::size_t i = 1; i < visits.size(); ++i) {
      LaterVisit later{visits[i]->day, std::nullopt,
                       edge_of(grid_.coarse_mask(grid_.read_mask(visits[i]->t2_mask, false)), shape_, visible.t2_share * k, sd)};
      auto t1gd = edge_of(grid_.coarse_mask(grid_.read_mask(visits[i]->t1gd_mask, true)), shape_, visible.t1gd_share * k, sd);
      if (!t1gd.faces.empty()) later.t1gd = std::move(t1gd);
      residual_count_ += static_cast<int>(later.t2.faces.size() + (later.t1gd ? later.t1gd->faces.size() : 0));
      later_.push_back(std::move(later));
    }
  }

  // The model's tumour on each later visit's day.
  std::vector<onco::GridTumour> tumours(double white_diffusion, double proliferation) const {
    const onco::PiParams params{white_diffusion, proliferation, twin_.options.carrying_capacity};
    const auto& o = twin_.options;
    const auto profile = onco::tumour_with_t2_radius(params, first_t2_radius_mm_, o.visibility, o.grid);
    auto tumour = grid_.tumour_at_edge(edge_distance_, profile, first_t2_radius_mm_);
    const auto tissue = grid_.tissue_grid(white_diffusion, options_.grey_to_white_diffusion);
    const onco::GridRun run{options_.max_step_days, options_.threads, o.visibility};
    onco::GridCourse course(tissue, tumour, params, run);
    std::vector<double> days;
    for (const auto& v : later_) days.push_back(v.day);
    std::vector<onco::GridTumour> out;
    onco::run_course(course, first_day_, days, {}, [&](std::size_t) { out.push_back(tumour); });
    return out;
  }

  bool residuals(const double* log_params, double* out) const {
    std::vector<onco::GridTumour> at;
    try {
      at = tumours(std::exp(log_params[0]), std::exp(log_params[1]));
    } catch (const Error&) {
      return false;  // e.g. too slow to reach the first visit's size from a seed
    }
    const double floor = kEmptyShare * twin_.options.carrying_capacity;
    for (std::size_t v = 0; v < later_.size(); ++v)
      for (const Edge* e : {&later_[v].t2, later_[v].t1gd ? &*later_[v].t1gd : nullptr}) {
        if (!e) continue;
        for (const auto& face : e->faces) *out++ = e->weight * contour_beyond(at[v], shape_, face, e->level, floor);
      }
    return true;
  }

  std::vector<GridVisitAgreement> agreement(double d, double rho, double spherical_d, double spherical_rho) const {
    const auto fitted = tumours(d, rho), spherical = tumours(spherical_d, spherical_rho);
    std::vector<GridVisitAgreement> out;
    for (std::size_t v = 0; v < later_.size(); ++v) {
      const auto& t1gd = later_[v].t1gd;
      out.push_back({later_[v].day, t1gd ? dice(fitted[v], *t1gd) : NAN, dice(fitted[v], later_[v].t2),
                     t1gd ? dice(spherical[v], *t1gd) : NAN, dice(spherical[v], later_[v].t2)});
    }
    return out;
  }

  int residual_count() const { return residual_count_; }
  // Each mask with an edge weighs 1 in the cost (Σ w² = 1 over its faces).
  double masks_with_edges() const {
    double masks = 0;
    for (const auto& v : later_) masks += (v.t1gd ? 1 : 0) + (v.t2.faces.empty() ? 0 : 1);
    return masks;
  }
  const PatientGrid& grid() const { return grid_; }

 private:
  const TumourTwin& twin_;
  GridOptions options_;
  PatientGrid grid_;
  onco::TissueGrid shape_;  // where the brain is (D = 1 in white matter)
  std::vector<float> edge_distance_;
  double first_t2_radius_mm_ = 0, first_day_ = 0;
  std::vector<LaterVisit> later_;
  int residual_count_ = 0;
};

}  // namespace

GridFit calibrate_on_grid(const TumourTwin& twin, const TumourTimeline& timeline, const GridOptions& options) {
  if (!twin.images) throw Error(timeline.file + ": the 3D calibration needs the brain_mask and masks on every visit");
  const GridCalibration calibration(twin, timeline, options);
  const std::function<bool(const double*, double*)> residuals = [&](const double* p, double* out) {
    return calibration.residuals(p, out);
  };
  const auto& start = twin.fit.params;
  const auto fit = onco::fit_log_parameters(
      residuals, {std::log(start.diffusion_mm2_per_day), std::log(start.proliferation_per_day)},
      calibration.residual_count(), "3D tumour calibration", kFunctionTolerance);
  const double sd_d = std::sqrt(fit.covariance[0]), sd_r = std::sqrt(fit.covariance[3]);
  GridFit g;
  g.white_diffusion = {std::exp(fit.log_values[0]), sd_d};
  g.proliferation = {std::exp(fit.log_values[1]), sd_r};
  g.log_correlation = sd_d > 0 && sd_r > 0 ? fit.covariance[1] / (sd_d * sd_r) : 0;
  g.grey_to_white_diffusion = options.grey_to_white_diffusion;
  g.spacing_mm = calibration.grid().spacing_mm();
  // Σ w²·d² = 2·cost with w² = 1/(σ²n) per mask: the mean squared edge distance over masks, times 1/σ².
  g.rms_edge_mm = twin.options.radius_sd_mm * std::sqrt(2 * fit.final_cost / calibration.masks_with_edges());
  g.iterations = fit.iterations;
  g.visits = calibration.agreement(g.white_diffusion.value, g.proliferation.value, start.diffusion_mm2_per_day,
                                   start.proliferation_per_day);
  return g;
}

void add_grid_calibration(TumourTwin& twin, const TumourTimeline& timeline, const GridOptions& options) {
  twin.grid_fit = calibrate_on_grid(twin, timeline, options);
  const auto what = fmt::format("{} grid {} {} {}", twin.inputs_sha256, options.voxel_mm, options.max_step_days,
                                options.grey_to_white_diffusion);
  twin.inputs_sha256 = sha256_files({}, what);
  twin.id = tumour_twin_id(twin.inputs_sha256);
}

}  // namespace medtwin

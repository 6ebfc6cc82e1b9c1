#include "medtwin/onco/spherical_course.hpp"

#include <limits>

namespace medtwin::onco {
namespace {

class SphericalCourse final : public CourseTumour {
 public:
  SphericalCourse(SphericalTumour& tumour, const PiParams& params, const SphericalRun& run)
      : tumour_(tumour), params_(params), run_(run) {}

  void grow(double days, const KillBetween* kill, double start_day) override {
    onco::grow(tumour_, params_, days, run_.max_step_days, kill, start_day);
  }

  TumourSize measure(double day) const override { return onco::measure(tumour_, params_, run_.visibility, day); }

  std::size_t plan_field(DoseTarget target, double margin_mm) override {
    const TumourSize planning = measure(0);
    double radius = std::numeric_limits<double>::infinity();
    if (target == DoseTarget::t1gd) radius = planning.t1gd_radius_mm + margin_mm;
    if (target == DoseTarget::t2) radius = planning.t2_radius_mm + margin_mm;
    field_radius_mm_.push_back(radius);
    return field_radius_mm_.size() - 1;
  }

  void irradiate(std::size_t field, double dose_gy, const LinearQuadratic& lq) override {
    const double radius = field_radius_mm_.at(field);
    onco::irradiate(tumour_, params_, lq, [&](double r) { return r <= radius ? dose_gy : 0.0; });
  }

  void split_resistant(double share) override { tumour_.split_resistant(share); }

 private:
  SphericalTumour& tumour_;
  const PiParams& params_;
  const SphericalRun& run_;
  std::vector<double> field_radius_mm_;
};

}  // namespace

TumourSize measure(const SphericalTumour& tumour, const PiParams& params, const Visibility& visibility, double day) {
  const double k = params.carrying_capacity;
  return {day, tumour.radius_at(visibility.t1gd_share * k), tumour.radius_at(visibility.t2_share * k),
          tumour.total_cells()};
}

std::vector<TumourSize> run_spherical(SphericalTumour& tumour, const PiParams& params, double from_day,
                                      const std::vector<double>& sample_days, const Treatment& treatment,
                                      const SphericalRun& run) {
  SphericalCourse course(tumour, params, run);
  return run_course(course, from_day, sample_days, treatment);
}

}  // namespace medtwin::onco

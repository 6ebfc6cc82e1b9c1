// A treatment course on a tumour of any geometry (the spherical model or the
// 3D image grid): growth between events, radiotherapy fractions on their days,
// drug kill throughout, and the tumour's visible size sampled on requested
// days. What imaging shows is where the density reaches a visibility
// threshold: about 80 % of K on T1Gd and 16 % on T2/FLAIR (Swanson 2008;
// Rockne 2010). Pure; card docs/models/proliferation_invasion.md.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

#include "medtwin/onco/chemotherapy.hpp"
#include "medtwin/onco/radiotherapy.hpp"
#include "medtwin/onco/spherical_pi.hpp"

namespace medtwin::onco {

struct Visibility {
  double t1gd_share = 0.80;  // of K
  double t2_share = 0.16;
};

// The visible tumour on one day; in 3D, the radii are those of the spheres of
// the visible volumes.
struct TumourSize {
  double day = 0;
  double t1gd_radius_mm = 0;
  double t2_radius_mm = 0;
  double cells = 0;
};

// The radius (mm) of the sphere of `volume_mm3`.
double equivalent_radius_mm(double volume_mm3);

struct RadiotherapyCourse {
  RadiotherapyPlan plan;
  double first_day = 0;  // a Monday
  LinearQuadratic lq;
  // The days the fractions were given, one per fraction of the plan, when they
  // did not follow the weekday schedule from first_day (a treatment record).
  std::vector<double> given_days;
};

// The course of fractions given on `days` with `doses_gy`, each covering the
// T2/FLAIR tumour of the first fraction's day plus `margin_mm`.
RadiotherapyCourse given_radiotherapy(const std::vector<double>& days, const std::vector<double>& doses_gy,
                                      double margin_mm, const LinearQuadratic& lq);

struct Treatment {
  std::optional<RadiotherapyCourse> radiotherapy;
  std::optional<Chemotherapy> chemotherapy;
};

// What a course needs of a tumour model.
class CourseTumour {
 public:
  virtual ~CourseTumour() = default;
  // Grows `days` from `start_day`, with the drug's kill when there is one.
  virtual void grow(double days, const KillBetween* kill, double start_day) = 0;
  virtual TumourSize measure(double day) const = 0;
  // Sets a radiotherapy field from the tumour as it is now (the planning scan):
  // the target plus the margin. Returns the field's handle for irradiate.
  virtual std::size_t plan_field(DoseTarget target, double margin_mm) = 0;
  virtual void irradiate(std::size_t field, double dose_gy, const LinearQuadratic& lq) = 0;
  virtual void split_resistant(double share) = 0;
};

// Advances `tumour` from `from_day` through the last of `sample_days` (sorted,
// each >= from_day) and returns its size on each, calling `on_sample(i)` (when
// given) right after sample i is measured. The fractions of the radiotherapy
// fall on their days; every phase's field is set on the first fraction's day,
// before it (the planning scan). Chemotherapy kills throughout; its resistant
// share of the cells is set apart on `from_day` (without the drug both
// populations behave alike, so the day does not matter). Throws Error when
// radiotherapy starts before `from_day` or the sample days are unsorted.
std::vector<TumourSize> run_course(CourseTumour& tumour, double from_day, const std::vector<double>& sample_days,
                                   const Treatment& treatment, const std::function<void(std::size_t)>& on_sample = {});

}  // namespace medtwin::onco

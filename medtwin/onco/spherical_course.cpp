#include "medtwin/onco/spherical_course.hpp"

#include <algorithm>
#include <limits>

#include "medtwin/core/error.hpp"

namespace medtwin::onco {
namespace {

struct Fraction {
  double day;
  double dose_gy;
  double field_radius_mm;  // the dose covers r <= this
};

double target_radius(const RadiotherapyPhase& phase, const TumourSize& planning) {
  switch (phase.target) {
    case DoseTarget::t1gd: return planning.t1gd_radius_mm + phase.margin_mm;
    case DoseTarget::t2: return planning.t2_radius_mm + phase.margin_mm;
    case DoseTarget::whole_domain: return std::numeric_limits<double>::infinity();
  }
  return 0;
}

std::vector<Fraction> plan_fractions(const RadiotherapyCourse& course, const TumourSize& planning) {
  const auto days = course.given_days.empty() ? fraction_days(course.plan, course.first_day) : course.given_days;
  if (days.size() != fraction_days(course.plan, course.first_day).size())
    throw Error("radiotherapy: the given days do not match the plan's fractions");
  std::vector<Fraction> fractions;
  for (const auto& phase : course.plan.phases)
    for (int f = 0; f < phase.fractions; ++f)
      fractions.push_back({days[fractions.size()], phase.dose_per_fraction_gy, target_radius(phase, planning)});
  return fractions;
}

}  // namespace

RadiotherapyCourse given_radiotherapy(const std::vector<double>& days, const std::vector<double>& doses_gy,
                                      double margin_mm, const LinearQuadratic& lq) {
  if (days.empty() || days.size() != doses_gy.size()) throw Error("radiotherapy: one dose per fraction day");
  if (!std::is_sorted(days.begin(), days.end())) throw Error("radiotherapy: fraction days must be in order");
  RadiotherapyCourse course{{"given", {}}, days.front(), lq, days};
  for (double dose : doses_gy) course.plan.phases.push_back({1, dose, DoseTarget::t2, margin_mm});
  return course;
}

TumourSize measure(const SphericalTumour& tumour, const PiParams& params, const Visibility& visibility, double day) {
  const double k = params.carrying_capacity;
  return {day, tumour.radius_at(visibility.t1gd_share * k), tumour.radius_at(visibility.t2_share * k),
          tumour.total_cells()};
}

std::vector<TumourSize> run_spherical(SphericalTumour& tumour, const PiParams& params, double from_day,
                                      const std::vector<double>& sample_days, const Treatment& treatment,
                                      const SphericalRun& run) {
  if (!std::is_sorted(sample_days.begin(), sample_days.end()) ||
      (!sample_days.empty() && !(sample_days.front() >= from_day)))
    throw Error("tumour course: sample days must be sorted and not before the start");
  const auto& radiotherapy = treatment.radiotherapy;
  if (radiotherapy && radiotherapy->first_day < from_day)
    throw Error("tumour course: radiotherapy starts before the simulated tumour");
  std::optional<CellKill> drug_kill;
  KillBetween kill;
  if (treatment.chemotherapy && !sample_days.empty()) {
    drug_kill = cell_kill(*treatment.chemotherapy, from_day, sample_days.back());
    kill = {[&](double a, double b) { return drug_kill->sensitive_between(a, b); },
            [&](double a, double b) { return drug_kill->resistant_between(a, b); }};
    if (treatment.chemotherapy->resistant_share > 0) tumour.split_resistant(treatment.chemotherapy->resistant_share);
  }
  double now = from_day;
  auto advance_to = [&](double day) {
    if (day > now) grow(tumour, params, day - now, run.max_step_days, drug_kill ? &kill : nullptr, now);
    now = std::max(now, day);
  };
  std::vector<Fraction> fractions;
  std::size_t next_fraction = 0;
  std::vector<TumourSize> sizes;
  for (double sample : sample_days) {
    while (radiotherapy) {
      if (fractions.empty() && radiotherapy->first_day <= sample) {
        advance_to(radiotherapy->first_day);
        fractions = plan_fractions(*radiotherapy, measure(tumour, params, run.visibility, now));
      }
      if (next_fraction >= fractions.size() || fractions[next_fraction].day > sample) break;
      const Fraction& f = fractions[next_fraction++];
      advance_to(f.day);
      irradiate(tumour, params, radiotherapy->lq, [&](double r) { return r <= f.field_radius_mm ? f.dose_gy : 0.0; });
    }
    advance_to(sample);
    sizes.push_back(measure(tumour, params, run.visibility, sample));
  }
  return sizes;
}

}  // namespace medtwin::onco

#include "medtwin/onco/course.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <map>
#include <utility>

#include "medtwin/core/error.hpp"

namespace medtwin::onco {
namespace {

struct Fraction {
  double day;
  double dose_gy;
  std::size_t field;
};

// The fractions of the course, with one field per distinct target and margin.
std::vector<Fraction> plan_fractions(const RadiotherapyCourse& course, CourseTumour& tumour) {
  const auto scheduled = fraction_days(course.plan, course.first_day);
  const auto& days = course.given_days.empty() ? scheduled : course.given_days;
  if (days.size() != scheduled.size()) throw Error("radiotherapy: the given days do not match the plan's fractions");
  std::map<std::pair<DoseTarget, double>, std::size_t> fields;
  std::vector<Fraction> fractions;
  for (const auto& phase : course.plan.phases) {
    const auto key = std::make_pair(phase.target, phase.margin_mm);
    if (!fields.contains(key)) fields[key] = tumour.plan_field(phase.target, phase.margin_mm);
    for (int f = 0; f < phase.fractions; ++f) fractions.push_back({days[fractions.size()], phase.dose_per_fraction_gy, fields[key]});
  }
  return fractions;
}

}  // namespace

double equivalent_radius_mm(double volume_mm3) { return std::cbrt(3 * volume_mm3 / (4 * std::numbers::pi)); }

RadiotherapyCourse given_radiotherapy(const std::vector<double>& days, const std::vector<double>& doses_gy,
                                      double margin_mm, const LinearQuadratic& lq) {
  if (days.empty() || days.size() != doses_gy.size()) throw Error("radiotherapy: one dose per fraction day");
  if (!std::is_sorted(days.begin(), days.end())) throw Error("radiotherapy: fraction days must be in order");
  RadiotherapyCourse course{{"given", {}}, days.front(), lq, days};
  for (double dose : doses_gy) course.plan.phases.push_back({1, dose, DoseTarget::t2, margin_mm});
  return course;
}

std::vector<TumourSize> run_course(CourseTumour& tumour, double from_day, const std::vector<double>& sample_days,
                                   const Treatment& treatment, const std::function<void(std::size_t)>& on_sample) {
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
    if (day > now) tumour.grow(day - now, drug_kill ? &kill : nullptr, now);
    now = std::max(now, day);
  };
  std::vector<Fraction> fractions;
  std::size_t next_fraction = 0;
  std::vector<TumourSize> sizes;
  for (double sample : sample_days) {
    while (radiotherapy) {
      if (fractions.empty() && radiotherapy->first_day <= sample) {
        advance_to(radiotherapy->first_day);
        fractions = plan_fractions(*radiotherapy, tumour);
      }
      if (next_fraction >= fractions.size() || fractions[next_fraction].day > sample) break;
      const Fraction& f = fractions[next_fraction++];
      advance_to(f.day);
      tumour.irradiate(f.field, f.dose_gy, radiotherapy->lq);
    }
    advance_to(sample);
    sizes.push_back(tumour.measure(sample));
    if (on_sample) on_sample(sizes.size() - 1);
  }
  return sizes;
}

}  // namespace medtwin::onco

#include "medtwin/onco/response.hpp"

#include <algorithm>
#include <cmath>

#include "medtwin/core/error.hpp"

namespace medtwin::onco {
namespace {

struct Thresholds {
  double partial_change;      // from baseline, at or below
  double progression_change;  // from nadir, at or above
  double progression_min_increase;  // absolute, in the measure's unit
};

// RECIST 1.1: −30 % / +20 % and +5 mm; RANO 2010: −50 % / +25 %.
Thresholds thresholds(Criteria criteria) {
  return criteria == Criteria::recist_1_1 ? Thresholds{-0.30, 0.20, 5.0} : Thresholds{-0.50, 0.25, 0.0};
}

void check_measure(double value) {
  if (!(value >= 0) || !std::isfinite(value)) throw Error("response: a tumour measure must be a finite number >= 0");
}

}  // namespace

const char* to_string(Response response) {
  switch (response) {
    case Response::complete: return "CR";
    case Response::partial: return "PR";
    case Response::stable: return "SD";
    case Response::progressive: return "PD";
  }
  return "?";
}

const char* to_string(Criteria criteria) { return criteria == Criteria::recist_1_1 ? "RECIST 1.1" : "RANO"; }

Response classify(Criteria criteria, double baseline, double nadir, double current) {
  for (double v : {baseline, nadir, current}) check_measure(v);
  const auto t = thresholds(criteria);
  if (current == 0) return baseline > 0 ? Response::complete : Response::stable;  // nothing measurable at baseline
  if (nadir > 0 && current >= nadir * (1 + t.progression_change) && current - nadir >= t.progression_min_increase)
    return Response::progressive;
  if (nadir == 0) return Response::progressive;  // regrowth after disappearance
  if (baseline > 0 && current <= baseline * (1 + t.partial_change)) return Response::partial;
  return Response::stable;
}

double lesion_measure(Criteria criteria, double radius_mm) {
  check_measure(radius_mm);
  const double diameter = 2 * radius_mm;
  return criteria == Criteria::recist_1_1 ? diameter : diameter * diameter;
}

std::vector<Response> classify_series(Criteria criteria, const std::vector<double>& radii) {
  std::vector<Response> categories;
  if (radii.empty()) return categories;
  const double baseline = lesion_measure(criteria, radii.front());
  double nadir = baseline;
  for (double r : radii) {
    const double current = lesion_measure(criteria, r);
    categories.push_back(classify(criteria, baseline, nadir, current));
    nadir = std::min(nadir, current);
  }
  return categories;
}

double days_gained(const std::vector<double>& control_days, const std::vector<double>& control_radii, double day,
                   double radius_mm) {
  if (control_days.empty() || control_days.size() != control_radii.size())
    throw Error("days gained: the control needs as many radii as days");
  if (control_radii.front() >= radius_mm) return day - control_days.front();  // back to (or before) the seed
  for (std::size_t i = 1; i < control_days.size(); ++i) {
    if (control_radii[i] < radius_mm) continue;
    const double share = (radius_mm - control_radii[i - 1]) / (control_radii[i] - control_radii[i - 1]);
    return day - (control_days[i - 1] + share * (control_days[i] - control_days[i - 1]));
  }
  throw Error("days gained: the untreated control never reaches the tumour's size");
}

}  // namespace medtwin::onco

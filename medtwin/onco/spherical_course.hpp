// A treatment course on the spherical proliferation–invasion model: growth
// between events, radiotherapy fractions on their days, and the tumour's
// visible radii sampled on requested days. What imaging shows is the radius
// where the density falls to a visibility threshold: about 80 % of K on
// T1Gd and 16 % on T2/FLAIR (Swanson 2008; Rockne 2010).
// Pure; card docs/models/proliferation_invasion.md.
#pragma once

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

struct TumourSize {
  double day = 0;
  double t1gd_radius_mm = 0;
  double t2_radius_mm = 0;
  double cells = 0;
};

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

struct SphericalRun {
  double max_step_days = 0.25;
  Visibility visibility;
};

TumourSize measure(const SphericalTumour& tumour, const PiParams& params, const Visibility& visibility, double day);

// Advances `tumour` from `from_day` through the last of `sample_days` (sorted,
// each >= from_day) and returns its size on each. The fractions of the
// radiotherapy fall on their days; every phase's target is measured on the
// first fraction's day, before it (the planning scan). Chemotherapy kills
// throughout; its resistant share of the cells is set apart on `from_day`
// (without the drug both populations behave alike, so the day does not matter).
// Throws Error when radiotherapy starts before `from_day` or the sample days are
// unsorted.
std::vector<TumourSize> run_spherical(SphericalTumour& tumour, const PiParams& params, double from_day,
                                      const std::vector<double>& sample_days, const Treatment& treatment,
                                      const SphericalRun& run);

}  // namespace medtwin::onco

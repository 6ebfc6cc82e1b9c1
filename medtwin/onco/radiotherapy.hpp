// Radiotherapy plans and the linear-quadratic (LQ) cell kill of Rockne et al.
// 2010 (Phys Med Biol 55:3271–3285). A plan is a sequence of phases, each a
// number of fractions of one dose given to a target: the tumour visible on
// T1Gd or on T2/FLAIR plus a margin, or the whole domain. Fractions are given
// on weekdays (5 on, 2 off) from the first day of treatment, as in Rockne 2010.
// Pure; card docs/models/proliferation_invasion.md.
#pragma once

#include <string>
#include <vector>

namespace medtwin::onco {

struct LinearQuadratic {
  double alpha_per_gy = 0;    // α (1/Gy)
  double alpha_beta_gy = 10;  // α/β (Gy); β = α/(α/β)
  // The share of cells a dose d (Gy) kills: 1 − exp(−α·d − β·d²). Throws Error
  // on a negative or non-finite α, α/β or dose.
  double killed_share(double dose_gy) const;
};

enum class DoseTarget { t1gd, t2, whole_domain };

struct RadiotherapyPhase {
  int fractions = 0;
  double dose_per_fraction_gy = 0;
  DoseTarget target = DoseTarget::t2;
  double margin_mm = 0;  // added to the target's radius (or outline)
};

struct RadiotherapyPlan {
  std::string name;
  std::vector<RadiotherapyPhase> phases;
};

// The classic plan of Rockne 2010: 28 × 1.8 Gy to T2 + 25 mm, then a boost of
// 6 × 1.8 Gy to T1Gd + 20 mm (61.2 Gy in 34 fractions).
RadiotherapyPlan standard_radiotherapy();
// 40.05 Gy in 15 fractions of 2.67 Gy (Roa et al. 2004, J Clin Oncol 22:1583;
// with temozolomide, Perry et al. 2017, N Engl J Med 376:1027), given here to
// T2 + 25 mm like the standard plan's first phase (the margin is our choice).
RadiotherapyPlan hypofractionated_radiotherapy();

double total_dose_gy(const RadiotherapyPlan& plan);

// The day of each fraction, counting `first_day` as a Monday: weekdays only.
// Throws Error on a phase with no fractions or a non-positive dose.
std::vector<double> fraction_days(const RadiotherapyPlan& plan, double first_day);

const char* to_string(DoseTarget target);

}  // namespace medtwin::onco

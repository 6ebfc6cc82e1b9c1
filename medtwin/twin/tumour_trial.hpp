// An in-silico trial of tumour treatment plans on a virtual cohort: patients
// whose D and ρ are drawn log-normally around Rockne's virtual groups (low
// D 0.04 / ρ 0.02, high D 0.2 / ρ 0.1, taken as the 5th and 95th
// percentiles — our construction), T2 radius at the first visit uniform in
// 15–30 mm, α paired with ρ (TumourTwin::default_alpha_per_gy). Each plan runs
// on every patient; the report gives response rates and Days Gained.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "medtwin/twin/tumour_twin.hpp"

namespace medtwin {

struct TumourTrialArm {
  std::string plan;
  double responding_share = 0;    // CR or PR (RANO) at the assessment
  double progressing_share = 0;   // RANO progression within the follow-up
  double days_gained_median = 0, days_gained_low = 0, days_gained_high = 0;  // 50 %, 10 %, 90 % over patients
  double beyond_neal_share = 0;   // Days Gained ≥ 100 (Neal 2013's PFS threshold)
};

// The virtual patients (as twins without uncertainty), deterministic for a seed.
std::vector<TumourTwin> virtual_tumour_cohort(int patients, std::uint32_t seed, std::optional<double> body_surface_m2);

// Throws Error when a plan cannot run on the cohort.
std::vector<TumourTrialArm> run_tumour_trial(const std::vector<TumourTwin>& cohort, const std::vector<TumourPlan>& plans);

}  // namespace medtwin

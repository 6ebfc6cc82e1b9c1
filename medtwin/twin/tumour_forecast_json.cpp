#include "medtwin/twin/tumour_forecast_json.hpp"

namespace medtwin {
namespace {

nlohmann::json band_json(const Band& b) { return {{"low", b.low}, {"median", b.median}, {"high", b.high}}; }

nlohmann::json optional_day(const std::optional<double>& day) { return day ? nlohmann::json(*day) : nlohmann::json(); }

}  // namespace

nlohmann::json plan_forecast_json(const PlanForecast& f, bool series) {
  nlohmann::json j = {{"plan", f.plan},
                      {"start_day", f.start_day},
                      {"treatment_end_day", f.treatment_end_day},
                      {"assessment_day", f.assessment_day},
                      {"days_gained", {{"low", f.days_gained_low}, {"median", f.days_gained_median}, {"high", f.days_gained_high}}},
                      {"rano", onco::to_string(f.rano)},
                      {"recist", onco::to_string(f.recist)},
                      {"responding_share", f.responding_share},
                      {"progressing_share", f.progressing_share},
                      {"progression_day", optional_day(f.median_progression_day)},
                      {"lethal_size_day", optional_day(f.median_lethal_day)},
                      {"t1gd_volume_end_ml", f.t1gd_volume_end_ml},
                      {"samples", f.samples},
                      {"failed_samples", f.failed_samples}};
  if (series)
    j["series"] = {{"day", f.days}, {"t1gd_radius_mm", band_json(f.t1gd_radius_mm)}, {"t2_radius_mm", band_json(f.t2_radius_mm)}};
  return j;
}

std::vector<TumourPlan> plans_with_control(std::vector<TumourPlan> plans) {
  TumourPlan untreated;
  untreated.name = "untreated (virtual control)";
  plans.insert(plans.begin(), untreated);
  return plans;
}

}  // namespace medtwin

#include "medtwin/onco/chemotherapy.hpp"

#include <algorithm>
#include <cmath>

#include "medtwin/core/error.hpp"

namespace medtwin::onco {
namespace {

double effect(const Chemotherapy& chemo, const std::vector<double>& concentrations, double fold) {
  const auto& a = chemo.drugs[0].drug;
  const double ca = concentrations[0] * a.tumour_share / fold;
  if (chemo.drugs.size() == 1) return a.curve.effect(ca);
  const auto& b = chemo.drugs[1].drug;
  const double cb = concentrations[1] * b.tumour_share / fold;
  return combined_effect(chemo.interaction, a.curve, ca, b.curve, cb, chemo.greco_alpha);
}

double cumulative_between(const CellKill& kill, const std::vector<double>& table, double day0, double day1) {
  auto at = [&](double day) {
    if (table.empty()) return 0.0;
    const double x = std::clamp((day - kill.from_day) / kill.step_days, 0.0, static_cast<double>(table.size() - 1));
    const auto i = std::min(static_cast<std::size_t>(x), table.size() - 1);
    if (i + 1 == table.size()) return table.back();
    return table[i] + (x - static_cast<double>(i)) * (table[i + 1] - table[i]);
  };
  return at(day1) - at(day0);
}

}  // namespace

Drug temozolomide() {
  // PK: Ostermann et al. 2004 (Clin Cancer Res 10:3728): ka 5.8/h, CL/F 10 L/h,
  // V/F 30.3 L, CSF/plasma AUC 20 %. Hill curve: U87's median 72-h IC50,
  // 230 µM (Poon et al. 2021, BMC Cancer 21:1240) × 194.15 g/mol = 44.7 mg/L.
  Drug d;
  d.name = "temozolomide";
  d.pk = {5.8, 1.0, 10.0, 30.3, 0, 0};
  d.curve = {44.7, 1.0};
  d.tumour_share = 0.20;
  return d;
}

std::vector<DrugDose> stupp_temozolomide(double radiotherapy_first_day, double radiotherapy_last_day,
                                         double body_surface_m2, int adjuvant_cycles) {
  require_positive(body_surface_m2, "temozolomide: the body surface area");
  if (adjuvant_cycles < 0 || adjuvant_cycles > 6) throw Error("temozolomide: 0 to 6 adjuvant cycles");
  if (!(radiotherapy_last_day >= radiotherapy_first_day)) throw Error("temozolomide: radiotherapy ends before it starts");
  std::vector<DrugDose> doses;
  for (double day = radiotherapy_first_day; day <= radiotherapy_last_day; ++day)
    doses.push_back({day, 75 * body_surface_m2});
  const double adjuvant_start = radiotherapy_last_day + 28;
  for (int cycle = 0; cycle < adjuvant_cycles; ++cycle)
    for (int day = 0; day < 5; ++day)
      doses.push_back({adjuvant_start + 28.0 * cycle + day, (cycle == 0 ? 150 : 200) * body_surface_m2});
  return doses;
}

double CellKill::sensitive_between(double day0, double day1) const {
  return cumulative_between(*this, sensitive, day0, day1);
}

double CellKill::resistant_between(double day0, double day1) const {
  return cumulative_between(*this, resistant, day0, day1);
}

CellKill cell_kill(const Chemotherapy& chemo, double from_day, double to_day, double step_days) {
  if (chemo.drugs.empty() || chemo.drugs.size() > 2) throw Error("chemotherapy: one or two drugs");
  if (!(chemo.max_kill_per_day >= 0) || !std::isfinite(chemo.max_kill_per_day))
    throw Error("chemotherapy: the maximal kill rate must be a finite number >= 0 per day");
  require_positive(chemo.resistance_fold, "chemotherapy: the resistance fold");
  std::vector<std::vector<double>> profiles;
  for (const auto& course : chemo.drugs) {
    require_positive(course.drug.tumour_share, "chemotherapy: " + course.drug.name + "'s tumour share");
    profiles.push_back(concentration_profile(course.drug.pk, course.doses, from_day, to_day, step_days));
  }
  CellKill kill{from_day, step_days, {}, {}};
  const std::size_t points = profiles[0].size();
  kill.sensitive.assign(points, 0);
  kill.resistant.assign(points, 0);
  double previous_s = 0, previous_r = 0;
  std::vector<double> c(profiles.size());
  for (std::size_t i = 0; i < points; ++i) {
    for (std::size_t d = 0; d < profiles.size(); ++d) c[d] = profiles[d][i];
    const double rate_s = chemo.max_kill_per_day * effect(chemo, c, 1);
    const double rate_r = chemo.max_kill_per_day * effect(chemo, c, chemo.resistance_fold);
    if (i > 0) {
      kill.sensitive[i] = kill.sensitive[i - 1] + step_days * (previous_s + rate_s) / 2;
      kill.resistant[i] = kill.resistant[i - 1] + step_days * (previous_r + rate_r) / 2;
    }
    previous_s = rate_s;
    previous_r = rate_r;
  }
  return kill;
}

}  // namespace medtwin::onco

#include "medtwin/twin/tumour_plan.hpp"

#include <algorithm>

#include "medtwin/core/error.hpp"
#include "medtwin/twin/json_reader.hpp"

namespace medtwin {
namespace {

using nlohmann::json;

double in_range(const JsonReader& r, const json& object, const char* key, const std::string& path, double low,
                double high) {
  const double v = r.number(object, key, path);
  if (!(v >= low && v <= high))
    r.fail(JsonReader::join(path, key), "must be between " + std::to_string(low) + " and " + std::to_string(high));
  return v;
}

onco::DoseTarget target(const JsonReader& r, const json& phase, const std::string& path) {
  const std::string name = r.text(phase, "target", path);
  if (name == "T1Gd") return onco::DoseTarget::t1gd;
  if (name == "T2") return onco::DoseTarget::t2;
  if (name == "whole") return onco::DoseTarget::whole_domain;
  r.fail(JsonReader::join(path, "target"), "'" + name + "' is not T1Gd, T2 or whole");
}

onco::RadiotherapyPlan read_radiotherapy(const JsonReader& r, const json& rt) {
  if (rt.is_string()) {
    const std::string name = rt.get<std::string>();
    if (name == "standard") return onco::standard_radiotherapy();
    if (name == "hypofractionated") return onco::hypofractionated_radiotherapy();
    r.fail("radiotherapy", "'" + name + "' is not a known plan (standard, hypofractionated) — or give phases");
  }
  r.only_keys(rt, "radiotherapy", {"name", "phases"});
  onco::RadiotherapyPlan plan{rt.contains("name") ? r.text(rt, "name", "radiotherapy") : "custom", {}};
  if (!rt.contains("phases") || !rt["phases"].is_array() || rt["phases"].empty())
    r.fail("radiotherapy.phases", "expected a list of phases");
  for (std::size_t i = 0; i < rt["phases"].size(); ++i) {
    const json& p = rt["phases"][i];
    const std::string path = JsonReader::item("radiotherapy.phases", i);
    r.only_keys(p, path, {"fractions", "dose_gy", "target", "margin_mm"});
    const double fractions = in_range(r, p, "fractions", path, 1, 60);
    if (fractions != static_cast<int>(fractions)) r.fail(JsonReader::join(path, "fractions"), "expected a whole number");
    plan.phases.push_back({static_cast<int>(fractions), in_range(r, p, "dose_gy", path, 0.1, 30), target(r, p, path),
                           p.contains("margin_mm") ? in_range(r, p, "margin_mm", path, 0, 50) : 0.0});
  }
  return plan;
}

PlanDrug read_drug(const JsonReader& r, const json& d, const std::string& path) {
  r.only_keys(d, path, {"name", "ka_per_h", "bioavailability", "clearance_l_per_h", "volume_l",
                        "intercompartmental_l_per_h", "peripheral_volume_l", "ec50_mg_per_l", "hill", "tumour_share",
                        "doses"});
  PlanDrug drug;
  drug.drug.name = r.text(d, "name", path);
  auto& pk = drug.drug.pk;
  pk.absorption_per_h = d.contains("ka_per_h") ? in_range(r, d, "ka_per_h", path, 0, 1000) : 0.0;
  pk.bioavailability = d.contains("bioavailability") ? in_range(r, d, "bioavailability", path, 0.001, 1) : 1.0;
  pk.clearance_l_per_h = in_range(r, d, "clearance_l_per_h", path, 1e-6, 1e4);
  pk.central_volume_l = in_range(r, d, "volume_l", path, 1e-3, 1e5);
  if (d.contains("peripheral_volume_l") && !d.contains("intercompartmental_l_per_h"))
    r.fail(JsonReader::join(path, "peripheral_volume_l"), "a peripheral compartment needs intercompartmental_l_per_h");
  if (d.contains("intercompartmental_l_per_h")) {
    pk.intercompartmental_l_per_h = in_range(r, d, "intercompartmental_l_per_h", path, 0, 1e4);
    pk.peripheral_volume_l = in_range(r, d, "peripheral_volume_l", path, 1e-3, 1e5);
  }
  drug.drug.curve = {in_range(r, d, "ec50_mg_per_l", path, 1e-9, 1e6), d.contains("hill") ? in_range(r, d, "hill", path, 0.1, 10) : 1.0};
  drug.drug.tumour_share = d.contains("tumour_share") ? in_range(r, d, "tumour_share", path, 1e-6, 1) : 1.0;
  if (!d.contains("doses") || !d["doses"].is_array() || d["doses"].empty()) r.fail(JsonReader::join(path, "doses"), "expected a list of doses");
  for (std::size_t i = 0; i < d["doses"].size(); ++i) {
    const json& dose = d["doses"][i];
    const std::string dose_path = JsonReader::item(JsonReader::join(path, "doses"), i);
    r.only_keys(dose, dose_path, {"day", "dose_mg"});
    drug.doses.push_back({in_range(r, dose, "day", dose_path, 0, 3650), in_range(r, dose, "dose_mg", dose_path, 0, 1e4)});
  }
  return drug;
}

}  // namespace

TumourPlan parse_tumour_plan(std::string_view text, const std::string& file) {
  const JsonReader r(file);
  const json root = r.parse(text);
  r.only_keys(root, "", {"name", "start_after_days", "radiotherapy", "alpha_per_gy", "alpha_beta_gy", "temozolomide",
                         "drugs", "interaction", "greco_alpha", "max_kill_per_day", "resistant_share",
                         "resistance_fold", "follow_up_days"});
  TumourPlan plan;
  plan.name = root.contains("name") ? r.text(root, "name", "") : file;
  if (root.contains("start_after_days")) plan.start_after_days = in_range(r, root, "start_after_days", "", 0, 3650);
  if (root.contains("radiotherapy")) plan.radiotherapy = read_radiotherapy(r, root["radiotherapy"]);
  if (root.contains("alpha_per_gy")) plan.alpha_per_gy = in_range(r, root, "alpha_per_gy", "", 0, 2);
  if (root.contains("alpha_beta_gy")) plan.alpha_beta_gy = in_range(r, root, "alpha_beta_gy", "", 0.5, 50);
  if (root.contains("temozolomide")) {
    const json& tmz = root["temozolomide"];
    r.only_keys(tmz, "temozolomide", {"adjuvant_cycles"});
    const double cycles = tmz.contains("adjuvant_cycles") ? in_range(r, tmz, "adjuvant_cycles", "temozolomide", 0, 6) : 6;
    if (cycles != static_cast<int>(cycles)) r.fail("temozolomide.adjuvant_cycles", "expected a whole number");
    plan.temozolomide_adjuvant_cycles = static_cast<int>(cycles);
  }
  if (root.contains("drugs")) {
    if (!root["drugs"].is_array()) r.fail("drugs", "expected a list");
    for (std::size_t i = 0; i < root["drugs"].size(); ++i)
      plan.drugs.push_back(read_drug(r, root["drugs"][i], JsonReader::item("drugs", i)));
  }
  if (plan.drugs.size() + (plan.temozolomide_adjuvant_cycles ? 1 : 0) > 2) r.fail("drugs", "at most two drugs in a plan");
  if (root.contains("interaction")) {
    try {
      plan.interaction = onco::interaction_from_string(r.text(root, "interaction", ""));
    } catch (const Error& e) {
      r.fail("interaction", e.what());
    }
  }
  if (root.contains("greco_alpha")) plan.greco_alpha = in_range(r, root, "greco_alpha", "", -10, 100);
  const std::size_t drug_count = plan.drugs.size() + (plan.temozolomide_adjuvant_cycles ? 1 : 0);
  for (const char* key : {"interaction", "greco_alpha"})
    if (root.contains(key) && drug_count < 2) r.fail(key, "how drugs combine needs two drugs in the plan");
  if (root.contains("max_kill_per_day")) plan.max_kill_per_day = in_range(r, root, "max_kill_per_day", "", 0, 50);
  else if (!plan.drugs.empty())
    r.fail("max_kill_per_day", "missing: a plan with drugs other than temozolomide needs the maximal kill rate per day "
                               "(see the card)");
  if (root.contains("resistant_share")) plan.resistant_share = in_range(r, root, "resistant_share", "", 0, 1);
  if (root.contains("resistance_fold")) plan.resistance_fold = in_range(r, root, "resistance_fold", "", 1, 1e6);
  if (root.contains("follow_up_days")) plan.follow_up_days = in_range(r, root, "follow_up_days", "", 1, 3650);
  return plan;
}

double plan_treatment_end(const TumourPlan& plan, double start_day) {
  const double radiotherapy_end = plan.radiotherapy ? onco::fraction_days(*plan.radiotherapy, start_day).back() : start_day;
  double end = radiotherapy_end;
  const int cycles = plan.temozolomide_adjuvant_cycles.value_or(0);
  if (cycles > 0) end = radiotherapy_end + 28 + 28.0 * (cycles - 1) + 4;  // the last cycle's day 5
  for (const auto& d : plan.drugs)
    for (const auto& dose : d.doses) end = std::max(end, start_day + dose.day);
  return end;
}

onco::Treatment plan_treatment(const TumourPlan& plan, double start_day, double alpha_per_gy,
                               std::optional<double> body_surface_m2, std::optional<double> temozolomide_max_kill) {
  onco::Treatment treatment;
  if (plan.radiotherapy)
    treatment.radiotherapy = onco::RadiotherapyCourse{*plan.radiotherapy, start_day,
                                                      {plan.alpha_per_gy.value_or(alpha_per_gy), plan.alpha_beta_gy},
                                                      {}};
  if (!plan.has_drugs()) return treatment;
  if (!plan.max_kill_per_day && !temozolomide_max_kill)
    throw Error("plan '" + plan.name + "': missing max_kill_per_day, temozolomide's maximal kill rate per day (the twin "
                "fits it from visits during the adjuvant cycles; see the card)");
  onco::Chemotherapy chemo;
  if (plan.temozolomide_adjuvant_cycles) {
    if (!plan.radiotherapy) throw Error("plan '" + plan.name + "': the Stupp schedule of temozolomide follows radiotherapy");
    if (!body_surface_m2) throw Error("plan '" + plan.name + "': temozolomide is dosed by body surface: add body_surface_m2 to the timeline");
    const double rt_end = onco::fraction_days(*plan.radiotherapy, start_day).back();
    chemo.drugs.push_back(
        {onco::temozolomide(), onco::stupp_temozolomide(start_day, rt_end, *body_surface_m2, *plan.temozolomide_adjuvant_cycles)});
  }
  for (const auto& d : plan.drugs) {
    auto doses = d.doses;
    for (auto& dose : doses) dose.day += start_day;
    chemo.drugs.push_back({d.drug, doses});
  }
  chemo.interaction = plan.interaction;
  chemo.greco_alpha = plan.greco_alpha;
  chemo.max_kill_per_day = plan.max_kill_per_day.value_or(temozolomide_max_kill.value_or(0));
  chemo.resistance_fold = plan.resistance_fold;
  chemo.resistant_share = plan.resistant_share;
  treatment.chemotherapy = chemo;
  return treatment;
}

}  // namespace medtwin

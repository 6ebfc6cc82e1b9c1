#include "medtwin/twin/tumour_timeline.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "medtwin/core/error.hpp"
#include "medtwin/core/time.hpp"
#include "medtwin/io/nifti_volume.hpp"
#include "medtwin/twin/json_reader.hpp"

namespace medtwin {
namespace {

using nlohmann::json;

// Plausibility, not physiology: beyond these an entry is a typo or another unit.
constexpr double kMaxRadiusMm = 100;
constexpr double kMaxFractionGy = 30;
constexpr double kMaxDrugDoseMg = 10000;

double positive_at_most(const JsonReader& r, const json& object, const char* key, const std::string& path,
                        double most) {
  const double v = r.number(object, key, path);
  if (!(v > 0 && v <= most)) r.fail(JsonReader::join(path, key), "must be > 0 and at most " + std::to_string(int(most)));
  return v;
}

double dated_day(const JsonReader& r, const TumourTimeline& t, const json& entry, const std::string& path) {
  const std::string date = r.text(entry, "date", path);
  double day = 0;
  try {
    day = day_since(t.diagnosis, date, JsonReader::join(path, "date"));
  } catch (const ParseError& e) {
    r.fail(JsonReader::join(path, "date"), e.what());
  }
  if (day < 0) r.fail(JsonReader::join(path, "date"), date + " is before the diagnosis (" + t.diagnosis + ")");
  return day;
}

TumourVisitEntry read_visit(const JsonReader& r, const TumourTimeline& t, const json& v, const std::string& path) {
  r.only_keys(v, path, {"date", "t1gd_radius_mm", "t2_radius_mm", "t1gd_mask", "t2_mask"});
  TumourVisitEntry visit;
  visit.date = r.text(v, "date", path);
  visit.day = dated_day(r, t, v, path);
  if (v.contains("t1gd_radius_mm")) {
    visit.t1gd_radius_mm = r.number(v, "t1gd_radius_mm", path);
    if (!(*visit.t1gd_radius_mm >= 0 && *visit.t1gd_radius_mm <= kMaxRadiusMm))
      r.fail(JsonReader::join(path, "t1gd_radius_mm"), "must be 0 … 100 mm");
  }
  if (v.contains("t2_radius_mm")) visit.t2_radius_mm = positive_at_most(r, v, "t2_radius_mm", path, kMaxRadiusMm);
  if (v.contains("t1gd_mask")) visit.t1gd_mask = r.text(v, "t1gd_mask", path);
  if (v.contains("t2_mask")) visit.t2_mask = r.text(v, "t2_mask", path);
  if (visit.t1gd_radius_mm && !visit.t1gd_mask.empty()) r.fail(path, "give the T1Gd radius or its mask, not both");
  if (visit.t2_radius_mm && !visit.t2_mask.empty()) r.fail(path, "give the T2 radius or its mask, not both");
  if ((!visit.t1gd_radius_mm && visit.t1gd_mask.empty()) || (!visit.t2_radius_mm && visit.t2_mask.empty()))
    r.fail(path, "needs a T1Gd and a T2/FLAIR measure (t1gd_radius_mm or t1gd_mask, t2_radius_mm or t2_mask)");
  return visit;
}

template <typename Read>
void read_list(const JsonReader& r, const json& root, const char* key, Read read) {
  if (!root.contains(key)) return;
  if (!root[key].is_array()) r.fail(key, "expected a list");
  for (std::size_t i = 0; i < root[key].size(); ++i) read(root[key][i], JsonReader::item(key, i));
}

// An empty T1Gd mask is a visit without enhancement (radius 0); an empty T2
// mask is an error: there is always an abnormality where there is a tumour.
double mask_radius(const io::Volume& mask, const std::optional<io::Volume>& brain, bool may_be_empty) {
  const auto voxels = io::mask_voxels(mask);
  if (voxels == 0 && !may_be_empty) throw Error(mask.name + ": the mask is empty");
  if (brain) {
    io::require_same_grid(*brain, mask);
    for (std::size_t i = 0; i < mask.values.size(); ++i)
      if (mask.values[i] > 0.5f && !(brain->values[i] > 0.5f))
        throw Error(mask.name + ": the tumour mask reaches outside the brain mask " + brain->name);
  }
  return onco::equivalent_radius_mm(static_cast<double>(voxels) * mask.voxel_volume_mm3());
}

}  // namespace

std::optional<double> TumourTimeline::first_treatment_day() const {
  std::optional<double> first;
  for (const auto& f : radiotherapy) first = std::min(first.value_or(f.day), f.day);
  for (const auto& d : drugs) first = std::min(first.value_or(d.day), d.day);
  return first;
}

double day_since(const std::string& diagnosis, const std::string& date, const std::string& what) {
  auto parse = [&](const std::string& text) {
    if (text.size() != 10) throw ParseError("'" + text + "' is not a date YYYY-MM-DD (" + what + ")");
    return std::chrono::floor<std::chrono::days>(parse_local_time(text, "%Y-%m-%d"));
  };
  return static_cast<double>((parse(date) - parse(diagnosis)).count());
}

TumourTimeline parse_tumour_timeline(std::string_view text, const std::string& file) {
  const JsonReader r(file);
  const json root = r.parse(text);
  r.only_keys(root, "", {"patient", "diagnosis", "body_surface_m2", "brain_mask", "white_matter_mask", "grey_matter_mask",
                        "visits", "radiotherapy", "drugs"});
  TumourTimeline t;
  t.file = file;
  if (root.contains("patient")) t.patient = r.text(root, "patient", "");
  t.diagnosis = r.text(root, "diagnosis", "");
  try {
    day_since(t.diagnosis, t.diagnosis, "diagnosis");
  } catch (const ParseError& e) {
    r.fail("diagnosis", e.what());
  }
  if (root.contains("body_surface_m2")) t.body_surface_m2 = positive_at_most(r, root, "body_surface_m2", "", 4);
  if (root.contains("brain_mask")) t.brain_mask = r.text(root, "brain_mask", "");
  for (auto [key, name] : {std::pair{"white_matter_mask", &t.white_matter_mask}, std::pair{"grey_matter_mask", &t.grey_matter_mask}})
    if (root.contains(key)) {
      *name = r.text(root, key, "");
      if (t.brain_mask.empty()) r.fail(key, "tissue masks need the brain_mask they lie in");
    }
  if (!root.contains("visits")) r.fail("visits", "missing: the imaging visits");
  read_list(r, root, "visits", [&](const json& v, const std::string& path) { t.visits.push_back(read_visit(r, t, v, path)); });
  read_list(r, root, "radiotherapy", [&](const json& f, const std::string& path) {
    r.only_keys(f, path, {"date", "dose_gy"});
    t.radiotherapy.push_back({dated_day(r, t, f, path), positive_at_most(r, f, "dose_gy", path, kMaxFractionGy)});
  });
  read_list(r, root, "drugs", [&](const json& d, const std::string& path) {
    r.only_keys(d, path, {"date", "drug", "dose_mg"});
    t.drugs.push_back({dated_day(r, t, d, path), r.text(d, "drug", path),
                       positive_at_most(r, d, "dose_mg", path, kMaxDrugDoseMg)});
  });
  for (std::size_t i = 1; i < t.visits.size(); ++i)
    if (!(t.visits[i].day > t.visits[i - 1].day))
      r.fail(JsonReader::item("visits", i) + ".date", "visits must be in date order, one per day");
  return t;
}

std::vector<onco::RadiusVisit> visit_radii(const TumourTimeline& timeline, const std::filesystem::path& images) {
  std::optional<io::Volume> brain;
  if (!timeline.brain_mask.empty()) brain = io::read_nifti_volume(images / timeline.brain_mask);
  std::vector<onco::RadiusVisit> radii;
  for (const auto& v : timeline.visits) {
    onco::RadiusVisit visit{v.day, 0, 0};
    visit.t1gd_radius_mm =
        v.t1gd_radius_mm ? *v.t1gd_radius_mm : mask_radius(io::read_nifti_volume(images / v.t1gd_mask), brain, true);
    visit.t2_radius_mm =
        v.t2_radius_mm ? *v.t2_radius_mm : mask_radius(io::read_nifti_volume(images / v.t2_mask), brain, false);
    radii.push_back(visit);
  }
  return radii;
}

std::vector<std::filesystem::path> timeline_files(const TumourTimeline& timeline, const std::filesystem::path& images) {
  std::vector<std::filesystem::path> files;
  for (const auto* name : {&timeline.brain_mask, &timeline.white_matter_mask, &timeline.grey_matter_mask})
    if (!name->empty()) files.push_back(images / *name);
  for (const auto& v : timeline.visits)
    for (const auto* name : {&v.t1gd_mask, &v.t2_mask})
      if (!name->empty()) files.push_back(images / *name);
  return files;
}

}  // namespace medtwin

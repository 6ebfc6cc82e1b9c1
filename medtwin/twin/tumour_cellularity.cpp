#include "medtwin/twin/tumour_cellularity.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "medtwin/core/error.hpp"
#include "medtwin/core/stats.hpp"
#include "medtwin/io/nifti_volume.hpp"
#include "medtwin/twin/json_reader.hpp"
#include "medtwin/twin/tumour_timeline.hpp"

namespace medtwin {
namespace {

using nlohmann::json;

constexpr double kMostAdcMm2PerS = 5e-3;  // above free water at body temperature: another unit

constexpr double kLeastAdcMm2PerS = 1e-5;  // below any tissue's: another unit

// Totals of a map over `region` (every voxel when empty).
CellularityTotals totals(const onco::CellularityMap& map, double voxel_mm3, double tumour_share,
                         const std::vector<std::uint8_t>& region = {}) {
  CellularityTotals t{map.day, 0, 0};
  for (std::size_t p = 0; p < map.share.size(); ++p) {
    if (!region.empty() && !region[p]) continue;
    t.cells += map.share[p] * onco::kCellsPerMm3AtCapacity * voxel_mm3;
    t.volume_ml += map.share[p] >= tumour_share ? voxel_mm3 / 1000 : 0.0;
  }
  return t;
}

// The values of `map` in `region`.
std::vector<double> within(const onco::CellularityMap& map, const std::vector<std::uint8_t>& region) {
  std::vector<double> out;
  for (std::size_t p = 0; p < region.size(); ++p)
    if (region[p]) out.push_back(map.share[p]);
  return out;
}

double relative_error(double value, double truth) { return truth > 0 ? value / truth - 1 : NAN; }

// Scored where the images see the tumour: the union of the visits' ROIs.
CellularityBacktest backtest(const onco::TissueGrid& domain, const std::vector<onco::CellularityMap>& maps,
                             const std::vector<std::uint8_t>& region, const CellularityOptions& options, double voxel_mm3) {
  const std::vector<onco::CellularityMap> earlier(maps.begin(), maps.end() - 1);
  const auto& last = maps.back();
  const auto& before = earlier.back();
  const auto fit = onco::fit_cellularity(domain, earlier, options.fit);
  const auto predicted = onco::forecast_cellularity(domain, fit, before, {last.day}, options.fit).front();
  const double share = options.tumour_share;
  const auto truth = totals(last, voxel_mm3, share, region), model = totals(predicted, voxel_mm3, share, region),
             unchanged = totals(before, voxel_mm3, share, region);
  return {last.day,
          concordance_correlation(within(predicted, region), within(last, region)).value_or(NAN),
          concordance_correlation(within(before, region), within(last, region)).value_or(NAN),
          relative_error(model.cells, truth.cells),
          relative_error(unchanged.cells, truth.cells),
          relative_error(model.volume_ml, truth.volume_ml),
          relative_error(unchanged.volume_ml, truth.volume_ml)};
}

}  // namespace

CellularityTimeline parse_cellularity_timeline(std::string_view text, const std::string& file) {
  const JsonReader r(file);
  const json root = r.parse(text);
  r.only_keys(root, "", {"patient", "domain_mask", "adc_water_mm2_per_s", "adc_unit", "visits"});
  CellularityTimeline t;
  t.file = file;
  if (root.contains("patient")) t.patient = r.text(root, "patient", "");
  t.domain_mask = r.text(root, "domain_mask", "");
  if (root.contains("adc_water_mm2_per_s")) {
    t.adc_water_mm2_per_s = r.number(root, "adc_water_mm2_per_s", "");
    if (!(t.adc_water_mm2_per_s >= 1e-3 && t.adc_water_mm2_per_s <= kMostAdcMm2PerS))
      r.fail("adc_water_mm2_per_s", "must be 0.001 … 0.005 mm²/s");
  }
  if (root.contains("adc_unit")) {
    const auto unit = r.text(root, "adc_unit", "");
    if (unit != "mm2/s" && unit != "um2/s") r.fail("adc_unit", "'" + unit + "' is not mm2/s or um2/s");
    t.adc_unit_mm2_per_s = unit == "mm2/s" ? 1 : 1e-6;
  }
  if (!root.contains("visits") || !root["visits"].is_array() || root["visits"].size() < 2)
    r.fail("visits", "two visits or more, each with an ADC map and a tumour ROI");
  for (std::size_t i = 0; i < root["visits"].size(); ++i) {
    const auto path = JsonReader::item("visits", i);
    const json& v = root["visits"][i];
    r.only_keys(v, path, {"date", "adc", "roi_mask"});
    CellularityVisitEntry visit{r.text(v, "date", path), 0, r.text(v, "adc", path), r.text(v, "roi_mask", path)};
    try {
      visit.day = day_since(t.visits.empty() ? visit.date : t.visits.front().date, visit.date, JsonReader::join(path, "date"));
    } catch (const ParseError& e) {
      r.fail(JsonReader::join(path, "date"), e.what());
    }
    if (!t.visits.empty() && !(visit.day > t.visits.back().day))
      r.fail(JsonReader::join(path, "date"), "visits must be in date order, one per day");
    t.visits.push_back(visit);
  }
  return t;
}

CellularityReport run_cellularity(const CellularityTimeline& timeline, const std::filesystem::path& images,
                                  const CellularityOptions& options) {
  const auto whole_domain = io::read_nifti_volume(images / timeline.domain_mask);
  std::vector<io::Volume> adcs, rois;
  for (const auto& v : timeline.visits) {
    adcs.push_back(io::read_nifti_volume(images / v.adc));
    rois.push_back(io::read_nifti_volume(images / v.roi_mask));
    io::require_same_grid(whole_domain, adcs.back());
    io::require_same_grid(whole_domain, rois.back());
    if (io::mask_voxels(rois.back()) == 0) throw Error(rois.back().name + ": the mask is empty");
  }
  // The simulation covers the ROIs and `margin_mm` of the domain around them.
  std::vector<const io::Volume*> roi_masks;
  for (const auto& r : rois) roi_masks.push_back(&r);
  std::array<std::int64_t, 3> margin{};
  for (std::size_t a = 0; a < 3; ++a)
    margin[a] = static_cast<std::int64_t>(std::ceil(options.margin_mm / whole_domain.spacing_mm[a]));
  const auto box = io::mask_bounds(roi_masks, margin);
  const auto domain_mask = io::crop(whole_domain, box);
  for (auto& v : adcs) v = io::crop(v, box);
  for (auto& r : rois) r = io::crop(r, box);
  CellularityReport report;
  report.scale.water_mm2_per_s = timeline.adc_water_mm2_per_s;
  report.scale.min_mm2_per_s = INFINITY;
  std::vector<std::uint8_t> region(domain_mask.values.size(), 0);  // the union of the ROIs
  for (std::size_t v = 0; v < adcs.size(); ++v)
    for (std::size_t p = 0; p < adcs[v].values.size(); ++p) {
      if (!(rois[v].values[p] > 0.5f)) continue;
      if (!(domain_mask.values[p] > 0.5f))
        throw Error(rois[v].name + ": the tumour ROI reaches outside the domain mask " + domain_mask.name);
      const double adc = adcs[v].values[p] * timeline.adc_unit_mm2_per_s;
      if (!(adc >= kLeastAdcMm2PerS && adc <= kMostAdcMm2PerS))
        throw Error(fmt::format("{}: an ADC of {:g} in the tumour is not a diffusion coefficient in the timeline's adc_unit",
                                adcs[v].name, adcs[v].values[p]));
      report.scale.min_mm2_per_s = std::min(report.scale.min_mm2_per_s, adc);
      region[p] = 1;
    }
  if (!(report.scale.min_mm2_per_s < report.scale.water_mm2_per_s))
    throw Error(timeline.file + ": the tumour's ADC is nowhere below free water's (adc_water_mm2_per_s)");
  onco::TissueGrid domain;
  for (std::size_t a = 0; a < 3; ++a) domain.size[a] = static_cast<std::size_t>(domain_mask.size[a]);
  domain.spacing_mm = domain_mask.spacing_mm;
  for (float m : domain_mask.values) domain.diffusion.push_back(m > 0.5f ? 1.0f : 0.0f);
  std::vector<onco::CellularityMap> maps;
  for (std::size_t v = 0; v < adcs.size(); ++v) {
    onco::CellularityMap map{timeline.visits[v].day, std::vector<double>(domain.voxels(), 0)};
    for (std::size_t p = 0; p < map.share.size(); ++p)
      if (rois[v].values[p] > 0.5f) map.share[p] = report.scale.share(adcs[v].values[p] * timeline.adc_unit_mm2_per_s);
    maps.push_back(std::move(map));
  }
  const double voxel_mm3 = domain_mask.voxel_volume_mm3();
  report.spacing_mm = domain.spacing_mm;
  report.domain_voxels = static_cast<std::size_t>(std::count_if(domain.diffusion.begin(), domain.diffusion.end(),
                                                                [](float d) { return d > 0; }));
  report.fit = onco::fit_cellularity(domain, maps, options.fit);
  std::vector<double> rates;
  for (std::size_t p = 0; p < maps.back().share.size(); ++p)
    if (maps.back().share[p] >= options.tumour_share) rates.push_back(report.fit.proliferation_per_day[p]);
  if (!rates.empty()) {
    report.rate_low = *quantile(rates, 0.1);
    report.rate_median = *quantile(rates, 0.5);
    report.rate_high = *quantile(rates, 0.9);
  }
  if (maps.size() >= 3) report.backtest = backtest(domain, maps, region, options, voxel_mm3);
  for (const auto& m : maps) report.observed.push_back(totals(m, voxel_mm3, options.tumour_share));
  std::vector<double> days;
  for (double d = 7; d < options.forecast_days; d += 7) days.push_back(maps.back().day + d);
  days.push_back(maps.back().day + options.forecast_days);
  for (const auto& m : onco::forecast_cellularity(domain, report.fit, maps.back(), days, options.fit))
    report.forecast.push_back(totals(m, voxel_mm3, options.tumour_share));
  return report;
}

}  // namespace medtwin

#include "medtwin/twin/tumour_cellularity.hpp"

#include <algorithm>
#include <cmath>

#include "medtwin/core/error.hpp"
#include "medtwin/core/stats.hpp"
#include "medtwin/io/nifti_volume.hpp"
#include "medtwin/twin/json_reader.hpp"
#include "medtwin/twin/tumour_timeline.hpp"

namespace medtwin {
namespace {

using nlohmann::json;

constexpr double kMostAdcMm2PerS = 5e-3;  // above free water at body temperature: another unit

// The voxels of the volumes to simulate: the tumour's regions, `margin_mm` wider.
struct Crop {
  std::array<std::int64_t, 3> low{}, high{};
  std::size_t voxels() const {
    return static_cast<std::size_t>((high[0] - low[0]) * (high[1] - low[1]) * (high[2] - low[2]));
  }
  template <typename Visit>
  void each(const io::Volume& v, Visit visit) const {
    for (std::int64_t k = low[2]; k < high[2]; ++k)
      for (std::int64_t j = low[1]; j < high[1]; ++j)
        for (std::int64_t i = low[0]; i < high[0]; ++i) visit(static_cast<std::size_t>(i + v.size[0] * (j + v.size[1] * k)));
  }
};

Crop crop_around(const std::vector<io::Volume>& rois, double margin_mm) {
  const auto& v = rois.front();
  Crop c{v.size, {0, 0, 0}};
  std::size_t p = 0;
  for (std::int64_t k = 0; k < v.size[2]; ++k)
    for (std::int64_t j = 0; j < v.size[1]; ++j)
      for (std::int64_t i = 0; i < v.size[0]; ++i, ++p)
        if (std::any_of(rois.begin(), rois.end(), [&](const io::Volume& r) { return r.values[p] > 0.5f; })) {
          const std::array<std::int64_t, 3> at{i, j, k};
          for (std::size_t a = 0; a < 3; ++a) c.low[a] = std::min(c.low[a], at[a]), c.high[a] = std::max(c.high[a], at[a] + 1);
        }
  for (std::size_t a = 0; a < 3; ++a) {
    const auto extra = static_cast<std::int64_t>(std::ceil(margin_mm / v.spacing_mm[a]));
    c.low[a] = std::max<std::int64_t>(0, c.low[a] - extra);
    c.high[a] = std::min(v.size[a], c.high[a] + extra);
  }
  return c;
}

CellularityTotals totals(const onco::CellularityMap& map, double voxel_mm3, double tumour_share) {
  CellularityTotals t{map.day, 0, 0};
  for (double s : map.share) {
    t.cells += s * onco::kCellsPerMm3AtCapacity * voxel_mm3;
    t.volume_ml += s >= tumour_share ? voxel_mm3 / 1000 : 0.0;
  }
  return t;
}

double relative_error(double value, double truth) { return truth > 0 ? value / truth - 1 : NAN; }

CellularityBacktest backtest(const onco::TissueGrid& domain, const std::vector<onco::CellularityMap>& maps,
                             const CellularityOptions& options, double voxel_mm3) {
  const std::vector<onco::CellularityMap> earlier(maps.begin(), maps.end() - 1);
  const auto& last = maps.back();
  const auto& before = earlier.back();
  const auto fit = onco::fit_cellularity(domain, earlier, options.fit);
  const auto predicted = onco::forecast_cellularity(domain, fit, before, {last.day}, options.fit).front();
  const auto truth = totals(last, voxel_mm3, options.tumour_share), model = totals(predicted, voxel_mm3, options.tumour_share),
             unchanged = totals(before, voxel_mm3, options.tumour_share);
  return {last.day,
          concordance_correlation(predicted.share, last.share).value_or(NAN),
          concordance_correlation(before.share, last.share).value_or(NAN),
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
  const auto domain_mask = io::read_nifti_volume(images / timeline.domain_mask);
  std::vector<io::Volume> adcs, rois;
  for (const auto& v : timeline.visits) {
    adcs.push_back(io::read_nifti_volume(images / v.adc));
    rois.push_back(io::read_nifti_volume(images / v.roi_mask));
    io::require_same_grid(domain_mask, adcs.back());
    io::require_same_grid(domain_mask, rois.back());
    if (io::mask_voxels(rois.back()) == 0) throw Error(rois.back().name + ": the mask is empty");
  }
  CellularityReport report;
  report.scale.water_mm2_per_s = timeline.adc_water_mm2_per_s;
  report.scale.min_mm2_per_s = INFINITY;
  for (std::size_t v = 0; v < adcs.size(); ++v)
    for (std::size_t p = 0; p < adcs[v].values.size(); ++p) {
      if (!(rois[v].values[p] > 0.5f)) continue;
      if (!(domain_mask.values[p] > 0.5f))
        throw Error(rois[v].name + ": the tumour ROI reaches outside the domain mask " + domain_mask.name);
      const double adc = adcs[v].values[p] * timeline.adc_unit_mm2_per_s;
      if (!(adc > 0 && adc <= kMostAdcMm2PerS))
        throw Error(adcs[v].name + ": an ADC of " + std::to_string(adcs[v].values[p]) +
                    " in the tumour is not a diffusion coefficient in the timeline's adc_unit");
      report.scale.min_mm2_per_s = std::min(report.scale.min_mm2_per_s, adc);
    }
  if (!(report.scale.min_mm2_per_s < report.scale.water_mm2_per_s))
    throw Error(timeline.file + ": the tumour's ADC is nowhere below free water's (adc_water_mm2_per_s)");
  const Crop crop = crop_around(rois, options.margin_mm);
  onco::TissueGrid domain;
  for (std::size_t a = 0; a < 3; ++a) domain.size[a] = static_cast<std::size_t>(crop.high[a] - crop.low[a]);
  domain.spacing_mm = domain_mask.spacing_mm;
  crop.each(domain_mask, [&](std::size_t p) { domain.diffusion.push_back(domain_mask.values[p] > 0.5f ? 1.0f : 0.0f); });
  std::vector<onco::CellularityMap> maps;
  for (std::size_t v = 0; v < adcs.size(); ++v) {
    onco::CellularityMap map{timeline.visits[v].day, {}};
    crop.each(domain_mask, [&](std::size_t p) {
      const bool tumour = rois[v].values[p] > 0.5f;
      map.share.push_back(tumour ? report.scale.share(adcs[v].values[p] * timeline.adc_unit_mm2_per_s) : 0.0);
    });
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
  if (maps.size() >= 3) report.backtest = backtest(domain, maps, options, voxel_mm3);
  for (const auto& m : maps) report.observed.push_back(totals(m, voxel_mm3, options.tumour_share));
  std::vector<double> days;
  for (double d = 7; d < options.forecast_days; d += 7) days.push_back(maps.back().day + d);
  days.push_back(maps.back().day + options.forecast_days);
  for (const auto& m : onco::forecast_cellularity(domain, report.fit, maps.back(), days, options.fit))
    report.forecast.push_back(totals(m, voxel_mm3, options.tumour_share));
  return report;
}

}  // namespace medtwin

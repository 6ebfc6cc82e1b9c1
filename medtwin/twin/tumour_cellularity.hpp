// The cellularity twin of a solid tumour (breast and others): ADC maps from
// diffusion-weighted MRI on two or more visits (docs/formats/cellularity_timeline.md)
// become maps of tumour cells (onco/cellularity.hpp); the reaction–diffusion
// model with one D and a proliferation rate per voxel is fitted to them,
// backtested on the last visit against the naive forecast that nothing changes,
// and run forward. docs/tumour.md.
//
//   {"patient": "breast-01", "domain_mask": "breast.nii.gz", "adc_water_mm2_per_s": 3.0e-3, "adc_unit": "mm2/s",
//    "visits": [{"date": "2026-01-05", "adc": "v1_adc.nii.gz", "roi_mask": "v1_roi.nii.gz"}, ...]}
#pragma once

#include <cmath>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "medtwin/onco/cellularity.hpp"

namespace medtwin {

struct CellularityVisitEntry {
  std::string date;
  double day = 0;  // since the first visit
  std::string adc, roi_mask;  // NIfTI files relative to the images folder
};

struct CellularityTimeline {
  std::string file, patient;
  std::string domain_mask;  // where cells can go (the breast, the brain); no flux through its edge
  double adc_water_mm2_per_s = 3.0e-3;
  double adc_unit_mm2_per_s = 1;  // what one unit of the ADC files is: 1 (mm²/s) or 1e-6 (µm²/s)
  std::vector<CellularityVisitEntry> visits;
};

// Throws ParseError naming the file and the JSON path of the first problem.
CellularityTimeline parse_cellularity_timeline(std::string_view json, const std::string& file);

struct CellularityOptions {
  double forecast_days = 30;     // after the last visit
  double margin_mm = 10;         // of the domain around the tumour's regions, for the simulation
  double tumour_share = 0.1;     // of θ: the tumour's volume counts voxels at or above it
  onco::CellularityFitOptions fit;
};

// Totals of one map.
struct CellularityTotals {
  double day = 0;
  double cells = 0;      // N summed over the voxels (θ = kCellsPerMm3AtCapacity per mm³)
  double volume_ml = 0;  // of the voxels at or above the tumour share
};

// The last visit predicted from the earlier ones, and by "nothing changes",
// over the union of the visits' ROIs; errors NaN when the last visit has none.
struct CellularityBacktest {
  double day = 0;
  double concordance = 0, unchanged_concordance = 0;      // Lin's CCC of the maps
  double cells_error = 0, unchanged_cells_error = 0;      // relative error of the total cells
  double volume_error = 0, unchanged_volume_error = 0;    // relative error of the tumour volume
};

struct CellularityReport {
  onco::AdcScale scale;
  std::array<double, 3> spacing_mm{};
  std::size_t domain_voxels = 0;  // simulated
  onco::CellularityFit fit;       // on all visits
  // 10/50/90 % of k over the last visit's tumour voxels; NaN when none reaches the tumour share.
  double rate_low = NAN, rate_median = NAN, rate_high = NAN;
  std::optional<CellularityBacktest> backtest;          // with three visits or more
  std::vector<CellularityTotals> observed, forecast;    // forecast: weekly to forecast_days after the last visit
};

// Reads the maps, fits, backtests and forecasts. Throws Error naming the file
// on unreadable or mismatched volumes, an ADC out of range for its unit, or
// an empty ROI.
CellularityReport run_cellularity(const CellularityTimeline& timeline, const std::filesystem::path& images,
                                  const CellularityOptions& options);

}  // namespace medtwin

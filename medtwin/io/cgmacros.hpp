// CGMacros CSV files (Das, Gutierrez-Osuna et al., "CGMacros: a scientific
// dataset for personalized nutrition and diet monitoring", Sci Data 2025;
// https://physionet.org/content/cgmacros/1.0.0/): one participant per file on a 1-minute
// grid of local times (read in --tz), with Libre Pro and Dexcom G6 glucose,
// Fitbit heart rate, METs and steps, and logged meals with their macros.
//
// The dataset fills the grid by linear interpolation between each sensor's own
// readings (Libre every 15 min, Dexcom every 5 min). Only readings a sensor
// made are imported (see `sensor_reading_rows`), so a forecast never sees an
// interpolated value that was computed from a reading still in its future.
// See docs/formats/cgmacros.md.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "medtwin/io/importer.hpp"

namespace medtwin {

// One value of a sensor's column on the 1-minute grid.
struct GridValue {
  std::int64_t minute = 0;  // minutes since the file's first row
  double value = 0;
};

// The indices of `column` (sorted by minute) that are readings the sensor
// made: the knots of the piecewise-linear fill, the first and last value of
// every stretch without gaps, and within a straight stretch one value every
// `period_minutes` from its last knot.
std::vector<std::size_t> sensor_reading_rows(std::span<const GridValue> column, int period_minutes);

// Whether `first_line` is a CGMacros header (Timestamp, Libre GL, Dexcom GL, Carbs).
bool is_cgmacros_header(std::string_view first_line);

// Reads one CGMacros CSV held in memory; `name` names it in errors and, without
// its extension, is the participant's source id.
void read_cgmacros(std::string_view bytes, const std::string& name, const ImportOptions& options, RecordSink& sink);

std::unique_ptr<Importer> make_cgmacros_importer();

}  // namespace medtwin

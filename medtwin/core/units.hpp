// The UCUM subset medtwin stores, vendor spellings of it, and conversions
// between units of one dimension (UCUM: https://ucum.org/ucum).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace medtwin {

// The UCUM code for a unit as vendors write it ("count/min" → "/min",
// "degC" → "Cel", "lb" → "[lb_av]", "mmHg" → "mm[Hg]"). Units already in UCUM
// come back unchanged; unknown units give nullopt.
std::optional<std::string> to_ucum(std::string_view vendor_unit);

// `value` in `from` expressed in `to` (both UCUM). nullopt when the units are
// unknown or of different dimensions.
std::optional<double> convert_unit(double value, std::string_view from, std::string_view to);

// A UCUM unit as people read it next to a number: "{steps}" → "steps",
// "Cel" → "°C", "1" (a fraction) → "", "mm[Hg]" → "mmHg"; others unchanged.
std::string display_unit(std::string_view ucum);

// Glucose concentration between mg/dL and mmol/L (molar mass 180.156 g/mol);
// other conversions go through convert_unit. Returns nullopt if neither applies.
std::optional<double> convert_glucose(double value, std::string_view from, std::string_view to);
// The same for cholesterol (total or HDL; molar mass 386.65 g/mol: 1 mmol/L = 38.665 mg/dL).
std::optional<double> convert_cholesterol(double value, std::string_view from, std::string_view to);

}  // namespace medtwin

// A number for JSON, which cannot hold NaN or infinity: null for those (and for none).
#pragma once

#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

namespace medtwin {

inline nlohmann::json json_number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }
inline nlohmann::json json_number(const std::optional<double>& v) { return v ? json_number(*v) : nlohmann::json(nullptr); }

}  // namespace medtwin

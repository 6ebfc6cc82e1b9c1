// The values of a request's parameters and body, read strictly: a bad one is
// an ApiError 400 that names it and says what was expected.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "apps/server/routes.hpp"
#include "medtwin/core/time.hpp"

namespace medtwin::server {

std::int64_t whole_number(const std::string& text, const std::string& what);
double number(const std::string& text, const std::string& what);
std::optional<Instant> instant_parameter(ApiRequest& r, const std::string& name);
// ?from&to, with to after from.
TimeRange range_parameters(ApiRequest& r);
// A calendar date YYYY-MM-DD, from 1800 to 2299 (is_plausible_instant).
std::chrono::sys_days date_value(const std::string& text, const std::string& what);
// The body as a JSON object.
nlohmann::json json_body(const ApiRequest& r);
// Optional fields of a body: absent is none; of another type, a 400 naming the field.
std::optional<std::string> text_field(const nlohmann::json& body, const std::string& key);
std::optional<bool> flag_field(const nlohmann::json& body, const std::string& key);

// Milliseconds since the epoch, as the charts take time.
inline double ms(Instant t) { return static_cast<double>(to_epoch_ms(t)); }

}  // namespace medtwin::server

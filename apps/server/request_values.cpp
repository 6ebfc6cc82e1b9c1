#include "apps/server/request_values.hpp"

#include <charconv>
#include <cmath>

#include "medtwin/core/error.hpp"

namespace medtwin::server {

std::int64_t whole_number(const std::string& text, const std::string& what) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) throw ApiError(400, what + ": expected a whole number, got '" + text + "'");
  return value;
}

double number(const std::string& text, const std::string& what) {
  try {
    std::size_t used = 0;
    const double value = std::stod(text, &used);
    if (used == text.size() && std::isfinite(value)) return value;
  } catch (const std::exception&) {
  }
  throw ApiError(400, what + ": expected a number, got '" + text + "'");
}

std::optional<Instant> instant_parameter(ApiRequest& r, const std::string& name) {
  const auto text = r.query(name);
  if (!text) return std::nullopt;
  try {
    return parse_instant(*text);
  } catch (const Error&) {
    throw ApiError(400, name + ": expected an ISO 8601 instant such as 2024-03-01T00:00:00Z");
  }
}

TimeRange range_parameters(ApiRequest& r) {
  TimeRange range{instant_parameter(r, "from"), instant_parameter(r, "to")};
  if (range.from && range.to && *range.to <= *range.from) throw ApiError(400, "to: must come after from");
  return range;
}

std::chrono::sys_days date_value(const std::string& text, const std::string& what) {
  const auto fail = [&] { return ApiError(400, what + ": expected a date YYYY-MM-DD, got '" + text + "'"); };
  if (text.size() != 10) throw fail();
  for (std::size_t i = 0; i < text.size(); ++i)  // exactly YYYY-MM-DD: the parser below would take "2024-02-3\0"
    if (i == 4 || i == 7 ? text[i] != '-' : text[i] < '0' || text[i] > '9') throw fail();
  try {
    const std::chrono::sys_days day(std::chrono::floor<std::chrono::days>(parse_local_time(text, "%Y-%m-%d")).time_since_epoch());
    if (!is_plausible_instant(day)) throw fail();  // outside 1800–2299 the calendar arithmetic downstream is not exact
    return day;
  } catch (const Error&) {
    throw fail();
  }
}

nlohmann::json json_body(const ApiRequest& r) {
  auto body = nlohmann::json::parse(r.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) throw ApiError(400, "the body must be a JSON object");
  return body;
}

std::optional<std::string> text_field(const nlohmann::json& body, const std::string& key) {
  if (!body.contains(key)) return std::nullopt;
  if (!body[key].is_string()) throw ApiError(400, key + ": expected text");
  return body[key].get<std::string>();
}

std::optional<bool> flag_field(const nlohmann::json& body, const std::string& key) {
  if (!body.contains(key)) return std::nullopt;
  if (!body[key].is_boolean()) throw ApiError(400, key + ": expected true or false");
  return body[key].get<bool>();
}

}  // namespace medtwin::server

#include "apps/server/routes.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "apps/server/openapi.hpp"
#include "medtwin/core/downsample.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/core/time.hpp"

namespace medtwin::server {
namespace {

using nlohmann::json;

constexpr std::size_t kDefaultPoints = 1000, kMaxPoints = 20000;
constexpr double kDefaultWindowSeconds = 10, kMaxWindowSeconds = 300;

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

json person_json(const PersonRecord& p) {
  json j = {{"id", p.id}, {"name", p.name}, {"sex", std::string(to_string(p.sex))}};
  if (p.birth_date) j["birth_date"] = fmt::format("{:%F}", std::chrono::sys_days(*p.birth_date));
  return j;
}

json series_json(const SeriesInfo& s) {
  return {{"id", s.id},          {"code", s.code.token()},
          {"display", s.code.display}, {"unit", s.unit},
          {"source", s.source},  {"count", s.count},
          {"first", format_instant(s.first)}, {"last", format_instant(s.last)}};
}

json list_persons(ApiRequest& r) {
  json out = json::array();
  for (const auto& p : r.store.persons())
    if (r.caller.may_see(p.id)) out.push_back(person_json(p));
  return out;
}

json person_summary(ApiRequest& r) {
  json j = person_json(*r.person);
  j["series"] = r.store.series(r.person->name).size();
  j["signals"] = r.store.signals(r.person->name).size();
  return j;
}

json list_series(ApiRequest& r) {
  json out = json::array();
  for (const auto& s : r.store.series(r.person->name)) out.push_back(series_json(s));
  return out;
}

SeriesId series_of(ApiRequest& r) {
  const auto id = whole_number(r.path_values.at(1), "series");
  for (const auto& s : r.store.series(r.person->name))
    if (s.id == id) return id;
  throw ApiError(404, "no such series");
}

// A numeric series thinned to the requested number of points (each bucket's
// minimum and maximum kept); coded values (sleep stages) as segments.
json series_points(ApiRequest& r) {
  const auto series = series_of(r);
  const auto range = range_parameters(r);
  const auto wanted = r.query("points") ? whole_number(*r.query("points"), "points") : std::int64_t(kDefaultPoints);
  if (wanted < 2 || wanted > std::int64_t(kMaxPoints))
    throw ApiError(400, fmt::format("points: between 2 and {}", kMaxPoints));
  std::vector<double> t, v, end;
  std::vector<std::string> codes;
  r.store.series_observations(r.person->name, series, range, [&](const Observation& o) {
    t.push_back(static_cast<double>(to_epoch_ms(o.start)));
    end.push_back(static_cast<double>(to_epoch_ms(o.end)));
    v.push_back(o.value.value_or(NAN));
    if (o.value_code) codes.push_back(o.value_code->code);
  });
  json j = {{"series", series}, {"total", t.size()}};
  if (!codes.empty()) {
    if (codes.size() > kMaxPoints) throw ApiError(400, "from, to: too many coded values in the range; narrow it");
    j["start_ms"] = t;
    j["end_ms"] = end;
    j["code"] = codes;
    return j;
  }
  const auto kept = min_max_thinning(t, v, static_cast<std::size_t>(wanted));
  json times = json::array(), values = json::array();
  for (auto i : kept) {
    times.push_back(static_cast<std::int64_t>(t[i]));
    values.push_back(v[i]);
  }
  j["t_ms"] = std::move(times);
  j["value"] = std::move(values);
  j["thinned"] = kept.size() < t.size();
  return j;
}

json list_events(ApiRequest& r) {
  json out = json::array();
  for (const auto& e : r.store.events({r.person->name, r.query("kind"), range_parameters(r)})) {
    json j = {{"kind", e.kind}, {"code", e.code.token()}, {"display", e.code.display}, {"start", format_instant(e.start)},
              {"source", e.source}, {"details", json::parse(e.details_json, nullptr, false)}};
    if (e.end) j["end"] = format_instant(*e.end);
    if (e.amount) {
      j["amount"] = *e.amount;
      j["unit"] = e.unit;
    }
    out.push_back(std::move(j));
  }
  return out;
}

json signal_json(const SignalInfo& s) {
  json channels = json::array();
  for (const auto& c : s.channels) channels.push_back({{"label", c.label}, {"unit", c.unit}});
  return {{"id", s.id},
          {"kind", s.kind},
          {"sample_rate_hz", s.sample_rate_hz},
          {"start", format_instant(s.start)},
          {"samples", s.sample_count},
          {"seconds", static_cast<double>(s.sample_count) / s.sample_rate_hz},
          {"channels", channels},
          {"source", s.source}};
}

json list_signals(ApiRequest& r) {
  json out = json::array();
  for (const auto& s : r.store.signals(r.person->name)) out.push_back(signal_json(s));
  return out;
}

// A window of a signal: only the chunks covering it are read.
json signal_window(ApiRequest& r) {
  const auto id = whole_number(r.path_values.at(1), "signal");
  const auto signals = r.store.signals(r.person->name);
  const auto info = std::find_if(signals.begin(), signals.end(), [&](const auto& s) { return s.id == id; });
  if (info == signals.end()) throw ApiError(404, "no such signal");
  const double start = r.query("start") ? number(*r.query("start"), "start") : 0;
  const double seconds = r.query("seconds") ? number(*r.query("seconds"), "seconds") : kDefaultWindowSeconds;
  if (start < 0) throw ApiError(400, "start: seconds from the signal's start, at least 0");
  if (!(seconds > 0 && seconds <= kMaxWindowSeconds))
    throw ApiError(400, fmt::format("seconds: more than 0 and at most {}", kMaxWindowSeconds));
  const auto first = std::min(static_cast<std::int64_t>(start * info->sample_rate_hz), info->sample_count);
  const auto count = std::min(static_cast<std::int64_t>(std::ceil(seconds * info->sample_rate_hz)), info->sample_count - first);
  const auto signal = r.store.read_signal(id, first, count);
  json channels = json::array();
  for (std::size_t c = 0; c < signal.channels.size(); ++c)
    channels.push_back({{"label", signal.channels[c].label}, {"unit", signal.channels[c].unit}, {"samples", signal.samples[c]}});
  json annotations = json::array();
  for (const auto& a : signal.annotations)  // the store counts samples from the window's start
    annotations.push_back({{"sample", first + a.sample}, {"channel", a.channel}, {"code", a.code}, {"text", a.text}});
  return {{"signal", id}, {"sample_rate_hz", signal.sample_rate_hz}, {"first_sample", first},
          {"channels", channels}, {"annotations", annotations}};
}

json health(ApiRequest&) { return {{"status", "ok"}}; }
json openapi(ApiRequest&) { return openapi_document(); }

}  // namespace

const std::vector<Route>& api_routes() {
  static const std::vector<Route> routes{
      {"GET", "/api/v1/health", false, health},
      {"GET", "/api/v1/openapi.json", false, openapi},
      {"GET", "/api/v1/persons", true, list_persons},
      {"GET", "/api/v1/persons/{person}", true, person_summary},
      {"GET", "/api/v1/persons/{person}/series", true, list_series},
      {"GET", "/api/v1/persons/{person}/series/{series}/points", true, series_points},
      {"GET", "/api/v1/persons/{person}/events", true, list_events},
      {"GET", "/api/v1/persons/{person}/signals", true, list_signals},
      {"GET", "/api/v1/persons/{person}/signals/{signal}/window", true, signal_window},
  };
  return routes;
}

std::string path_pattern(const std::string& path_template) {
  std::string pattern;
  bool in_placeholder = false;
  for (char c : path_template) {
    if (c == '{') {
      pattern += "([^/]+)";
      in_placeholder = true;
    } else if (c == '}') {
      in_placeholder = false;
    } else if (!in_placeholder) {
      pattern += c == '.' ? std::string("\\.") : std::string(1, c);
    }
  }
  return pattern;
}

}  // namespace medtwin::server

#include "apps/server/routes.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <tuple>
#include <cmath>

#include "apps/server/drug_routes.hpp"
#include "apps/server/ecg_routes.hpp"
#include "apps/server/glucose_routes.hpp"
#include "apps/server/import_routes.hpp"
#include "apps/server/openapi.hpp"
#include "apps/server/sleep_routes.hpp"
#include "apps/server/tumour_routes.hpp"
#include "apps/server/request_values.hpp"
#include "medtwin/core/downsample.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/core/time.hpp"
#include "medtwin/twin/baseline_twin_json.hpp"
#include "medtwin/twin/person_export.hpp"
#include "medtwin/twin/personal_days.hpp"

namespace medtwin::server {
namespace {

using nlohmann::json;

constexpr std::size_t kDefaultPoints = 1000, kMaxPoints = 20000;
constexpr double kDefaultWindowSeconds = 10, kMaxWindowSeconds = 300;

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

template <class Item, class ToJson>
json json_list(const std::vector<Item>& items, ToJson to_json) {
  json out = json::array();
  for (const auto& item : items) out.push_back(to_json(item));
  return out;
}

// The item of the path's second placeholder ({series}, {signal}) among the person's.
template <class Item>
Item item_of(ApiRequest& r, const std::vector<Item>& items, const std::string& what) {
  const auto id = whole_number(r.path_values.at(1), what);
  const auto found = std::find_if(items.begin(), items.end(), [&](const Item& item) { return item.id == id; });
  if (found == items.end()) throw ApiError(404, "no such " + what);
  return *found;
}

json list_series(ApiRequest& r) { return json_list(r.store.series(r.person->name), series_json); }

SeriesInfo series_of(ApiRequest& r) { return item_of(r, r.store.series(r.person->name), "series"); }

json numeric_points_json(SeriesId series, std::size_t total, const std::vector<MinMaxThinner::Point>& points,
                         bool thinned) {
  json times = json::array(), values = json::array();
  for (const auto& p : points) {
    times.push_back(static_cast<std::int64_t>(p.t));
    values.push_back(p.value);
  }
  return {{"series", series}, {"total", total}, {"t_ms", std::move(times)}, {"value", std::move(values)}, {"thinned", thinned}};
}

// A long range of a numeric series from its roll-ups (each one's
// lowest and highest value, at their own times), with the raw values of the
// partial roll-ups at the range's ends. nullopt when the roll-ups hold no more
// values than the budget (a sparse or coded series: read every value instead).
std::optional<json> points_from_rollups(ApiRequest& r, SeriesId series_id, const TimeRange& span, std::size_t budget) {
  const double from = ms(*span.from), to = ms(*span.to), buckets = double(std::max<std::size_t>(budget / 2, 1));
  // The coarsest roll-ups that keep at least two thirds of the buckets asked
  // for once each bucket is widened to whole roll-ups; none fit a short range.
  std::optional<std::chrono::milliseconds> level;
  for (const auto width : kRollupWidths) {
    const double w = double(width.count()), widened = std::ceil((to - from) / buckets / w) * w;
    if (w <= (to - from) / buckets && (to - from) / widened >= buckets * 2 / 3) level = width;
  }
  if (!level) return std::nullopt;
  std::vector<ObservationRollup> rollups;
  std::size_t total = 0;
  r.store.series_rollups(r.person->name, series_id, span, *level, [&](const ObservationRollup& b) {
    rollups.push_back(b);
    total += static_cast<std::size_t>(b.count);
  });
  if (total <= budget) return std::nullopt;
  // Thinning buckets on the roll-ups' grid, each holding whole roll-ups, so
  // each keeps exactly the extremes its values have (and there may be fewer
  // of them than asked for, but two thirds at least).
  const double width = double(level->count());
  const double grid_from = std::floor(from / width) * width;
  const double bucket = std::ceil((to - grid_from) / buckets / width) * width;
  MinMaxThinner thinner(grid_from, grid_from + bucket * buckets, budget);
  for (const auto& b : rollups) {
    thinner.add(ms(b.min_at), b.min);
    thinner.add(ms(b.max_at), b.max);
  }
  const auto add_value = [&](const Observation& o) {
    if (!o.value || o.value_code) return;
    thinner.add(ms(o.start), *o.value);
    ++total;
  };
  const Instant covered_from = rollups.front().bucket_start, covered_to = rollups.back().bucket_start + *level;
  if (*span.from < covered_from) r.store.series_observations(r.person->name, series_id, {span.from, covered_from}, add_value);
  if (covered_to < *span.to) r.store.series_observations(r.person->name, series_id, {covered_to, span.to}, add_value);
  return numeric_points_json(series_id, total, thinner.points(), true);
}

// A numeric series thinned to the requested number of points while it streams
// from the store (each time bucket's minimum and maximum kept; all points when
// they fit); coded values (sleep stages) as their last segments.
json series_points(ApiRequest& r) {
  const auto range = range_parameters(r);
  const auto wanted = r.query("points") ? whole_number(*r.query("points"), "points") : std::int64_t(kDefaultPoints);
  if (wanted < 2 || wanted > std::int64_t(kMaxPoints))
    throw ApiError(400, fmt::format("points: between 2 and {}", kMaxPoints));
  const auto budget = static_cast<std::size_t>(wanted);
  // The buckets span the range asked for; an open end takes the series' own
  // (the series list counts every value, so it is read only when needed).
  const auto series_id = whole_number(r.path_values.at(1), "series");
  TimeRange span = range;
  if (!span.from || !span.to) {
    const auto series = series_of(r);
    span = {span.from.value_or(series.first), span.to.value_or(series.last + std::chrono::milliseconds(1))};
  }
  if (auto coarse = points_from_rollups(r, series_id, span, budget)) return *coarse;
  const double from = ms(*span.from), to = ms(*span.to);
  MinMaxThinner thinner(from, std::max(to, from + 1), budget);
  std::vector<MinMaxThinner::Point> all;  // while they fit the budget
  std::deque<std::tuple<double, double, std::string>> coded;  // the last segments: start, end, code
  std::size_t coded_total = 0;
  r.store.series_observations(r.person->name, series_id, range, [&](const Observation& o) {
    if (o.value_code) {
      coded.emplace_back(ms(o.start), ms(o.end), o.value_code->code);
      if (coded.size() > budget) coded.pop_front();
      ++coded_total;
    } else if (o.value) {
      thinner.add(ms(o.start), *o.value);
      if (all.size() <= budget) all.push_back({ms(o.start), *o.value});
    }
  });
  if (coded_total > 0) {
    json start = json::array(), end = json::array(), code = json::array();
    for (const auto& [s, e, c] : coded) {
      start.push_back(static_cast<std::int64_t>(s));
      end.push_back(static_cast<std::int64_t>(e));
      code.push_back(c);
    }
    return {{"series", series_id}, {"total", coded_total}, {"start_ms", start}, {"end_ms", end}, {"code", code}};
  }
  const bool thinned = all.size() > budget;
  return numeric_points_json(series_id, thinner.added(), thinned ? thinner.points() : all, thinned);
}

json list_events(ApiRequest& r) {
  json out = json::array();
  for (const auto& e : r.store.events({r.person->name, r.query("kind"), range_parameters(r)})) {
    auto details = json::parse(e.details_json, nullptr, false);
    if (details.is_discarded()) details = nullptr;
    json j = {{"kind", e.kind}, {"code", e.code.token()}, {"display", e.code.display}, {"start", format_instant(e.start)},
              {"source", e.source}, {"details", std::move(details)}};
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

json list_signals(ApiRequest& r) { return json_list(r.store.signals(r.person->name), signal_json); }

// A window of a signal: only the chunks covering it are read.
json signal_window(ApiRequest& r) {
  const auto info = item_of(r, r.store.signals(r.person->name), "signal");
  const auto id = info.id;
  const double start = r.query("start") ? number(*r.query("start"), "start") : 0;
  const double seconds = r.query("seconds") ? number(*r.query("seconds"), "seconds") : kDefaultWindowSeconds;
  const double length = static_cast<double>(info.sample_count) / info.sample_rate_hz;
  if (!(start >= 0 && start < length))
    throw ApiError(400, fmt::format("start: seconds from the signal's start, from 0 to under {:g}", length));
  if (!(seconds > 0 && seconds <= kMaxWindowSeconds))
    throw ApiError(400, fmt::format("seconds: more than 0 and at most {}", kMaxWindowSeconds));
  const auto first = std::min(static_cast<std::int64_t>(start * info.sample_rate_hz), info.sample_count);
  const auto count = std::min(static_cast<std::int64_t>(std::ceil(seconds * info.sample_rate_hz)), info.sample_count - first);
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

// What the baseline twin's answers are kept under until the next import (or
// erasure) changes the store's imports: the person, the days forecast and
// `what`. The last import's time tells a re-import after an erasure (which
// may reuse the ids) from the erased one.
std::string twin_cache_key(ApiRequest& r, std::int64_t days, const std::string& what) {
  const auto imports = r.store.imports();
  std::int64_t rows = 0;
  for (const auto& i : imports) rows += i.rows_added;
  return fmt::format("twin/{}/{}/{}/{}/{}/{}/{}", r.person->id, days, imports.size(),
                     imports.empty() ? 0 : imports.back().id,
                     imports.empty() ? 0 : to_epoch_ms(imports.back().provenance.imported_at), rows, what);
}

std::int64_t forecast_days(ApiRequest& r) {
  const auto days = r.query("days") ? whole_number(*r.query("days"), "days") : 7;
  if (days < 1 || days > 28) throw ApiError(400, "days: 1 to 28");
  return days;
}

// The baseline twin of the request's person, handed to `answer`.
json with_baseline_twin(ApiRequest& r, std::int64_t days, const std::function<json(const BaselineTwin&)>& answer) {
  const auto person_days = load_person_days(r.store, r.person->name);
  if (person_days.features.empty()) throw ApiError(404, "no daily data for this person yet: import a wearable export");
  return answer(build_baseline_twin(person_days, static_cast<int>(days)));
}

// The personal baseline twin: today against the person's own baseline,
// readiness, the forecast with intervals, alerts.
json baseline_twin(ApiRequest& r) {
  const auto days = forecast_days(r);
  return r.cache.get(twin_cache_key(r, days, ""), [&] {
    return with_baseline_twin(r, days, [&](const BaselineTwin& twin) { return baseline_twin_json(twin, static_cast<int>(days)); });
  });
}

// One daily feature's days against the person's baseline, and its forecast.
// Every feature's timeline is built and kept at once, so browsing them (or
// asking for one that does not exist) builds the twin once.
json feature_timeline(ApiRequest& r) {
  const auto days = forecast_days(r);
  const auto timelines = r.cache.get(twin_cache_key(r, days, "timelines"), [&] {
    return with_baseline_twin(r, days, [&](const BaselineTwin& twin) { return feature_timelines_json(twin, static_cast<int>(days)); });
  });
  const auto found = timelines.find(r.path_values.at(1));
  if (found == timelines.end()) throw ApiError(404, "no such daily feature for this person");
  return *found;
}

// The job of the path's {job} when the caller may see it, else 404 (a job of
// someone else's looks like no job at all).
JobStatus job_of(ApiRequest& r, const std::optional<JobStatus>& job) {
  if (!job || !(job->person ? r.caller.may_see(*job->person) : r.caller.sees_everyone()))
    throw ApiError(404, "no such job");
  return *job;
}

json job_status(ApiRequest& r) { return job_json(job_of(r, r.jobs.status(whole_number(r.path_values.at(0), "job")))); }

json cancel_job(ApiRequest& r) {
  const auto id = whole_number(r.path_values.at(0), "job");
  job_of(r, r.jobs.status(id));
  return job_json(job_of(r, r.jobs.cancel(id)));
}

// The person's observations and events as a FHIR R4 Bundle (or observations as CSV).
StreamedAnswer export_person(ApiRequest& r) {
  const auto text = r.query("format").value_or("fhir");
  const auto format = parse_export_format(text);
  if (!format) throw ApiError(400, "format: fhir or csv");
  return {*format == ExportFormat::fhir ? "application/fhir+json" : "text/csv",
          fmt::format("person-{}.{}", r.person->id, *format == ExportFormat::fhir ? "json" : "csv"),
          [person = *r.person, format = *format](Store& store, std::ostream& out) {
            write_person_export(store, person, format, out);
          }};
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
      {"GET", "/api/v1/persons/{person}/twin", true, baseline_twin},
      {"GET", "/api/v1/persons/{person}/twin/features/{feature}", true, feature_timeline},
      {"GET", "/api/v1/persons/{person}/events", true, list_events},
      {"GET", "/api/v1/persons/{person}/signals", true, list_signals},
      {"GET", "/api/v1/persons/{person}/signals/{signal}/window", true, signal_window},
      {"POST", "/api/v1/persons/{person}/signals/{signal}/analysis", true, start_ecg_analysis, 202},
      {"GET", "/api/v1/persons/{person}/sleep", true, sleep_view},
      {"GET", "/api/v1/persons/{person}/sleep/stages", true, sleep_stages_view},
      {"GET", "/api/v1/persons/{person}/glucose/day", true, glucose_day_view},
      {"POST", "/api/v1/persons/{person}/glucose/what-if", true, start_glucose_what_if, 202},
      {"GET", "/api/v1/persons/{person}/drug-test", true, drug_test_options},
      {"POST", "/api/v1/persons/{person}/drug-test", true, start_drug_test, 202},
      {"GET", "/api/v1/persons/{person}/export", true, nullptr, 200, false, export_person},
      {"GET", "/api/v1/tumour-twins", true, list_tumour_twins},
      {"GET", "/api/v1/tumour-twins/{twin}", true, tumour_twin_view},
      {"GET", "/api/v1/tumour-twins/{twin}/visit-slices", true, tumour_visit_slices},
      {"POST", "/api/v1/tumour-twins/{twin}/forecast", true, start_tumour_forecast, 202},
      {"POST", "/api/v1/imports", true, start_import, 202, true},
      {"GET", "/api/v1/jobs/{job}", true, job_status},
      {"DELETE", "/api/v1/jobs/{job}", true, cancel_job},
  };
  return routes;
}

json job_json(const JobStatus& job) {
  json j = {{"id", job.id},
            {"kind", job.kind},
            {"person", job.person ? json(*job.person) : json(nullptr)},
            {"state", std::string(to_string(job.state))},
            {"cancel_requested", job.cancel_requested},
            {"progress", job.progress},
            {"step", job.step}};
  if (job.state == JobState::done) j["result"] = job.result;
  if (job.state == JobState::failed) j["error"] = job.error;
  return j;
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

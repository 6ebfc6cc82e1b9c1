#include "medtwin/twin/hypnogram.hpp"

#include <algorithm>
#include <map>

#include "medtwin/core/codes.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/sleep/episodes.hpp"

namespace medtwin {
namespace {

constexpr auto kMargin = std::chrono::hours(1);

std::chrono::local_days woke_on(const sleep::SleepEpisode& e, const TimeZoneHistory& zones) {
  return std::chrono::floor<std::chrono::days>(to_local(e.offset, zones.zone_at(e.offset)));
}

// The source with the most staged observations (in bed does not count) in the
// window; the first of them by name on a tie.
std::string busiest_source(const std::vector<Observation>& stages) {
  std::map<std::string, std::size_t> counts;
  for (const auto& s : stages) counts[s.source] += s.value_code != sleep_stages::in_bed();
  return std::max_element(counts.begin(), counts.end(), [](const auto& a, const auto& b) { return a.second < b.second; })->first;
}

}  // namespace

Hypnogram build_hypnogram(Store& store, const std::string& person, std::optional<std::chrono::local_days> night) {
  Hypnogram h;
  h.zones = store.time_zones(person);  // throws NotFound for an unknown person
  const auto code = metrics::sleep_stage().code;
  const auto all = store.observations(ObservationQuery{person, code, {}});
  if (all.empty()) throw NotFound("no sleep stages");
  const auto mains = sleep::main_sleep_per_day(sleep::sleep_episodes(all), h.zones);
  if (mains.empty()) throw NotFound("no main sleep in the sleep stages");
  for (const auto& m : mains) h.nights.push_back(woke_on(m, h.zones));
  const auto chosen = night ? std::find(h.nights.begin(), h.nights.end(), *night) : h.nights.end() - 1;
  if (chosen == h.nights.end()) throw NotFound("no main sleep woke on that day");
  h.night = *chosen;
  const auto& episode = mains[static_cast<std::size_t>(chosen - h.nights.begin())];
  auto window = store.observations(ObservationQuery{person, code, {episode.onset - kMargin, episode.offset + kMargin}});
  h.source = busiest_source(window);
  std::erase_if(window, [&](const Observation& o) { return o.source != h.source; });
  std::sort(window.begin(), window.end(), [](const auto& a, const auto& b) { return a.start < b.start; });
  h.stages = std::move(window);
  return h;
}

}  // namespace medtwin

#include "medtwin/sleep/episodes.hpp"

#include <algorithm>
#include <map>

#include "medtwin/core/codes.hpp"
#include "medtwin/core/daily.hpp"

namespace medtwin::sleep {
namespace {

bool is_asleep(const Code& stage) {
  return stage == sleep_stages::asleep() || stage == sleep_stages::light() || stage == sleep_stages::deep() ||
         stage == sleep_stages::rem();
}

bool is_bed_time(const Code& stage) {
  return stage == sleep_stages::in_bed() || stage == sleep_stages::awake() || stage == sleep_stages::restless();
}

struct Interval {
  Instant start, end;
};

std::vector<Interval> stage_intervals(std::span<const Observation> stages, bool (*wanted)(const Code&)) {
  std::vector<Interval> out;
  for (const auto& obs : stages)
    if (obs.code == metrics::sleep_stage().code && obs.value_code && wanted(*obs.value_code) && obs.end > obs.start)
      out.push_back({obs.start, obs.end});
  std::sort(out.begin(), out.end(), [](const Interval& a, const Interval& b) { return a.start < b.start; });
  return out;
}

// Length of the union of `intervals` (sorted by start) clipped to [from, to).
std::chrono::milliseconds covered(const std::vector<Interval>& intervals, Instant from, Instant to) {
  std::chrono::milliseconds total{0};
  Instant reached = from;
  for (const auto& iv : intervals) {
    if (iv.start >= to) break;
    const Instant start = std::max(iv.start, reached), end = std::min(iv.end, to);
    if (end > start) total += end - start, reached = end;
  }
  return total;
}

}  // namespace

double SleepEpisode::efficiency() const {
  if (in_bed.count() <= 0) return 0;
  return std::min(1.0, static_cast<double>(asleep.count()) / static_cast<double>(in_bed.count()));
}

std::vector<SleepEpisode> sleep_episodes(std::span<const Observation> stages, std::chrono::minutes max_wake_gap) {
  const auto asleep = stage_intervals(stages, is_asleep);
  const auto bed = stage_intervals(stages, is_bed_time);
  std::vector<SleepEpisode> episodes;
  for (const auto& iv : asleep) {
    if (!episodes.empty() && iv.start - episodes.back().offset <= max_wake_gap) {
      episodes.back().offset = std::max(episodes.back().offset, iv.end);
    } else {
      episodes.push_back({iv.start, iv.end});
    }
  }
  for (auto& e : episodes) {
    e.asleep = covered(asleep, e.onset, e.offset);
    // Time in bed: the span, widened by in-bed/awake records that touch it.
    Instant bed_start = e.onset, bed_end = e.offset;
    for (const auto& b : bed)
      if (b.start <= e.offset && b.end >= e.onset) bed_start = std::min(bed_start, b.start), bed_end = std::max(bed_end, b.end);
    e.in_bed = bed_end - bed_start;
  }
  return episodes;
}

std::vector<SleepEpisode> main_sleep_per_day(std::span<const SleepEpisode> episodes, const TimeZoneHistory& zones,
                                             std::chrono::minutes min_asleep) {
  std::map<std::chrono::local_days, SleepEpisode> longest;
  for (const auto& e : episodes) {
    if (e.asleep < min_asleep) continue;
    auto [it, inserted] = longest.try_emplace(local_day_of(e.offset, zones), e);
    if (!inserted && e.asleep > it->second.asleep) it->second = e;
  }
  std::vector<SleepEpisode> out;
  for (auto& [day, e] : longest) out.push_back(e);
  return out;
}

}  // namespace medtwin::sleep

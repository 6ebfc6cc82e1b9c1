// Sleep/wake scoring of 1-minute activity counts: Cole–Kripke (Cole et al.
// 1992, Sleep 15:461, the 1-min formula, with Webster et al. 1982's rescoring
// rules as given there) and Sadeh (Sadeh, Sharkey & Carskadon 1994, Sleep
// 17:201). The result is a per-epoch sleep/wake series, and the sleep
// episodes it contains (episodes.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "medtwin/core/records.hpp"
#include "medtwin/sleep/activity.hpp"
#include "medtwin/sleep/episodes.hpp"

namespace medtwin::sleep {

enum class SleepWake : std::uint8_t { wake, sleep, unknown };  // unknown: the epoch's count is missing

struct SleepWakeSeries {
  Instant start;                                             // UTC start of epoch 0
  std::chrono::milliseconds epoch{std::chrono::minutes(1)};  // length of every epoch
  std::vector<SleepWake> states;

  Instant time_of(std::size_t i) const { return start + epoch * static_cast<std::int64_t>(i); }
};

// Cole–Kripke, 1-min epochs: D = P Σ_k W_k A_{t+k} over k = −4 … +2, sleep
// when D < 1. Neighbours outside the recording or missing count as 0.
// Throws unless the epoch is 1 minute.
SleepWakeSeries score_cole_kripke(const ActivitySeries& series, bool webster_rescoring = false);

// Webster's rescoring rules (Cole et al. 1992, p. 465): after ≥ 4 / ≥ 10 /
// ≥ 15 min of wake the next 1 / 3 / 4 min of sleep become wake; a sleep run
// of ≤ 6 min between ≥ 10 min of wake on both sides, or ≤ 10 min between
// ≥ 20 min of wake, becomes wake. Rules a–c first, then d–e on the result;
// unknown epochs break runs.
void apply_webster_rescoring(SleepWakeSeries& scored);

// Sadeh, 1-min epochs: PS = 7.601 − 0.065 MEAN − 1.08 NAT − 0.056 SD −
// 0.703 LG, sleep when PS ≥ threshold (0 in the paper). MEAN: mean count of
// the 11-min window centred on the epoch; NAT: epochs in that window with
// 50 ≤ count < 100; SD: sample standard deviation of the epoch and the 5
// before it; LG: ln(count + 1). Windows keep only the epochs present (cut at
// the recording's ends, missing epochs left out). Throws unless 1-min epochs.
SleepWakeSeries score_sadeh(const ActivitySeries& series, double threshold = 0);

// Each run of sleep epochs as a sleep-stage observation (stage "asleep"),
// from `source`, e.g. "actigraphy (Cole-Kripke)".
std::vector<Observation> sleep_observations(const SleepWakeSeries& scored, const std::string& source);

// The sleep episodes of `scored`: runs of sleep merged across wake gaps of at
// most `max_wake_gap` (sleep_episodes in episodes.hpp). In-bed time is the
// episode's span: scoring does not know when the person went to bed.
std::vector<SleepEpisode> scored_episodes(const SleepWakeSeries& scored,
                                          std::chrono::minutes max_wake_gap = std::chrono::minutes(60));

}  // namespace medtwin::sleep

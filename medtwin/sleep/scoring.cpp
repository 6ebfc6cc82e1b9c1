#include "medtwin/sleep/scoring.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "medtwin/core/codes.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/core/stats.hpp"

namespace medtwin::sleep {
namespace {

using std::chrono::minutes;

// Cole et al. 1992, 1-min epochs: weights of A(t−4) … A(t+2) and scale P.
constexpr std::array<double, 7> ck_weights = {404, 598, 326, 441, 1408, 508, 350};
constexpr int ck_first_offset = -4;
constexpr double ck_scale = 0.00001;
constexpr double ck_sleep_below = 1.0;  // D < 1 → sleep

// Sadeh et al. 1994: PS = 7.601 − 0.065 MEAN − 1.08 NAT − 0.056 SD − 0.703 LG.
struct SadehCoefficients {
  double intercept = 7.601, mean = 0.065, nat = 1.08, sd = 0.056, lg = 0.703;
  std::size_t half_window = 5;          // MEAN and NAT: the epoch ± 5 min
  std::size_t sd_window = 6;            // SD: the epoch and the 5 before it
  double nat_low = 50, nat_high = 100;  // NAT counts 50 ≤ count < 100
};

// Webster et al. 1982 as given by Cole et al. 1992: after ≥ `wake` min of
// wake, rescore the next `rescore` min of sleep (rules a–c).
struct AfterWakeRule {
  std::size_t wake, rescore;
};
constexpr std::array<AfterWakeRule, 3> after_wake_rules = {{{15, 4}, {10, 3}, {4, 1}}};
// Rules d–e: a sleep run of ≤ `sleep` min with ≥ `wake` min of wake on both sides.
struct IslandRule {
  std::size_t sleep, wake;
};
constexpr std::array<IslandRule, 2> island_rules = {{{6, 10}, {10, 20}}};

void require_one_minute(const ActivitySeries& series, std::string_view what) {
  check_series(series, what);
  if (series.epoch != minutes(1))
    throw Error(fmt::format("{}: the formula is for 1-minute epochs, got {} s; aggregate the counts to 1 min first",
                            what, series.epoch.count() / 1000.0));
}

double count_or_zero(const ActivitySeries& series, std::ptrdiff_t i) {
  if (i < 0 || i >= std::ptrdiff_t(series.counts.size()) || std::isnan(series.counts[i])) return 0;
  return series.counts[i];
}

// Runs of equal states: [begin, end) and the state.
struct Run {
  std::size_t begin, end;
  SleepWake state;
  std::size_t length() const { return end - begin; }
};

std::vector<Run> runs_of(const std::vector<SleepWake>& states) {
  std::vector<Run> runs;
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (runs.empty() || runs.back().state != states[i]) runs.push_back({i, i, states[i]});
    runs.back().end = i + 1;
  }
  return runs;
}

void apply_after_wake_rules(std::vector<SleepWake>& states) {
  const auto runs = runs_of(states);
  for (std::size_t r = 1; r < runs.size(); ++r) {
    if (runs[r].state != SleepWake::sleep || runs[r - 1].state != SleepWake::wake) continue;
    for (const auto& rule : after_wake_rules) {
      if (runs[r - 1].length() < rule.wake) continue;
      for (std::size_t i = runs[r].begin; i < std::min(runs[r].end, runs[r].begin + rule.rescore); ++i)
        states[i] = SleepWake::wake;
      break;
    }
  }
}

void apply_island_rules(std::vector<SleepWake>& states) {
  const auto runs = runs_of(states);
  for (std::size_t r = 1; r + 1 < runs.size(); ++r) {
    const Run &before = runs[r - 1], &run = runs[r], &after = runs[r + 1];
    if (run.state != SleepWake::sleep || before.state != SleepWake::wake || after.state != SleepWake::wake) continue;
    for (const auto& rule : island_rules)
      if (run.length() <= rule.sleep && before.length() >= rule.wake && after.length() >= rule.wake) {
        std::fill(states.begin() + std::ptrdiff_t(run.begin), states.begin() + std::ptrdiff_t(run.end), SleepWake::wake);
        break;
      }
  }
}

double sadeh_index(const ActivitySeries& series, std::size_t t, const SadehCoefficients& c) {
  const std::size_t n = series.counts.size();
  const std::size_t lo = t >= c.half_window ? t - c.half_window : 0;
  const std::size_t hi = std::min(n, t + c.half_window + 1);
  const std::span<const double> window(series.counts.data() + lo, hi - lo);
  int nat = 0;
  for (double v : window) nat += (v >= c.nat_low && v < c.nat_high) ? 1 : 0;
  const std::size_t sd_lo = t + 1 >= c.sd_window ? t + 1 - c.sd_window : 0;
  const double sd = standard_deviation(std::span<const double>(series.counts.data() + sd_lo, t + 1 - sd_lo)).value_or(0);
  return c.intercept - c.mean * mean(window).value_or(0) - c.nat * nat - c.sd * sd -
         c.lg * std::log(series.counts[t] + 1);
}

}  // namespace

SleepWakeSeries score_cole_kripke(const ActivitySeries& series, bool webster_rescoring) {
  require_one_minute(series, "Cole-Kripke");
  SleepWakeSeries out{series.start, series.epoch, std::vector<SleepWake>(series.counts.size())};
  for (std::size_t t = 0; t < series.counts.size(); ++t) {
    if (std::isnan(series.counts[t])) {
      out.states[t] = SleepWake::unknown;
      continue;
    }
    double d = 0;
    for (std::size_t k = 0; k < ck_weights.size(); ++k)
      d += ck_weights[k] * count_or_zero(series, std::ptrdiff_t(t) + ck_first_offset + std::ptrdiff_t(k));
    out.states[t] = ck_scale * d < ck_sleep_below ? SleepWake::sleep : SleepWake::wake;
  }
  if (webster_rescoring) apply_webster_rescoring(out);
  return out;
}

void apply_webster_rescoring(SleepWakeSeries& scored) {
  if (scored.epoch != minutes(1))
    throw Error(fmt::format("Webster rescoring: the rules count minutes; got {} s epochs", scored.epoch.count() / 1000.0));
  apply_after_wake_rules(scored.states);
  apply_island_rules(scored.states);
}

SleepWakeSeries score_sadeh(const ActivitySeries& series, double threshold) {
  require_one_minute(series, "Sadeh");
  const SadehCoefficients coefficients;
  SleepWakeSeries out{series.start, series.epoch, std::vector<SleepWake>(series.counts.size())};
  for (std::size_t t = 0; t < series.counts.size(); ++t) {
    if (std::isnan(series.counts[t])) {
      out.states[t] = SleepWake::unknown;
      continue;
    }
    out.states[t] = sadeh_index(series, t, coefficients) >= threshold ? SleepWake::sleep : SleepWake::wake;
  }
  return out;
}

std::vector<Observation> sleep_observations(const SleepWakeSeries& scored, const std::string& source) {
  std::vector<Observation> out;
  for (const Run& run : runs_of(scored.states)) {
    if (run.state != SleepWake::sleep) continue;
    Observation obs;
    obs.code = metrics::sleep_stage().code;
    obs.value_code = sleep_stages::asleep();
    obs.start = scored.time_of(run.begin);
    obs.end = scored.time_of(run.end);
    obs.source = source;
    out.push_back(std::move(obs));
  }
  return out;
}

std::vector<SleepEpisode> scored_episodes(const SleepWakeSeries& scored, std::chrono::minutes max_wake_gap) {
  const auto stages = sleep_observations(scored, "actigraphy scoring");
  return sleep_episodes(stages, max_wake_gap);
}

}  // namespace medtwin::sleep

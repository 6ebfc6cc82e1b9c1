// The sleep and circadian side of a person's twin: their nights (from a
// wearable's sleep stages, or scored from actigraphy / minute steps with
// Cole–Kripke), rhythm metrics, the two-process model fitted to their timing,
// and — given a planned night — its predicted sleep pressure, alertness and
// sleep debt over the next days next to the person's habitual night.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "medtwin/sleep/regularity.hpp"
#include "medtwin/sleep/rhythm.hpp"
#include "medtwin/sleep/two_process.hpp"
#include "medtwin/store/store.hpp"
#include "medtwin/twin/sleep_plan.hpp"

namespace medtwin {

struct SleepScenario {
  SleepPlan plan;
  sleep::SleepEpisode planned_night;             // tonight as planned, UTC
  sleep::TwoProcessTrajectory planned, habitual;  // the plan vs the person's habitual night
};

struct SleepReport {
  std::string nights_from;  // where the nights come from: "sleep stages", "actigraphy (Cole–Kripke)", …
  TimeZoneHistory zones;
  std::vector<sleep::SleepEpisode> nights;  // main sleep per day
  std::optional<sleep::NonparametricRhythm> rhythm;
  std::optional<double> sleep_regularity_index;
  std::optional<sleep::SocialJetLag> social_jet_lag;
  std::optional<sleep::CosinorFit> cosinor;
  std::optional<sleep::TwoProcessFit> two_process;
  std::optional<SleepScenario> scenario;
  std::vector<std::string> unavailable;  // "IS/IV: not enough data (…)": what could not be computed and why
};

// Throws NotFound for an unknown person.
SleepReport build_sleep_report(Store& store, const std::string& person, const std::optional<SleepPlan>& plan);

}  // namespace medtwin

// Training load: the daily training impulse a wearable can give (Edwards'
// heart-rate-zone TRIMP, or active minutes weighted by intensity), the
// Banister fitness–fatigue impulse-response model (Banister et al. 1975;
// Calvert et al. 1976; review: Busso 2003) and the acute:chronic workload
// ratio as exponentially weighted moving averages (Williams et al. 2017).
// Model card: docs/models/readiness.md ("Training load").
#pragma once

#include <optional>
#include <span>
#include <vector>

namespace medtwin::baseline {

// ---- Daily training impulse ------------------------------------------------

// Age-predicted maximal heart rate, beats/min: 208 - 0.7 * age
// (Tanaka, Monahan & Seals 2001, J Am Coll Cardiol 37:153, the meta-analysis
// equation). Age in years, 1..120.
double tanaka_hr_max(double age_years);

// Edwards' summated heart-rate-zone TRIMP (Edwards 1993, The Heart Rate
// Monitor Book): each minute spent at 50-60, 60-70, 70-80, 80-90 and >= 90 %
// of HRmax scores 1, 2, 3, 4 and 5; below 50 % scores 0. A zone's lower edge
// belongs to it. `minute_hr_bpm` holds the mean heart rate of each minute
// (beats/min; NaN = no reading, skipped); `hr_max_bpm` is tanaka_hr_max(age)
// or a person's observed maximum. Result in TRIMP units (zone-weighted minutes).
double edwards_trimp(std::span<const double> minute_hr_bpm, double hr_max_bpm);

// One day's minutes per intensity band, e.g. Fitbit's lightly / fairly / very
// active minutes (metrics::lightly_active_minutes, …), which are MET bands
// (about 1.5-3, 3-6 and > 6 METs) matching the ACSM light / moderate /
// vigorous classes.
struct ActivityMinutes {
  double light = 0;     // min
  double moderate = 0;  // min
  double vigorous = 0;  // min
};

// Weight of one minute of each band in Edwards TRIMP units: the mean Edwards
// zone weight over the band's %HRmax range in the ACSM classification
// (Garber et al. 2011, Med Sci Sports Exerc 43:1334, Table 2: light 57-63 %,
// moderate 64-76 %, vigorous 77-95 % HRmax), so both loads share one scale.
struct IntensityWeights {
  double light;
  double moderate;
  double vigorous;
};
IntensityWeights acsm_edwards_weights();

// Daily load from active minutes: light*w_l + moderate*w_m + vigorous*w_v, in
// TRIMP units. Each band 0..1440 min and their sum at most 1440.
double activity_trimp(const ActivityMinutes& minutes, const IntensityWeights& weights = acsm_edwards_weights());

// ---- Fitness, fatigue and the acute:chronic ratio ---------------------------

// Fixed parameters. tau1 = 42 d and tau2 = 7 d are the conventional
// defaults (Clarke & Skiba 2013 review them; individual fits differ, Busso
// 2003). k1, k2, p0 only matter for `performance`: they are normally fitted
// to a person's results, and k1 = 1, k2 = 2 (fatigue gain above fitness gain,
// as in the fits Busso 2003 reviews) only make its shape right.
struct BanisterParameters {
  double fitness_time_constant_days = 42;  // tau1, d
  double fatigue_time_constant_days = 7;   // tau2, d
  double fitness_gain = 1;                 // k1, performance units per load unit
  double fatigue_gain = 2;                 // k2, performance units per load unit
  double initial_performance = 0;          // p0, performance units
  int acute_window_days = 7;               // N of the acute EWMA, lambda = 2/(N+1) (Williams et al. 2017)
  int chronic_window_days = 28;            // N of the chronic EWMA (Williams et al. 2017)
  int imputation_window_days = 28;         // look-back for imputing a missing day (see training_load)
};

// The state at the end of one day, after that day's load.
struct LoadState {
  double fitness = 0;      // g(t) = sum_{s<=t} w(s) e^{-(t-s)/tau1}, load units
  double fatigue = 0;      // h(t) = sum_{s<=t} w(s) e^{-(t-s)/tau2}, load units
  double performance = 0;  // p(t) = p0 + k1 g(t) - k2 h(t), performance units
  // Acute:chronic workload ratio of bias-corrected EWMAs; nullopt until the
  // history spans the chronic window, or when the chronic load is zero.
  std::optional<double> acwr;
  double load = 0;                   // the load used for this day (measured or imputed), load units
  bool imputed = false;              // whether `load` was imputed
  double imputed_share_fitness = 0;  // share of the tau1 kernel weight resting on imputed days, 0..1
  double imputed_share_fatigue = 0;  // same for the tau2 kernel
  int days_of_history = 0;           // days since the state (re)started, this day included
};

// Runs the model over consecutive days: daily_load[i] is day i's load (TRIMP
// units, >= 0) or NaN when the device was not worn — the convention of
// DailySeries, so a daily load series' values can be passed as they are. O(n).
//
// Missing days: a day without data is not a day without training (the watch
// may be off for a swim or on the charger), so it is neither zero nor carried
// forward: its load is imputed as the median of the measured loads in the
// preceding `imputation_window_days`, and the share of each kernel resting on
// imputed days is reported. With no measured day in that window the state is
// unknown (nullopt) and restarts from zero at the next measured day; days
// before the first measured day are unknown too. A restart is visible as
// days_of_history == 1. Throws NotEnoughData for an empty series.
std::vector<std::optional<LoadState>> training_load(std::span<const double> daily_load,
                                                    const BanisterParameters& params = {});

}  // namespace medtwin::baseline

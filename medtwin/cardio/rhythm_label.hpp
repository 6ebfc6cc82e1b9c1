// One rhythm label for a short single-lead ECG (9–60 s, a wearable or
// handheld strip): normal sinus rhythm, atrial fibrillation, another rhythm,
// or too noisy to tell — the four classes of the PhysioNet/Computing in
// Cardiology Challenge 2017 (Clifford et al. 2017, "AF classification from a
// short single lead ECG recording: the PhysioNet/Computing in Cardiology
// Challenge 2017", Computing in Cardiology 44). Fixed rules from the
// literature, not a model fitted to labels:
//  - noisy: the signal-quality indices of quality.hpp (Li 2008, Clifford 2012,
//    Behar 2013, Orphanidou 2015) leave too little usable signal;
//  - AF: irregular RR intervals — the three statistics of Dash et al. 2009
//    (af.hpp) over all intervals of the recording (their own trimming drops
//    ectopic extremes), and the coefficient of sample entropy COSEn above
//    −1.4 on the intervals between non-ventricular beats (Lake & Moorman 2011,
//    "Accurate estimation of entropy in very short physiological time series:
//    the problem of atrial fibrillation detection in implanted ventricular
//    devices", Am J Physiol Heart Circ Physiol 300:H319–H325) — and no P wave
//    on most 10 s median beats (delineate.hpp): AF is "irregular RR with no
//    distinct repeating P waves" (ESC 2020 guidelines, Hindricks et al.);
//  - other: irregular with P waves, rate outside 50–100 bpm, a wide QRS, a
//    long QTc, or ectopy — RR-premature beats or beats that beat_class.hpp
//    classes supraventricular or ventricular;
//  - normal otherwise.
// Cost: O(n) in the samples (quality.hpp, the average beat, beat_class.hpp,
// delineate.hpp) plus O(b²) in the b ≤ ~200 beats of a 60 s strip for COSEn.
// Model card: docs/models/rhythm_label.md.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "medtwin/cardio/quality.hpp"

namespace medtwin::cardio {

// Which RR-irregularity test calls AF.
enum class Irregularity {
  dash,    // Dash 2009's three criteria on the trimmed intervals
  cosen,   // COSEn above cosen_af
  either,  // one of them
  both,    // both of them
};

// Fixed parameters; sources in docs/models/rhythm_label.md ("chosen": ours).
// "Selected" marks the choices picked among rule variants by the Challenge
// score on the 146 shared CinC 2017 records — fitted, so the model card reports
// their leave-one-out cross-validated score beside the in-sample one
// (tests/rhythm_label_cinc2017_test.cpp scores both, and the literature-first
// rules: either test, usable fraction 0.5, no classified-ectopy rule).
struct RhythmParams {
  Irregularity irregularity = Irregularity::both;  // selected
  bool cosen_on_nn = true;  // COSEn on the intervals touching no V/F beat (Lake & Moorman 2011: NN intervals)
  // true: an irregular rhythm with P waves on the median beats is "other", not AF; selected.
  bool af_needs_absent_p_wave = true;
  double min_p_wave_share = 0.5;  // of the 10 s median beats with a P wave, at least: P waves present; chosen (most)
  double min_duration_s = 9;  // s, the Challenge's shortest recording (Clifford et al. 2017)
  double min_usable_fraction = 2.0 / 3;   // of the samples in usable quality segments, below: noisy; selected
  // Fewer detected beats: noisy. Dash's test (af.cpp) needs 8 intervals after
  // trimming 1/16 at each end, i.e. at least 11 beats: a strip of 8–10 beats is
  // never called AF.
  int min_beats = 8;
  double cosen_af = -1.4;                 // COSEn above: AF (Lake & Moorman 2011)
  double cosen_tolerance_s = 0.030;       // s, SampEn tolerance r (Lake & Moorman 2011)
  int cosen_min_matches = 5;              // r grows by 10 ms until this many m+1 matches (Lake & Moorman 2011; unsure)
  double dash_trim_fraction = 8.0 / 128;  // of the intervals dropped at each end (Dash 2009: 8 of 128)
  double min_normal_rate_bpm = 50;        // sinus bradycardia below (Spodick et al. 1992, Am J Cardiol 69:1245)
  double max_normal_rate_bpm = 100;       // sinus tachycardia above (AHA/ACC/HRS, Surawicz et al. 2009)
  double wide_qrs_s = 0.120;              // QRS at least this wide: conduction delay (Surawicz et al. 2009, part III)
  // ms, median-beat QTc (Framingham) at least this: long QT, "other"; 0 switches the rule off. Priori et al.
  // 2013 (HRS/EHRA/APHRS consensus): QTc ≥ 480 ms diagnoses long-QT syndrome; the rule itself selected.
  double long_qtc_ms = 480;
  double premature_ratio = 0.8;           // RR below this × the median RR, followed by one ≥ 0.9 × median:
  double resume_ratio = 0.9;              // a premature beat; chosen
  int max_premature_beats = 1;            // more: other (ectopy); chosen (and selected among 1–3)
  // Beats classed S, V or F by beat_class.hpp at least this many: other (ectopy); 0 switches the rule off.
  // Selected among 2, 3, 4 (3 in a 30 s strip ≈ 360 an hour, far above the 30 an hour of "frequent"
  // ectopy, Lown & Wolf 1971 — short strips need a count, not a rate, to outvote misclassified beats).
  int min_ectopic_beats = 3;
  QualityParams quality{};
};

enum class RhythmClass { normal, af, other, noisy };

struct RhythmFeatures {
  double duration_s = 0;
  int beats = 0;
  double usable_fraction = 0;   // quality.hpp
  double heart_rate_bpm = 0;    // 60 / mean RR
  double normalised_rmssd = 0;  // RMSSD / mean RR, all intervals
  bool dash_irregular = false;  // Dash 2009's three criteria hold on the trimmed intervals
  double cosen = 0;             // Lake & Moorman 2011, all intervals
  int premature_beats = 0;      // from RR alone
  double qrs_width_s = 0;       // s, average beat, slope envelope above 15 % of its peak
  // Beat classes (beat_class.hpp) of the detected beats.
  int ventricular_beats = 0;       // V and F
  int supraventricular_beats = 0;  // S
  int artefacts = 0;               // detections that are not beats (left out of everything below)
  // COSEn of the NN intervals — those touching no V/F beat; none below 3 such intervals.
  int nn_intervals = 0;
  std::optional<double> nn_cosen;
  // The 10 s median beats of the non-ventricular beats (delineate.hpp); none when no window had 4 such beats.
  std::optional<double> p_wave_share;           // share of the median beats with a P wave, 0–1
  std::optional<double> pr_ms, qrs_ms, qtc_ms;  // ms, medians over them (QTc: Framingham, Sagie et al. 1992)
};

struct RhythmLabel {
  RhythmClass label = RhythmClass::noisy;
  RhythmFeatures features;
  std::string reason;  // which rule decided, for a person to read
};

// `lead` in mV at `rate_hz`. Throws medtwin::NotEnoughData when shorter than
// min_duration_s, medtwin::Error on a non-finite sample or impossible rate.
// The same as decide_rhythm(measure_rhythm(lead, rate_hz, params), params).
RhythmLabel label_rhythm(std::span<const double> lead, double rate_hz, const RhythmParams& params = {});

// The two halves, so that the decision rules can be re-run on stored features.
RhythmFeatures measure_rhythm(std::span<const double> lead, double rate_hz, const RhythmParams& params = {});
RhythmLabel decide_rhythm(const RhythmFeatures& features, const RhythmParams& params = {});

// COSEn of RR intervals (s): SampEn(m = 1, r) + ln(2r) − ln(mean RR), r from
// tolerance_s grown by 10 ms until min_matches template pairs of length 2
// match. Throws NotEnoughData below 3 intervals.
double coefficient_of_sample_entropy(std::span<const double> rr_s, double tolerance_s = 0.030, int min_matches = 5);

const char* to_string(RhythmClass label);

}  // namespace medtwin::cardio

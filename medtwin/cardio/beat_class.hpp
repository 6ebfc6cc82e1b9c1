// Heartbeat classification into the AAMI EC57 classes — N (normal, bundle-
// branch block, escape), S (supraventricular ectopic), V (ventricular ectopic),
// F (fusion), Q (unclassifiable) — plus an artefact flag for detections that
// are not beats at all. Unsupervised and per recording, so nothing is learned
// from anyone's labels:
//  - QRS windows of one or two leads are clustered online by correlation with
//    a small set of running-average templates, as Holter analysers and the
//    beat classifier of Hamilton 2002 ("Open source ECG analysis", Computers
//    in Cardiology 29:101–104) do; the largest cluster is the recording's
//    dominant (normal) morphology, whatever its width, so bundle-branch block
//    records keep their wide beats normal;
//  - each morphology is judged against the dominant template (correlation,
//    QRS width) and each beat's timing against the normal rhythm (prematurity
//    RR_pre / normal RR, the pause RR_post / RR_pre) — the feature families of
//    de Chazal, O'Dwyer & Reilly 2004 ("Automatic classification of heartbeats
//    using ECG morphology and heartbeat interval features", IEEE Trans Biomed
//    Eng 51:1196–1206) and Llamedo & Martínez 2011 ("Heartbeat classification
//    using feature selection driven by database generalization criteria",
//    IEEE Trans Biomed Eng 58:616–625), used in fixed physiological rules
//    instead of a trained classifier:
//      V: wider than the dominant QRS; or of another shape and premature with
//         a pause after it; or of a clearly different shape and not late;
//      F: a rare shape between the two, a little wider, on time;
//      S: the dominant shape, premature against the sinus rhythm (the median
//         of the last 8 normal intervals, as Hamilton's RR average) and
//         suddenly so, outside atrial fibrillation (af.hpp);
//      N: otherwise — a changed shape that is on time and not wide is taken
//         as a change of axis or noise on a normal beat;
//    a recurring shape is judged by its cluster's medians, a lone one by its
//    own features;
//  - artefacts: a lone shape unlike every large cluster that splits one normal
//    RR interval in two amid a settled rhythm.
// Cost: O(beats × window × templates), the templates bounded (16) — the
// recording rate matters only through the window averaging (150–300 Hz).
// Model card: docs/models/beat_class.md.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace medtwin::cardio {

// AAMI EC57 heartbeat classes.
enum class BeatClass {
  normal,            // N: normal, left/right bundle-branch block, atrial and nodal escape
  supraventricular,  // S: atrial, aberrated atrial, nodal and supraventricular premature beats
  ventricular,       // V: premature ventricular contractions, ventricular escape
  fusion,            // F: fusion of ventricular and normal beats
  unknown,           // Q: paced, fusion of paced and normal, unclassifiable
};

// 'N', 'S', 'V', 'F' or 'Q'.
char aami_letter(BeatClass cls);

// The AAMI class of a WFDB (MIT-BIH) beat annotation code, per EC57 and
// de Chazal et al. 2004 Table I: N L R e j n B → N; A a J S → S; V E r → V;
// F → F; / f Q ? → Q. nullopt for codes that are not beats ("+", "~", "|", …).
std::optional<BeatClass> aami_class_of(std::string_view wfdb_code);

// Fixed parameters. Sources in docs/models/beat_class.md; "design" marks
// values set from physiology, "tuned" values chosen while looking at the
// MIT-BIH figures the model card reports (so those figures are in-sample).
struct BeatClassParams {
  double window_before_s = 0.10;         // s, QRS window start before R (QRS onset ≤ 100 ms before R)
  double window_after_s = 0.15;          // s, QRS window end after R (a wide ventricular QRS lasts up to ~200 ms)
  double max_shift_s = 0.015;            // s, alignment search ± around R when matching a template; design
  double morphology_rate_hz = 150;       // Hz, windows are boxcar-averaged to rate/⌊rate/150⌋; design
  double cluster_correlation = 0.92;     // correlation to join a template; design (Hamilton 2002 uses another metric)
  double cluster_amplitude = 1.3;        // and RMS within ×/÷ this of the template's; design (respiration ±20 %)
  int active_templates = 16;             // templates matched against at once (Hamilton 2002 keeps 8)
  int template_memory = 8;               // beats in the running-average template (Hamilton 2002: 8)
  int stable_cluster = 3;                // beats that make a recurring morphology; design
  double normal_correlation = 0.90;      // to the dominant template at least this: the same shape; design
  double ventricular_correlation = 0.5;  // below: a clearly different shape (another axis or polarity); tuned
  double normal_width_margin_s = 0.020;  // s, wider than the dominant by at most this: the same conduction; design
  double wide_margin_s = 0.040;          // s, wider by at least this: ventricular (QRS ≥ 120 ms vs ~80 ms)
  double fusion_share = 0.1;             // a fusion cluster holds at most this share of the dominant's beats; tuned
  double width_slope_fraction = 0.2;     // QRS on/offset where the summed slope falls under this share of its peak
  double premature_ratio = 0.87;         // RR_pre / normal RR below this: premature (13 % early); tuned in 0.85–0.92
  double pause_ratio = 1.3;              // RR_post / RR_pre at least this: a pause follows the early beat; design
  double abrupt_ratio = 0.90;            // RR_pre / the RR before below this: sudden, not sinus drift; design
  int rr_context = 8;                    // normal–normal intervals for the normal RR (Hamilton 2002: 8)
  double artefact_correlation = 0.7;     // to every large recurring template below this: unlike them; tuned
  double split_tolerance = 0.2;  // |RR_pre + RR_post − normal RR| / normal RR at most this: one interval split
  double settled_ratio = 0.7;    // the intervals either side at least this share of the normal RR; tuned
};

// What the classification saw in a beat (for reports and audits).
struct BeatFeatures {
  double rr_pre_s = 0;        // s, from the previous detection (0 for the first)
  double rr_post_s = 0;       // s, to the next detection (0 for the last)
  double rr_local_s = 0;      // s, local normal RR: median of up to 16 nearby normal–normal intervals
                              // (up to 8 before the beat, the rest after)
  double correlation = 0;     // QRS window's correlation with the dominant template, −1..1
  double width_s = 0;         // s, QRS width (slope on/offset) of the beat's cluster template (a lone beat's own)
  double amplitude = 0;       // RMS of the QRS window relative to the dominant template's
  double high_frequency = 0;  // high-frequency index: mean |2nd difference| / mean |1st difference|, 0..2
  int cluster = -1;           // morphology cluster, 0 = dominant; -1 where no lead was usable
  int cluster_size = 0;       // beats in that cluster
};

struct BeatLabel {
  BeatClass cls = BeatClass::unknown;
  bool artefact = false;  // not a heartbeat (noise, T wave): drop it from RR and counts
  BeatFeatures features;
};

// Classifies each detection in `r_peaks` (sample indices, increasing, inside
// the signal) of `lead0` and, if not empty, the simultaneous `lead1` (mV, equal
// length) sampled at `rate_hz` (50 Hz – 20 kHz). Windows with non-finite
// samples leave that lead out for the beat; a beat with no usable lead is
// `unknown`. Throws medtwin::Error for unequal lead lengths, an empty lead 0,
// an impossible rate, or peaks unsorted or outside the signal.
std::vector<BeatLabel> classify_beats(std::span<const double> lead0, std::span<const double> lead1, double rate_hz,
                                      std::span<const std::int64_t> r_peaks, const BeatClassParams& params = {});

// The peaks whose label is not an artefact (labels one per peak; throws
// medtwin::Error otherwise).
std::vector<std::int64_t> drop_artefacts(std::span<const std::int64_t> r_peaks, std::span<const BeatLabel> labels);

// One flag per label that is not an artefact (so aligned with drop_artefacts'
// peaks): whether it is a ventricular beat (V or F) — the `ventricular`
// argument of detect_af (af.hpp).
std::vector<bool> ventricular_flags(std::span<const BeatLabel> labels);

// Beats per class, artefacts apart.
struct BeatCounts {
  std::int64_t normal = 0, supraventricular = 0, ventricular = 0, fusion = 0, unknown = 0, artefacts = 0;
};
BeatCounts count_beats(std::span<const BeatLabel> labels);

}  // namespace medtwin::cardio

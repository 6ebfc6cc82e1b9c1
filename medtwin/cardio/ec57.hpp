// Beat-by-beat scoring of a QRS detector against reference annotations, per
// ANSI/AAMI EC57:1998/(R)2008 "Testing and reporting performance results of
// cardiac rhythm and ST segment measurement algorithms" (its beat-by-beat
// comparison) with the conventions of the WFDB `bxb` program (Moody, WFDB
// Applications Guide) that implements it:
//  - a detection matches a reference beat within 150 ms;
//  - scoring starts 5 minutes into the record (the learning period; bxb -f 5:0);
//  - only beat annotations count (WFDB beat codes); rhythm, noise and other
//    annotations (+ ~ | " x ! [ ]) are not beats;
//  - ventricular flutter/fibrillation — between the "[" and "]" marks and in
//    "(VFL"/"(VF" rhythm episodes — is excluded (QRS detection is not scored
//    in VF);
//  - records with paced beats (MIT-BIH 102, 104, 107, 217) are left out of
//    the aggregate.
// Pure: annotations and detections in, counts out.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "medtwin/core/records.hpp"

namespace medtwin::cardio {

struct Ec57Options {
  double match_window_s = 0.150;   // s, EC57's match window
  double learning_period_s = 300;  // s, EC57's learning period: the first 5 minutes are not scored
};

// Counts of one record (or the gross sum of several).
struct Ec57Counts {
  std::int64_t tp = 0;  // reference beats matched by a detection
  std::int64_t fn = 0;  // reference beats without a detection
  std::int64_t fp = 0;  // detections without a reference beat

  double sensitivity() const;            // Se = TP/(TP + FN); NaN without reference beats
  double positive_predictivity() const;  // +P = TP/(TP + FP); NaN without detections
  Ec57Counts& operator+=(const Ec57Counts& other);
};

// Whether a WFDB annotation code marks a beat: N L R B A a J S V r F e j n E / f Q ?
bool is_beat_code(std::string_view code);

// Whether an MIT-BIH record has paced beats (102, 104, 107, 217) and so is
// excluded from EC57 QRS statistics.
bool is_paced_mitdb_record(std::string_view record);

// Scores `detections` (sample indices, increasing) against the beat
// annotations in `reference` (any annotations of the record, in sample order),
// sampled at `rate_hz`. Each reference beat pairs with at most one detection:
// walking both lists in time order, a detection within the window of a beat is
// paired with it unless the next detection is closer to that beat, or the next
// beat closer to that detection (bxb's nearest-neighbour rule). A pair counts
// when its reference beat is scored; an unpaired beat or detection counts when
// it lies in the scored part (after the learning period, outside VF).
// Throws medtwin::Error for a non-positive rate or unsorted detections.
Ec57Counts score_beats(std::span<const Annotation> reference, std::span<const std::int64_t> detections, double rate_hz,
                       const Ec57Options& options = {});

}  // namespace medtwin::cardio

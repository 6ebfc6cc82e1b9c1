// What the biosignal importers (WFDB, EDF/BDF/GDF) share: channel units in
// UCUM, the kind of a signal from its channel labels, and the start instant
// of a recording whose header gives local clock time.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "medtwin/core/records.hpp"
#include "medtwin/core/sink.hpp"
#include "medtwin/io/importer.hpp"

namespace medtwin {

// The UCUM code of a channel's physical unit ("µV" → "uV", "mmHg" → "mm[Hg]",
// "bpm" → "/min"). An unknown unit is kept as written and reported to `sink`
// as ImportIssue::Kind::unknown_unit; an empty one stays empty.
std::string channel_unit_to_ucum(std::string_view unit, const std::string& where, RecordSink& sink);

// "ECG" for an ECG lead (MLII, V1…V6, I, II, III, aVR, aVL, aVF, "ECG …"),
// "EEG", "EOG", "EMG" for labels that start so (the EDF+ convention), "PPG"
// for plethysmograms; empty when the label does not tell.
std::string_view label_kind(std::string_view label);

// The kind shared by all channels, else "biosignal".
std::string signal_kind(const std::vector<SignalChannel>& channels);

// Appends `annotations` (in the signal's sample indexes) to `signal`; those
// outside it are dropped with one skipped_record issue.
void add_annotations(Signal& signal, const std::vector<Annotation>& annotations, const std::string& where,
                     RecordSink& sink);

// The instant a recording started, from its header's local clock time, in
// options.time_zone; without one, a ParseError naming `where` that asks for --tz.
Instant recording_start(LocalTime local, const ImportOptions& options, const std::string& where);

}  // namespace medtwin

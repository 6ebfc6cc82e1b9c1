// Wrist actigraphy recordings as Signals of kind "actigraphy" (one activity
// count per epoch, plus light when the device records it):
// - Actiwatch .AWD (Philips Respironics / CamNtech text export): seven header
//   lines (subject, start date "01-Jan-2018", start time "08:30", epoch code,
//   age, serial number, sex), then one epoch per line, "count[ , light][ M]".
// - MotionWatch .mtn (CamNtech MotionWatch 8 XML): a change log of properties
//   (+UserID, +Sex, +DOB, =StartTime, …) and channels of comma-separated
//   values with their epoch in seconds.
// Start times are local without a zone, read in --tz. Facts on the formats
// from pyActigraphy and GGIR; see docs/formats/actigraphy.md.
#pragma once

#include <istream>
#include <memory>
#include <string>

#include "medtwin/io/importer.hpp"

namespace medtwin {

// Reads one AWD file from `in`; `name` names it in errors ("x.AWD:12: …").
void read_awd(std::istream& in, const std::string& name, const ImportOptions& options, RecordSink& sink);

// Reads one MotionWatch .mtn file from `in`.
void read_mtn(std::istream& in, const std::string& name, const ImportOptions& options, RecordSink& sink);

std::unique_ptr<Importer> make_awd_importer();
std::unique_ptr<Importer> make_mtn_importer();

}  // namespace medtwin

// Apple Health importer: the iPhone Health app's "Export All Health Data"
// archive (export.zip: apple_health_export/export.xml plus the Apple Watch
// ECGs in electrocardiograms/*.csv), an export.xml on its own, or one ECG CSV
// from an unzipped export. export.xml is streamed, so a multi-gigabyte export
// imports in constant memory. What is read and how HealthKit types map to
// medtwin metrics: docs/formats/apple-health.md.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "medtwin/io/importer.hpp"

namespace medtwin {

std::unique_ptr<Importer> make_apple_health_importer();

// Reads an export held in memory (a zip, an export.xml or an ECG CSV, told
// apart by content), as the importer reads a file. `name` names it in errors.
void read_apple_health(std::string_view bytes, const std::string& name, const ImportOptions& options,
                       RecordSink& sink);

// One Apple Watch ECG recording (electrocardiograms/ecg_*.csv) → one Signal.
void read_apple_ecg_csv(std::string_view csv, const std::string& name, RecordSink& sink);

}  // namespace medtwin

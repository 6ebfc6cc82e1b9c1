// Streams Apple Health's export.xml (HealthKit Export Version ≤ 14) through
// expat into a RecordSink, in constant memory whatever the file's size.
// Internal to the Apple Health importer; docs/formats/apple-health.md says
// what is read and how it maps.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "medtwin/io/importer.hpp"

namespace medtwin::apple_health {

// Fills `buffer` with up to `capacity` bytes and returns how many; 0 at the end.
using ChunkReader = std::function<std::size_t(char* buffer, std::size_t capacity)>;

// Reads an export.xml delivered by `read` (`total` bytes, 0 if unknown).
// `name` names the file in errors: "export.xml:1234:17: mismatched tag".
void read_export_xml(const std::string& name, const ChunkReader& read, std::uint64_t total,
                     const ImportOptions& options, RecordSink& sink);

}  // namespace medtwin::apple_health

// The importer interface and the registry that picks one for a file.
// Importers read outside formats into core records through a RecordSink and
// know nothing of the store: a new importer never touches the database.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "medtwin/core/sink.hpp"

namespace medtwin {

struct ImportOptions {
  // IANA zone for timestamps written without one (Fitabase, many CSVs).
  std::optional<std::string> time_zone;
  // Column mapping for the generic CSV importer (see docs/formats/csv-mapping.md).
  std::optional<std::filesystem::path> csv_mapping;
  // Called now and then with bytes read so far and the total (0 if unknown).
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
};

class Importer {
 public:
  virtual ~Importer() = default;
  // Stable short name stored as provenance ("apple-health", "fhir-r4").
  virtual std::string_view name() const = 0;
  // Bumped whenever what the importer produces from the same file changes.
  virtual std::string_view version() const = 0;
  // Whether this importer reads `path`; `head` holds its first bytes (≤ 4 KiB).
  virtual bool accepts(const std::filesystem::path& path, std::string_view head, const ImportOptions& options) const = 0;
  // Files that together form the record at `path` (WFDB: .hea, .dat, .atr).
  virtual std::vector<std::filesystem::path> inputs(const std::filesystem::path& path) const { return {path}; }
  // Reads everything into `sink`. Throws ParseError naming file and line/field.
  virtual void read(const std::filesystem::path& path, const ImportOptions& options, RecordSink& sink) const = 0;
};

// Every importer, in the order they are asked.
const std::vector<std::unique_ptr<Importer>>& importers();

// The importer for `path`, or nullptr when none accepts it.
const Importer* find_importer(const std::filesystem::path& path, const ImportOptions& options);

// The first bytes of a file, for `accepts`. Throws NotFound if it cannot be read.
std::string read_head(const std::filesystem::path& path, std::size_t bytes = 4096);

// A whole (small) file: headers, mappings, JSON documents. Throws NotFound.
std::string read_file(const std::filesystem::path& path);

}  // namespace medtwin

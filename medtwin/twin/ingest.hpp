// Ingest: files → importer → one store transaction per file. The one place
// where io and store meet. Idempotent: a file whose bytes were imported
// before is not read again, and rows already present are not added twice.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "medtwin/io/importer.hpp"
#include "medtwin/store/store.hpp"

namespace medtwin {

struct IngestOptions {
  // All records go to this person. Without it, the person a source's subject
  // id was stored as before; else the source's name for them (FHIR Patient
  // name), else the subject id (Fitabase Id), else "me".
  std::optional<std::string> person;
  ImportOptions import;
};

// What happened to one file (or one multi-file record such as WFDB).
struct IngestResult {
  std::filesystem::path path;
  std::string importer;   // empty when no importer read it
  bool already_imported = false;
  bool unrecognised = false;
  ImportCounts counts;
  // Non-fatal findings grouped by what happened, with how often.
  struct IssueSummary {
    ImportIssue::Kind kind;
    std::string what;
    std::string first_where;
    std::int64_t times = 0;
  };
  std::vector<IssueSummary> issues;
};

// Imports each path (a folder is walked, sorted, recursively). A file that
// fails leaves the store as it was and throws medtwin::Error naming the file;
// files before it stay imported (each is its own transaction).
std::vector<IngestResult> ingest(Store& store, const std::vector<std::filesystem::path>& paths,
                                 const IngestOptions& options,
                                 const std::function<void(const IngestResult&)>& on_file = {});

inline constexpr const char* kDefaultPerson = "me";

// What a kind of import issue is called in reports ("skipped", "unknown unit").
const char* issue_label(ImportIssue::Kind kind);

}  // namespace medtwin

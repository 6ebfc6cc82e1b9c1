#include "apps/server/import_routes.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "medtwin/core/error.hpp"
#include "medtwin/core/time.hpp"
#include "medtwin/twin/ingest.hpp"

namespace medtwin::server {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// The uploaded file's folder, removed when the job that reads it is done with
// it (or dropped before it ran).
struct UploadedFile {
  explicit UploadedFile(fs::path path) : file(std::move(path)) {}
  UploadedFile(const UploadedFile&) = delete;
  UploadedFile& operator=(const UploadedFile&) = delete;
  ~UploadedFile() {
    std::error_code ignored;
    fs::remove_all(file.parent_path(), ignored);
  }
  fs::path file;
};

// The name the importers see (they pick a format by it): a plain file name.
std::string file_name_parameter(ApiRequest& r) {
  const auto text = r.query("file");
  if (!text) throw ApiError(400, "file: the file's name is needed (its format is told by it), e.g. ?file=export.zip");
  const auto name = fs::path(*text).filename().string();
  if (name.empty() || name == "." || name == ".." || name != *text || name.size() > 255)
    throw ApiError(400, "file: a plain file name without folders, e.g. export.zip");
  return name;
}

// Importers name the file by its path (in errors, and where an issue was
// found): the client knows it by its name.
std::string without_folder(std::string message, const fs::path& folder) {
  const auto prefix = folder.string() + "/";
  for (auto at = message.find(prefix); at != std::string::npos; at = message.find(prefix))
    message.erase(at, prefix.size());
  return message;
}

json counts_json(std::int64_t observations, std::int64_t signals, std::int64_t events) {
  return {{"observations", observations}, {"signals", signals}, {"events", events}};
}

json result_json(Store& store, const IngestResult& r, const std::string& name, const fs::path& folder) {
  json persons = json::array();
  for (const auto& person : r.counts.persons)
    if (const auto found = store.find_person(person)) persons.push_back({{"id", found->id}, {"name", found->name}});
  json issues = json::array();
  for (const auto& i : r.issues)
    issues.push_back({{"kind", issue_label(i.kind)}, {"what", i.what}, {"first_where", without_folder(i.first_where, folder)}, {"times", i.times}});
  return {{"file", name},
          {"importer", r.importer},
          {"already_imported", r.already_imported},
          {"added", counts_json(r.counts.observations_added, r.counts.signals_added, r.counts.events_added)},
          {"skipped", counts_json(r.counts.observations_skipped, r.counts.signals_skipped, r.counts.events_skipped)},
          {"persons", std::move(persons)},
          {"issues", std::move(issues)}};
}

}  // namespace

json start_import(ApiRequest& r) {
  if (!r.caller.sees_everyone()) throw ApiError(403, "imports need a token that opens everyone");
  const auto name = file_name_parameter(r);
  IngestOptions options;
  if (const auto person = r.query("person")) {
    if (person->empty() || person->size() > 200) throw ApiError(400, "person: a name of 1 to 200 characters");
    options.person = *person;
  }
  if (const auto zone = r.query("tz")) {
    if (!is_known_time_zone(*zone)) throw ApiError(400, "tz: an IANA time zone such as Europe/Amsterdam");
    options.import.time_zone = *zone;
  }
  if (!r.jobs.has_room()) throw ApiError(503, "too many jobs are waiting; try again shortly");  // before a long upload
  const auto upload = std::make_shared<UploadedFile>(r.receive_upload(name));
  auto work = [upload, options, name](Store& store, JobProgress& progress) -> json {
    progress.report(0, "reading the file");
    auto reading = options;
    reading.import.progress = [&progress](std::uint64_t done, std::uint64_t total) {
      if (total > 0) progress.report(0.98 * double(done) / double(total), "reading the file");
    };
    std::vector<IngestResult> results;
    try {
      results = ingest(store, {upload->file}, reading);
    } catch (const StoreError&) {
      throw;  // "internal error" to the client (jobs.cpp)
    } catch (const Error& e) {
      throw Error(without_folder(e.what(), upload->file.parent_path()));
    }
    if (results.empty() || results.front().unrecognised)
      throw Error(name + ": not in a format medtwin reads (Apple Health export.zip or .xml, FHIR JSON or NDJSON, "
                         "Fitbit, EDF/BDF/GDF, actigraphy or CGM CSV)");
    return result_json(store, results.front(), name, upload->file.parent_path());
  };
  const auto job = r.jobs.start(std::nullopt, "import", std::move(work));
  if (!job) throw ApiError(503, "too many jobs are waiting; try again shortly");
  return job_json(*job);
}

}  // namespace medtwin::server

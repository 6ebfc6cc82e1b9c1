#include "medtwin/twin/ingest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "medtwin/core/error.hpp"
#include "medtwin/io/file_hash.hpp"
#include "medtwin/twin/pipelined_sink.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;

// Adapts an importer's stream of records to one import session, resolving
// which stored person each record belongs to.
class SessionSink final : public RecordSink {
 public:
  SessionSink(ImportSession& session, const IngestOptions& options, IngestResult& result)
      : session_(session), options_(options), result_(result) {}

  void person(const PersonInfo& info) override {
    std::string name = person_name(info);
    current_ = session_.person(name, info);
    // The zone the file's local times were read in becomes the person's zone
    // when none is known yet, so that their days are local days. A later
    // import read in another zone does not rewrite it.
    if (options_.import.time_zone && !session_.has_time_zone(*current_))
      session_.time_zone(*current_, earliest_plausible_instant(), *options_.import.time_zone);
    if (std::find(result_.counts.persons.begin(), result_.counts.persons.end(), name) == result_.counts.persons.end())
      result_.counts.persons.push_back(name);
  }
  void time_zone(Instant from, const std::string& tz) override { session_.time_zone(current(), from, tz); }
  void observation(const Observation& obs) override {
    if (!usable_times(obs.start, obs.end)) return;
    tally(session_.add(current(), obs), result_.counts.observations_added, result_.counts.observations_skipped);
  }
  void signal(const Signal& signal) override {
    if (!usable_times(signal.start, signal.start)) return;
    tally(session_.add(current(), signal), result_.counts.signals_added, result_.counts.signals_skipped);
  }
  void event(const Event& event) override {
    if (!usable_times(event.start, event.end.value_or(event.start))) return;
    tally(session_.add(current(), event), result_.counts.events_added, result_.counts.events_skipped);
  }

  void issue(const ImportIssue& issue) override {
    auto key = std::pair(int(issue.kind), issue.what);
    auto [it, inserted] = issue_index_.try_emplace(key, result_.issues.size());
    if (inserted) result_.issues.push_back({issue.kind, issue.what, issue.where, 0});
    ++result_.issues[it->second].times;
  }

 private:
  // One bad record (an interval ending before it starts, a year 20245) is
  // skipped and counted, for every importer alike; the store would refuse it.
  bool usable_times(Instant start, Instant end) {
    if (is_plausible_instant(start) && is_plausible_instant(end) && start <= end) return true;
    issue({ImportIssue::Kind::skipped_record, "",
           "a record whose time is outside 1800-2299 or that ends before it starts"});
    return false;
  }

  static void tally(bool added, std::int64_t& added_count, std::int64_t& skipped_count) {
    ++(added ? added_count : skipped_count);
  }

  PersonId current() {
    if (!current_) person(PersonInfo{});
    return *current_;
  }

  std::string person_name(const PersonInfo& info) {
    if (options_.person) {
      // One named person: refuse to merge several subjects of one file into them.
      if (!info.source_id.empty()) subjects_.insert(info.source_id);
      if (subjects_.size() > 1) {
        throw Error(fmt::format("{}: the file holds several persons; import it without --person to keep them apart",
                                result_.path.string()));
      }
      return *options_.person;
    }
    // A subject seen before (e.g. a Patient whose observations come in another file) stays one person.
    if (!info.source_id.empty()) {
      if (auto known = session_.person_by_source(info.source_id)) return *known;
    }
    if (!info.name.empty()) return info.name;
    if (!info.source_id.empty()) return info.source_id;
    return kDefaultPerson;
  }

  ImportSession& session_;
  const IngestOptions& options_;
  IngestResult& result_;
  std::optional<PersonId> current_;
  std::set<std::string> subjects_;
  std::map<std::pair<int, std::string>, std::size_t> issue_index_;
};

// Files under `paths`, folders walked recursively and sorted so runs repeat.
std::vector<fs::path> expand(const std::vector<fs::path>& paths) {
  std::vector<fs::path> files;
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<fs::path> inside;
      for (const auto& entry : fs::recursive_directory_iterator(path))
        if (entry.is_regular_file()) inside.push_back(entry.path());
      std::sort(inside.begin(), inside.end());
      files.insert(files.end(), inside.begin(), inside.end());
    } else if (fs::exists(path, ec)) {
      files.push_back(path);
    } else {
      throw NotFound(fmt::format("{}: no such file or folder", path.string()));
    }
  }
  return files;
}

IngestResult ingest_one(Store& store, const Importer& importer, const std::vector<fs::path>& inputs,
                        const IngestOptions& options) {
  IngestResult result;
  result.path = inputs.front();
  result.importer = importer.name();
  std::string sha = sha256_files(inputs);
  if (store.find_import(sha)) {
    result.already_imported = true;
    return result;
  }
  Provenance provenance{result.path.filename().string(), sha, std::string(importer.name()),
                        std::string(importer.version()),
                        current_instant()};
  auto session = store.begin_import(provenance);
  if (!session) {  // another process imported the same bytes while we waited
    result.already_imported = true;
    return result;
  }
  SessionSink sink(*session, options, result);
  try {
    PipelinedSink pipeline(sink);
    importer.read(result.path, options.import, pipeline);
    pipeline.finish();
  } catch (const StoreError&) {
    throw;  // the store's own failure, not the file's: callers tell them apart
  } catch (const Error& e) {
    std::string what = e.what();
    // Importers name the file themselves; the store and the sink do not.
    if (what.find(result.path.filename().string()) == std::string::npos) what = result.path.string() + ": " + what;
    throw Error(fmt::format("{} (nothing was imported from this file)", what));
  } catch (const std::exception& e) {
    throw Error(fmt::format("{}: {} (nothing was imported from this file)", result.path.string(), e.what()));
  }
  session->commit();
  return result;
}

}  // namespace

const char* issue_label(ImportIssue::Kind kind) {
  switch (kind) {
    case ImportIssue::Kind::skipped_record: return "skipped";
    case ImportIssue::Kind::unknown_unit: return "unknown unit";
    case ImportIssue::Kind::unknown_type: return "unknown type, skipped";
    case ImportIssue::Kind::note: return "note";
  }
  return "note";
}

std::vector<IngestResult> ingest(Store& store, const std::vector<fs::path>& paths, const IngestOptions& options,
                                 const std::function<void(const IngestResult&)>& on_file) {
  // Plan first, so companion files (WFDB .dat/.atr) sorted before their header
  // are known to belong to it rather than reported as unrecognised.
  struct Planned {
    fs::path file;
    const Importer* importer;
    std::vector<fs::path> inputs;
  };
  std::vector<Planned> plan;
  std::set<fs::path> companions;
  for (const auto& file : expand(paths)) {
    const Importer* importer = find_importer(file, options.import);
    std::vector<fs::path> inputs = importer ? importer->inputs(file) : std::vector<fs::path>{};
    for (std::size_t i = 1; i < inputs.size(); ++i) companions.insert(fs::weakly_canonical(inputs[i]));
    plan.push_back({file, importer, std::move(inputs)});
  }
  std::vector<IngestResult> results;
  for (const auto& step : plan) {
    if (companions.count(fs::weakly_canonical(step.file))) continue;
    IngestResult result;
    if (step.importer) {
      result = ingest_one(store, *step.importer, step.inputs, options);
    } else {
      result.path = step.file;
      result.unrecognised = true;
    }
    if (on_file) on_file(result);
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace medtwin

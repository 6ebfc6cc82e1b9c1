// The store: persons and everything recorded about them, with provenance.
// Callers see only this interface; SQLite is the embedded implementation and a
// PostgreSQL one can follow behind the same calls (see open_store.hpp).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "medtwin/core/records.hpp"
#include "medtwin/core/time.hpp"

namespace medtwin {

using PersonId = std::int64_t;
using SeriesId = std::int64_t;
using SignalId = std::int64_t;
using ImportId = std::int64_t;

struct PersonRecord {
  PersonId id = 0;
  std::string name;  // the handle used on the command line; unique
  Sex sex = Sex::unknown;
  std::optional<std::chrono::year_month_day> birth_date;
};

// One metric from one source for one person.
struct SeriesInfo {
  SeriesId id = 0;
  std::string person;
  Code code;
  std::string unit;
  std::string source;
  std::int64_t count = 0;
  Instant first{}, last{};
};

// A numeric series over one bucket of a roll-up width: how many values, and
// the lowest and highest with their start times (kept by the store as it
// imports). Buckets start at whole multiples of the width since 1970.
inline constexpr std::array<std::chrono::milliseconds, 2> kRollupWidths{std::chrono::minutes(10), std::chrono::hours(1)};
struct ObservationRollup {
  Instant bucket_start{};
  std::int64_t count = 0;
  Instant min_at{}, max_at{};
  double min = 0, max = 0;
};

struct ImportRecord {
  ImportId id = 0;
  Provenance provenance;
  std::int64_t rows_added = 0;
  std::int64_t rows_skipped = 0;  // already present (same natural key)
};

struct SignalInfo {
  SignalId id = 0;
  std::string person;
  std::string kind;
  double sample_rate_hz = 0;
  Instant start{};
  std::int64_t sample_count = 0;
  std::vector<SignalChannel> channels;
  std::string source;
};

// The stored result of a model: a calibrated twin or a simulation, as JSON,
// with the digest of the inputs it was made from (the same inputs give the
// same id, so re-running replaces instead of adding).
struct ModelRun {
  std::string id;
  std::string kind;   // "tumour-twin", …
  std::string label;  // what the user called it (a patient label)
  Instant created{};
  std::string inputs_sha256;
  std::string result_json;
  std::optional<PersonId> person;  // whose it is, if anyone's: erased with them
};

// A token of the HTTP API, kept as its SHA-256 digest (the token itself is
// shown once, when made). With a person it opens that person's data alone.
struct AccessToken {
  std::string id;  // short, public: for listing and revoking
  std::string sha256;
  std::optional<PersonId> person;
  std::string label;
  Instant created{};
};

// A time range: from inclusive, to exclusive; open ends when unset.
struct TimeRange {
  std::optional<Instant> from;
  std::optional<Instant> to;
};

struct ObservationQuery {
  std::string person;
  std::optional<Code> code;  // all codes when unset; every source of the code
  TimeRange range;
};

struct EventQuery {
  std::string person;
  std::optional<std::string> kind;
  TimeRange range;
};

// What one import added.
struct ImportCounts {
  std::int64_t observations_added = 0, observations_skipped = 0;
  std::int64_t signals_added = 0, signals_skipped = 0;
  std::int64_t events_added = 0, events_skipped = 0;
  std::vector<std::string> persons;  // names touched

  std::int64_t added() const { return observations_added + signals_added + events_added; }
  std::int64_t skipped() const { return observations_skipped + signals_skipped + events_skipped; }
};

// One import as one transaction. Nothing is visible to readers until commit();
// destroying an uncommitted session rolls everything back.
class ImportSession {
 public:
  virtual ~ImportSession() = default;
  // Finds the person by name or creates them; fills demographics the store
  // lacks and remembers info.source_id as theirs.
  virtual PersonId person(const std::string& name, const PersonInfo& info) = 0;
  // The name of the person a subject id (as read by this session's importer)
  // was stored as, if any.
  virtual std::optional<std::string> person_by_source(const std::string& source_id) = 0;
  virtual void time_zone(PersonId person, Instant from, const std::string& tz) = 0;
  // Whether any time zone is recorded for the person.
  virtual bool has_time_zone(PersonId person) = 0;
  // Each returns whether the record was new (false: same natural key already stored).
  virtual bool add(PersonId person, const Observation& obs) = 0;
  virtual bool add(PersonId person, const Signal& signal) = 0;
  virtual bool add(PersonId person, const Event& event) = 0;
  virtual ImportRecord commit() = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  virtual std::vector<PersonRecord> persons() = 0;
  virtual std::optional<PersonRecord> find_person(const std::string& name) = 0;
  virtual std::optional<PersonRecord> find_person(PersonId id) = 0;
  // Right to erasure: every row of this person (series, signals, events, time
  // zones and the imports that only they came from). Throws NotFound.
  virtual void delete_person(const std::string& name) = 0;
  virtual TimeZoneHistory time_zones(const std::string& person) = 0;

  virtual std::vector<SeriesInfo> series(const std::string& person) = 0;
  // Streams matching observations in (code, unit, source, start) order. Throws
  // NotFound for an unknown person.
  virtual void observations(const ObservationQuery& query, const std::function<void(const Observation&)>& visit) = 0;
  std::vector<Observation> observations(const ObservationQuery& query);
  // Streams one of the person's series in start order. Throws NotFound for an
  // unknown person, or a series that is not theirs.
  virtual void series_observations(const std::string& person, SeriesId series, const TimeRange& range,
                                   const std::function<void(const Observation&)>& visit) = 0;

  // The roll-ups of one of kRollupWidths of a numeric series (none for a
  // coded one) in time order: the buckets wholly inside the range. Throws as
  // series_observations.
  virtual void series_rollups(const std::string& person, SeriesId series, const TimeRange& range,
                              std::chrono::milliseconds width,
                              const std::function<void(const ObservationRollup&)>& visit) = 0;

  virtual std::vector<Event> events(const EventQuery& query) = 0;

  virtual std::vector<SignalInfo> signals(const std::string& person) = 0;
  // Samples [first_sample, first_sample + count) of every channel; reads only
  // the chunks that cover the window. count < 0: to the end.
  virtual Signal read_signal(SignalId id, std::int64_t first_sample = 0, std::int64_t count = -1) = 0;

  virtual std::vector<ImportRecord> imports() = 0;
  // A previous import of exactly these bytes (by SHA-256), if any.
  virtual std::optional<ImportRecord> find_import(const std::string& sha256) = 0;
  // Starts an import transaction (waiting while another process writes), or
  // returns nullptr when a file with this SHA-256 was imported meanwhile.
  virtual std::unique_ptr<ImportSession> begin_import(const Provenance& provenance) = 0;

  virtual int schema_version() = 0;

  // Saves `run`, replacing a run of the same id, in one transaction; a run
  // saved again without a person keeps the person it had (and is erased with them).
  virtual void save_model_run(const ModelRun& run) = 0;
  virtual std::optional<ModelRun> find_model_run(const std::string& id) = 0;
  // The runs of `kind`, oldest first, without their result_json.
  virtual std::vector<ModelRun> model_runs(const std::string& kind) = 0;

  // Throws StoreError when the id or digest is taken.
  virtual void save_access_token(const AccessToken& token) = 0;
  virtual std::optional<AccessToken> find_access_token_by_digest(const std::string& sha256) = 0;
  virtual std::vector<AccessToken> access_tokens() = 0;  // oldest first
  // Whether a token of this id existed.
  virtual bool revoke_access_token(const std::string& id) = 0;
};

}  // namespace medtwin

#include "medtwin/store/sqlite_store.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <tuple>
#include <limits>
#include <mutex>
#include <thread>
#include <map>

#include "medtwin/core/error.hpp"
#include "medtwin/store/schema.hpp"
#include "medtwin/store/sqlite.hpp"

namespace medtwin {
namespace {

using sqlite::Connection;
using sqlite::Statement;

constexpr int kBusyTimeoutMs = 600'000;  // a concurrent import waits instead of failing

std::string encode_date(const std::optional<std::chrono::year_month_day>& d) {
  if (!d) return {};
  return fmt::format("{:04}-{:02}-{:02}", int(d->year()), unsigned(d->month()), unsigned(d->day()));
}

std::optional<std::chrono::year_month_day> decode_date(const std::string& text) {
  if (text.size() != 10) return std::nullopt;
  auto ymd = std::chrono::year{std::stoi(text.substr(0, 4))} / std::stoi(text.substr(5, 2)) / std::stoi(text.substr(8, 2));
  return ymd.ok() ? std::optional(ymd) : std::nullopt;
}

std::string encode_channels(const std::vector<SignalChannel>& channels) {
  auto list = nlohmann::json::array();
  for (const auto& c : channels) list.push_back({{"label", c.label}, {"unit", c.unit}});
  return list.dump();
}

std::vector<SignalChannel> decode_channels(const std::string& text) {
  std::vector<SignalChannel> channels;
  for (const auto& c : nlohmann::json::parse(text)) channels.push_back({c.at("label"), c.at("unit")});
  return channels;
}

// Adds "AND column >= ? AND column < ?" for the set ends of a range.
void append_range(std::string& sql, std::vector<std::int64_t>& args, const char* column, const TimeRange& range) {
  if (range.from) {
    sql += fmt::format(" AND {} >= ?", column);
    args.push_back(to_epoch_ms(*range.from));
  }
  if (range.to) {
    sql += fmt::format(" AND {} < ?", column);
    args.push_back(to_epoch_ms(*range.to));
  }
}

std::int64_t rollup_bucket(std::int64_t ms, std::int64_t width) {
  return ms / width - (ms % width < 0 ? 1 : 0);  // floor, also before 1970
}

// The roll-ups of values as they are added, merged at the end into the rows
// already stored (values are only ever added, so merging is exact): an import
// never reads back what it wrote.
class RollupAccumulator {
 public:
  void add(SeriesId series, std::int64_t at, double value) {
    for (std::size_t level = 0; level < kRollupWidths.size(); ++level) {
      const auto width = kRollupWidths[level].count();
      // Values come in time order: most fall in the bucket of the one before.
      const Key key{series, width, rollup_bucket(at, width)};
      auto& [last_key, last_bucket] = last_[level];
      if (!last_bucket || last_key != key) last_key = key, last_bucket = &buckets_[key];
      auto& b = *last_bucket;
      // Ties go to the earliest, as when thinning the values themselves.
      if (b.count++ == 0 || value < b.min || (value == b.min && at < b.min_ms)) b.min = value, b.min_ms = at;
      if (b.count == 1 || value > b.max || (value == b.max && at < b.max_ms)) b.max = value, b.max_ms = at;
    }
  }

  void write(Connection& db) {
    auto stored = db.prepare(
        "SELECT count, min_ms, min_value, max_ms, max_value FROM observation_rollup "
        "WHERE series_id = ? AND width_ms = ? AND bucket = ?");
    auto insert = db.prepare(
        "INSERT OR REPLACE INTO observation_rollup(series_id, width_ms, bucket, count, min_ms, min_value, max_ms, "
        "max_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    for (auto& [key, b] : buckets_) {
      const auto& [series, width, bucket] = key;
      stored.bind(1, series).bind(2, width).bind(3, bucket);
      if (stored.step()) {
        b.count += stored.int64(0);
        const double low = stored.real(2), high = stored.real(4);
        const std::int64_t low_at = stored.int64(1), high_at = stored.int64(3);
        if (low < b.min || (low == b.min && low_at < b.min_ms)) b.min = low, b.min_ms = low_at;
        if (high > b.max || (high == b.max && high_at < b.max_ms)) b.max = high, b.max_ms = high_at;
      }
      stored.reset();
      insert.bind(1, series).bind(2, width).bind(3, bucket).bind(4, b.count).bind(5, b.min_ms).bind(6, b.min);
      insert.bind(7, b.max_ms).bind(8, b.max).run();
    }
    buckets_.clear();
    last_ = {};
  }

 private:
  using Key = std::tuple<SeriesId, std::int64_t, std::int64_t>;  // series, width, bucket
  struct Bucket {
    std::int64_t count = 0, min_ms = 0, max_ms = 0;
    double min = 0, max = 0;
  };
  std::map<Key, Bucket> buckets_;
  std::array<std::pair<Key, Bucket*>, kRollupWidths.size()> last_{};  // per width, the bucket added to last
};

class SqliteImportSession;

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const std::string& path) : db_(path) {
    db_.exec("PRAGMA foreign_keys = ON");
    sqlite3_busy_timeout(db_.raw(), kBusyTimeoutMs);
    enable_wal();
    db_.exec("PRAGMA synchronous = NORMAL");
    migrate();
  }

  std::vector<PersonRecord> persons() override {
    std::vector<PersonRecord> out;
    auto st = db_.prepare("SELECT id, name, sex, ifnull(birth_date, '') FROM person ORDER BY name");
    while (st.step()) out.push_back(read_person(st));
    return out;
  }

  std::optional<PersonRecord> find_person(PersonId id) override {
    auto st = db_.prepare("SELECT id, name, sex, ifnull(birth_date, '') FROM person WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    return read_person(st);
  }

  std::optional<PersonRecord> find_person(const std::string& name) override {
    auto st = db_.prepare("SELECT id, name, sex, ifnull(birth_date, '') FROM person WHERE name = ?");
    st.bind(1, name);
    if (!st.step()) return std::nullopt;
    return read_person(st);
  }

  void delete_person(const std::string& name) override {
    PersonId id = require_person(name);
    // Overwrite freed pages so erased values do not linger in the file.
    db_.exec("PRAGMA secure_delete = ON");
    db_.exec("BEGIN IMMEDIATE");
    try {
      // Imports whose rows all belonged to this person go too: their file names are personal.
      std::vector<ImportId> own_imports;
      auto list = db_.prepare("SELECT import_id FROM import_person WHERE person_id = ?");
      list.bind(1, id);
      while (list.step()) own_imports.push_back(list.int64(0));
      db_.prepare("DELETE FROM person WHERE id = ?").bind(1, id).run();  // cascades to every row of theirs
      auto orphan = db_.prepare(
          "DELETE FROM import WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM import_person WHERE import_id = ?1)");
      for (ImportId import : own_imports) orphan.bind(1, import).run();
      db_.exec("COMMIT");
    } catch (...) {
      db_.exec("ROLLBACK");
      throw;
    }
    db_.exec("PRAGMA secure_delete = OFF");
    db_.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }

  TimeZoneHistory time_zones(const std::string& person) override {
    PersonId id = require_person(person);
    std::vector<TimeZoneSpan> spans;
    auto st = db_.prepare("SELECT from_ms, tz FROM person_timezone WHERE person_id = ? ORDER BY from_ms");
    st.bind(1, id);
    while (st.step()) spans.push_back({from_epoch_ms(st.int64(0)), st.text(1)});
    return TimeZoneHistory(std::move(spans));
  }

  std::vector<SeriesInfo> series(const std::string& person) override {
    PersonId id = require_person(person);
    std::vector<SeriesInfo> out;
    auto st = db_.prepare(
        "SELECT s.id, s.code_system, s.code, s.display, s.unit, s.source, count(*), min(o.start_ms), max(o.start_ms) "
        "FROM series s JOIN observation o ON o.series_id = s.id WHERE s.person_id = ? "
        "GROUP BY s.id ORDER BY s.code_system, s.code, s.source");
    st.bind(1, id);
    while (st.step()) {
      out.push_back(SeriesInfo{st.int64(0), person, Code{st.text(1), st.text(2), st.text(3)}, st.text(4), st.text(5),
                               st.int64(6), from_epoch_ms(st.int64(7)), from_epoch_ms(st.int64(8))});
    }
    return out;
  }

  void observations(const ObservationQuery& query, const std::function<void(const Observation&)>& visit) override {
    stream_observations(require_person(query.person), query.code, std::nullopt, query.range, visit);
  }

  void series_observations(const std::string& person, SeriesId series, const TimeRange& range,
                           const std::function<void(const Observation&)>& visit) override {
    stream_observations(require_own_series(person, series), std::nullopt, series, range, visit);
  }

  void series_rollups(const std::string& person, SeriesId series, const TimeRange& range, std::chrono::milliseconds rollup_width,
                      const std::function<void(const ObservationRollup&)>& visit) override {
    if (std::find(kRollupWidths.begin(), kRollupWidths.end(), rollup_width) == kRollupWidths.end())
      throw Error(fmt::format("no roll-ups of {} ms are kept", rollup_width.count()));
    require_own_series(person, series);
    const auto width = rollup_width.count();
    auto st = db_.prepare(
        "SELECT bucket, count, min_ms, min_value, max_ms, max_value FROM observation_rollup "
        "WHERE series_id = ? AND width_ms = ? AND bucket >= ? AND bucket < ? ORDER BY bucket");
    // Wholly inside: from the first bucket starting at or after `from` to the last ending by `to`.
    st.bind(1, series).bind(2, width);
    st.bind(3, range.from ? rollup_bucket(to_epoch_ms(*range.from) + width - 1, width) : std::numeric_limits<std::int64_t>::min());
    st.bind(4, range.to ? rollup_bucket(to_epoch_ms(*range.to), width) : std::numeric_limits<std::int64_t>::max());
    while (st.step())
      visit({from_epoch_ms(st.int64(0) * width), st.int64(1), from_epoch_ms(st.int64(2)), from_epoch_ms(st.int64(4)),
             st.real(3), st.real(5)});
  }

  std::vector<Event> events(const EventQuery& query) override {
    PersonId id = require_person(query.person);
    std::string sql =
        "SELECT kind, code_system, code, display, start_ms, end_ms, amount, unit, source, details_json "
        "FROM event WHERE person_id = ?";
    std::vector<std::int64_t> range_args;
    if (query.kind) sql += " AND kind = ?";
    append_range(sql, range_args, "start_ms", query.range);
    sql += " ORDER BY start_ms, kind";
    auto st = db_.prepare(sql);
    int arg = 1;
    st.bind(arg++, id);
    if (query.kind) st.bind(arg++, *query.kind);
    for (auto v : range_args) st.bind(arg++, v);
    std::vector<Event> out;
    while (st.step()) {
      Event e;
      e.kind = st.text(0);
      e.code = Code{st.text(1), st.text(2), st.text(3)};
      e.start = from_epoch_ms(st.int64(4));
      if (!st.is_null(5)) e.end = from_epoch_ms(st.int64(5));
      if (!st.is_null(6)) e.amount = st.real(6);
      e.unit = st.text(7);
      e.source = st.text(8);
      e.details_json = st.text(9);
      out.push_back(std::move(e));
    }
    return out;
  }

  std::vector<SignalInfo> signals(const std::string& person) override {
    PersonId id = require_person(person);
    std::vector<SignalInfo> out;
    auto st = db_.prepare(
        "SELECT id, kind, sample_rate_hz, start_ms, n_samples, channels_json, source FROM signal "
        "WHERE person_id = ? ORDER BY start_ms, id");
    st.bind(1, id);
    while (st.step()) {
      out.push_back(SignalInfo{st.int64(0), person, st.text(1), st.real(2), from_epoch_ms(st.int64(3)), st.int64(4),
                               decode_channels(st.text(5)), st.text(6)});
    }
    return out;
  }

  Signal read_signal(SignalId id, std::int64_t first_sample, std::int64_t count) override {
    auto head = db_.prepare(
        "SELECT kind, sample_rate_hz, start_ms, n_samples, channels_json, source FROM signal WHERE id = ?");
    head.bind(1, id);
    if (!head.step()) throw NotFound(fmt::format("no signal with id {}", id));
    Signal signal;
    signal.kind = head.text(0);
    signal.sample_rate_hz = head.real(1);
    std::int64_t total = head.int64(3);
    signal.channels = decode_channels(head.text(4));
    signal.source = head.text(5);
    first_sample = std::clamp<std::int64_t>(first_sample, 0, total);
    std::int64_t last = count < 0 ? total : std::min(total, first_sample + count);
    signal.start = from_epoch_ms(head.int64(2)) +
                   std::chrono::milliseconds(std::int64_t(double(first_sample) * 1000.0 / signal.sample_rate_hz));
    signal.samples.assign(signal.channels.size(), {});
    for (auto& channel : signal.samples) channel.reserve(std::size_t(last - first_sample));
    if (last > first_sample) read_chunks(id, first_sample, last, signal);
    auto notes = db_.prepare(
        "SELECT sample, channel, code, text FROM annotation WHERE signal_id = ? AND sample >= ? AND sample < ? "
        "ORDER BY sample");
    notes.bind(1, id).bind(2, first_sample).bind(3, last);
    while (notes.step()) {
      signal.annotations.push_back({notes.int64(0) - first_sample, int(notes.int64(1)), notes.text(2), notes.text(3)});
    }
    return signal;
  }

  std::vector<ImportRecord> imports() override {
    std::vector<ImportRecord> out;
    auto st = db_.prepare(
        "SELECT id, file_name, sha256, importer, importer_version, imported_at_ms, rows_added, rows_skipped "
        "FROM import ORDER BY id");
    while (st.step()) out.push_back(read_import(st));
    return out;
  }

  std::optional<ImportRecord> find_import(const std::string& sha256) override {
    auto st = db_.prepare(
        "SELECT id, file_name, sha256, importer, importer_version, imported_at_ms, rows_added, rows_skipped "
        "FROM import WHERE sha256 = ?");
    st.bind(1, sha256);
    if (!st.step()) return std::nullopt;
    return read_import(st);
  }

  std::unique_ptr<ImportSession> begin_import(const Provenance& provenance) override;

  int schema_version() override {
    auto st = db_.prepare("PRAGMA user_version");
    st.step();
    return int(st.int64(0));
  }

  void save_model_run(const ModelRun& run) override {
    auto st = db_.prepare(
        "INSERT INTO model_run(id, kind, label, created_ms, inputs_sha256, result_json, person_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, label = excluded.label, "
        "created_ms = excluded.created_ms, inputs_sha256 = excluded.inputs_sha256, result_json = excluded.result_json, "
        "person_id = coalesce(excluded.person_id, model_run.person_id)");
    st.bind(1, run.id)
        .bind(2, run.kind)
        .bind(3, run.label)
        .bind(4, to_epoch_ms(run.created))
        .bind(5, run.inputs_sha256)
        .bind(6, run.result_json);
    if (run.person) st.bind(7, *run.person);
    st.step();
  }

  std::optional<ModelRun> find_model_run(const std::string& id) override {
    auto st = db_.prepare(
        "SELECT id, kind, label, created_ms, inputs_sha256, person_id, result_json FROM model_run WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    auto run = model_run_of(st);
    run.result_json = st.text(6);
    return run;
  }

  std::vector<ModelRun> model_runs(const std::string& kind) override {
    auto st = db_.prepare(
        "SELECT id, kind, label, created_ms, inputs_sha256, person_id FROM model_run WHERE kind = ? "
        "ORDER BY created_ms, id");
    st.bind(1, kind);
    std::vector<ModelRun> runs;
    while (st.step()) runs.push_back(model_run_of(st));
    return runs;
  }

  void save_access_token(const AccessToken& token) override {
    auto st = db_.prepare("INSERT INTO access_token(id, sha256, person_id, label, created_ms) VALUES (?, ?, ?, ?, ?)");
    st.bind(1, token.id).bind(2, token.sha256);
    if (token.person) st.bind(3, *token.person);
    st.bind(4, token.label).bind(5, to_epoch_ms(token.created));
    st.step();
  }

  std::optional<AccessToken> find_access_token_by_digest(const std::string& sha256) override {
    auto st = db_.prepare(std::string(kTokenColumns) + " WHERE sha256 = ?");
    st.bind(1, sha256);
    if (!st.step()) return std::nullopt;
    return read_token(st);
  }

  std::vector<AccessToken> access_tokens() override {
    auto st = db_.prepare(std::string(kTokenColumns) + " ORDER BY created_ms, id");
    std::vector<AccessToken> tokens;
    while (st.step()) tokens.push_back(read_token(st));
    return tokens;
  }

  bool revoke_access_token(const std::string& id) override {
    db_.prepare("DELETE FROM access_token WHERE id = ?").bind(1, id).step();
    return sqlite3_changes(db_.raw()) > 0;
  }

  Connection& connection() { return db_; }

 private:
  static constexpr const char* kTokenColumns =
      "SELECT id, sha256, person_id, label, created_ms FROM access_token";

  // id, kind, label, created_ms, inputs_sha256, person_id: a run without its result.
  static ModelRun model_run_of(const Statement& st) {
    ModelRun run{st.text(0), st.text(1), st.text(2), from_epoch_ms(st.int64(3)), st.text(4), "", std::nullopt};
    if (!st.is_null(5)) run.person = st.int64(5);
    return run;
  }

  static AccessToken read_token(Statement& st) {
    AccessToken t{st.text(0), st.text(1), std::nullopt, st.text(3), from_epoch_ms(st.int64(4))};
    if (!st.is_null(2)) t.person = st.int64(2);
    return t;
  }

  // The person's id, when the series is theirs; else NotFound.
  PersonId require_own_series(const std::string& person, SeriesId series) {
    const PersonId id = require_person(person);
    auto owner = db_.prepare("SELECT 1 FROM series WHERE id = ? AND person_id = ?");
    owner.bind(1, series).bind(2, id);
    if (!owner.step()) throw NotFound(fmt::format("no series {} of person '{}'", series, person));
    return id;
  }

  void stream_observations(PersonId id, const std::optional<Code>& code, std::optional<SeriesId> series,
                           const TimeRange& range, const std::function<void(const Observation&)>& visit) {
    std::string sql =
        "SELECT s.id, s.code_system, s.code, s.display, s.unit, s.source, o.start_ms, o.end_ms, o.value, o.value_code "
        "FROM series s JOIN observation o ON o.series_id = s.id WHERE s.person_id = ?";
    std::vector<std::int64_t> range_args;
    if (code) sql += " AND s.code_system = ? AND s.code = ?";
    if (series) sql += " AND s.id = ?";
    append_range(sql, range_args, "o.start_ms", range);
    sql += " ORDER BY s.code_system, s.code, s.unit, s.source, o.start_ms";  // the series index order: no sort
    auto st = db_.prepare(sql);
    int arg = 1;
    st.bind(arg++, id);
    if (code) {
      st.bind(arg++, code->system);
      st.bind(arg++, code->code);
    }
    if (series) st.bind(arg++, *series);
    for (auto v : range_args) st.bind(arg++, v);
    Observation obs;
    SeriesId current = 0;
    while (st.step()) {
      if (st.int64(0) != current) {  // series columns repeat on every row: read them once per series
        current = st.int64(0);
        obs.code = Code{st.text(1), st.text(2), st.text(3)};
        obs.unit = st.text(4);
        obs.source = st.text(5);
      }
      obs.start = from_epoch_ms(st.int64(6));
      obs.end = from_epoch_ms(st.int64(7));
      auto value_code = st.text_view(9);
      obs.value = value_code.empty() ? std::optional(st.real(8)) : std::nullopt;
      obs.value_code = value_code.empty() ? std::nullopt : std::optional(parse_code_token(value_code));
      visit(obs);
    }
  }

  void migrate() {
    int version = schema_version();
    if (version > int(schema::kMigrations.size())) {
      throw StoreError(fmt::format("database '{}' has schema version {}, newer than this medtwin ({}); upgrade medtwin",
                                   db_.path(), version, schema::kMigrations.size()));
    }
    for (int next = version; next < int(schema::kMigrations.size()); ++next) {
      db_.exec("BEGIN IMMEDIATE");
      try {
        // Another process may have migrated while we waited for the lock.
        if (schema_version() == next) {
          db_.exec(schema::kMigrations[std::size_t(next)]);
          if (next + 1 == schema::kRollupVersion) fill_rollups();
          db_.exec(fmt::format("PRAGMA user_version = {}", next + 1).c_str());
        }
        db_.exec("COMMIT");
      } catch (...) {
        db_.exec("ROLLBACK");
        throw;
      }
    }
  }

  // The roll-ups of everything stored before they existed, a series at a time.
  void fill_rollups() {
    auto values = db_.prepare(
        "SELECT series_id, start_ms, value FROM observation WHERE value_code = '' ORDER BY series_id, start_ms");
    RollupAccumulator rollups;
    SeriesId current = -1;
    while (values.step()) {
      if (values.int64(0) != current) rollups.write(db_);
      current = values.int64(0);
      rollups.add(current, values.int64(1), values.real(2));
    }
    rollups.write(db_);
  }

  // Switching a new file to WAL returns SQLITE_BUSY at once, without the busy
  // handler, while another process does the same: retry until it is WAL.
  void enable_wal() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
    for (;;) {
      auto st = db_.prepare("PRAGMA journal_mode = WAL");
      int rc = sqlite3_step(st.raw());
      if (rc == SQLITE_ROW && st.text(0) == "wal") return;
      if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) db_.fail("switching to WAL mode");
      if (std::chrono::steady_clock::now() > deadline) db_.fail("switching to WAL mode");
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  PersonId require_person(const std::string& name) {
    auto person = find_person(name);
    if (!person) throw NotFound(fmt::format("no person named '{}' (see `medtwin persons`)", name));
    return person->id;
  }

  static PersonRecord read_person(const Statement& st) {
    return PersonRecord{st.int64(0), st.text(1), parse_sex(st.text(2)), decode_date(st.text(3))};
  }

  static ImportRecord read_import(const Statement& st) {
    return ImportRecord{st.int64(0),
                        Provenance{st.text(1), st.text(2), st.text(3), st.text(4), from_epoch_ms(st.int64(5))},
                        st.int64(6), st.int64(7)};
  }

  void read_chunks(SignalId id, std::int64_t first, std::int64_t last, Signal& signal) {
    auto st = db_.prepare(
        "SELECT channel, seq, samples FROM signal_chunk WHERE signal_id = ? AND seq >= ? AND seq <= ? "
        "ORDER BY channel, seq");
    st.bind(1, id).bind(2, first / kSignalChunkSamples).bind(3, (last - 1) / kSignalChunkSamples);
    while (st.step()) {
      auto channel = std::size_t(st.int64(0));
      std::int64_t chunk_first = st.int64(1) * kSignalChunkSamples;
      auto bytes = st.blob(2);
      std::int64_t n = std::int64_t(bytes.size() / sizeof(float));
      std::int64_t from = std::max(first, chunk_first), to = std::min(last, chunk_first + n);
      if (channel >= signal.samples.size()) throw StoreError("signal chunk names a channel the signal lacks");
      for (std::int64_t i = from; i < to; ++i) {
        float v;
        std::memcpy(&v, bytes.data() + (i - chunk_first) * std::int64_t(sizeof(float)), sizeof v);
        signal.samples[channel].push_back(v);
      }
    }
  }

  Connection db_;
};

class SqliteImportSession final : public ImportSession {
 public:
  // Runs inside the write transaction begin_import opened; owns it from here.
  SqliteImportSession(Connection& db, const Provenance& provenance)
      : db_(db),
        insert_observation_(db.prepare(
            "INSERT OR IGNORE INTO observation(series_id, start_ms, end_ms, value, value_code, import_id) "
            "VALUES (?, ?, ?, ?, ?, ?)")),
        find_series_(db.prepare(
            "SELECT id FROM series WHERE person_id = ? AND code_system = ? AND code = ? AND unit = ? AND source = ?")),
        insert_series_(db.prepare(
            "INSERT INTO series(person_id, code_system, code, display, unit, source) VALUES (?, ?, ?, ?, ?, ?)")),
        insert_event_(db.prepare(
            "INSERT OR IGNORE INTO event(person_id, kind, code_system, code, display, start_ms, end_ms, amount, unit, "
            "source, details_json, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
    auto st = db_.prepare(
        "INSERT INTO import(file_name, sha256, importer, importer_version, imported_at_ms) VALUES (?, ?, ?, ?, ?)");
    st.bind(1, provenance.file_name).bind(2, provenance.sha256).bind(3, provenance.importer);
    st.bind(4, provenance.importer_version).bind(5, to_epoch_ms(provenance.imported_at));
    st.run();
    open_ = true;
    record_.id = db_.last_insert_id();
    record_.provenance = provenance;
  }

  ~SqliteImportSession() override {
    if (open_) sqlite3_exec(db_.raw(), "ROLLBACK", nullptr, nullptr, nullptr);
  }

  PersonId person(const std::string& name, const PersonInfo& info) override {
    auto st = db_.prepare("SELECT id, sex, ifnull(birth_date, '') FROM person WHERE name = ?");
    st.bind(1, name);
    PersonId id;
    if (st.step()) {
      id = st.int64(0);
      // Fill what the store lacks; never overwrite what a person or earlier import set.
      if (parse_sex(st.text(1)) == Sex::unknown && info.sex != Sex::unknown) {
        db_.prepare("UPDATE person SET sex = ? WHERE id = ?").bind(1, to_string(info.sex)).bind(2, id).run();
      }
      if (st.text(2).empty() && info.birth_date) {
        db_.prepare("UPDATE person SET birth_date = ? WHERE id = ?").bind(1, encode_date(info.birth_date)).bind(2, id).run();
      }
    } else {
      auto insert = db_.prepare("INSERT INTO person(name, sex, birth_date) VALUES (?, ?, nullif(?, ''))");
      insert.bind(1, name).bind(2, to_string(info.sex)).bind(3, encode_date(info.birth_date)).run();
      id = db_.last_insert_id();
    }
    link_person(id);
    if (!info.source_id.empty()) {
      db_.prepare("INSERT OR IGNORE INTO person_source(importer, source_id, person_id) VALUES (?, ?, ?)")
          .bind(1, record_.provenance.importer).bind(2, info.source_id).bind(3, id).run();
    }
    return id;
  }

  std::optional<std::string> person_by_source(const std::string& source_id) override {
    auto st = db_.prepare(
        "SELECT p.name FROM person_source s JOIN person p ON p.id = s.person_id "
        "WHERE s.importer = ? AND s.source_id = ?");
    st.bind(1, record_.provenance.importer).bind(2, source_id);
    if (!st.step()) return std::nullopt;
    return st.text(0);
  }

  bool has_time_zone(PersonId person) override {
    auto st = db_.prepare("SELECT 1 FROM person_timezone WHERE person_id = ? LIMIT 1");
    st.bind(1, person);
    return st.step();
  }

  void time_zone(PersonId person, Instant from, const std::string& tz) override {
    // Store only changes: the zone in force at `from` is looked up first.
    auto current = db_.prepare(
        "SELECT tz FROM person_timezone WHERE person_id = ? AND from_ms <= ? ORDER BY from_ms DESC LIMIT 1");
    current.bind(1, person).bind(2, to_epoch_ms(from));
    if (current.step() && current.text(0) == tz) return;
    db_.prepare("INSERT OR REPLACE INTO person_timezone(person_id, from_ms, tz) VALUES (?, ?, ?)")
        .bind(1, person).bind(2, to_epoch_ms(from)).bind(3, tz).run();
  }

  bool add(PersonId person, const Observation& obs) override {
    if (obs.value && !std::isfinite(*obs.value)) {
      throw Error(fmt::format("a {} value is not a finite number", obs.code.token()));
    }
    check_times(obs.code.token(), obs.start, obs.end);
    SeriesId series = series_id(person, obs);
    auto& st = insert_observation_;
    st.bind(1, series).bind(2, to_epoch_ms(obs.start)).bind(3, to_epoch_ms(obs.end));
    st.bind(4, obs.value.value_or(0.0));
    st.bind(5, obs.value_code ? obs.value_code->token() : std::string());
    st.bind(6, record_.id);
    st.run();
    const bool added = db_.changes() > 0;
    if (added && !obs.value_code) rollups_.add(series, to_epoch_ms(obs.start), obs.value.value_or(0.0));
    return count(added);
  }

  bool add(PersonId person, const Signal& signal) override {
    check_times(signal.kind + " signal", signal.start, signal.start);
    auto insert = db_.prepare(
        "INSERT OR IGNORE INTO signal(person_id, kind, sample_rate_hz, start_ms, n_samples, channels_json, source, "
        "import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, person).bind(2, signal.kind).bind(3, signal.sample_rate_hz).bind(4, to_epoch_ms(signal.start));
    insert.bind(5, signal.sample_count()).bind(6, encode_channels(signal.channels)).bind(7, signal.source);
    insert.bind(8, record_.id).run();
    if (db_.changes() == 0) return count(false);
    SignalId id = db_.last_insert_id();
    write_chunks(id, signal);
    auto note = db_.prepare("INSERT INTO annotation(signal_id, sample, channel, code, text) VALUES (?, ?, ?, ?, ?)");
    for (const auto& a : signal.annotations) {
      note.bind(1, id).bind(2, a.sample).bind(3, std::int64_t(a.channel)).bind(4, a.code).bind(5, a.text).run();
    }
    return count(true);
  }

  bool add(PersonId person, const Event& e) override {
    check_times(e.kind + " event", e.start, e.end.value_or(e.start));
    auto& st = insert_event_;
    st.bind(1, person).bind(2, e.kind).bind(3, e.code.system).bind(4, e.code.code).bind(5, e.code.display);
    st.bind(6, to_epoch_ms(e.start));
    if (e.end) st.bind(7, to_epoch_ms(*e.end));
    else st.bind_null(7);
    st.bind(8, e.amount).bind(9, e.unit).bind(10, e.source).bind(11, e.details_json).bind(12, record_.id);
    st.run();
    return count(db_.changes() > 0);
  }

  ImportRecord commit() override {
    rollups_.write(db_);
    db_.prepare("UPDATE import SET rows_added = ?, rows_skipped = ? WHERE id = ?")
        .bind(1, record_.rows_added).bind(2, record_.rows_skipped).bind(3, record_.id).run();
    db_.exec("COMMIT");
    open_ = false;
    return record_;
  }

 private:
  // Rejects what no calendar arithmetic downstream could handle (and no device recorded).
  static void check_times(const std::string& what, Instant start, Instant end) {
    if (!is_plausible_instant(start) || !is_plausible_instant(end)) {
      throw Error(fmt::format("a {} time is outside the years 1800-2299", what));
    }
    if (end < start) throw Error(fmt::format("a {} ends before it starts", what));
  }

  // Rows of any kind, for the import record; callers keep per-kind tallies if they want them.
  bool count(bool added) {
    ++(added ? record_.rows_added : record_.rows_skipped);
    return added;
  }


  void link_person(PersonId id) {
    db_.prepare("INSERT OR IGNORE INTO import_person(import_id, person_id) VALUES (?, ?)")
        .bind(1, record_.id).bind(2, id).run();
  }

  SeriesId series_id(PersonId person, const Observation& obs) {
    // Exports come in runs of one metric: most lookups hit the previous series.
    if (last_series_ && last_person_ == person && last_obs_.code == obs.code && last_obs_.unit == obs.unit &&
        last_obs_.source == obs.source) {
      return *last_series_;
    }
    SeriesId id = lookup_series(person, obs);
    last_series_ = id;
    last_person_ = person;
    last_obs_.code = obs.code;
    last_obs_.unit = obs.unit;
    last_obs_.source = obs.source;
    return id;
  }

  SeriesId lookup_series(PersonId person, const Observation& obs) {
    std::string key = fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}", person, obs.code.system, obs.code.code, obs.unit,
                                  obs.source);
    if (auto it = series_cache_.find(key); it != series_cache_.end()) return it->second;
    find_series_.bind(1, person).bind(2, obs.code.system).bind(3, obs.code.code).bind(4, obs.unit).bind(5, obs.source);
    SeriesId id;
    if (find_series_.step()) {
      id = find_series_.int64(0);
    } else {
      insert_series_.bind(1, person).bind(2, obs.code.system).bind(3, obs.code.code).bind(4, obs.code.display);
      insert_series_.bind(5, obs.unit).bind(6, obs.source).run();
      id = db_.last_insert_id();
    }
    find_series_.reset();
    series_cache_.emplace(std::move(key), id);
    return id;
  }

  void write_chunks(SignalId id, const Signal& signal) {
    auto st = db_.prepare("INSERT INTO signal_chunk(signal_id, channel, seq, samples) VALUES (?, ?, ?, ?)");
    for (std::size_t channel = 0; channel < signal.samples.size(); ++channel) {
      const auto& samples = signal.samples[channel];
      for (std::size_t first = 0, seq = 0; first < samples.size(); first += kSignalChunkSamples, ++seq) {
        std::size_t n = std::min<std::size_t>(kSignalChunkSamples, samples.size() - first);
        st.bind(1, id).bind(2, std::int64_t(channel)).bind(3, std::int64_t(seq));
        st.bind_blob(4, samples.data() + first, n * sizeof(float)).run();
      }
    }
  }

  Connection& db_;
  Statement insert_observation_, find_series_, insert_series_, insert_event_;
  std::map<std::string, SeriesId> series_cache_;
  RollupAccumulator rollups_;
  std::optional<SeriesId> last_series_;
  PersonId last_person_ = 0;
  Observation last_obs_;
  ImportRecord record_;
  bool open_ = false;
};

std::unique_ptr<ImportSession> SqliteStore::begin_import(const Provenance& provenance) {
  db_.exec("BEGIN IMMEDIATE");
  try {
    // Checked under the write lock: another process may have imported the same file while we waited.
    if (find_import(provenance.sha256)) {
      db_.exec("ROLLBACK");
      return nullptr;
    }
    return std::make_unique<SqliteImportSession>(db_, provenance);
  } catch (...) {
    sqlite3_exec(db_.raw(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace

std::vector<Observation> Store::observations(const ObservationQuery& query) {
  std::vector<Observation> out;
  observations(query, [&](const Observation& obs) { out.push_back(obs); });
  return out;
}

std::unique_ptr<Store> open_sqlite_store(const std::string& path) {
  // Memory statistics take a global mutex on every allocation; medtwin never reads them.
  static std::once_flag configured;
  std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  return std::make_unique<SqliteStore>(path);
}

}  // namespace medtwin

// The store's schema as an ordered list of migrations. Migration N brings the
// database from user_version N-1 to N; never edit one that has shipped — add
// the next instead.
#pragma once

#include <array>

namespace medtwin::schema {

inline constexpr std::array kMigrations = {
    // 1: persons, provenance, series, observations, signals, events.
    R"sql(
CREATE TABLE person(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  sex TEXT NOT NULL DEFAULT 'unknown',
  birth_date TEXT);
CREATE TABLE person_timezone(
  person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  from_ms INTEGER NOT NULL,
  tz TEXT NOT NULL,
  PRIMARY KEY(person_id, from_ms)) WITHOUT ROWID;
-- A source's own subject id (FHIR Patient.id, Fitabase Id) → the person it was
-- stored as, so a later file naming only the id finds the same person. Ids are
-- scoped by the importer that read them: "1" in two formats is two people.
CREATE TABLE person_source(
  importer TEXT NOT NULL,
  source_id TEXT NOT NULL,
  person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  PRIMARY KEY(importer, source_id)) WITHOUT ROWID;
CREATE INDEX person_source_by_person ON person_source(person_id);
CREATE TABLE import(
  id INTEGER PRIMARY KEY,
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL UNIQUE,
  importer TEXT NOT NULL,
  importer_version TEXT NOT NULL,
  imported_at_ms INTEGER NOT NULL,
  rows_added INTEGER NOT NULL DEFAULT 0,
  rows_skipped INTEGER NOT NULL DEFAULT 0);
CREATE TABLE import_person(
  import_id INTEGER NOT NULL REFERENCES import(id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  PRIMARY KEY(import_id, person_id)) WITHOUT ROWID;
CREATE INDEX import_person_by_person ON import_person(person_id);
CREATE TABLE series(
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  code_system TEXT NOT NULL,
  code TEXT NOT NULL,
  display TEXT NOT NULL DEFAULT '',
  unit TEXT NOT NULL,
  source TEXT NOT NULL,
  UNIQUE(person_id, code_system, code, unit, source));
-- Clustered by its natural key: one B-tree, rows of a series in time order.
-- A coded observation has value 0 and its code in value_code; a numeric one
-- has value_code ''.
CREATE TABLE observation(
  series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
  start_ms INTEGER NOT NULL,
  end_ms INTEGER NOT NULL,
  value REAL NOT NULL,
  value_code TEXT NOT NULL,
  import_id INTEGER NOT NULL REFERENCES import(id),
  PRIMARY KEY(series_id, start_ms, end_ms, value, value_code)) WITHOUT ROWID;
CREATE TABLE signal(
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  sample_rate_hz REAL NOT NULL,
  start_ms INTEGER NOT NULL,
  n_samples INTEGER NOT NULL,
  channels_json TEXT NOT NULL,
  source TEXT NOT NULL,
  import_id INTEGER NOT NULL REFERENCES import(id),
  UNIQUE(person_id, kind, start_ms, n_samples, channels_json, source));
CREATE TABLE signal_chunk(
  signal_id INTEGER NOT NULL REFERENCES signal(id) ON DELETE CASCADE,
  channel INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  samples BLOB NOT NULL,
  PRIMARY KEY(signal_id, channel, seq)) WITHOUT ROWID;
CREATE TABLE annotation(
  signal_id INTEGER NOT NULL REFERENCES signal(id) ON DELETE CASCADE,
  sample INTEGER NOT NULL,
  channel INTEGER NOT NULL,
  code TEXT NOT NULL,
  text TEXT NOT NULL);
CREATE INDEX annotation_by_signal ON annotation(signal_id, sample);
CREATE TABLE event(
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  code_system TEXT NOT NULL,
  code TEXT NOT NULL,
  display TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  end_ms INTEGER,
  amount REAL,
  unit TEXT NOT NULL,
  source TEXT NOT NULL,
  details_json TEXT NOT NULL,
  import_id INTEGER NOT NULL REFERENCES import(id));
CREATE UNIQUE INDEX event_key ON event(person_id, kind, code_system, code, start_ms,
  ifnull(end_ms, -1), ifnull(amount, 0), source, details_json);
)sql",
    // 2: model runs (a calibrated twin, a simulation's result), kept by id.
    R"sql(
CREATE TABLE model_run(
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  label TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  inputs_sha256 TEXT NOT NULL,
  result_json TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX model_run_by_kind ON model_run(kind, created_ms);
)sql",
    // 3: access tokens of the HTTP API, kept as SHA-256 digests only; a token
    // with a person sees that person alone.
    R"sql(
CREATE TABLE access_token(
  id TEXT PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE,
  person_id INTEGER REFERENCES person(id) ON DELETE CASCADE,
  label TEXT NOT NULL,
  created_ms INTEGER NOT NULL) WITHOUT ROWID;
)sql",
    // 4: each numeric series summarised per 10 minutes and per hour (bucket =
    // floor(start_ms / width_ms)): how many values, the lowest and the highest
    // with their times, so a chart of months reads one row per bucket instead
    // of one per value. Every import adds what it added; the store fills this
    // table for the series already stored when it migrates.
    R"sql(
CREATE TABLE observation_rollup(
  series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
  width_ms INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  count INTEGER NOT NULL,
  min_ms INTEGER NOT NULL,
  min_value REAL NOT NULL,
  max_ms INTEGER NOT NULL,
  max_value REAL NOT NULL,
  PRIMARY KEY(series_id, width_ms, bucket)) WITHOUT ROWID;
)sql",
    // 5: a model run may belong to a person (a tumour twin calibrated for
    // them): their token opens it, and erasing them erases it.
    R"sql(
ALTER TABLE model_run ADD COLUMN person_id INTEGER REFERENCES person(id) ON DELETE CASCADE;
CREATE INDEX model_run_by_person ON model_run(person_id);
)sql",
};

// The schema version that added observation_rollup (filled when migrating to it).
inline constexpr int kRollupVersion = 4;

}  // namespace medtwin::schema

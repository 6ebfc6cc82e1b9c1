// Thin RAII over the SQLite C API: a connection and prepared statements whose
// every failure becomes a StoreError naming the database and the statement.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace medtwin::sqlite {

class Statement;

class Connection {
 public:
  explicit Connection(const std::string& path);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void exec(const char* sql);
  Statement prepare(std::string_view sql);
  std::int64_t last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }
  const std::string& path() const { return path_; }
  [[noreturn]] void fail(std::string_view what) const;
  sqlite3* raw() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

class Statement {
 public:
  Statement(const Connection& db, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;

  // Binding by 1-based position; returns *this for chaining.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const std::optional<double>& value);
  Statement& bind_blob(int index, const void* data, std::size_t bytes);
  Statement& bind_null(int index);

  // Advances; true while a row is available.
  bool step();
  // Runs to completion (for statements without result rows).
  void run();
  void reset();

  std::int64_t int64(int column) const { return sqlite3_column_int64(stmt_, column); }
  double real(int column) const { return sqlite3_column_double(stmt_, column); }
  bool is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  std::string text(int column) const;
  // Valid until the next step() or reset().
  std::string_view text_view(int column) const;
  std::string_view blob(int column) const;
  sqlite3_stmt* raw() const { return stmt_; }

 private:
  const Connection* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace medtwin::sqlite

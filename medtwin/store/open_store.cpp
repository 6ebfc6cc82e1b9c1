#include "medtwin/store/open_store.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

#include "medtwin/core/error.hpp"
#include "medtwin/store/sqlite_store.hpp"

namespace medtwin {

std::string default_store_location(const std::optional<std::string>& explicit_path) {
  if (explicit_path && !explicit_path->empty()) return *explicit_path;
  if (const char* env = std::getenv("MEDTWIN_DB"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return std::string(xdg) + "/medtwin/medtwin.db";
  const char* home = std::getenv("HOME");
  if (!home || !*home) throw StoreError("cannot locate the database: set --db PATH or MEDTWIN_DB");
  return std::string(home) + "/.local/share/medtwin/medtwin.db";
}

std::unique_ptr<Store> open_store(const std::string& location) {
  if (location.starts_with("postgresql://") || location.starts_with("postgres://")) {
    throw StoreError("PostgreSQL stores are not supported yet; use a file path");
  }
  std::filesystem::path path(location);
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) throw StoreError(fmt::format("cannot create the folder for database '{}': {}", location, ec.message()));
  }
  return open_sqlite_store(location);
}

}  // namespace medtwin

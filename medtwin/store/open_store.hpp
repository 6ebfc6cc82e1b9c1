// Opening a store by location: a file path (SQLite); later "postgresql://…".
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "medtwin/store/store.hpp"

namespace medtwin {

// The database path from, in order: the explicit path, $MEDTWIN_DB,
// $XDG_DATA_HOME/medtwin/medtwin.db, ~/.local/share/medtwin/medtwin.db.
std::string default_store_location(const std::optional<std::string>& explicit_path);

// Opens (creating and migrating when needed). Throws StoreError naming the path.
std::unique_ptr<Store> open_store(const std::string& location);

}  // namespace medtwin

// The embedded store: one SQLite file in WAL mode, schema migrated on open.
#pragma once

#include <memory>
#include <string>

#include "medtwin/store/store.hpp"

namespace medtwin {

// Opens or creates the database at `path`. Throws StoreError naming the path.
std::unique_ptr<Store> open_sqlite_store(const std::string& path);

// Samples per stored signal chunk and channel (float32: 64 KiB blobs).
inline constexpr std::int64_t kSignalChunkSamples = 16384;

}  // namespace medtwin

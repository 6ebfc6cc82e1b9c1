// SHA-256 of files, the identity of an import (re-importing the same bytes adds nothing).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace medtwin {

// Lower-case hex SHA-256 over the bytes of all files, in order, then `suffix`
// (results derived from files are keyed by their inputs plus what derived them).
std::string sha256_files(const std::vector<std::filesystem::path>& files, std::string_view suffix = {});

}  // namespace medtwin

// SHA-256 of files, the identity of an import (re-importing the same bytes adds nothing).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace medtwin {

// Lower-case hex SHA-256 over the bytes of all files, in order.
std::string sha256_files(const std::vector<std::filesystem::path>& files);

}  // namespace medtwin

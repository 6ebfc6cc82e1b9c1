#include <fmt/format.h>

#include <fstream>

#include "cli.hpp"
#include "medtwin/core/error.hpp"

namespace medtwin::cli {

namespace fs = std::filesystem;

void write_file_atomically(const fs::path& target, const std::function<void(std::ostream&)>& write) {
  fs::path partial = target;
  partial += ".partial";
  try {
    std::ofstream file(partial, std::ios::binary);
    if (!file) throw Error(fmt::format("{}: cannot open for writing", target.string()));
    write(file);
    file.close();
    if (!file) throw Error(fmt::format("{}: write failed (disk full?)", target.string()));
    fs::rename(partial, target);
  } catch (...) {
    std::error_code ignored;
    fs::remove(partial, ignored);
    throw;
  }
}

}  // namespace medtwin::cli

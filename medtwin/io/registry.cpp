#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "medtwin/core/error.hpp"
#include "medtwin/io/importer.hpp"
#include "medtwin/io/importers.hpp"

namespace medtwin {

const std::vector<std::unique_ptr<Importer>>& importers() {
  static const std::vector<std::unique_ptr<Importer>> all = [] {
    std::vector<std::unique_ptr<Importer>> list;
    // Specific formats first; the generic CSV importer (needs a mapping) last.
    for (auto make : importer_factories()) list.push_back(make());
    return list;
  }();
  return all;
}

const Importer* find_importer(const std::filesystem::path& path, const ImportOptions& options) {
  std::string head = read_head(path);
  for (const auto& importer : importers())
    if (importer->accepts(path, head, options)) return importer.get();
  return nullptr;
}

std::string read_head(const std::filesystem::path& path, std::size_t bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw NotFound(fmt::format("{}: cannot open file", path.string()));
  std::string head(bytes, '\0');
  in.read(head.data(), std::streamsize(bytes));
  head.resize(std::size_t(in.gcount()));
  return head;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw NotFound(fmt::format("{}: cannot open file", path.string()));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return std::move(bytes).str();
}

}  // namespace medtwin

#include "mitdb_support.hpp"

#include <algorithm>

#include "cli_support.hpp"

namespace medtwin::testing {

std::vector<std::filesystem::path> mitdb_headers() {
  std::vector<std::filesystem::path> headers;
  const std::filesystem::path folder = shared_data("ecg/mitdb");
  if (!std::filesystem::is_directory(folder)) return headers;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    if (entry.path().extension() == ".hea") headers.push_back(entry.path());
  std::sort(headers.begin(), headers.end());
  return headers;
}

}  // namespace medtwin::testing

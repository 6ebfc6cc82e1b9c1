#include "mitdb_support.hpp"

#include <algorithm>

#include <stdexcept>

#include "cli_support.hpp"
#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/io/wfdb_importer.hpp"

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

Signal read_mitdb_signal(const std::filesystem::path& header) {
  CollectingSink sink;
  read_wfdb_record(header, {}, sink);
  if (sink.signals.size() != 1 || sink.signals.front().channels.size() != 2)
    throw std::runtime_error(header.string() + ": not one signal of two leads");
  return std::move(sink.signals.front());
}

}  // namespace medtwin::testing

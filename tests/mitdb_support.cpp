#include "mitdb_support.hpp"

#include <algorithm>

#include <cstdio>
#include <stdexcept>

#include "cli_support.hpp"
#include "medtwin/cardio/ec57.hpp"
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

std::vector<std::filesystem::path> scored_mitdb_headers() {
  std::vector<std::filesystem::path> scored;
  for (const auto& header : mitdb_headers()) {
    if (cardio::is_paced_mitdb_record(header.stem().string()))
      std::printf("%6s  excluded: paced\n", header.stem().string().c_str());
    else
      scored.push_back(header);
  }
  return scored;
}

Signal read_mitdb_signal(const std::filesystem::path& header) {
  CollectingSink sink;
  read_wfdb_record(header, {}, sink);
  if (sink.signals.size() != 1 || sink.signals.front().channels.size() != 2)
    throw std::runtime_error(header.string() + ": not one signal of two leads");
  return std::move(sink.signals.front());
}

}  // namespace medtwin::testing

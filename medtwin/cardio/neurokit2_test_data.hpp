// Test support (not part of the library): reading NeuroKit2's example
// recordings and NeuroKit2 0.2.0's reference outputs from the shared
// validation data (/work/shared/data/biosignals/neurokit2, see its MANIFEST),
// found through the MEDTWIN_SHARED_DATA compile definition of the tests. A
// missing file throws, so the test fails with the path in its message.
#pragma once

#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace medtwin::cardio::testdata {

inline std::string neurokit2_path(const std::string& file) {
  return std::string(MEDTWIN_SHARED_DATA) + "/biosignals/neurokit2/" + file;
}

inline std::ifstream open_or_throw(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("validation data missing: " + path);
  return in;
}

// The columns of one of NeuroKit2's example recordings (a header line of
// names, then numbers), by name.
inline std::map<std::string, std::vector<double>> read_recording(const std::string& file) {
  auto in = open_or_throw(neurokit2_path(file));
  std::string line;
  std::getline(in, line);
  std::vector<std::string> names;
  std::stringstream header(line);
  for (std::string name; std::getline(header, name, ',');) names.push_back(name);
  std::map<std::string, std::vector<double>> columns;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::stringstream row(line);
    std::string cell;
    for (const auto& name : names) {
      if (!std::getline(row, cell, ',')) throw std::runtime_error(file + ": short row: " + line);
      columns[name].push_back(std::stod(cell));
    }
  }
  return columns;
}

// bio_resting_5min_100hz.csv: ECG, PPG and RSP at 100 Hz.
struct RestingRecording {
  std::vector<double> ecg, ppg, rsp;
};

inline RestingRecording read_resting_5min() {
  auto columns = read_recording("bio_resting_5min_100hz.csv");
  if (columns.size() != 3 || !columns.count("ECG") || !columns.count("PPG") || !columns.count("RSP"))
    throw std::runtime_error("bio_resting_5min_100hz.csv: expected columns ECG,PPG,RSP");
  return {columns["ECG"], columns["PPG"], columns["RSP"]};
}

// One column of sample indices under a header line, from reference_nk2_0.2.0.
inline std::vector<std::int64_t> read_reference_peaks(const std::string& file) {
  auto in = open_or_throw(neurokit2_path("reference_nk2_0.2.0/" + file));
  std::string line;
  std::getline(in, line);
  std::vector<std::int64_t> peaks;
  while (std::getline(in, line))
    if (!line.empty()) peaks.push_back(std::stoll(line));
  return peaks;
}

// The lines of a reference file split at commas, header included.
inline std::vector<std::vector<std::string>> read_reference_table(const std::string& file) {
  auto in = open_or_throw(neurokit2_path("reference_nk2_0.2.0/" + file));
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    std::vector<std::string> cells;
    std::stringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

}  // namespace medtwin::cardio::testdata

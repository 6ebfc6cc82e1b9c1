// Helpers the io unit tests share (GoogleTest; include only from *_test.cpp):
// data files that fail the test when missing, never skip it; scratch folders;
// the message of an expected error; a search through reported issues.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/importer.hpp"

namespace medtwin {

// `path`, after failing the current test with a clear message if it does not
// exist (`what` says what it is and where it comes from).
inline std::filesystem::path required_file(const std::filesystem::path& path,
                                           std::string_view what = "validation data (see ../shared/data/README.md)") {
  if (!std::filesystem::exists(path)) ADD_FAILURE() << what << " missing: " << path;
  return path;
}

// A file or folder of the shared validation data (../shared/data).
inline std::filesystem::path shared_data(const std::string& relative) {
  return required_file(std::filesystem::path(MEDTWIN_SHARED_DATA) / relative);
}

// Options that read zone-less timestamps in IANA zone `tz`.
inline ImportOptions with_tz(const std::string& tz) {
  ImportOptions options;
  options.time_zone = tz;
  return options;
}

// A fresh folder under the system temp dir, named after the running test and
// removed when the test ends.
class TempDir {
 public:
  TempDir() {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() / (std::string("medtwin-") + test->test_suite_name() + "-" +
                                                      test->name() + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), std::streamsize(bytes.size()));
}

// The message of the `E` that `f` throws; empty when it throws none.
template <typename E = Error, typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "";
}

// Whether `sink` got an issue of `kind` whose text contains `text`.
inline bool has_issue(const CollectingSink& sink, ImportIssue::Kind kind, std::string_view text) {
  return std::any_of(sink.issues.begin(), sink.issues.end(),
                     [&](const ImportIssue& i) { return i.kind == kind && i.what.find(text) != std::string::npos; });
}

}  // namespace medtwin

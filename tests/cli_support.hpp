// Running the medtwin command from tests: a scratch folder per test and a
// runner that captures exit code, stdout and stderr.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace medtwin::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `medtwin ARGS` (ARGS is shell text) and captures everything.
CommandResult run_medtwin(const std::string& args);

// A scratch folder, removed at the end of the test.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Path of a file under ../shared/data; fails the test when it is missing.
std::filesystem::path shared_data(const std::string& relative);

// Shell-quoted path.
std::string quoted(const std::filesystem::path& path);

// The folder of the CiPA drug tables, shell-quoted (for `--cipa-data`).
std::string cipa_data();

}  // namespace medtwin::testing

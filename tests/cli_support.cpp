#include "cli_support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>

namespace medtwin::testing {
namespace fs = std::filesystem;

namespace {
std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}
}  // namespace

std::string quoted(const fs::path& path) {
  std::string out = "'";
  for (char c : path.string()) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

CommandResult run_medtwin(const std::string& args) {
  ScratchDir io;
  std::string command = std::string(MEDTWIN_CLI) + " " + args + " >" + quoted(io / "out") + " 2>" + quoted(io / "err") +
                        " </dev/null";
  int status = std::system(command.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = slurp(io / "out");
  result.err = slurp(io / "err");
  return result;
}

ScratchDir::ScratchDir() {
  static int counter = 0;
  std::ostringstream name;
  name << "medtwin-test-" << ::getpid() << "-" << counter++;
  path_ = fs::temp_directory_path() / name.str();
  fs::remove_all(path_);
  fs::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
  fs::remove_all(path_, ec);
}

fs::path shared_data(const std::string& relative) {
  fs::path path = fs::path(MEDTWIN_SHARED_DATA) / relative;
  EXPECT_TRUE(fs::exists(path)) << "validation data missing: " << path << " (see ../shared/data/README.md)";
  return path;
}

std::string cipa_data() { return quoted(shared_data("ecg/cipa/CiPA12_merged_table.csv").parent_path()); }

}  // namespace medtwin::testing

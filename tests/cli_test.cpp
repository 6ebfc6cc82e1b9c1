// End-to-end tests of the medtwin command: the bad-input cases of the
// foundation issue, idempotent re-import, concurrent imports and erasure.
#include <gtest/gtest.h>

#include <fstream>
#include <future>

#include "cli_support.hpp"

namespace medtwin::testing {
namespace {

namespace fs = std::filesystem;

std::string db_flag(const ScratchDir& dir) { return "--db " + quoted(dir / "t.db"); }

fs::path apple_sample() { return shared_data("wearables/apple_health/export.xml"); }

int count_lines(const std::string& text) { return int(std::count(text.begin(), text.end(), '\n')); }

TEST(Cli, EveryCommandHasHelp) {
  for (const char* command : {"", "import", "persons", "series", "export", "person", "person delete", "demo"}) {
    auto r = run_medtwin(std::string(command) + " --help");
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << command;
  }
}

TEST(Cli, MissingFileIsOneClearLine) {
  ScratchDir dir;
  auto r = run_medtwin("import /nonexistent/export.xml " + db_flag(dir));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("/nonexistent/export.xml"), std::string::npos) << r.err;
}

TEST(Cli, UnwritableDatabasePathIsOneClearLine) {
  ScratchDir dir;
  std::ofstream(dir / "a-file") << "not a folder";
  auto r = run_medtwin("import " + quoted(apple_sample()) + " --db " + quoted(dir / "a-file" / "t.db"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("a-file/t.db"), std::string::npos) << r.err;
}

TEST(Cli, ReimportingTheSameFileAddsNothingAndSaysSo) {
  ScratchDir dir;
  auto first = run_medtwin("import " + quoted(apple_sample()) + " --person ann " + db_flag(dir));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto before = run_medtwin("series ann --json " + db_flag(dir));
  auto again = run_medtwin("import " + quoted(apple_sample()) + " --person ann " + db_flag(dir));
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("already imported, 0 rows added"), std::string::npos) << again.out;
  EXPECT_EQ(run_medtwin("series ann --json " + db_flag(dir)).out, before.out);
}

TEST(Cli, SameContentUnderAnotherNameAddsNoRows) {
  ScratchDir dir;
  fs::copy_file(apple_sample(), dir / "copy.xml");
  std::ofstream(dir / "copy.xml", std::ios::app) << "\n";  // other bytes, same records
  ASSERT_EQ(run_medtwin("import " + quoted(apple_sample()) + " --person ann " + db_flag(dir)).exit_code, 0);
  auto r = run_medtwin("import " + quoted(dir / "copy.xml") + " --person ann " + db_flag(dir));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("0 observations, 0 signals, 0 events added"), std::string::npos) << r.out;
}

TEST(Cli, FailedImportLeavesTheStoreAsItWas) {
  ScratchDir dir;
  ASSERT_EQ(run_medtwin("import " + quoted(apple_sample()) + " --person ann " + db_flag(dir)).exit_code, 0);
  auto before = run_medtwin("series ann --json " + db_flag(dir)).out;
  // A later-day copy cut off mid-record: every record before the cut would be new.
  std::ifstream in(apple_sample());
  std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (std::string::size_type at; (at = xml.find("2024-01-0")) != std::string::npos;) xml.replace(at, 9, "2025-02-0");
  std::ofstream(dir / "cut.xml") << xml.substr(0, xml.size() * 2 / 3);
  auto r = run_medtwin("import " + quoted(dir / "cut.xml") + " --person ann " + db_flag(dir));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cut.xml:"), std::string::npos) << r.err;  // names file:line:column
  EXPECT_EQ(run_medtwin("series ann --json " + db_flag(dir)).out, before);
}

TEST(Cli, TwoProcessesImportIntoOneDatabase) {
  ScratchDir dir;
  // Two different files (different bytes), the same person, at the same time.
  std::ifstream in(apple_sample());
  std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream(dir / "a.xml") << xml;
  for (std::string::size_type at; (at = xml.find("2024-01-0")) != std::string::npos;) xml.replace(at, 9, "2025-03-0");
  std::ofstream(dir / "b.xml") << xml;
  auto a = std::async(std::launch::async, [&] { return run_medtwin("import " + quoted(dir / "a.xml") + " --person ann " + db_flag(dir)); });
  auto b = std::async(std::launch::async, [&] { return run_medtwin("import " + quoted(dir / "b.xml") + " --person ann " + db_flag(dir)); });
  auto ra = a.get(), rb = b.get();
  EXPECT_EQ(ra.exit_code, 0) << ra.err;
  EXPECT_EQ(rb.exit_code, 0) << rb.err;
  auto single = ScratchDir();
  ASSERT_EQ(run_medtwin("import " + quoted(dir / "a.xml") + " --person ann --db " + quoted(single / "s.db")).exit_code, 0);
  auto one = run_medtwin("series ann --db " + quoted(single / "s.db")).out;
  auto both = run_medtwin("series ann " + db_flag(dir)).out;
  EXPECT_GT(both.size(), 0u);
  EXPECT_NE(one, both);  // b's later copy added rows of its own
}

TEST(Cli, PersonDeleteErasesThePerson) {
  ScratchDir dir;
  ASSERT_EQ(run_medtwin("import " + quoted(apple_sample()) + " --person ann " + db_flag(dir)).exit_code, 0);
  ASSERT_NE(run_medtwin("persons " + db_flag(dir)).out.find("ann"), std::string::npos);
  auto r = run_medtwin("person delete ann " + db_flag(dir));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(run_medtwin("persons " + db_flag(dir)).out.find("ann"), std::string::npos);
  auto gone = run_medtwin("series ann " + db_flag(dir));
  EXPECT_EQ(gone.exit_code, 1);
  EXPECT_NE(gone.err.find("no person named 'ann'"), std::string::npos);
  // Erased means the file can be imported again as new.
  auto again = run_medtwin("import " + quoted(apple_sample()) + " --person ann " + db_flag(dir));
  EXPECT_EQ(again.out.find("already imported"), std::string::npos) << again.out;
}

TEST(Cli, UnknownFormatIsReported) {
  ScratchDir dir;
  std::ofstream(dir / "notes.txt") << "just some text\n";
  auto r = run_medtwin("import " + quoted(dir / "notes.txt") + " " + db_flag(dir));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("not a format medtwin reads"), std::string::npos) << r.out;
}

TEST(Cli, BadTimeZoneOptionIsRejected) {
  ScratchDir dir;
  auto r = run_medtwin("import " + quoted(apple_sample()) + " --tz Mars/Olympus " + db_flag(dir));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("Mars/Olympus"), std::string::npos);
}

}  // namespace
}  // namespace medtwin::testing

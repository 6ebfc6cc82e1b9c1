// Imports by upload through the HTTP API: a file's bytes as the body, read by
// a job into the store as `medtwin import` reads it; the same file twice adds
// nothing; who may import, and what is refused before anything is read.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "apps/server/access.hpp"
#include "medtwin/store/open_store.hpp"
#include "serve_support.hpp"

namespace medtwin::testing {
namespace {

std::string file_bytes(const std::string& relative) {
  std::ifstream in(std::filesystem::path(MEDTWIN_SOURCE_DIR) / "data/samples" / relative, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

json upload(httplib::Client& c, const std::string& query, const std::string& bytes, int expected_status) {
  const auto res = c.Post(("/api/v1/imports?" + query).c_str(), bytes, "application/octet-stream");
  EXPECT_TRUE(res) << query;
  if (!res) return {};
  EXPECT_EQ(res->status, expected_status) << query << ": " << res->body;
  return json::parse(res->body);
}

TEST(ServeImport, AnUploadedExportIsImportedOnceAndItsPersonAppears) {
  ScratchDir dir;
  RunningServer server((dir / "upload.db").string());
  auto c = server.client();
  const auto bytes = file_bytes("apple-health/export.xml");
  const auto job = upload(c, "file=export.xml&person=uploaded", bytes, 202);
  expect_matches(job, response_schema("/api/v1/imports", "post", "202"), "job");
  EXPECT_TRUE(job["person"].is_null());
  const auto done = wait_for_job(c, job);
  ASSERT_EQ(done["state"], "done") << done.dump();
  const auto& result = done["result"];
  expect_matches(result, json{{"$ref", "#/components/schemas/ImportResult"}}, "import");
  EXPECT_EQ(result["file"], "export.xml");
  EXPECT_FALSE(result["already_imported"].get<bool>());
  EXPECT_EQ(result["added"]["observations"], 8);  // as `medtwin import` counts this sample
  ASSERT_EQ(result["persons"].size(), 1u);
  EXPECT_EQ(result["persons"][0]["name"], "uploaded");
  EXPECT_EQ(result.dump().find("medtwin-uploads"), std::string::npos);  // nothing of the server's folders
  const auto person = "/api/v1/persons/" + std::to_string(result["persons"][0]["id"].get<std::int64_t>());
  EXPECT_GE(get_json(c, person)["series"].get<int>(), 3);
  // The same file under another name adds nothing.
  const auto again = wait_for_job(c, upload(c, "file=again.xml&person=uploaded", bytes, 202));
  ASSERT_EQ(again["state"], "done");
  EXPECT_TRUE(again["result"]["already_imported"].get<bool>());
  EXPECT_EQ(get_json(c, "/api/v1/persons").size(), 1u);
  // Where a FHIR bundle's skipped entries were is said by the file's name, not the server's folder.
  const auto fhir = wait_for_job(c, upload(c, "file=bundle.json", file_bytes("synthea/Alfreda_Wyman_3287b938-4670-47eb-91e5-e0ce3df71405.json"), 202));
  ASSERT_EQ(fhir["state"], "done");
  ASSERT_FALSE(fhir["result"]["issues"].empty());
  EXPECT_TRUE(fhir["result"]["issues"][0]["first_where"].get<std::string>().starts_with("bundle.json")) << fhir["result"]["issues"][0];
  EXPECT_EQ(fhir.dump().find("medtwin-uploads"), std::string::npos);
}

TEST(ServeImport, BadUploadsAreRefusedAndFailuresNameTheFileNotTheServersFolders) {
  ScratchDir dir;
  auto options = test_options((dir / "bad.db").string());
  options.max_upload_bytes = 4096;
  RunningServer server(options);
  auto c = server.client();
  EXPECT_NE(upload(c, "person=x", "abc", 400)["error"].get<std::string>().find("file"), std::string::npos);
  upload(c, "file=../etc/passwd", "abc", 400);
  upload(c, "file=export.xml&tz=Mars/Olympus", "abc", 400);
  EXPECT_NE(upload(c, "file=big.xml", std::string(5000, 'x'), 413)["error"].get<std::string>().find("larger"),
            std::string::npos);
  const auto failed = wait_for_job(c, upload(c, "file=notes.txt", "not health data", 202));
  EXPECT_EQ(failed["state"], "failed");
  const auto error = failed["error"].get<std::string>();
  EXPECT_NE(error.find("notes.txt"), std::string::npos) << error;
  EXPECT_EQ(error.find("medtwin-uploads"), std::string::npos) << error;
  const auto broken = wait_for_job(c, upload(c, "file=export.xml", "<HealthData><Record", 202));
  EXPECT_EQ(broken["state"], "failed");
  EXPECT_EQ(broken["error"].get<std::string>().find("medtwin-uploads"), std::string::npos);
  EXPECT_EQ(get_json(c, "/api/v1/persons").size(), 0u);  // nothing half-imported
  // Anything but an upload is refused before a large body is read: the answer comes without it.
  const auto answer = raw_request(server.port(), "POST /api/v1/persons/1/glucose/what-if HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                 "Content-Type: application/json\r\nContent-Length: 2097152\r\n\r\n");
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 413")) << answer;
}

TEST(ServeImport, OnlyACallerWhoSeesEveryoneMayImport) {
  ScratchDir dir;
  const auto database = (dir / "tokens.db").string();
  std::string person_token;
  {
    auto store = open_store(database);
    auto session = store->begin_import({"seed", "00", "test", "1", parse_instant("2024-01-01T00:00:00Z")});
    const auto ann = session->person("ann", PersonInfo{});
    session->commit();
    person_token = server::issue_token(*store, ann, "clinic");
  }
  RunningServer server(database, "a-long-server-token-for-tests");
  auto clinic = server.client(person_token);
  upload(clinic, "file=export.xml", file_bytes("apple-health/export.xml"), 403);
  auto anonymous = server.client();
  upload(anonymous, "file=export.xml", "abc", 401);
  auto admin = server.client("a-long-server-token-for-tests");
  const auto job = upload(admin, "file=export.xml&person=ann", file_bytes("apple-health/export.xml"), 202);
  // The one-person token cannot follow an import either.
  get_json(clinic, "/api/v1/jobs/" + std::to_string(job["id"].get<std::int64_t>()), 404);
  EXPECT_EQ(wait_for_job(admin, job)["state"], "done");
}

}  // namespace
}  // namespace medtwin::testing

// The ECG viewer's analysis through the HTTP API: MIT-BIH record 100 as
// stored, analysed by a job exactly as `medtwin ecg` analyses the file.
#include <gtest/gtest.h>
#include <httplib.h>

#include "serve_support.hpp"

namespace medtwin::testing {
namespace {

TEST(ServeEcg, AStoredRecordingIsAnalysedAsTheCommandAnalysesItsFile) {
  ApiDatabase db;
  RunningServer server(db.path());
  auto c = server.client();
  const auto record = person_path(c, "record-100");
  const auto signal = get_json(c, record + "/signals")[0]["id"].get<std::int64_t>();
  const auto path = record + "/signals/" + std::to_string(signal) + "/analysis";
  const auto started = c.Post(path.c_str(), "{}", "application/json");
  ASSERT_TRUE(started);
  ASSERT_EQ(started->status, 202) << started->body;
  const auto done = wait_for_job(c, json::parse(started->body));
  ASSERT_EQ(done["state"], "done") << done.dump();
  const auto& analysis = done["result"];
  expect_matches(analysis, json{{"$ref", "#/components/schemas/EcgAnalysis"}}, "analysis");
  const auto cli = run_medtwin("ecg " + sample("mitdb/100.hea") + " --json");
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  const auto expected = json::parse(cli.out);
  EXPECT_EQ(analysis["beats"], expected["beats"]);
  EXPECT_EQ(analysis["beat_classes"], expected["beat_classes"]);
  EXPECT_EQ(analysis["intervals"], expected["intervals"]);
  EXPECT_EQ(analysis["beat_list"]["sample"].size(), analysis["beats"].get<std::size_t>());
  EXPECT_EQ(analysis["beat_list"]["class"].size(), analysis["beats"].get<std::size_t>());
  EXPECT_EQ(analysis.dump().find("100.hea"), std::string::npos);  // the server names the signal, not a file
  const auto bad_lead = c.Post((path + "?lead=V9").c_str(), "{}", "application/json");
  ASSERT_TRUE(bad_lead);
  EXPECT_EQ(bad_lead->status, 400);
}

}  // namespace
}  // namespace medtwin::testing

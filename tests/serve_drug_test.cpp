// The heart drug test page's API: the drugs and the person's QTc, a drug test
// run as a job with the same figures as `medtwin drug-test --json` and the
// action potential of every dose, the person's heart calibrated to their
// stored QTc, and bad requests refused before any job starts.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>

#include "serve_support.hpp"

namespace medtwin::testing {
namespace {

// A person whose record holds a QTc (Bazett, LOINC 8636-3) and their sex.
void import_person_with_qtc(const std::filesystem::path& folder, const std::string& database) {
  const json qtc = {{"resourceType", "Observation"},
                    {"status", "final"},
                    {"subject", {{"reference", "Patient/p1"}}},
                    {"effectiveDateTime", "2024-05-02T09:00:00Z"},
                    {"code", {{"coding", {{{"system", "http://loinc.org"}, {"code", "8636-3"}}}}}},
                    {"valueQuantity", {{"value", 455}, {"unit", "ms"}, {"system", "http://unitsofmeasure.org"}, {"code", "ms"}}}};
  const json bundle = {
      {"resourceType", "Bundle"},
      {"type", "collection"},
      {"entry",
       {{{"resource", {{"resourceType", "Patient"}, {"id", "p1"}, {"gender", "female"}, {"birthDate", "1969-01-01"}}}},
        {{"resource", qtc}}}}};
  std::ofstream(folder / "bundle.json") << bundle.dump() << "\n";
  const auto r = run_medtwin("--db " + quoted(std::filesystem::path(database)) + " import " + quoted(folder / "bundle.json") + " --person ann");
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

class ServeDrug : public ::testing::Test {
 protected:
  ApiDatabase db_;
  RunningServer server_{db_.path()};
  httplib::Client client_ = server_.client();
  std::string person_ = person_path(client_, "apple-person");
};

TEST_F(ServeDrug, ListsTheTrainingDrugsAndThePersonsQtc) {
  const auto options = get_json(client_, person_ + "/drug-test");
  expect_matches(options, response_schema("/api/v1/persons/{person}/drug-test"), "options");
  ASSERT_EQ(options["drugs"].size(), 12u);
  bool dofetilide = false;
  for (const auto& d : options["drugs"])
    if (d["name"] == "dofetilide") dofetilide = d["cipa_risk"] == "high" && d["cmax_nm"].get<double>() > 0;
  EXPECT_TRUE(dofetilide);
  EXPECT_EQ(options["doses"], json({1, 2, 3, 4}));
  EXPECT_EQ(options["beats"], 1000);
  EXPECT_TRUE(options["heart"].is_null());  // no ECG analysed, no QTc
}

TEST_F(ServeDrug, AJobGivesTheCommandsFiguresAndEveryDosesActionPotential) {
  const auto job = post_json(client_, person_ + "/drug-test", {{"drug", "Dofetilide"}, {"doses", {1, 4}}, {"beats", 40}}, 202);
  expect_matches(job, response_schema("/api/v1/persons/{person}/drug-test", "post", "202"), "job");
  EXPECT_EQ(job["kind"], "drug-test");
  const auto done = wait_for_job(client_, job);
  ASSERT_EQ(done["state"], "done") << done.dump();
  auto result = done["result"];
  expect_matches(result, json{{"$ref", "#/components/schemas/DrugTest"}}, "drug test");
  for (const auto& dose : result["doses"]) {
    const auto& t = dose["trace"]["t_ms"];
    const auto& v = dose["trace"]["v_mv"];
    ASSERT_EQ(t.size(), v.size());
    ASSERT_GE(t.size(), 300u);
    EXPECT_LT(t.front().get<double>(), 5);
    EXPECT_GE(t.back().get<double>(), 1.3 * dose["apd90_ms"].get<double>());
    EXPECT_GT(*std::max_element(v.begin(), v.end()), 20);   // the upstroke overshoots
    EXPECT_LT(v.back().get<double>(), -80);                  // and the beat repolarises
  }
  // A higher dose of an IKr blocker lengthens the action potential.
  EXPECT_GT(result["doses"][1]["apd90_ms"].get<double>(), result["doses"][0]["apd90_ms"].get<double>() + 20);
  for (auto& dose : result["doses"]) dose.erase("trace");
  const auto cli = run_medtwin("drug-test dofetilide --json --beats 40 --doses 1,4 --cipa-data " + cipa_data());
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(result, json::parse(cli.out));
}

TEST_F(ServeDrug, BadRequestsAreRefusedBeforeAnyJobStarts) {
  const auto path = person_ + "/drug-test";
  const auto error = [&](const json& body, int status = 400) {
    return post_json(client_, path, body, status)["error"].get<std::string>();
  };
  EXPECT_NE(error({{"drug", "aspirin"}}).find("drug"), std::string::npos);
  EXPECT_NE(error({{"doses", {1}}}).find("drug"), std::string::npos);
  EXPECT_NE(error({{"drug", "sotalol"}, {"doses", json::array()}}).find("doses"), std::string::npos);
  EXPECT_NE(error({{"drug", "sotalol"}, {"doses", {1, -2}}}).find("doses"), std::string::npos);
  EXPECT_NE(error({{"drug", "sotalol"}, {"doses", {1, 2, 3, 4, 5, 6, 7}}}).find("doses"), std::string::npos);
  EXPECT_NE(error({{"drug", "sotalol"}, {"beats", 5}}).find("beats"), std::string::npos);
  EXPECT_NE(error({{"drug", "sotalol"}, {"beats", 100.5}}).find("beats"), std::string::npos);
  EXPECT_NE(error({{"drug", "sotalol"}, {"heart", "yes"}}).find("heart"), std::string::npos);
  // No stored QTc: the heart cannot be calibrated, said at once.
  EXPECT_NE(error({{"drug", "sotalol"}, {"heart", true}}, 409).find("QTc"), std::string::npos);
}

TEST(ServeDrugHeart, TheDrugsQtcChangeInThePersonsCalibratedHeart) {
  ScratchDir dir;
  const auto database = (dir / "heart.db").string();
  import_person_with_qtc(dir.path(), database);
  RunningServer server(database);
  auto c = server.client();
  const auto person = person_path(c, "ann");
  const auto heart = get_json(c, person + "/drug-test")["heart"];
  EXPECT_EQ(heart["qtc_ms"], 455);
  EXPECT_EQ(heart["sex"], "female");
  const auto job = post_json(c, person + "/drug-test", {{"drug", "sotalol"}, {"doses", {1}}, {"beats", 50}, {"heart", true}}, 202);
  const auto done = wait_for_job(c, job);
  ASSERT_EQ(done["state"], "done") << done.dump();
  const auto& result = done["result"]["heart"];
  EXPECT_EQ(result["measured_qtc_ms"], 455);
  EXPECT_NE(result["qtc_source"].get<std::string>().find("QTc Bazett of 2024-05-02"), std::string::npos);
  EXPECT_NE(result["phenotype"].get<std::string>().find("female"), std::string::npos);
  EXPECT_TRUE(result["target_reached"].get<bool>());
  EXPECT_GT(result["doses"][0]["delta_qtc_ms"].get<double>(), 0);  // sotalol blocks IKr
}

}  // namespace
}  // namespace medtwin::testing

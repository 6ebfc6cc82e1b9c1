#include "medtwin/io/cipa_tables.hpp"

#include <gtest/gtest.h>

#include "medtwin/io/testing.hpp"

namespace medtwin {
namespace {

constexpr std::size_t kIna = 0, kInal = 1, kIcal = 2, kIks = 4, kHerg = 6;  // kCipaCurrents positions

std::vector<CipaDrugRecord> shared(const std::string& name,
                                   std::vector<CipaDrugRecord> (*reader)(std::string_view, const std::string&)) {
  const auto path = shared_data("ecg/cipa/" + name);
  return reader(read_file(path), path.string());
}

const CipaDrugRecord& named(const std::vector<CipaDrugRecord>& records, std::string_view name) {
  const CipaDrugRecord* r = find_cipa_drug(records, name);
  if (!r) throw NotFound(std::string(name));
  return *r;
}

TEST(CipaTables, ReadsLi2017Ic50Table) {
  const auto drugs = shared("Li2017_IC50.csv", read_cipa_ic50_table);
  ASSERT_EQ(drugs.size(), 12u);
  const auto& dofetilide = named(drugs, "dofetilide");  // Li et al. 2017 Table 1 values as in the CSV
  ASSERT_TRUE(dofetilide.hill[kHerg]);
  EXPECT_DOUBLE_EQ(dofetilide.hill[kHerg]->ic50_nm, 4.87);
  EXPECT_DOUBLE_EQ(dofetilide.hill[kHerg]->hill, 0.93);
  EXPECT_DOUBLE_EQ(dofetilide.hill[kIcal]->ic50_nm, 260.32);
  EXPECT_FALSE(dofetilide.hill[kIks]);  // "NA"
  EXPECT_FALSE(dofetilide.cmax_nm);
  EXPECT_FALSE(named(drugs, "ranolazine").hill[kIcal]);
  EXPECT_FALSE(named(drugs, "Mexiletine").hill[kIna]);  // case ignored in look-ups
}

TEST(CipaTables, ReadsTrainingDrugsWithCmaxAndCategory) {
  const auto drugs = shared("CiPA_training_drugs.csv", read_cipa_training_drugs);
  ASSERT_EQ(drugs.size(), 12u);
  EXPECT_DOUBLE_EQ(*named(drugs, "quinidine").cmax_nm, 3237);
  EXPECT_EQ(*named(drugs, "quinidine").risk_category, 2);
  EXPECT_DOUBLE_EQ(*named(drugs, "cisapride").cmax_nm, 2.6);
  EXPECT_EQ(*named(drugs, "cisapride").risk_category, 1);
  EXPECT_EQ(*named(drugs, "verapamil").risk_category, 0);
}

TEST(CipaTables, ReadsHergBindingParameters) {
  const auto drugs = shared("hERG_dynamic_pars_optimal.csv", read_cipa_herg_binding);
  ASSERT_EQ(drugs.size(), 12u);
  const auto& b = *named(drugs, "dofetilide").herg_binding;
  EXPECT_DOUBLE_EQ(b.kmax, 35.1);
  EXPECT_DOUBLE_EQ(b.ku, 1.816e-05);
  EXPECT_DOUBLE_EQ(b.n, 1.08);
  EXPECT_DOUBLE_EQ(b.halfmax, 216.6);
  EXPECT_DOUBLE_EQ(b.vhalf, -1);
}

// The merged table must agree with the three tables it merges, drug by drug.
TEST(CipaTables, MergedTableAgreesWithItsSources) {
  const auto merged = shared("CiPA12_merged_table.csv", read_cipa_merged_table);
  const auto ic50 = shared("Li2017_IC50.csv", read_cipa_ic50_table);
  const auto training = shared("CiPA_training_drugs.csv", read_cipa_training_drugs);
  const auto binding = shared("hERG_dynamic_pars_optimal.csv", read_cipa_herg_binding);
  ASSERT_EQ(merged.size(), 12u);
  for (const auto& m : merged) {
    SCOPED_TRACE(m.name);
    const auto& i = named(ic50, m.name);
    for (std::size_t c = 0; c < kCipaCurrents.size(); ++c) {
      ASSERT_EQ(m.hill[c].has_value(), i.hill[c].has_value()) << kCipaCurrents[c];
      if (!m.hill[c]) continue;
      EXPECT_DOUBLE_EQ(m.hill[c]->ic50_nm, i.hill[c]->ic50_nm) << kCipaCurrents[c];
      EXPECT_DOUBLE_EQ(m.hill[c]->hill, i.hill[c]->hill) << kCipaCurrents[c];
    }
    EXPECT_DOUBLE_EQ(*m.cmax_nm, *named(training, m.name).cmax_nm);
    EXPECT_EQ(*m.risk_category, *named(training, m.name).risk_category);
    EXPECT_DOUBLE_EQ(m.herg_binding->kmax, named(binding, m.name).herg_binding->kmax);
    EXPECT_DOUBLE_EQ(m.herg_binding->vhalf, named(binding, m.name).herg_binding->vhalf);
  }
}

// IC50_optimal_all.csv has the IC50 layout: one optimal fit per drug, no samples.
TEST(CipaTables, OptimalIc50FileIsOneRowPerDrug) {
  const auto drugs = shared("IC50_optimal_all.csv", read_cipa_ic50_table);
  EXPECT_EQ(drugs.size(), 12u);
  EXPECT_DOUBLE_EQ(named(drugs, "quinidine").hill[kHerg]->ic50_nm, 986.3);
}

TEST(CipaTables, UserTableWithCmaxAndBinding) {
  const auto drugs = read_cipa_ic50_table(
      "drug,hERG_IC50,hERG_h,INaL_IC50,INaL_h,Cmax,hERG_Kmax,hERG_Ku,hERG_n,hERG_halfmax,hERG_Vhalf\n"
      "mine,120,1,NA,NA,15,10,0.001,1,40,-80\n"
      "other, 50 , 0.9 ,2000,1.2,,,,,,\n",
      "mine.csv");
  ASSERT_EQ(drugs.size(), 2u);
  EXPECT_DOUBLE_EQ(*drugs[0].cmax_nm, 15);
  EXPECT_FALSE(drugs[0].hill[kInal]);
  EXPECT_DOUBLE_EQ(drugs[0].herg_binding->halfmax, 40);
  EXPECT_DOUBLE_EQ(drugs[1].hill[kInal]->ic50_nm, 2000);
  EXPECT_FALSE(drugs[1].cmax_nm);
  EXPECT_FALSE(drugs[1].herg_binding);
}

TEST(CipaTables, SamplesNeedNoDrugColumn) {
  const auto samples = read_cipa_ic50_samples(
      "hERG_IC50,hERG_h,ICaL_IC50,ICaL_h\n906.8,0.83,5.3e9,1.2\n675.2,1.08,NA,NA\n", "IC50_samples.csv");
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[1].name, "sample 2");
  EXPECT_DOUBLE_EQ(samples[0].hill[kIcal]->ic50_nm, 5.3e9);
  EXPECT_FALSE(samples[1].hill[kIcal]);
}

TEST(CipaTables, BadInputIsAParseErrorWithFileLineAndColumn) {
  const auto error = [](std::string_view text) {
    return error_of<ParseError>([&] { read_cipa_ic50_table(text, "t.csv"); });
  };
  EXPECT_EQ(error("drug,hERG_IC50,hERG_h\nx,abc,1\n"), "t.csv:2:2: hERG_IC50 'abc' is not a number");
  EXPECT_EQ(error("drug,hERG_IC50,hERG_h\nx,1,1\ny,-5,1\n"), "t.csv:3:2: hERG_IC50 must be positive");
  EXPECT_EQ(error("drug,hERG_IC50,hERG_h\nx,1,0\n"), "t.csv:2:3: hERG_h must be positive");
  EXPECT_EQ(error("drug,hERG_IC50,hERG_h\nx,10,NA\n"), "t.csv:2: x: hERG_IC50 given without hERG_h");
  EXPECT_EQ(error("drug,hERG_IC50,hERG_h\nx,1,1\nX,2,1\n"), "t.csv:3: drug 'X' appears twice");
  EXPECT_EQ(error("drug,hERG_IC50,hERG_h\n,1,1\n"), "t.csv:2:1: empty drug name");
  EXPECT_EQ(error("drug,hERG_IC50,hERG_h\nx,1,1,7\n").substr(0, 8), "t.csv:2:");  // ragged row
  EXPECT_NE(error("name,hERG_IC50,hERG_h\nx,1,1\n").find("drug"), std::string::npos);
  EXPECT_NE(error("drug,foo\nx,1\n").find("no IC50 column"), std::string::npos);
  EXPECT_NE(error("").find("empty file"), std::string::npos);
  EXPECT_NE(error("drug,hERG_IC50,hERG_h\n").find("no data rows"), std::string::npos);
  EXPECT_EQ(error("drug,hERG_IC50,hERG_h,Cmax\nx,1,1,inf\n"), "t.csv:2:4: Cmax 'inf' is not a number");
  EXPECT_NE(error("drug,hERG_IC50,hERG_h,hERG_Kmax\nx,1,1,3\n").find("needs all of"), std::string::npos);
  EXPECT_EQ(error_of<ParseError>([] { read_cipa_training_drugs("drug,therapeutic,CiPA\nx,3,3\n", "c.csv"); }),
            "c.csv:2: x: CiPA must be 0 (low), 1 (intermediate) or 2 (high)");
  EXPECT_EQ(error_of<ParseError>([] { read_cipa_training_drugs("drug,therapeutic,CiPA\nx,NA,1\n", "c.csv"); }),
            "c.csv:2: x: no therapeutic (free Cmax, nM)");
}

}  // namespace
}  // namespace medtwin

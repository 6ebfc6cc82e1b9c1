#include "medtwin/cardio/ord_strand.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "medtwin/cardio/ord_phenotype.hpp"
#include "medtwin/core/error.hpp"

namespace medtwin::cardio {
namespace {

TEST(OrdPhenotype, FemaleFactorsFollowYangClancyPerCellType) {
  Phenotype female;
  female.sex = Sex::female;
  const OrdParams endo = with_phenotype(ord_cipa_params(CellType::endo), female);
  EXPECT_DOUBLE_EQ(endo.gkr_scale, 0.79);
  EXPECT_DOUBLE_EQ(endo.gks_scale, 0.83);
  EXPECT_DOUBLE_EQ(endo.gk1_scale, 0.86);
  EXPECT_DOUBLE_EQ(endo.ito_slow_scale, 0.64);
  EXPECT_DOUBLE_EQ(endo.gncx_scale, 1.15);
  const OrdParams epi = with_phenotype(ord_cipa_params(CellType::epi), female);
  EXPECT_NEAR(epi.gkr_scale, 0.875 / 1.09, 1e-12);  // female over male epicardial expression
  EXPECT_NEAR(epi.ito_slow_scale, 0.26 / 0.6, 1e-12);
  Phenotype male;
  male.sex = Sex::male;
  const OrdParams m = with_phenotype(ord_cipa_params(CellType::endo), male);
  EXPECT_EQ(m.gkr_scale, 1);
  EXPECT_EQ(m.gncx_scale, 1);
}

TEST(OrdPhenotype, LongQtGenotypesAndPotassium) {
  Phenotype p;
  p.long_qt = LongQtType::lqt2;
  p.long_qt_severity = default_long_qt_severity(p.long_qt);
  p.potassium_mm = 3.5;
  const OrdParams lqt2 = with_phenotype(ord_cipa_params(CellType::endo), p);
  EXPECT_DOUBLE_EQ(lqt2.gkr_scale, 0.5);
  EXPECT_DOUBLE_EQ(lqt2.ko, 3.5);
  p.long_qt = LongQtType::lqt1;
  EXPECT_DOUBLE_EQ(with_phenotype(ord_cipa_params(CellType::endo), p).gks_scale, 0.5);
  p.long_qt = LongQtType::lqt3;
  p.long_qt_severity = default_long_qt_severity(p.long_qt);
  EXPECT_DOUBLE_EQ(with_phenotype(ord_cipa_params(CellType::endo), p).gnal_scale, 3);
  EXPECT_EQ(parse_long_qt("lqt3"), LongQtType::lqt3);
  EXPECT_EQ(parse_long_qt("2"), LongQtType::lqt2);
  EXPECT_THROW(parse_long_qt("LQT7"), Error);
}

TEST(OrdPhenotype, OutOfRangeValuesAreErrors) {
  Phenotype p;
  p.potassium_mm = 0.5;
  EXPECT_THROW(with_phenotype(ord_cipa_params(CellType::endo), p), Error);
  p.potassium_mm = 5.4;
  p.long_qt = LongQtType::lqt1;
  p.long_qt_severity = 1;  // all IKs lost is not a heterozygous carrier, and 1 − s = 0 would hide it
  EXPECT_THROW(with_phenotype(ord_cipa_params(CellType::endo), p), Error);
  p.long_qt = LongQtType::lqt3;
  p.long_qt_severity = 0.5;  // LQT3 is a gain
  EXPECT_THROW(with_phenotype(ord_cipa_params(CellType::endo), p), Error);
}

TEST(OrdStrand, RegionsFollowTheGeometry) {
  const StrandGeometry g;
  EXPECT_EQ(g.cell_count(), 165);
  EXPECT_EQ(g.cell_type(59), CellType::endo);
  EXPECT_EQ(g.cell_type(60), CellType::mid);
  EXPECT_EQ(g.cell_type(104), CellType::mid);
  EXPECT_EQ(g.cell_type(105), CellType::epi);
}

TEST(OrdStrand, BadSetupIsAnError) {
  const StrandCells cells = strand_cells(ord_cipa_params(CellType::endo));
  StrandGeometry g;
  g.dx = 0;
  EXPECT_THROW(OrdStrand(cells, g, {}), Error);
  g = {};
  g.stimulated_cells = 0;
  EXPECT_THROW(OrdStrand(cells, g, {}), Error);
  StrandCells swapped = cells;
  std::swap(swapped[0], swapped[1]);
  EXPECT_THROW(OrdStrand(swapped, {}, {}), Error);
}

// Backward Euler diffusion on a sealed cable keeps the charge Σ V and solves
// (I − r·L)·V⁺ = V: checked by applying I − r·L to the result.
TEST(OrdStrand, CableDiffusionSolvesTheSealedSystem) {
  const std::vector<double> before{-85, 20, -40, 10, -85, -60};
  std::vector<double> v = before;
  const double r = 3.7;
  CableScratch scratch;
  diffuse_sealed_cable(v, r, scratch);
  double sum_before = 0, sum_after = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    sum_before += before[i], sum_after += v[i];
    const double left = i > 0 ? v[i - 1] - v[i] : 0, right = i + 1 < v.size() ? v[i + 1] - v[i] : 0;
    EXPECT_NEAR(v[i] - r * (left + right), before[i], 1e-9) << "row " << i;
  }
  EXPECT_NEAR(sum_after, sum_before, 1e-9);
  std::vector<double> one{1};
  EXPECT_THROW(diffuse_sealed_cable(one, r, scratch), Error);
  EXPECT_THROW(diffuse_sealed_cable(v, -1, scratch), Error);
}

// A short strand from rest: the wave crosses it and every cell repolarises.
TEST(OrdStrand, ShortStrandConductsAndRepolarises) {
  StrandGeometry g;
  g.endo_cells = g.mid_cells = g.epi_cells = 8;
  OrdStrand strand(strand_cells(ord_cipa_params(CellType::endo)), g, {1000, -80, 1});
  const StrandBeat b = strand.beat();
  ASSERT_EQ(b.activation.size(), 24u);
  for (std::size_t i = 1; i < b.activation.size(); ++i) EXPECT_GT(b.activation[i], b.activation[i - 1] - 1e-9);
  EXPECT_TRUE(b.activated);
  EXPECT_TRUE(b.repolarised);
  EXPECT_FALSE(b.ead);
  EXPECT_GT(b.conduction_velocity, 20);
  EXPECT_LT(b.conduction_velocity, 80);
  EXPECT_TRUE(std::isfinite(b.qt));
}

}  // namespace
}  // namespace medtwin::cardio

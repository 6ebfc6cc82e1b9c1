#include "medtwin/core/stats.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace medtwin {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

TEST(Stats, MedianAndQuantileMatchType7) {
  const std::vector<double> v{3, 1, nan, 4, 1, 5, 9, 2, 6};  // sorted finite: 1 1 2 3 4 5 6 9
  EXPECT_DOUBLE_EQ(*median(v), 3.5);
  EXPECT_DOUBLE_EQ(*quantile(v, 0.25), 1.75);  // R: quantile(c(1,1,2,3,4,5,6,9), .25) = 1.75
  EXPECT_DOUBLE_EQ(*quantile(v, 1.0), 9);
  EXPECT_THROW(quantile(v, 1.5), std::invalid_argument);
}

TEST(Stats, SelectionGivesTheRoundedRankWithoutInterpolation) {
  std::vector<double> v{3, 1, 4, 1, 5, 9, 2, 6};  // sorted: 1 1 2 3 4 5 6 9
  EXPECT_EQ(select_in_place(v, 0.5), 4);           // rank round(3.5) = 4: the upper median
  EXPECT_EQ(select_in_place(v, 0), 1);
  EXPECT_EQ(select_in_place(v, 1), 9);
  std::vector<double> odd{7, 3, 5};
  EXPECT_EQ(select_in_place(odd, 0.5), 5);
  EXPECT_THROW(select_in_place(std::span<double>{}, 0.5), std::invalid_argument);
}

TEST(Stats, MadOfKnownSample) {
  const std::vector<double> v{1, 1, 2, 2, 4, 6, 9};  // median 2; |dev| 1 1 0 0 2 4 7 -> median 1
  EXPECT_DOUBLE_EQ(*median_absolute_deviation(v), 1);
}

TEST(Stats, EmptyOrAllMissingGivesNothing) {
  const std::vector<double> v{nan, nan};
  EXPECT_FALSE(median(v));
  EXPECT_FALSE(mean(v));
  EXPECT_FALSE(standard_deviation(std::vector<double>{1.0}));
}

TEST(Stats, StandardDeviationUsesNMinusOne) {
  const std::vector<double> v{2, 4, 4, 4, 5, 5, 7, 9};
  EXPECT_NEAR(*standard_deviation(v), std::sqrt(32.0 / 7.0), 1e-12);
}

TEST(Stats, TheilSenIgnoresAnOutlier) {
  const std::vector<double> x{0, 1, 2, 3, 4, 5};
  const std::vector<double> y{1, 3, 5, 100, 9, 11};  // y = 2x + 1 with one wild point
  EXPECT_DOUBLE_EQ(*theil_sen_slope(x, y), 2);
  EXPECT_FALSE(theil_sen_slope(std::vector<double>{1.0}, std::vector<double>{2.0}));
}

TEST(Stats, PearsonCorrelationByHand) {
  // x = 1..4, y = 2, 4, 5, 4: Σdxdy = 3.5, Σdx² = 5, Σdy² = 4.75 → r = 3.5 / √23.75.
  const std::vector<double> x{1, 2, 3, 4, NAN}, y{2, 4, 5, 4, 7};
  EXPECT_NEAR(*pearson_correlation(x, y), 3.5 / std::sqrt(23.75), 1e-12);  // the NaN pair is skipped
  EXPECT_NEAR(*pearson_correlation(x, x), 1, 1e-12);
  EXPECT_FALSE(pearson_correlation(std::vector<double>{1, 1, 1}, std::vector<double>{1, 2, 3}));  // constant side
  EXPECT_THROW(pearson_correlation(std::vector<double>{1, 2}, std::vector<double>{1}), std::invalid_argument);
}

// Lin 1989: a shift off the identity line lowers agreement, not correlation.
TEST(Stats, ConcordanceCorrelationByHand) {
  const std::vector<double> a{1, 2, 3}, shifted{2, 3, 4}, reversed{3, 2, 1};
  EXPECT_NEAR(*concordance_correlation(a, a), 1, 1e-12);
  EXPECT_NEAR(*concordance_correlation(a, shifted), 4.0 / 7, 1e-12);
  EXPECT_NEAR(*pearson_correlation(a, shifted), 1, 1e-12);
  EXPECT_NEAR(*concordance_correlation(a, reversed), -1, 1e-12);
  EXPECT_FALSE(concordance_correlation(std::vector<double>{2, 2}, std::vector<double>{2, 2}));
}

}  // namespace
}  // namespace medtwin

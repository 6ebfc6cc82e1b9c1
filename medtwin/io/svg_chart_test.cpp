#include "medtwin/io/svg_chart.hpp"

#include <gtest/gtest.h>

#include "medtwin/core/error.hpp"

namespace medtwin::io {
namespace {

TEST(SvgChart, DrawsEverySeriesWithItsTextAlternative) {
  LineChart chart{"Front <speed>", "day", "radius (mm)", "The front moves at 0.28 mm/day.", false, false,
                  {{"model", {0, 1, 2}, {1, 2, 3}, false, true}, {"2√(Dρ) & more", {0, 2}, {1, 3}, true, false}}};
  const auto svg = svg_chart(chart);
  EXPECT_NE(svg.find("<title>Front &lt;speed&gt;</title>"), std::string::npos);
  EXPECT_NE(svg.find("<desc>The front moves at 0.28 mm/day.</desc>"), std::string::npos);
  EXPECT_NE(svg.find("2√(Dρ) &amp; more"), std::string::npos);
  EXPECT_EQ(std::count(svg.begin(), svg.end(), '\n') > 3, true);
  EXPECT_NE(svg.find("stroke-dasharray"), std::string::npos);
  EXPECT_NE(svg.find("<circle"), std::string::npos);
}

TEST(SvgChart, LogAxesTickEveryDecade) {
  LineChart chart{"order", "h", "error", "", true, true, {{"error", {0.01, 0.1, 1}, {1e-6, 1e-4, 1e-2}, false, true}}};
  const auto svg = svg_chart(chart);
  for (const char* tick : {">0.01<", ">0.1<", ">1<", ">1e-06<", ">0.0001<", ">0.01<"}) EXPECT_NE(svg.find(tick), std::string::npos) << tick;
}

TEST(SvgChart, ShortLogAxesAndExtremeValuesStillGetTicks) {
  const auto short_axis = svg_chart({"t", "", "", "", true, false, {{"a", {0.125, 4}, {1, 2}, false, false}}});
  for (const char* tick : {">0.2<", ">0.5<", ">1<", ">2<"}) EXPECT_NE(short_axis.find(tick), std::string::npos) << tick;
  const auto huge = svg_chart({"t", "", "", "", false, false, {{"a", {1e17, 1e17 + 256}, {1e300, 1e300}, false, false}}});
  for (const char* nan : {"\"nan", "\"-nan", "nan,", ",nan", ",-nan"}) EXPECT_EQ(huge.find(nan), std::string::npos) << nan;
  EXPECT_THROW(svg_chart({"t", "", "", "", false, false, {{"a", {-1e308, 1e308}, {1, 2}, false, false}}}), Error);
}

TEST(SvgChart, RefusesWhatItCannotDraw) {
  EXPECT_THROW(svg_chart({"empty", "", "", "", false, false, {}}), Error);
  EXPECT_THROW(svg_chart({"lengths", "", "", "", false, false, {{"a", {1, 2}, {1}, false, false}}}), Error);
  EXPECT_THROW(svg_chart({"log", "", "", "", false, true, {{"a", {1, 2}, {0, 1}, false, false}}}), Error);
}

}  // namespace
}  // namespace medtwin::io

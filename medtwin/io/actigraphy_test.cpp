#include "medtwin/io/actigraphy.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <numeric>
#include <sstream>

#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/testing.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;

CollectingSink import_file(const Importer& importer, const std::string& name, const ImportOptions& options) {
  fs::path path = shared_data("wearables/actigraphy/" + name);
  CollectingSink sink;
  EXPECT_TRUE(importer.accepts(path, read_head(path), options)) << name;
  importer.read(path, options, sink);
  return sink;
}

double sum(const std::vector<float>& values) { return std::accumulate(values.begin(), values.end(), 0.0); }

TEST(ActiwatchAwd, PyActigraphyTestSample) {
  auto sink = import_file(*make_awd_importer(), "pyActigraphy_test_sample.AWD", with_tz("UTC"));
  ASSERT_EQ(sink.signals.size(), 1u);
  const Signal& signal = sink.signals[0];
  EXPECT_EQ(signal.kind, "actigraphy");
  EXPECT_EQ(signal.sample_count(), 11718);  // as pyActigraphy's tests assert
  EXPECT_DOUBLE_EQ(signal.sample_rate_hz, 1.0 / 60);  // epoch code 4: one minute
  EXPECT_EQ(format_instant(signal.start), "2018-01-01T08:30:00.000Z");
  ASSERT_EQ(signal.channels.size(), 1u);  // V (Actiwatch-4): activity only
  EXPECT_EQ(signal.channels[0].label, "activity");
  EXPECT_EQ(signal.channels[0].unit, "{count}");
  EXPECT_EQ(signal.source, "Actiwatch-4");
  EXPECT_DOUBLE_EQ(sum(signal.samples[0]), 1741455);
  EXPECT_TRUE(signal.annotations.empty());
  ASSERT_EQ(sink.persons.size(), 1u);
  EXPECT_EQ(sink.persons[0].source_id, "TEST_SAMPLE");
  EXPECT_EQ(sink.persons[0].sex, Sex::female);
}

TEST(ActiwatchAwd, StartIsLocalTime) {
  auto sink = import_file(*make_awd_importer(), "pyActigraphy_test_sample.AWD", with_tz("Europe/Brussels"));
  ASSERT_EQ(sink.signals.size(), 1u);
  EXPECT_EQ(format_instant(sink.signals[0].start), "2018-01-01T07:30:00.000Z");
}

TEST(ActiwatchAwd, ExampleWithMarkers) {
  auto sink = import_file(*make_awd_importer(), "pyActigraphy_example_01.AWD", with_tz("UTC"));
  ASSERT_EQ(sink.signals.size(), 1u);
  const Signal& signal = sink.signals[0];
  EXPECT_EQ(signal.sample_count(), 18401);
  EXPECT_EQ(format_instant(signal.start), "1918-01-23T13:58:00.000Z");
  EXPECT_DOUBLE_EQ(sum(signal.samples[0]), 2596555);
  ASSERT_EQ(signal.annotations.size(), 22u);
  EXPECT_EQ(signal.annotations[0].sample, 1190);
  EXPECT_EQ(signal.annotations[0].code, "M");
  EXPECT_EQ(sink.persons[0].sex, Sex::unknown);  // "X"
}

TEST(ActiwatchAwd, GgirFileWithLightAndCrLf) {
  auto sink = import_file(*make_awd_importer(), "GGIR_Actiwatch.AWD", with_tz("Europe/Amsterdam"));
  ASSERT_EQ(sink.signals.size(), 1u);
  const Signal& signal = sink.signals[0];
  // 336 lines, the last without a line break, minus 7 header lines. (The shared
  // MANIFEST says 328 epochs; GGIR's own test finds 329 rows, as do we.)
  EXPECT_EQ(signal.sample_count(), 329);
  EXPECT_EQ(format_instant(signal.start), "2009-10-01T15:00:00.000Z");  // 17:00 CEST
  ASSERT_EQ(signal.channels.size(), 2u);  // D (Actiwatch-7) records light: "498 , 0,00 M"
  EXPECT_EQ(signal.channels[1].label, "light");
  EXPECT_EQ(signal.channels[1].unit, "lx");
  EXPECT_EQ(signal.samples[0][1], 498);
  EXPECT_EQ(signal.samples[0][2], 394);
  EXPECT_EQ(signal.samples[0].back(), 41);
  EXPECT_DOUBLE_EQ(sum(signal.samples[0]), 108864);
  EXPECT_DOUBLE_EQ(sum(signal.samples[1]), 0);
  ASSERT_EQ(signal.annotations.size(), 2u);
  EXPECT_EQ(signal.annotations[0].sample, 1);
  EXPECT_EQ(signal.annotations[1].sample, 311);
  EXPECT_EQ(sink.persons[0].source_id, "0123456701102009");
  EXPECT_EQ(sink.persons[0].sex, Sex::male);
}

std::string awd_error(const std::string& text, const ImportOptions& options = with_tz("UTC")) {
  std::istringstream in(text);
  CollectingSink sink;
  return error_of<ParseError>([&] { read_awd(in, "x.AWD", options, sink); });
}

TEST(ActiwatchAwd, BadInput) {
  const std::string header = "S1\n01-Jan-2018\n08:30\n4\n0\nV1\nF\n";
  EXPECT_EQ(awd_error(header + "1\n2 M\n"), "");
  EXPECT_NE(awd_error("").find("empty"), std::string::npos);
  EXPECT_NE(awd_error("S1\n01-Jan-2018\n").find("x.AWD:2:"), std::string::npos);
  EXPECT_NE(awd_error(header).find("no epochs"), std::string::npos);
  EXPECT_NE(awd_error(header + "1\nlots\n").find("x.AWD:9:"), std::string::npos);
  EXPECT_NE(awd_error(header + "1e39\n").find("x.AWD:8:"), std::string::npos);  // beyond float
  EXPECT_NE(awd_error("S1\n01-Jan-2018\n08:30\n5\n0\nV1\nF\n1\n").find("x.AWD:4:"), std::string::npos);
  EXPECT_NE(awd_error("S1\nJan 1 2018\n08:30\n4\n0\nV1\nF\n1\n").find("x.AWD:2:"), std::string::npos);
  EXPECT_NE(awd_error(header + "1\n", ImportOptions{}).find("--tz"), std::string::npos);
}

TEST(MotionWatchMtn, PyActigraphyTestSample) {
  auto sink = import_file(*make_mtn_importer(), "pyActigraphy_test_sample.mtn", with_tz("Europe/London"));
  ASSERT_EQ(sink.signals.size(), 1u);
  const Signal& signal = sink.signals[0];
  EXPECT_EQ(signal.kind, "actigraphy");
  EXPECT_EQ(signal.sample_count(), 5978);
  EXPECT_DOUBLE_EQ(signal.sample_rate_hz, 0.2);  // <epoch>5</epoch>: 5 s
  EXPECT_EQ(format_instant(signal.start), "2018-05-23T16:30:00.000Z");  // 17:30 BST
  ASSERT_EQ(signal.channels.size(), 2u);
  EXPECT_EQ(signal.channels[0].label, "activity");
  EXPECT_EQ(signal.channels[1].label, "light");
  EXPECT_EQ(signal.channels[1].unit, "lx");
  EXPECT_DOUBLE_EQ(sum(signal.samples[0]), 109065);
  EXPECT_NEAR(sum(signal.samples[1]), 921185.428, 0.5);
  EXPECT_FLOAT_EQ(signal.samples[1].back(), 105.045f);
  EXPECT_EQ(signal.source, "MW8");
  ASSERT_EQ(sink.persons.size(), 1u);
  EXPECT_EQ(sink.persons[0].source_id, "TEST_SAMPLE");
  EXPECT_EQ(sink.persons[0].sex, Sex::male);
  ASSERT_TRUE(sink.persons[0].birth_date);
  EXPECT_EQ(*sink.persons[0].birth_date, std::chrono::year{1980} / 1 / 1);
}

std::string mtn_error(const std::string& text) {
  std::istringstream in(text);
  CollectingSink sink;
  return error_of<ParseError>([&] { read_mtn(in, "x.mtn", with_tz("UTC"), sink); });
}

std::string mtn(const std::string& start, const std::string& data, const std::string& epoch = "60") {
  return "<?xml version=\"1.0\"?><motionfile><log2><change><property><name>=StartTime</name><content>" + start +
         "</content></property></change>\n<change><channel><name>motion</name><units>Counts</units><epoch>" + epoch +
         "</epoch><offset>0</offset><data encoding=\"text\">" + data + "</data></channel></change></log2></motionfile>";
}

TEST(MotionWatchMtn, BadInput) {
  EXPECT_EQ(mtn_error(mtn("2020-01-01 00:00:00", "1,2,3,")), "");
  EXPECT_NE(mtn_error("").find("x.mtn:"), std::string::npos);
  EXPECT_NE(mtn_error("<motionfile><log2>").find("x.mtn:"), std::string::npos);
  EXPECT_NE(mtn_error(mtn("2020-01-01 00:00:00", "1,two,3")).find("x.mtn:2:"), std::string::npos);
  EXPECT_NE(mtn_error(mtn("yesterday", "1")).find("StartTime"), std::string::npos);
  EXPECT_NE(mtn_error(mtn("2020-01-01 00:00:00", "1", "0")).find("epoch"), std::string::npos);
  EXPECT_NE(mtn_error("<motionfile></motionfile>").find("motion"), std::string::npos);
  std::string bomb = "<!DOCTYPE m [<!ENTITY a \"aaaa\">]><motionfile>&a;</motionfile>";
  EXPECT_NE(mtn_error(bomb).find("entity"), std::string::npos);
}

}  // namespace
}  // namespace medtwin

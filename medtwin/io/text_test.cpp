#include "medtwin/io/text.hpp"

#include <gtest/gtest.h>

namespace medtwin {
namespace {

TEST(Text, TrimRemovesSurroundingAsciiWhiteSpace) {
  EXPECT_EQ(trim("  a b\t"), "a b");
  EXPECT_EQ(trim("\r\n x \v\f"), "x");
  EXPECT_EQ(trim(" \t "), "");
  EXPECT_EQ(trim("\xC2\xA0x"), "\xC2\xA0x");  // a no-break space is not ASCII white space
}

TEST(Text, CaseOfAsciiLettersOnly) {
  EXPECT_EQ(to_lower("MotionWatch.MTN"), "motionwatch.mtn");
  EXPECT_EQ(to_upper("ecg \xC2\xB5V"), "ECG \xC2\xB5V");
  EXPECT_TRUE(equals_ignoring_case("p.m.", "P.M."));
  EXPECT_FALSE(equals_ignoring_case("PM", "PMT"));
}

TEST(Text, HasExtensionIgnoresCase) {
  EXPECT_TRUE(has_extension("records/100.HEA", ".hea"));
  EXPECT_TRUE(has_extension("export.zip", ".zip"));
  EXPECT_TRUE(has_extension("a.tar.gz", ".tar.gz"));
  EXPECT_FALSE(has_extension("100.hea.txt", ".hea"));
  EXPECT_FALSE(has_extension(".hea", ".hea"));
  EXPECT_FALSE(has_extension("records.hea/100", ".hea"));
}

TEST(ToNumber, ParsesDecimalsOnly) {
  EXPECT_EQ(to_number(" 12.5 "), 12.5);
  EXPECT_EQ(to_number("+3"), 3);
  EXPECT_EQ(to_number("-1e3"), -1000);
  EXPECT_FALSE(to_number(""));
  EXPECT_FALSE(to_number("+-1"));
  EXPECT_FALSE(to_number("12a"));
  EXPECT_FALSE(to_number("nan"));
  EXPECT_FALSE(to_number("inf"));
  EXPECT_FALSE(to_number("1e999"));  // out of range
  EXPECT_FALSE(to_number("1,5"));    // C locale only
}

}  // namespace
}  // namespace medtwin

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>

#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/csv.hpp"
#include "medtwin/io/matlab_v4.hpp"
#include "medtwin/io/testing.hpp"
#include "medtwin/io/wfdb_annotation.hpp"
#include "medtwin/io/wfdb_header.hpp"
#include "medtwin/io/wfdb_importer.hpp"
#include "medtwin/io/wfdb_signal.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;

fs::path mitdb(const std::string& file) { return shared_data("ecg/mitdb/" + file); }

// Format 212 by hand: byte 0 low 8 bits of sample 0, byte 1 high nibbles (sample 0 low, sample 1 high), byte 2 low 8 bits of sample 1.
std::pair<int, int> decode_212(std::string_view bytes) {
  auto b = [&](int i) { return int(static_cast<unsigned char>(bytes[std::size_t(i)])); };
  int a = b(0) | (b(1) & 0x0f) << 8, c = b(2) | (b(1) & 0xf0) << 4;
  return {a >= 2048 ? a - 4096 : a, c >= 2048 ? c - 4096 : c};
}

// ---------------------------------------------------------------- header

TEST(WfdbHeader, ReadsMitBih100) {
  WfdbHeader h = read_wfdb_header(mitdb("100.hea"));
  EXPECT_EQ(h.record, "100");
  EXPECT_EQ(h.frequency, 360);
  ASSERT_TRUE(h.samples);
  EXPECT_EQ(*h.samples, 650000);
  EXPECT_FALSE(h.base_time);
  EXPECT_FALSE(h.base_date);
  ASSERT_EQ(h.signals.size(), 2u);
  EXPECT_EQ(h.signals[0].file, "100.dat");
  EXPECT_EQ(h.signals[0].format, 212);
  EXPECT_EQ(h.signals[0].gain, 200);
  EXPECT_EQ(h.signals[0].adc_resolution, 11);
  EXPECT_EQ(h.signals[0].adc_zero, 1024);
  EXPECT_EQ(h.signals[0].baseline, 1024);  // absent → ADC zero
  EXPECT_EQ(h.signals[0].units, "mV");     // absent → mV
  EXPECT_EQ(h.signals[0].initial_value, 995);
  EXPECT_EQ(h.signals[0].checksum, -22131);
  EXPECT_EQ(h.signals[0].description, "MLII");
  EXPECT_EQ(h.signals[1].checksum, 20052);
  EXPECT_EQ(h.signals[1].description, "V5");
  EXPECT_EQ(h.comments, (std::vector<std::string>{"69 M 1085 1629 x1", "Aldomet, Inderal"}));
}

TEST(WfdbHeader, ReadsTheTestVariantWithLeadingCommentBlankLineAndMixedLineEnds) {
  WfdbHeader plain = read_wfdb_header(mitdb("100.hea"));
  WfdbHeader variant = read_wfdb_header(mitdb("100-wfdbpython-testvariant.hea.txt"));
  EXPECT_EQ(variant.record, "100");
  EXPECT_EQ(variant.frequency, plain.frequency);
  EXPECT_EQ(variant.samples, plain.samples);
  ASSERT_EQ(variant.signals.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(variant.signals[i].file, plain.signals[i].file);
    EXPECT_EQ(variant.signals[i].format, plain.signals[i].format);
    EXPECT_EQ(variant.signals[i].baseline, plain.signals[i].baseline);
    EXPECT_EQ(variant.signals[i].checksum, plain.signals[i].checksum);
    EXPECT_EQ(variant.signals[i].description, plain.signals[i].description);  // no stray '\r'
  }
  EXPECT_EQ(variant.signals[1].line, 5);  // the blank line 4 is counted
  EXPECT_EQ(variant.comments.front(), "unnecessary comment");
}

TEST(WfdbHeader, ReadsEveryFieldOfTheGrammar) {
  WfdbHeader h = parse_wfdb_header(
      "rec 2 250/1000(0) 100 10:20:30.5 15/06/2020\n"
      "rec.dat 16x2:1+512 100(5)/uV 12 3 7 -9 0 ECG lead II  \n"
      "rec.dat 16\n",
      "rec.hea");
  EXPECT_EQ(h.frequency, 250);
  EXPECT_EQ(h.counter_frequency, 1000);
  EXPECT_EQ(h.base_time, std::chrono::milliseconds(37230500));
  EXPECT_EQ(h.base_date, std::chrono::year{2020} / 6 / 15);
  const auto& s = h.signals[0];
  EXPECT_EQ(s.samples_per_frame, 2);
  EXPECT_EQ(s.skew, 1);
  EXPECT_EQ(s.byte_offset, 512);
  EXPECT_EQ(s.gain, 100);
  EXPECT_EQ(s.baseline, 5);
  EXPECT_EQ(s.units, "uV");
  EXPECT_EQ(s.adc_zero, 3);
  EXPECT_EQ(s.initial_value, 7);
  EXPECT_EQ(s.checksum, -9);
  EXPECT_EQ(s.description, "ECG lead II");
  EXPECT_EQ(h.signals[1].gain, 200);  // absent → WFDB's default
  EXPECT_EQ(h.signals[1].description, "signal 1");
}

TEST(WfdbHeader, ReadsTheCinc2017DateOrder) {
  WfdbHeader h = read_wfdb_header(shared_data("ecg/cinc2017/records/A00002.hea"));
  EXPECT_EQ(h.base_date, std::chrono::year{2014} / 5 / 16);
  EXPECT_EQ(h.base_time, std::chrono::hours(11) + std::chrono::minutes(5) + std::chrono::seconds(25));
  ASSERT_EQ(h.signals.size(), 1u);
  EXPECT_EQ(h.signals[0].file, "A00002.mat");
  EXPECT_EQ(h.signals[0].byte_offset, 24);
  EXPECT_EQ(h.signals[0].gain, 1000);
  EXPECT_EQ(h.signals[0].description, "ECG");
}

TEST(WfdbHeader, ErrorsNameFileLineAndField) {
  EXPECT_NE(error_of([] { parse_wfdb_header("r 1 360\nr.dat 999 200\n", "r.hea"); }).find("r.hea:2:7: format: 999"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_wfdb_header("r/3 2 360\n", "r.hea"); }).find("multi-segment"), std::string::npos);
  EXPECT_NE(error_of([] { parse_wfdb_header("r 2 360\nr.dat 212\n", "r.hea"); }).find("announces 2 signals"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_wfdb_header("r 1 360\nr.dat 16 x200\n", "r.hea"); }).find("r.hea:2:10: gain"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_wfdb_header("# only a comment\n", "r.hea"); }).find("no WFDB record line"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_wfdb_header("r 1 360 10 25:00:00\n", "r.hea"); }).find("base time"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_wfdb_header("r 1 -5\n", "r.hea"); }).find("sampling frequency"), std::string::npos);
}

TEST(WfdbHeader, LooksLikeHeaderOnlyForRecordLines) {
  EXPECT_TRUE(looks_like_wfdb_header("# comment\n\n100 2 360 650000\n100.dat 2"));
  EXPECT_FALSE(looks_like_wfdb_header("<?xml version=\"1.0\"?>\n"));
  EXPECT_FALSE(looks_like_wfdb_header("name,value\n"));
}

// ---------------------------------------------------------------- annotations

std::string word(int type, int value) {
  unsigned w = unsigned(type) << 10 | unsigned(value);
  return {char(w & 0xff), char(w >> 8)};
}

TEST(WfdbAnnotations, DecodesMitBih100) {
  WfdbAnnotations a = parse_wfdb_annotations(read_file(mitdb("100.atr")), "100.atr");
  EXPECT_TRUE(a.terminated);
  EXPECT_FALSE(a.frequency);
  ASSERT_EQ(a.annotations.size(), 2274u);  // the MIT-BIH directory's count for 100
  static const std::set<std::string> beats = {"N", "L", "R", "B", "A", "a", "J", "S", "V", "r",
                                              "F", "e", "j", "n", "E", "/", "f", "Q", "?"};
  std::map<std::string, int> counts;
  for (const auto& x : a.annotations) ++counts[x.code];
  int beat_count = 0;
  for (const auto& [code, n] : counts) beat_count += beats.count(code) ? n : 0;
  EXPECT_EQ(beat_count, 2273);
  EXPECT_EQ(counts["N"], 2239);
  EXPECT_EQ(counts["A"], 33);
  EXPECT_EQ(counts["V"], 1);
  EXPECT_EQ(counts["+"], 1);
  EXPECT_EQ(a.annotations[0].code, "+");
  EXPECT_EQ(a.annotations[0].sample, 18);
  EXPECT_EQ(a.annotations[0].text, "(N");
  EXPECT_EQ(a.annotations[0].channel, 0);
  EXPECT_EQ(a.annotations[1].code, "N");
  EXPECT_EQ(a.annotations[1].sample, 77);
}

// The rhythm-change annotations of 201 and 203 are the episodes rhythm_episodes.csv lists.
TEST(WfdbAnnotations, RhythmAuxStringsMatchTheEpisodeTable) {
  std::string csv_bytes = read_file(mitdb("rhythm_episodes.csv"));
  CsvReader csv(csv_bytes, "rhythm_episodes.csv");
  CsvRow row;
  ASSERT_TRUE(csv.next(row));
  std::map<std::string, std::vector<std::pair<std::int64_t, std::string>>> episodes;
  while (csv.next(row)) episodes[row.fields[0]].emplace_back(std::stoll(row.fields[1]), row.fields[3]);
  for (std::string record : {"201", "203"}) {
    WfdbAnnotations a = parse_wfdb_annotations(read_file(mitdb(record + ".atr")), record + ".atr");
    std::vector<std::pair<std::int64_t, std::string>> changes;
    for (const auto& x : a.annotations)
      if (x.code == "+") changes.emplace_back(x.sample, x.text);
    EXPECT_EQ(changes, episodes[record]) << record;
    EXPECT_GT(changes.size(), 30u) << record;
  }
  EXPECT_EQ(episodes["201"].front(), (std::pair<std::int64_t, std::string>{60, "(AFIB"}));
}

TEST(WfdbAnnotations, SkipChannelSubtypeNumberAndAux) {
  std::string bytes = word(1, 5) + word(62, 1) +             // N at 5 on channel 1
                      word(59, 0) + std::string("\x01\x00\xa0\x86", 4) +  // skip 0x000186a0 = 100000
                      word(5, 3) + word(61, 2) + word(60, 7) +  // V at 100008, channel carried over
                      word(28, 1) + word(63, 5) + std::string("(AFIB\0", 6) + word(0, 0) + word(1, 1);
  WfdbAnnotations a = parse_wfdb_annotations(bytes, "x.atr");
  ASSERT_EQ(a.annotations.size(), 3u);  // nothing after the end word
  EXPECT_EQ(a.annotations[0].sample, 5);
  EXPECT_EQ(a.annotations[0].channel, 1);
  EXPECT_EQ(a.annotations[1].sample, 100008);
  EXPECT_EQ(a.annotations[1].code, "V");
  EXPECT_EQ(a.annotations[1].channel, 1);
  EXPECT_EQ(a.annotations[2].code, "+");
  EXPECT_EQ(a.annotations[2].sample, 100009);
  EXPECT_EQ(a.annotations[2].text, "(AFIB");
  EXPECT_TRUE(a.terminated);
  EXPECT_EQ(wfdb_annotation_mnemonic(42), "[42]");
  EXPECT_EQ(wfdb_annotation_mnemonic(41), "r");
}

TEST(WfdbAnnotations, TimeResolutionNoteSetsTheClock) {
  std::string note = "## time resolution: 1000";
  std::string bytes = word(22, 0) + word(63, int(note.size())) + note + word(1, 500) + word(0, 0);
  WfdbAnnotations a = parse_wfdb_annotations(bytes, "x.atr");
  EXPECT_EQ(a.frequency, 1000.0);
  ASSERT_EQ(a.annotations.size(), 1u);
  EXPECT_EQ(a.annotations[0].sample, 500);
}

TEST(WfdbAnnotations, TruncatedFilesAreClearErrors) {
  std::string mid_aux = word(28, 18) + word(63, 6) + "(A";
  EXPECT_NE(error_of([&] { parse_wfdb_annotations(mid_aux, "x.atr"); }).find("x.atr: byte 4: file ends inside an AUX"),
            std::string::npos);
  EXPECT_NE(error_of([&] { parse_wfdb_annotations(word(59, 0) + "\x01", "x.atr"); }).find("SKIP"), std::string::npos);
  EXPECT_NE(error_of([&] { parse_wfdb_annotations(word(1, 1) + "\x01", "x.atr"); }).find("annotation word"),
            std::string::npos);
  WfdbAnnotations open = parse_wfdb_annotations(word(1, 1), "x.atr");
  EXPECT_FALSE(open.terminated);
}

// ---------------------------------------------------------------- records

TEST(WfdbRecord, ImportsMitBih100) {
  CollectingSink sink;
  auto importer = make_wfdb_importer();
  importer->read(mitdb("100.hea"), {}, sink);
  ASSERT_EQ(sink.signals.size(), 1u);
  const Signal& s = sink.signals[0];
  EXPECT_EQ(s.kind, "ECG");
  EXPECT_EQ(s.sample_rate_hz, 360);
  EXPECT_EQ(s.source, "100");
  EXPECT_EQ(s.start, Instant{});
  EXPECT_TRUE(has_issue(sink, ImportIssue::Kind::note, "no start time"));
  EXPECT_FALSE(has_issue(sink, ImportIssue::Kind::note, "checksum"));  // both checksums hold
  ASSERT_EQ(s.channels.size(), 2u);
  EXPECT_EQ(s.channels[0].label, "MLII");
  EXPECT_EQ(s.channels[1].label, "V5");
  EXPECT_EQ(s.channels[0].unit, "mV");
  EXPECT_EQ(s.sample_count(), 650000);
  // The first frame decoded by hand from the first 3 bytes of 100.dat: (adu − 1024) / 200.
  auto [mlii, v5] = decode_212(read_file(mitdb("100.dat")).substr(0, 3));
  EXPECT_EQ(mlii, 995);
  EXPECT_EQ(v5, 1011);
  EXPECT_FLOAT_EQ(s.samples[0][0], float((mlii - 1024) / 200.0));
  EXPECT_FLOAT_EQ(s.samples[1][0], float((v5 - 1024) / 200.0));
  EXPECT_FLOAT_EQ(s.samples[0][0], -0.145f);
  EXPECT_FLOAT_EQ(s.samples[1][0], -0.065f);
  ASSERT_EQ(s.annotations.size(), 2274u);
  EXPECT_EQ(s.annotations[0].text, "(N");
  EXPECT_EQ(s.annotations[0].channel, 0);
}

TEST(WfdbRecord, TheTestVariantHeaderReadsTheSameRecord) {
  CollectingSink plain, variant;
  read_wfdb_record(mitdb("100.hea"), {}, plain);
  read_wfdb_record(mitdb("100-wfdbpython-testvariant.hea.txt"), {}, variant);
  ASSERT_EQ(variant.signals.size(), 1u);
  const Signal& s = variant.signals[0];
  EXPECT_EQ(s.sample_count(), 650000);
  EXPECT_FLOAT_EQ(s.samples[0][0], -0.145f);
  EXPECT_FLOAT_EQ(s.samples[1][0], -0.065f);
  EXPECT_EQ(s.samples, plain.signals[0].samples);
  EXPECT_EQ(s.annotations.size(), 2274u);  // 100.atr, found by the record name
}

TEST(WfdbRecord, InputsAreHeaderSignalFileAndAnnotations) {
  auto importer = make_wfdb_importer();
  fs::path header = mitdb("100.hea");
  EXPECT_TRUE(importer->accepts(header, read_file(header), {}));
  EXPECT_FALSE(importer->accepts(mitdb("rhythm_episodes.csv"), "record,start_sample", {}));
  auto inputs = importer->inputs(header);
  ASSERT_EQ(inputs.size(), 3u);
  EXPECT_EQ(inputs[1].filename(), "100.dat");
  EXPECT_EQ(inputs[2].filename(), "100.atr");
}

TEST(WfdbRecord, TruncatedSignalFileNamesTheFile) {
  TempDir dir;
  fs::copy_file(mitdb("100.hea"), dir.path() / "100.hea");
  write_file(dir.path() / "100.dat", read_file(mitdb("100.dat")).substr(0, 3000));
  CollectingSink sink;
  std::string error = error_of([&] { read_wfdb_record(dir.path() / "100.hea", {}, sink); });
  EXPECT_NE(error.find("100.dat: truncated"), std::string::npos) << error;
  EXPECT_NE(error.find("650000 samples"), std::string::npos) << error;
}

TEST(WfdbRecord, MissingSignalFileAndEscapingNamesAreErrors) {
  TempDir dir;
  write_file(dir.path() / "r.hea", "r 1 100 4\nr.dat 16\n");
  CollectingSink sink;
  EXPECT_NE(error_of([&] { read_wfdb_record(dir.path() / "r.hea", {}, sink); }).find("cannot open"),
            std::string::npos);
  write_file(dir.path() / "s.hea", "s 1 100 4\n../etc/passwd 16\n");
  EXPECT_NE(error_of([&] { read_wfdb_record(dir.path() / "s.hea", {}, sink); }).find("not a file beside"),
            std::string::npos);
  write_file(dir.path() / "t.hea", "t 1 100 4\nt.dat 8\n");
  write_file(dir.path() / "t.dat", "abcd");
  EXPECT_NE(error_of([&] { read_wfdb_record(dir.path() / "t.hea", {}, sink); }).find("format 8 is not supported"),
            std::string::npos);
}

// Encoders written from signal(5), independent of the reader.
std::string le16(int v) { return {char(v & 0xff), char((v >> 8) & 0xff)}; }

std::string encode(int format, const std::vector<int>& v) {
  std::string out;
  switch (format) {
    case 16:
      for (int x : v) out += le16(x);
      break;
    case 61:
      for (int x : v) out += {char((x >> 8) & 0xff), char(x & 0xff)};
      break;
    case 80:
      for (int x : v) out += char(x + 128);
      break;
    case 160:
      for (int x : v) out += le16(x + 32768);
      break;
    case 24:
      for (int x : v) out += {char(x & 0xff), char((x >> 8) & 0xff), char((x >> 16) & 0xff)};
      break;
    case 32:
      for (int x : v) out += le16(x) + le16(x >> 16);
      break;
    case 310:
      for (std::size_t i = 0; i < v.size(); i += 3) {
        int a = v[i] & 0x3ff, b = v[i + 1] & 0x3ff, c = v[i + 2] & 0x3ff;
        out += le16(a << 1 | (c & 0x1f) << 11) + le16(b << 1 | (c >> 5) << 11);
      }
      break;
    case 311:
      for (std::size_t i = 0; i < v.size(); i += 3) {
        unsigned w = unsigned(v[i] & 0x3ff) | unsigned(v[i + 1] & 0x3ff) << 10 | unsigned(v[i + 2] & 0x3ff) << 20;
        out += le16(int(w & 0xffff)) + le16(int(w >> 16));
      }
      break;
    case 212:
      for (std::size_t i = 0; i < v.size(); i += 2) {
        int a = v[i] & 0xfff, b = v[i + 1] & 0xfff;
        out += {char(a & 0xff), char((a >> 8) | (b >> 8) << 4), char(b & 0xff)};
      }
      break;
  }
  return out;
}

TEST(WfdbRecord, DecodesEverySupportedFormat) {
  // Two signals interleaved; the last frame holds each format's invalid-sample marker in signal 0.
  struct Case {
    int format;
    std::vector<int> frames;  // signal 0, signal 1, signal 0, …
    int invalid;
  };
  std::vector<Case> cases = {
      {16, {0, 1, -1, 32767, -300, 12}, -32768},   {61, {0, 1, -1, 32767, -300, 12}, -32768},
      {160, {0, 1, -1, 32767, -300, 12}, -32768},  {80, {0, 1, -1, 127, -100, 12}, -128},
      {24, {0, 1, -1, 8388607, -300000, 12}, -8388608}, {32, {0, 1, -1, 2147483647, -300000, 12}, INT32_MIN},
      {212, {0, 1, -1, 2047, -300, 12}, -2048},    {310, {0, 1, -1, 511, -300, 12}, -512},
      {311, {0, 1, -1, 511, -300, 12}, -512},
  };
  for (const auto& c : cases) {
    TempDir dir;
    std::vector<int> values = c.frames;
    values.insert(values.end(), {c.invalid, 7});
    // 310/311 pack threes: pad with a frame the header does not count.
    while (values.size() % 6) values.push_back(0);
    write_file(dir.path() / "r.dat", encode(c.format, values));
    write_file(dir.path() / "r.hea", fmt::format("r 2 100 4\nr.dat {0} 10(2)/mV 16 0 0 0 0 V1\nr.dat {0} 10 16 0\n",
                                                  c.format));
    CollectingSink sink;
    read_wfdb_record(dir.path() / "r.hea", {}, sink);
    ASSERT_EQ(sink.signals.size(), 1u) << c.format;
    const Signal& s = sink.signals[0];
    ASSERT_EQ(s.sample_count(), 4) << c.format;
    for (std::size_t f = 0; f < 3; ++f) {
      EXPECT_FLOAT_EQ(s.samples[0][f], float((c.frames[2 * f] - 2) / 10.0)) << c.format << " frame " << f;
      EXPECT_FLOAT_EQ(s.samples[1][f], float(c.frames[2 * f + 1] / 10.0)) << c.format << " frame " << f;
    }
    EXPECT_TRUE(std::isnan(s.samples[0][3])) << c.format;
    EXPECT_FLOAT_EQ(s.samples[1][3], 0.7f) << c.format;
    EXPECT_EQ(s.channels[1].label, "signal 1");
    EXPECT_EQ(s.kind, "biosignal");  // "signal 1" is no ECG lead
  }
}

TEST(WfdbRecord, RatesOfWholeMultiplesBecomeSeparateSignals) {
  TempDir dir;
  // Frame = 2 samples of signal 0, 1 of signal 1; 3 frames; no sample count: from the file size.
  write_file(dir.path() / "r.dat", encode(16, {1, 2, 10, 3, 4, 20, 5, 6, 30}));
  write_file(dir.path() / "r.hea", "r 2 50\nr.dat 16x2 1 16 0 0 0 0 PLETH\nr.dat 16 1 16 0 0 0 0 II\n");
  std::string ann = word(1, 1) + word(1, 50) + word(0, 0);  // beats at frames 1 and 51 (past the end)
  write_file(dir.path() / "r.atr", ann);
  CollectingSink sink;
  read_wfdb_record(dir.path() / "r.hea", {}, sink);
  ASSERT_EQ(sink.signals.size(), 2u);
  EXPECT_EQ(sink.signals[0].sample_rate_hz, 100);
  EXPECT_EQ(sink.signals[0].kind, "PPG");
  EXPECT_EQ(sink.signals[0].samples[0], (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(sink.signals[1].sample_rate_hz, 50);
  EXPECT_EQ(sink.signals[1].kind, "ECG");
  EXPECT_EQ(sink.signals[1].samples[0], (std::vector<float>{10, 20, 30}));
  // Annotations count frames and land on the faster Signal, at its sample index.
  ASSERT_EQ(sink.signals[0].annotations.size(), 1u);
  EXPECT_EQ(sink.signals[0].annotations[0].sample, 2);
  EXPECT_TRUE(sink.signals[1].annotations.empty());
  EXPECT_TRUE(has_issue(sink, ImportIssue::Kind::skipped_record, "1 annotations lie outside the signal"));
}

TEST(WfdbRecord, ChecksumMismatchIsANoteNotAnError) {
  TempDir dir;
  write_file(dir.path() / "r.dat", encode(16, {1, 2, 3}));
  write_file(dir.path() / "r.hea", "r 1 100 3\nr.dat 16 200 16 0 1 7 0 ECG\n");  // the sum is 6
  CollectingSink sink;
  read_wfdb_record(dir.path() / "r.hea", {}, sink);
  EXPECT_EQ(sink.signals.size(), 1u);
  EXPECT_TRUE(has_issue(sink, ImportIssue::Kind::note, "checksum does not match"));
}

TEST(WfdbRecord, StartIsLocalClockTimeInTheGivenZone) {
  TempDir dir;
  write_file(dir.path() / "r.dat", encode(16, {1, 2}));
  write_file(dir.path() / "r.hea", "r 1 100 2 08:30:00 01/07/2020\nr.dat 16 200 16 0 1 3 0 ECG\n");
  CollectingSink zoned, unzoned;
  read_wfdb_record(dir.path() / "r.hea", with_tz("Europe/Amsterdam"), zoned);
  EXPECT_EQ(format_instant(zoned.signals[0].start), "2020-07-01T06:30:00.000Z");
  // A base date without --tz: an error that asks for it, and no Signal.
  std::string no_zone = error_of<ParseError>([&] { read_wfdb_record(dir.path() / "r.hea", {}, unzoned); });
  EXPECT_NE(no_zone.find("r.hea"), std::string::npos) << no_zone;
  EXPECT_NE(no_zone.find("--tz"), std::string::npos) << no_zone;
  EXPECT_TRUE(unzoned.signals.empty());
}

// ---------------------------------------------------------------- CinC 2017 (.mat)

TEST(MatlabV4, ReadsTheCincHeader) {
  std::string bytes = read_file(shared_data("ecg/cinc2017/records/A00002.mat"));
  MatlabV4Matrix m = parse_matlab_v4_header(bytes, "A00002.mat");
  EXPECT_EQ(m.element, MatlabV4Matrix::Element::int16);
  EXPECT_FALSE(m.big_endian);
  EXPECT_EQ(m.rows, 1u);
  EXPECT_EQ(m.columns, 9000u);
  EXPECT_EQ(m.name, "val");
  EXPECT_EQ(m.data_offset, 24u);
  EXPECT_EQ(m.data_offset + m.data_bytes, bytes.size());
  EXPECT_NE(error_of([] { parse_matlab_v4_header(std::string(20, '\xff'), "x.mat"); }).find("x.mat"),
            std::string::npos);
}

TEST(WfdbRecord, ImportsCinc2017MatRecords) {
  struct Expect {
    std::string record;
    std::int64_t samples;
    std::string start;
  };
  for (const auto& e : {Expect{"A00002", 9000, "2014-05-16T11:05:25.000Z"},
                        Expect{"A00008", 18000, "2013-11-24T06:11:36.000Z"}}) {
    fs::path mat = shared_data("ecg/cinc2017/records/" + e.record + ".mat");
    std::string bytes = read_file(mat);
    CollectingSink sink;
    auto importer = make_wfdb_importer();
    // The headers give a base date and time: local clock time, here read as UTC.
    importer->read(shared_data("ecg/cinc2017/records/" + e.record + ".hea"), with_tz("UTC"), sink);
    ASSERT_EQ(sink.signals.size(), 1u);
    const Signal& s = sink.signals[0];
    EXPECT_EQ(s.kind, "ECG");
    EXPECT_EQ(s.sample_rate_hz, 300);
    EXPECT_EQ(format_instant(s.start), e.start);
    EXPECT_EQ(s.sample_count(), e.samples);
    EXPECT_EQ(s.channels[0].label, "ECG");
    EXPECT_EQ(s.channels[0].unit, "mV");
    // int16 little-endian after the 24-byte v4 header, over a gain of 1000 adu/mV.
    auto adu = [&](std::size_t i) { return std::int16_t(std::uint16_t(std::uint8_t(bytes[24 + 2 * i]) |
                                                                      std::uint8_t(bytes[25 + 2 * i]) << 8)); };
    for (std::size_t i : {std::size_t(0), std::size_t(1), std::size_t(e.samples - 1)}) {
      EXPECT_FLOAT_EQ(s.samples[0][i], float(adu(i) / 1000.0)) << e.record << " sample " << i;
    }
    EXPECT_FALSE(has_issue(sink, ImportIssue::Kind::note, "checksum")) << e.record;  // 0 = not computed
    EXPECT_EQ(importer->inputs(shared_data("ecg/cinc2017/records/" + e.record + ".hea")).size(), 2u);
  }
  // The first sample of A00002 is the header's initial value, 128 adu.
  CollectingSink sink;
  read_wfdb_record(shared_data("ecg/cinc2017/records/A00002.hea"), with_tz("UTC"), sink);
  EXPECT_FLOAT_EQ(sink.signals[0].samples[0][0], 0.128f);
}

TEST(WfdbRecord, MatFileThatDisagreesWithTheHeaderIsAnError) {
  TempDir dir;
  fs::copy_file(shared_data("ecg/cinc2017/records/A00002.mat"), dir.path() / "A00002.mat");
  write_file(dir.path() / "A00002.hea", "A00002 1 300 9000\nA00002.mat 212+24 1000/mV 16 0 128 0 0 ECG\n");
  CollectingSink sink;
  EXPECT_NE(error_of([&] { read_wfdb_record(dir.path() / "A00002.hea", {}, sink); }).find("holds int16"),
            std::string::npos);
}

}  // namespace
}  // namespace medtwin

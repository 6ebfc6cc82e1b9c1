#include <biosig.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>

#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/biosig_importer.hpp"
#include "medtwin/io/testing.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;

// ---- An EDF / EDF+ / BDF writer from the EDF specification (Kemp et al.
// 1992; EDF+: Kemp & Olivan 2003; BDF: BioSemi's 24-bit variant): a 256-byte
// header, 256 bytes per signal, then data records of little-endian samples.

struct TestChannel {
  std::string label;
  std::string unit;
  double physical_min, physical_max;
  int digital_min, digital_max;
  int samples_per_record;
  std::vector<int> digital;  // all records, in order

  double physical(std::size_t i) const {
    return physical_min + (digital[i] - digital_min) * (physical_max - physical_min) / (digital_max - digital_min);
  }
};

struct TestAnnotation {
  double onset_s;
  double duration_s;  // 0: none
  std::string text;
};

enum class Flavour { edf, edf_plus, bdf };

std::string field(const std::string& text, std::size_t width) {
  EXPECT_LE(text.size(), width) << text;
  return text + std::string(width - std::min(width, text.size()), ' ');
}

std::string make_edf(Flavour flavour, const std::vector<TestChannel>& channels, int records,
                     const std::vector<TestAnnotation>& annotations = {}, int annotation_spr = 30) {
  bool plus = flavour == Flavour::edf_plus;
  std::size_t ns = channels.size() + (plus ? 1 : 0);
  std::string h = flavour == Flavour::bdf ? std::string("\xFF" "BIOSEMI") : field("0", 8);
  h += field("X X X X", 80) + field(plus ? "Startdate 16-MAY-2014 X X X" : "test", 80);
  h += field("16.05.14", 8) + field("11.05.25", 8) + field(std::to_string(256 * (ns + 1)), 8);
  h += field(plus ? "EDF+C" : flavour == Flavour::bdf ? "24BIT" : "", 44);
  h += field(std::to_string(records), 8) + field("1", 8) + field(std::to_string(ns), 4);
  auto each = [&](auto get, std::size_t width, const std::string& for_annotations) {
    for (const auto& c : channels) h += field(get(c), width);
    if (plus) h += field(for_annotations, width);
  };
  int dmin = flavour == Flavour::bdf ? -8388608 : -32768, dmax = flavour == Flavour::bdf ? 8388607 : 32767;
  each([](const TestChannel& c) { return c.label; }, 16, "EDF Annotations");
  each([](const TestChannel&) { return std::string(); }, 80, "");
  each([](const TestChannel& c) { return c.unit; }, 8, "");
  each([](const TestChannel& c) { return fmt::format("{}", c.physical_min); }, 8, "-1");
  each([](const TestChannel& c) { return fmt::format("{}", c.physical_max); }, 8, "1");
  each([](const TestChannel& c) { return std::to_string(c.digital_min); }, 8, std::to_string(dmin));
  each([](const TestChannel& c) { return std::to_string(c.digital_max); }, 8, std::to_string(dmax));
  each([](const TestChannel&) { return std::string(); }, 80, "");
  each([](const TestChannel& c) { return std::to_string(c.samples_per_record); }, 8, std::to_string(annotation_spr));
  each([](const TestChannel&) { return std::string(); }, 32, "");
  EXPECT_EQ(h.size(), 256 * (ns + 1));
  int bytes = flavour == Flavour::bdf ? 3 : 2;
  for (int r = 0; r < records; ++r) {
    for (const auto& c : channels) {
      for (int i = 0; i < c.samples_per_record; ++i) {
        int v = c.digital[std::size_t(r * c.samples_per_record + i)];
        for (int b = 0; b < bytes; ++b) h += char((v >> (8 * b)) & 0xff);
      }
    }
    if (plus) {  // time-stamped annotation lists: the record's onset first, then those starting in it
      std::string tal = fmt::format("+{}\x14\x14", r) + '\0';
      for (const auto& a : annotations) {
        if (int(a.onset_s) != r) continue;
        tal += fmt::format("+{:g}", a.onset_s);
        if (a.duration_s > 0) tal += fmt::format("\x15{:g}", a.duration_s);
        tal += "\x14" + a.text + "\x14" + '\0';
      }
      EXPECT_LE(tal.size(), std::size_t(annotation_spr * bytes));
      h += tal + std::string(std::size_t(annotation_spr * bytes) - tal.size(), '\0');
    }
  }
  return h;
}

TestChannel ecg_lead_i() {
  TestChannel c{"ECG I", "uV", -3276.8, 3276.7, -32768, 32767, 4, {}};
  for (int i = -10; i < 10; ++i) c.digital.push_back(i * 7);
  c.digital.insert(c.digital.end(), {1000, -1000, 32767, -32768});
  return c;
}

TestChannel eeg_fpz_cz() {
  TestChannel c{"EEG Fpz-Cz", "uV", -100, 100, -2048, 2047, 2, {}};
  for (int i = 0; i < 12; ++i) c.digital.push_back(i * 37 - 200);
  return c;
}

// The headers' start times are local clock time: these tests read them in UTC.
CollectingSink import(const fs::path& path, ImportOptions options = with_tz("UTC")) {
  CollectingSink sink;
  make_biosig_importer()->read(path, options, sink);
  return sink;
}

void expect_channel(const Signal& s, std::size_t c, const TestChannel& written, int records) {
  ASSERT_EQ(s.samples[c].size(), std::size_t(written.samples_per_record * records)) << written.label;
  for (std::size_t i = 0; i < s.samples[c].size(); ++i) {
    double expected = written.physical(i);
    EXPECT_NEAR(s.samples[c][i], expected, 1e-6 * std::max(1.0, std::abs(expected))) << written.label << " " << i;
  }
}

TEST(BiosigImporter, ChannelsOfTwoRatesBecomeTwoSignalsWithTheValuesWritten) {
  TempDir dir;
  auto ecg = ecg_lead_i();
  auto eeg = eeg_fpz_cz();
  write_file(dir / "night.edf", make_edf(Flavour::edf, {ecg, eeg}, 6));
  CollectingSink sink = import(dir / "night.edf");
  ASSERT_EQ(sink.signals.size(), 2u);
  const Signal& fast = sink.signals[0];
  EXPECT_EQ(fast.kind, "ECG");
  EXPECT_EQ(fast.sample_rate_hz, 4);
  EXPECT_EQ(fast.source, "night");
  ASSERT_EQ(fast.channels.size(), 1u);
  EXPECT_EQ(fast.channels[0].label, "ECG I");
  EXPECT_EQ(fast.channels[0].unit, "uV");
  expect_channel(fast, 0, ecg, 6);
  EXPECT_FLOAT_EQ(fast.samples[0][0], -7.0f);  // -70 × 0.1 µV
  const Signal& slow = sink.signals[1];
  EXPECT_EQ(slow.kind, "EEG");
  EXPECT_EQ(slow.sample_rate_hz, 2);
  expect_channel(slow, 0, eeg, 6);
  // The header's 16.05.14 11.05.25 is local clock time, read in --tz; without one, an error asks for it.
  EXPECT_EQ(format_instant(fast.start), "2014-05-16T11:05:25.000Z");
  EXPECT_EQ(slow.start, fast.start);
  std::string no_zone = error_of<ParseError>([&] { import(dir / "night.edf", {}); });
  EXPECT_NE(no_zone.find("night.edf"), std::string::npos) << no_zone;
  EXPECT_NE(no_zone.find("--tz"), std::string::npos) << no_zone;
  EXPECT_EQ(format_instant(import(dir / "night.edf", with_tz("Europe/Amsterdam")).signals[0].start),
            "2014-05-16T09:05:25.000Z");
}

TEST(BiosigImporter, ChannelsOfOneRateShareASignalAndKeepTheirExtremes) {
  TempDir dir;
  auto lead_i = ecg_lead_i();
  auto lead_ii = ecg_lead_i();
  lead_ii.label = "ECG II";
  lead_ii.unit = "mV";
  std::reverse(lead_ii.digital.begin(), lead_ii.digital.end());
  write_file(dir / "ecg.edf", make_edf(Flavour::edf, {lead_i, lead_ii}, 6));
  CollectingSink sink = import(dir / "ecg.edf");
  ASSERT_EQ(sink.signals.size(), 1u);
  const Signal& s = sink.signals[0];
  ASSERT_EQ(s.channels.size(), 2u);
  EXPECT_EQ(s.channels[1].label, "ECG II");
  EXPECT_EQ(s.channels[1].unit, "mV");
  expect_channel(s, 0, lead_i, 6);
  expect_channel(s, 1, lead_ii, 6);
  EXPECT_FLOAT_EQ(s.samples[0][22], 3276.7f);   // digital maximum
  EXPECT_FLOAT_EQ(s.samples[0][23], -3276.8f);  // digital minimum
  EXPECT_FLOAT_EQ(s.samples[1][0], -3276.8f);
}

TEST(BiosigImporter, EdfPlusAnnotationsBecomeSignalAnnotations) {
  TempDir dir;
  auto ecg = ecg_lead_i();
  write_file(dir / "plus.edf", make_edf(Flavour::edf_plus, {ecg, eeg_fpz_cz()}, 6,
                                         {{0.5, 0, "Lights off"}, {1.25, 2, "Apnea"}, {2.75, 0, "Arousal"}}));
  CollectingSink sink = import(dir / "plus.edf");
  ASSERT_EQ(sink.signals.size(), 2u);
  const Signal& s = sink.signals[0];
  ASSERT_EQ(s.channels.size(), 1u);  // "EDF Annotations" is no signal
  expect_channel(s, 0, ecg, 6);
  ASSERT_EQ(s.annotations.size(), 3u);
  EXPECT_EQ(s.annotations[0].code, "Lights off");
  EXPECT_EQ(s.annotations[0].sample, 2);  // 0.5 s at 4 Hz
  EXPECT_EQ(s.annotations[0].channel, -1);
  EXPECT_EQ(s.annotations[0].text, "");
  EXPECT_EQ(s.annotations[1].code, "Apnea");
  EXPECT_EQ(s.annotations[1].sample, 5);
  EXPECT_EQ(s.annotations[1].text, "duration 2 s");
  EXPECT_EQ(s.annotations[2].sample, 11);
  EXPECT_TRUE(sink.signals[1].annotations.empty());  // once, on the fastest Signal
}

TEST(BiosigImporter, ReadsBdf24BitSamples) {
  TempDir dir;
  TestChannel c{"EMG chin", "uV", -8388608, 8388607, -8388608, 8388607, 4, {}};
  c.digital = {0, 1, -1, 8388607, -8388608, 123456, -654321, 42};
  write_file(dir / "emg.bdf", make_edf(Flavour::bdf, {c}, 2));
  CollectingSink sink = import(dir / "emg.bdf");
  ASSERT_EQ(sink.signals.size(), 1u);
  EXPECT_EQ(sink.signals[0].kind, "EMG");
  expect_channel(sink.signals[0], 0, c, 2);
  EXPECT_FLOAT_EQ(sink.signals[0].samples[0][3], 8388607.0f);
  EXPECT_FLOAT_EQ(sink.signals[0].samples[0][6], -654321.0f);
}

// GDF written with BioSig's own writer: BioSig reads it, our importer maps it.
TEST(BiosigImporter, ReadsGdfWithEvents) {
  TempDir dir;
  std::string path = (dir / "eeg.gdf").string();
  HDRTYPE* h = constructHDR(2, 1);
  h->TYPE = GDF;
  h->VERSION = 2.22f;
  h->SampleRate = 4;
  h->SPR = 4;
  h->NRec = 2;
  std::tm t{};
  t.tm_year = 2014 - 1900, t.tm_mon = 4, t.tm_mday = 16, t.tm_hour = 11, t.tm_min = 5, t.tm_sec = 25;
  h->T0 = tm_time2gdf_time(&t);
  for (int k = 0; k < 2; ++k) {
    CHANNEL_TYPE* c = h->CHANNEL + k;
    std::strcpy(c->Label, k ? "EEG Cz" : "EEG Fz");
    c->OnOff = 1, c->SPR = 4, c->GDFTYP = 3, c->PhysDimCode = PhysDimCode("uV");
    c->PhysMin = -100, c->PhysMax = 100, c->DigMin = -1000, c->DigMax = 1000, c->Cal = 0.1, c->Off = 0;
  }
  h->EVENT.N = 1, h->EVENT.SampleRate = 4, h->EVENT.TYP[0] = 0x0300, h->EVENT.POS[0] = 3;
  if (h->EVENT.DUR) h->EVENT.DUR[0] = 0;
  if (h->EVENT.CHN) h->EVENT.CHN[0] = 2;
  h = sopen(path.c_str(), "w", h);
  ASSERT_EQ(biosig_check_error(h), 0);
  std::vector<double> data(16);  // column-major: channel 0's 8 samples, then channel 1's
  for (int i = 0; i < 8; ++i) data[std::size_t(i)] = i * 1.5, data[std::size_t(8 + i)] = -i * 2.0;
  ASSERT_EQ(swrite(data.data(), 2, h), 2u);
  sclose(h);
  destructHDR(h);

  CollectingSink sink = import(path);
  ASSERT_EQ(sink.signals.size(), 1u);
  const Signal& s = sink.signals[0];
  EXPECT_EQ(s.kind, "EEG");
  EXPECT_EQ(s.sample_rate_hz, 4);
  ASSERT_EQ(s.channels.size(), 2u);
  EXPECT_EQ(s.channels[1].label, "EEG Cz");
  EXPECT_EQ(s.channels[1].unit, "uV");
  ASSERT_EQ(s.sample_count(), 8);
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_NEAR(s.samples[0][i], i * 1.5, 1e-4);
    EXPECT_NEAR(s.samples[1][i], -double(i) * 2.0, 1e-4);
  }
  EXPECT_EQ(format_instant(s.start), "2014-05-16T11:05:25.000Z");
  ASSERT_EQ(s.annotations.size(), 1u);
  EXPECT_EQ(s.annotations[0].sample, 3);
  EXPECT_EQ(s.annotations[0].channel, 1);  // CHN 2 = the second channel
  EXPECT_FALSE(s.annotations[0].code.empty());
}

TEST(BiosigImporter, UnitsAreMappedToUcumOrKeptAndReported) {
  TempDir dir;
  auto a = eeg_fpz_cz();
  a.unit = "\xB5V";  // µ in Latin-1
  auto b = eeg_fpz_cz();
  b.label = "Resp belt";
  b.unit = "furlong";
  write_file(dir / "units.edf", make_edf(Flavour::edf, {a, b}, 6));
  CollectingSink sink = import(dir / "units.edf");
  ASSERT_EQ(sink.signals.size(), 1u);
  EXPECT_EQ(sink.signals[0].channels[0].unit, "uV");
  EXPECT_EQ(sink.signals[0].channels[1].unit, "furlong");
  EXPECT_EQ(sink.signals[0].kind, "biosignal");
  EXPECT_TRUE(has_issue(sink, ImportIssue::Kind::unknown_unit, "furlong"));
}

TEST(BiosigImporter, TruncatedAndBrokenFilesAreClearErrors) {
  TempDir dir;
  std::string edf = make_edf(Flavour::edf, {ecg_lead_i(), eeg_fpz_cz()}, 6);
  write_file(dir / "cut.edf", edf.substr(0, edf.size() - 10));
  std::string error = error_of([&] { import(dir / "cut.edf"); });
  EXPECT_NE(error.find("cut.edf: truncated"), std::string::npos) << error;
  write_file(dir / "header.edf", edf.substr(0, 600));
  error = error_of([&] { import(dir / "header.edf"); });
  EXPECT_NE(error.find("header.edf: not a readable EDF/BDF/GDF file (BioSig: "), std::string::npos) << error;
  write_file(dir / "tiny.edf", "0       garbage");
  error = error_of([&] { import(dir / "tiny.edf"); });
  EXPECT_NE(error.find("tiny.edf: not a readable"), std::string::npos) << error;
}

// Shapes that crash BioSig 2.5 or make it read out of bounds (found by
// fuzz/biosig_fuzz.cpp) are refused before BioSig sees them.
TEST(BiosigImporter, HeadersBioSigWouldMisreadAreRefused) {
  TempDir dir;
  auto error_for = [&](const std::string& bytes) {
    write_file(dir / "bad.edf", bytes);
    return error_of<ParseError>([&] { import(dir / "bad.edf"); });
  };
  const std::string edf = make_edf(Flavour::edf, {ecg_lead_i()}, 6);
  const std::string plus = make_edf(Flavour::edf_plus, {ecg_lead_i()}, 6, {{0.5, 0, "Lights off"}});
  auto patched = [](std::string bytes, std::size_t at, const std::string& text) {
    return bytes.replace(at, text.size(), text);
  };

  EXPECT_NE(error_for(patched(edf, 20, std::string(1, '\0'))).find("bad.edf: header byte 20 is a control character"),
            std::string::npos);
  EXPECT_NE(error_for(patched(edf, 184, "999     ")).find("header length"), std::string::npos);
  EXPECT_NE(error_for(patched(edf, 236, "MV22    ")).find("number of data records"), std::string::npos);
  EXPECT_NE(error_for(patched(edf, 236, "-1      ")).find("bad.edf: the number of data records is unknown (-1)"),
            std::string::npos);
  EXPECT_NE(error_for(patched(edf, 256 + 216, "        ")).find("signal 0: the samples per data record"),
            std::string::npos);
  std::string two = make_edf(Flavour::edf, {ecg_lead_i(), eeg_fpz_cz()}, 6);
  EXPECT_NE(error_for(patched(two, 256 + 216 * 2, "99999989" "99999971")).find("no common multiple below 2^32"),
            std::string::npos);
  EXPECT_NE(error_for(patched(edf, 100, "ALPHA-TRACE-MEDICAL")).find("ALPHA-TRACE-MEDICAL"), std::string::npos);
  EXPECT_NE(error_for(patched(plus, 8, "John Smith" + std::string(70, ' '))).find("EDF+ patient field"),
            std::string::npos);
  EXPECT_NE(error_for(patched(plus, 88, "Startdate 16-MAY X X X")).find("EDF+ recording field"), std::string::npos);
  // EDF+ annotations end in a NUL byte in every data record: 2 signals, 4 + 30 samples of 2 bytes.
  std::size_t record_0_end = 256 * 3 + (4 + 30) * 2;
  EXPECT_NE(error_for(patched(plus, record_0_end - 1, "A")).find("data record 1: the annotation signal does not end"),
            std::string::npos);

  // GDF 2: fixed header, one channel header (4 samples per record), one block of "header 3".
  std::string gdf = "GDF 2.22" + std::string(768 - 8, '\0');
  gdf[184] = 3, gdf[236] = 1, gdf[252] = 1, gdf[256 + 216] = 4;
  std::string long_tag("\x01\x00\x00\x10", 4);  // tag 1 claims 1 MiB
  EXPECT_NE(error_for(patched(gdf, 512, long_tag)).find("GDF header tag 1 at byte 512 runs past the end"),
            std::string::npos);
  // Tag 1 (event descriptions) must end in an empty string; tag 5 (an IP address) holds at most 16 bytes.
  EXPECT_NE(error_for(patched(gdf, 512, std::string("\x01\x03\x00\x00" "AB\0", 7))).find("tag 1 at byte 512 is not"),
            std::string::npos);
  EXPECT_NE(error_for(patched(gdf, 512, std::string("\x05\x11\x00\x00", 4))).find("tag 5 at byte 512 is not"),
            std::string::npos);
  EXPECT_NE(error_for(patched(gdf, 236, "\xfb\xff\xff\xff\xff\xff\xff\xff")).find("number of data records"),
            std::string::npos);
  EXPECT_NE(error_for(patched(gdf, 256 + 216, std::string(1, '\0'))).find("no channel has samples"), std::string::npos);
  EXPECT_NE(error_for(patched(gdf, 4, "4.51")).find("GDF version '4.51'"), std::string::npos);
}

TEST(BiosigImporter, IsPickedByMagicBytes) {
  EXPECT_TRUE(is_edf_bdf_gdf("0       X X X"));
  EXPECT_TRUE(is_edf_bdf_gdf("\xFF" "BIOSEMI"));
  EXPECT_TRUE(is_edf_bdf_gdf("GDF 2.51"));
  EXPECT_FALSE(is_edf_bdf_gdf("0,1,2\n"));
  EXPECT_FALSE(is_edf_bdf_gdf("100 2 360 650000\n"));
  TempDir dir;
  write_file(dir / "recording.rec", make_edf(Flavour::edf, {ecg_lead_i()}, 6));
  const Importer* importer = find_importer(dir / "recording.rec", {});
  ASSERT_NE(importer, nullptr);
  EXPECT_EQ(importer->name(), "biosig");
}

}  // namespace
}  // namespace medtwin

// ECG signal quality (medtwin/cardio/quality.hpp) on the MIT-BIH Arrhythmia
// records in ../shared/data/ecg/mitdb: record 100 is clean, record 105 carries
// heavy noise and artefact (its notes say so). The annotators marked noise with
// '~' (signal quality change) and '|' (isolated artefact) annotations. Our
// importer keeps their position but not their subtype (which lead is noisy, or
// whether the change is back to clean), so the reference used here is the one
// those positions support without the subtype: a 10 s segment "holds a noise
// mark" when a '~' or '|' falls in it — a quality change means noise on at least
// one side of it, in at least one lead. The detector calls a segment flagged
// when either lead is not usable. Reported: per record, the share of segments
// flagged, the share of marked segments flagged (sensitivity to the marks) and
// the share of unmarked segments passed. The model card
// (docs/models/ecg_quality.md) quotes this table.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <vector>

#include "cli_support.hpp"
#include "mitdb_support.hpp"
#include "medtwin/cardio/quality.hpp"
#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/io/wfdb_importer.hpp"

namespace medtwin::testing {
namespace {

namespace fs = std::filesystem;

struct RecordQuality {
  int segments = 0, flagged = 0, marked = 0, marked_flagged = 0, unmarked = 0, unmarked_passed = 0;
};

RecordQuality assess_record(const fs::path& header) {
  CollectingSink sink;
  read_wfdb_record(header, {}, sink);
  EXPECT_EQ(sink.signals.size(), 1u) << header;
  const Signal& signal = sink.signals.front();
  std::vector<cardio::QualityReport> leads;
  for (const auto& channel : signal.samples) {
    const std::vector<double> lead(channel.begin(), channel.end());
    leads.push_back(cardio::assess_quality(lead, signal.sample_rate_hz));
  }
  RecordQuality r;
  for (std::size_t s = 0; s < leads.front().segments.size(); ++s) {
    const cardio::SegmentQuality& q = leads.front().segments[s];
    bool flagged = false;
    for (const auto& lead : leads) flagged = flagged || lead.segments[s].quality != cardio::Quality::usable;
    const bool marked = std::any_of(signal.annotations.begin(), signal.annotations.end(), [&](const Annotation& a) {
      return (a.code == "~" || a.code == "|") && a.sample >= q.start_sample && a.sample < q.end_sample;
    });
    ++r.segments;
    r.flagged += flagged;
    if (marked) {
      ++r.marked;
      r.marked_flagged += flagged;
    } else {
      ++r.unmarked;
      r.unmarked_passed += !flagged;
    }
  }
  return r;
}

double share(int part, int whole) { return whole > 0 ? double(part) / whole : 0; }

TEST(EcgQualityMitdb, Record100IsCleanRecord105IsFlaggedAndNoiseMarksAgree) {
  const std::vector<fs::path> headers = mitdb_headers();
  ASSERT_FALSE(headers.empty()) << "no MIT-BIH records (*.hea) in ../shared/data/ecg/mitdb";
  std::map<std::string, RecordQuality> by_record;
  RecordQuality all;
  fmt::print("10 s segments, flagged = either lead noisy or unusable; marked = holds a '~' or '|' annotation\n");
  fmt::print("{:>6} {:>8} {:>9} {:>7} {:>14} {:>9} {:>14}\n", "record", "segments", "flagged%", "marked",
             "marked→flag%", "unmarked", "unmarked→ok%");
  for (const fs::path& header : headers) {
    const RecordQuality r = assess_record(header);
    const std::string name = header.stem().string();
    by_record[name] = r;
    fmt::print("{:>6} {:>8} {:>9.1f} {:>7} {:>14.1f} {:>9} {:>14.1f}\n", name, r.segments,
               100 * share(r.flagged, r.segments), r.marked, 100 * share(r.marked_flagged, r.marked), r.unmarked,
               100 * share(r.unmarked_passed, r.unmarked));
    all.segments += r.segments;
    all.flagged += r.flagged;
    all.marked += r.marked;
    all.marked_flagged += r.marked_flagged;
    all.unmarked += r.unmarked;
    all.unmarked_passed += r.unmarked_passed;
  }
  fmt::print("{:>6} {:>8} {:>9.1f} {:>7} {:>14.1f} {:>9} {:>14.1f}\n", "all", all.segments,
             100 * share(all.flagged, all.segments), all.marked, 100 * share(all.marked_flagged, all.marked),
             all.unmarked, 100 * share(all.unmarked_passed, all.unmarked));
  std::fflush(stdout);
  ASSERT_TRUE(by_record.count("100") && by_record.count("105")) << "records 100 and 105 are needed";
  const RecordQuality& r100 = by_record["100"];
  const RecordQuality& r105 = by_record["105"];
  // Floors at the measured figures (docs/models/ecg_quality.md), rounded down: 100 passes 181 of 181 segments;
  // 105 is flagged in 52 of 181 (28.7 %) and in 34 of its 69 marked segments (49.3 %); over all records 43.2 % of
  // marked segments are flagged and 83.4 % of unmarked ones pass. The grading rules were settled with 100 and the
  // CinC strips in view (see the model card), so these are not fully independent figures.
  EXPECT_GE(share(r100.segments - r100.flagged, r100.segments), 0.99);
  EXPECT_GE(share(r105.flagged, r105.segments), 0.28);
  EXPECT_GE(share(r105.marked_flagged, r105.marked), 0.49);
  EXPECT_GE(share(all.marked_flagged, all.marked), 0.43);
  EXPECT_GE(share(all.unmarked_passed, all.unmarked), 0.83);
}

}  // namespace
}  // namespace medtwin::testing

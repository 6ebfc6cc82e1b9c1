// Atrial-fibrillation episodes found from the reference beats of the shared
// MIT-BIH records, scored against their rhythm annotations
// (../shared/data/ecg/mitdb/rhythm_episodes.csv): episode sensitivity and
// positive predictivity (an episode counts as found when a detection overlaps
// it) and duration sensitivity and positive predictivity (EC57's AF measures:
// overlapping time over reference, or detected, AF time).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "cli_support.hpp"
#include "mitdb_support.hpp"
#include "medtwin/cardio/af.hpp"
#include "medtwin/cardio/ec57.hpp"
#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/io/wfdb_importer.hpp"
#include "medtwin/twin/ecg_report.hpp"

namespace medtwin::testing {
namespace {

using Interval = std::pair<std::int64_t, std::int64_t>;  // samples [start, end)

std::map<std::string, std::vector<Interval>> reference_af_episodes() {
  std::ifstream in(shared_data("ecg/mitdb/rhythm_episodes.csv"));
  std::map<std::string, std::vector<Interval>> out;
  std::string line;
  std::getline(in, line);  // header: record,start_sample,end_sample_exclusive,rhythm,duration_s
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    std::string record, start, end, rhythm;
    std::getline(fields, record, ','), std::getline(fields, start, ','), std::getline(fields, end, ',');
    std::getline(fields, rhythm, ',');
    if (rhythm == "(AFIB") out[record].push_back({std::stoll(start), std::stoll(end)});
  }
  return out;
}

std::int64_t overlap(const std::vector<Interval>& a, const std::vector<Interval>& b) {
  std::int64_t total = 0;
  for (const auto& x : a)
    for (const auto& y : b) total += std::max<std::int64_t>(0, std::min(x.second, y.second) - std::max(x.first, y.first));
  return total;
}

std::int64_t length(const std::vector<Interval>& v) {
  std::int64_t total = 0;
  for (const auto& x : v) total += x.second - x.first;
  return total;
}

std::size_t overlapped(const std::vector<Interval>& episodes, const std::vector<Interval>& by) {
  return static_cast<std::size_t>(std::count_if(episodes.begin(), episodes.end(), [&](const Interval& e) {
    return overlap({e}, by) > 0;
  }));
}

struct Tally {
  std::size_t reference = 0, found = 0, detected = 0, true_detected = 0;
  std::int64_t reference_time = 0, detected_time = 0, overlap_time = 0;
};

struct AfScores {
  double episode_se = 0, episode_ppv = 0, duration_se = 0, duration_ppv = 0;
};

// Scores `find_af` (a record's signal → its AF result) over the 16 records, printing the per-record table.
AfScores score_records(const std::function<cardio::AfResult(const Signal&)>& find_af) {
  const auto truth = reference_af_episodes();
  Tally all;
  std::printf("record  ref_eps found  det_eps true  ref_s  det_s  overlap_s\n");
  for (const auto& header : mitdb_headers()) {
    const std::string record = header.stem().string();
    CollectingSink sink;
    read_wfdb_record(header, {}, sink);
    const auto& ecg = sink.signals.at(0);
    std::vector<Interval> detected;
    for (const auto& e : find_af(ecg).episodes) detected.push_back({e.start_sample, e.end_sample});
    const auto it = truth.find(record);
    const std::vector<Interval> reference = it == truth.end() ? std::vector<Interval>{} : it->second;
    Tally t{reference.size(), overlapped(reference, detected), detected.size(), overlapped(detected, reference),
            length(reference), length(detected), overlap(reference, detected)};
    std::printf("%-6s  %7zu %5zu  %7zu %4zu %6.0f %6.0f %10.0f\n", record.c_str(), t.reference, t.found, t.detected,
                t.true_detected, t.reference_time / ecg.sample_rate_hz, t.detected_time / ecg.sample_rate_hz,
                t.overlap_time / ecg.sample_rate_hz);
    all.reference += t.reference, all.found += t.found, all.detected += t.detected;
    all.true_detected += t.true_detected, all.reference_time += t.reference_time;
    all.detected_time += t.detected_time, all.overlap_time += t.overlap_time;
  }
  const AfScores s{double(all.found) / double(all.reference), double(all.true_detected) / double(all.detected),
                   double(all.overlap_time) / double(all.reference_time),
                   double(all.overlap_time) / double(all.detected_time)};
  std::printf("AF episodes: Se %.1f%% (%zu/%zu), +P %.1f%% (%zu/%zu); duration Se %.1f%%, +P %.1f%%\n",
              100 * s.episode_se, all.found, all.reference, 100 * s.episode_ppv, all.true_detected, all.detected,
              100 * s.duration_se, 100 * s.duration_ppv);
  return s;
}

TEST(AfMitdb, EpisodesFromReferenceBeats) {
  const AfScores s = score_records([](const Signal& ecg) {
    std::vector<std::int64_t> beats;
    std::vector<bool> ventricular;  // AAMI V and F classes: PVCs, ventricular escape, fusion
    for (const auto& a : ecg.annotations)
      if (cardio::is_beat_code(a.code)) {
        beats.push_back(a.sample);
        ventricular.push_back(a.code == "V" || a.code == "E" || a.code == "F");
      }
    return cardio::detect_af(beats, ecg.sample_rate_hz, ventricular);
  });
  // Floors at the figures first measured (Se 100 %, +P 90 %; duration 85.8 % / 82.5 %), so that a change
  // that loses AF shows; not targets — docs/models/af.md says where the misses are.
  EXPECT_GE(s.episode_se, 1.0);
  EXPECT_GE(s.episode_ppv, 0.90);
  EXPECT_GE(s.duration_se, 0.858);
  EXPECT_GE(s.duration_ppv, 0.824);
}

// The whole analysis as `medtwin ecg` runs it: detected beats, artefacts dropped, ventricular beats from the
// beat classifier.
TEST(AfMitdb, EpisodesFromTheFullAnalysis) {
  const AfScores s = score_records([](const Signal& ecg) { return analyse_ecg(ecg, std::nullopt).af; });
  // Floors at the first measured figures (episodes Se 100 %, +P 87.5 %; duration Se 83.6 %, +P 80.1 %):
  // a little under the reference-beat figures, as detected beats carry the detector's and classifier's errors.
  EXPECT_GE(s.episode_se, 1.0);
  EXPECT_GE(s.episode_ppv, 0.875);
  EXPECT_GE(s.duration_se, 0.835);
  EXPECT_GE(s.duration_ppv, 0.800);
}

}  // namespace
}  // namespace medtwin::testing

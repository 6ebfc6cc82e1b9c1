#include "medtwin/io/wfdb_importer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "medtwin/core/error.hpp"
#include "medtwin/io/biosignal.hpp"
#include "medtwin/io/text.hpp"
#include "medtwin/io/wfdb_annotation.hpp"
#include "medtwin/io/wfdb_header.hpp"
#include "medtwin/io/wfdb_signal.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;

// A signal file named by the header, beside it. Names that leave the folder,
// WFDB's null signal "~" and standard input "-" are refused.
fs::path signal_file(const WfdbHeader& header, const WfdbSignalSpec& spec, const fs::path& folder) {
  fs::path relative(spec.file);
  bool escapes = relative.is_absolute() || std::any_of(relative.begin(), relative.end(),
                                                        [](const fs::path& part) { return part == ".."; });
  if (escapes || spec.file == "~" || spec.file == "-") {
    throw ParseError(located(header.name, spec.line, 1,
                             fmt::format("signal file '{}' is not a file beside the header", spec.file)));
  }
  return folder / relative;
}

WfdbFile open_file(const fs::path& path) {
  auto stream = std::make_unique<std::ifstream>(path, std::ios::binary);
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (!*stream || ec) throw NotFound(fmt::format("{}: cannot open the signal file", path.string()));
  return {std::move(stream), std::uint64_t(size), path.string()};
}

fs::path annotation_file(const WfdbHeader& header, const fs::path& folder) {
  return folder / (header.record + ".atr");
}

// When the record started. WFDB gives local clock time, read in --tz, or
// only a time of day or nothing at all (MIT-BIH): then the epoch stands in,
// with a note, and no zone is needed.
Instant record_start(const WfdbHeader& header, const ImportOptions& options, RecordSink& sink) {
  using std::chrono::milliseconds;
  milliseconds time_of_day = header.base_time.value_or(milliseconds{0});
  if (header.base_date) {
    LocalTime local{std::chrono::local_days{*header.base_date}.time_since_epoch() + time_of_day};
    return recording_start(local, options, header.name);
  }
  sink.issue({ImportIssue::Kind::note, header.name,
              header.base_time ? "the record gives a time of day but no date; it is placed on 1970-01-01"
                               : "the record gives no start time; it is placed at 1970-01-01T00:00:00Z"});
  return Instant{time_of_day};
}

// One Signal per samples-per-frame value: WFDB lets signals of one record
// differ in rate by whole multiples of the frame rate.
struct Group {
  int samples_per_frame;
  std::vector<std::size_t> signals;  // header indexes
};

std::vector<Group> group_by_rate(const WfdbHeader& header) {
  std::vector<Group> groups;
  for (std::size_t i = 0; i < header.signals.size(); ++i) {
    int spf = header.signals[i].samples_per_frame;
    auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& g) { return g.samples_per_frame == spf; });
    if (it == groups.end()) it = groups.insert(groups.end(), Group{spf, {}});
    it->signals.push_back(i);
  }
  return groups;
}

void report_signal_quirks(const WfdbHeader& header, const std::vector<WfdbSignalSamples>& samples, RecordSink& sink) {
  for (std::size_t i = 0; i < header.signals.size(); ++i) {
    const WfdbSignalSpec& spec = header.signals[i];
    std::string where = located(header.name, spec.line, fmt::format("signal {} ({})", i, spec.description));
    if (samples[i].checksum_mismatch) {
      sink.issue({ImportIssue::Kind::note, where, "the header's checksum does not match the samples read"});
    }
    if (spec.skew != 0) sink.issue({ImportIssue::Kind::note, where, "skew is not applied"});
  }
}

// Annotations in `signal`'s sample indexes: WFDB counts frames (or ticks of
// the file's own clock), and its chan numbers the record's signals.
std::vector<Annotation> to_signal(const WfdbAnnotations& found, const Group& group, const Signal& signal) {
  std::vector<Annotation> out;
  out.reserve(found.annotations.size());
  for (Annotation annotation : found.annotations) {
    double at = found.frequency ? double(annotation.sample) * signal.sample_rate_hz / *found.frequency
                                : double(annotation.sample) * group.samples_per_frame;
    annotation.sample = at >= 0 && at < double(signal.sample_count()) ? std::llround(at) : -1;  // -1: dropped
    auto it = std::find(group.signals.begin(), group.signals.end(), std::size_t(annotation.channel));
    annotation.channel = it == group.signals.end() ? -1 : int(it - group.signals.begin());
    out.push_back(std::move(annotation));
  }
  return out;
}

std::optional<WfdbAnnotations> read_annotations(const WfdbHeader& header, const fs::path& folder) {
  fs::path path = annotation_file(header, folder);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  return parse_wfdb_annotations(read_file(path), path.string());
}

class WfdbImporter final : public Importer {
 public:
  std::string_view name() const override { return "wfdb"; }
  std::string_view version() const override { return "1"; }

  bool accepts(const fs::path& path, std::string_view head, const ImportOptions&) const override {
    return has_extension(path, ".hea") && looks_like_wfdb_header(head);
  }

  std::vector<fs::path> inputs(const fs::path& path) const override {
    try {
      return wfdb_record_files(path);
    } catch (const Error&) {
      return {path};  // read() reports what is wrong
    }
  }

  void read(const fs::path& path, const ImportOptions& options, RecordSink& sink) const override {
    read_wfdb_record(path, options, sink);
  }
};

}  // namespace

std::vector<fs::path> wfdb_record_files(const fs::path& header_path) {
  WfdbHeader header = read_wfdb_header(header_path);
  fs::path folder = header_path.parent_path();
  std::vector<fs::path> files{header_path};
  for (const auto& spec : header.signals) {
    fs::path file = signal_file(header, spec, folder);
    if (std::find(files.begin(), files.end(), file) == files.end()) files.push_back(file);
  }
  fs::path annotations = annotation_file(header, folder);
  std::error_code ec;
  if (fs::is_regular_file(annotations, ec)) files.push_back(annotations);
  return files;
}

void read_wfdb_record(const fs::path& header_path, const ImportOptions& options, RecordSink& sink) {
  WfdbHeader header = read_wfdb_header(header_path);
  fs::path folder = header_path.parent_path();
  auto opener = [&](const std::string& file) {
    auto spec = std::find_if(header.signals.begin(), header.signals.end(),
                             [&](const WfdbSignalSpec& s) { return s.file == file; });
    return open_file(signal_file(header, *spec, folder));
  };
  std::vector<WfdbSignalSamples> samples = read_wfdb_samples(header, opener, options.progress);
  report_signal_quirks(header, samples, sink);
  std::optional<WfdbAnnotations> annotations = read_annotations(header, folder);
  if (header.signals.empty()) {
    if (annotations) {
      sink.issue({ImportIssue::Kind::skipped_record, header.name,
                  "a record without signals: its annotations are not imported"});
    }
    return;
  }
  Instant start = record_start(header, options, sink);
  std::vector<Group> groups = group_by_rate(header);
  // Annotations count frames; they go on the fastest Signal, where they are most precise.
  auto fastest = std::max_element(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
    return a.samples_per_frame < b.samples_per_frame;
  });
  for (auto group = groups.begin(); group != groups.end(); ++group) {
    Signal signal;
    signal.sample_rate_hz = header.frequency * group->samples_per_frame;
    signal.start = start;
    signal.source = header.record;
    for (std::size_t i : group->signals) {
      const WfdbSignalSpec& spec = header.signals[i];
      std::string where = located(header.name, spec.line, fmt::format("signal {} units", i));
      signal.channels.push_back({spec.description, channel_unit_to_ucum(spec.units, where, sink)});
      signal.samples.push_back(std::move(samples[i].values));
    }
    signal.kind = signal_kind(signal.channels);
    if (annotations && group == fastest) {
      std::string where = annotation_file(header, folder).string();
      add_annotations(signal, to_signal(*annotations, *group, signal), where, sink);
      if (!annotations->terminated) sink.issue({ImportIssue::Kind::note, where, "the file lacks its end mark"});
    }
    sink.signal(signal);
  }
}

std::unique_ptr<Importer> make_wfdb_importer() { return std::make_unique<WfdbImporter>(); }

}  // namespace medtwin

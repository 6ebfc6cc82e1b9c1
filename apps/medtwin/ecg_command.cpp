// `medtwin ecg FILE [--lead NAME] [--json] [--beats OUT.csv] [--plot OUT.svg]
// [--person NAME]`: R peaks, heart rate, HRV and atrial-fibrillation episodes
// of one recording, optionally kept in a person's twin.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

#include "cli.hpp"
#include "medtwin/twin/ecg_report_json.hpp"
#include "ecg_plot.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/core/time.hpp"
#include "medtwin/twin/ecg_record.hpp"
#include "medtwin/twin/ecg_report.hpp"

namespace medtwin::cli {
namespace {

struct EcgArgs {
  std::string file;
  std::optional<std::string> lead, beats, tz, plot, person;
  EcgPlotWindow plot_window;
  bool json = false;
};

std::string optional_text(const std::optional<double>& v) { return v ? number_text(*v) : "—"; }

double seconds(const EcgReport& r, std::int64_t sample) { return static_cast<double>(sample) / r.rate_hz; }

void print_beats(const EcgReport& r) {
  const auto& c = r.counts;
  std::printf("Beats %zu: N %lld, S %lld, V %lld, F %lld, Q %lld", r.r_peaks.size(), static_cast<long long>(c.normal),
              static_cast<long long>(c.supraventricular), static_cast<long long>(c.ventricular),
              static_cast<long long>(c.fusion), static_cast<long long>(c.unknown));
  if (c.artefacts > 0) std::printf("; %lld artefact detection%s dropped", static_cast<long long>(c.artefacts),
                                   c.artefacts == 1 ? "" : "s");
  std::printf("\nHeart rate mean %s /min (10-beat medians %s–%s)\n", optional_text(r.mean_hr).c_str(),
              optional_text(r.min_hr).c_str(), optional_text(r.max_hr).c_str());
}

void print_intervals(const EcgReport& r) {
  if (!r.intervals) return;
  const auto& i = *r.intervals;
  std::printf("Intervals (median beats): PR %s ms, QRS %s ms, QT %s ms", optional_text(i.pr_ms).c_str(),
              optional_text(i.qrs_ms).c_str(), optional_text(i.qt_ms).c_str());
  if (i.qtc)
    std::printf("; QTc %s (Bazett), %s (Fridericia), %s (Framingham), %s (Hodges) ms",
                number_text(i.qtc->bazett_ms).c_str(), number_text(i.qtc->fridericia_ms).c_str(),
                number_text(i.qtc->framingham_ms).c_str(), number_text(i.qtc->hodges_ms).c_str());
  std::printf("; P waves in %.0f %% of them\n", 100 * i.p_wave_share);
}

void print_hrv(const EcgReport& r) {
  if (!r.hrv) return;
  const auto& t = r.hrv->time;
  const auto& f = r.hrv->frequency;
  const auto& n = r.hrv->nonlinear;
  std::printf("HRV (normal-to-normal, %zu interval%s next to other beats interpolated): MeanNN %s ms, SDNN %s ms, "
              "RMSSD %s ms, pNN50 %s %%\n",
              r.nn_replaced, r.nn_replaced == 1 ? "" : "s", number_text(t.mean_nn).c_str(),
              number_text(t.sdnn).c_str(), number_text(t.rmssd).c_str(), number_text(t.pnn50).c_str());
  std::printf("     LF %s ms², HF %s ms², LF/HF %s; SD1 %s ms, SD2 %s ms, DFA α1 %s\n", optional_text(f.lf).c_str(),
              optional_text(f.hf).c_str(), optional_text(f.lf_hf).c_str(), number_text(n.sd1).c_str(),
              number_text(n.sd2).c_str(), optional_text(n.dfa_alpha1).c_str());
}

void print_quality(const EcgReport& r) {
  if (!r.usable_fraction) return;
  const auto spans = poor_quality_spans(r);
  std::printf("Signal quality: %.0f %% usable", 100 * *r.usable_fraction);
  constexpr std::size_t shown = 5;
  for (std::size_t i = 0; i < std::min(shown, spans.size()); ++i)
    std::printf("%s %.0f–%.0f s %s", i == 0 ? ";" : ",", seconds(r, spans[i].start_sample),
                seconds(r, spans[i].end_sample), cardio::to_string(spans[i].quality));
  if (spans.size() > shown) std::printf(" and %zu more stretches", spans.size() - shown);
  std::printf("\n");
}

void print_report(const EcgReport& r) {
  const std::string fused = r.two_leads ? fmt::format(" (beats found with {} too)", r.second_lead) : "";
  std::printf("%s — lead %s%s, %.0f Hz, %.1f min\n", r.source.c_str(), r.lead.c_str(), fused.c_str(), r.rate_hz,
              r.duration_s / 60);
  if (r.label) std::printf("Rhythm: %s (%s)\n", cardio::to_string(r.label->label), r.label->reason.c_str());
  print_beats(r);
  print_intervals(r);
  print_hrv(r);
  if (r.af.evaluated)
    std::printf("Atrial fibrillation: %zu episode(s), burden %.1f %%\n", r.af.episodes.size(), 100 * r.af.burden);
  for (const auto& e : r.af.episodes) std::printf("  %.1f s – %.1f s\n", seconds(r, e.start_sample), seconds(r, e.end_sample));
  if (r.breathing_rate) std::printf("Breathing rate (ECG-derived): %s /min\n", number_text(*r.breathing_rate).c_str());
  print_quality(r);
  for (const auto& note : r.notes) std::printf("note: %s\n", note.c_str());
}

// One row per beat: sample, time, and its AAMI class.
void write_beats(const EcgReport& r, const std::string& path) {
  write_file_atomically(path, [&](std::ostream& out) {
    out << "sample,time_s,class\n";
    for (std::size_t i = 0; i < r.r_peaks.size(); ++i)
      out << r.r_peaks[i] << ',' << fmt::format("{:.4f}", seconds(r, r.r_peaks[i])) << ','
          << cardio::aami_letter(r.beats[i].cls) << '\n';
  });
}

void add_wave_ticks(EcgPlotMarks& marks, const EcgReport& r, const Signal& ecg, const EcgPlotWindow& window) {
  for (const cardio::BeatWaves& w : delineate_stretch(ecg, r, window.start_s, window.seconds)) {
    auto tick = [&](const std::optional<std::int64_t>& at, const char* label) {
      if (at) marks.ticks.push_back({*at, label});
    };
    tick(w.p_peak, "P");
    tick(w.qrs_on, "Q");
    tick(w.qrs_off, "J");
    tick(w.t_end, "Te");
  }
}

EcgPlotMarks plot_marks(const EcgReport& r, const Signal& ecg, const EcgPlotWindow& window) {
  EcgPlotMarks marks;
  for (std::size_t i = 0; i < r.r_peaks.size(); ++i) marks.beats.push_back({r.r_peaks[i], cardio::aami_letter(r.beats[i].cls)});
  for (const auto& e : r.af.episodes) marks.spans.push_back({e.start_sample, e.end_sample, "AF", false});
  for (const auto& q : poor_quality_spans(r))
    marks.spans.push_back({q.start_sample, q.end_sample, cardio::to_string(q.quality), true});
  add_wave_ticks(marks, r, ecg, window);
  return marks;
}

void keep_in_twin(const EcgArgs& args, const Context& context, const Signal& ecg, const EcgReport& report) {
  auto store = context.open();
  ImportOptions import;
  import.time_zone = args.tz;
  const EcgKept kept = keep_ecg_in_twin(*store, args.file, *args.person, ecg, report, import);
  std::fprintf(stderr, "%s: recording %s, %lld result%s added to the twin%s\n", report.source.c_str(),
               kept.recording_added ? "imported" : "already imported", static_cast<long long>(kept.results_added),
               kept.results_added == 1 ? "" : "s", kept.results_existed ? " (this analysis was stored before)" : "");
}

void run_ecg(const EcgArgs& args, const Context& context) {
  if (args.tz && !is_known_time_zone(*args.tz)) throw Error(fmt::format("--tz: unknown time zone '{}'", *args.tz));
  // Without a person the analysis needs no wall-clock time; with one, the
  // recording is placed in time exactly as `medtwin import` would place it.
  const Signal ecg = read_ecg_file(args.file, args.person ? args.tz : args.tz.value_or("UTC"));
  EcgReport report = analyse_ecg(ecg, args.lead);
  report.source = std::filesystem::path(args.file).filename().string();
  if (args.beats) write_beats(report, *args.beats);
  if (args.plot)
    write_ecg_svg(*args.plot, display_lead(ecg, report, args.plot_window.start_s, args.plot_window.seconds),
                  report.rate_hz, fmt::format("{}, lead {} (0.67 Hz high-pass, 50/60 Hz notch)", report.source, report.lead),
                  plot_marks(report, ecg, args.plot_window), args.plot_window);
  if (args.person) keep_in_twin(args, context, ecg, report);
  if (args.json) std::printf("%s\n", ecg_report_json(report).dump(2).c_str());
  else print_report(report);
}

}  // namespace

void add_ecg_command(CLI::App& app, Context& context) {
  auto args = std::make_shared<EcgArgs>();
  auto* cmd = app.add_subcommand("ecg", "Analyse one ECG recording: R peaks, heart rate, HRV, atrial fibrillation");
  cmd->add_option("file", args->file, "WFDB .hea, EDF/BDF, Apple Watch ECG CSV, FHIR, CinC .mat")->required();
  cmd->add_option("--lead", args->lead,
                  "Lead label to analyse alone (default: two leads fused — the first two, or of more the two that "
                  "grade best, lead II first)");
  cmd->add_option("--beats", args->beats, "Write one row per beat to this CSV");
  cmd->add_option("--tz", args->tz, "Zone for recordings whose start is local time (default UTC)");
  cmd->add_option("--plot", args->plot, "Draw the ECG with beats and episodes on ECG paper into this SVG");
  cmd->add_option("--plot-start", args->plot_window.start_s, "Seconds into the recording where the plot starts")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--plot-seconds", args->plot_window.seconds, "Seconds plotted, ten per row")
      ->check(CLI::Range(1.0, 600.0));
  cmd->add_option("--person", args->person, "Keep the recording and the results in this person's twin");
  cmd->add_flag("--json", args->json, "JSON output");
  cmd->callback([args, &context] { run_ecg(*args, context); });
}

}  // namespace medtwin::cli

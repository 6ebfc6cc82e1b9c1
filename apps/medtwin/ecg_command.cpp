// `medtwin ecg FILE [--lead NAME] [--json] [--beats OUT.csv] [--plot OUT.svg]
// [--person NAME]`: R peaks, heart rate, HRV and atrial-fibrillation episodes
// of one recording, optionally kept in a person's twin.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>

#include "cli.hpp"
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

void print_report(const EcgReport& r) {
  std::printf("%s — lead %s, %.0f Hz, %.1f min\n", r.source.c_str(), r.lead.c_str(), r.rate_hz, r.duration_s / 60);
  std::printf("Beats %zu; heart rate mean %s /min (10-beat medians %s–%s)\n", r.r_peaks.size(),
              optional_text(r.mean_hr).c_str(), optional_text(r.min_hr).c_str(), optional_text(r.max_hr).c_str());
  if (r.hrv) {
    const auto& t = r.hrv->time;
    const auto& f = r.hrv->frequency;
    const auto& n = r.hrv->nonlinear;
    std::printf("HRV: MeanNN %s ms, SDNN %s ms, RMSSD %s ms, pNN50 %s %%\n", number_text(t.mean_nn).c_str(),
                number_text(t.sdnn).c_str(), number_text(t.rmssd).c_str(), number_text(t.pnn50).c_str());
    std::printf("     LF %s ms², HF %s ms², LF/HF %s; SD1 %s ms, SD2 %s ms, DFA α1 %s\n", optional_text(f.lf).c_str(),
                optional_text(f.hf).c_str(), optional_text(f.lf_hf).c_str(), number_text(n.sd1).c_str(),
                number_text(n.sd2).c_str(), optional_text(n.dfa_alpha1).c_str());
  }
  std::printf("Atrial fibrillation: %zu episode(s), burden %.1f %%\n", r.af.episodes.size(), 100 * r.af.burden);
  for (const auto& e : r.af.episodes)
    std::printf("  %.1f s – %.1f s\n", static_cast<double>(e.start_sample) / r.rate_hz,
                static_cast<double>(e.end_sample) / r.rate_hz);
  for (const auto& note : r.notes) std::printf("note: %s\n", note.c_str());
}

nlohmann::json report_json(const EcgReport& r) {
  auto episodes = nlohmann::json::array();
  for (const auto& e : r.af.episodes)
    episodes.push_back({{"start_s", static_cast<double>(e.start_sample) / r.rate_hz},
                        {"end_s", static_cast<double>(e.end_sample) / r.rate_hz},
                        {"rhythm", "af"}});
  nlohmann::json out = {{"file", r.source}, {"lead", r.lead}, {"sample_rate_hz", r.rate_hz},
                        {"duration_s", r.duration_s}, {"beats", r.r_peaks.size()},
                        {"heart_rate", {{"mean", r.mean_hr ? json_number(*r.mean_hr) : nullptr},
                                        {"min", r.min_hr ? json_number(*r.min_hr) : nullptr},
                                        {"max", r.max_hr ? json_number(*r.max_hr) : nullptr}}},
                        {"af_burden", r.af.burden}, {"episodes", episodes}, {"notes", r.notes}};
  if (r.hrv) {
    const auto& t = r.hrv->time;
    out["hrv"] = {{"mean_nn", t.mean_nn}, {"sdnn", t.sdnn}, {"rmssd", t.rmssd}, {"pnn50", t.pnn50},
                  {"lf", r.hrv->frequency.lf ? json_number(*r.hrv->frequency.lf) : nullptr},
                  {"hf", r.hrv->frequency.hf ? json_number(*r.hrv->frequency.hf) : nullptr},
                  {"sd1", r.hrv->nonlinear.sd1}, {"sd2", r.hrv->nonlinear.sd2}};
  }
  return out;
}

// One row per beat: sample, time, and its AAMI class — Q (unclassified) until
// beat classification exists.
void write_beats(const EcgReport& r, const std::string& path) {
  write_file_atomically(path, [&](std::ostream& out) {
    out << "sample,time_s,class\n";
    for (auto s : r.r_peaks) out << s << ',' << fmt::format("{:.4f}", static_cast<double>(s) / r.rate_hz) << ",Q\n";
  });
}

EcgPlotMarks plot_marks(const EcgReport& r) {
  EcgPlotMarks marks;
  for (auto s : r.r_peaks) marks.beats.push_back({s, 'Q'});
  for (const auto& e : r.af.episodes) marks.spans.push_back({e.start_sample, e.end_sample, "AF", false});
  return marks;
}

void keep_in_twin(const EcgArgs& args, const Context& context, const Signal& ecg, const EcgReport& report) {
  auto store = context.open();
  ImportOptions import;
  import.time_zone = args.tz;
  const EcgKept kept = keep_ecg_in_twin(*store, args.file, *args.person, ecg, report, import);
  std::fprintf(stderr, "%s: recording %s, %lld result%s added to %s's twin%s\n", report.source.c_str(),
               kept.recording_added ? "imported" : "already imported", static_cast<long long>(kept.results_added),
               kept.results_added == 1 ? "" : "s", args.person->c_str(),
               kept.results_existed ? " (this analysis was stored before)" : "");
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
    write_ecg_svg(*args.plot, ecg.samples[report.lead_channel], report.rate_hz,
                  fmt::format("{}, lead {}", report.source, report.lead), plot_marks(report), args.plot_window);
  if (args.person) keep_in_twin(args, context, ecg, report);
  if (args.json) std::printf("%s\n", report_json(report).dump(2).c_str());
  else print_report(report);
}

}  // namespace

void add_ecg_command(CLI::App& app, Context& context) {
  auto args = std::make_shared<EcgArgs>();
  auto* cmd = app.add_subcommand("ecg", "Analyse one ECG recording: R peaks, heart rate, HRV, atrial fibrillation");
  cmd->add_option("file", args->file, "WFDB .hea, EDF/BDF, Apple Watch ECG CSV, FHIR, CinC .mat")->required();
  cmd->add_option("--lead", args->lead, "Lead label to analyse (default: the first, fused with the second)");
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

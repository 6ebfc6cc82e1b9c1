// `medtwin drug-test DRUG|TABLE.csv [--cmax X] [--doses 1,2,3,4] [--beats N]
// [--samples SAMPLES.csv] [--cipa-data DIR] [--json] [--plot OUT.svg]
// [--person NAME | --qtc MS] [--sex --lqt --lqt-severity --potassium
// --reference-qtc]`: the CiPA in-silico TdP risk assessment
// (medtwin/cardio/cipa_tdp.hpp) of one of the 12 CiPA training drugs (tables
// from the shared CiPA data) or of the drugs of a user's IC50 table and, given
// a person's QTc, the drug's QTc change and EADs in their calibrated strand
// (medtwin/cardio/qt_personalisation.hpp). Guide: docs/drug-test.md.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "medtwin/cardio/cipa_tdp.hpp"
#include "medtwin/cardio/qt_personalisation.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/cipa_tables.hpp"
#include "medtwin/io/importer.hpp"
#include "medtwin/io/text.hpp"
#include "medtwin/twin/drug_assessment.hpp"
#include "medtwin/twin/heart_inputs.hpp"

namespace medtwin::cli {
namespace {

namespace fs = std::filesystem;
using cardio::CipaRequest;
using cardio::CipaResult;
using cardio::Drug;

constexpr int kThreads = 2;  // the doses run on both cores, never more

struct DrugArgs {
  std::string target;
  std::optional<double> cmax;
  std::string doses = "1,2,3,4";
  int beats = cardio::CipaProtocol{}.beats;
  std::optional<std::string> samples, plot, cipa_data;
  bool json = false;
  // The person's heart.
  std::optional<std::string> person, sex, long_qt;
  std::optional<double> qtc, long_qt_severity, potassium, reference_qtc;
  bool personal() const { return person || qtc || sex || long_qt || long_qt_severity || potassium || reference_qtc; }
};

std::vector<double> parse_doses(const std::string& text) {
  std::vector<double> doses;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const auto value = to_number(text.substr(start, comma - start));
    if (!value || *value <= 0)
      throw Error("--doses: '" + text + "' must be positive multiples of Cmax separated by commas, e.g. 1,2,3,4");
    doses.push_back(*value);
    start = comma + 1;
  }
  return doses;
}

bool looks_like_file(const std::string& target) {
  return has_extension(target, ".csv") || target.find('/') != std::string::npos || fs::exists(target);
}

// The drugs to test: a training drug from CiPA12_merged_table.csv or every
// drug of the user's table.
std::vector<Drug> load_drugs(const DrugArgs& args, const fs::path& cipa) {
  std::vector<Drug> drugs;
  if (looks_like_file(args.target)) {
    for (const CipaDrugRecord& r : read_cipa_ic50_table(read_file(args.target), args.target))
      drugs.push_back(to_drug(r));
  } else {
    const auto records = read_cipa_training_table(cipa);
    const CipaDrugRecord* record = find_cipa_drug(records, args.target);
    if (!record) {
      std::string names;
      for (const auto& r : records) names += (names.empty() ? "" : ", ") + r.name;
      throw NotFound(fmt::format("drug '{}' is not in {} (known: {}); for another drug give an IC50 table", args.target,
                                 (cipa / "CiPA12_merged_table.csv").string(), names));
    }
    drugs.push_back(to_drug(*record));
  }
  if (args.cmax) {
    if (drugs.size() != 1) throw Error("--cmax applies to one drug; the table holds " + std::to_string(drugs.size()));
    drugs.front().cmax_nm = *args.cmax;
  }
  for (const Drug& d : drugs)
    if (!d.cmax_nm) throw Error(fmt::format("drug '{}': no free Cmax; give --cmax NM or a Cmax column", d.name));
  return drugs;
}

std::optional<cardio::SampledRisk> run_samples(const DrugArgs& args, const Drug& drug, const cardio::OrdParams& params,
                                               const cardio::OrdState& control, const CipaRequest& request) {
  if (!args.samples) return std::nullopt;
  std::vector<Drug> samples;
  for (const CipaDrugRecord& r : read_cipa_ic50_samples(read_file(*args.samples), *args.samples)) {
    Drug s = to_drug(r);
    s.name = drug.name + " " + r.name;
    s.cmax_nm = drug.cmax_nm;
    if (!s.herg_binding) s.herg_binding = drug.herg_binding;  // samples of the Hill parameters only
    for (std::size_t c = 0; c < s.block.size(); ++c)           // a current the file leaves out keeps the drug's block
      if (!s.block[c]) s.block[c] = drug.block[c];
    samples.push_back(std::move(s));
  }
  return cardio::assess_tdp_risk_samples(params, control, samples, request);
}

cardio::Phenotype phenotype_of(const DrugArgs& args, Sex stored_sex) {
  cardio::Phenotype p;
  p.sex = stored_sex;
  if (args.sex) {
    p.sex = parse_sex(*args.sex);
    if (p.sex != Sex::female && p.sex != Sex::male) throw Error("--sex: expected female or male, got '" + *args.sex + "'");
  }
  if (args.long_qt) p.long_qt = cardio::parse_long_qt(*args.long_qt);
  if (args.long_qt_severity && p.long_qt == cardio::LongQtType::none)
    throw Error("--lqt-severity needs --lqt LQT1|LQT2|LQT3");
  p.long_qt_severity = args.long_qt_severity.value_or(cardio::default_long_qt_severity(p.long_qt));
  if (args.potassium) p.potassium_mm = *args.potassium;
  return p;
}

std::optional<DrugTestHeart> calibrate_heart(const DrugArgs& args, const Context& context) {
  if (!args.personal()) return std::nullopt;
  PersonHeartInputs stored;
  if (args.person) stored = gather_heart_inputs(*context.open(), *args.person);
  cardio::QtCalibrationRequest request;
  request.phenotype = phenotype_of(args, stored.sex);
  if (args.reference_qtc) request.reference_qtc_ms = *args.reference_qtc;
  std::string qtc_source;
  if (args.qtc) {
    request.measured_qtc_ms = *args.qtc;
    qtc_source = "command line";
  } else if (stored.qtc_ms) {
    if (!calibratable_qtc(*stored.qtc_ms))
      throw Error(fmt::format("the stored {} is {:g} ms, outside {:g}–{:g} ms: give --qtc MS", stored.qtc_source,
                              *stored.qtc_ms, kLowestQtcMs, kHighestQtcMs));
    request.measured_qtc_ms = *stored.qtc_ms;
    qtc_source = stored.qtc_source;
  } else {
    throw Error(args.person ? "person '" + *args.person +
                                  "' has no stored QTc: run `medtwin ecg FILE --person NAME` on an ECG, or give --qtc MS"
                            : "the heart's phenotype needs its QTc: give --qtc MS or --person NAME");
  }
  return calibrate_drug_test_heart(request, qtc_source, kThreads);
}

void print_heart(const DrugTestHeart& heart, const std::vector<cardio::DrugQtPoint>& doses, const CipaResult& r) {
  const auto& m = heart.model;
  std::printf("  For this heart (%s; QTc %s ms, %s):\n", cardio::describe(m.phenotype).c_str(),
              number_text(m.measured_qtc_ms).c_str(), heart.qtc_source.c_str());
  std::printf(
      "    transmural strand, 1 Hz: the published model's QT %s ms stands for QTc %s ms; IKr and IKs ×%.3f give QT %s "
      "ms (target %s ms%s)\n",
      number_text(m.reference_model_qt_ms).c_str(), number_text(m.reference_qtc_ms).c_str(), m.repolarisation_scale,
      number_text(m.model_qt_ms).c_str(), number_text(m.target_model_qt_ms).c_str(),
      m.target_reached ? "" : ", NOT reached: scale range 0.25–4 or 10 search runs exhausted");
  std::printf("    drug-free strand QT %s ms (each cell type paced %d beats, then %d strand beats, as every dose)\n",
              number_text(heart.drug_free_qt_ms).c_str(), heart.drug_setup.cell_beats, heart.drug_setup.strand_beats);
  std::printf("    %-7s %12s %14s %19s %10s  %s\n", "dose", "conc (nM)", "strand QT (ms)", "predicted QTc (ms)",
              "ΔQTc (ms)", "EAD");
  for (std::size_t i = 0; i < doses.size(); ++i) {
    const auto& d = doses[i];
    std::printf("    %-8s %12s %14s %19s %10s  %s\n", fmt::format("{:g}×", r.dose_multiples[i]).c_str(),
                number_text(d.concentration_nm).c_str(), number_text(d.model_qt_ms).c_str(),
                number_text(d.predicted_qtc_ms).c_str(), number_text(d.delta_qtc_ms).c_str(),
                d.ead ? "yes" : (d.repolarised ? "no" : "no repolarisation"));
  }
}

std::string risk_text(const cardio::TdpAssessment& a) {
  return std::string(cardio::to_string(a.risk)) + (a.ead ? " (an EAD or repolarisation failure)" : "");
}

void print_outcome(const DrugTestOutcome& o, const CipaRequest& request, const std::optional<DrugTestHeart>& heart) {
  const auto& r = o.result;
  std::printf("%s: free Cmax %s nM; endocardial ORd-CiPA cell, CL %s ms, %d beats per dose\n", o.drug.name.c_str(),
              fmt::format("{:g}", *o.drug.cmax_nm).c_str(),
              fmt::format("{:g}", request.protocol.pacing.cycle_length).c_str(), request.protocol.beats);
  std::printf("  %-7s %12s %11s %11s %15s  %s\n", "dose", "conc (nM)", "APD90 (ms)", "APD50 (ms)", "qNet (µC/µF)",
              "EAD");
  for (std::size_t i = 0; i < r.doses.size(); ++i) {
    const auto& d = r.doses[i];
    std::printf("  %-8s %12s %11s %11s %13.4f  %s\n", fmt::format("{:g}×", r.dose_multiples[i]).c_str(),
                number_text(d.concentration_nm).c_str(), number_text(d.beat.apd90).c_str(),
                number_text(d.beat.apd50).c_str(), d.beat.qnet,
                d.ead ? "yes" : (d.repolarised ? "no" : "no repolarisation"));
  }
  const auto& t = request.thresholds;
  std::printf("  TdP metric (mean qNet) %.4f µC/µF: %s risk (high below %g, low above %g; Li et al. 2019)\n",
              r.assessment.metric, risk_text(r.assessment).c_str(), t.high_below, t.low_above);
  if (o.sampled) {
    const auto& p = o.sampled->probabilities;
    std::printf("  Class probabilities over %zu samples: high %.0f %%, intermediate %.0f %%, low %.0f %%\n", p.samples,
                100 * p.high, 100 * p.intermediate, 100 * p.low);
  } else {
    std::printf("  Class probabilities: not computed, no parameter samples given (--samples IC50_samples.csv)\n");
  }
  if (heart) print_heart(*heart, o.heart, r);
  for (const auto& note : r.notes) std::printf("  Note: %s\n", note.c_str());
}

// The kept beat of every dose (CiPA's: the largest repolarisation dV/dt among the analysed beats): V against time,
// one coloured line per dose.
void write_plot(const fs::path& out, const DrugTestOutcome& o) {
  constexpr double width = 720, height = 420, left = 60, right = 150, top = 40, bottom = 50;
  constexpr double v_min = -100, v_max = 60;  // mV
  const double t_max = drawn_beat_ms(o.result);
  const auto x = [&](double t) { return left + (width - left - right) * t / t_max; };
  const auto y = [&](double v) { return top + (height - top - bottom) * (v_max - v) / (v_max - v_min); };
  static constexpr std::array<const char*, 6> colours = {"#1f77b4", "#ff7f0e", "#2ca02c",
                                                         "#d62728", "#9467bd", "#8c564b"};
  write_file_atomically(out, [&](std::ostream& svg) {
    svg << fmt::format(
               R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" font-family="sans-serif" font-size="12">)",
               width, height)
        << "\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    svg << fmt::format(
        "<text x=\"{}\" y=\"22\" font-size=\"14\">{}: action potential per dose (ORd-CiPA endo, TdP metric {:.4f} "
        "µC/µF, {} risk)</text>\n",
        left, xml_escaped(o.drug.name), o.result.assessment.metric, cardio::to_string(o.result.assessment.risk));
    for (double v = v_min; v <= v_max; v += 20)
      svg << fmt::format(
          "<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#ddd\"/><text x=\"{:.1f}\" "
          "y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n",
          left, width - right, y(v), y(v), left - 6, y(v) + 4, v);
    for (double t = 0; t <= t_max; t += 100)
      svg << fmt::format(
          "<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#ddd\"/><text x=\"{:.1f}\" "
          "y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n",
          x(t), x(t), top, height - bottom, x(t), height - bottom + 16, t);
    svg << fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">time (ms)</text>\n",
                       (left + width - right) / 2, height - 12);
    svg << fmt::format(
        "<text x=\"14\" y=\"{:.1f}\" transform=\"rotate(-90 14 {:.1f})\" text-anchor=\"middle\">V (mV)</text>\n",
        (top + height - bottom) / 2, (top + height - bottom) / 2);
    for (std::size_t i = 0; i < o.result.doses.size(); ++i) {
      const auto& d = o.result.doses[i];
      const char* colour = colours[i % colours.size()];
      svg << "<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"" << colour << "\" points=\"";
      for (const auto& p : d.trace)
        if (p.t_ms <= t_max) svg << fmt::format("{:.1f},{:.1f} ", x(p.t_ms), y(std::clamp(p.v_mv, v_min, v_max)));
      svg << "\"/>\n";
      svg << fmt::format(
          "<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" stroke-width=\"2\"/>"
          "<text x=\"{:.1f}\" y=\"{:.1f}\">{:g}× Cmax{}</text>\n",
          width - right + 10, width - right + 30, top + 20 + 18 * i, top + 20 + 18 * i, colour, width - right + 36,
          top + 24 + 18 * i, o.result.dose_multiples[i], d.ead ? " (EAD)" : "");
    }
    svg << "</svg>\n";
  });
}

void run_drug_test(const DrugArgs& args, const Context& context) {
  if (args.beats < 1) throw Error("--beats must be at least 1");
  CipaRequest request;
  request.dose_multiples = parse_doses(args.doses);
  request.protocol = cipa_protocol(args.beats);
  request.threads = kThreads;
  const fs::path cipa = cipa_data_folder(args.cipa_data);
  const std::vector<Drug> drugs = load_drugs(args, cipa);
  if (args.plot && drugs.size() != 1)
    throw Error("--plot draws one drug; the table holds " + std::to_string(drugs.size()));
  if (args.samples && drugs.size() != 1)
    throw Error("--samples belong to one drug; the table holds " + std::to_string(drugs.size()));
  const std::optional<DrugTestHeart> heart = calibrate_heart(args, context);
  const cardio::OrdParams params = cardio::ord_cipa_params(cardio::CellType::endo);
  std::vector<std::string> control_notes;
  const cardio::OrdState control = cipa_control_state(params, request.protocol, cipa, control_notes);
  std::vector<DrugTestOutcome> outcomes;
  for (const Drug& drug : drugs) {
    DrugTestOutcome o{drug, cardio::assess_tdp_risk(params, control, drug, request), std::nullopt, {}};
    o.result.notes.insert(o.result.notes.end(), control_notes.begin(), control_notes.end());
    o.sampled = run_samples(args, drug, params, control, request);
    if (heart) o.heart = predict_for_heart(*heart, drug, o.result);
    outcomes.push_back(std::move(o));
  }
  if (args.plot) write_plot(*args.plot, outcomes.front());
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& o : outcomes) out.push_back(drug_test_json(o, request, heart));
    std::printf("%s\n", (outcomes.size() == 1 ? out.front() : out).dump(2).c_str());
    return;
  }
  for (const auto& o : outcomes) print_outcome(o, request, heart);
}

}  // namespace

void add_drug_command(CLI::App& app, Context& context) {
  auto args = std::make_shared<DrugArgs>();
  auto* cmd = app.add_subcommand("drug-test", "CiPA in-silico TdP risk of a drug (ORd-CiPA cell, qNet at 1-4x Cmax)");
  cmd->add_option("drug", args->target, "A CiPA training drug (e.g. dofetilide) or your IC50 table (TABLE.csv)")
      ->required();
  cmd->add_option("--cmax", args->cmax, "Free Cmax (EFTPC), nM; overrides the table's")->check(CLI::PositiveNumber);
  cmd->add_option("--doses", args->doses, "Doses as multiples of Cmax (default 1,2,3,4)");
  cmd->add_option("--beats", args->beats, "Beats paced per dose (default 1000, the CiPA protocol)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--samples", args->samples, "IC50 samples (one row per sample) for class probabilities");
  cmd->add_option("--cipa-data", args->cipa_data, "Folder of the CiPA tables (default: the shared data's ecg/cipa)");
  cmd->add_option("--plot", args->plot, "Draw the action potential of every dose into this SVG");
  cmd->add_flag("--json", args->json, "JSON output");
  cmd->add_option("--person", args->person, "Predict the QTc change in this person's heart (stored QTc, sex)");
  cmd->add_option("--qtc", args->qtc, "The heart's measured QTc, ms (overrides the stored one)")
      ->check(CLI::Range(kLowestQtcMs, kHighestQtcMs));
  cmd->add_option("--sex", args->sex, "female or male (overrides the stored sex)");
  cmd->add_option("--lqt", args->long_qt, "Long-QT genotype: LQT1, LQT2 or LQT3");
  cmd->add_option("--lqt-severity", args->long_qt_severity,
                  "LQT1/2: fraction of IKs/IKr lost (default 0.5); LQT3: late INa factor (default 3)");
  cmd->add_option("--potassium", args->potassium, "Extracellular (serum) K+, mM (default 5.4)")->check(CLI::Range(1.0, 10.0));
  cmd->add_option("--reference-qtc", args->reference_qtc, "The QTc the published model stands for, ms (default 410)")
      ->check(CLI::Range(kLowestQtcMs, kHighestQtcMs));
  cmd->callback([args, &context] { run_drug_test(*args, context); });
}

// The CiPA tables: --cipa-data, else $MEDTWIN_SHARED_DATA/ecg/cipa, else the
// build's shared data folder (apps/medtwin/CMakeLists.txt).
std::filesystem::path cipa_data_folder(const std::optional<std::string>& option) {
  if (option) return *option;
  if (const char* env = std::getenv("MEDTWIN_SHARED_DATA")) return std::filesystem::path(env) / "ecg" / "cipa";
  return std::filesystem::path(MEDTWIN_SHARED_DATA) / "ecg" / "cipa";
}

}  // namespace medtwin::cli

// The heart drug test: pick a CiPA drug and its doses; the server paces the
// ORd-CiPA ventricular cell at each dose (a job) and answers with the action
// potentials, the torsade metric and its risk class and, in the person's own
// heart calibrated to their QTc, the predicted QTc change.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { api, DrugTest, DrugTestOptions, Job } from "../api";
import { dataTable, h, numberText, onLeave, setCrumbs, show } from "../dom";
import { JobControls } from "../job_controls";
import { palette } from "../palette";

const quickBeats = 100;
const riskColour = { low: palette[2], intermediate: palette[4], high: palette[1] };

const optional = (v: number | null, digits = 0, unit = ""): string => (v === null ? "—" : `${numberText(v, digits)}${unit}`);

// The action potentials of every dose on one time axis.
function traces(result: DrugTest): uPlot.AlignedData {
  const times = [...new Set(result.doses.flatMap((d) => d.trace.t_ms))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const columns = result.doses.map((d) => {
    const column: (number | null)[] = new Array(times.length).fill(null);
    d.trace.t_ms.forEach((t, i) => (column[index.get(t)!] = d.trace.v_mv[i]));
    return column;
  });
  return [times, ...columns] as uPlot.AlignedData;
}

function traceChart(result: DrugTest, width: number, into: HTMLElement): uPlot {
  return new uPlot(
    {
      width,
      height: 320,
      scales: { x: { time: false }, y: { range: [-100, 60] } },
      axes: [{ label: "time from the stimulus (ms)" }, { label: "membrane potential (mV)" }],
      series: [
        { value: (_u, v) => (v === null ? "" : `${numberText(v, 0)} ms`) },
        ...result.doses.map((d, i) => ({
          label: `${numberText(d.multiple)}× Cmax${d.ead ? " (EAD)" : ""}`,
          stroke: palette[i % palette.length],
          width: 1.5,
          spanGaps: true,
          points: { show: false },
        })),
      ],
    },
    traces(result),
    into,
  );
}

// Where the torsade metric falls among the classes: high risk below the first threshold, low above the second.
function riskScale(result: DrugTest): HTMLElement {
  const { high_below: low, low_above: high } = result.thresholds;
  const span = high - low;
  const from = low - 1.5 * span, to = high + 1.5 * span;
  const x = (v: number) => (100 * (Math.min(Math.max(v, from), to) - from)) / (to - from);
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 100 14");
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("aria-hidden", "true");
  const rect = (a: number, b: number, colour: string) => {
    const r = document.createElementNS(svg.namespaceURI, "rect");
    Object.entries({ x: a, y: 3, width: b - a, height: 8, fill: colour, opacity: "0.35" }).forEach(([k, v]) => r.setAttribute(k, String(v)));
    svg.append(r);
  };
  rect(0, x(low), riskColour.high);
  rect(x(low), x(high), riskColour.intermediate);
  rect(x(high), 100, riskColour.low);
  if (result.tdp_metric !== null) {
    const marker = document.createElementNS(svg.namespaceURI, "rect");
    Object.entries({ x: x(result.tdp_metric) - 0.6, y: 0, width: 1.2, height: 14, fill: "#000" }).forEach(([k, v]) => marker.setAttribute(k, String(v)));
    svg.append(marker);
  }
  return h("div", { class: "risk-scale" }, h("span", {}, "high"), svg as unknown as HTMLElement, h("span", {}, "low"));
}

function riskSentence(result: DrugTest): string {
  const metric = result.tdp_metric === null ? "undefined" : `${result.tdp_metric.toFixed(4)} µC/µF`;
  const why = result.ead
    ? "an early afterdepolarisation or a failed repolarisation at some dose makes it high risk whatever the metric"
    : `high below ${result.thresholds.high_below}, low above ${result.thresholds.low_above} (Li et al. 2019)`;
  const p = result.probabilities;
  const probabilities = p
    ? `Over ${p.samples} parameter samples: high ${Math.round(100 * p.high)} %, intermediate ${Math.round(100 * p.intermediate)} %, low ${Math.round(100 * p.low)} %.`
    : "Class probabilities need samples of the drug's IC50s; the bundled CiPA tables hold one value per current, so only the class of the best estimate is given.";
  return `${result.drug}: torsade metric (mean qNet over the doses) ${metric}, ${result.risk} TdP risk; ${why}. ${probabilities}`;
}

function doseTable(result: DrugTest): HTMLElement {
  const rows = result.doses.map((d) => [
    `${numberText(d.multiple)}×`,
    d.concentration_nm,
    optional(d.apd90_ms),
    optional(d.apd50_ms),
    d.qnet === null ? "—" : d.qnet.toFixed(4),
    d.ead ? "yes" : d.repolarised ? "no" : "no repolarisation",
  ]);
  return dataTable(
    `Endocardial ORd-CiPA cell, ${result.beats} beats per dose at a 2 s cycle`,
    ["dose (× Cmax)", "concentration (nM)", "APD90 (ms)", "APD50 (ms)", "qNet (µC/µF)", "EAD"],
    rows,
    "drug-dose-table",
  );
}

function heartSection(result: DrugTest): HTMLElement | null {
  const heart = result.heart;
  if (!heart) return null;
  const rows = heart.doses.map((d) => [
    `${numberText(d.multiple)}×`,
    optional(d.predicted_qtc_ms),
    d.delta_qtc_ms === null ? "—" : `${d.delta_qtc_ms >= 0 ? "+" : ""}${numberText(d.delta_qtc_ms, 0)}`,
    d.ead ? "yes" : d.repolarised ? "no" : "no repolarisation",
  ]);
  return h(
    "section",
    {},
    h("h3", {}, "In this person's heart"),
    h("p", {}, `${heart.phenotype}; measured QTc ${numberText(heart.measured_qtc_ms, 0)} ms (${heart.qtc_source}).${heart.target_reached ? "" : " The strand could not be calibrated to it exactly: read the changes with care."}`),
    h("div", { class: "scroll" }, dataTable("QTc predicted by the person's calibrated transmural strand", ["dose (× Cmax)", "QTc (ms)", "ΔQTc (ms)", "EAD"], rows, "drug-heart-table")),
  );
}

export async function drugPage(main: HTMLElement, personId: number): Promise<void> {
  const options = await api<DrugTestOptions>(`/persons/${personId}/drug-test`);
  setCrumbs(["Persons", "#/"], ["Person", `#/person/${personId}`], ["Heart drug test", ""]);

  const drug = h("select", { id: "drug-name" });
  for (const d of options.drugs) drug.append(h("option", { value: d.name }, `${d.name}${d.cipa_risk ? ` (CiPA: ${d.cipa_risk})` : ""}`));
  const doses = h("input", { id: "drug-doses", value: options.doses.join(", "), pattern: "\\s*[0-9.]+(\\s*,\\s*[0-9.]+){0,5}\\s*", required: "" });
  const protocol = h("select", { id: "drug-beats" },
    h("option", { value: String(options.beats) }, `CiPA protocol (${options.beats} beats per dose)`),
    h("option", { value: String(quickBeats) }, `Quick look (${quickBeats} beats per dose; slow binders may not settle)`));
  const heart = h("input", options.heart ? { id: "drug-heart", type: "checkbox" } : { id: "drug-heart", type: "checkbox", disabled: "" });
  const heartLabel = options.heart
    ? `Also in this person's heart (QTc ${numberText(options.heart.qtc_ms, 0)} ms; ${options.heart.qtc_source}); adds about half a minute`
    : "In this person's heart: needs a stored QTc (analyse an ECG with `medtwin ecg --person`)";
  const run = h("button", { type: "submit" }, "Run the test");
  const job = new JobControls<DrugTest>("drug test progress", "drug-status");
  const form = h(
    "form",
    { "aria-label": "Drug test" },
    h("div", { class: "controls" }, h("label", { for: "drug-name" }, "Drug"), drug, h("label", { for: "drug-doses" }, "doses (× free Cmax)"), doses),
    h("div", { class: "controls" }, h("label", { for: "drug-beats" }, "Protocol"), protocol),
    h("div", { class: "controls" }, heart, h("label", { for: "drug-heart" }, heartLabel)),
    h("div", { class: "controls" }, run, job.cancel, job.progress),
  );
  const results = h("section", { id: "drug-result" });
  show(
    main,
    h("h1", {}, "Heart drug test"),
    h("p", { class: "hint" }, "The CiPA in-silico assay: the drug's block of seven ionic currents applied to a human ventricular cell model (ORd-CiPA) paced at each dose; a low net charge (qNet) means a high risk of torsade de pointes."),
    form,
    job.status,
    results,
  );

  let chart: uPlot | undefined;
  onLeave(() => chart?.destroy());
  const start = () => {
    const body = { drug: drug.value, doses: doses.value.split(",").map(Number), beats: Number(protocol.value), heart: heart.checked };
    return api<Job<DrugTest>>(`/persons/${personId}/drug-test`, "POST", body);
  };
  job.runOnSubmit(form, run, start, (result) => {
    chart?.destroy();
    const figure = h("figure", { role: "group", "aria-label": `Action potentials of ${result.drug} per dose`, "aria-describedby": "drug-risk" });
    const risk = h("p", { id: "drug-risk" }, h("strong", {}, `${result.risk} risk`), ". ", riskSentence(result));
    results.replaceChildren(
      h("h2", {}, `${result.drug} at ${result.doses.map((d) => `${numberText(d.multiple)}×`).join(", ")} Cmax (${numberText(result.cmax_nm)} nM)`),
      riskScale(result),
      risk,
      figure,
      h("div", { class: "scroll" }, doseTable(result)),
      heartSection(result) ?? "",
      ...result.notes.map((n) => h("p", { class: "hint" }, n)),
    );
    figure.dataset.doses = String(result.doses.length);
    chart = traceChart(result, Math.max(300, Math.min(main.clientWidth || 900, 1000)), figure);
    job.status.textContent = `${result.drug}: ${result.risk} risk.`;
  }, "The drug test did not run");
}

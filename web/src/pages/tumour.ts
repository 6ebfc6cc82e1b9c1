// A tumour twin: its visits as axial slices — of its own masks, outlined, when
// it was calibrated from them, else through the spherical model (the sphere
// of each visit's measured T2/FLAIR and T1Gd volumes) — the fitted
// growth parameters, and a comparison of treatment plans run on the server as
// a job: each plan's T1Gd radius over time with its 10–90 % band, the slice on
// a chosen day, and the regimen table (days gained, responses, progression).
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { api, Job, PlanForecast, TumourForecasts, TumourTwin, TumourVisitSlices } from "../api";
import { dataTable, h, numberText, onLeave, setCrumbs, show, sizedContext } from "../dom";
import { JobControls } from "../job_controls";
import { palette } from "../palette";

const sliceSize = 150;  // CSS pixels
const lethalRadiusMm = 35;  // Rockne's and PDEControlGym's lethal T1Gd size

// Black is the visits'.
const planColour = (i: number) => palette[i % (palette.length - 1)];

interface SliceRadii {
  t2: number;
  t1gd: number;
  t2Band?: [number, number];
  t1gdBand?: [number, number];
}

// Millimetres per pixel for slices that must show radii up to `largestMm` (at least 75 mm across).
const scaleFor = (largestMm: number) => Math.max(75, 2.2 * largestMm) / sliceSize;

function circle(ctx: CanvasRenderingContext2D, radiusMm: number, mmPerPx: number): void {
  ctx.beginPath();
  ctx.arc(sliceSize / 2, sliceSize / 2, radiusMm / mmPerPx, 0, 2 * Math.PI);
}

// A slice's canvas on a dark field.
function sliceCanvas(label: string): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } {
  const canvas = h("canvas", { class: "slice", role: "img", "aria-label": label });
  const ctx = sizedContext(canvas, sliceSize, sliceSize);
  canvas.style.width = `${sliceSize}px`;
  ctx.fillStyle = "#1b1b1b";
  ctx.fillRect(0, 0, sliceSize, sliceSize);
  return { canvas, ctx };
}

// The drawn slice with its 10 mm bar, as a captioned figure.
function sliceFigure(canvas: HTMLCanvasElement, ctx: CanvasRenderingContext2D, mmPerPx: number, label: string): HTMLElement {
  ctx.strokeStyle = "#fff";
  ctx.beginPath();
  ctx.moveTo(8, sliceSize - 8);
  ctx.lineTo(8 + 10 / mmPerPx, sliceSize - 8);
  ctx.stroke();
  return h("figure", { class: "slice" }, canvas, h("figcaption", {}, label));
}

// A slice on a dark field: grey the T2/FLAIR-visible tumour, white the enhancing
// core, dashed rings the 10 % and 90 % edges when the radii come with bands; a 10 mm bar.
function slice(radii: SliceRadii, label: string, mmPerPx: number): HTMLElement {
  const { canvas, ctx } = sliceCanvas(label);
  for (const [radius, colour] of [[radii.t2, "#8c8c8c"], [radii.t1gd, "#f2f2f2"]] as const) {
    circle(ctx, radius, mmPerPx);
    ctx.fillStyle = colour;
    ctx.fill();
  }
  ctx.lineWidth = 1;
  ctx.setLineDash([3, 3]);
  for (const [band, colour] of [[radii.t2Band, palette[5]], [radii.t1gdBand, palette[4]]] as const)
    for (const radius of band ?? []) {
      circle(ctx, radius, mmPerPx);
      ctx.strokeStyle = colour;
      ctx.stroke();
    }
  ctx.setLineDash([]);
  return sliceFigure(canvas, ctx, mmPerPx, label);
}

const mm = (v: number) => `${numberText(v)} mm`;

function visitSlices(twin: TumourTwin): HTMLElement {
  const mmPerPx = scaleFor(Math.max(...twin.visits.map((v) => v.t2_radius_mm)));
  return h(
    "div",
    { class: "slices", id: "visit-slices" },
    ...twin.visits.map((v) => slice({ t2: v.t2_radius_mm, t1gd: v.t1gd_radius_mm }, visitLabel(v), mmPerPx)),
  );
}

function unrun(runs: number[], size: number): Uint8Array {
  const mask = new Uint8Array(size);
  let at = 0;
  runs.forEach((length, i) => {
    if (i % 2) mask.fill(1, at, at + length);
    at += length;
  });
  return mask;
}

// One visit's masks on the slice: the brain dark grey, the T2/FLAIR
// abnormality grey outlined in sky blue, the enhancing core white outlined in
// orange (voxels at a mask's edge), i to the right and j up; a 10 mm bar.
function maskSlice(slices: TumourVisitSlices, brain: Uint8Array, t2: Uint8Array, t1gd: Uint8Array, label: string): HTMLElement {
  const { width, height } = slices;
  const image = new ImageData(width, height);
  const inside = (mask: Uint8Array, i: number, j: number) => i >= 0 && j >= 0 && i < width && j < height && mask[i + width * j] === 1;
  const edge = (mask: Uint8Array, i: number, j: number) =>
    inside(mask, i, j) && !(inside(mask, i - 1, j) && inside(mask, i + 1, j) && inside(mask, i, j - 1) && inside(mask, i, j + 1));
  const rgb = (hex: string) => [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
  for (let j = 0; j < height; ++j)
    for (let i = 0; i < width; ++i) {
      const colour = edge(t1gd, i, j) ? rgb(palette[4]) : edge(t2, i, j) ? rgb(palette[5]) : inside(t1gd, i, j) ? [242, 242, 242] : inside(t2, i, j) ? [140, 140, 140] : inside(brain, i, j) ? [60, 60, 60] : [27, 27, 27];
      image.data.set([...colour, 255], 4 * (i + width * (height - 1 - j)));
    }
  const voxels = document.createElement("canvas");
  voxels.width = width;
  voxels.height = height;
  voxels.getContext("2d")!.putImageData(image, 0, 0);
  const [dx, dy] = slices.spacing_mm;
  const mmPerPx = Math.max(width * dx, height * dy) / sliceSize;
  const { canvas, ctx } = sliceCanvas(label);
  ctx.imageSmoothingEnabled = false;
  const w = (width * dx) / mmPerPx, hgt = (height * dy) / mmPerPx;
  ctx.drawImage(voxels, (sliceSize - w) / 2, (sliceSize - hgt) / 2, w, hgt);
  return sliceFigure(canvas, ctx, mmPerPx, label);
}

const visitLabel = (v: TumourTwin["visits"][number]) =>
  `${v.date} (day ${numberText(v.day, 0)}): T1Gd ${mm(v.t1gd_radius_mm)}, T2/FLAIR ${mm(v.t2_radius_mm)}${v.rano ? `, ${v.rano}` : ""}`;

// The twin's own masks on one slice, when it keeps them.
async function maskSlices(twin: TumourTwin): Promise<HTMLElement> {
  const slices = await api<TumourVisitSlices>(`/tumour-twins/${encodeURIComponent(twin.id)}/visit-slices`);
  const size = slices.width * slices.height;
  const brain = unrun(slices.brain, size);
  const figures = slices.visits.map((v) => maskSlice(slices, brain, unrun(v.t2, size), unrun(v.t1gd, size), visitLabel(twin.visits[v.index])));
  const out = h("div", { class: "slices", id: "visit-slices" }, ...figures);
  out.dataset.masks = String(figures.length);
  return out;
}

function visitTable(twin: TumourTwin): HTMLElement {
  const rows = twin.visits.map((v) => [
    v.date,
    v.day,
    v.t1gd_radius_mm,
    v.t2_radius_mm,
    v.calibrated_on ? "calibration" : v.rano ?? "—",
    v.days_gained === null ? "—" : numberText(v.days_gained, 0),
  ]);
  return dataTable("Visits (radii of the spheres of the measured volumes)", ["date", "day", "T1Gd radius (mm)", "T2/FLAIR radius (mm)", "used for / RANO", "days gained"], rows);
}

function parameterTable(twin: TumourTwin): HTMLElement {
  const interval = (p: TumourTwin["parameters"][number]) => (p.low95 === null || p.high95 === null ? "not determined" : `${p.low95.toPrecision(3)} – ${p.high95.toPrecision(3)}`);
  return dataTable(
    `Fitted to the visits before treatment (radius RMSE ${numberText(twin.rmse_mm, 2)} mm)`,
    ["parameter", "value", "95 % interval", "unit"],
    twin.parameters.map((p) => [p.name, p.value.toPrecision(3), interval(p), p.unit]),
  );
}

const share = (v: number) => `${Math.round(100 * v)} %`;
const wholeDays = (v: number) => String(Math.round(v) + 0);  // + 0: no "-0"
const optionalDays = (v: number | null) => (v === null ? "beyond follow-up" : wholeDays(v));

function regimenTable(result: TumourForecasts): HTMLElement {
  const rows = result.plans.map((p) => [
    p.plan,
    `${wholeDays(p.days_gained.median)} [${wholeDays(p.days_gained.low)}, ${wholeDays(p.days_gained.high)}]`,
    p.rano,
    p.recist,
    share(p.responding_share),
    share(p.progressing_share),
    optionalDays(p.progression_day),
    optionalDays(p.lethal_size_day),
    numberText(p.t1gd_volume_end_ml),
  ]);
  return dataTable(
    `Regimens compared: median [10 %, 90 %] over ${result.samples} posterior samples; responses 4 weeks after radiotherapy`,
    ["plan", "days gained", "RANO", "RECIST", "responding", "progressing", "progression (day)", "T1Gd 35 mm (day)", "T1Gd volume at end (mL)"],
    rows,
    "regimens",
  );
}

// Every plan's median T1Gd radius (and its band) on one axis of days since the diagnosis, with the visits.
function growthChart(twin: TumourTwin, result: TumourForecasts, width: number, into: HTMLElement): uPlot {
  const days = [...new Set([...twin.visits.map((v) => v.day), ...result.plans.flatMap((p) => p.series.day)])].sort((a, b) => a - b);
  const index = new Map(days.map((d, i) => [d, i]));
  const column = (pairs: [number, number][]) => {
    const c: (number | null)[] = new Array(days.length).fill(null);
    for (const [d, v] of pairs) c[index.get(d)!] = v;
    return c;
  };
  const data: (number | null)[][] = [column(twin.visits.map((v) => [v.day, v.t1gd_radius_mm]))];
  const series: uPlot.Series[] = [{ label: "visits", stroke: palette[6], paths: () => null, points: { show: true, size: 8, fill: palette[6] } }];
  const bands: uPlot.Band[] = [];
  result.plans.forEach((p, i) => {
    const colour = planColour(i);
    const pick = (values: number[]) => column(p.series.day.map((d, k) => [d, values[k]]));
    const first = data.length + 1;
    data.push(pick(p.series.t1gd_radius_mm.median), pick(p.series.t1gd_radius_mm.low), pick(p.series.t1gd_radius_mm.high));
    series.push(
      { label: p.plan, stroke: colour, width: 2, spanGaps: true, points: { show: false } },
      { label: `${p.plan} 10 %`, stroke: "transparent", spanGaps: true, points: { show: false } },
      { label: `${p.plan} 90 %`, stroke: "transparent", spanGaps: true, points: { show: false } },
    );
    bands.push({ series: [first + 2, first + 1], fill: `${colour}22` });
  });
  const lethal: uPlot.Plugin = {
    hooks: {
      drawAxes: (u) => {
        const y = u.valToPos(lethalRadiusMm, "y", true);
        u.ctx.save();
        u.ctx.strokeStyle = "#999";
        u.ctx.setLineDash([6, 4]);
        u.ctx.beginPath();
        u.ctx.moveTo(u.bbox.left, y);
        u.ctx.lineTo(u.bbox.left + u.bbox.width, y);
        u.ctx.stroke();
        u.ctx.restore();
      },
    },
  };
  return new uPlot(
    {
      width,
      height: 340,
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(lethalRadiusMm + 5, max + 2)] } },
      axes: [{ label: "days since the diagnosis" }, { label: "T1Gd radius (mm)" }],
      series: [{}, ...series],
      bands,
      legend: { show: false },
      plugins: [lethal],
    },
    [days, ...data] as uPlot.AlignedData,
    into,
  );
}

// Each plan's slice on `day` (the nearest forecast day), with the 10 % and 90 % edges, all on
// the scale of the largest T2/FLAIR edge of the follow-up, so moving the day does not rescale them.
function forecastSlices(result: TumourForecasts, day: number): HTMLElement[] {
  const mmPerPx = scaleFor(Math.max(...result.plans.flatMap((p) => p.series.t2_radius_mm.high)));
  return result.plans.map((p: PlanForecast) => {
    const days = p.series.day;
    let k = 0;
    for (let i = 1; i < days.length; ++i) if (Math.abs(days[i] - day) < Math.abs(days[k] - day)) k = i;
    const t1 = p.series.t1gd_radius_mm, t2 = p.series.t2_radius_mm;
    return slice(
      { t2: t2.median[k], t1gd: t1.median[k], t2Band: [t2.low[k], t2.high[k]], t1gdBand: [t1.low[k], t1.high[k]] },
      `${p.plan}, day ${numberText(days[k], 0)}: T1Gd ${mm(t1.median[k])} [${numberText(t1.low[k])}, ${numberText(t1.high[k])}], T2/FLAIR ${mm(t2.median[k])}`,
      mmPerPx,
    );
  });
}

// The plans' colours, as the chart draws them.
function legend(result: TumourForecasts): HTMLElement {
  return h(
    "ul",
    { class: "legend" },
    ...result.plans.map((p, i) => h("li", {}, h("span", { class: "swatch", style: `background: ${planColour(i)}` }), p.plan)),
  );
}

function comparisonSection(twin: TumourTwin, result: TumourForecasts, width: number): { section: HTMLElement; chart: () => uPlot } {
  const first = Math.min(...result.plans.map((p) => p.series.day[0]));
  const last = Math.max(...result.plans.map((p) => p.series.day[p.series.day.length - 1]));
  const assessment = result.plans[result.plans.length - 1].assessment_day;
  const dayInput = h("input", { id: "slice-day", type: "range", min: String(Math.ceil(first)), max: String(Math.floor(last)), step: "1", value: String(Math.round(assessment)) });
  const dayLabel = h("output", { for: "slice-day" });
  const slices = h("div", { class: "slices", id: "forecast-slices" });
  const redraw = () => {
    dayLabel.textContent = `day ${dayInput.value}`;
    slices.replaceChildren(...forecastSlices(result, Number(dayInput.value)));
  };
  dayInput.addEventListener("input", redraw);
  redraw();
  const figure = h("figure", { role: "group", "aria-label": "T1Gd radius under each plan", "aria-describedby": "regimens" });
  figure.dataset.plans = String(result.plans.length);
  const section = h(
    "section",
    { id: "tumour-comparison" },
    h("h2", {}, "Plans compared"),
    figure,
    legend(result),
    h("p", { class: "hint" }, `Lines: median T1Gd radius; shaded: 10–90 %; dots: the visits; dashed: ${lethalRadiusMm} mm, the lethal size of the published simulations.`),
    h("div", { class: "scroll" }, regimenTable(result)),
    h("h3", {}, "Slices on a day"),
    h("div", { class: "controls" }, h("label", { for: "slice-day" }, "Day since the diagnosis"), dayInput, dayLabel),
    slices,
  );
  return { section, chart: () => growthChart(twin, result, width, figure) };
}

export async function tumourPage(main: HTMLElement, twinId: string): Promise<void> {
  const twin = await api<TumourTwin>(`/tumour-twins/${encodeURIComponent(twinId)}`);
  const crumb: [string, string] = [`Tumour twin ${twin.patient || twin.id}`, ""];
  if (twin.person === null) setCrumbs(["Persons", "#/"], crumb);
  else setCrumbs(["Persons", "#/"], ["Person", `#/person/${twin.person}`], crumb);
  const width = Math.max(300, Math.min(main.clientWidth || 900, 1100));

  const choices = twin.plans.map((p, i) => {
    const box = h("input", { type: "checkbox", id: `plan-${i}`, value: p.id, checked: "" });
    return { box, row: h("div", {}, box, h("label", { for: `plan-${i}` }, p.name)) };
  });
  const samples = h("select", { id: "tumour-samples" }, h("option", { value: "40" }, "40 (as the command)"), h("option", { value: "12" }, "12 (quicker)"), h("option", { value: "100" }, "100"));
  const run = h("button", { type: "submit" }, "Compare the plans");
  const job = new JobControls<TumourForecasts>("comparison progress", "tumour-status");
  const form = h(
    "form",
    { "aria-label": "Plans" },
    h("fieldset", {}, h("legend", {}, "Plans (the untreated virtual control is always added)"), ...choices.map((c) => c.row)),
    h("div", { class: "controls" }, h("label", { for: "tumour-samples" }, "Posterior samples per plan"), samples, run, job.cancel, job.progress),
  );
  const results = h("div", {});
  // The twin's own masks when it keeps them (and they can still be read), else the model's spheres.
  const visits = twin.has_visit_masks ? await maskSlices(twin).catch(() => visitSlices(twin)) : visitSlices(twin);
  show(
    main,
    h("h1", {}, `Tumour twin: ${twin.patient || twin.id}`),
    h("p", {}, `Diagnosed ${twin.diagnosis}; the proliferation–invasion model (spherical) fitted to the visits before treatment.`),
    h("h2", {}, "Visits"),
    visits,
    h(
      "p",
      { class: "hint" },
      visits.dataset.masks
        ? "Each visit's masks on the axial slice where the tumour is largest (visits given as radii are not drawn): grey the T2/FLAIR abnormality (outlined in blue), white the enhancing core (outlined in orange), dark grey the brain; the bar is 10 mm."
        : "Axial slices through the centre of each visit's spheres: grey the T2/FLAIR abnormality, white the enhancing core; the bar is 10 mm.",
    ),
    h("div", { class: "scroll" }, visitTable(twin)),
    h("div", { class: "scroll" }, parameterTable(twin)),
    twin.plans.length ? form : h("p", {}, "This server offers no plans (medtwin serve --tumour-plans DIR)."),
    job.status,
    results,
  );

  let chart: uPlot | undefined;
  onLeave(() => chart?.destroy());
  const start = () => {
    const plans = choices.filter((c) => c.box.checked).map((c) => c.box.value);
    if (!plans.length) throw new Error("choose at least one plan");
    return api<Job<TumourForecasts>>(`/tumour-twins/${encodeURIComponent(twin.id)}/forecast`, "POST", { plans, samples: Number(samples.value) });
  };
  job.runOnSubmit(form, run, start, (result) => {
    chart?.destroy();
    const comparison = comparisonSection(twin, result, width);
    results.replaceChildren(comparison.section);
    chart = comparison.chart();
    job.status.textContent = "";
  }, "The comparison did not run");
}

// A signal as on ECG paper: 25 mm/s and 10 mm/mV over a grid of 1-mm and 5-mm
// squares, 10 s at a time, with the recording's beat labels. ← and → (or the
// buttons) step through it; the slider jumps anywhere in a 24-hour Holter.
// An ECG is analysed on the server (a job) as the page opens: the detected
// beats and their classes are marked above the trace, poor-quality stretches
// and AF episodes shaded, and the intervals and rhythm summarised.
import { api, EcgAnalysis, followJob, Job, Signal, SignalWindow } from "../api";
import { h, numberText, onLeave, setCrumbs, show, sizedContext } from "../dom";
import { palette } from "../palette";

const windowSeconds = 10;
const mmPerSecond = 25, mmPerMillivolt = 10, stripMm = 30;

// Beat classes as colours; N is drawn in ink, the rest stand out.
const beatColour: Record<string, string> = { N: "#000000", V: palette[1], A: palette[0], F: palette[3], "/": palette[2], Q: palette[4] };

function drawPaper(ctx: CanvasRenderingContext2D, width: number, height: number, pxPerMm: number): void {
  ctx.fillStyle = "#fffafa";
  ctx.fillRect(0, 0, width, height);
  for (let mm = 0; mm * pxPerMm <= Math.max(width, height); ++mm) {
    ctx.strokeStyle = mm % 5 === 0 ? "#e8a0a0" : "#f6d6d6";
    ctx.lineWidth = mm % 5 === 0 ? 1 : 0.5;
    const p = Math.round(mm * pxPerMm) + 0.5;
    ctx.beginPath();
    ctx.moveTo(p, 0);
    ctx.lineTo(p, height);
    ctx.moveTo(0, p);
    ctx.lineTo(width, p);
    ctx.stroke();
  }
}

// The analysis's beats within the window, as [sample, class].
function detectedIn(w: SignalWindow, analysis: EcgAnalysis | undefined): [number, string][] {
  if (!analysis) return [];
  const last = w.first_sample + (w.channels[0]?.samples.length ?? 0);
  const list = analysis.beat_list;
  return list.sample.flatMap((s, i) => (s >= w.first_sample && s < last ? [[s, list.class[i]] as [number, string]] : []));
}

// Poor quality in grey, AF in orange, over the stretches of the window they cover.
function shadeSpans(ctx: CanvasRenderingContext2D, w: SignalWindow, analysis: EcgAnalysis, pxPerSample: number, height: number): void {
  const shade = (start_s: number, end_s: number, colour: string) => {
    const x0 = Math.max(0, (start_s * w.sample_rate_hz - w.first_sample) * pxPerSample);
    const x1 = Math.min(ctx.canvas.width, (end_s * w.sample_rate_hz - w.first_sample) * pxPerSample);
    if (x1 <= x0) return;
    ctx.fillStyle = colour;
    ctx.fillRect(x0, 0, x1 - x0, height);
  };
  for (const q of analysis.poor_quality) shade(q.start_s, q.end_s, "rgba(120, 120, 120, 0.18)");
  for (const e of analysis.episodes) shade(e.start_s, e.end_s, "rgba(230, 159, 0, 0.18)");
}

function drawWindow(canvas: HTMLCanvasElement, w: SignalWindow, analysis?: EcgAnalysis): void {
  const width = canvas.clientWidth;
  const pxPerMm = width / (windowSeconds * mmPerSecond);
  const height = Math.round(w.channels.length * stripMm * pxPerMm);
  const ctx = sizedContext(canvas, width, height);
  drawPaper(ctx, width, height, pxPerMm);
  const pxPerSample = (mmPerSecond * pxPerMm) / w.sample_rate_hz;
  if (analysis) shadeSpans(ctx, w, analysis, pxPerSample, height);
  w.channels.forEach((channel, c) => {
    const baseline = (c + 0.5) * stripMm * pxPerMm;
    const toMv = channel.unit === "uV" ? 1e-3 : 1;
    ctx.strokeStyle = "#111";
    ctx.lineWidth = 1.2;
    ctx.beginPath();
    channel.samples.forEach((v, i) => {
      const x = i * pxPerSample, y = baseline - v * toMv * mmPerMillivolt * pxPerMm;
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.stroke();
    ctx.fillStyle = "#333";
    ctx.font = "12px sans-serif";
    ctx.fillText(channel.label, 4, c * stripMm * pxPerMm + 14);
  });
  ctx.font = "bold 13px sans-serif";
  for (const a of w.annotations) {
    const x = (a.sample - w.first_sample) * pxPerSample;
    ctx.fillStyle = beatColour[a.code] ?? palette[5];
    ctx.fillText(a.code + (a.text ? ` ${a.text}` : ""), x - 4, height - 6);
  }
  // The analysis's own classes above the trace (AAMI: N, S, V, F, Q).
  for (const [sample, cls] of detectedIn(w, analysis)) {
    const x = (sample - w.first_sample) * pxPerSample;
    ctx.fillStyle = cls === "N" ? "#000000" : cls === "V" ? palette[1] : cls === "S" ? palette[0] : palette[3];
    ctx.fillText(cls, x - 4, 28);
  }
}

function analysisSummary(a: EcgAnalysis, jump: (seconds: number) => void): HTMLElement {
  const ms = (v: number | null | undefined) => (v === null || v === undefined ? "—" : `${numberText(v, 0)} ms`);
  const rows: [string, string][] = [
    ["beats", `${a.beats.toLocaleString("en")}: ${Object.entries(a.beat_classes).filter(([, n]) => n > 0).map(([c, n]) => `${n} ${c}`).join(", ")}`],
    ["heart rate", a.heart_rate.mean === null ? "—" : `${numberText(a.heart_rate.mean, 0)} /min (${numberText(a.heart_rate.min ?? NaN, 0)}–${numberText(a.heart_rate.max ?? NaN, 0)})`],
    ["PR, QRS, QT", `${ms(a.intervals?.pr_ms)}, ${ms(a.intervals?.qrs_ms)}, ${ms(a.intervals?.qt_ms)}`],
    ["QTc (Fridericia, Bazett)", a.intervals?.qtc_ms ? `${ms(a.intervals.qtc_ms.fridericia)}, ${ms(a.intervals.qtc_ms.bazett)}` : "—"],
    ["atrial fibrillation", a.af_burden === null ? "not evaluated" : `${numberText(100 * a.af_burden)} % of the time, ${a.episodes.length} episode(s)`],
    ["usable signal", a.usable_fraction === null ? "—" : `${numberText(100 * a.usable_fraction, 0)} %`],
  ];
  const table = h("table", { id: "ecg-analysis" }, h("caption", {}, `Analysis of lead ${a.lead}${a.second_lead ? ` with ${a.second_lead}` : ""}`));
  const body = h("tbody");
  for (const [name, value] of rows) body.append(h("tr", {}, h("th", { scope: "row" }, name), h("td", {}, value)));
  table.append(body);
  const spans = h("ul");
  const link = (label: string, start: number) => {
    const b = h("button", { type: "button" }, label);
    b.addEventListener("click", () => jump(start));
    return h("li", {}, b);
  };
  for (const e of a.episodes.slice(0, 20)) spans.append(link(`AF ${numberText(e.start_s, 0)}–${numberText(e.end_s, 0)} s`, e.start_s));
  for (const q of a.poor_quality.slice(0, 20)) spans.append(link(`${q.quality} ${numberText(q.start_s, 0)}–${numberText(q.end_s, 0)} s`, q.start_s));
  return h("section", {}, table, spans.childElementCount ? h("h3", {}, "Go to") : null, spans.childElementCount ? spans : null, ...a.notes.map((n) => h("p", { class: "hint" }, n)));
}

function countText(codes: string[]): string {
  const counts = new Map<string, number>();
  for (const c of codes) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts].map(([code, n]) => `${n} ${code}`).join(", ");
}

function describeWindow(w: SignalWindow, start: number, total: number, analysis?: EcgAnalysis): string {
  const labels = countText(w.annotations.map((a) => a.code));
  const detected = analysis ? `; detected: ${countText(detectedIn(w, analysis).map(([, c]) => c)) || "no beats"}` : "";
  return `Seconds ${numberText(start)}–${numberText(Math.min(total, start + windowSeconds))} of ${numberText(total)}: ${w.channels.length} channel(s); ${labels ? `labels: ${labels}` : "no labels"}${detected}.`;
}

export async function signalPage(main: HTMLElement, personId: number, signalId: number): Promise<void> {
  const signals = await api<Signal[]>(`/persons/${personId}/signals`);
  const signal = signals.find((s) => s.id === signalId);
  if (!signal) throw new Error("no such signal");
  setCrumbs(["Persons", "#/"], ["Person", `#/person/${personId}`], [`${signal.kind} ${signal.channels.map((c) => c.label).join(", ")}`, ""]);
  const canvas = h("canvas", { tabindex: "0", role: "img", "aria-describedby": "window-summary", class: "paper" });
  const summary = h("p", { id: "window-summary" });
  const analysisSection = h("section", { id: "ecg-analysis-section", "aria-live": "polite" });
  const slider = h("input", { type: "range", min: "0", max: String(Math.max(0, Math.floor(signal.seconds - windowSeconds))), step: "1", value: "0", id: "position" });
  const previous = h("button", { type: "button" }, "← 10 s");
  const next = h("button", { type: "button" }, "10 s →");
  show(
    main,
    h("h1", {}, `${signal.kind}: ${signal.channels.map((c) => c.label).join(", ")}`),
    h("p", {}, `${numberText(signal.seconds / 60)} min at ${signal.sample_rate_hz} Hz · 25 mm/s, 10 mm/mV · ${signal.source}`),
    h("div", { class: "controls" }, previous, h("label", { for: "position" }, "Position (s) "), slider, next),
    canvas,
    summary,
    signal.kind === "ECG" ? h("p", { class: "hint" }, "Above the trace: the beat classes the analysis found (AAMI N, S, V, F, Q); below it: the recording's own labels. Grey: poor signal; orange: atrial fibrillation.") : null,
    analysisSection,
  );
  let start = 0, request = 0, analysis: EcgAnalysis | undefined, shown: SignalWindow | undefined;
  const load = async (seconds: number) => {
    start = Math.max(0, Math.min(seconds, Math.max(0, signal.seconds - windowSeconds)));
    slider.value = String(Math.floor(start));
    const mine = ++request;
    const w = await api<SignalWindow>(`/persons/${personId}/signals/${signalId}/window?start=${start}&seconds=${windowSeconds}`);
    if (mine !== request) return;  // the reader moved on meanwhile
    shown = w;
    redraw();
  };
  const redraw = () => {
    if (!shown) return;
    drawWindow(canvas, shown, analysis);
    canvas.dataset.samples = String(shown.channels[0]?.samples.length ?? 0);
    canvas.dataset.beats = String(shown.annotations.length);
    if (analysis) canvas.dataset.detected = String(detectedIn(shown, analysis).length);
    summary.textContent = describeWindow(shown, start, signal.seconds, analysis);
  };
  previous.addEventListener("click", () => void load(start - windowSeconds));
  next.addEventListener("click", () => void load(start + windowSeconds));
  slider.addEventListener("input", () => void load(Number(slider.value)));
  canvas.addEventListener("keydown", (event) => {
    if (event.key === "ArrowRight") void load(start + windowSeconds);
    else if (event.key === "ArrowLeft") void load(start - windowSeconds);
    else return;
    event.preventDefault();
  });
  await load(0);
  if (signal.kind === "ECG") void analyse(personId, signal, analysisSection, (a) => {
    analysis = a;
    analysisSection.replaceChildren(analysisSummary(a, (seconds) => void load(seconds)));
    redraw();
  });
}

// Starts the server's analysis and follows it; a reader who leaves cancels it.
async function analyse(personId: number, signal: Signal, section: HTMLElement, done: (a: EcgAnalysis) => void): Promise<void> {
  const status = h("p", {}, "Analysing the recording…");
  section.replaceChildren(status);
  let job: Job<EcgAnalysis> | undefined, left = false;
  const cancel = () => {
    if (job && job.state !== "done") void api(`/jobs/${job.id}`, "DELETE").catch(() => undefined);
  };
  onLeave(() => {
    left = true;
    cancel();
  });
  try {
    job = await api<Job<EcgAnalysis>>(`/persons/${personId}/signals/${signal.id}/analysis`, "POST", {});
    if (left) return cancel();  // the reader left while it was being started
    done(await followJob(job, (j) => {
      job = j;
      status.textContent = `${j.step} (${Math.round(100 * j.progress)} %)…`;
    }));
  } catch (error) {
    status.textContent = `The analysis did not run: ${(error as Error).message}`;
  }
}

// A signal as on ECG paper: 25 mm/s and 10 mm/mV over a grid of 1-mm and 5-mm
// squares, 10 s at a time, with the recording's beat labels. ← and → (or the
// buttons) step through it; the slider jumps anywhere in a 24-hour Holter.
import { api, Signal, SignalWindow } from "../api";
import { h, numberText, setCrumbs, show } from "../dom";
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

function drawWindow(canvas: HTMLCanvasElement, w: SignalWindow): void {
  const width = canvas.clientWidth;
  const pxPerMm = width / (windowSeconds * mmPerSecond);
  const height = Math.round(w.channels.length * stripMm * pxPerMm);
  const scale = window.devicePixelRatio || 1;
  canvas.width = width * scale;
  canvas.height = height * scale;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d")!;
  ctx.scale(scale, scale);
  drawPaper(ctx, width, height, pxPerMm);
  const pxPerSample = (mmPerSecond * pxPerMm) / w.sample_rate_hz;
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
}

function describeWindow(w: SignalWindow, start: number, total: number): string {
  const counts = new Map<string, number>();
  for (const a of w.annotations) counts.set(a.code, (counts.get(a.code) ?? 0) + 1);
  const beats = [...counts].map(([code, n]) => `${n} ${code}`).join(", ");
  return `Seconds ${numberText(start)}–${numberText(Math.min(total, start + windowSeconds))} of ${numberText(total)}: ${w.channels.length} channel(s); ${beats ? `labels: ${beats}` : "no labels"}.`;
}

export async function signalPage(main: HTMLElement, personId: number, signalId: number): Promise<void> {
  const signals = await api<Signal[]>(`/persons/${personId}/signals`);
  const signal = signals.find((s) => s.id === signalId);
  if (!signal) throw new Error("no such signal");
  setCrumbs(["Persons", "#/"], ["Person", `#/person/${personId}`], [`${signal.kind} ${signal.channels.map((c) => c.label).join(", ")}`, ""]);
  const canvas = h("canvas", { tabindex: "0", role: "img", "aria-describedby": "window-summary", class: "paper" });
  const summary = h("p", { id: "window-summary" });
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
  );
  let start = 0, request = 0;
  const load = async (seconds: number) => {
    start = Math.max(0, Math.min(seconds, Math.max(0, signal.seconds - windowSeconds)));
    slider.value = String(Math.floor(start));
    const mine = ++request;
    const w = await api<SignalWindow>(`/persons/${personId}/signals/${signalId}/window?start=${start}&seconds=${windowSeconds}`);
    if (mine !== request) return;  // the reader moved on meanwhile
    drawWindow(canvas, w);
    canvas.dataset.samples = String(w.channels[0]?.samples.length ?? 0);
    canvas.dataset.beats = String(w.annotations.length);
    summary.textContent = describeWindow(w, start, signal.seconds);
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
}

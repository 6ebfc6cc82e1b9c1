// One night's sleep stages as the wearable staged them: a row per stage
// (awake at the top, deep sleep at the bottom), time in bed shaded behind,
// any night of the record chosen from a list; minutes per stage as its text.
// Drawn on the instants (a night when the clocks change keeps its length),
// labelled on the person's wall clock.
import { api, SleepStages } from "../api";
import { h, onLeave, sizedContext } from "../dom";
import { palette } from "../palette";

type Segment = SleepStages["segments"][number];

const rows: { label: string; stages: string[]; colour: string }[] = [
  { label: "Awake", stages: ["sleep-awake", "sleep-restless"], colour: palette[4] },
  { label: "REM", stages: ["sleep-rem"], colour: palette[5] },
  { label: "Asleep (unstaged)", stages: ["sleep-asleep"], colour: palette[3] },
  { label: "Light", stages: ["sleep-light"], colour: palette[0] },
  { label: "Deep", stages: ["sleep-deep"], colour: palette[2] },
];
const hourMs = 3_600_000;

// The wall clock's offset at `t`: that of the last segment started by then.
function offsetAt(night: SleepStages, t: number): number {
  let offset = night.segments[0].wall_offset_ms;
  for (const s of night.segments) if (s.start_ms <= t) offset = s.wall_offset_ms;
  return offset;
}

const wallClock = (night: SleepStages, t: number) => new Date(t + offsetAt(night, t)).toISOString().slice(11, 16);
const span = (night: SleepStages) => [Math.min(...night.segments.map((s) => s.start_ms)), Math.max(...night.segments.map((s) => s.end_ms))];

function draw(canvas: HTMLCanvasElement, night: SleepStages): void {
  const rowHeight = 26, left = 130, width = Math.max(300, canvas.clientWidth), height = rows.length * rowHeight + 26;
  const ctx = sizedContext(canvas, width, height);
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, width, height);
  const [from, to] = span(night);
  const x = (ms: number) => left + ((width - left - 8) * (ms - from)) / Math.max(1, to - from);
  const bar = (s: Segment, y: number, h: number) => ctx.fillRect(x(s.start_ms), y, Math.max(1, x(s.end_ms) - x(s.start_ms)), h);
  ctx.fillStyle = "#eef1f5";
  for (const s of night.segments) if (s.stage === "sleep-in-bed") bar(s, 0, rows.length * rowHeight);
  ctx.font = "12px system-ui";
  rows.forEach((row, i) => {
    const y = i * rowHeight;
    ctx.fillStyle = "#333";
    ctx.fillText(row.label, 4, y + rowHeight / 2 + 4);
    ctx.strokeStyle = "#ddd";
    ctx.beginPath();
    ctx.moveTo(left, y + rowHeight);
    ctx.lineTo(width - 8, y + rowHeight);
    ctx.stroke();
    ctx.fillStyle = row.colour;
    for (const s of night.segments) if (row.stages.includes(s.stage)) bar(s, y + 4, rowHeight - 8);
  });
  ctx.fillStyle = "#333";
  // Ticks on the wall clock's whole hours.
  for (let t = Math.ceil(from / hourMs) * hourMs; t <= to + hourMs; t += hourMs) {
    const wall = t - ((t + offsetAt(night, t)) % hourMs);
    if (wall >= from && wall <= to) ctx.fillText(wallClock(night, wall), x(wall) - 14, height - 6);
  }
}

function describe(night: SleepStages): string {
  const minutes = rows
    .map((row) => ({ row, total: night.segments.filter((s) => row.stages.includes(s.stage)).reduce((sum, s) => sum + (s.end_ms - s.start_ms) / 60_000, 0) }))
    .filter((m) => m.total > 0)
    .map((m) => `${m.row.label.toLowerCase()} ${Math.round(m.total)} min`);
  const [from, to] = span(night);
  return `The night that ended on ${night.night}, ${wallClock(night, from)}–${wallClock(night, to)}, staged by ${night.source}: ${minutes.join(", ") || "no stages"}.`;
}

// The section and what draws it once it is in the page (the canvas needs its
// width); nothing when the person's nights do not come from sleep stages, and
// a sentence when they could not be loaded (the rest of the sleep page stands).
export async function hypnogramSection(personId: number): Promise<{ section: HTMLElement; draw: () => void } | null> {
  const load = (night?: string) => api<SleepStages>(`/persons/${personId}/sleep/stages${night ? `?night=${night}` : ""}`);
  let first: SleepStages;
  try {
    first = await load();
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null;
    return { section: h("p", { role: "alert", class: "error" }, `The sleep stages could not be loaded: ${(error as Error).message}`), draw: () => undefined };
  }
  const picker = h("select", { id: "hypnogram-night" });
  for (const n of first.nights) picker.append(h("option", n === first.night ? { value: n, selected: "" } : { value: n }, n));
  const canvas = h("canvas", { class: "hypnogram", role: "img", "aria-describedby": "hypnogram-summary" });
  const summary = h("p", { id: "hypnogram-summary", "aria-live": "polite" });
  let shown = first, request = 0;
  const render = (night: SleepStages) => {
    shown = night;
    canvas.dataset.segments = String(night.segments.length);
    canvas.setAttribute("aria-label", `Sleep stages of the night that ended on ${night.night}`);
    draw(canvas, night);
    summary.textContent = describe(night);
  };
  picker.addEventListener("change", () => {
    const mine = ++request;  // a slower answer for an earlier choice is dropped
    load(picker.value)
      .then((night) => mine === request && render(night))
      .catch((error: Error) => mine === request && (summary.textContent = `This night could not be loaded: ${error.message}`));
  });
  const resizing = new ResizeObserver(() => draw(canvas, shown));
  onLeave(() => resizing.disconnect());
  const section = h(
    "section",
    {},
    h("h2", {}, "Sleep stages"),
    h("div", { class: "controls" }, h("label", { for: "hypnogram-night" }, "Night ending on"), picker),
    canvas,
    summary,
  );
  return {
    section,
    draw: () => {
      render(first);
      resizing.observe(canvas);
    },
  };
}

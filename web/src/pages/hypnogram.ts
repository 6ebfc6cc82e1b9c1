// One night's sleep stages as the wearable staged them: a row per stage
// (awake at the top, deep sleep at the bottom), time in bed shaded behind,
// any night of the record chosen from a list; minutes per stage as its text.
import { api, ApiError, SleepStages } from "../api";
import { h, sizedContext } from "../dom";
import { palette } from "../palette";

const rows: { label: string; stages: string[]; colour: string }[] = [
  { label: "Awake", stages: ["sleep-awake", "sleep-restless"], colour: palette[4] },
  { label: "REM", stages: ["sleep-rem"], colour: palette[5] },
  { label: "Asleep (unstaged)", stages: ["sleep-asleep"], colour: palette[3] },
  { label: "Light", stages: ["sleep-light"], colour: palette[0] },
  { label: "Deep", stages: ["sleep-deep"], colour: palette[2] },
];
const hourMs = 3_600_000;
const wallClock = (ms: number) => new Date(ms).toISOString().slice(11, 16);

function draw(canvas: HTMLCanvasElement, night: SleepStages): void {
  const rowHeight = 26, left = 130, width = Math.max(300, canvas.clientWidth), height = rows.length * rowHeight + 26;
  const ctx = sizedContext(canvas, width, height);
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, width, height);
  const from = Math.min(...night.segments.map((s) => s.start_wall_ms)), to = Math.max(...night.segments.map((s) => s.end_wall_ms));
  const x = (ms: number) => left + ((width - left - 8) * (ms - from)) / Math.max(1, to - from);
  ctx.fillStyle = "#eef1f5";
  for (const s of night.segments) if (s.stage === "sleep-in-bed") ctx.fillRect(x(s.start_wall_ms), 0, x(s.end_wall_ms) - x(s.start_wall_ms), rows.length * rowHeight);
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
    for (const s of night.segments)
      if (row.stages.includes(s.stage)) ctx.fillRect(x(s.start_wall_ms), y + 4, Math.max(1, x(s.end_wall_ms) - x(s.start_wall_ms)), rowHeight - 8);
  });
  ctx.fillStyle = "#333";
  for (let t = Math.ceil(from / hourMs) * hourMs; t <= to; t += hourMs) ctx.fillText(wallClock(t), x(t) - 14, height - 6);
}

function describe(night: SleepStages): string {
  const minutes = rows
    .map((row) => ({ row, total: night.segments.filter((s) => row.stages.includes(s.stage)).reduce((sum, s) => sum + (s.end_wall_ms - s.start_wall_ms) / 60_000, 0) }))
    .filter((m) => m.total > 0)
    .map((m) => `${m.row.label.toLowerCase()} ${Math.round(m.total)} min`);
  const from = Math.min(...night.segments.map((s) => s.start_wall_ms)), to = Math.max(...night.segments.map((s) => s.end_wall_ms));
  return `The night that ended on ${night.night}, ${wallClock(from)}–${wallClock(to)}, staged by ${night.source}: ${minutes.join(", ") || "no stages"}.`;
}

// The section and what draws it once it is in the page (the canvas needs its width), or
// nothing when the person's nights do not come from sleep stages.
export async function hypnogramSection(personId: number): Promise<{ section: HTMLElement; draw: () => void } | null> {
  const load = (night?: string) => api<SleepStages>(`/persons/${personId}/sleep/stages${night ? `?night=${night}` : ""}`);
  const first = await load().catch((error) => {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  });
  if (!first) return null;
  const picker = h("select", { id: "hypnogram-night" });
  for (const n of first.nights) picker.append(h("option", n === first.night ? { value: n, selected: "" } : { value: n }, n));
  const canvas = h("canvas", { class: "hypnogram", role: "img", "aria-describedby": "hypnogram-summary" });
  const summary = h("p", { id: "hypnogram-summary", "aria-live": "polite" });
  const render = (night: SleepStages) => {
    canvas.dataset.segments = String(night.segments.length);
    draw(canvas, night);
    summary.textContent = describe(night);
  };
  picker.addEventListener("change", () =>
    load(picker.value)
      .then(render)
      .catch((error: Error) => (summary.textContent = `This night could not be loaded: ${error.message}`)),
  );
  const section = h(
    "section",
    {},
    h("h2", {}, "Sleep stages"),
    h("div", { class: "controls" }, h("label", { for: "hypnogram-night" }, "Night ending on"), picker),
    canvas,
    summary,
  );
  return { section, draw: () => render(first) };
}

// Sleep and the circadian rhythm: an actogram of the person's nights (one row
// per day, noon to noon), their rhythm metrics, a night's sleep stages
// (hypnogram.ts), and the two-process model fitted to their timing with
// tonight's plan set by two sliders: bedtime and wake-up. Moving either
// re-runs the model on the server and redraws sleep pressure against the
// thresholds, planned next to the habitual night.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { api, SleepTwin } from "../api";
import { clock, h, numberText, onLeave, setCrumbs, show, sizedContext } from "../dom";
import { palette } from "../palette";
import { hypnogramSection } from "./hypnogram";

const hourMs = 3_600_000, dayMs = 24 * hourMs;

// Rows of days, noon to noon, the nights as bars (times on the person's wall clock).
function drawActogram(canvas: HTMLCanvasElement, twin: SleepTwin): void {
  const nights = twin.nights;
  const rowHeight = 14, left = 90, width = canvas.clientWidth;
  const firstNoon = Math.floor((nights[0].onset_wall_ms - dayMs / 2) / dayMs) * dayMs + dayMs / 2;
  const rows = Math.floor((nights[nights.length - 1].offset_wall_ms - firstNoon) / dayMs) + 1;
  const height = rows * rowHeight + 24;
  const ctx = sizedContext(canvas, width, height);
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, width, height);
  const x = (msIntoRow: number) => left + ((width - left - 8) * msIntoRow) / dayMs;
  ctx.font = "11px system-ui";
  ctx.fillStyle = "#333";
  for (let hour = 0; hour <= 24; hour += 6) ctx.fillText(clock(12 + hour), x(hour * hourMs) - 14, height - 6);
  for (let row = 0; row < rows; ++row) {
    const noon = firstNoon + row * dayMs, y = row * rowHeight + 2;
    if (row % 7 === 0) ctx.fillText(new Date(noon).toISOString().slice(0, 10), 4, y + 10);
    ctx.strokeStyle = "#eee";
    ctx.strokeRect(x(0), y, x(dayMs) - x(0), rowHeight - 2);
    ctx.fillStyle = palette[0];
    for (const n of nights) {
      const from = Math.max(n.onset_wall_ms, noon), to = Math.min(n.offset_wall_ms, noon + dayMs);
      if (to > from) ctx.fillRect(x(from - noon), y, x(to - noon) - x(from - noon), rowHeight - 2);
    }
    ctx.fillStyle = "#333";
  }
}

function describeNights(twin: SleepTwin): string {
  const n = twin.nights;
  const mean = n.reduce((sum, night) => sum + night.asleep_h, 0) / n.length;
  const model = twin.two_process
    ? ` The two-process model, fitted to ${twin.two_process.nights_fitted} nights, sleeps ${clock(twin.two_process.habitual_onset_h)}–${clock(
        twin.two_process.habitual_offset_h,
      )} (${numberText(twin.two_process.sleep_need_h)} h need; onset off by ${numberText(twin.two_process.onset_rms_min, 0)} min on average).`
    : "";
  return `${n.length} nights from ${twin.nights_from}, ${numberText(mean)} h asleep on average.${model}`;
}

function metricsList(twin: SleepTwin): HTMLElement {
  const m = twin.metrics;
  const items: string[] = [];
  if (m.sleep_regularity_index !== undefined) items.push(`Sleep Regularity Index ${numberText(m.sleep_regularity_index)}`);
  if (m.social_jet_lag_h !== undefined) items.push(`social jet lag ${numberText(m.social_jet_lag_h)} h`);
  if (m.rhythm) items.push(`IS ${numberText(m.rhythm.is, 2)}, IV ${numberText(m.rhythm.iv, 2)}, RA ${numberText(m.rhythm.ra, 2)}`);
  if (m.cosinor) items.push(`activity peaks at ${clock(m.cosinor.acrophase_h)} (cosinor R² ${numberText(m.cosinor.r_squared, 2)})`);
  return h("ul", {}, ...items.map((i) => h("li", {}, i)), ...twin.unavailable.map((u) => h("li", { class: "hint" }, u)));
}

// Pressure and thresholds over the scenario; asleep stretches of the plan shaded.
function scenarioData(twin: SleepTwin): uPlot.AlignedData {
  const s = twin.scenario!;
  return [s.planned.wall_ms.map((t) => t / 1000), s.planned.pressure, s.habitual.pressure, s.planned.upper, s.planned.lower];
}

function describeScenario(twin: SleepTwin): string {
  const s = twin.scenario!;
  const wake = s.planned.wall_ms.findIndex((t) => t >= s.planned_offset_wall_ms);
  const at = wake < 0 ? s.planned.wall_ms.length - 1 : wake;
  const debt = s.planned.debt_h[at];
  const lowest = (alertness: number[]) => Math.min(...alertness.slice(at));
  return `Planned ${clock((s.planned_onset_wall_ms % dayMs) / hourMs)}–${clock((s.planned_offset_wall_ms % dayMs) / hourMs)}: at wake-up the sleep debt is ${
    debt === null ? "unknown" : `${numberText(debt)} h`
  }; the next day's lowest alertness ${numberText(lowest(s.planned.alertness), 2)} against ${numberText(lowest(s.habitual.alertness), 2)} after the habitual night (below 0: kept awake past the point of falling asleep).`;
}

export async function sleepPage(main: HTMLElement, personId: number): Promise<void> {
  const [twin, stages] = await Promise.all([api<SleepTwin>(`/persons/${personId}/sleep`), hypnogramSection(personId)]);
  setCrumbs(["Persons", "#/"], ["Person", `#/person/${personId}`], ["Sleep", ""]);
  if (!twin.nights.length) {
    show(main, h("h1", {}, "Sleep"), h("p", {}, twin.unavailable.join("; ")));
    return;
  }
  const actogram = h("canvas", { class: "actogram", role: "img", "aria-describedby": "nights-summary" });
  actogram.dataset.nights = String(twin.nights.length);
  const width = Math.max(320, Math.min(main.clientWidth || 900, 1200));
  const habitual = twin.two_process;
  const bed = h("input", { id: "plan-bed", type: "range", min: "18", max: "28", step: "0.25", value: String(habitual ? (habitual.habitual_onset_h < 12 ? habitual.habitual_onset_h + 24 : habitual.habitual_onset_h) : 23) });
  const wake = h("input", { id: "plan-wake", type: "range", min: "4", max: "12", step: "0.25", value: String(habitual ? habitual.habitual_offset_h : 7) });
  const bedText = h("output", { for: "plan-bed" }), wakeText = h("output", { for: "plan-wake" });
  const figure = h("figure", { role: "group", "aria-label": "Sleep pressure tonight and the next two days", "aria-describedby": "scenario-summary" });
  const scenarioSummary = h("p", { id: "scenario-summary", "aria-live": "polite" });
  show(
    main,
    h("h1", {}, "Sleep and circadian rhythm"),
    actogram,
    h("p", { id: "nights-summary" }, describeNights(twin)),
    metricsList(twin),
    stages?.section,
    habitual ? h("h2", {}, "Tonight's plan") : null,
    habitual
      ? h("div", { class: "controls" }, h("label", { for: "plan-bed" }, "Bedtime"), bed, bedText, h("label", { for: "plan-wake" }, "Wake-up"), wake, wakeText)
      : h("p", { class: "hint" }, "The two-process model could not be fitted, so there is no plan to try."),
    habitual ? figure : null,
    habitual ? scenarioSummary : null,
  );
  drawActogram(actogram, twin);
  stages?.draw();
  if (!habitual) return;

  let chart: uPlot | undefined, request = 0;
  const plan = () => `${clock(Number(bed.value))}-${clock(Number(wake.value))}`;
  const update = async () => {
    bedText.textContent = clock(Number(bed.value));
    wakeText.textContent = clock(Number(wake.value));
    const mine = ++request;
    const withPlan = await api<SleepTwin>(`/persons/${personId}/sleep?plan=${plan()}`);
    if (mine !== request || !withPlan.scenario) return;
    const data = scenarioData(withPlan);
    if (!chart)
      chart = new uPlot(
        {
          width,
          height: 300,
          tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),  // wall-clock times, whatever the browser's zone
          series: [
            {},
            { label: "S, planned", stroke: palette[1], width: 2 },
            { label: "S, habitual", stroke: palette[2], width: 1.5, dash: [6, 4] },
            { label: "H: falls asleep above", stroke: "#555", width: 1 },
            { label: "L: wakes below", stroke: "#999", width: 1 },
          ],
          axes: [{}, { label: "sleep pressure" }],
        },
        data,
        figure,
      );
    else chart.setData(data);
    figure.dataset.points = String(data[0].length);
    figure.dataset.plan = plan();
    scenarioSummary.textContent = describeScenario(withPlan);
  };
  let pending: number | undefined;
  for (const slider of [bed, wake])
    slider.addEventListener("input", () => {
      window.clearTimeout(pending);
      pending = window.setTimeout(() => void update(), 150);
    });
  onLeave(() => chart?.destroy());
  await update();
}

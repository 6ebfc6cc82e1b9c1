// A day of a person's glucose: the CGM readings over the 70–180 target band,
// logged meals and insulin, and a what-if: add meals, and the person's own
// calibrated meal response (run on the server as a job) overlays the day as
// the twin sees it with and without them, with its 80 % band.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { api, GlucoseDay, GlucoseWhatIf, Job, Meal } from "../api";
import { h, numberText, onLeave, setCrumbs, show } from "../dom";
import { JobControls } from "../job_controls";
import { palette } from "../palette";

const hourMs = 3_600_000;

// Hours after the day's midnight (the person's local time, whatever the
// browser's zone; on the days the clocks change, the hours after midnight).
const hoursAfter = (day: GlucoseDay, t: number): number => (t - day.start_ms) / hourMs;

function clockText(hours: number): string {
  const minutes = Math.round(hours * 60);
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

function describeDay(day: GlucoseDay): string {
  const values = day.readings.mg_dl;
  if (!values.length) return "No readings on this day.";
  const inRange = values.filter((v) => v >= 70 && v <= 180).length;
  const meals = day.meals.map((m) => `${clockText(hoursAfter(day, m.t_ms))} (${numberText(m.carbs_g, 0)} g)`).join(", ");
  return `${values.length} readings from ${day.sensor}: lowest ${numberText(Math.min(...values), 0)} mg/dL, highest ${numberText(
    Math.max(...values),
    0,
  )}, ${Math.round((100 * inRange) / values.length)} % in 70–180. Meals logged: ${meals || "none"}.`;
}

function describeWhatIf(w: GlucoseWhatIf, day: GlucoseDay): string {
  const meals = w.added_meals.map((m) => `${numberText(m.carbs_g, 0)} g at ${clockText(hoursAfter(day, m.t_ms))}`).join(" and ");
  const a = w.as_logged, b = w.what_if;
  return `With ${meals}, the twin (fitted on ${w.fit.meals} meals, RMSE ${numberText(w.fit.rmse_mg_dl)} mg/dL) peaks at ${numberText(
    b.peak_mg_dl,
    0,
  )} mg/dL instead of ${numberText(a.peak_mg_dl, 0)}; mean ${numberText(b.mean_mg_dl, 0)} instead of ${numberText(a.mean_mg_dl, 0)}; ${numberText(
    b.time_above_180_percent,
    0,
  )} % of the day above 180 instead of ${numberText(a.time_above_180_percent, 0)} %.`;
}

// Every series on one time axis (the union of their times), null where a series has no value.
function aligned(day: GlucoseDay, what?: GlucoseWhatIf): uPlot.AlignedData {
  const curves: { t_ms: number[]; mg_dl: number[] }[] = [day.readings];
  if (what) {
    const band = (offset: number) => ({ t_ms: what.what_if.t_ms, mg_dl: what.what_if.mg_dl.map((v) => v + offset) });
    curves.push(what.as_logged, what.what_if, band(what.fit.interval_80_low_mg_dl), band(what.fit.interval_80_high_mg_dl));
  }
  const times = [...new Set(curves.flatMap((c) => c.t_ms))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const columns = curves.map((c) => {
    const column: (number | null)[] = new Array(times.length).fill(null);
    c.t_ms.forEach((t, i) => (column[index.get(t)!] = c.mg_dl[i]));
    return column;
  });
  return [times.map((t) => hoursAfter(day, t)), ...columns] as uPlot.AlignedData;
}

// The target band and the meals (and insulin) as marks on the chart.
function marks(day: GlucoseDay, added: () => Meal[]): uPlot.Plugin {
  return {
    hooks: {
      drawAxes: (u) => {
        const { ctx } = u;
        const top = u.valToPos(180, "y", true), bottom = u.valToPos(70, "y", true);
        ctx.save();
        ctx.fillStyle = "rgba(0, 158, 115, 0.10)";
        ctx.fillRect(u.bbox.left, top, u.bbox.width, bottom - top);
        ctx.restore();
      },
      draw: (u) => {
        const { ctx } = u;
        ctx.save();
        ctx.font = `${Math.round(11 * devicePixelRatio)}px system-ui`;
        const mark = (t: number, label: string, colour: string, row: number) => {
          const x = u.valToPos(hoursAfter(day, t), "x", true);
          ctx.strokeStyle = ctx.fillStyle = colour;
          ctx.setLineDash([4, 4]);
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
          ctx.fillText(label, x + 3, u.bbox.top + (12 + 14 * row) * devicePixelRatio);
        };
        for (const m of day.meals) mark(m.t_ms, `${numberText(m.carbs_g, 0)} g`, palette[6], 0);
        for (const m of added()) mark(m.t_ms, `+${numberText(m.carbs_g, 0)} g`, palette[1], 1);
        for (const d of day.insulin) mark(d.t_ms, d.amount !== undefined ? `${numberText(d.amount)} ${d.unit ?? ""}` : "insulin", palette[3], 2);
        ctx.restore();
      },
    },
  };
}

function chartOptions(width: number, day: GlucoseDay, added: () => Meal[]): uPlot.Options {
  return {
    width,
    height: 340,
    scales: { x: { time: false, range: [0, hoursAfter(day, day.end_ms)] }, y: { range: (_u, _min, max) => [40, Math.max(250, max + 20)] } },
    axes: [{ values: (_u, ticks) => ticks.map((t) => clockText(t)), incrs: [1, 2, 3, 6] }, { label: "mg/dL" }],
    series: [
      { value: (_u, v) => (v === null ? "" : clockText(v)) },
      { label: "CGM", stroke: palette[0], width: 1.5, spanGaps: true, points: { show: false } },
      { label: "twin, as logged", stroke: palette[2], width: 2, dash: [6, 4], spanGaps: true, points: { show: false } },
      { label: "twin, what if", stroke: palette[1], width: 2.5, spanGaps: true, points: { show: false } },
      { label: "80 % low", stroke: "transparent", spanGaps: true, points: { show: false } },
      { label: "80 % high", stroke: "transparent", spanGaps: true, points: { show: false } },
    ],
    bands: [{ series: [5, 4], fill: "rgba(213, 94, 0, 0.12)" }],
    plugins: [marks(day, added)],
  };
}

// Pads the day's data with empty what-if columns, so the chart keeps one set of series.
function withEmptyOverlay(data: uPlot.AlignedData): uPlot.AlignedData {
  const empty = () => new Array(data[0].length).fill(null);
  return [...data, empty(), empty(), empty(), empty()] as uPlot.AlignedData;
}

export async function glucosePage(main: HTMLElement, personId: number, requested?: string): Promise<void> {
  const day = await api<GlucoseDay>(`/persons/${personId}/glucose/day${requested ? `?date=${requested}` : ""}`);
  setCrumbs(["Persons", "#/"], ["Person", `#/person/${personId}`], ["Glucose", ""]);
  const added: { time: string; carbs_g: number }[] = [];
  let shown: Meal[] = [];  // the added meals of the curve on the chart
  const width = Math.max(320, Math.min(main.clientWidth || 900, 1200));

  const dayPicker = h("select", { id: "glucose-date" });
  for (const date of day.dates) dayPicker.append(h("option", date === day.date ? { value: date, selected: "" } : { value: date }, date));
  dayPicker.addEventListener("change", () => (location.hash = `#/person/${personId}/glucose/${dayPicker.value}`));

  const summary = h("p", { id: "glucose-summary" }, describeDay(day));
  const figure = h("figure", { role: "group", "aria-label": `Glucose on ${day.date}`, "aria-describedby": "glucose-summary" });
  figure.dataset.readings = String(day.readings.mg_dl.length);

  const time = h("input", { id: "meal-time", type: "time", value: "15:00", required: "" });
  const carbs = h("input", { id: "meal-carbs", type: "number", min: "1", max: "500", step: "1", value: "60", required: "" });
  const simulate = h("button", { type: "submit" }, "Add meal and simulate");
  const clear = h("button", { type: "button" }, "Clear added meals");
  const job = new JobControls<GlucoseWhatIf>("what-if progress", "what-if-status");
  const status = job.status;
  const form = h(
    "form",
    { class: "controls", "aria-label": "What if" },
    h("label", { for: "meal-time" }, "Meal at"),
    time,
    h("label", { for: "meal-carbs" }, "carbohydrate (g)"),
    carbs,
    simulate,
    clear,
    job.cancel,
    job.progress,
  );

  show(
    main,
    h("h1", {}, `Glucose on ${day.date}`),
    h("div", { class: "controls" }, h("label", { for: "glucose-date" }, "Day"), dayPicker),
    figure,
    summary,
    h("h2", {}, "What if"),
    h("p", { class: "hint" }, "Add a meal: the person's own meal response, calibrated on their record, replays the day with and without it. (Exercise is not in this model yet.)"),
    form,
    status,
  );

  const chart = new uPlot(chartOptions(width, day, () => shown), withEmptyOverlay(aligned(day)), figure);
  const resizing = new ResizeObserver(() => chart.setSize({ width: Math.max(320, Math.min(main.clientWidth, 1200)), height: 340 }));
  resizing.observe(main);

  onLeave(() => {
    resizing.disconnect();
    chart.destroy();
  });
  const busy = (on: boolean) => (simulate.disabled = clear.disabled = on);
  clear.addEventListener("click", () => {
    added.length = 0;
    shown = [];
    chart.setData(withEmptyOverlay(aligned(day)));
    delete figure.dataset.overlay;
    status.textContent = "";
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    added.push({ time: time.value, carbs_g: Number(carbs.value) });
    busy(true);
    try {
      const result = await job.run(() =>
        api<Job<GlucoseWhatIf>>(`/persons/${personId}/glucose/what-if`, "POST", { date: day.date, sensor: day.sensor, meals: added }),
      );
      shown = result.added_meals;
      chart.setData(aligned(day, result));
      figure.dataset.overlay = String(result.what_if.mg_dl.length);
      status.textContent = describeWhatIf(result, day);
    } catch (error) {
      added.pop();
      status.textContent = `The what-if did not run: ${(error as Error).message}`;
    } finally {
      busy(false);
    }
  });
}

// A day of a person's glucose: the CGM readings over the 70–180 target band,
// logged meals and insulin, and a what-if: add meals or runs, and the
// person's own calibrated meal and exercise response (run on the server as a
// job) overlays the day as the twin sees it with and without them, with its
// 80 % band.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { AddedExercise, api, ExerciseResponse, GlucoseDay, GlucoseWhatIf, Job, Meal } from "../api";
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

function describeAdditions(w: GlucoseWhatIf, day: GlucoseDay): string {
  const at = (t: number) => clockText(hoursAfter(day, t));
  const meals = w.added_meals.map((m) => `${numberText(m.carbs_g, 0)} g at ${at(m.t_ms)}`);
  const runs = w.added_exercise.map((e) => `${numberText(e.minutes, 0)} min at ${numberText(e.heart_rate_bpm, 0)} bpm from ${at(e.t_ms)}`);
  return [...meals, ...runs].join(" and ");
}

// How the twin counted the added exercise, in a sentence.
function describeExercise(e: ExerciseResponse): string {
  const rest = e.resting_heart_rate_measured
    ? `above their rest of ${numberText(e.resting_heart_rate_bpm, 0)} bpm`
    : `above the model's default rest of ${numberText(e.resting_heart_rate_bpm, 0)} bpm (no hour of heart rate stored)`;
  if (!e.gain)
    return ` Exercise counts by its heart rate ${rest}, at the rate Breton's model gives for type 1 diabetes: the record has too little exercise with CGM around it (5 bouts in 90 days) to check it against, so the band spans no effect to that rate. For people who make their own insulin that rate overstates the fall: it doubled the prediction error for the CGMacros participants.`;
  return ` Exercise counts by its heart rate ${rest}, at ${numberText(e.gain.value, 2)} times the rate Breton's model gives for type 1 diabetes (95 %: ${numberText(
    e.gain.low,
    2,
  )}–${numberText(e.gain.high, 2)}), as their own ${e.gain.bouts} bouts of exercise in the record show.`;
}

function describeWhatIf(w: GlucoseWhatIf, day: GlucoseDay): string {
  const a = w.as_logged, b = w.what_if;
  return `With ${describeAdditions(w, day)}, the twin (fitted on ${w.fit.meals} meals, RMSE ${numberText(w.fit.rmse_mg_dl)} mg/dL) peaks at ${numberText(
    b.peak_mg_dl,
    0,
  )} mg/dL instead of ${numberText(a.peak_mg_dl, 0)}; mean ${numberText(b.mean_mg_dl, 0)} instead of ${numberText(a.mean_mg_dl, 0)}; ${numberText(
    b.time_above_180_percent,
    0,
  )} % of the day above 180 instead of ${numberText(a.time_above_180_percent, 0)} %.${w.exercise_response ? describeExercise(w.exercise_response) : ""}`;
}

// Every series on one time axis (the union of their times), null where a series has no value.
function aligned(day: GlucoseDay, what?: GlucoseWhatIf): uPlot.AlignedData {
  const curves: { t_ms: number[]; mg_dl: number[] }[] = [day.readings];
  if (what) {
    const band = (mg_dl: number[]) => ({ t_ms: what.what_if.t_ms, mg_dl });
    curves.push(what.as_logged, what.what_if, band(what.what_if_band.low_mg_dl), band(what.what_if_band.high_mg_dl));
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

// What the chart's what-if added: meals and exercise.
interface Shown {
  meals: Meal[];
  exercise: AddedExercise[];
}

// The target band and the meals (and insulin) as marks on the chart.
function marks(day: GlucoseDay, added: () => Shown): uPlot.Plugin {
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
        for (const m of added().meals) mark(m.t_ms, `+${numberText(m.carbs_g, 0)} g`, palette[1], 1);
        for (const e of added().exercise) mark(e.t_ms, `+run ${numberText(e.minutes, 0)} min`, palette[4], 1);
        for (const d of day.insulin) mark(d.t_ms, d.amount !== undefined ? `${numberText(d.amount)} ${d.unit ?? ""}` : "insulin", palette[3], 2);
        ctx.restore();
      },
    },
  };
}

function chartOptions(width: number, day: GlucoseDay, added: () => Shown): uPlot.Options {
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
  const added = { meals: [] as { time: string; carbs_g: number }[], exercise: [] as { time: string; minutes: number; heart_rate_bpm: number }[] };
  let shown: Shown = { meals: [], exercise: [] };  // what the curve on the chart added
  const width = Math.max(320, Math.min(main.clientWidth || 900, 1200));

  const dayPicker = h("select", { id: "glucose-date" });
  for (const date of day.dates) dayPicker.append(h("option", date === day.date ? { value: date, selected: "" } : { value: date }, date));
  dayPicker.addEventListener("change", () => (location.hash = `#/person/${personId}/glucose/${dayPicker.value}`));

  const summary = h("p", { id: "glucose-summary" }, describeDay(day));
  const figure = h("figure", { role: "group", "aria-label": `Glucose on ${day.date}`, "aria-describedby": "glucose-summary" });
  figure.dataset.readings = String(day.readings.mg_dl.length);

  const number = (id: string, min: number, max: number, value: number) =>
    h("input", { id, type: "number", min: String(min), max: String(max), step: "1", value: String(value), required: "" });
  const mealTime = h("input", { id: "meal-time", type: "time", value: "15:00", required: "" });
  const carbs = number("meal-carbs", 1, 500, 60);
  const addMeal = h("button", { type: "submit" }, "Add meal and simulate");
  const runTime = h("input", { id: "run-time", type: "time", value: "18:00", required: "" });
  const runMinutes = number("run-minutes", 1, 600, 45);
  const runHeartRate = number("run-heart-rate", 31, 250, 150);
  const addRun = h("button", { type: "submit" }, "Add run and simulate");
  const clear = h("button", { type: "button" }, "Clear additions");
  const job = new JobControls<GlucoseWhatIf>("what-if progress", "what-if-status");
  const status = job.status;
  const mealForm = h(
    "form",
    { class: "controls", "aria-label": "Add a meal" },
    h("label", { for: "meal-time" }, "Meal at"),
    mealTime,
    h("label", { for: "meal-carbs" }, "carbohydrate (g)"),
    carbs,
    addMeal,
  );
  const runForm = h(
    "form",
    { class: "controls", "aria-label": "Add a run" },
    h("label", { for: "run-time" }, "Run at"),
    runTime,
    h("label", { for: "run-minutes" }, "for (min)"),
    runMinutes,
    h("label", { for: "run-heart-rate" }, "average heart rate (bpm)"),
    runHeartRate,
    addRun,
  );

  show(
    main,
    h("h1", {}, `Glucose on ${day.date}`),
    h("div", { class: "controls" }, h("label", { for: "glucose-date" }, "Day"), dayPicker),
    figure,
    summary,
    h("h2", {}, "What if"),
    h(
      "p",
      { class: "hint" },
      "Add a meal or a run: the person's own meal response, calibrated on their record, replays the day with and without them. A run counts by its heart rate, as much as the exercise in their record moved their glucose.",
    ),
    mealForm,
    runForm,
    h("div", { class: "controls" }, clear, job.cancel, job.progress),
    status,
  );

  const chart = new uPlot(chartOptions(width, day, () => shown), withEmptyOverlay(aligned(day)), figure);
  const resizing = new ResizeObserver(() => chart.setSize({ width: Math.max(320, Math.min(main.clientWidth, 1200)), height: 340 }));
  resizing.observe(main);

  onLeave(() => {
    resizing.disconnect();
    chart.destroy();
  });
  const busy = (on: boolean) => (addMeal.disabled = addRun.disabled = clear.disabled = on);
  clear.addEventListener("click", () => {
    added.meals.length = added.exercise.length = 0;
    shown = { meals: [], exercise: [] };
    chart.setData(withEmptyOverlay(aligned(day)));
    delete figure.dataset.overlay;
    status.textContent = "";
  });
  // Simulates the day with everything added so far; `undo` takes back the
  // addition that was just made when the what-if fails.
  const simulate = async (undo: () => void) => {
    busy(true);
    try {
      const result = await job.run(() =>
        api<Job<GlucoseWhatIf>>(`/persons/${personId}/glucose/what-if`, "POST", { date: day.date, sensor: day.sensor, ...added }),
      );
      shown = { meals: result.added_meals, exercise: result.added_exercise };
      chart.setData(aligned(day, result));
      figure.dataset.overlay = String(result.what_if.mg_dl.length);
      status.textContent = describeWhatIf(result, day);
    } catch (error) {
      undo();
      status.textContent = `The what-if did not run: ${(error as Error).message}`;
    } finally {
      busy(false);
    }
  };
  mealForm.addEventListener("submit", (event) => {
    event.preventDefault();
    added.meals.push({ time: mealTime.value, carbs_g: Number(carbs.value) });
    void simulate(() => added.meals.pop());
  });
  runForm.addEventListener("submit", (event) => {
    event.preventDefault();
    added.exercise.push({ time: runTime.value, minutes: Number(runMinutes.value), heart_rate_bpm: Number(runHeartRate.value) });
    void simulate(() => added.exercise.pop());
  });
}

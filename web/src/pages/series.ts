// One series over time: the server thins it to about two values per pixel
// (keeping every peak), and zooming in fetches the finer range, so months of
// data stay fluid. Drag to zoom; a button shows everything again.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { api, Points, Series } from "../api";
import { dateText, h, numberText, onLeave, setCrumbs, show } from "../dom";
import { palette } from "../palette";

function describe(series: Series, points: Points): string {
  const values = (points.value ?? []).filter((v): v is number => v !== null);
  if (!values.length) return "No values in this range.";
  const low = Math.min(...values), high = Math.max(...values);
  const unit = series.unit ? ` ${series.unit}` : "";
  return `${points.total.toLocaleString("en")} values from ${dateText(new Date(points.t_ms![0]).toISOString())} to ${dateText(
    new Date(points.t_ms![points.t_ms!.length - 1]).toISOString(),
  )}; lowest ${numberText(low)}${unit}, highest ${numberText(high)}${unit}, last ${numberText(values[values.length - 1])}${unit}.`;
}

function pointsPath(personId: number, seriesId: number, width: number, from?: number, to?: number): string {
  const range = from !== undefined && to !== undefined ? `&from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}` : "";
  return `/persons/${personId}/series/${seriesId}/points?points=${Math.min(20000, Math.max(200, 2 * width))}${range}`;
}

function codedTable(points: Points): HTMLElement {
  const rows = h("tbody");
  const n = points.code!.length;
  for (let i = Math.max(0, n - 50); i < n; ++i)
    rows.append(h("tr", {}, h("td", {}, new Date(points.start_ms![i]).toISOString().slice(0, 16).replace("T", " ")), h("td", {}, new Date(points.end_ms![i]).toISOString().slice(11, 16)), h("td", {}, points.code![i])));
  return h("table", {}, h("caption", {}, `The last ${Math.min(50, n)} of ${points.total.toLocaleString("en")} coded values`), h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "from"), h("th", { scope: "col" }, "to"), h("th", { scope: "col" }, "value"))), rows);
}

export async function seriesPage(main: HTMLElement, personId: number, seriesId: number): Promise<void> {
  const all = await api<Series[]>(`/persons/${personId}/series`);
  const series = all.find((s) => s.id === seriesId);
  if (!series) throw new Error("no such series");
  const title = series.display || series.code;
  setCrumbs(["Persons", "#/"], ["Person", `#/person/${personId}`], [title, ""]);
  const width = Math.max(320, Math.min(main.clientWidth || 900, 1200));
  let points = await api<Points>(pointsPath(personId, seriesId, width));
  const summary = h("p", { id: "chart-summary" }, describe(series, points));
  if (points.code) {
    show(main, h("h1", {}, title), h("p", {}, series.source), codedTable(points));
    return;
  }
  const figure = h("figure", { "aria-describedby": "chart-summary", role: "group", "aria-label": `${title} over time` });
  const everything = h("button", { type: "button" }, "Show everything");
  show(main, h("h1", {}, title), h("p", {}, `${series.source} · ${series.unit}`), figure, summary, h("p", { class: "hint" }, "Drag across the chart to zoom in. ", everything));
  const data = (p: Points): uPlot.AlignedData => [p.t_ms!.map((t) => t / 1000), p.value!];
  let pending = 0, ready = false;
  const chart = new uPlot(
    {
      width,
      height: 320,
      series: [{}, { label: `${title} (${series.unit})`, stroke: palette[0], width: 1.5, spanGaps: false }],
      axes: [{}, { label: series.unit }],
      hooks: {
        setScale: [
          (u, key) => {
            if (key !== "x" || !ready) return;
            const request = ++pending;
            const from = u.scales.x.min! * 1000, to = u.scales.x.max! * 1000;
            window.setTimeout(async () => {
              if (request !== pending) return;  // a newer zoom superseded this one
              const finer = await api<Points>(pointsPath(personId, seriesId, width, from, to));
              if (request !== pending) return;
              points = finer;
              u.setData(data(points), false);
              figure.dataset.points = String(points.value!.length);
              summary.textContent = describe(series, points);
            }, 150);
          },
        ],
      },
    },
    data(points),
    figure,
  );
  figure.dataset.points = String(points.value!.length);
  ready = true;
  everything.addEventListener("click", async () => {
    points = await api<Points>(pointsPath(personId, seriesId, width));
    ready = false;
    chart.setData(data(points));
    ready = true;
    figure.dataset.points = String(points.value!.length);
    summary.textContent = describe(series, points);
  });
  const resizing = new ResizeObserver(() => chart.setSize({ width: Math.max(320, Math.min(main.clientWidth, 1200)), height: 320 }));
  resizing.observe(main);
  onLeave(() => {
    resizing.disconnect();
    chart.destroy();
  });
}

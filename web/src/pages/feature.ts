// One daily feature of the baseline twin over time: every day's value, the
// person's own baseline band (the 60-day median ± the robust spread of the
// days before each day), and the forecast of the next days with its 80 % and
// 95 % bands. Drag to zoom, double-click to see it all again.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { api, FeatureTimeline } from "../api";
import { clock, h, numberText, onLeave, setCrumbs, show } from "../dom";
import { palette } from "../palette";

const seconds = (date: string) => Date.parse(`${date}T12:00:00Z`) / 1000;  // noon: the day's middle

// The last day with a value (−1: none).
const lastObserved = (t: FeatureTimeline) => t.value.map((v) => v !== null).lastIndexOf(true);

// Columns on one axis of days: value, baseline median, its low and high edge, then the forecast's point and bands.
function columns(t: FeatureTimeline): uPlot.AlignedData {
  const ahead = t.forecast?.days ?? [];
  const days = [...t.days, ...ahead.map((d) => d.date)];
  const pad = (values: (number | null)[], before: number) => [...new Array(before).fill(null), ...values, ...new Array(days.length - before - values.length).fill(null)];
  const edge = (sign: number) => t.median60.map((m, i) => (m === null || t.spread60[i] === null ? null : m + sign * t.spread60[i]!));
  const last = lastObserved(t);
  const forecast = (pick: (d: (typeof ahead)[number]) => number | null) => {
    if (!ahead.length || last < 0) return new Array(days.length).fill(null);
    // From the last day with a value, so the line and its bands join the data (gaps spanned).
    return pad([t.value[last], ...new Array(t.days.length - 1 - last).fill(null), ...ahead.map(pick)], last);
  };
  return [
    days.map(seconds),
    pad(t.value, 0),
    pad(t.median60, 0),
    pad(edge(-1), 0),
    pad(edge(1), 0),
    forecast((d) => d.point),
    forecast((d) => d.lo80),
    forecast((d) => d.hi80),
    forecast((d) => d.lo95),
    forecast((d) => d.hi95),
  ] as uPlot.AlignedData;
}

function describe(t: FeatureTimeline): string {
  const show = (v: number) => (t.clock_time ? clock(v) : `${numberText(v)} ${t.display_unit}`);
  const spread = (v: number) => (t.clock_time ? `${Math.round(v * 60)} min` : numberText(v));
  const observed = t.value.filter((v): v is number => v !== null);
  const last = lastObserved(t);
  const parts = [`${observed.length} days with a value from ${t.days[0]} to ${t.days[t.days.length - 1]}`];
  const usual = last >= 0 ? t.median60[last] : null, usualSpread = last >= 0 ? t.spread60[last] : null;
  if (usual !== null) parts.push(`on ${t.days[last]} ${show(t.value[last]!)} against a usual ${show(usual)}${usualSpread === null ? "" : ` ± ${spread(usualSpread)}`}`);
  const next = t.forecast?.days[0];
  if (next?.point != null)
    parts.push(`forecast for ${next.date}: ${show(next.point)}${next.lo80 != null && next.hi80 != null ? ` (80 %: ${show(next.lo80)} to ${show(next.hi80)})` : ""} by ${t.forecast!.model}`);
  return `${t.metric}: ${parts.join("; ")}.`;
}

export async function featurePage(main: HTMLElement, personId: number, feature: string): Promise<void> {
  const t = await api<FeatureTimeline>(`/persons/${personId}/twin/features/${encodeURIComponent(feature)}?days=7`);
  setCrumbs(["Persons", "#/"], ["Person", `#/person/${personId}`], [t.metric, ""]);
  const figure = h("figure", { role: "group", "aria-label": `${t.metric} by day`, "aria-describedby": "feature-summary" });
  figure.dataset.days = String(t.days.length);
  figure.dataset.forecast = String(t.forecast?.days.length ?? 0);
  show(
    main,
    h("h1", {}, t.metric),
    figure,
    h("p", { id: "feature-summary" }, describe(t)),
    h("p", { class: "hint" }, "Dots: the days' values; grey band: the usual range (60-day median ± robust spread of the days before); orange: the forecast with its 80 % and 95 % bands. Drag across the chart to zoom, double-click to see it all."),
  );
  const width = Math.max(300, Math.min(main.clientWidth || 900, 1200));
  const axisValue = (v: number) => (t.clock_time ? clock(v) : numberText(v));
  const hidden = { stroke: "transparent", points: { show: false } };
  const hiddenAhead = { ...hidden, spanGaps: true };
  const chart = new uPlot(
    {
      width,
      height: 340,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
      scales: { x: { time: true } },
      axes: [{}, { label: t.clock_time ? "clock time" : t.display_unit, values: (_u, ticks) => ticks.map(axisValue) }],
      series: [
        {},
        { label: t.metric, stroke: palette[0], width: 1, points: { show: true, size: 5, fill: palette[0] } },
        { label: "usual (60-day median)", stroke: "#777", width: 1.5, dash: [5, 4], points: { show: false } },
        { label: "usual low", ...hidden },
        { label: "usual high", ...hidden },
        { label: "forecast", stroke: palette[1], width: 2, spanGaps: true, points: { show: true, size: 4 } },
        { label: "80 % low", ...hiddenAhead },
        { label: "80 % high", ...hiddenAhead },
        { label: "95 % low", ...hiddenAhead },
        { label: "95 % high", ...hiddenAhead },
      ],
      bands: [
        { series: [4, 3], fill: "rgba(120, 120, 120, 0.15)" },
        { series: [7, 6], fill: "rgba(213, 94, 0, 0.25)" },
        { series: [9, 8], fill: "rgba(213, 94, 0, 0.10)" },
      ],
      legend: { show: false },
    },
    columns(t),
    figure,
  );
  const resizing = new ResizeObserver(() => chart.setSize({ width: Math.max(300, Math.min(main.clientWidth, 1200)), height: 340 }));
  resizing.observe(main);
  onLeave(() => {
    resizing.disconnect();
    chart.destroy();
  });
}

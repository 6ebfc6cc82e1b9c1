// The person's day at a glance: readiness with what made it, alerts for
// tomorrow, and each daily feature today against their own baseline with
// tomorrow's forecast and its 80 % interval (each linked to its timeline).
import { ApiError, api, BaselineTwin } from "../api";
import { clock, h, numberText } from "../dom";

const text = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? "—" : numberText(v, digits));

const clockOrNone = (hours: number | null | undefined) => (hours === null || hours === undefined ? "—" : clock(hours));

function readinessCard(twin: BaselineTwin): HTMLElement {
  const r = twin.readiness;
  if (!r.available) return h("div", { class: "card" }, h("h3", {}, "Readiness"), h("p", {}, `Not available: ${r.why_not}`));
  const parts = h("ul", {});
  for (const c of r.contributions ?? []) parts.append(h("li", {}, c.sentence));
  return h(
    "div",
    { class: "card", id: "readiness" },
    h("h3", {}, "Readiness"),
    h("p", { class: "score" }, h("strong", {}, `${text(r.score, 0)} / 100`), ` (from ${text((r.confidence ?? 0) * 100, 0)} % of the parts)`),
    parts,
    r.missing?.length ? h("p", { class: "hint" }, `Missing today: ${r.missing.join(", ")}`) : null,
  );
}

function alertsCard(twin: BaselineTwin): HTMLElement {
  if (!twin.alerts.length) return h("div", { class: "card" }, h("h3", {}, "Tomorrow"), h("p", {}, "No alerts for tomorrow."));
  const list = h("ul", {});
  for (const a of twin.alerts) list.append(h("li", {}, a.reason));
  return h("div", { class: "card alert", role: "status" }, h("h3", {}, "Tomorrow may be worse than usual"), list);
}

function stateTable(personId: number, twin: BaselineTwin): HTMLElement {
  const tomorrow = new Map(twin.forecasts.map((f) => [f.metric, f.days[0]]));
  const body = h("tbody");
  for (const s of twin.state) {
    const f = tomorrow.get(s.metric);
    const show = (v: number | null | undefined) => (s.clock_time ? clockOrNone(v) : text(v));
    body.append(
      h(
        "tr",
        {},
        h("th", { scope: "row" }, h("a", { href: `#/person/${personId}/feature/${s.metric}` }, s.metric)),
        h("td", { class: "number" }, s.clock_time ? clockOrNone(s.value) : `${text(s.value)} ${s.display_unit}`),
        h("td", { class: "number" }, show(s.median60)),
        h("td", { class: "number" }, s.z === null ? "—" : `${s.z >= 0 ? "+" : ""}${numberText(s.z, 1)}`),
        h("td", { class: "number" }, f ? `${show(f.point)} [${show(f.lo80)}, ${show(f.hi80)}]` : "—"),
      ),
    );
  }
  return h(
    "table",
    { id: "state" },
    h("caption", {}, `Today (${twin.today}) against the usual, and tomorrow with its 80 % interval`),
    h("thead", {}, h("tr", {}, ...["feature", "last value", "usual (60-day median)", "z", "tomorrow"].map((c) => h("th", { scope: "col" }, c)))),
    body,
  );
}

// The overview's section, or a sentence saying why there is none.
export async function twinOverview(personId: number): Promise<HTMLElement> {
  try {
    const twin = await api<BaselineTwin>(`/persons/${personId}/twin?days=1`);
    return h(
      "section",
      { "aria-labelledby": "today-heading" },
      h("h2", { id: "today-heading" }, "Today"),
      h("div", { class: "cards" }, readinessCard(twin), alertsCard(twin)),
      h("div", { class: "scroll" }, stateTable(personId, twin)),
    );
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return h("p", {}, error.message);
    throw error;
  }
}

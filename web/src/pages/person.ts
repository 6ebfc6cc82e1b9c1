// A person's overview: today against their own baseline (the twin), and what
// is recorded about them, each series and signal a link to its own page.
import { api, download, PersonSummary, Series, Signal } from "../api";
import { dateText, h, numberText, setCrumbs, show } from "../dom";
import { twinOverview } from "./twin_overview";

function seriesTable(personId: number, series: Series[]): HTMLElement {
  const body = h("tbody");
  for (const s of series)
    body.append(
      h(
        "tr",
        {},
        h("td", {}, h("a", { href: `#/person/${personId}/series/${s.id}` }, s.display || s.code)),
        h("td", {}, s.unit || "coded"),
        h("td", { class: "number" }, s.count.toLocaleString("en")),
        h("td", {}, `${dateText(s.first)} – ${dateText(s.last)}`),
        h("td", {}, s.source),
      ),
    );
  return h(
    "table",
    {},
    h("caption", {}, "Series: one per metric and source"),
    h("thead", {}, h("tr", {}, ...["metric", "unit", "values", "from – to", "source"].map((c) => h("th", { scope: "col" }, c)))),
    body,
  );
}

function signalList(personId: number, signals: Signal[]): HTMLElement {
  const list = h("ul", { class: "cards" });
  for (const s of signals)
    list.append(
      h(
        "li",
        {},
        h(
          "a",
          { href: `#/person/${personId}/signal/${s.id}`, class: "card" },
          h("strong", {}, `${s.kind} · ${s.channels.map((c) => c.label).join(", ")}`),
          h("span", {}, ` ${numberText(s.seconds / 60)} min at ${s.sample_rate_hz} Hz, ${dateText(s.start)}`),
        ),
      ),
    );
  return list;
}

function exportButtons(id: number): HTMLElement {
  const status = h("span", { "aria-live": "polite" });
  const button = (format: string, label: string, extension: string) => {
    const b = h("button", { type: "button" }, label);
    b.addEventListener("click", () => {
      status.textContent = " Preparing…";
      download(`/persons/${id}/export?format=${format}`, `person-${id}.${extension}`)
        .then(() => (status.textContent = ""))
        .catch((error: Error) => (status.textContent = ` Not exported: ${error.message}`));
    });
    return b;
  };
  return h("section", {}, h("h2", {}, "Export"), h("p", { class: "controls" }, button("fhir", "FHIR R4 bundle", "json"), button("csv", "Observations as CSV", "csv"), status));
}

export async function personPage(main: HTMLElement, id: number): Promise<void> {
  const [person, series, signals] = await Promise.all([
    api<PersonSummary>(`/persons/${id}`),
    api<Series[]>(`/persons/${id}/series`),
    api<Signal[]>(`/persons/${id}/signals`),
  ]);
  // The twin takes longest: the page shows the rest first, and a failure here leaves the rest standing.
  const today = h("section", { "aria-busy": "true" }, h("p", {}, "Computing today's twin…"));
  twinOverview(id)
    .then((section) => today.replaceWith(section))
    .catch((error: Error) => today.replaceChildren(h("p", { role: "alert", class: "error" }, `The twin could not be computed: ${error.message}`)));
  setCrumbs(["Persons", "#/"], [person.name, ""]);
  const cgm = series.some((s) => s.code.endsWith("|99504-3"));  // LOINC: CGM sensor reading
  const sleepSeries = series.some((s) => /sleep|steps|activity/i.test(`${s.code} ${s.display}`));
  show(
    main,
    h("h1", {}, person.name),
    h("p", {}, [person.sex !== "unknown" && person.sex, person.birth_date && `born ${person.birth_date}`].filter(Boolean).join(", ")),
    today,
    sleepSeries ? h("section", {}, h("h2", {}, "Sleep"), h("p", {}, h("a", { href: `#/person/${id}/sleep` }, "Nights, circadian rhythm and tonight's plan"))) : null,
    cgm ? h("section", {}, h("h2", {}, "Glucose"), h("p", {}, h("a", { href: `#/person/${id}/glucose` }, "A day of CGM, meals and insulin, with a what-if"))) : null,
    h("section", {}, h("h2", {}, "Heart"), h("p", {}, h("a", { href: `#/person/${id}/drug-test` }, "Drug test: a drug's action potentials, TdP risk and QTc change"))),
    signals.length ? h("section", {}, h("h2", {}, "Signals"), signalList(id, signals)) : null,
    series.length ? h("section", {}, h("h2", {}, "Series"), h("div", { class: "scroll" }, seriesTable(id, series))) : h("p", {}, "No series yet."),
    exportButtons(id),
  );
}

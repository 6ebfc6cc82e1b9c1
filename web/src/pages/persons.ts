// The start page: the persons this token may see.
import { api, Person, TumourTwinSummary } from "../api";
import { h, setCrumbs, show } from "../dom";

// The tumour twins this token may see (all for a token that opens everyone;
// a person's own for theirs), with whose each is.
function tumourTwins(twins: TumourTwinSummary[], persons: Person[]): HTMLElement | null {
  if (!twins.length) return null;
  const whose = (t: TumourTwinSummary) => {
    const person = persons.find((p) => p.id === t.person);
    return person ? ` · ${person.name}'s` : "";
  };
  return h(
    "section",
    {},
    h("h2", {}, "Tumour twins"),
    h("ul", {}, ...twins.map((t) => h("li", {}, h("a", { href: `#/tumour/${t.id}` }, t.patient || t.id), `${whose(t)} · calibrated ${t.created.slice(0, 10)}`))),
  );
}

export async function personsPage(main: HTMLElement): Promise<void> {
  const [persons, twins] = await Promise.all([api<Person[]>("/persons"), api<TumourTwinSummary[]>("/tumour-twins")]);
  const tumours = tumourTwins(twins, persons);
  setCrumbs(["Persons", ""]);
  const list = h("ul", { class: "cards" });
  for (const p of persons)
    list.append(h("li", {}, h("a", { href: `#/person/${p.id}`, class: "card" }, h("strong", {}, p.name), h("span", {}, p.sex === "unknown" ? "" : ` · ${p.sex}`))));
  show(
    main,
    h("h1", {}, "Persons"),
    persons.length ? list : h("p", {}, "Nothing imported yet."),
    h("p", {}, h("a", { href: "#/import" }, "Import a file"), " (or run medtwin import FILE)"),
    tumours,
  );
}

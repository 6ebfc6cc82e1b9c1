// The start page: the persons this token may see.
import { api, ApiError, Person, TumourTwinSummary } from "../api";
import { h, setCrumbs, show } from "../dom";

// The tumour twins, for a token that opens everyone (they are not tied to a person); nothing otherwise.
async function tumourTwins(): Promise<HTMLElement | null> {
  const twins = await api<TumourTwinSummary[]>("/tumour-twins").catch((error) => {
    if (error instanceof ApiError && error.status === 403) return [];
    throw error;
  });
  if (!twins.length) return null;
  return h(
    "section",
    {},
    h("h2", {}, "Tumour twins"),
    h("ul", {}, ...twins.map((t) => h("li", {}, h("a", { href: `#/tumour/${t.id}` }, t.patient || t.id), ` · calibrated ${t.created.slice(0, 10)}`))),
  );
}

export async function personsPage(main: HTMLElement): Promise<void> {
  const [persons, tumours] = await Promise.all([api<Person[]>("/persons"), tumourTwins()]);
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

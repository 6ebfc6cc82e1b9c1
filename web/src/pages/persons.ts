// The start page: the persons this token may see.
import { api, Person } from "../api";
import { h, setCrumbs, show } from "../dom";

export async function personsPage(main: HTMLElement): Promise<void> {
  const persons = await api<Person[]>("/persons");
  setCrumbs(["Persons", ""]);
  const list = h("ul", { class: "cards" });
  for (const p of persons)
    list.append(h("li", {}, h("a", { href: `#/person/${p.id}`, class: "card" }, h("strong", {}, p.name), h("span", {}, p.sex === "unknown" ? "" : ` · ${p.sex}`))));
  show(
    main,
    h("h1", {}, "Persons"),
    persons.length ? list : h("p", {}, "Nothing imported yet."),
    h("p", {}, h("a", { href: "#/import" }, "Import a file"), " (or run medtwin import FILE)"),
  );
}

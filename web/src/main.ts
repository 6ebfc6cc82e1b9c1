// The dashboard: one page per part of the twin, chosen by the URL's hash
// (#/person/3/series/12), so every page can be bookmarked and works offline.
import "./style.css";
import { ApiError, setToken } from "./api";
import { h, setCrumbs, show } from "./dom";
import { drugPage } from "./pages/drug";
import { featurePage } from "./pages/feature";
import { glucosePage } from "./pages/glucose";
import { importPage } from "./pages/import";
import { personsPage } from "./pages/persons";
import { personPage } from "./pages/person";
import { seriesPage } from "./pages/series";
import { signalPage } from "./pages/signal";
import { sleepPage } from "./pages/sleep";
import { tumourPage } from "./pages/tumour";

// A page gets the path's parts: ids as numbers, anything else (a date) as text.
type Page = (main: HTMLElement, ...parts: any[]) => Promise<void>;

const routes: [RegExp, Page][] = [
  [/^#?\/?$/, personsPage],
  [/^#\/import$/, importPage],
  [/^#\/person\/(\d+)$/, personPage],
  [/^#\/person\/(\d+)\/series\/(\d+)$/, seriesPage],
  [/^#\/person\/(\d+)\/signal\/(\d+)$/, signalPage],
  [/^#\/person\/(\d+)\/sleep$/, sleepPage],
  [/^#\/person\/(\d+)\/feature\/([a-z0-9_]+)$/, featurePage],
  [/^#\/person\/(\d+)\/drug-test$/, drugPage],
  [/^#\/tumour\/(tumour-[0-9a-f]+)$/, tumourPage],
  [/^#\/person\/(\d+)\/glucose(?:\/(\d{4}-\d{2}-\d{2}))?$/, glucosePage],
];

function tokenForm(main: HTMLElement, message: string): void {
  const input = h("input", { id: "token", type: "password", autocomplete: "off", required: "" });
  const form = h(
    "form",
    { class: "card" },
    h("h1", {}, "Token needed"),
    h("p", {}, message),
    h("label", { for: "token" }, "Access token"),
    input,
    h("button", { type: "submit" }, "Open"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    setToken(input.value.trim());
    void route();
  });
  setCrumbs();
  show(main, form);
  input.focus();
}

async function route(): Promise<void> {
  const main = document.getElementById("main")!;
  const hash = location.hash || "#/";
  const match = routes.find(([pattern]) => pattern.test(hash));
  if (!match) {
    show(main, h("p", { role: "alert" }, "No such page."));
    return;
  }
  const parts = (hash.match(match[0]) ?? []).slice(1).map((part) => (part && /^\d+$/.test(part) ? Number(part) : part));
  main.setAttribute("aria-busy", "true");
  try {
    await match[1](main, ...parts);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) tokenForm(main, "This server needs a token to show anything.");
    else show(main, h("p", { role: "alert", class: "error" }, `Could not load this page: ${(error as Error).message}`));
  } finally {
    main.removeAttribute("aria-busy");
  }
}

window.addEventListener("hashchange", () => void route());
void route();

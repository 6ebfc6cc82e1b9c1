// A few helpers to build the page from data without a framework.

type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child) element.append(child);
  return element;
}

export function show(main: HTMLElement, ...children: Child[]): void {
  main.replaceChildren(...(children.filter(Boolean) as (Node | string)[]));
}

export function setCrumbs(...links: [string, string][]): void {
  const nav = document.getElementById("crumbs")!;
  nav.replaceChildren(
    ...links.flatMap(([label, href], i) => [i > 0 ? " / " : "", href ? h("a", { href }, label) : h("span", { "aria-current": "page" }, label)]),
  );
}

export function numberText(v: number, digits = 1): string {
  return Number.isInteger(v) ? v.toString() : v.toFixed(digits);
}

// Hours after midnight (may be negative or past 24) as a clock time HH:MM.
export function clock(hours: number): string {
  const minutes = ((Math.round(hours * 60) % 1440) + 1440) % 1440;
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

export function dateText(iso: string): string {
  return iso.slice(0, 10);
}

// Runs `cleanup` once the reader leaves this page (the hash changes).
export function onLeave(cleanup: () => void): void {
  window.addEventListener("hashchange", cleanup, { once: true });
}

// A canvas sized to `width` × `height` CSS pixels, drawn at the screen's resolution.
export function sizedContext(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D {
  const scale = window.devicePixelRatio || 1;
  canvas.width = width * scale;
  canvas.height = height * scale;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d")!;
  ctx.scale(scale, scale);
  return ctx;
}

// A table with a caption, column headers and rows of cells (numbers right-aligned).
export function dataTable(caption: string, columns: string[], rows: (string | number)[][], id?: string): HTMLTableElement {
  return h(
    "table",
    id ? { id } : {},
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, ...columns.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, ...rows.map((row) => h("tr", {}, ...row.map((cell) => (typeof cell === "number" ? h("td", { class: "number" }, numberText(cell)) : h("td", {}, cell)))))),
  );
}

// Import: drop (or choose) an export — Apple Health zip, FHIR bundle, Fitbit,
// EDF, CGM CSV — and see it upload, then the server's import job read it, and
// what was added, with links to the persons it went to. The same file twice
// adds nothing, and says so.
import { ApiError, authorization, followJob, ImportResult, Job } from "../api";
import { h, setCrumbs, show } from "../dom";

// Uploads with XMLHttpRequest, which (unlike fetch) reports the upload's progress.
function upload(file: File, query: URLSearchParams, onProgress: (fraction: number) => void): Promise<Job<ImportResult>> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", `api/v1/imports?${query}`);
    for (const [name, value] of Object.entries(authorization())) request.setRequestHeader(name, value);
    request.setRequestHeader("Content-Type", "application/octet-stream");
    request.upload.addEventListener("progress", (event) => event.lengthComputable && onProgress(event.loaded / event.total));
    request.addEventListener("load", () => {
      let answer: { error?: string } = {};
      try {
        answer = JSON.parse(request.responseText || "{}");
      } catch {
        answer = { error: `the server answered ${request.status} ${request.statusText}` };
      }
      if (request.status === 202) resolve(answer as Job<ImportResult>);
      else reject(new ApiError(request.status, answer.error ?? request.statusText));
    });
    // A refused upload is cut off unread, which a browser reports as a network error.
    request.addEventListener("error", () => reject(new Error("the upload was interrupted or refused (check the token and the file's size)")));
    request.send(file);
  });
}

function resultView(result: ImportResult): HTMLElement {
  if (result.already_imported)
    return h("p", { id: "import-result" }, `${result.file} was imported before: nothing was added.`);
  const rows = h("tbody");
  for (const kind of ["observations", "events", "signals"] as const)
    rows.append(h("tr", {}, h("th", { scope: "row" }, kind), h("td", { class: "number" }, result.added[kind].toLocaleString("en")), h("td", { class: "number" }, result.skipped[kind].toLocaleString("en"))));
  const persons = h("ul");
  for (const p of result.persons) persons.append(h("li", {}, h("a", { href: `#/person/${p.id}` }, p.name)));
  const issues = h("ul");
  for (const i of result.issues) issues.append(h("li", {}, `${i.kind}: ${i.what} (${i.times}×, first at ${i.first_where})`));
  return h(
    "section",
    { id: "import-result" },
    h("h2", {}, `${result.file} (${result.importer})`),
    h("table", {}, h("caption", {}, "Rows added, and already present"), h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "kind"), h("th", { scope: "col" }, "added"), h("th", { scope: "col" }, "already present"))), rows),
    h("h3", {}, "Persons"),
    persons,
    result.issues.length ? h("h3", {}, "What was skipped or noted") : null,
    result.issues.length ? issues : null,
  );
}

export async function importPage(main: HTMLElement): Promise<void> {
  setCrumbs(["Persons", "#/"], ["Import", ""]);
  const file = h("input", { id: "import-file", type: "file", required: "" });
  const person = h("input", { id: "import-person", type: "text", autocomplete: "off", placeholder: "as the file names them" });
  const zone = h("input", { id: "import-tz", type: "text", value: Intl.DateTimeFormat().resolvedOptions().timeZone });
  const progress = h("progress", { max: "1", value: "0", hidden: "", "aria-label": "import progress" });
  const status = h("p", { id: "import-status", "aria-live": "polite" });
  const result = h("div");
  const drop = h("div", { class: "drop", id: "import-drop" }, "Drop a file here, or choose one:", file);
  const form = h(
    "form",
    { class: "card wide" },
    drop,
    h("label", { for: "import-person" }, "Store under the person (optional)"),
    person,
    h("label", { for: "import-tz" }, "Time zone of timestamps written without one"),
    zone,
    h("button", { type: "submit" }, "Import"),
    progress,
  );
  show(
    main,
    h("h1", {}, "Import"),
    h("p", {}, "An Apple Health export (zip or xml), a FHIR bundle or NDJSON, a Fitbit export, EDF/BDF/GDF, actigraphy or a CGM CSV. The file is read in one transaction: if it fails, nothing of it is kept."),
    form,
    status,
    result,
  );
  for (const name of ["dragover", "drop"])
    drop.addEventListener(name, (event) => {
      event.preventDefault();
      const files = (event as DragEvent).dataTransfer?.files;
      if (name === "drop" && files?.length) file.files = files;
    });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) return;
    const query = new URLSearchParams({ file: chosen.name });
    if (person.value.trim()) query.set("person", person.value.trim());
    if (zone.value.trim()) query.set("tz", zone.value.trim());
    progress.hidden = false;
    result.replaceChildren();
    try {
      status.textContent = `Uploading ${chosen.name}…`;
      const job = await upload(chosen, query, (fraction) => (progress.value = fraction / 2));
      const done = await followJob(job, (j) => {
        progress.value = 0.5 + j.progress / 2;
        status.textContent = `${j.step}…`;
      });
      status.textContent = "Done.";
      result.replaceChildren(resultView(done));
    } catch (error) {
      status.textContent = `Not imported: ${(error as Error).message}`;
    } finally {
      progress.hidden = true;
    }
  });
}

// The dashboard in a real browser (Debian's chromium, headless, through
// playwright-core): a fresh database with the bundled samples, `medtwin serve`
// on a free port, every page opened and checked for charts drawn with data,
// not just loaded; then a server on a non-loopback bind refusing a request
// without its token. Screenshots go to --out.
//
//   node tests/dashboard.test.mjs --medtwin BIN --web DIST --samples DIR --generator GEN [--cgm FILE] --out DIR
// (GEN: bench/gen_apple_health, for five weeks of a watch's heart rate; FILE:
// a CGMacros participant from the shared data, for the glucose page, whose
// checks are skipped, and said so, without it.)
import { spawn, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const options = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
for (const key of ["medtwin", "web", "samples", "generator", "out"]) if (!options[key]) throw new Error(`missing --${key}`);
mkdirSync(options.out, { recursive: true });
const scratch = mkdtempSync(path.join(tmpdir(), "medtwin-browser-"));
const database = path.join(scratch, "browser.db");
const servers = [];
let failures = 0;

function check(condition, what) {
  console.log(`${condition ? "ok  " : "FAIL"} ${what}`);
  if (!condition) failures++;
}

function medtwin(...args) {
  return execFileSync(options.medtwin, ["--db", database, ...args], { encoding: "utf8" });
}

// Starts `medtwin serve`, resolving with its URL once it prints it.
function serve(...args) {
  return new Promise((resolve, reject) => {
    const child = spawn(options.medtwin, ["--db", database, "serve", "--web", options.web, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    servers.push(child);
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const found = output.match(/serving (http:\/\/\S+\/)/);
      if (found) resolve({ url: found[1].replace("0.0.0.0", "127.0.0.1"), output });
    });
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => reject(new Error(`medtwin serve exited (${code}): ${output}`)));
  });
}

// Polls a locator's text from Node: the dashboard's Content-Security-Policy
// forbids the eval behind page.waitForFunction, as it should.
async function waitForText(locator, accept, what, timeout = 10000) {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    if (accept((await locator.textContent()) ?? "")) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(options.out, `${name}.png`), fullPage: true });
}

// A day of CGM with its meals, then a meal added: the twin's what-if runs as a job and overlays the day.
async function glucoseChecks(page, url) {
  await page.goto(`${url}#/`);
  await page.getByRole("link", { name: /cgm-person/ }).click();
  await page.getByRole("link", { name: /what-if/ }).click();
  await page.waitForSelector("figure[data-readings] canvas");
  // The last day may be partial: a whole day from the middle of the record.
  const dates = await page.locator("#glucose-date option").allTextContents();
  await page.selectOption("#glucose-date", dates[Math.floor(dates.length / 2)]);
  await waitForText(page.locator("h1"), (text) => text.endsWith(dates[Math.floor(dates.length / 2)]), "the chosen day");
  await page.waitForSelector("figure[data-readings] canvas");
  const readings = Number(await page.locator("figure").getAttribute("data-readings"));
  check(readings > 200, `the glucose day draws its CGM (${readings} readings)`);
  check((await page.locator("#glucose-summary").textContent()).includes("Meals logged"), "the glucose chart has a text alternative");
  await page.fill("#meal-time", "15:00");
  await page.fill("#meal-carbs", "75");
  await page.getByRole("button", { name: "Add meal and simulate" }).click();
  await page.waitForSelector("figure[data-overlay]", { timeout: 60000 });
  const overlay = Number(await page.locator("figure").getAttribute("data-overlay"));
  check(overlay >= 280, `the what-if overlays the simulated day (${overlay} points)`);
  check((await page.locator("#what-if-status").textContent()).includes("peaks at"), "the what-if says what the meal would do");
  // Then a run: it counts as much as the participant's own exercise moved their glucose.
  await page.fill("#run-time", "18:00");
  await page.fill("#run-minutes", "45");
  await page.fill("#run-heart-rate", "150");
  await page.getByRole("button", { name: "Add run and simulate" }).click();
  await waitForText(page.locator("#what-if-status"), (text) => text.includes("Exercise counts"), "the run's what-if", 60000);
  const said = await page.locator("#what-if-status").textContent();
  check(said.includes("45 min at 150 bpm") && said.includes("bouts of exercise"), "the what-if says how the run was counted");
  await shot(page, "glucose-what-if");
}

async function main() {
  medtwin("import", path.join(options.samples, "apple-health/export.xml"), "--person", "apple-person");
  medtwin("import", path.join(options.samples, "mitdb/100.hea"), "--person", "record-100");
  const generated = path.join(scratch, "export.xml");
  execFileSync(options.generator, [generated, "25"]);
  medtwin("import", generated, "--person", "watch-person");
  if (options.cgm) medtwin("import", options.cgm, "--tz", "UTC", "--person", "cgm-person");  // CGMacros writes local times without a zone
  medtwin("tumor", "calibrate", "--timeline", path.join(options.samples, "tumour/timeline_radii.json"));
  medtwin("tumor", "synthesize", "--out", path.join(scratch, "tumour"), "--visit-days", "0", "60");  // a twin with masks
  medtwin("tumor", "calibrate", "--timeline", path.join(scratch, "tumour/timeline.json"));
  const { url } = await serve("--listen", "127.0.0.1:0");
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
    page.on("request", (r) => { if (!r.url().startsWith(url)) errors.push(`outside request: ${r.url()}`); });

    await page.goto(url);
    await page.waitForSelector("a.card");
    const persons = options.cgm ? 4 : 3;
    check((await page.locator("a.card").count()) === persons, `the start page lists the ${persons} persons`);
    await shot(page, "persons");

    await page.getByRole("link", { name: /watch-person/ }).click();
    await page.waitForSelector("table:not(#state) tbody tr");
    await page.waitForSelector("table#state tbody tr");  // the twin comes after the rest of the page
    check((await page.locator("table#state tbody tr").count()) > 3, "the overview shows today against the person's baseline, with tomorrow");
    check((await page.locator("#readiness, .card:has-text('Readiness')").count()) > 0, "the overview shows readiness");
    check((await page.locator("table:not(#state) tbody tr").count()) > 10, "the person page lists their series");
    await shot(page, "person");
    // The export: a FHIR bundle saved through the page (with the token, were there one).
    const [saved] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "FHIR R4 bundle" }).click()]);
    const exported = JSON.parse(readFileSync(await saved.path(), "utf8"));
    check(exported.resourceType === "Bundle" && exported.entry.length > 17000, `the person's FHIR bundle downloads (${exported.entry.length} entries)`);

    // A daily feature's timeline: its days against the person's baseline band, and the forecast with its bands.
    await page.locator("table#state").getByRole("link", { name: "resting_hr", exact: true }).click();
    await page.waitForSelector("figure[data-days] canvas");
    const featureDays = Number(await page.locator("figure").getAttribute("data-days"));
    const forecastDays = Number(await page.locator("figure").getAttribute("data-forecast"));
    check(featureDays >= 30 && forecastDays === 7, `the resting HR timeline draws ${featureDays} days and a ${forecastDays}-day forecast`);
    check((await page.locator("#feature-summary").textContent()).includes("against a usual"), "the timeline says how the last day stands against the baseline");
    await shot(page, "feature");
    await page.goBack();
    await page.waitForSelector("table#state tbody tr");

    // Sleep: the actogram of the watch's nights and the two-process model under tonight's plan, moved by keyboard.
    await page.getByRole("link", { name: /tonight's plan/ }).click();
    await page.waitForSelector("canvas.actogram[data-nights]");
    const nights = Number(await page.locator("canvas.actogram").getAttribute("data-nights"));
    check(nights >= 30, `the actogram draws the nights (${nights})`);
    await page.waitForSelector("canvas.hypnogram[data-segments]");
    const segments = Number(await page.locator("canvas.hypnogram").getAttribute("data-segments"));
    check(segments >= 3 && /deep \d+ min/.test(await page.locator("#hypnogram-summary").textContent()), `the hypnogram draws the last night's stages (${segments} segments)`);
    await page.waitForSelector("figure[data-plan] canvas");
    const habitualPlan = await page.locator("figure").getAttribute("data-plan");
    const habitualSummary = await page.locator("#scenario-summary").textContent();
    await page.locator("#plan-bed").focus();
    for (let i = 0; i < 8; ++i) await page.keyboard.press("ArrowRight");  // two hours later to bed
    await waitForText(page.locator("#scenario-summary"), (text) => text !== habitualSummary, "the later plan's scenario");
    const laterPlan = await page.locator("figure").getAttribute("data-plan");
    check(laterPlan !== habitualPlan && Number(await page.locator("figure").getAttribute("data-points")) > 100,
      `moving bedtime re-runs the two-process model (${habitualPlan} → ${laterPlan})`);
    await shot(page, "sleep");
    await page.goBack();
    await page.waitForSelector("table:not(#state) tbody tr");

    // The series with the most values.
    const counts = await page.locator("table:not(#state) tbody tr td.number").allTextContents();
    const most = counts.map((c) => Number(c.replace(/,/g, ""))).reduce((best, n, i, all) => (n > all[best] ? i : best), 0);
    await page.locator("table:not(#state) tbody tr a").nth(most).click();
    await page.waitForSelector("figure[data-points]");
    const points = Number(await page.locator("figure").getAttribute("data-points"));
    check(points > 1000 && points <= 2400, `five weeks of heart rate drawn from ${points} thinned points`);
    check((await page.locator("figure canvas").count()) > 0, "the timeline has a canvas");
    check((await page.locator("#chart-summary").textContent()).includes("values from"), "the timeline has a text alternative");
    // Zoom by dragging across the middle of the plot: the page fetches the finer range.
    const box = await page.locator(".u-over").boundingBox();
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const before = await page.locator("#chart-summary").textContent();
    await waitForText(page.locator("#chart-summary"), (text) => text !== before, "the zoomed range");
    const zoomed = Number(await page.locator("figure").getAttribute("data-points"));
    check(zoomed > 100, `zooming in fetches the finer range (${zoomed} points)`);
    await shot(page, "timeline");

    await page.goto(`${url}#/`);
    await page.getByRole("link", { name: /record-100/ }).click();
    await page.locator("a.card").first().click();
    await page.waitForSelector("canvas.paper[data-beats]");
    const beats = Number(await page.locator("canvas.paper").getAttribute("data-beats"));
    check(beats >= 10, `the ECG viewer labels the beats of 10 s (${beats})`);
    await page.locator("canvas.paper").focus();
    await page.keyboard.press("ArrowRight");
    await waitForText(page.locator("#window-summary"), (text) => text.startsWith("Seconds 10"), "the next 10 s");
    check(true, "→ moves the ECG on by 10 s");
    // The server's analysis arrives: its beats marked in the window, its intervals and rhythm summarised.
    await page.waitForSelector("canvas.paper[data-detected]", { timeout: 60000 });
    const detected = Number(await page.locator("canvas.paper").getAttribute("data-detected"));
    check(detected >= 10, `the analysis marks the window's detected beats (${detected})`);
    const summaryRows = await page.locator("#ecg-analysis tbody tr").allTextContents();
    check(summaryRows.some((row) => row.startsWith("PR, QRS, QT") && /\d+ ms/.test(row)), "the analysis gives the intervals");
    check((await page.locator("#window-summary").textContent()).includes("detected:"), "the window's text alternative counts the detected beats");
    await shot(page, "ecg");

    // The heart drug test: an IKr blocker at two doses, the action potentials drawn and the risk class given.
    await page.goto(`${url}#/`);
    await page.getByRole("link", { name: /record-100/ }).click();
    await page.getByRole("link", { name: /Drug test/ }).click();
    await page.selectOption("#drug-name", "dofetilide");
    await page.fill("#drug-doses", "1, 4");
    await page.selectOption("#drug-beats", "100");  // the quick look
    await page.getByRole("button", { name: "Run the test" }).click();
    await page.waitForSelector("figure[data-doses] canvas", { timeout: 60000 });
    check(Number(await page.locator("figure").getAttribute("data-doses")) === 2, "the drug test draws an action potential per dose");
    check((await page.locator("#drug-dose-table tbody tr").count()) === 2, "the drug test tabulates APD and qNet per dose");
    check(/(low|intermediate|high) TdP risk/.test(await page.locator("#drug-risk").textContent()), "the drug test gives the risk class and its metric");
    await shot(page, "drug-test");

    // The tumour twin: its visits as slices, two plans compared against the untreated control, a day's slices moved by keyboard.
    await page.goto(`${url}#/`);
    await page.getByRole("link", { name: "example (radii)" }).click();
    await page.waitForSelector("#visit-slices canvas");
    check((await page.locator("#visit-slices canvas").count()) === 2, "the tumour page draws a slice per visit");
    for (const name of [/drug X/, /hypofractionated RT 40/, /hypofractionated RT \+/]) await page.getByLabel(name).uncheck();
    await page.selectOption("#tumour-samples", "12");
    await page.getByRole("button", { name: "Compare the plans" }).click();
    await page.waitForSelector("#tumour-comparison figure[data-plans] canvas", { timeout: 60000 });
    check(Number(await page.locator("#tumour-comparison figure[data-plans]").getAttribute("data-plans")) === 3, "the comparison draws the control and both plans");
    check((await page.locator("#regimens tbody tr").count()) === 3, "the regimen table has a row per plan");
    const firstSlice = await page.locator("#forecast-slices canvas").first().getAttribute("aria-label");
    await page.locator("#slice-day").focus();
    for (let i = 0; i < 30; ++i) await page.keyboard.press("ArrowRight");
    const movedSlice = await page.locator("#forecast-slices canvas").first().getAttribute("aria-label");
    check((await page.locator("#forecast-slices canvas").count()) === 3 && firstSlice !== movedSlice, `the day's slices follow the slider (${firstSlice} → ${movedSlice})`);
    await shot(page, "tumour");
    // A twin calibrated from masks shows them, outlined, on the tumour's largest slice.
    await page.goto(`${url}#/`);
    await page.getByRole("link", { name: "synthetic", exact: true }).click();
    await page.waitForSelector("#visit-slices[data-masks] canvas");
    check(Number(await page.locator("#visit-slices").getAttribute("data-masks")) === 2, "the tumour page draws each visit's own masks");
    await shot(page, "tumour-masks");

    if (options.cgm)
      await glucoseChecks(page, url).catch(async (error) => {
        console.log(`the page showed: ${(await page.locator("main").textContent({ timeout: 1000 }).catch(() => "?")).slice(0, 300)}`);
        throw error;
      });
    else console.log("skip the glucose page: no CGM file (--cgm)");

    // An upload through the import page: progress, what was added, a link to the person; the same file again adds nothing.
    const bundle = path.join(options.samples, "synthea/Alfreda_Wyman_3287b938-4670-47eb-91e5-e0ce3df71405.json");
    await page.goto(`${url}#/`);
    await page.getByRole("link", { name: "Import a file" }).click();
    await page.setInputFiles("#import-file", bundle);
    await page.getByRole("button", { name: "Import" }).click();
    await page.waitForSelector("#import-result a", { timeout: 60000 });
    const added = await page.locator("#import-result tbody tr td.number").first().textContent();
    check(Number(added.replace(/,/g, "")) === 84, `the import page shows what the FHIR bundle added (${added} observations, as \`medtwin import\` counts)`);
    await shot(page, "import");
    await page.setInputFiles("#import-file", bundle);
    await page.getByRole("button", { name: "Import" }).click();
    await waitForText(page.locator("#import-result"), (text) => text.includes("imported before"), "the second import", 60000);
    check(true, "importing the same file again adds nothing, and says so");

    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${url}#/`);
    await page.getByRole("link", { name: /watch-person/ }).click();
    await page.waitForSelector("table:not(#state) tbody tr");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 1, `the person page fits 360 px (overflow ${overflow} px)`);
    await shot(page, "person-360px");
    check(errors.length === 0, `no script errors and nothing fetched from elsewhere${errors.length ? ": " + errors.join("; ") : ""}`);

    // A server on all addresses needs its token: the API says 401, the page asks for it.
    const token = "browser-test-token-0123456789";
    const guarded = await serve("--listen", "0.0.0.0:0", "--token", token);
    const refused = await fetch(`${guarded.url}api/v1/persons`);
    check(refused.status === 401, `a request without the token gets 401 (${refused.status})`);
    const guardedPage = await browser.newPage();
    await guardedPage.goto(guarded.url);
    await guardedPage.waitForSelector("#token");
    await guardedPage.fill("#token", token);
    await guardedPage.press("#token", "Enter");
    await guardedPage.waitForSelector("a.card");
    check((await guardedPage.locator("a.card").count()) === persons + 1, "with the token the persons appear");
    await shot(guardedPage, "token");
  } finally {
    await browser.close();
  }
}

try {
  await main();
} catch (error) {
  console.log(`FAIL ${error.stack ?? error}`);
  failures++;
} finally {
  for (const s of servers) s.kill("SIGTERM");
  rmSync(scratch, { recursive: true, force: true });
}
console.log(failures ? `${failures} check(s) failed` : "all browser checks passed");
process.exit(failures ? 1 : 0);

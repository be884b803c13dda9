// The Map Run view and the S3 pane (issue #7, the page side of distributed Maps): first the
// worker's paged Session API on the wasm build under node, then the page in Chromium — the
// gallery example, the S3 editor form, a 100,000-item run that must not freeze the page,
// and screenshots.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import {
  start,
  setEditor,
  editorText,
  finalStatus,
  shotPath,
  MOCK,
  run,
  loadExample,
  stateNode,
  viewTab,
} from "./harness.mjs";

const pkg = join(fileURLToPath(new URL(".", import.meta.url)), "..", "..", "pkg");
const wasm = await import(join(pkg, "aslplay.js"));
wasm.initSync({ module: readFileSync(join(pkg, "aslplay_bg.wasm")) });

/** A distributed Map over `items.json` in bucket `in`; children fail on a negative `n`. */
const mapDef = (extra = {}) => ({
  StartAt: "Each",
  States: {
    Each: {
      Type: "Map",
      ItemReader: {
        Resource: "arn:aws:states:::s3:getObject",
        ReaderConfig: { InputType: "JSON" },
        Parameters: { Bucket: "in", Key: "items.json" },
      },
      ItemProcessor: {
        ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" },
        StartAt: "Check",
        States: {
          Check: { Type: "Choice", Choices: [{ Variable: "$.n", NumericLessThan: 0, Next: "Bad" }], Default: "Ok" },
          Ok: { Type: "Pass", Parameters: { "double.$": "States.MathAdd($.n, $.n)" }, End: true },
          Bad: { Type: "Fail", Error: "Negative", Cause: "n < 0" },
        },
      },
      MaxConcurrency: 3,
      ...extra,
      End: true,
    },
  },
});
const mockOf = (items, more = {}) =>
  JSON.stringify({ S3Objects: [{ Bucket: "in", Key: "items.json", Content: items }], ...more });
const items = (n, bad = []) => Array.from({ length: n }, (_, i) => ({ n: bad.includes(i) ? -1 : i }));

function runAll(session) {
  while (session.status() === "RUNNING") session.run_slice(500, 10_000);
}

test("Session: map runs, their item counts and a page of children by status", () => {
  const s = new wasm.Session(
    JSON.stringify(
      mapDef({
        ToleratedFailureCount: 5,
        ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "out", Prefix: "r" } },
      }),
    ),
    "{}",
    mockOf(items(250, [7, 9])),
    "",
    "",
    1,
  );
  runAll(s);
  assert.equal(s.status(), "SUCCEEDED");
  const runs = JSON.parse(s.map_runs());
  assert.equal(runs.length, 1);
  const [run] = runs;
  assert.match(run.mapRunArn, /^arn:aws:states:us-east-1:\d+:mapRun:/);
  assert.equal(run.mapState, "Each");
  assert.equal(run.status, "SUCCEEDED");
  assert.equal(run.parent, null);
  assert.deepEqual(run.itemCounts, {
    pending: 0,
    running: 0,
    succeeded: 248,
    failed: 2,
    timedOut: 0,
    aborted: 0,
    total: 250,
  });
  // Pages of 100 in item order; the filter counts only its status.
  const page = JSON.parse(s.map_run_children(run.mapRunArn, "", 200, 100));
  assert.equal(page.matching, 250);
  assert.deepEqual(
    page.children.map((c) => c.index),
    Array.from({ length: 50 }, (_, i) => 200 + i),
  );
  const failed = JSON.parse(s.map_run_children(run.mapRunArn, "FAILED", 0, 100));
  assert.equal(failed.matching, 2);
  assert.deepEqual(
    failed.children.map((c) => [c.index, c.status]),
    [
      [7, "FAILED"],
      [9, "FAILED"],
    ],
  );
  assert.ok(failed.children[0].name.startsWith("7-"));
  // A child's own history, input and output.
  const child = JSON.parse(s.child_execution(run.mapRunArn, 7));
  assert.equal(child.status, "FAILED");
  assert.deepEqual(child.input, { n: -1 });
  assert.equal(child.error, "Negative");
  assert.deepEqual(
    child.events.map((e) => e.type),
    ["ExecutionStarted", "ChoiceStateEntered", "ChoiceStateExited", "FailStateEntered", "ExecutionFailed"],
  );
  assert.deepEqual(JSON.parse(s.child_execution(run.mapRunArn, 3)).output, { double: 6 });
  assert.equal(s.child_execution(run.mapRunArn, 999), "null");
  assert.equal(s.child_execution("arn:nope", 0), "null");
  // The store: the mocked object, and the manifest and result files the ResultWriter wrote.
  const s3 = JSON.parse(s.s3_objects());
  const given = s3.objects.filter((o) => !o.written).map((o) => `${o.bucket}/${o.key}`);
  const written = s3.objects.filter((o) => o.written).map((o) => o.key);
  assert.deepEqual(given, ["in/items.json"]);
  assert.equal(written.length, 3);
  assert.ok(written.some((k) => k.endsWith("/manifest.json")) && written.some((k) => k.endsWith("/FAILED_0.json")));
  const manifest = s3.objects.find((o) => o.key.endsWith("manifest.json"));
  const got = JSON.parse(s.s3_object("out", manifest.key, 0));
  assert.equal(got.truncated, false);
  assert.equal(got.size, manifest.size);
  assert.equal(JSON.parse(got.content).MapRunArn, run.mapRunArn);
  const cut = JSON.parse(s.s3_object("in", "items.json", 10));
  assert.deepEqual([cut.content, cut.truncated], ['[{"n":0},{', true]);
  assert.equal(s.s3_object("in", "missing", 0), "null");
  s.free();
});

test("Session: while a run is in progress, counts show pending and running children", () => {
  const s = new wasm.Session(JSON.stringify(mapDef({ ToleratedFailureCount: 0 })), "{}", mockOf(items(40)), "", "", 1);
  // A small budget stops inside the Map Run: no event of the execution's own history.
  const events = [];
  for (let i = 0; i < 20 && !events.some((e) => e.type === "MapRunStarted"); i++)
    events.push(...JSON.parse(s.run_slice(10, 5)));
  assert.deepEqual(JSON.parse(s.run_slice(10, 30)), [], "30 turns end no child");
  const [run] = JSON.parse(s.map_runs());
  assert.equal(run.status, "RUNNING");
  const c = run.itemCounts;
  assert.equal(c.total, 40);
  assert.equal(c.running, 3, "MaxConcurrency 3");
  assert.equal(c.pending + c.running + c.succeeded, 40);
  assert.ok(c.succeeded > 0 && c.pending > 0);
  // Stopping the execution aborts the children still running.
  s.stop();
  const [after] = JSON.parse(s.map_runs());
  assert.equal(after.status, "ABORTED");
  assert.equal(after.itemCounts.running, 0);
  assert.equal(after.itemCounts.aborted, 3);
  assert.equal(JSON.parse(s.map_run_children(after.mapRunArn, "ABORTED", 0, 100)).matching, 3);
  s.free();
});

test("Session: a run that fails over its tolerance, and a nested distributed Map", () => {
  const s = new wasm.Session(JSON.stringify(mapDef()), "{}", mockOf(items(10, [4])), "", "", 1);
  runAll(s);
  assert.equal(s.status(), "FAILED");
  const [run] = JSON.parse(s.map_runs());
  assert.equal(run.status, "FAILED");
  assert.equal(run.error, "States.ExceedToleratedFailureThreshold");
  assert.equal(run.itemCounts.failed, 1);
  assert.equal(run.itemCounts.running, 0, "children still running when it failed count as aborted");
  assert.equal(run.itemCounts.total, 10);
  s.free();

  const inner = mapDef().States.Each;
  const outer = {
    StartAt: "Outer",
    States: {
      Outer: {
        Type: "Map",
        ItemsPath: "$.groups",
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "Each",
          States: { Each: inner },
        },
        End: true,
      },
    },
  };
  const n = new wasm.Session(JSON.stringify(outer), JSON.stringify({ groups: [1, 2] }), mockOf(items(4)), "", "", 1);
  runAll(n);
  assert.equal(n.status(), "SUCCEEDED");
  const runs = JSON.parse(n.map_runs());
  assert.equal(runs.length, 3);
  assert.equal(runs[0].parent, null);
  assert.deepEqual(
    runs.slice(1).map((r) => r.parent?.index),
    [0, 1],
  );
  assert.ok(runs.slice(1).every((r) => r.parent.mapRunArn === runs[0].mapRunArn && r.itemCounts.succeeded === 4));
  n.free();
});

test("check_mock and mock_s3_objects locate a bad S3Objects entry", () => {
  const text =
    '{\n  "S3Objects": [\n    {"Bucket": "b", "Key": "k", "Content": "x"},\n    {"Bucket": "b", "Key": "", "Content": "y"}\n  ]\n}';
  const problem = JSON.parse(wasm.check_mock(text));
  assert.equal(problem.message, "Key must be a non-empty string");
  assert.equal(problem.line, 4);
  assert.deepEqual(JSON.parse(wasm.mock_s3_objects(text)), problem);
  assert.equal(wasm.check_mock('{"S3Objects": [{"Bucket": "b", "Key": "k", "Content": [1, 2]}]}'), "null");
  const listed = JSON.parse(
    wasm.mock_s3_objects('{"S3Buckets": ["empty"], "S3Objects": [{"Bucket": "b", "Key": "k", "Content": [1, 2]}]}'),
  );
  assert.deepEqual(listed.buckets, ["b", "empty"]);
  assert.deepEqual(
    listed.objects.map((o) => [o.bucket, o.key, o.size, o.written]),
    [["b", "k", 5, false]],
  );
  assert.deepEqual(
    JSON.parse(wasm.mock_s3_object('{"S3Objects": [{"Bucket": "b", "Key": "k", "Content": [1, 2]}]}', "b", "k", 0))
      .content,
    "[1,2]",
  );
  // A configuration of S3 objects only starts a run (no test case to choose).
  const s = new wasm.Session(JSON.stringify(mapDef()), "{}", mockOf(items(2)), "", "", 1);
  runAll(s);
  assert.equal(s.status(), "SUCCEEDED");
  s.free();
});

// ---- the page --------------------------------------------------------------------------

let h;
before(async () => {
  h = await start();
});
after(async () => {
  await h?.close();
});

const tab = viewTab;

test("the gallery's distributed Map runs; the Map Run view lists its children; the S3 pane shows what it wrote", async () => {
  const { page, context } = await h.open();
  await loadExample(page, "distributed-map");
  // Before a run, the S3 pane lists the mock configuration's objects.
  await tab(page, "S3 objects").click();
  const s3 = page.getByRole("table", { name: "S3 objects" });
  await s3.getByRole("button", { name: "orders.csv", exact: true }).waitFor();
  assert.equal(await s3.locator("tbody tr").count(), 2);
  await tab(page, "Execution history").click();
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");

  // The MapRunStarted event leads to its map run.
  await page.locator("tr.event", { hasText: "MapRunStarted" }).click();
  assert.equal(await tab(page, "Map runs").getAttribute("aria-selected"), "true");
  const view = page.locator("#mapruns");
  await view.locator(".maprun-title h3", { hasText: "Process orders" }).waitFor();
  assert.match(await view.locator(".maprun-arn").textContent(), /:mapRun:Orders\/orders:/);
  const counts = Object.fromEntries(
    await view
      .locator(".maprun-counts > div")
      .evaluateAll((boxes) => boxes.map((b) => [b.querySelector("dt").textContent, b.querySelector("dd").textContent])),
  );
  assert.deepEqual(counts, {
    Pending: "0",
    Running: "0",
    Succeeded: "4",
    Failed: "1",
    "Timed out": "0",
    Aborted: "0",
    Total: "5",
  });
  const rows = page.getByRole("table", { name: "Child executions" }).locator("tbody tr");
  assert.equal(await rows.count(), 5);
  assert.equal(await view.locator(".maprun-page").textContent(), "1–5 of 5");
  // Filter by status.
  await page.getByLabel("Filter child executions by status").selectOption("FAILED");
  await page.waitForFunction(() => document.querySelectorAll("#mapruns .maprun-table tbody tr").length === 1);
  assert.match(await rows.first().textContent(), /^2-.*FAILED/);
  // A child's history, input and output.
  await rows.first().getByRole("button").click();
  const childHistory = page.getByRole("table", { name: "Child execution history" });
  await childHistory.locator("tr.event", { hasText: "ExecutionFailed" }).waitFor();
  assert.match(
    await view.locator(".maprun-child-io").textContent(),
    /"total": "-4".*InvalidOrder: The order total must be positive/s,
  );
  assert.deepEqual(await childHistory.locator("tr.event td:nth-child(2)").allTextContents(), [
    "ExecutionStarted",
    "PassStateEntered",
    "PassStateExited",
    "ChoiceStateEntered",
    "ChoiceStateExited",
    "FailStateEntered",
    "ExecutionFailed",
  ]);
  await page.getByLabel("Filter child executions by status").selectOption("");
  await page.waitForFunction(() => document.querySelectorAll("#mapruns .maprun-table tbody tr").length === 5);
  await rows.nth(1).getByRole("button").click();
  await view.locator(".maprun-child-io", { hasText: "r-ok" }).waitFor();

  // The S3 pane: the mocked objects and the manifest and result files the run wrote.
  await tab(page, "S3 objects").click();
  await s3.getByRole("button", { name: /manifest\.json$/ }).waitFor();
  const listed = await s3
    .locator("tbody tr")
    .evaluateAll((trs) => trs.map((tr) => [tr.cells[1].textContent, tr.cells[3].textContent]));
  assert.deepEqual(
    listed.map(([, src]) => src),
    ["mock", "mock", "written", "written", "written"],
  );
  assert.ok(listed.some(([k]) => /\/SUCCEEDED_0\.json$/.test(k)) && listed.some(([k]) => /\/FAILED_0\.json$/.test(k)));
  await s3.getByRole("button", { name: /manifest\.json$/ }).click();
  const content = page.getByLabel("Object content");
  await content.waitFor();
  const manifest = JSON.parse(await content.textContent());
  assert.equal(manifest.DestinationBucket, "shop-results");
  assert.equal(manifest.ResultFiles.SUCCEEDED.length, 1);

  // From the graph: the Map node's inspector links to its map run.
  await tab(page, "Execution history").click();
  await stateNode(page, "Process orders").first().click();
  await page.getByRole("button", { name: "Open Map Run" }).click();
  assert.equal(await tab(page, "Map runs").getAttribute("aria-selected"), "true");
  // Reset forgets the run.
  await page.getByRole("button", { name: "Reset" }).click();
  await view.locator(".maprun-empty", { hasText: "No distributed Map run." }).waitFor();
  assert.equal(await page.locator("#maprun-count").textContent(), "");
  await tab(page, "S3 objects").click();
  await page.waitForFunction(() => document.querySelectorAll("#s3 .s3-table tbody tr").length === 2);
  assert.equal(await page.locator("#s3 .s3-title").textContent(), "S3 objects in the mock configuration");
  assert.deepEqual(h.errors, []);
  await context.close();
});

test("Step over a distributed Map gives the same history as Run", async () => {
  const { page, context } = await h.open();
  await loadExample(page, "distributed-map");
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  const types = (all) => all.map((e) => e.type);
  const whole = types(await page.evaluate(() => globalThis.__aslplay.events()));
  await page.getByRole("button", { name: "Reset" }).click();
  const step = page.getByRole("button", { name: "Step", exact: true });
  for (let i = 0; i < 30 && (await page.locator("#status").textContent()) !== "SUCCEEDED"; i++) {
    const before = (await page.evaluate(() => globalThis.__aslplay.events())).length;
    await step.click();
    await page.waitForFunction((n) => globalThis.__aslplay.events().length > n, before);
  }
  assert.deepEqual(types(await page.evaluate(() => globalThis.__aslplay.events())), whole);
  assert.ok(whole.includes("MapStateStarted") && whole.includes("MapRunSucceeded"));
  await context.close();
});

test("the S3 form adds and edits objects in the mock configuration; a bad entry gets a located diagnostic", async () => {
  const { page, context } = await h.open();
  await setEditor(page, MOCK, "");
  await tab(page, "S3 objects").click();
  await page.getByRole("button", { name: "Add object" }).click();
  const form = page.getByRole("form", { name: "Add S3 object" });
  // Bucket and key are required.
  await form.getByRole("button", { name: "Save to mock configuration" }).click();
  assert.equal(await form.getByRole("alert").textContent(), "Bucket must be a non-empty string");
  await form.getByLabel("Bucket").fill("data");
  await form.getByLabel("Key").fill("notes/<b>hi</b>.txt");
  await form.getByLabel("Content").fill("line 1\nline 2\n");
  await form.getByRole("button", { name: "Save to mock configuration" }).click();
  const s3 = page.getByRole("table", { name: "S3 objects" });
  await s3.getByRole("button", { name: "notes/<b>hi</b>.txt", exact: true }).waitFor();
  assert.deepEqual(JSON.parse(await editorText(page, MOCK)), {
    S3Objects: [{ Bucket: "data", Key: "notes/<b>hi</b>.txt", Content: "line 1\nline 2\n" }],
  });
  assert.equal(await page.locator("#s3 b").count(), 0, "keys are text, not markup");
  await page.getByLabel("Object content").filter({ hasText: "line 2" }).waitFor();
  // Edit it: the form shows its content; saving replaces the entry.
  await page.getByRole("button", { name: "Edit data/notes/<b>hi</b>.txt" }).click();
  const edit = page.getByRole("form", { name: "Edit S3 object" });
  assert.equal(await edit.getByLabel("Content").inputValue(), "line 1\nline 2\n");
  await edit.getByLabel("Content").fill("changed");
  await edit.getByRole("button", { name: "Save to mock configuration" }).click();
  await page.waitForFunction(
    () => JSON.parse(globalThis.__aslplay.text("Mock configuration")).S3Objects[0].Content === "changed",
  );
  assert.equal(JSON.parse(await editorText(page, MOCK)).S3Objects.length, 1);
  // Add a second one, then delete the first.
  await page.getByRole("button", { name: "Add object" }).click();
  await form.getByLabel("Key").fill("more.json");
  await form.getByLabel("Content").fill("[1, 2]");
  await form.getByRole("button", { name: "Save to mock configuration" }).click();
  await s3.getByRole("button", { name: "more.json", exact: true }).waitFor();
  await page.getByRole("button", { name: "Edit data/notes/<b>hi</b>.txt" }).click();
  await edit.getByRole("button", { name: "Delete" }).click();
  await page.waitForFunction(() => document.querySelectorAll("#s3 .s3-table tbody tr").length === 1);
  assert.deepEqual(JSON.parse(await editorText(page, MOCK)).S3Objects, [
    { Bucket: "data", Key: "more.json", Content: "[1, 2]" },
  ]);
  // A bad entry typed into the mock configuration: the pane and Problems say where.
  const bad = {
    S3Objects: [
      { Bucket: "data", Key: "a.txt", Content: "x" },
      { Bucket: "data", Key: "b.txt", Content: "y", LastModified: "yesterday" },
    ],
  };
  await setEditor(page, MOCK, JSON.stringify(bad, null, 2));
  const problem = page.locator("#s3 .s3-problem").first();
  await page.waitForFunction(() =>
    /LastModified must be an RFC 3339 timestamp/.test(document.querySelector("#s3 .s3-problem")?.textContent ?? ""),
  );
  assert.match(await problem.textContent(), /^Mock configuration 12:\d+: LastModified must be an RFC 3339 timestamp$/);
  await page
    .getByRole("list", { name: "Problems" })
    .filter({ hasText: "LastModified must be an RFC 3339 timestamp" })
    .waitFor();
  assert.deepEqual(h.errors, []);
  await context.close();
});

test("a large object is shown cut, with a note, and downloads whole", async () => {
  const { page, context } = await h.open();
  const big = `${"x".repeat(250_000)}END`;
  await setEditor(page, MOCK, JSON.stringify({ S3Objects: [{ Bucket: "b", Key: "big.txt", Content: big }] }));
  await tab(page, "S3 objects").click();
  await page.getByRole("button", { name: "big.txt", exact: true }).click();
  await page.locator(".s3-note").waitFor();
  assert.equal(
    await page.locator(".s3-note").textContent(),
    "Showing the first 100,000 bytes of 250,003; Download has all of it.",
  );
  assert.equal((await page.getByLabel("Object content").textContent()).length, 100_000);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download" }).click(),
  ]);
  assert.equal(download.suggestedFilename(), "big.txt");
  const path = await download.path();
  assert.equal(readFileSync(path, "utf8"), big);
  await context.close();
});

test("a distributed Map over 100,000 items completes without freezing the page", async (t) => {
  const N = 100_000;
  const { page, context } = await h.open();
  const def = {
    StartAt: "Each",
    States: {
      Each: {
        Type: "Map",
        ItemReader: {
          Resource: "arn:aws:states:::s3:getObject",
          ReaderConfig: { InputType: "JSON" },
          Parameters: { Bucket: "big", Key: "items.json" },
        },
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" },
          StartAt: "Work",
          States: { Work: { Type: "Pass", Result: 1, End: true } },
        },
        MaxConcurrency: 1000,
        End: true,
      },
    },
  };
  // The S3 object's content is generated here: one item per line of the mock configuration.
  const lines = Array.from({ length: N }, (_, i) => `{"id":${i}}`).join(",\n");
  const mock = `{"S3Objects": [{"Bucket": "big", "Key": "items.json", "Content": [\n${lines}\n]}]}`;
  await setEditor(page, "State machine definition", JSON.stringify(def, null, 2));
  await setEditor(page, MOCK, mock);
  // The editor parses the 1.3 MB it was given in 100 ms slices for a while: let it finish,
  // so that what is measured is the run.
  await page.evaluate(async () => {
    let quietSince = performance.now();
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) quietSince = Math.max(quietSince, e.startTime + e.duration);
    }).observe({ type: "longtask" });
    const t0 = performance.now();
    while (performance.now() - quietSince < 1000 && performance.now() - t0 < 30_000)
      await new Promise((ok) => setTimeout(ok, 100));
  });
  // Watch the frames while it runs: the page must keep painting.
  await page.evaluate(() => {
    const w = { last: performance.now(), maxGap: 0, count: 0, stop: false };
    globalThis.__frames = w;
    const tick = (now) => {
      w.maxGap = Math.max(w.maxGap, now - w.last);
      w.last = now;
      w.count++;
      if (!w.stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const memoryBefore = Number(await page.evaluate(() => globalThis.__aslplay.query({ what: "memory" })));
  const t0 = Date.now();
  await tab(page, "Map runs").click();
  await run(page);
  // While it runs, the Map Run view shows progress, and a click on a tab is handled at once.
  await page.waitForFunction(
    () => /^[1-9]/.test(document.querySelector("#mapruns .count-succeeded dd")?.textContent ?? ""),
    null,
    { timeout: 60_000 },
  );
  assert.equal(await page.locator("#status").textContent(), "RUNNING");
  const clickMs = await page.evaluate(async () => {
    const b = document.getElementById("tab-s3");
    const t = performance.now();
    b.click();
    await new Promise((ok) => requestAnimationFrame(ok));
    return b.getAttribute("aria-selected") === "true" ? performance.now() - t : -1;
  });
  assert.ok(clickMs >= 0 && clickMs < 200, `tab click handled in ${clickMs} ms`);
  await tab(page, "Map runs").click();
  assert.equal(await finalStatus(page, 180_000), "SUCCEEDED");
  const seconds = (Date.now() - t0) / 1000;
  const frames = await page.evaluate(() => {
    globalThis.__frames.stop = true;
    return globalThis.__frames;
  });
  assert.ok(frames.maxGap < 200, `longest frame gap ${frames.maxGap.toFixed(0)} ms`);
  // The view: 100,000 succeeded, paged 100 at a time.
  const view = page.locator("#mapruns");
  await page.waitForFunction(() => document.querySelector("#mapruns .count-succeeded dd")?.textContent === "100,000");
  assert.equal(await view.locator(".count-total dd").textContent(), "100,000");
  assert.equal(await view.locator(".maprun-page").textContent(), "1–100 of 100,000");
  const rows = page.getByRole("table", { name: "Child executions" }).locator("tbody tr");
  assert.equal(await rows.count(), 100);
  await page.getByRole("button", { name: "Last page" }).click();
  await page.waitForFunction(
    () => document.querySelector("#mapruns .maprun-page").textContent === "99,901–100,000 of 100,000",
  );
  await rows.last().getByRole("button").click();
  await page
    .getByRole("table", { name: "Child execution history" })
    .locator("tr.event", { hasText: "ExecutionSucceeded" })
    .waitFor();
  assert.match(await view.locator(".maprun-child-io").textContent(), /"id": 99999/);
  const memory = Number(await page.evaluate(() => globalThis.__aslplay.query({ what: "memory" })));
  t.diagnostic(
    `100,000 children: ${seconds.toFixed(1)} s, ${frames.count} frames, longest gap ${frames.maxGap.toFixed(0)} ms, wasm memory ${(memory / 2 ** 20).toFixed(0)} MiB (${(memoryBefore / 2 ** 20).toFixed(0)} MiB before the run)`,
  );
  assert.ok(memory < 1024 * 2 ** 20, `wasm memory ${memory}`);
  await context.close();
});

test("Stop during a large Map Run ends it at once; its children still running are aborted", async () => {
  const { page, context } = await h.open();
  const def = {
    StartAt: "Each",
    States: {
      Each: {
        Type: "Map",
        ItemReader: {
          Resource: "arn:aws:states:::s3:getObject",
          ReaderConfig: { InputType: "JSON" },
          Parameters: { Bucket: "b", Key: "k" },
        },
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" },
          StartAt: "W",
          States: {
            W: { Type: "Wait", Seconds: 5, Next: "Work" },
            // Real work in each child, so the run is still going when Stop is pressed.
            Work: { Type: "Pass", QueryLanguage: "JSONata", Output: "{% $sum([1..3000]) %}", End: true },
          },
        },
        MaxConcurrency: 50,
        End: true,
      },
    },
  };
  await setEditor(page, "State machine definition", JSON.stringify(def));
  await setEditor(
    page,
    MOCK,
    JSON.stringify({ S3Objects: [{ Bucket: "b", Key: "k", Content: Array.from({ length: 50_000 }, (_, i) => i) }] }),
  );
  await tab(page, "Map runs").click();
  await run(page);
  await page.waitForFunction(
    () => /^[1-9]/.test(document.querySelector("#mapruns .count-succeeded dd")?.textContent ?? ""),
    null,
    { timeout: 30_000 },
  );
  const t = Date.now();
  await page.getByRole("button", { name: "Stop" }).click();
  assert.equal(await finalStatus(page, 5_000), "ABORTED");
  assert.ok(Date.now() - t < 1500, `stopped in ${Date.now() - t} ms`);
  const view = page.locator("#mapruns");
  await view.locator(".badge", { hasText: "ABORTED" }).first().waitFor();
  assert.equal(await view.locator(".count-running dd").textContent(), "0");
  assert.equal(await view.locator(".count-aborted dd").textContent(), "50");
  assert.notEqual(await view.locator(".count-pending dd").textContent(), "0");
  await page.getByLabel("Filter child executions by status").selectOption("ABORTED");
  await page.waitForFunction(() => document.querySelector("#mapruns .maprun-page").textContent === "1–50 of 50");
  await context.close();
});

test("screenshots of the Map Run view and the S3 pane, light and dark", async () => {
  for (const scheme of ["light", "dark"]) {
    const { page, context } = await h.open({ colorScheme: scheme });
    await loadExample(page, "distributed-map");
    await run(page);
    assert.equal(await finalStatus(page), "SUCCEEDED");
    await tab(page, "Map runs").click();
    const rows = page.getByRole("table", { name: "Child executions" }).locator("tbody tr");
    await rows.nth(2).getByRole("button").click();
    await page
      .getByRole("table", { name: "Child execution history" })
      .locator("tr.event", { hasText: "ExecutionFailed" })
      .waitFor();
    await page.screenshot({ path: shotPath(`maprun-${scheme}`) });
    await tab(page, "S3 objects").click();
    await page.getByRole("button", { name: /SUCCEEDED_0\.json$/ }).click();
    await page.getByLabel("Object content").waitFor();
    await page.screenshot({ path: shotPath(`s3-${scheme}`) });
    await context.close();
  }
});

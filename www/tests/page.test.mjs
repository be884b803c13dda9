// Browser tests of the page (node --test + playwright-core + Debian's chromium). They run
// against the wasm engine when the build has one (the page says which in body[data-backend]).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  start,
  setEditor,
  editorText,
  finalStatus,
  shotPath,
  DEF,
  INPUT,
  MOCK,
  run,
  events,
  loadExample,
  stateNode,
  visitBadge,
} from "./harness.mjs";

let h;
before(async () => {
  h = await start();
});
after(async () => {
  await h?.close();
});

const status = (page) => page.locator('[role="status"]').textContent();
const json = (v) => JSON.stringify(v, null, 2);
/** A loop that never ends (AWS wants a terminal state, so one is there, out of reach). */
const endless = (first) => ({
  StartAt: "Again",
  States: {
    Again: { ...first, Next: "Done yet?" },
    "Done yet?": {
      Type: "Choice",
      Choices: [{ Variable: "$.never", IsPresent: true, Next: "Done" }],
      Default: "Again",
    },
    Done: { Type: "Succeed" },
  },
});

test("every example runs to its expected status", async (t) => {
  const { page, context } = await h.open();
  t.diagnostic(`engine ${await page.evaluate(() => document.body.dataset.engineVersion)}`);
  const examples = await page.evaluate(() => globalThis.__aslplay.examples());
  assert.ok(examples.length >= 8);
  for (const ex of examples) {
    await t.test(ex.id, async () => {
      await loadExample(page, ex.id);
      await run(page);
      const got = await finalStatus(page);
      const refused = await page.locator("#message").textContent();
      const problems = await page.getByRole("list", { name: "Problems" }).textContent();
      assert.equal(got, ex.expected, `${refused} ${problems}`);
      const all = await events(page);
      assert.equal(all[0].type, "ExecutionStarted");
      assert.ok(/^Execution(Succeeded|Failed)$/.test(all[all.length - 1].type));
    });
  }
  await context.close();
});

test("the graph shows each state with its type and status after a run", async () => {
  const { page, context } = await h.open();
  await loadExample(page, "parallel");
  const names = ["Fetch both", "Profile", "Orders", "Pick", "Merge"];
  for (const n of names) assert.equal(await stateNode(page, n).getAttribute("data-status"), "not-run");
  // Ctrl+Enter runs, even from inside an editor.
  await page.getByLabel(INPUT, { exact: true }).focus();
  await page.keyboard.press("Control+Enter");
  assert.equal(await finalStatus(page), "SUCCEEDED");
  for (const n of names) assert.equal(await stateNode(page, n).getAttribute("data-status"), "succeeded", n);
  // Taken edges are marked; each state ran once, so no visit counts.
  assert.ok((await page.locator(".edge.taken").count()) >= 8);
  assert.equal(await page.locator(".visits").count(), 0);
  // Branches are drawn as nested containers.
  assert.equal(await page.locator(".cluster").count(), 3);
  // Clicking a node selects its step in the inspector.
  await stateNode(page, "Pick").click();
  assert.match(await page.locator("#inspector h2").textContent(), /^Pick$/);
  assert.match(await page.locator("#inspector").textContent(), /Output/);
  await context.close();
});

test("with no step selected, the inspector summarizes the execution: virtual times, duration, transitions", async () => {
  const { page, context } = await h.open();
  await loadExample(page, "wait");
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  const summary = page.getByLabel("Execution summary");
  const value = async (term) => (await summary.locator(`dt:text-is("${term}") + dd`).textContent()).trim();
  let all = await events(page);
  assert.equal(await value("State transitions"), "2");
  assert.equal(await value("Events"), String(all.length));
  // The example waits an hour on the virtual clock, which starts at the default start time.
  assert.equal(await value("Started"), "2025-01-01T00:00:00.000Z");
  assert.equal(await value("Duration"), "1 h 0 min");
  assert.equal(await value("Ended"), "2025-01-01T01:00:00.000Z");
  // A retry is a transition too: the card is charged three times (two retries), then the
  // decline is caught.
  await loadExample(page, "retry-catch");
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  all = await events(page);
  const entered = all.filter((e) => e.type.endsWith("StateEntered")).length;
  const scheduled = all.filter((e) => e.type === "TaskScheduled").length;
  assert.equal(scheduled, 3);
  assert.equal(await value("State transitions"), String(entered + scheduled - 1));
  assert.equal(await value("Duration"), "6 s");
  await context.close();
});

test("the inspector shows each data-flow stage, variables and the retry/catch outcome", async () => {
  const { page, context } = await h.open();
  const inspect = async (name) => {
    await stateNode(page, name).click();
    await page.locator("#inspector h2").getByText(name, { exact: true }).waitFor();
    return page.locator("#inspector");
  };
  await loadExample(page, "hello");
  await run(page);
  await finalStatus(page);
  const hello = await inspect("Hello");
  await hello.getByRole("heading", { name: "After ResultPath" }).waitFor();
  assert.match(await hello.textContent(), /"greeting": "Hello, world!"/);

  await loadExample(page, "variables");
  await run(page);
  await finalStatus(page);
  await (await inspect("Remember")).getByRole("heading", { name: "Variables assigned" }).waitFor();
  const use = await inspect("Use");
  await use.getByRole("heading", { name: "Variables in scope" }).waitFor();
  assert.match(await use.textContent(), /"unitPrice": 20/);

  await loadExample(page, "retry-catch");
  await run(page);
  await finalStatus(page);
  const charge = await inspect("Charge card");
  await charge.getByRole("heading", { name: "Outcome" }).waitFor();
  assert.match(await charge.textContent(), /"catchIndex": 0/);
  assert.match(await charge.textContent(), /CardDeclined/);
  await context.close();
});

test("node statuses tell retried, caught and failed apart", async () => {
  const { page, context } = await h.open();
  const lambda = "arn:aws:states:::lambda:invoke";
  await setEditor(
    page,
    DEF,
    json({
      StartAt: "Flaky",
      States: {
        Flaky: {
          Type: "Task",
          Resource: lambda,
          Parameters: { FunctionName: "f" },
          Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 2 }],
          Next: "Doomed",
        },
        Doomed: {
          Type: "Task",
          Resource: lambda,
          Parameters: { FunctionName: "g" },
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "Boom" }],
          End: true,
        },
        Boom: { Type: "Fail", Error: "Gave up", Cause: "as planned" },
      },
    }),
  );
  await setEditor(
    page,
    MOCK,
    json({
      StateMachines: { M: { TestCases: { T: { Flaky: "FailOnce", Doomed: "Fails" } } } },
      MockedResponses: {
        FailOnce: {
          0: { Throw: { Error: "Oops", Cause: "first try" } },
          1: { Return: { StatusCode: 200, Payload: {} } },
        },
        Fails: { 0: { Throw: { Error: "Nope", Cause: "always" } } },
      },
    }),
  );
  await page.getByLabel("Test case").getByRole("option", { name: "T" }).waitFor({ state: "attached" });
  await run(page);
  assert.equal(await finalStatus(page), "FAILED");
  const statusOf = (name) => stateNode(page, name).getAttribute("data-status");
  assert.equal(await statusOf("Flaky"), "retried");
  assert.equal(await statusOf("Doomed"), "caught");
  assert.equal(await statusOf("Boom"), "failed");
  await context.close();
});

test("a broken definition shows a diagnostic at the right line", async () => {
  const { page, context } = await h.open();
  // JSON syntax error on line 4 (the missing comma after "Pass").
  await setEditor(page, DEF, '{\n  "StartAt": "A",\n  "States": {\n    "A": {"Type": "Pass" "End": true}\n  }\n}');
  await page
    .getByRole("list", { name: "Problems" })
    .getByText(/^Definition 4:/)
    .waitFor({ timeout: 5000 });
  await page.locator(".cm-lintRange-error").first().waitFor();
  // A missing transition target on line 5.
  await setEditor(
    page,
    DEF,
    '{\n  "StartAt": "A",\n  "States": {\n    "A": {"Type": "Pass",\n      "Next": "Nowhere"}\n  }\n}',
  );
  const problem = page.getByRole("list", { name: "Problems" }).locator("li", { hasText: "MISSING_TRANSITION_TARGET" });
  await problem.getByText(/^Definition 5:/).waitFor({ timeout: 5000 });
  // Run refuses it with a clear message.
  await run(page);
  await page
    .getByRole("alert")
    .getByText(/not valid/)
    .waitFor();
  assert.equal(await status(page), "Not started");
  await context.close();
});

test("Step then Run gives the same history as Run", async () => {
  const { page, context } = await h.open();
  await loadExample(page, "map");
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  const whole = await events(page);
  await page.getByRole("button", { name: "Reset" }).click();
  assert.equal(await status(page), "Not started");
  for (let i = 1; i <= 4; i++) {
    await page.getByRole("button", { name: "Step", exact: true }).click();
    await page.waitForFunction((n) => globalThis.__aslplay.events().length === n, i);
  }
  assert.equal(await status(page), "RUNNING");
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  assert.deepEqual(await events(page), whole);
  // Step back moves the view, not the engine: the first node goes back to running.
  const n = whole.length;
  for (let i = 0; i < n - 2; i++) await page.getByRole("button", { name: "Step back" }).click();
  assert.equal(await page.evaluate(() => globalThis.__aslplay.cursor()), 2);
  assert.equal(await stateNode(page, "Each item").getAttribute("data-status"), "running");
  // Stepping shows the step of the newest event in the inspector.
  assert.equal(await page.locator("#inspector h2").textContent(), "Each item");
  await context.close();
});

test("Stop ends an endless loop within a second", async () => {
  const { page, context } = await h.open();
  await setEditor(page, DEF, json(endless({ Type: "Wait", Seconds: 5 })));
  await page.selectOption('[aria-label="Speed"]', "60");
  await run(page);
  await page.waitForFunction(() => globalThis.__aslplay.events().length > 5);
  assert.equal(await status(page), "RUNNING");
  const t0 = Date.now();
  await page.getByRole("button", { name: "Stop" }).click();
  assert.equal(await finalStatus(page, 1000), "ABORTED");
  assert.ok(Date.now() - t0 < 1000, `stopped in ${Date.now() - t0} ms`);
  const all = await events(page);
  assert.equal(all[all.length - 1].type, "ExecutionAborted");
  // Reset in the middle of a run clears it for good (the old run's last answer is dropped).
  await run(page);
  await page.waitForFunction(() => globalThis.__aslplay.events().length > 3);
  await page.getByRole("button", { name: "Reset" }).click();
  await page.waitForTimeout(400);
  assert.equal(await status(page), "Not started");
  assert.equal((await events(page)).length, 0);
  assert.equal(await page.locator(".node[data-status=running]").count(), 0);
  await context.close();
});

test("Stop ends a run stuck inside one long step within a second, and the engine comes back", async () => {
  const { page, context } = await h.open();
  const slow = Array(8).fill("$sum([1..10000000])").join(" + ");
  await setEditor(
    page,
    DEF,
    json({
      QueryLanguage: "JSONata",
      StartAt: "Heavy",
      States: { Heavy: { Type: "Pass", Output: `{% ${slow} %}`, End: true } },
    }),
  );
  await run(page);
  await page.getByRole("status").getByText("RUNNING").waitFor();
  await page.waitForTimeout(300);
  const t0 = Date.now();
  await page.getByRole("button", { name: "Stop" }).click();
  assert.equal(await finalStatus(page, 1000), "ABORTED");
  assert.ok(Date.now() - t0 < 1000, `stopped in ${Date.now() - t0} ms`);
  await page
    .getByRole("alert")
    .getByText(/restarted/)
    .waitFor();
  // The history ends like a stopped execution's: ExecutionAborted after the last event sent.
  const all = await events(page);
  assert.equal(all[0].type, "ExecutionStarted");
  const aborted = all[all.length - 1];
  assert.equal(aborted.type, "ExecutionAborted");
  assert.equal(aborted.id, all.length);
  assert.equal(aborted.previousEventId, all.length - 1);
  // The new worker runs the next execution.
  await loadExample(page, "hello");
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  await context.close();
});

test("an endless loop at full speed ends at the 25,000-event limit and the history stays usable", async () => {
  const { page, context } = await h.open();
  await setEditor(page, DEF, json(endless({ Type: "Pass" })));
  const t0 = Date.now();
  await run(page);
  assert.equal(await finalStatus(page, 30_000), "FAILED");
  assert.match(await visitBadge(page, "Again").textContent(), /×6,2\d\d/);
  const took = Date.now() - t0;
  const n = (await events(page)).length;
  assert.ok(n >= 24_000 && n <= 25_001, `${n} events`);
  assert.ok(took < 15_000, `took ${took} ms`);
  // The table renders only what is in view, and scrolling or filtering stays quick.
  const rows = await page.locator("table.history tbody tr.event").count();
  assert.ok(rows > 0 && rows < 200, `${rows} rows in the DOM`);
  const t1 = Date.now();
  await page.getByLabel("Filter events").fill("ExecutionFailed");
  await page.getByText("1 of ").waitFor();
  assert.ok(Date.now() - t1 < 2000, `filter took ${Date.now() - t1} ms`);
  await context.close();
});

test("a JSONata expression that calls itself forever fails with U1001 and the page stays usable", async () => {
  const { page, context } = await h.open();
  const definition = json({
    QueryLanguage: "JSONata",
    StartAt: "Loop",
    States: { Loop: { Type: "Pass", Output: "{% (function($f){$f($f)})(function($f){$f($f)}) %}", End: true } },
  });
  await setEditor(page, DEF, definition);
  const t0 = Date.now();
  await run(page);
  assert.equal(await finalStatus(page, 30_000), "FAILED");
  const took = Date.now() - t0;
  const last = (await events(page)).at(-1);
  assert.equal(last.type, "ExecutionFailed");
  assert.equal(last.executionFailedEventDetails.error, "States.QueryEvaluationError");
  assert.match(last.executionFailedEventDetails.cause, /U1001: Stack overflow error/);
  // Safety margin only (it took 12 s before the step budget; about 0.2 s now): the run must
  // not wait for the 0.7 s watchdog that replaces a stuck engine.
  assert.ok(took < 5_000, `took ${took} ms`);
  assert.equal(await editorText(page, DEF), definition);
  await run(page);
  assert.equal(await finalStatus(page, 30_000), "FAILED");
  await context.close();
});

test("what the user typed survives a reload, and so does the theme", async () => {
  const { page, context } = await h.open();
  const theme = page.getByRole("button", { name: "Color theme" });
  await theme.click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "light");
  await theme.click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
  const text = json({ Comment: "kept", StartAt: "Keep", States: { Keep: { Type: "Succeed" } } });
  await setEditor(page, DEF, text);
  await setEditor(page, INPUT, '{"kept": true');
  await page.waitForTimeout(600);
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.engineVersion);
  assert.equal(await editorText(page, DEF), text);
  assert.equal(await editorText(page, INPUT), '{"kept": true');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).colorScheme), "dark");
  await context.close();
});

test("malformed JSON in any editor gives a clear message, and nothing is lost", async () => {
  const { page, context } = await h.open();
  await loadExample(page, "hello");
  await setEditor(page, INPUT, '{"name": "Ada",}');
  await page
    .getByRole("list", { name: "Problems" })
    .getByText(/^Input 1:/)
    .waitFor();
  await run(page);
  await page
    .getByRole("alert")
    .getByText(/Execution input/)
    .waitFor();
  assert.equal(await editorText(page, INPUT), '{"name": "Ada",}');
  await setEditor(page, INPUT, "{}");
  await setEditor(page, MOCK, '{"StateMachines": ');
  await page
    .getByRole("list", { name: "Problems" })
    .getByText(/^Mock configuration 1:/)
    .first()
    .waitFor();
  await run(page);
  await page
    .getByRole("alert")
    .getByText(/Mock configuration/)
    .waitFor();
  // JSON, but not a MockConfigFile the engine accepts: the problem is placed where it is.
  await setEditor(
    page,
    MOCK,
    '{\n  "StateMachines": {"M": {"TestCases": {"T": {"A": "R"}}}},\n  "MockedResponses": {"R": {"0": {"Retrun": 1}}}\n}',
  );
  await page
    .getByRole("list", { name: "Problems" })
    .getByText(/^Mock configuration 3:/)
    .waitFor();
  await setEditor(page, DEF, '{"StartAt": ');
  await page
    .getByRole("list", { name: "Problems" })
    .getByText(/^Definition 1:/)
    .waitFor();
  assert.equal(await editorText(page, DEF), '{"StartAt": ');
  await context.close();
});

test("a state named like HTML is shown as text, never run as markup", async () => {
  const { page, context } = await h.open();
  const evil = "<img src=x onerror=alert(1)>";
  await setEditor(
    page,
    DEF,
    json({
      StartAt: evil,
      States: { [evil]: { Type: "Pass", Result: { html: "<script>alert(2)</script>" }, End: true } },
    }),
  );
  await stateNode(page, evil).waitFor();
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  await stateNode(page, evil).click();
  assert.equal(await page.locator("#inspector h2").textContent(), evil);
  await page.getByLabel("Filter events").fill("img");
  await page.locator("table.history tbody tr.event").first().waitFor();
  assert.equal(await page.locator("img").count(), 0);
  assert.equal(await page.locator("#inspector script, table script").count(), 0);
  assert.deepEqual(
    h.errors.filter((e) => e.startsWith("dialog")),
    [],
  );
  // Names that are also JavaScript object internals are just names.
  await setEditor(
    page,
    DEF,
    '{"StartAt": "constructor", "States": {"constructor": {"Type": "Pass", "Next": "__proto__"}, "__proto__": {"Type": "Succeed"}}}',
  );
  await stateNode(page, "__proto__").waitFor();
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  assert.equal(await stateNode(page, "__proto__").getAttribute("data-status"), "succeeded");
  await context.close();
});

test("a definition of 10,000 states and an input of 5 MB neither freeze nor fail silently", async () => {
  const { page, context } = await h.open();
  const states = {};
  for (let i = 0; i < 10_000; i++)
    states[`S${i}`] = i < 9_999 ? { Type: "Pass", Next: `S${i + 1}` } : { Type: "Succeed" };
  await setEditor(page, DEF, JSON.stringify({ StartAt: "S0", States: states }));
  await page
    .locator("#graph-message")
    .getByText(/10,000 states/)
    .waitFor({ timeout: 15_000 });
  await run(page);
  const st = await finalStatus(page, 60_000);
  assert.equal(st, "SUCCEEDED");
  assert.equal((await events(page)).length, 20_002);
  assert.ok(await page.locator("#graph-message").isVisible(), "the graph's note stays after the run");
  // The page still answers promptly.
  const t0 = Date.now();
  await page.evaluate(() => 1);
  assert.ok(Date.now() - t0 < 1000);

  await loadExample(page, "hello");
  const big = JSON.stringify({ blob: "x".repeat(5 * 1024 * 1024) });
  await setEditor(page, INPUT, big);
  await run(page);
  // AWS's payload limit is 256 KiB: the engine fails the execution and says why.
  assert.equal(await finalStatus(page, 60_000), "FAILED");
  assert.match(await page.locator("#inspector").textContent(), /States\.DataLimitExceeded/);
  await page
    .getByRole("alert")
    .getByText(/too large to keep/)
    .waitFor({ timeout: 5000 });
  await context.close();
});

test("screenshots of the main views, light and dark", async () => {
  for (const scheme of ["light", "dark"]) {
    const { page, context } = await h.open({ colorScheme: scheme });
    for (const id of ["parallel", "map", "choice", "retry-catch"]) {
      await loadExample(page, id);
      await run(page);
      await finalStatus(page);
      const first = await page.locator(".node").first().getAttribute("data-name");
      await stateNode(page, first).click();
      await page.locator("table.history button.expand").nth(1).click();
      await page.waitForTimeout(150);
      await page.screenshot({ path: shotPath(`${id}-${scheme}`) });
    }
    await context.close();
  }
});

test("no request leaves the page", async () => {
  const { page, context } = await h.open();
  await loadExample(page, "intrinsics");
  await run(page);
  await finalStatus(page);
  await context.close();
  assert.deepEqual(h.outside, []);
  assert.deepEqual(h.errors, []);
});

test("Ctrl+F opens the editor's search, loaded on demand", async () => {
  const { page, context } = await h.open();
  await page.waitForFunction(() => document.body.dataset.engineVersion);
  // Not part of the first load: the search code comes as its own chunk when asked for. (The
  // language service's chunk loads once the page is interactive, at its own time: not counted.)
  const before = await page.evaluate(
    () =>
      performance
        .getEntriesByType("resource")
        .map((r) => r.name)
        .filter((n) => n.includes("/chunks/") && !n.includes("/chunks/language-")).length,
  );
  const editor = page.getByLabel(DEF, { exact: true });
  await editor.focus();
  await page.keyboard.press("Control+f");
  const field = page.locator(".cm-search input[name=search]").first();
  await field.waitFor();
  const after = await page.evaluate(
    () =>
      performance
        .getEntriesByType("resource")
        .map((r) => r.name)
        .filter((n) => n.includes("/chunks/") && !n.includes("/chunks/language-")).length,
  );
  assert.equal(after, before + 1);
  await field.fill("StartAt");
  await page.keyboard.press("Enter");
  const selected = await page.evaluate(() => getSelection()?.toString() ?? "");
  assert.ok(selected === "" || selected === "StartAt", selected);
  assert.ok((await page.locator(".cm-searchMatch").count()) >= 1);
  await context.close();
});

// Browser tests of the Map iteration navigator (www/src/navigator.ts): choosing an iteration of
// an inline Map re-colours the states of its item processor from that iteration's visits only,
// clicking such a state inspects that iteration's visit, nested Maps get a navigator per level,
// stepping keeps it consistent, and a 10,000-item Map stays fast.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, finalStatus, shotPath, run, loadMachine, stateNode, visitBadge } from "./harness.mjs";

let h;
before(async () => {
  h = await start();
});
after(async () => {
  await h?.close();
});

const node = stateNode;
const statusOf = (page, name) => node(page, name).getAttribute("data-status");
const navigator = (page, map) => page.getByRole("group", { name: `Map iterations: ${map}` });
const inspector = (page) => page.locator("#inspector").textContent();

/** Iteration 2 (of 5) ends in a Fail state; the Map tolerates it. */
const TOLERATED = {
  StartAt: "Each",
  States: {
    Each: {
      Type: "Map",
      MaxConcurrency: 1,
      ToleratedFailureCount: 2,
      ItemSelector: { "v.$": "$$.Map.Item.Value" },
      ItemProcessor: {
        StartAt: "Check",
        States: {
          Check: { Type: "Choice", Choices: [{ Variable: "$.v", NumericEquals: 2, Next: "Boom" }], Default: "Work" },
          Work: { Type: "Pass", End: true },
          Boom: { Type: "Fail", Error: "Bad", Cause: "item two" },
        },
      },
      Next: "Done",
    },
    Done: { Type: "Pass", End: true },
  },
};

test("choosing an iteration shows its states' statuses and inputs", async () => {
  const { page, context } = await h.open();
  await loadMachine(page, TOLERATED, [0, 1, 2, 3, 4]);
  assert.equal(await page.locator(".map-nav-group").count(), 0, "no navigator before a run");
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  const nav = navigator(page, "Each");
  const index = nav.getByLabel("Iteration", { exact: true });
  const all = nav.getByRole("button", { name: "All iterations (latest)" });
  assert.equal(await all.getAttribute("aria-pressed"), "true");
  assert.equal(await index.inputValue(), "");
  assert.match(await nav.textContent(), /of 5/);
  // All (latest): every state shows its latest visit; Check ran 5 times.
  assert.equal(await statusOf(page, "Work"), "succeeded");
  assert.equal(await statusOf(page, "Boom"), "failed");
  assert.equal(await visitBadge(page, "Check").textContent(), "×5");

  await index.fill("2");
  assert.equal(await statusOf(page, "Check"), "succeeded");
  assert.equal(await statusOf(page, "Boom"), "failed");
  assert.equal(await statusOf(page, "Work"), "not-run");
  assert.equal(await statusOf(page, "Each"), "succeeded", "the Map itself keeps its own status");
  assert.equal(await statusOf(page, "Done"), "succeeded");
  assert.equal(await nav.locator("output").textContent(), "failed");
  assert.equal(await all.getAttribute("aria-pressed"), "false");
  assert.equal(await visitBadge(page, "Check").count(), 0, "one visit in this iteration");
  assert.equal(await page.locator(".cluster-note").filter({ hasText: "#2 · failed" }).count(), 1);
  // Only this iteration's moves are drawn as taken inside the processor.
  assert.equal(await page.locator(".edge-default.taken").count(), 0);
  assert.equal(await page.locator(".edge-choice.taken").count(), 1);

  await node(page, "Check").click();
  let text = await inspector(page);
  assert.match(text, /"v": 2/);
  assert.match(text, /iteration Each #2/);

  // Next: iteration 3; the selected state follows to its visit in that iteration.
  await node(page, "Check").click();
  await nav.getByRole("button", { name: "Next iteration" }).click();
  assert.equal(await index.inputValue(), "3");
  assert.equal(await statusOf(page, "Work"), "succeeded");
  assert.equal(await statusOf(page, "Boom"), "not-run");
  assert.equal(await nav.locator("output").textContent(), "succeeded");
  text = await inspector(page);
  assert.match(text, /"v": 3/);
  assert.match(text, /iteration Each #3/);
  await page.screenshot({ path: shotPath("navigator-light") });

  // "Next failed" finds iteration 2 (wrapping round); the failed indexes are in its title.
  const nextFailed = nav.getByRole("button", { name: "Next failed iteration" });
  assert.match(await nextFailed.getAttribute("title"), /Failed iterations: 2$/);
  await nextFailed.click();
  assert.equal(await index.inputValue(), "2");
  assert.match(await inspector(page), /"v": 2/);

  // Previous stops at 0; All goes back to the latest visits.
  await index.fill("0");
  assert.equal(await nav.getByRole("button", { name: "Previous iteration" }).isDisabled(), true);
  await all.click();
  assert.equal(await index.inputValue(), "");
  assert.equal(await statusOf(page, "Boom"), "failed");
  assert.equal(await statusOf(page, "Work"), "succeeded");
  assert.match(await inspector(page), /"v": 4/, "the selected state shows its latest visit again");
  // Out of range: refused, nothing changes.
  await index.fill("9");
  assert.equal(await index.getAttribute("aria-invalid"), "true");
  assert.equal(await all.getAttribute("aria-pressed"), "true");
  await context.close();
});

test("nested Maps get one navigator per level, the inner one scoped to the outer iteration", async () => {
  const { page, context } = await h.open({ colorScheme: "dark" });
  const definition = {
    StartAt: "Orders",
    States: {
      Orders: {
        Type: "Map",
        ItemProcessor: {
          StartAt: "Lines",
          States: {
            Lines: {
              Type: "Map",
              ItemsPath: "$.lines",
              ItemProcessor: {
                StartAt: "Pack",
                States: { Pack: { Type: "Pass", Parameters: { "packed.$": "$" }, End: true } },
              },
              End: true,
            },
          },
        },
        End: true,
      },
    },
  };
  await loadMachine(page, definition, [{ lines: ["a", "b"] }, { lines: ["c", "d", "e"] }]);
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  const outer = navigator(page, "Orders");
  const inner = navigator(page, "Lines");
  assert.match(await outer.textContent(), /of 2/);
  // Outer "All": the inner navigator shows the latest visit of the inner Map (order 1's lines).
  assert.match(await inner.textContent(), /of 3/);
  assert.equal(await visitBadge(page, "Pack").textContent(), "×5");

  await outer.getByLabel("Iteration", { exact: true }).fill("0");
  assert.match(await inner.textContent(), /of 2/);
  assert.equal(await visitBadge(page, "Pack").textContent(), "×2");
  await inner.getByLabel("Iteration", { exact: true }).fill("1");
  await node(page, "Pack").click();
  let text = await inspector(page);
  assert.match(text, /"b"/);
  assert.match(text, /iteration Orders #0 › Lines #1/);

  // The inner choice is kept across outer iterations, within the new scope.
  await outer.getByRole("button", { name: "Next iteration" }).click();
  assert.match(await inner.textContent(), /of 3/);
  text = await inspector(page);
  assert.match(text, /"d"/);
  assert.match(text, /iteration Orders #1 › Lines #1/);
  await inner.getByLabel("Iteration", { exact: true }).fill("2");
  assert.match(await inspector(page), /"e"/);
  await page.screenshot({ path: shotPath("navigator-nested-dark") });
  await context.close();
});

test("interleaved Parallel branches and aborted iterations get the right statuses", async () => {
  const { page, context } = await h.open();
  const definition = {
    StartAt: "Both",
    States: {
      Both: {
        Type: "Parallel",
        Branches: [
          {
            StartAt: "Quick",
            States: { Quick: { Type: "Pass", Next: "Slow" }, Slow: { Type: "Wait", Seconds: 1, End: true } },
          },
          {
            StartAt: "Items",
            States: {
              Items: {
                Type: "Map",
                ItemSelector: { "v.$": "$$.Map.Item.Value" },
                ItemProcessor: {
                  StartAt: "Look",
                  States: {
                    Look: {
                      Type: "Choice",
                      Choices: [{ Variable: "$.v", NumericEquals: 2, Next: "Bad item" }],
                      Default: "Pause",
                    },
                    Pause: { Type: "Wait", Seconds: 5, End: true },
                    "Bad item": { Type: "Fail", Error: "BadItem" },
                  },
                },
                End: true,
              },
            },
          },
        ],
        Catch: [{ ErrorEquals: ["States.ALL"], Next: "Recover" }],
        Next: "Recover",
      },
      Recover: { Type: "Pass", End: true },
    },
  };
  await loadMachine(page, definition, [0, 1, 2, 3]);
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  // Branch 1 waits in Slow while branch 2's Map runs; iteration 2 fails the Map, the branch and
  // the Parallel, so Slow and the other iterations' waits are cut short.
  const all = await page.evaluate(() => globalThis.__aslplay.events());
  const slow = all.findIndex((e) => e.stateEnteredEventDetails?.name === "Slow");
  const look = all.findIndex((e) => e.stateEnteredEventDetails?.name === "Look");
  assert.ok(slow > 0 && slow < look, "the branches interleave");
  const expected = {
    Both: "caught",
    Items: "failed",
    "Bad item": "failed",
    Pause: "failed",
    Quick: "succeeded",
    Slow: "failed",
    Recover: "succeeded",
  };
  for (const [name, status] of Object.entries(expected)) assert.equal(await statusOf(page, name), status, name);
  const nav = navigator(page, "Items");
  const index = nav.getByLabel("Iteration", { exact: true });
  await index.fill("2");
  assert.equal(await nav.locator("output").textContent(), "failed");
  assert.equal(await statusOf(page, "Pause"), "not-run");
  await index.fill("1");
  assert.equal(await nav.locator("output").textContent(), "aborted");
  assert.equal(await statusOf(page, "Pause"), "failed");
  assert.equal(await statusOf(page, "Bad item"), "not-run");
  // The branch states outside the Map are not affected by the choice.
  assert.equal(await statusOf(page, "Slow"), "failed");
  await node(page, "Quick").click();
  assert.doesNotMatch(await inspector(page), /iteration/);
  await context.close();
});

test("stepping: the navigator shows what has happened so far and follows the stepped iteration", async () => {
  const { page, context } = await h.open();
  await page.selectOption('[aria-label="Examples"]', "map");
  await page.waitForTimeout(50);
  const step = page.getByRole("button", { name: "Step", exact: true });
  const back = page.getByRole("button", { name: "Step back", exact: true });
  const events = () => page.evaluate(() => globalThis.__aslplay.events().length);
  // Events: 1 ExecutionStarted, 2 MapStateEntered, 3 MapStateStarted, 4 MapIterationStarted 0,
  // 5-6 Label, 7 MapIterationSucceeded, 8 MapIterationStarted 1, 9 PassStateEntered Label.
  for (let i = 1; i <= 9; i++) {
    await step.click();
    await page.waitForFunction((n) => globalThis.__aslplay.cursor() >= n, i);
  }
  assert.equal(await events(), 9);
  const nav = navigator(page, "Each item");
  const index = nav.getByLabel("Iteration", { exact: true });
  assert.match(await nav.textContent(), /of 3/);
  assert.match(await nav.locator("output").textContent(), /2 started/);
  assert.equal(await statusOf(page, "Label"), "running");
  await index.fill("0");
  assert.equal(await statusOf(page, "Label"), "succeeded");
  assert.equal(await nav.locator("output").textContent(), "succeeded");
  await index.fill("2");
  assert.equal(await nav.locator("output").textContent(), "not started");
  assert.equal(await statusOf(page, "Label"), "not-run");
  assert.equal(await page.locator(".cluster-note").textContent(), "#2 · not started");
  // Stepping follows the iteration the newest event ran in.
  await step.click();
  await page.waitForFunction(() => globalThis.__aslplay.cursor() >= 10);
  assert.equal(await index.inputValue(), "1");
  assert.equal(await statusOf(page, "Label"), "succeeded");
  const text = await inspector(page);
  assert.match(text, /"sku": "b"/);
  assert.match(text, /iteration Each item #1/);
  // Step back to event 9: iteration 1's Label has not exited yet.
  await back.click();
  assert.equal(await statusOf(page, "Label"), "running");
  assert.equal(await nav.locator("output").textContent(), "running");
  // Back to event 7: iteration 1 has not started; iteration 0 can still be chosen.
  await back.click();
  await back.click();
  assert.equal(await nav.locator("output").textContent(), "not started");
  assert.equal(await statusOf(page, "Label"), "not-run");
  await nav.getByRole("button", { name: "Previous iteration" }).click();
  assert.equal(await index.inputValue(), "0");
  assert.equal(await statusOf(page, "Label"), "succeeded");
  // Run to the end: all three iterations are there.
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  await index.fill("2");
  await node(page, "Label").click();
  assert.match(await inspector(page), /"sku": "c"/);
  await context.close();
});

/** A Map whose item processor is `states` Pass states in a row, each item `{n}`. */
const passMap = (states) => ({
  StartAt: "Each",
  States: {
    Each: {
      Type: "Map",
      ItemProcessor: {
        StartAt: "S1",
        States: Object.fromEntries(
          Array.from({ length: states }, (_, i) => [
            `S${i + 1}`,
            i + 1 < states ? { Type: "Pass", Next: `S${i + 2}` } : { Type: "Pass", End: true },
          ]),
        ),
      },
      End: true,
    },
  },
});

/** Chooses an iteration by typing in the navigator's input; returns how long the page took (ms). */
const chooseTimed = (page, map, index) =>
  page.evaluate(
    ([map, index]) => {
      const group = [...document.querySelectorAll('[role="group"]')].find(
        (g) => g.getAttribute("aria-label") === `Map iterations: ${map}`,
      );
      const input = group.querySelector("input");
      const t0 = performance.now();
      input.value = String(index);
      input.dispatchEvent(new Event("input", { bubbles: true }));
      return performance.now() - t0;
    },
    [map, index],
  );

test("a 10,000-item Map: the navigator moves to item 9,999 quickly", async () => {
  const { page, context } = await h.open();
  // Three states per item make 80,002 events: like AWS, the page stops at 25,000.
  await loadMachine(
    page,
    passMap(3),
    Array.from({ length: 10_000 }, (_, n) => ({ n })),
  );
  await run(page);
  assert.equal(await finalStatus(page, 120_000), "FAILED");
  const nav = navigator(page, "Each");
  assert.match(await nav.textContent(), /of 10,000/);
  let ms = await chooseTimed(page, "Each", 9999);
  assert.ok(ms < 250, `choosing an iteration took ${ms.toFixed(0)} ms`);
  assert.equal(await nav.locator("output").textContent(), "not started");
  assert.equal(await statusOf(page, "S2"), "not-run");
  await chooseTimed(page, "Each", 3000);
  assert.equal(await nav.locator("output").textContent(), "succeeded");
  await node(page, "S2").click();
  assert.match(await inspector(page), /"n": 3000/);
  // The iteration running when the limit was reached: its open state ends as failed.
  const last = await page.evaluate(
    () =>
      globalThis.__aslplay.events().findLast((e) => e.type === "MapIterationStarted").mapIterationStartedEventDetails
        .index,
  );
  await nav.getByLabel("Iteration", { exact: true }).fill(String(last));
  assert.equal(await nav.locator("output").textContent(), "aborted");
  assert.equal(await page.locator('.node[data-status="failed"]').count(), 2, "the Map and the open state");

  // One state per item: 6,000 items fit in 24,004 events, all the way to the last item.
  await loadMachine(
    page,
    passMap(1),
    Array.from({ length: 6_000 }, (_, n) => ({ n })),
  );
  await run(page);
  assert.equal(await finalStatus(page, 120_000), "SUCCEEDED");
  ms = await chooseTimed(page, "Each", 5999);
  assert.ok(ms < 250, `choosing an iteration took ${ms.toFixed(0)} ms`);
  assert.equal(await nav.locator("output").textContent(), "succeeded");
  await node(page, "S1").click();
  const text = await inspector(page);
  assert.match(text, /"n": 5999/);
  assert.match(text, /iteration Each #5999/);
  const t0 = Date.now();
  await nav.getByRole("button", { name: "Previous iteration" }).click();
  assert.match(await inspector(page), /"n": 5998/);
  assert.ok(Date.now() - t0 < 2000);
  await context.close();
});

test("StepTracker folds a 10,000-iteration history (80,005 events) in linear time", async () => {
  // steps.ts is plain TypeScript without DOM: bundle it with esbuild and run it here.
  const { build } = await import("esbuild");
  const out = await build({
    entryPoints: [new URL("../src/steps.ts", import.meta.url).pathname],
    bundle: true,
    format: "esm",
    write: false,
  });
  const { StepTracker } = await import(
    `data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString("base64")}`
  );
  const events = [];
  const add = (previousEventId, type, details = {}) => {
    const detailsKey = /StateEntered$/.test(type)
      ? "stateEnteredEventDetails"
      : /StateExited$/.test(type)
        ? "stateExitedEventDetails"
        : `${type[0].toLowerCase()}${type.slice(1)}EventDetails`;
    events.push({ id: events.length + 1, previousEventId, type, [detailsKey]: details });
    return events.length;
  };
  add(0, "ExecutionStarted");
  const entered = add(1, "MapStateEntered", { name: "Each" });
  const started = add(entered, "MapStateStarted", { length: 10_000 });
  for (let i = 0; i < 10_000; i++) {
    let last = add(started, "MapIterationStarted", { name: "Each", index: i });
    for (const s of ["A", "B", "C"]) {
      last = add(last, "PassStateEntered", { name: s, input: JSON.stringify({ n: i }) });
      last = add(last, "PassStateExited", { name: s, output: "{}" });
    }
    add(last, i === 4321 ? "MapIterationFailed" : "MapIterationSucceeded", { name: "Each", index: i });
  }
  add(add(started, "MapStateSucceeded"), "MapStateExited", { name: "Each", output: "[]" });
  assert.equal(events.length, 80_005);
  const tracker = new StepTracker();
  const t0 = performance.now();
  // In batches, as the page receives them.
  for (let upTo = 500; upTo < events.length + 500; upTo += 500) tracker.advance(events, Math.min(upTo, events.length));
  const ms = performance.now() - t0;
  assert.ok(ms < 1500, `folding took ${ms.toFixed(0)} ms`);
  const map = tracker.latest.get("Each");
  assert.equal(map.status, "succeeded");
  assert.equal(map.length, 10_000);
  assert.equal(map.iterations.length, 10_000);
  assert.equal(map.failedIterations, 1);
  assert.equal(map.iterations[4321].status, "failed");
  const last = map.iterations[9999];
  assert.equal(last.status, "succeeded");
  assert.deepEqual(
    last.steps.map((s) => s.name),
    ["A", "B", "C"],
  );
  assert.equal(events[last.steps[1].entered].stateEnteredEventDetails.input, '{"n":9999}');
  assert.equal(tracker.visits.get("B"), 10_000);
  assert.equal(tracker.latest.get("C").iteration, last);
  assert.equal(tracker.iterationAt(last.steps[2].exited), last);
});

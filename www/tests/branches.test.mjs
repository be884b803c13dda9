// Browser tests of the Parallel branch navigator (www/src/branches.ts, in the navigator bar of
// www/src/navigator.ts): one button per branch of each Parallel visit in view, whose status
// tells how the branch went; clicking a branch inspects its most relevant visit; nested
// Parallels get their own group; a Parallel inside a Map follows the chosen iteration.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, finalStatus, shotPath, run, loadMachine } from "./harness.mjs";

let h;
before(async () => {
  h = await start();
});
after(async () => {
  await h?.close();
});

const branches = (page, parallel) => page.getByRole("group", { name: `Parallel branches: ${parallel}` });
const branch = (page, name) => page.getByRole("button", { name, exact: true });
const heading = (page) => page.locator("#inspector h2").textContent();

/** The accessible names and statuses of a Parallel group's branch buttons. */
const buttonsOf = (page, parallel) =>
  branches(page, parallel)
    .getByRole("button")
    .evaluateAll((bs) => bs.map((b) => [b.getAttribute("aria-label"), b.dataset.status]));

test("the gallery's Parallel: one button per branch; clicking one inspects its last state", async () => {
  const { page, context } = await h.open();
  await page.selectOption('[aria-label="Examples"]', "parallel");
  await page.waitForTimeout(50);
  assert.equal(await page.locator(".branch-nav-group").count(), 0, "nothing before a run");
  assert.equal(await page.locator("#map-nav").isHidden(), true);
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  assert.equal(await page.locator("#map-nav").isVisible(), true);
  assert.deepEqual(await buttonsOf(page, "Fetch both"), [
    ["Profile, branch 1 of Fetch both: succeeded", "succeeded"],
    ["Orders, branch 2 of Fetch both: succeeded", "succeeded"],
  ]);
  assert.equal(await branches(page, "Fetch both").locator(".map-nav-name").textContent(), "Fetch both");
  await branch(page, "Orders, branch 2 of Fetch both: succeeded").click();
  assert.equal(await heading(page), "Pick", "the branch's last state");
  assert.equal(await page.locator(".node.selected").getAttribute("data-name"), "Pick", "the graph highlights it");
  assert.match(await branch(page, "Orders, branch 2 of Fetch both: succeeded").getAttribute("class"), /current/);
  await branch(page, "Profile, branch 1 of Fetch both: succeeded").click();
  assert.equal(await heading(page), "Profile");

  // A machine without Parallel (or Map) states: the bar stays hidden.
  await loadMachine(page, { StartAt: "Only", States: { Only: { Type: "Pass", End: true } } }, {});
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  assert.equal(await page.locator(".branch-nav-group").count(), 0);
  assert.equal(await page.locator("#map-nav").isHidden(), true);
  await context.close();
});

/** Branch 1 catches an error in a nested Parallel; branch 2 fails after a wait; branch 3 waits
 * longer and is cut short; the Parallel catches branch 2's error. */
const CAUGHT = {
  StartAt: "Fetch both",
  States: {
    "Fetch both": {
      Type: "Parallel",
      Branches: [
        {
          StartAt: "Inner",
          States: {
            Inner: {
              Type: "Parallel",
              Branches: [{ StartAt: "Oops", States: { Oops: { Type: "Fail", Error: "Oops" } } }],
              Catch: [{ ErrorEquals: ["States.ALL"], Next: "Fixed" }],
              Next: "Fixed",
            },
            Fixed: { Type: "Pass", End: true },
          },
        },
        {
          StartAt: "Prepare the second call",
          States: {
            "Prepare the second call": { Type: "Wait", Seconds: 1, Next: "Boom" },
            Boom: { Type: "Fail", Error: "Bad", Cause: "branch two" },
          },
        },
        { StartAt: "Slow", States: { Slow: { Type: "Wait", Seconds: 60, End: true } } },
      ],
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Recover" }],
      Next: "Recover",
    },
    Recover: { Type: "Pass", End: true },
  },
};

test("a failed branch caught by its Parallel; a caught error inside a branch; nested Parallels", async () => {
  const { page, context } = await h.open();
  await loadMachine(page, CAUGHT, {});
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  assert.deepEqual(await buttonsOf(page, "Fetch both"), [
    ["Inner, caught, branch 1 of Fetch both: succeeded (caught an error)", "caught"],
    ["Branch 2 of Fetch both: failed", "failed"],
    ["Slow, branch 3 of Fetch both: aborted", "aborted"],
  ]);
  assert.equal(
    await branches(page, "Fetch both").getByRole("button").nth(0).locator(".branch-nav-note").textContent(),
    "caught",
  );
  assert.deepEqual(await buttonsOf(page, "Inner"), [["Oops, branch 1 of Inner: failed", "failed"]]);
  // The nested Parallel's group follows its outer one.
  const groups = await page
    .locator(".branch-nav-group")
    .evaluateAll((gs) => gs.map((g) => g.getAttribute("aria-label")));
  assert.deepEqual(groups, ["Parallel branches: Fetch both", "Parallel branches: Inner"]);

  await branch(page, "Branch 2 of Fetch both: failed").click();
  assert.equal(await heading(page), "Boom", "the failed branch's failed state");
  assert.match(await page.locator("#inspector .sub").textContent(), /^Fail state · visit 1/);
  await branch(page, "Inner, caught, branch 1 of Fetch both: succeeded (caught an error)").click();
  assert.equal(await heading(page), "Fixed");
  await branch(page, "Slow, branch 3 of Fetch both: aborted").click();
  assert.equal(await heading(page), "Slow");
  await branch(page, "Oops, branch 1 of Inner: failed").click();
  assert.equal(await heading(page), "Oops");
  // Selecting Oops marks its branch of Inner; Inner's own branch of Fetch both too.
  assert.match(await branch(page, "Oops, branch 1 of Inner: failed").getAttribute("class"), /current/);
  assert.match(
    await branch(page, "Inner, caught, branch 1 of Fetch both: succeeded (caught an error)").getAttribute("class"),
    /current/,
  );
  assert.doesNotMatch(await branch(page, "Branch 2 of Fetch both: failed").getAttribute("class"), /current/);
  await page.screenshot({ path: shotPath("branches-light") });
  await context.close();
});

test("stepping: branches show running, then how they ended", async () => {
  const { page, context } = await h.open();
  await loadMachine(page, CAUGHT, {});
  const step = page.getByRole("button", { name: "Step", exact: true });
  // 1 ExecutionStarted, 2 ParallelStateEntered, 3 ParallelStateStarted, 4 a first branch state.
  for (let i = 1; i <= 4; i++) {
    await step.click();
    await page.waitForFunction((n) => globalThis.__aslplay.cursor() >= n, i);
  }
  const statuses = (await buttonsOf(page, "Fetch both")).map(([, s]) => s);
  assert.equal(statuses.filter((s) => s === "running").length, 1, statuses.join());
  assert.equal(statuses.filter((s) => s === "not-run").length, 2, statuses.join());
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  assert.deepEqual(
    (await buttonsOf(page, "Fetch both")).map(([, s]) => s),
    ["caught", "failed", "aborted"],
  );
  await context.close();
});

test("a Parallel inside a Map iteration follows the iteration the Map navigator chose", async () => {
  const { page, context } = await h.open({ colorScheme: "dark" });
  const definition = {
    StartAt: "Each",
    States: {
      Each: {
        Type: "Map",
        MaxConcurrency: 1,
        ItemSelector: { "v.$": "$$.Map.Item.Value" },
        ItemProcessor: {
          StartAt: "Split",
          States: {
            Split: {
              Type: "Parallel",
              Branches: [
                {
                  StartAt: "Check",
                  States: {
                    Check: {
                      Type: "Choice",
                      Choices: [{ Variable: "$.v", NumericEquals: 1, Next: "Bad" }],
                      Default: "Good",
                    },
                    Good: { Type: "Pass", End: true },
                    Bad: { Type: "Fail", Error: "BadItem" },
                  },
                },
                { StartAt: "Other", States: { Other: { Type: "Wait", Seconds: 5, End: true } } },
              ],
              Catch: [{ ErrorEquals: ["States.ALL"], Next: "Handled" }],
              End: true,
            },
            Handled: { Type: "Pass", End: true },
          },
        },
        End: true,
      },
    },
  };
  await loadMachine(page, definition, [0, 1, 2]);
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  // All (latest): the last iteration's visit (item 2) succeeded.
  assert.deepEqual(await buttonsOf(page, "Split"), [
    ["Check, branch 1 of Split: succeeded", "succeeded"],
    ["Other, branch 2 of Split: succeeded", "succeeded"],
  ]);
  const index = page.getByRole("group", { name: "Map iterations: Each" }).getByLabel("Iteration", { exact: true });
  await index.fill("1");
  // Branch 1 fails at once; branch 2 is cut short (aborted) or, as this engine runs the
  // branches, never entered (not started).
  const [first, second] = await buttonsOf(page, "Split");
  assert.deepEqual(first, ["Check, branch 1 of Split: failed", "failed"]);
  assert.match(second.join(), /^Other, branch 2 of Split: (aborted,aborted|not started,not-run)$/);
  await branch(page, "Check, branch 1 of Split: failed").click();
  assert.equal(await heading(page), "Bad");
  assert.match(await page.locator("#inspector").textContent(), /iteration Each #1/);
  await page.screenshot({ path: shotPath("branches-map-dark") });
  await index.fill("0");
  assert.equal(await branch(page, "Check, branch 1 of Split: succeeded").getAttribute("data-status"), "succeeded");
  await branch(page, "Check, branch 1 of Split: succeeded").click();
  assert.equal(await heading(page), "Good");
  assert.match(await page.locator("#inspector").textContent(), /iteration Each #0/);
  await context.close();
});

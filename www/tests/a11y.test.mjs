// Accessibility of every view (issue 17): axe-core's WCAG 2.1 A and AA rules in light and dark
// themes over the playground's views (before and after a run, a step selected, the Map Run and S3
// panes, the import dialog, the Share and Options panels, the navigator, a YAML notice, problems)
// and the embed.
// Run: make build && node --test www/tests/a11y.test.mjs
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
  run,
  loadExample,
  stateNode,
  expectNoA11yViolations,
  focused,
  tabTo,
  viewTab,
  linkPayload,
} from "./harness.mjs";

let h;
before(async () => {
  h = await start();
});
after(async () => {
  await h?.close();
});

test("the checker fails on a violation and says which rule, element and fix", async () => {
  const { page, context } = await h.open();
  await page.evaluate(() => {
    const p = document.createElement("p");
    p.id = "faint";
    p.style.color = "#ccc";
    p.textContent = "Hard to read";
    document.body.append(p);
    const b = document.createElement("button");
    b.id = "nameless";
    document.body.append(b);
  });
  await assert.rejects(expectNoA11yViolations(page, "a planted problem"), (e) => {
    assert.match(e.message, /^a planted problem: 2 accessibility violation\(s\)/);
    assert.match(e.message, /\[serious\] color-contrast: .*\n\s+#faint\n\s+Fix any of the following:/);
    assert.match(e.message, /\[critical\] button-name: .*\n\s+#nameless/);
    return true;
  });
  await context.close();
});

for (const scheme of ["light", "dark"]) {
  test(`every view of the playground meets WCAG 2.1 AA (${scheme} theme)`, async (t) => {
    const { page, context } = await h.open({ colorScheme: scheme });
    const check = (label) => t.test(label, () => expectNoA11yViolations(page, `${label} (${scheme})`));

    await check("before a run");
    await page.locator("#options-box summary").click();
    await check("the Options panel");
    await page.locator("#options-box summary").click();

    await setEditor(page, DEF, '{"StartAt": "Nowhere", "States": {"A": {"Type": "Pass", "End": true}}}');
    await page.locator("#problems li").first().waitFor();
    await run(page);
    await page.locator("#message:not([hidden])").waitFor();
    await check("problems and a refused run");

    await loadExample(page, "retry-catch");
    await run(page);
    await finalStatus(page);
    await check("after a run");
    await stateNode(page, "Charge card").click();
    await page.locator("#inspector h2", { hasText: "Charge card" }).waitFor();
    await page.locator("table.history button.expand").nth(1).click();
    await check("a step selected, an event's details open");
    await page.screenshot({ path: shotPath(`a11y-step-${scheme}`) });

    // The value path panel (a value of the input clicked); the completion list and hover docs are
    // checked in editor.test.mjs.
    await page.getByLabel(INPUT, { exact: true }).getByText('"4111-xxxx"').click();
    const valuePath = page.getByRole("region", { name: "Value path" });
    await valuePath.waitFor();
    await check("the value path panel");
    await page.screenshot({ path: shotPath(`a11y-value-path-${scheme}`) });
    await valuePath.getByRole("button", { name: "Close value path" }).click();

    await page.locator("#share-box summary").click();
    await page.waitForFunction(() => document.getElementById("share-note").textContent !== "");
    await check("the Share panel");
    await page.screenshot({ path: shotPath(`a11y-share-${scheme}`) });
    await page.locator("#share-box summary").click();

    await page.getByRole("button", { name: "Import history…" }).click();
    const dialog = page.getByRole("dialog", { name: "Import an execution history" });
    await dialog.getByRole("button", { name: "Import", exact: true }).click();
    await dialog.locator(".dialog-outcome[data-kind=error]").waitFor();
    await check("the import dialog");
    await page.screenshot({ path: shotPath(`a11y-import-${scheme}`) });
    await dialog.getByRole("button", { name: "Close" }).click();

    await loadExample(page, "map");
    await run(page);
    await finalStatus(page);
    await page.locator("#map-nav:not([hidden])").waitFor();
    await check("the Map iteration navigator");
    await loadExample(page, "parallel");
    await run(page);
    await finalStatus(page);
    await page.locator(".branch-nav-branch").first().waitFor();
    await check("the Parallel branches");

    await loadExample(page, "distributed-map");
    await run(page);
    await finalStatus(page);
    await viewTab(page, "Map runs").click();
    const runs = page.locator("#mapruns");
    await runs.locator(".maprun-title h3").first().waitFor();
    await runs.locator(".maprun-table button.link").first().click();
    await runs.locator(".maprun-child-head h3").waitFor();
    await check("the Map Run view, a child picked");
    await page.screenshot({ path: shotPath(`a11y-maprun-${scheme}`) });
    await viewTab(page, "S3 objects").click();
    const s3 = page.locator("#s3");
    await s3.locator(".s3-table button.link").first().click();
    await s3.locator(".s3-content").waitFor();
    await check("the S3 pane, an object shown");
    await s3.getByRole("button", { name: "Add object" }).click();
    await s3.locator(".s3-form").waitFor();
    await check("the S3 object form");
    await page.screenshot({ path: shotPath(`a11y-s3-${scheme}`) });
    await viewTab(page, "Execution history").click();

    await setEditor(page, DEF, "StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n");
    await page.locator("#def-source:not([hidden])").waitFor();
    await check("a YAML definition's notice");

    // Learn mode: the lesson pane, a verdict, a hint, the list of lessons, a passed lesson.
    await page.evaluate(() => {
      location.hash = "lesson=choice-and-default";
    });
    const lesson = page.getByRole("region", { name: "Lesson" });
    await lesson.getByRole("heading", { level: 2 }).waitFor();
    const pressInLesson = (name) => lesson.getByRole("button", { name, exact: true }).click();
    const verdict = lesson.locator(".lesson-verdict");
    await check("a lesson");
    await pressInLesson("Check");
    await lesson.locator(".lesson-verdict[data-passed=false]").waitFor();
    await pressInLesson("Hint");
    await lesson.locator("summary").click();
    await check("a lesson's verdict (not yet), a hint, the lessons list");
    await pressInLesson("Show solution");
    await pressInLesson("Check");
    await lesson.locator(".lesson-verdict[data-passed=true]").waitFor();
    assert.equal(await verdict.getAttribute("role"), "status");
    await check("a passed lesson");
    await page.screenshot({ path: shotPath(`a11y-lesson-${scheme}`) });
    await context.close();
  });
}

test("the theme toggle's light and dark pass too (the page's own choice, not the system's)", async (t) => {
  const { page, context } = await h.open({ colorScheme: "light" });
  await loadExample(page, "retry-catch");
  await run(page);
  await finalStatus(page);
  const theme = page.getByRole("button", { name: /^Color theme/ });
  for (const want of ["light", "dark"]) {
    while ((await page.evaluate(() => document.documentElement.dataset.theme)) !== want) await theme.click();
    await t.test(want, () => expectNoA11yViolations(page, `after a run, theme toggle ${want}`));
  }
  await context.close();
});

test("the embed meets WCAG 2.1 AA (light and dark, before and after a run, every pane, a lesson)", async (t) => {
  const state = {
    definition: JSON.stringify(
      {
        Comment: "Charge, retry, catch",
        StartAt: "Charge",
        States: {
          Charge: { Type: "Pass", Result: { ok: true }, Next: "Done" },
          Done: { Type: "Succeed" },
        },
      },
      null,
      2,
    ),
    input: '{"amount": 42}',
    mock: "",
    testCase: null,
    seed: 0,
    startTime: "",
  };
  for (const scheme of ["light", "dark"]) {
    for (const query of ["", "?panes=definition,input,mock,graph,result&editable=1"]) {
      const { page, context } = await h.open({
        colorScheme: scheme,
        query: `embed.html${query}#s=${linkPayload(state)}`,
      });
      await page.locator(".node").first().waitFor();
      await t.test(`${scheme}${query} before a run`, () => expectNoA11yViolations(page, `embed ${query} (${scheme})`));
      await run(page);
      await finalStatus(page);
      await t.test(`${scheme}${query} after a run`, () =>
        expectNoA11yViolations(page, `embed after a run ${query} (${scheme})`),
      );
      await page.screenshot({ path: shotPath(`a11y-embed-${scheme}${query ? "-all" : ""}`) });
      await context.close();
    }
  }
  for (const scheme of ["light", "dark"]) {
    const { page, context } = await h.open({ colorScheme: scheme, query: "embed.html#lesson=choice-and-default" });
    const lesson = page.getByRole("region", { name: "Lesson" });
    await lesson.getByRole("heading", { level: 2 }).waitFor();
    await lesson.getByRole("button", { name: "Check" }).click();
    await lesson.locator(".lesson-verdict[data-passed]").waitFor();
    await lesson.getByRole("button", { name: "Hint" }).click();
    await t.test(`${scheme} a lesson embed`, () => expectNoA11yViolations(page, `lesson embed (${scheme})`));
    await context.close();
  }
});

// ---- keyboard only ---------------------------------------------------------------------------

test("keyboard only: example, Step, Step back, Run, a history event, a graph state, the inspector, Share", async () => {
  const context = await h.browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: h.origin });
  const { page } = await h.open({ context });
  const key = (k) => page.keyboard.press(k);
  const text = (sel) => page.locator(sel).textContent();

  // An example, from the Example select (type-ahead on its first letter).
  await tabTo(page, (f) => f.name === "Examples");
  await key("r");
  await page.waitForFunction(() => globalThis.__aslplay.text("State machine definition").includes("Charge card"));

  // Step three times: the announcer says which event each step shows.
  await tabTo(page, (f) => f.name === "Step");
  for (let n = 1; n <= 3; n++) {
    await key("Enter");
    await page.waitForFunction((n) => globalThis.__aslplay.events().length >= n, n);
  }
  assert.equal(await text("#status"), "RUNNING");
  await page.waitForFunction(() => /^Event 3 of \d+: /.test(document.getElementById("announcer").textContent));
  await tabTo(page, (f) => f.name === "Step back");
  await key("Enter");
  await page.waitForFunction(() => /^Event 2 of \d+: /.test(document.getElementById("announcer").textContent));
  assert.match(await text("#position"), /viewing event 2 of \d+/);

  // Run to the end: the status (a polite live region) says how it ended.
  await tabTo(page, (f) => f.name === "Run", { back: true });
  await key("Enter");
  assert.equal(await finalStatus(page), "SUCCEEDED");
  assert.equal(await page.locator("#status").getAttribute("aria-live"), "polite");

  // A history event: Tab reaches the rows (one stop), arrows move, Enter picks.
  const stops = await tabTo(page, (f) => f.tag === "tr");
  assert.ok(
    stops.some((s) => s.cls.includes("cm-content")),
    "the editors were passed on the way (Escape, Tab)",
  );
  await key("Home");
  for (let i = 0; i < 4; i++) await key("ArrowDown");
  const row = await focused(page);
  assert.ok(row.ring);
  await key("Enter");
  const rowStep = await page.evaluate(() => document.activeElement.cells[2].textContent);
  assert.ok(rowStep, "the fifth event belongs to a state");
  await page.locator("#inspector h2", { hasText: rowStep }).waitFor();
  await key("ArrowRight"); // opens the event's details
  await page.locator("table.history tr.details").first().waitFor();
  assert.equal((await focused(page)).tag, "tr", "the focus stays on the row when the table redraws");
  await key("ArrowLeft");

  // A graph state: the graph is one Tab stop; arrows move between states; Enter selects.
  await tabTo(page, (f) => f.cls.includes("node"), { back: true });
  let node = await focused(page);
  for (let i = 0; i < 6 && !node.name.startsWith("Notify decline"); i++) {
    await key("ArrowDown");
    node = await focused(page);
  }
  assert.equal(node.name, "Notify decline, Pass: succeeded");
  await key("Enter");
  await page.locator("#inspector h2", { hasText: "Notify decline" }).waitFor();

  // The inspector: Tab reaches it; it reads as a region with the step's data.
  await tabTo(page, (f) => f.id === "inspector");
  const inspector = page.getByRole("region", { name: "State inspector" });
  assert.match(await inspector.textContent(), /Notify decline[\s\S]*Input/);

  // Share: back to the toolbar, open the panel, copy the link; Escape closes it.
  await tabTo(page, (f) => f.name === "Share", { back: true });
  await key("Enter");
  await page.waitForFunction(() => document.getElementById("share-note").textContent !== "");
  await tabTo(page, (f) => f.name === "Copy link");
  await key("Enter");
  await page.locator("#share-note", { hasText: "Link copied." }).waitFor();
  const link = await page.inputValue("#share-link");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  await key("Escape");
  assert.equal(await page.locator("#share-box").evaluate((d) => d.open), false);
  assert.equal((await focused(page)).name, "Share");
  await page.screenshot({ path: shotPath("a11y-keyboard") });
  assert.deepEqual(h.errors, []);
  await context.close();
});

test("focus is never trapped: Tab goes round the whole page; editors are left with Escape then Tab or Ctrl+M; Escape closes the dialog", async () => {
  const { page, context } = await h.open();
  const key = (k) => page.keyboard.press(k);
  await loadExample(page, "retry-catch");
  await run(page);
  await finalStatus(page);
  // Round the page: from the first control to the last and out of the page, every stop with a
  // visible focus indicator (tabTo checks it), leaving each editor with Escape then Tab.
  await tabTo(page, (f) => f.name === "Learn", { max: 200 });
  const stops = await tabTo(page, (f) => f.tag === "body", { max: 200 });
  stops.unshift({ name: "Learn", tag: "a", cls: "learn-link", id: "learn-link" });
  const names = stops.map((s) => s.name);
  for (const want of [
    "Learn",
    "Examples",
    "Run",
    "Step",
    "Step back",
    "Reset",
    "Speed",
    "Options",
    "Share",
    "Color theme: System",
    "State machine definition",
    "Execution input",
    "Mock configuration",
    "Import history…",
    "Export mocks",
    "Zoom in",
    "Fit",
    "Execution history",
    "Filter events",
    "Export history",
  ])
    assert.ok(names.includes(want), `Tab reaches "${want}"; it passed: ${names.join(" | ")}`);
  assert.ok(
    stops.some((s) => s.cls.includes("node")),
    "Tab reaches the graph",
  );
  assert.ok(
    stops.some((s) => s.tag === "tr"),
    "Tab reaches the history's rows",
  );
  assert.ok(
    stops.some((s) => s.id === "inspector"),
    "Tab reaches the inspector",
  );
  assert.equal(stops.filter((s) => s.cls.includes("node")).length, 1, "the graph is one Tab stop");
  assert.equal(stops.filter((s) => s.tag === "tr").length, 1, "the history's rows are one Tab stop");
  // Disabled controls (Stop, after a run) stay in the focus order, said to be unavailable.
  assert.ok(names.includes("Stop"));
  assert.equal(await page.getByRole("button", { name: "Stop" }).getAttribute("aria-disabled"), "true");
  // And round again: the next Tab is back at the first control.
  await key("Tab");
  assert.equal((await focused(page)).name, "Learn");

  // In an editor Tab indents (the keys hint says how to leave); Escape then Tab moves on.
  await tabTo(page, (f) => f.name === "State machine definition");
  const hint = page.locator("#ed-definition .editor-keys");
  assert.equal(await hint.isVisible(), true, "the hint shows on keyboard focus");
  assert.match(await hint.textContent(), /Escape, then Tab/);
  const content = page.getByRole("textbox", { name: "State machine definition" });
  assert.equal(await content.getAttribute("aria-describedby"), await hint.getAttribute("id"));
  const before = await editorText(page, DEF);
  await key("ArrowDown"); // (any key but Escape ends the Escape-then-Tab window of an earlier visit)
  await key("Tab");
  assert.notEqual(await editorText(page, DEF), before, "Tab indented");
  assert.equal((await focused(page)).name, "State machine definition", "and kept the focus");
  await key("Control+z");
  assert.equal(await editorText(page, DEF), before);
  await key("Escape");
  await key("Tab");
  assert.equal((await focused(page)).name, "Execution input", "Escape then Tab moved on");
  assert.equal(await hint.isVisible(), false);
  // Ctrl+M switches Tab to moving the focus in that editor.
  await key("Control+m");
  await key("Tab");
  assert.equal((await focused(page)).name, "Test case", "the next control, in the mock configuration's title");
  await key("Shift+Tab");
  await key("Control+m"); // back to indenting

  // A mouse click in an editor does not show the keyboard hint.
  await page.locator("#ed-definition .cm-content").click();
  assert.equal(await hint.isVisible(), false);

  // The import dialog keeps the focus inside while open; Escape closes it and the focus returns.
  await page.locator("body").focus();
  await tabTo(page, (f) => f.name === "Import history…");
  await key("Enter");
  const dialog = page.getByRole("dialog", { name: "Import an execution history" });
  await dialog.waitFor();
  assert.equal((await focused(page)).name, "Execution history JSON");
  for (let i = 0; i < 8; i++) {
    await key("Tab");
    assert.ok(
      await dialog.evaluate((d) => d.contains(document.activeElement) || document.activeElement === document.body),
    );
  }
  await key("Escape");
  assert.equal(await dialog.isVisible(), false);
  assert.equal((await focused(page)).name, "Import history…");
  await context.close();
});

test("live regions say what changes: the run's status, the problem count, the stepped event", async () => {
  const { page, context } = await h.open();
  const status = page.getByRole("status");
  assert.equal(await status.getAttribute("aria-live"), "polite");
  const problems = page.locator("#problem-summary");
  assert.equal(await problems.getAttribute("aria-live"), "polite");
  await setEditor(page, DEF, '{"StartAt": "Nowhere", "States": {"A": {"Type": "Pass"}}}');
  await page.waitForFunction(() =>
    /^\d+ problems?: \d+ in the definition\.$/.test(document.getElementById("problem-summary").textContent),
  );
  const count = Number(await page.locator("#problem-count").textContent());
  assert.match(await problems.textContent(), new RegExp(`^${count} problems?: ${count} in the definition\\.$`));
  await setEditor(page, INPUT, "{");
  await page.waitForFunction(() => /1 in the input\.$/.test(document.getElementById("problem-summary").textContent));
  await setEditor(page, INPUT, "{}");
  await setEditor(page, DEF, '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}');
  await page.waitForFunction(() => document.getElementById("problem-summary").textContent === "No problems.");
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  await page.getByRole("button", { name: "Step back" }).click();
  await page.waitForFunction(() => document.getElementById("announcer").textContent.startsWith("Event "));
  assert.match(await page.locator("#announcer").textContent(), /^Event \d+ of \d+: \w+/);
  assert.equal(await page.locator("#announcer").getAttribute("aria-live"), "polite");
  await context.close();
});

/** Steps twice (the first state is then running) and says the animation its node has. */
async function runningAnimation(page) {
  for (let i = 0; i < 2; i++) await page.getByRole("button", { name: "Step", exact: true }).click();
  const running = page.locator('.node[data-status="running"] rect').first();
  await running.waitFor();
  return running.evaluate((r) => getComputedStyle(r).animationName);
}

test("prefers-reduced-motion: no animation or transition, and runs are instant unless a speed is chosen", async () => {
  const context = await h.browser.newContext({ viewport: { width: 1440, height: 900 }, reducedMotion: "reduce" });
  const { page } = await h.open({ context });
  await page.evaluate(() => localStorage.setItem("aslplay.speed", "1000"));
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.engineVersion);
  const speed = page.getByLabel("Speed");
  assert.equal(await speed.inputValue(), "0", "the stored Slow speed gives way to Instant");
  assert.match(await speed.getAttribute("title"), /reduced motion/);
  await loadExample(page, "retry-catch");
  const node = page.locator(".node rect").first();
  assert.equal(await node.evaluate((r) => getComputedStyle(r).transitionDuration), "0s");
  await run(page);
  // Slow (1 s an event) would take 14 s for these 15 events.
  assert.equal(await finalStatus(page, 8000), "SUCCEEDED", "an instant run");
  // Stepping keeps the running state's node still.
  assert.equal(await runningAnimation(page), "none");
  // A speed chosen now is honoured (the person asked for it).
  await speed.selectOption("60");
  assert.equal(await speed.inputValue(), "60");
  await context.close();

  // Without the preference, the running node pulses and the stored speed stays.
  const { page: moving, context: c2 } = await h.open();
  await loadExample(moving, "retry-catch");
  assert.equal(await runningAnimation(moving), "pulse");
  await c2.close();
});

for (const [label, viewport, scale] of [
  ["320 CSS pixels wide", { width: 320, height: 640 }, 1],
  ["200% zoom", { width: 720, height: 450 }, 2],
]) {
  test(`at ${label} every control is there and the page does not scroll sideways`, async () => {
    const context = await h.browser.newContext({ viewport, deviceScaleFactor: scale });
    const { page } = await h.open({ context });
    await loadExample(page, "retry-catch");
    await run(page);
    await finalStatus(page);
    const width = viewport.width;
    const sideways = () =>
      page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(await sideways(), 0, "no horizontal scrolling of the page");
    /** The control is inside the page's width, not hidden, and not cut by its pane. */
    const within = async (locator, what) => {
      await locator.scrollIntoViewIfNeeded();
      const box = await locator.boundingBox();
      assert.ok(box, `${what} is shown`);
      assert.ok(box.x >= 0 && box.x + box.width <= width + 0.5, `${what} fits across (${box.x}, ${box.width})`);
      const clipped = await locator.evaluate((el) => {
        const r = el.getBoundingClientRect();
        for (let p = el.parentElement; p; p = p.parentElement) {
          const s = getComputedStyle(p);
          if (s.overflowX === "visible" && s.overflowY === "visible") continue;
          const c = p.getBoundingClientRect();
          if (r.right > c.right + 1 || r.left < c.left - 1) return p.className || p.tagName;
        }
        return "";
      });
      assert.equal(clipped, "", `${what} is not cut off by ${clipped}`);
    };
    for (const name of [
      "Run",
      "Step",
      "Step back",
      "Stop",
      "Reset",
      "Import history…",
      "Export mocks",
      "Zoom in",
      "Zoom out",
      "Fit",
      "Export history",
    ])
      await within(page.getByRole("button", { name, exact: true }), name);
    await within(page.getByRole("button", { name: /^Color theme/ }), "Color theme");
    for (const name of ["Examples", "Speed", "Test case"]) await within(page.getByRole("combobox", { name }), name);
    for (const name of ["Execution history", "Map runs", "S3 objects"])
      await within(page.getByRole("tab", { name: new RegExp(`^${name}`) }), name);
    for (const box of ["options-box", "share-box"]) {
      await within(page.locator(`#${box} summary`), box);
      await page.locator(`#${box} summary`).click();
      await within(page.locator(`#${box} .dropdown-panel`), `${box} panel`);
      for (const b of await page.locator(`#${box} .dropdown-panel`).getByRole("button").all())
        await within(b, `${box} button`);
      await page.locator(`#${box} summary`).click();
    }
    assert.equal(await sideways(), 0, "still no horizontal scrolling");
    await page.screenshot({ path: shotPath(`a11y-${scale === 2 ? "zoom200" : "320"}`), fullPage: true });
    await expectNoA11yViolations(page, label);
    await context.close();
  });
}

test("keyboard only: a lesson from the Learn link to Passed and Next lesson; the verdict is a live region", async () => {
  const { page, context } = await h.open();
  const key = (k) => page.keyboard.press(k);
  await tabTo(page, (f) => f.name === "Learn");
  await key("Enter");
  const lesson = page.getByRole("region", { name: "Lesson" });
  await lesson.getByRole("heading", { level: 2 }).waitFor();
  await tabTo(page, (f) => f.name === "Show solution");
  await key("Enter"); // the starter is unchanged: the solution replaces it at once
  await tabTo(page, (f) => f.name === "Check", { back: true });
  await key("Enter");
  const verdict = lesson.getByRole("status");
  assert.equal(await verdict.getAttribute("aria-live"), "polite");
  await lesson.locator(".lesson-verdict[data-passed=true]").waitFor();
  assert.match(await verdict.textContent(), /^Passed/);
  assert.equal((await focused(page)).name, "Check", "the focus stayed on Check while it checked");
  await tabTo(page, (f) => f.name === "Next lesson");
  await key("Enter");
  await page.waitForFunction(() => document.activeElement?.matches(".lesson-title"));
  assert.match(new URL(page.url()).hash, /^#lesson=/);
  assert.notEqual(await page.evaluate(() => document.activeElement.textContent), "");
  await context.close();
});

test("keyboard only: a completion is picked with the arrows and Enter, and Escape closes the list", async () => {
  const { page, context } = await h.open();
  const key = (k) => page.keyboard.press(k);
  await tabTo(page, (f) => f.name === DEF);
  await key("Control+a");
  await key("Delete");
  await page.keyboard.type('{"StartAt": "A", "States": {"A": {"Type": "Pa');
  const list = page.getByRole("listbox");
  await list.getByRole("option", { name: /^Pass/ }).waitFor();
  assert.equal(await list.getByRole("option", { selected: true }).count(), 1, "one option is selected");
  // A person reads the list before choosing: CodeMirror leaves the arrow keys to the editor for
  // its first 75 ms (interactionDelay), so that a key already on its way does not pick an option.
  await page.waitForTimeout(200);
  while (!/^Pass/.test(await list.getByRole("option", { selected: true }).textContent())) await key("ArrowDown");
  await key("Enter");
  assert.equal(await editorText(page, DEF), '{"StartAt": "A", "States": {"A": {"Type": "Pass"');
  // The list opens again on Ctrl+Space; Escape closes it and the focus stays in the editor.
  await key("Control+Space");
  await list.waitFor();
  await key("Escape");
  await list.waitFor({ state: "detached" });
  assert.equal((await focused(page)).name, DEF);
  await context.close();
});

test("the embed from the keyboard: Run, then a state on its graph, whose data shows in the result", async () => {
  const state = {
    definition: JSON.stringify({
      StartAt: "First",
      States: { First: { Type: "Pass", Result: { n: 1 }, Next: "Second" }, Second: { Type: "Succeed" } },
    }),
    input: "{}",
    mock: "",
    testCase: null,
    seed: 0,
    startTime: "",
  };
  const { page, context } = await h.open({ query: `embed.html#s=${linkPayload(state)}` });
  await page.locator(".node").first().waitFor();
  await tabTo(page, (f) => f.name === "Run");
  await page.keyboard.press("Enter");
  assert.equal(await finalStatus(page), "SUCCEEDED");
  assert.equal((await focused(page)).name, "Run", "the focus stays on Run");
  await tabTo(page, (f) => f.cls.includes("node"));
  await page.keyboard.press("Home");
  assert.equal((await focused(page)).name, "First, Pass: succeeded");
  await page.keyboard.press("Enter");
  await page.locator("#inspector h2", { hasText: "First" }).waitFor();
  await tabTo(page, (f) => f.name.startsWith("Open in playground"));
  await context.close();
});

// Learn mode in a real browser, as a learner uses it: the toolbar's Learn link opens the first
// lesson; each of the first five lessons fails its starter with a message that says what
// differed, passes with the solution, and Next lesson moves on; the learner's own version
// survives Show solution; work and progress survive a reload; the Lessons navigation marks the
// lessons passed; the sandbox's work is back on leaving the tour. Also a TestState lesson, an
// unknown lesson, "Try it", WCAG 2.1 AA in both themes, and a lesson embedded in another origin's
// page. Run: make build && cd www && node --test --test-concurrency=1 tests/lessons.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { start, setEditor, editorText, shotPath, DEF, INPUT, MOCK, expectNoA11yViolations } from "./harness.mjs";
import { serve } from "../serve.mjs";

const lessonsDir = join(fileURLToPath(new URL(".", import.meta.url)), "..", "lessons");
const order = JSON.parse(readFileSync(join(lessonsDir, "index.json"), "utf8"));
const lessonFile = (id) => JSON.parse(readFileSync(join(lessonsDir, `${id}.json`), "utf8"));

let h;
before(async () => {
  h = await start();
});
after(async () => {
  await h?.close();
});

const pane = (page) => page.getByRole("region", { name: "Lesson" });
const verdict = (page) => pane(page).getByRole("status");
const press = (page, name) => pane(page).getByRole("button", { name, exact: true }).click();

/** Presses Check and waits for the verdict. */
async function check(page) {
  await press(page, "Check");
  await page.waitForFunction(() => {
    const v = document.querySelector('[aria-label="Lesson"] [role="status"]');
    return v?.dataset.passed !== undefined;
  });
  return verdict(page).textContent();
}

/** Waits until the pane shows the lesson's title as its heading. */
async function shows(page, id) {
  await pane(page)
    .getByRole("heading", { level: 2, name: lessonFile(id).title })
    .waitFor();
  assert.equal(new URL(page.url()).hash, `#lesson=${id}`);
}

test("a learner walks the first five lessons; progress and work survive a reload", async () => {
  const { page } = await h.open();
  // The sandbox's own work, which the tour must leave alone.
  const mine = '{"Comment":"my sandbox","StartAt":"S","States":{"S":{"Type":"Pass","End":true}}}';
  await setEditor(page, DEF, mine);
  await page.waitForFunction((m) => localStorage.getItem("aslplay.definition") === m, mine);

  await page.getByRole("link", { name: "Learn" }).click();
  await shows(page, "first-state-machine");
  await page.screenshot({ path: shotPath("lessons-first") });

  for (const [i, id] of order.slice(0, 5).entries()) {
    const lesson = lessonFile(id);
    await shows(page, id);
    assert.match(await pane(page).textContent(), new RegExp(`Lesson ${i + 1} of ${order.length}`));
    const goal = lesson.goal.replace(/[`*]/g, "");
    assert.ok((await pane(page).textContent()).includes(goal.slice(0, 40)), "the goal is shown");

    // The starter: "Not yet", and which check, what was expected and what came out.
    const starter = await check(page);
    assert.match(starter, /^Not yet: /);
    assert.doesNotMatch(starter, /Passed/);
    assert.ok(
      lesson.checks.some((c) => starter.includes(c.name)) ||
        lesson.requires.some((r) => starter.includes(r.message.replace(/[`*]/g, ""))),
      `the verdict names a check or a requirement: ${starter}`,
    );
    assert.match(starter, /expected .*, but |Missing: /);
    if (i === 2) await page.screenshot({ path: shotPath("lessons-not-yet") });

    // Hints come one at a time.
    await press(page, "Hint");
    const hints = pane(page).getByRole("list", { name: "Hints" }).getByRole("listitem");
    assert.equal(await hints.count(), 1);
    await press(page, "Hint");
    assert.equal(await hints.count(), 2);

    if (i === 0) {
      // The learner's own attempt is kept when the solution is loaded, and can be restored.
      const attempt = JSON.stringify(
        { StartAt: "Greet", States: { Greet: { Type: "Pass", Next: "Done" }, Done: { Type: "Succeed" } } },
        null,
        2,
      );
      await setEditor(page, DEF, attempt);
      assert.match(await verdict(page).textContent(), /Your machine has changed since this check/);
      await press(page, "Show solution");
      await pane(page).getByRole("button", { name: "Load the solution" }).waitFor();
      await page.screenshot({ path: shotPath("lessons-confirm") });
      await pane(page).getByRole("button", { name: "Cancel" }).click();
      assert.equal(await editorText(page, DEF), attempt, "Cancel keeps the learner's machine");
      await press(page, "Show solution");
      await pane(page).getByRole("button", { name: "Load the solution" }).click();
      assert.equal(await editorText(page, DEF), JSON.stringify(lesson.solution.definition, null, 2));
      await pane(page).getByRole("button", { name: "Restore my version" }).click();
      assert.equal(await editorText(page, DEF), attempt);
    }
    // The starter is unchanged in the other lessons: the solution loads without asking.
    await press(page, "Show solution");
    if (i === 0) await pane(page).getByRole("button", { name: "Load the solution" }).click();
    assert.equal(await editorText(page, DEF), JSON.stringify(lesson.solution.definition, null, 2));
    const solved = await check(page);
    assert.match(solved, /^Passed: /);
    assert.doesNotMatch(solved, /Not yet/);
    assert.match(await pane(page).textContent(), new RegExp(lesson.next.slice(0, 30).replace(/[`*.()$]/g, ".")));
    if (i === 4) await page.screenshot({ path: shotPath("lessons-passed") });
    await press(page, "Next lesson");
  }
  await shows(page, order[5]);

  // Work typed in a lesson is kept when leaving it and coming back.
  const typed = '{"StartAt":"Mine","States":{"Mine":{"Type":"Pass","End":true}}}';
  await setEditor(page, DEF, typed);
  await page.waitForFunction(
    (id) => JSON.parse(localStorage.getItem(`aslplay.lesson.${id}`) ?? "{}").definition?.includes("Mine"),
    order[5],
  );

  await page.reload();
  await page.waitForFunction(() => document.body.dataset.engineVersion);
  await shows(page, order[5]);
  assert.equal(await editorText(page, DEF), typed, "the lesson's work survives the reload");
  await pane(page).locator("summary").click();
  const nav = page.getByRole("navigation", { name: "Lessons" });
  assert.equal(await nav.getByRole("link").count(), order.length);
  for (const [i, id] of order.slice(0, 7).entries()) {
    const link = nav.getByRole("link", { name: new RegExp(`^${lessonFile(id).title.replace(/[()$.*+?]/g, "\\$&")}`) });
    const name = await link.evaluate((a) => a.textContent);
    if (i < 5) assert.match(name, /\(passed\)$/, `${id} is marked passed`);
    else assert.doesNotMatch(name, /passed/, `${id} is not marked passed`);
  }
  assert.match(await pane(page).locator("summary").textContent(), /5 of \d+ passed/);
  await page.screenshot({ path: shotPath("lessons-nav") });

  // Back to an earlier lesson through the navigation: the solution that passed is there.
  await nav.getByRole("link", { name: new RegExp(`^${lessonFile(order[1]).title}`) }).click();
  await shows(page, order[1]);
  assert.equal(await editorText(page, DEF), JSON.stringify(lessonFile(order[1]).solution.definition, null, 2));
  assert.match(await verdict(page).textContent(), /passed this lesson before/);

  // Leaving the tour brings the sandbox's work back, untouched.
  await press(page, "Leave the tour");
  assert.equal(await pane(page).count(), 0);
  assert.equal(await editorText(page, DEF), mine);
  assert.equal(new URL(page.url()).hash, "");
  assert.equal(await page.evaluate(() => localStorage.getItem("aslplay.definition")), mine);
  // The Learn link resumes where the learner was.
  await page.getByRole("link", { name: "Learn" }).click();
  await shows(page, order[1]);
  assert.deepEqual(h.errors, []);
  assert.deepEqual(h.outside, []);
});

test("Try it runs the learner's machine on a failed check's input, visibly", async () => {
  const { page } = await h.open({ query: "#lesson=choice-and-default" });
  await shows(page, "choice-and-default");
  assert.match(await check(page), /^Not yet: /);
  await pane(page)
    .getByRole("button", { name: /Try it: .*exactly 100/ })
    .click();
  await page.waitForFunction(() => document.getElementById("status").textContent === "FAILED");
  assert.match(await editorText(page, INPUT), /"total": 100/);
  const types = (await page.evaluate(() => globalThis.__aslplay.events())).map((e) => e.type);
  assert.equal(types.at(-1), "ExecutionFailed");
  await page.screenshot({ path: shotPath("lessons-try-it") });

  // A check with mocks of its own: Try it puts them in the mock editor, with its test case chosen.
  await page.goto(`${h.origin}/#lesson=task-mocked-lambda`);
  await shows(page, "task-mocked-lambda");
  assert.match(await check(page), /^Not yet: /);
  await pane(page)
    .getByRole("button", { name: /Try it: .*another order/ })
    .click();
  await page.waitForFunction(() => document.getElementById("status").textContent === "SUCCEEDED");
  assert.equal(await page.locator("#testcase option:checked").textContent(), "Discount");
  assert.match(await editorText(page, MOCK), /"discounted": true/);
  const scheduled = (await page.evaluate(() => globalThis.__aslplay.events())).find((e) => e.type === "TaskSucceeded");
  assert.match(scheduled.taskSucceededEventDetails.output, /"discounted":true/);
  assert.deepEqual(h.errors, []);
});

test("the TestState lesson checks with TestState, loaded on demand", async () => {
  const id = order.find((x) => lessonFile(x).checks.some((c) => c.testState));
  assert.ok(id, "a lesson has TestState checks");
  const { page } = await h.open({ query: `#lesson=${id}` });
  await shows(page, id);
  const requests = [];
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));
  assert.match(await check(page), /^Not yet: .*TestState/s);
  assert.ok(requests.includes("/aslplay_tools_bg.wasm"), "the tools module is fetched for TestState");
  await press(page, "Show solution");
  assert.match(await check(page), /^Passed: /);
  assert.deepEqual(h.errors, []);
});

test("an unknown lesson says so and lists the lessons; the page still works", async () => {
  const { page } = await h.open({ query: "#lesson=no-such-lesson" });
  await pane(page).getByRole("heading", { name: "Lesson not found" }).waitFor();
  assert.match(await pane(page).textContent(), /There is no lesson “no-such-lesson”/);
  assert.equal(await page.getByRole("navigation", { name: "Lessons" }).getByRole("link").count(), order.length);
  assert.ok(await pane(page).getByRole("button", { name: "Check" }).isDisabled());
  await page.getByRole("navigation", { name: "Lessons" }).getByRole("link").first().click();
  await shows(page, order[0]);
});

test("the lesson pane meets WCAG 2.1 AA in both themes (axe-core: contrast of its text and marks, names, roles)", async () => {
  for (const colorScheme of ["light", "dark"]) {
    const { page } = await h.open({ query: "#lesson=choice-and-default", colorScheme });
    await shows(page, "choice-and-default");
    await check(page);
    await press(page, "Hint");
    await pane(page).locator("summary").click();
    await press(page, "Show solution");
    await check(page);
    await page.screenshot({ path: shotPath(`lessons-${colorScheme}`) });
    // Every WCAG 2.1 A and AA rule (contrast of the text and marks among them), on the whole page.
    await expectNoA11yViolations(page, `the lesson pane, verdict, hint and lessons list (${colorScheme})`);
    // Keyboard focus is visible on the pane's controls.
    await pane(page).getByRole("button", { name: "Check" }).focus();
    await page.keyboard.press("Tab");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, "none", "the focused control shows an outline");
  }
});

test("a lesson embedded in another origin's page: goal, Check and verdict", async () => {
  const dir = mkdtempSync(join(tmpdir(), "aslplay-docs-"));
  const src = `${h.origin}/embed.html#lesson=choice-and-default`;
  writeFileSync(
    join(dir, "index.html"),
    `<!doctype html><title>Docs</title><h1>Choice</h1><iframe src="${src}" title="aslplay lesson" style="width:100%;height:900px;border:0"></iframe>`,
  );
  const docs = await serve(dir, 0);
  try {
    const docsOrigin = `http://127.0.0.1:${docs.address().port}`;
    assert.notEqual(docsOrigin, h.origin);
    h.allow(docsOrigin);
    const context = await h.browser.newContext({ viewport: { width: 1100, height: 1000 } });
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(docsOrigin) || url.startsWith(h.origin)) return route.continue();
      h.outside.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    page.on("pageerror", (e) => h.errors.push(String(e)));
    await page.goto(`${docsOrigin}/index.html`);
    const frame = page.frameLocator("iframe");
    const lesson = lessonFile("choice-and-default");
    const region = frame.getByRole("region", { name: "Lesson" });
    await region.getByRole("heading", { name: lesson.title }).waitFor();
    assert.match(await region.textContent(), /Goal/);
    await frame.locator('.node[data-name="Check total"]').waitFor();
    await frame.locator("body[data-engine-version]").waitFor();
    const status = region.getByRole("status");
    await region.getByRole("button", { name: "Check" }).click();
    await frame.locator('[aria-label="Lesson"] [role="status"][data-passed]').waitFor();
    assert.match(await status.textContent(), /^Not yet: .*exactly 100/);
    await region.getByRole("button", { name: "Hint" }).click();
    assert.equal(await region.getByRole("list", { name: "Hints" }).getByRole("listitem").count(), 1);
    await page.screenshot({ path: shotPath("lessons-embed"), fullPage: true });

    // The learner edits the embed's definition (editable in a lesson) and passes.
    const editor = frame.getByLabel(DEF, { exact: true });
    assert.equal(await editor.getAttribute("contenteditable"), "true");
    await editor.focus();
    await page.keyboard.press("Control+A");
    await editor.evaluate(
      (el, text) => {
        const data = new DataTransfer();
        data.setData("text/plain", text);
        el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
      },
      JSON.stringify(lesson.solution.definition, null, 2),
    );
    await region.getByRole("button", { name: "Check" }).click();
    await frame.locator('[aria-label="Lesson"] [role="status"][data-passed="true"]').waitFor();
    assert.match(await status.textContent(), /^Passed: /);
    const tour = await region.getByRole("link", { name: /Open in the tour/ }).getAttribute("href");
    assert.equal(tour, `${h.origin}/index.html#lesson=choice-and-default`);
    await page.screenshot({ path: shotPath("lessons-embed-passed"), fullPage: true });
    await context.close();
  } finally {
    await new Promise((ok) => docs.close(ok));
  }
  assert.deepEqual(h.outside, []);
  assert.deepEqual(h.errors, []);
});

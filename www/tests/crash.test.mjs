// An engine crash (a WebAssembly trap, provoked through the page's test hook) shows what
// happened and what to report: a link to the state that crashed, which opens that state in a
// fresh browser; a new engine starts, the editors keep their text and the next Run works.
// Run: make build && cd www && node --test --test-concurrency=1 tests/crash.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, setEditor, editorText, finalStatus, run, shotPath, DEF, INPUT } from "./harness.mjs";

let h;
before(async () => {
  h = await start();
});
after(async () => {
  await h?.close();
});

const MACHINE = JSON.stringify(
  { StartAt: "Hello", States: { Hello: { Type: "Pass", Result: { crashed: false }, End: true } } },
  null,
  2,
);

test("a crash says what to report with a link to the state, and the next Run works", async () => {
  const { page, context } = await h.open();
  await setEditor(page, DEF, MACHINE);
  await setEditor(page, INPUT, '{"who": "crash test"}');
  await page.waitForTimeout(400);
  const version = await page.evaluate(() => document.body.dataset.engineVersion);

  await page.evaluate(() => globalThis.__aslplay.crash());
  const alert = page.getByRole("alert").filter({ hasText: "The engine crashed" });
  await alert.waitFor();
  const text = await alert.textContent();
  assert.match(text, /The engine crashed \(RuntimeError: unreachable\)/);
  assert.match(text, /a bug in aslplay, not in your state machine/);
  assert.match(text, /A new engine has started and your text is kept/);
  assert.ok(text.includes(`engine version (${version})`), text);
  const link = await alert.getByRole("link", { name: "link to this state" }).getAttribute("href");
  assert.match(link, /#s=1\.[A-Za-z0-9_-]+$/);
  // Copy report: copied, or (if the browser refuses the clipboard) selected in a text box.
  await alert.getByRole("button", { name: "Copy report" }).click();
  await page.waitForFunction(() =>
    /Copied|Copy the selected text/.test(document.getElementById("message").textContent),
  );
  const box = alert.getByRole("textbox", { name: "Crash report" });
  if (await box.count())
    assert.equal(
      await box.inputValue(),
      `aslplay ${version} crashed (RuntimeError: unreachable) on this state: ${link}`,
    );
  await page.screenshot({ path: shotPath("crash-report") });

  // The text is kept, and a fresh engine runs the machine.
  assert.equal(await editorText(page, DEF), MACHINE);
  assert.equal(await editorText(page, INPUT), '{"who": "crash test"}');
  await page.waitForFunction(() => document.body.dataset.engineVersion);
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  const events = await page.evaluate(() => globalThis.__aslplay.events());
  assert.equal(events.at(-1).type, "ExecutionSucceeded");

  // The reported link reproduces the state in a fresh browser.
  const other = await h.browser.newContext({ viewport: { width: 1440, height: 900 } });
  const fresh = await other.newPage();
  await fresh.goto(link);
  await fresh.waitForFunction(() => document.body.dataset.engineVersion);
  assert.equal(await editorText(fresh, DEF), MACHINE);
  assert.equal(await editorText(fresh, INPUT), '{"who": "crash test"}');
  await other.close();
  await context.close();
  assert.deepEqual(h.outside, []);
});

test("a crash in the middle of a run ends that run and leaves the page usable", async () => {
  const { page, context } = await h.open();
  const waiting = JSON.stringify({
    StartAt: "Wait",
    States: { Wait: { Type: "Wait", Seconds: 5, Next: "Done" }, Done: { Type: "Succeed" } },
  });
  await setEditor(page, DEF, waiting);
  await page.selectOption("#speed", { index: 3 }); // animated: the run is still going when it crashes
  await run(page);
  await page.waitForFunction(() => globalThis.__aslplay.events().length > 0);
  await page.evaluate(() => globalThis.__aslplay.crash());
  await page.getByRole("alert").filter({ hasText: "The engine crashed" }).waitFor();
  assert.notEqual(await page.locator('[role="status"]').textContent(), "RUNNING");
  await page.selectOption("#speed", { index: 0 });
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  await context.close();
});

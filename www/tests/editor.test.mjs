// Browser tests of the editor's language service (issue 12) against the real service (the
// language wasm module in the worker): completions as you type and on Ctrl+Space, picking an
// option, snippets with tab stops, hover docs, signature help, quick fixes; and the value-path
// panel (execution input, the inspector's stages, the execution output; Copy and Insert).
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
  expectNoA11yViolations,
  stateNode,
} from "./harness.mjs";

let h;
before(async () => {
  h = await start();
});
after(async () => {
  await h?.close();
});

const json = (v) => JSON.stringify(v, null, 2);

/** A machine to write in: a Task, a Wait and a Pass, each on its own lines. */
const MACHINE = {
  Comment: "Orders",
  StartAt: "Validate",
  States: {
    Validate: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Comment: "task here",
      End: true,
    },
    Pause: { Type: "Wait", Comment: "wait here", Seconds: 5, Next: "ProcessOrder" },
    ProcessOrder: { Type: "Pass", Comment: "pass here", End: true },
  },
};

/** The definition editor's content element. */
const defContent = (page) => page.getByLabel(DEF, { exact: true });

/** Puts the cursor at the end of the definition's line holding `text` (clicks it, then End). */
async function cursorAtEndOf(page, text) {
  await defContent(page).locator(".cm-line", { hasText: text }).first().click();
  await page.keyboard.press("End");
}

/** Starts a new line after the one holding `text`. */
async function newLineAfter(page, text) {
  await cursorAtEndOf(page, text);
  await page.keyboard.press("Enter");
}

/** The completion list's option labels once it shows (CodeMirror's listbox). */
async function optionLabels(page) {
  const list = page.getByRole("listbox");
  await list.waitFor({ timeout: 3000 });
  return list
    .getByRole("option")
    .evaluateAll((os) => os.map((o) => o.querySelector(".cm-completionLabel")?.textContent ?? o.textContent));
}

/** A page with MACHINE in the definition editor, the language service loaded. */
async function openWithMachine() {
  const { page, context } = await h.open();
  await setEditor(page, DEF, json(MACHINE));
  // The language extensions load once the page is interactive: wait for the first answer.
  await page.waitForTimeout(200);
  return { page, context };
}

test("typing a Next value lists the state names; picking one writes it", async () => {
  const { page, context } = await openWithMachine();
  await newLineAfter(page, '"Comment": "pass here"');
  // The Pass state already ends; its Next is asked for anyway, so names are offered.
  await page.keyboard.type('"Next": "');
  const labels = await optionLabels(page);
  assert.ok(labels.includes("Validate"), labels.join());
  assert.ok(labels.includes("Pause"), labels.join());
  await page.screenshot({ path: shotPath("editor-completion-next") });
  await page.getByRole("option", { name: /Validate/ }).click();
  assert.match(await editorText(page, DEF), /"Next": "Validate"/);
  await context.close();
});

test("Enter after typing an opening brace starts a new line: no suggestion is taken unasked", async () => {
  const { page, context } = await openWithMachine();
  // A new state typed before ProcessOrder, as a beginner types it.
  await defContent(page).locator(".cm-line", { hasText: '"ProcessOrder": {' }).first().click();
  await page.keyboard.press("Home");
  await page.keyboard.type('"Extra": {');
  await page.waitForTimeout(400); // longer than the list takes to open while typing
  assert.equal(await page.getByRole("listbox").count(), 0, "no list opens after {");
  await page.keyboard.press("Enter");
  await page.keyboard.type("},");
  await page.keyboard.press("Enter");
  assert.match(await editorText(page, DEF), /"Extra": \{\n\s*\},\n/);
  // Typing a quote still opens it: the fields a state can have.
  await cursorAtEndOf(page, '"Extra": {');
  await page.keyboard.press("Enter");
  await page.keyboard.type('"');
  assert.ok((await optionLabels(page)).includes("Type"));
  await context.close();
});

test("Ctrl+Space lists the fields of the state's type: a Task's never include Seconds, a Wait's never Resource", async () => {
  const { page, context } = await openWithMachine();
  await newLineAfter(page, '"Comment": "task here"');
  await page.keyboard.type('"');
  await page.keyboard.press("Escape");
  await page.keyboard.press("Control+Space");
  let labels = await optionLabels(page);
  for (const field of ["Retry", "Catch", "TimeoutSeconds", "ResultPath"]) assert.ok(labels.includes(field), field);
  assert.ok(!labels.includes("Seconds"), labels.join());
  await page.screenshot({ path: shotPath("editor-completion-task") });
  await page.keyboard.press("Escape");

  await newLineAfter(page, '"Comment": "wait here"');
  await page.keyboard.type('"');
  await page.keyboard.press("Control+Space");
  labels = await optionLabels(page);
  assert.ok(labels.includes("Timestamp"), labels.join());
  assert.ok(!labels.includes("Resource"), labels.join());
  assert.ok(!labels.includes("Retry"), labels.join());
  // Picking a field writes the key; the list then offers what its value can be.
  await page.keyboard.type("SecondsP");
  await page.getByRole("option", { name: /SecondsPath/ }).click();
  assert.match(await editorText(page, DEF), /"SecondsPath"/);
  await context.close();
});

test("a state snippet: picked from the list, Tab moves through its fields", async () => {
  const { page, context } = await openWithMachine();
  await newLineAfter(page, '"States": {');
  await page.keyboard.press("Control+Space");
  const labels = await optionLabels(page);
  for (const s of ["Task state", "Task with Retry and Catch", "Parallel with two branches", "Wait state"])
    assert.ok(labels.includes(s), `${s} in ${labels.join()}`);
  await page.keyboard.type("Task"); // filters the list
  await page
    .getByRole("option", { name: /^Task state/ })
    .first()
    .click();
  // The first field (the state's name) is selected: typing replaces it; Tab goes to the next.
  await page.keyboard.type("Charge");
  await page.keyboard.press("Tab");
  await page.keyboard.type("chargeCard");
  await page.screenshot({ path: shotPath("editor-snippet") });
  const text = await editorText(page, DEF);
  assert.match(text, /"Charge": \{\n\s*"Type": "Task",/);
  assert.match(text, /"FunctionName": "chargeCard"/);
  // What the snippet wrote is a definition the engine reads.
  const parsed = JSON.parse(text);
  assert.equal(parsed.States.Charge.Resource, "arn:aws:states:::lambda:invoke");
  await context.close();
});

test("hovering ResultPath shows its documentation within a second", async () => {
  const { page, context } = await h.open();
  await setEditor(
    page,
    DEF,
    json({ StartAt: "A", States: { A: { Type: "Pass", Result: 1, ResultPath: "$.r", End: true } } }),
  );
  const t0 = Date.now();
  await defContent(page).getByText('"ResultPath"').hover();
  const tip = page.locator(".cm-tooltip-hover");
  await tip.waitFor({ timeout: 1000 });
  assert.ok(Date.now() - t0 < 1000);
  assert.match(await tip.textContent(), /ResultPath/);
  assert.ok((await tip.locator(".asl-doc-text").textContent()).length > 40, "a few sentences");
  const link = tip.getByRole("link", { name: "AWS documentation" });
  assert.match(await link.getAttribute("href"), /^https:\/\/docs\.aws\.amazon\.com\//);
  assert.equal(await link.getAttribute("target"), "_blank");
  await page.screenshot({ path: shotPath("editor-hover") });
  await context.close();
});

test("inside States.Format( the signature shows, the parameter being typed emphasized", async () => {
  const { page, context } = await openWithMachine();
  await newLineAfter(page, '"Comment": "pass here"');
  await page.keyboard.type('"Parameters": {"greeting.$": "States.Format(');
  const help = page.locator(".asl-signature");
  await help.waitFor({ timeout: 2000 });
  assert.match(await help.textContent(), /States\.Format\(/);
  const first = await help.locator(".asl-signature-active").textContent();
  await page.keyboard.type("'Hello {}', ");
  await page.waitForFunction((was) => document.querySelector(".asl-signature-active")?.textContent !== was, first);
  assert.notEqual(await help.locator(".asl-signature-active").textContent(), first);
  await page.screenshot({ path: shotPath("editor-signature") });
  await page.keyboard.type("$.name)");
  await page.waitForSelector(".asl-signature", { state: "detached" });
  await context.close();
});

test("a picked function comes with its parentheses, and typing the closing one steps over it", async () => {
  const { page, context } = await openWithMachine();
  await newLineAfter(page, '"Comment": "pass here"');
  await page.keyboard.type('"Parameters": {"greeting.$": "States.Form');
  await page.getByRole("option", { name: /States\.Format/ }).click();
  await page.keyboard.type("'Hi {}', $.name)");
  const text = await editorText(page, DEF);
  assert.match(text, /"States\.Format\('Hi \{\}', \$\.name\)\n/, text);
  // Where one is missing, ) is inserted: f(g(|) becomes f(g()|).
  await newLineAfter(page, '"Comment": "task here"');
  await page.keyboard.type('"Note": "f(g()"');
  await page.keyboard.press("Escape");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.type(")");
  assert.match(await editorText(page, DEF), /"Note": "f\(g\(\)\)"/);
  await context.close();
});

test("a quick fix for a misspelled state name applies, and the diagnostic goes", async () => {
  const { page, context } = await h.open();
  const machine = structuredClone(MACHINE);
  machine.States.Pause.Next = "ProcesOrder";
  machine.States.Validate.End = undefined;
  machine.States.Validate.Next = "Pause";
  await setEditor(page, DEF, json(machine));
  const problems = page.getByRole("list", { name: "Problems" });
  await problems
    .getByText(/ProcesOrder/)
    .first()
    .waitFor();
  // The diagnostic underlines where its JSON pointer is (the "Next" key): hover it.
  await defContent(page).locator(".cm-line", { hasText: "ProcesOrder" }).locator(".cm-lintRange-error").first().hover();
  const fix = page.getByRole("button", { name: 'Change to "ProcessOrder"' });
  await fix.waitFor({ timeout: 3000 });
  await page.screenshot({ path: shotPath("editor-quickfix") });
  await fix.click();
  assert.match(await editorText(page, DEF), /"Next": "ProcessOrder"/);
  await page.waitForFunction(() => document.getElementById("problems").dataset.empty === "true");
  await context.close();
});

test("the mock configuration editor completes its keys and the definition's Task state names", async () => {
  const { page, context } = await openWithMachine();
  await setEditor(
    page,
    MOCK,
    '{\n  "StateMachines": {"Orders": {"TestCases": {"HappyPath": {\n  }}}},\n  "MockedResponses": {"Ok": {\n  }}\n}',
  );
  const mock = page.getByLabel(MOCK, { exact: true });
  const newKeyAfter = async (text) => {
    await mock.locator(".cm-line", { hasText: text }).first().click();
    await page.keyboard.press("End");
    await page.keyboard.type('\n"');
    await page.keyboard.press("Control+Space");
  };
  // A test case maps the definition's Task states (only those) to responses.
  await newKeyAfter('"HappyPath": {');
  assert.deepEqual(await optionLabels(page), ["Validate"]);
  await page.keyboard.press("Escape");
  // A mocked response is keyed by call numbers.
  await newKeyAfter('"Ok": {');
  assert.ok((await optionLabels(page)).includes("0"));
  await page.keyboard.press("Escape");
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Backspace");
  // At the top: the MockConfigFile's keys not written yet.
  await newKeyAfter("{");
  const top = await optionLabels(page);
  assert.ok(top.includes("S3Objects") && !top.includes("StateMachines"), top.join());
  await context.close();
});

test("the completion list with its documentation, and the hover docs, meet WCAG 2.1 AA in light and dark themes", async () => {
  for (const colorScheme of ["light", "dark"]) {
    const { page, context } = await h.open({ colorScheme });
    await setEditor(page, DEF, json(MACHINE));
    await newLineAfter(page, '"Comment": "task here"');
    await page.keyboard.type('"');
    await page.keyboard.press("Control+Space");
    await optionLabels(page);
    await page.locator(".cm-completionInfo").waitFor();
    await page.screenshot({ path: shotPath(`editor-completion-${colorScheme}`) });
    // axe-core's WCAG 2.1 A and AA rules: the contrast of the labels, details and docs among them.
    await expectNoA11yViolations(page, `the completion list and its documentation (${colorScheme})`);
    await page.keyboard.press("Escape");
    await defContent(page).getByText('"Resource"').hover();
    await page.locator(".cm-tooltip-hover").waitFor();
    await expectNoA11yViolations(page, `the hover docs (${colorScheme})`);
    await page.screenshot({ path: shotPath(`editor-hover-${colorScheme}`) });
    await context.close();
  }
});

// ---- the value path ---------------------------------------------------------------------

const INPUT_VALUE = { order: { total: 42.5, "gift note": "hi", lines: [{ sku: "A-1" }, { sku: "B-2" }] } };
const RUN_MACHINE = {
  StartAt: "Price",
  States: {
    Price: {
      Type: "Pass",
      Parameters: { "sum.$": "$.order.total", "skus.$": "$.order.lines[*].sku" },
      ResultPath: "$.priced",
      End: true,
    },
  },
};

test("clicking a value in the execution input shows its JSONPath and JSONata; Copy and Insert", async () => {
  const { page, context } = await h.open();
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await setEditor(page, DEF, json(RUN_MACHINE));
  await setEditor(page, INPUT, json(INPUT_VALUE));
  const region = page.getByRole("region", { name: "Value path" });
  await page.getByLabel(INPUT, { exact: true }).getByText("42.5").click();
  await region.getByText("$.order.total", { exact: true }).waitFor();
  const text = () => region.textContent();
  assert.match(await text(), /\$\.order\.total/);
  assert.match(await text(), /\$states\.input\.order\.total/);
  assert.match(await text(), /\$\$\.Execution\.Input\.order\.total/);
  await page.screenshot({ path: shotPath("editor-value-path-input") });

  // Odd keys and indexes.
  await page.getByLabel(INPUT, { exact: true }).getByText('"B-2"').click();
  await region.getByText("$.order.lines[1].sku", { exact: true }).waitFor();
  await page.getByLabel(INPUT, { exact: true }).getByText('"hi"').click();
  await region.getByText("$.order['gift note']", { exact: true }).waitFor();
  await region.getByText("$states.input.order.`gift note`", { exact: true }).waitFor();

  // Copy puts the chosen form on the clipboard.
  await region.getByRole("button", { name: "Copy" }).click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), "$.order['gift note']");
  await region.getByRole("radio", { name: /JSONata.*first state/ }).check();
  await region.getByRole("button", { name: "Copy" }).click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), "$states.input.order.`gift note`");

  // The keyboard moves the cursor into another value: the panel follows.
  await page.getByLabel(INPUT, { exact: true }).getByText("42.5").click();
  await region.getByText("$states.input.order.total", { exact: true }).waitFor();
  await page.keyboard.press("ArrowDown"); // onto the next line's key: its value
  await region.getByText("$states.input.order.`gift note`", { exact: true }).waitFor();

  // The keyboard reaches the panel: Escape, then Tab leaves the editor for its buttons.
  await page.keyboard.press("Escape");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Copy");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), "$states.input.order.`gift note`");
  await region.getByText("Copied").waitFor();

  // Insert: inside a string, the path as its content; elsewhere, a JSON string.
  await defContent(page).getByText('"$.order.total"').click();
  await page.keyboard.press("End");
  await page.keyboard.press("Enter");
  await page.getByLabel(INPUT, { exact: true }).getByText('"A-1"').click();
  await region.getByRole("radio", { name: /^JSONPath.*first state/ }).check();
  await region.getByRole("button", { name: "Insert" }).click();
  assert.match(await editorText(page, DEF), /"\$\.order\.total",\n\s*"\$\.order\.lines\[0\]\.sku"/);
  await context.close();
});

test("clicking a value of a step's data or of the execution output shows its path there", async () => {
  const { page, context } = await h.open();
  await setEditor(page, DEF, json(RUN_MACHINE));
  await setEditor(page, INPUT, json(INPUT_VALUE));
  await run(page);
  assert.equal(await finalStatus(page), "SUCCEEDED");
  const inspector = page.getByRole("region", { name: "Inspector", exact: true });
  const region = inspector.getByRole("region", { name: "Value path" });
  // The execution's output (no step selected).
  const output = inspector.locator(".stage", { has: page.getByRole("heading", { name: "Output" }) }).locator("pre");
  await output.getByText('"B-2"').first().waitFor();
  await clickText(output, '"B-2"', true);
  await region.waitFor();
  assert.match(await region.textContent(), /\$\.Output\.priced\.skus\[1\]/);
  assert.match(await region.textContent(), /\$states\.result\.Output\.priced\.skus\[1\]/);

  // A step's result and output.
  await stateNode(page, "Price").click();
  await inspector.getByRole("heading", { name: "After ResultPath" }).waitFor();
  const stage = (name) =>
    inspector.locator(".stage", { has: page.getByRole("heading", { name, exact: true }) }).locator("pre");
  await clickText(stage("Input"), "42.5");
  await region.getByText("$.order.total", { exact: true }).waitFor();
  assert.match(await region.textContent(), /this state's InputPath/);
  await page.screenshot({ path: shotPath("editor-value-path-inspector") });
  await context.close();
});

/** Clicks the middle of the first (or `last`) occurrence of `text` in a `pre`, scrolled into view. */
async function clickText(pre, text, last = false) {
  const box = await pre.evaluate(
    (el, [text, last]) => {
      const node = el.firstChild;
      const at = last ? node.textContent.lastIndexOf(text) : node.textContent.indexOf(text);
      const r = document.createRange();
      r.setStart(node, at + 1);
      r.setEnd(node, at + text.length - 1);
      el.scrollIntoView({ block: "center" });
      el.scrollTop += r.getBoundingClientRect().top - el.getBoundingClientRect().top - el.clientHeight / 2;
      const b = r.getBoundingClientRect();
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    },
    [text, last],
  );
  await pre.page().mouse.click(box.x, box.y);
}

// Share links and embeds in a real browser: a link restores the whole state in a fresh
// browser (editors, test case, options, selected step, identical history); damaged and
// hostile links leave a working page with a clear message and run nothing; an over-long
// link is refused with its size; opening a link keeps the user's stored work; the demo docs
// page, served from another origin, runs its three embeds and they resize.
// Run: make wasm && cd www && node build.mjs && node --test --test-concurrency=1 tests/share.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { start, setEditor, editorText, finalStatus, shotPath, DEF, INPUT, MOCK, linkPayload } from "./harness.mjs";
import { serve } from "../serve.mjs";

const repo = join(fileURLToPath(new URL(".", import.meta.url)), "..", "..");

let h;
before(async () => {
  h = await start();
});
after(async () => {
  await h?.close();
});

/** A link payload made independently of the page's encoder (node's zlib), as a cross-check. */
const payload = linkPayload;

/** Opens the Share panel and waits for its link (or its refusal). */
async function shareLink(page) {
  if (!(await page.locator("#share-box").evaluate((d) => d.open))) await page.locator("#share-box summary").click();
  await page.waitForFunction(() => document.getElementById("share-note").textContent !== "");
  return page.inputValue("#share-link");
}

const bannerText = (page) => page.locator("#banner-text").textContent();
const stored = (page, key) => page.evaluate((k) => localStorage.getItem(`aslplay.${k}`), key);

test("a share link restores the state in a fresh browser, with an identical history after Run", async () => {
  const { page } = await h.open();
  await page.selectOption("#examples", "retry-catch");
  await page.selectOption("#testcase", { label: "Paid" });
  await page.locator("#options-box summary").click();
  await page.fill("#opt-seed", "4242");
  await page.fill("#opt-start", "2024-02-29T12:30:00Z");
  await page.locator("#options-box summary").click();
  await page.click("#run");
  assert.equal(await finalStatus(page), "SUCCEEDED");
  const original = await page.evaluate(() => globalThis.__aslplay.events());
  assert.equal(original[0].timestamp, "2024-02-29T12:30:00.000000+00:00", "the start time reaches the engine");
  await page.locator('.node[data-name="Charge card"]').click();

  const link = await shareLink(page);
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/#s=1\.[A-Za-z0-9_-]+$/);
  assert.match(await page.locator("#share-note").textContent(), /of 8,000 characters/);
  assert.match(await page.inputValue("#share-embed"), /<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\.html#s=1\./);
  await page.check("#share-step");
  await page.waitForFunction((l) => document.getElementById("share-link").value !== l, link);
  const withStep = await page.inputValue("#share-link");
  await page.screenshot({ path: shotPath("share-panel") });

  // A fresh context: nothing stored, nothing shared but the link.
  const { page: fresh } = await h.open({ query: link.slice(link.indexOf("#")) });
  await fresh.waitForFunction((d) => globalThis.__aslplay.text(d)?.includes("Charge card"), DEF);
  for (const label of [DEF, INPUT, MOCK])
    assert.equal(await editorText(fresh, label), await editorText(page, label), label);
  assert.equal(await fresh.inputValue("#opt-seed"), "4242");
  assert.equal(await fresh.inputValue("#opt-start"), "2024-02-29T12:30:00Z");
  assert.equal(await fresh.locator("#testcase option:checked").textContent(), "Paid");
  assert.equal(await fresh.locator("#status").textContent(), "Not started");
  await fresh.click("#run");
  assert.equal(await finalStatus(fresh), "SUCCEEDED");
  assert.deepEqual(await fresh.evaluate(() => globalThis.__aslplay.events()), original);
  await fresh.screenshot({ path: shotPath("share-opened") });

  // With the selected step: the execution runs on opening and the inspector shows that step.
  const { page: stepped } = await h.open({ query: withStep.slice(withStep.indexOf("#")) });
  assert.equal(await finalStatus(stepped), "SUCCEEDED");
  await stepped.waitForFunction(() => document.querySelector("#inspector h2")?.textContent === "Charge card");
  assert.deepEqual(await stepped.evaluate(() => globalThis.__aslplay.events()), original);
  assert.deepEqual(h.errors, []);
});

test("opening a link keeps the stored work: restore before or after editing", async () => {
  const { page } = await h.open();
  const mine = '{"Comment":"my own work","StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}';
  await setEditor(page, DEF, mine);
  await page.waitForFunction((m) => localStorage.getItem("aslplay.definition") === m, mine);
  const shared = {
    definition: '{"Comment":"shared","StartAt":"B","States":{"B":{"Type":"Succeed"}}}',
    input: "{}",
    mock: "",
    testCase: null,
    seed: 7,
    startTime: "",
  };

  await page.goto(`${h.origin}/#s=${payload(shared)}`);
  await page.waitForFunction((d) => globalThis.__aslplay.text(d)?.includes("shared"), DEF);
  await page.waitForTimeout(400); // longer than the page's 250 ms storage debounce
  assert.equal(await stored(page, "definition"), mine, "the link does not overwrite the stored work");
  assert.match(await bannerText(page), /shared link/);
  await page.click("#restore-work");
  assert.equal(await editorText(page, DEF), mine);
  assert.equal(new URL(page.url()).hash, "", "the link leaves the address bar");

  // After an edit, the edited link becomes the work and the old work is kept as "previous".
  await page.goto(`${h.origin}/#s=${payload(shared)}`);
  await page.waitForFunction((d) => globalThis.__aslplay.text(d)?.includes("shared"), DEF);
  await setEditor(page, INPUT, '{"edited": true}');
  await page.waitForFunction(() => localStorage.getItem("aslplay.input") === '{"edited": true}');
  assert.match(await stored(page, "definition"), /shared/);
  assert.equal(JSON.parse(await stored(page, "previous")).definition, mine);
  await page.click("#restore-work");
  assert.equal(await editorText(page, DEF), mine);
  assert.equal(await stored(page, "definition"), mine);
  assert.deepEqual(h.errors, []);
});

test("damaged and hostile links: a clear message, an empty working page, no script run", async () => {
  const hostileName = '<img src=x onerror="window.__pwned=1">';
  const hostile = {
    definition: JSON.stringify({
      Comment: "<script>window.__pwned=2</script>",
      StartAt: hostileName,
      States: { [hostileName]: { Type: "Pass", Result: "<b>bold</b>", End: true } },
    }),
    input: '{"x":"<svg onload=window.__pwned=3>"}',
    mock: "",
    testCase: null,
    seed: 1,
    startTime: "",
  };
  const bad = [
    ["garbage base64", "1.@@not*base64!!", /not base64url/],
    ["a cut link", payload(hostile).slice(0, 40), /damaged/],
    ["a newer format", payload(hostile, 99), /format 99, newer than this page reads \(2\)/],
    ["no format", "hello", /no format number/],
    ["wrong field types", payload({ definition: { States: 1 }, seed: -1 }), /"definition" is not text/],
    ["an out-of-range seed", payload({ ...hostile, seed: 2 ** 40 }), /"seed" is not a whole number/],
    ["not an object", payload(["definition"]), /not a playground state/],
    [
      "a deflate bomb",
      `1.${deflateRawSync(Buffer.alloc(20_000_000, 32)).toString("base64url")}`,
      /expands to more than 16 MB/,
    ],
  ];
  for (const [what, data, why] of bad) {
    const { page, context } = await h.open({ query: `#s=${data}` });
    await page.waitForFunction(() => !document.getElementById("share-banner").hidden);
    assert.equal(await page.locator("#share-banner").getAttribute("data-kind"), "error", what);
    assert.match(await bannerText(page), /This link could not be opened/, what);
    assert.match(await bannerText(page), why, what);
    assert.equal(await editorText(page, DEF), "", `${what}: the page is empty`);
    if (what === "garbage base64") await page.screenshot({ path: shotPath("share-bad-link") });
    // ...and it works: type a definition and run it.
    await setEditor(page, DEF, '{"StartAt":"Go","States":{"Go":{"Type":"Pass","End":true}}}');
    await page.click("#run");
    assert.equal(await finalStatus(page), "SUCCEEDED", what);
    await context.close();
  }

  // Valid data full of HTML: shown as text, never as markup.
  const { page } = await h.open({ query: `#s=${payload(hostile)}` });
  await page.waitForFunction(() => globalThis.__aslplay.text("State machine definition").includes("onerror"));
  await page.click("#run");
  assert.equal(await finalStatus(page), "SUCCEEDED");
  await page.locator(".node").first().click();
  assert.equal(await page.locator("#inspector h2").textContent(), hostileName);
  assert.equal(await page.evaluate(() => globalThis.__pwned), undefined);
  assert.equal(await page.locator('img[src="x"], #inspector b, svg[onload]').count(), 0);
  assert.deepEqual(h.errors, []);
});

test("an over-long link is refused with its size", async () => {
  const { page } = await h.open();
  // Random text does not compress: about 12,000 characters of link.
  const noise = randomBytes(9000).toString("base64");
  await setEditor(
    page,
    DEF,
    JSON.stringify({ Comment: noise, StartAt: "A", States: { A: { Type: "Pass", End: true } } }),
  );
  await shareLink(page);
  const note = await page.locator("#share-note").textContent();
  assert.match(note, /The link would be [\d,]+ characters long, more than the 8,000/);
  assert.equal(await page.locator("#share-note").getAttribute("role"), "alert");
  assert.match(await page.locator("#share-note").textContent(), /1[0-9],[0-9]{3} characters/);
  assert.equal(await page.inputValue("#share-link"), "");
  assert.ok(await page.locator("#copy-link").isDisabled());
  assert.ok(await page.locator("#copy-embed").isDisabled());
  await page.screenshot({ path: shotPath("share-too-long") });
});

test("an invalid start time is flagged in Options and refused by the engine with a message", async () => {
  const { page } = await h.open();
  await page.locator("#options-box summary").click();
  await page.fill("#opt-start", "yesterday at noon");
  assert.equal(await page.locator("#opt-start").getAttribute("aria-invalid"), "true");
  await page.click("#run");
  await page.waitForFunction(() => !document.getElementById("message").hidden);
  assert.match(
    await page.locator("#message").textContent(),
    /Start time: "yesterday at noon" is not an RFC 3339 timestamp/,
  );
  await page.fill("#opt-start", "");
  await page.click("#run");
  assert.equal(await finalStatus(page), "SUCCEEDED");
  assert.equal(
    (await page.evaluate(() => globalThis.__aslplay.events()))[0].timestamp,
    "2025-01-01T00:00:00.000000+00:00",
  );
});

test("an embed is read-only by default, editable on request, and links to the playground", async () => {
  const state = {
    definition: '{"StartAt":"Only","States":{"Only":{"Type":"Pass","Result":42,"End":true}}}',
    input: "{}",
    mock: "",
    testCase: null,
    seed: 0,
    startTime: "",
  };
  const { page } = await h.open({ query: `embed.html?panes=definition,input,graph,result#s=${payload(state)}` });
  await page.waitForFunction(() => globalThis.document.querySelector(".node"));
  assert.equal(await page.locator('[data-pane="mock"]').isVisible(), false);
  assert.equal(await page.locator('[data-pane="input"]').isVisible(), true);
  assert.equal(await page.getByLabel(DEF, { exact: true }).getAttribute("contenteditable"), "false");
  const open = await page.locator("#open").getAttribute("href");
  assert.match(open, /\/index\.html#s=1\./);
  await page.click("#run");
  await page.waitForFunction(() => document.getElementById("status").textContent === "SUCCEEDED");
  assert.match(await page.locator("#inspector").textContent(), /42/);

  const { page: editable } = await h.open({ query: `embed.html?editable=1#s=${payload(state)}` });
  assert.equal(await editable.getByLabel(DEF, { exact: true }).getAttribute("contenteditable"), "true");
  await setEditor(editable, DEF, state.definition.replace("42", "43"));
  await editable.waitForFunction((o) => document.getElementById("open").getAttribute("href") !== o, open);
  await editable.click("#run");
  await editable.waitForFunction(() => document.getElementById("status").textContent === "SUCCEEDED");
  assert.match(await editable.locator("#inspector").textContent(), /43/);
  assert.deepEqual(h.errors, []);
});

test("the demo docs page, from another origin, runs its three embeds and they resize", async () => {
  execFileSync(process.execPath, [join(repo, "docs", "demo", "make.mjs")]);
  const docs = await serve(join(repo, "docs", "demo"), 0);
  try {
    const docsOrigin = `http://127.0.0.1:${docs.address().port}`;
    assert.notEqual(docsOrigin, h.origin);
    h.allow(docsOrigin);
    const context = await h.browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(docsOrigin) || url.startsWith(h.origin) || url.startsWith("data:") || url.startsWith("blob:"))
        return route.continue();
      h.outside.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    page.on("pageerror", (e) => h.errors.push(String(e)));
    await page.goto(`${docsOrigin}/index.html?embed=${encodeURIComponent(`${h.origin}/`)}`);
    const frames = page.locator("iframe");
    assert.equal(await frames.count(), 3);
    const expected = ["Check total", "Charge card", "Total"];
    for (let i = 0; i < 3; i++) {
      const frame = page.frameLocator("iframe").nth(i);
      await frame.locator(`.node[data-name="${expected[i]}"]`).waitFor();
      const status = frame.locator("#status");
      if ((await status.textContent()) !== "SUCCEEDED") await frame.locator("#run").click();
      await frame.locator('#status[data-status="SUCCEEDED"]').waitFor();
    }
    // Each iframe's height is its content's, set by the host from the embed's message.
    await page.waitForTimeout(300);
    for (let i = 0; i < 3; i++) {
      const frame = await (await frames.nth(i).elementHandle()).contentFrame();
      const content = await frame.evaluate(() => Math.ceil(document.body.getBoundingClientRect().height));
      const shown = await frames.nth(i).evaluate((f) => f.getBoundingClientRect().height);
      assert.notEqual(shown, 420, `embed ${i} resized from its initial height`);
      assert.ok(Math.abs(shown - content) <= 1, `embed ${i}: iframe ${shown}px, content ${content}px`);
    }
    const outputs = await Promise.all(
      [0, 1, 2].map((i) => page.frameLocator("iframe").nth(i).locator("#inspector").textContent()),
    );
    assert.match(outputs[0], /review/);
    assert.match(outputs[1], /declined/);
    assert.match(outputs[2], /"shipping": 0/);
    await page.screenshot({ path: shotPath("share-demo"), fullPage: true });
    await context.close();
  } finally {
    await new Promise((ok) => docs.close(ok));
  }
  assert.deepEqual(h.outside, [], "no request left the page");
  assert.deepEqual(h.errors, []);
});

test("a link keeps the state machine picked in a SAM template", async () => {
  const sam = [
    "Transform: AWS::Serverless-2016-10-31",
    "Resources:",
    "  Intake:",
    "    Type: AWS::Serverless::StateMachine",
    "    Properties:",
    "      Definition: {StartAt: Greet, States: {Greet: {Type: Pass, Result: intake, End: true}}}",
    "  Billing:",
    "    Type: AWS::Serverless::StateMachine",
    "    Properties:",
    "      Definition: {StartAt: Bill, States: {Bill: {Type: Pass, Result: billing, End: true}}}",
  ].join("\n");
  const { page } = await h.open();
  await setEditor(page, DEF, sam);
  const picker = page.getByLabel("State machine in the template");
  await picker.selectOption("Billing");
  const link = await shareLink(page);
  const { page: fresh } = await h.open({ query: link.slice(link.indexOf("#")) });
  await fresh.getByLabel("State machine in the template").waitFor();
  assert.equal(await fresh.getByLabel("State machine in the template").inputValue(), "Billing");
  await fresh.click("#run");
  assert.equal(await finalStatus(fresh), "SUCCEEDED");
  const names = await fresh.evaluate(() =>
    globalThis.__aslplay
      .events()
      .map((e) => e.stateEnteredEventDetails?.name)
      .filter(Boolean),
  );
  assert.deepEqual(names, ["Bill"]);
});

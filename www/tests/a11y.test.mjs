// Accessibility of every view (issue 17): axe-core's WCAG 2.1 A and AA rules in light and dark
// themes over the playground's views (before and after a run, a step selected, the Map Run and S3
// panes, the import dialog, the Share and Options panels, the navigator, a YAML notice, problems)
// and the embed.
// Run: make build && node --test www/tests/a11y.test.mjs
import { test, before, after } from "node:test";
import { deflateRawSync } from "node:zlib";
import {
  start,
  setEditor,
  finalStatus,
  shotPath,
  DEF,
  run,
  loadExample,
  stateNode,
  expectNoA11yViolations,
} from "./harness.mjs";

let h;
before(async () => {
  h = await start();
});
after(async () => {
  await h?.close();
});

const tab = (page, name) => page.getByRole("tab", { name: new RegExp(`^${name}`) });
/** A share link's payload, made with node's zlib (as share.test.mjs does). */
const payload = (state) => `1.${deflateRawSync(Buffer.from(JSON.stringify(state))).toString("base64url")}`;

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
    await tab(page, "Map runs").click();
    const runs = page.locator("#mapruns");
    await runs.locator(".maprun-title h3").first().waitFor();
    await runs.locator(".maprun-table button.link").first().click();
    await runs.locator(".maprun-child-head h3").waitFor();
    await check("the Map Run view, a child picked");
    await page.screenshot({ path: shotPath(`a11y-maprun-${scheme}`) });
    await tab(page, "S3 objects").click();
    const s3 = page.locator("#s3");
    await s3.locator(".s3-table button.link").first().click();
    await s3.locator(".s3-content").waitFor();
    await check("the S3 pane, an object shown");
    await s3.getByRole("button", { name: "Add object" }).click();
    await s3.locator(".s3-form").waitFor();
    await check("the S3 object form");
    await page.screenshot({ path: shotPath(`a11y-s3-${scheme}`) });
    await tab(page, "Execution history").click();

    await setEditor(page, DEF, "StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n");
    await page.locator("#def-source:not([hidden])").waitFor();
    await check("a YAML definition's notice");
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

test("the embed meets WCAG 2.1 AA (light and dark, before and after a run, every pane)", async (t) => {
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
      const { page, context } = await h.open({ colorScheme: scheme, query: `embed.html${query}#s=${payload(state)}` });
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
});

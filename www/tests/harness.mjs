// Shared set-up for the browser tests: serves dist/ on a free 127.0.0.1 port and drives
// Debian's chromium through playwright-core (no browser is ever downloaded). Every request
// the page makes is counted; any that is not for the local server is blocked and recorded.
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { serve } from "../serve.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
export const SHOTS = join(here, "..", "screenshots");

/** Starts the server and the browser; returns helpers and a close(). */
export async function start() {
  const server = await serve(join(here, "..", "dist"), 0);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  const outside = [];
  /** Origins besides the server's that pages may load from (see `allow`). */
  const allowed = [origin];
  const errors = [];

  /** A fresh page (own storage) at the app; `query` is appended to the URL. */
  async function open({ query = "", colorScheme = "light", context: ctx } = {}) {
    const context = ctx ?? (await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme }));
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (allowed.some((o) => url.startsWith(o)) || url.startsWith("data:") || url.startsWith("blob:"))
        return route.continue();
      outside.push(url);
      return route.abort();
    });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("dialog", (d) => {
      errors.push(`dialog: ${d.message()}`);
      d.dismiss();
    });
    await page.goto(`${origin}/${query}`);
    await page.waitForFunction(() => document.body.dataset.engineVersion);
    return { page, context };
  }

  async function close() {
    await browser.close();
    await new Promise((ok) => server.close(ok));
  }

  /** Lets pages load from one more origin (e.g. a second local server); not counted as outside. */
  const allow = (o) => allowed.push(o);

  return { origin, browser, open, close, outside, errors, allow };
}

/** Replaces an editor's text (by its aria-label) as a person would: select all, then paste. */
export async function setEditor(page, label, text) {
  const editor = page.getByLabel(label, { exact: true });
  await editor.focus();
  await page.keyboard.press("Control+A");
  if (text === "") {
    await page.keyboard.press("Delete");
    return;
  }
  await editor.evaluate((el, text) => {
    const data = new DataTransfer();
    data.setData("text/plain", text);
    el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** The editors' accessible names. */
export const DEF = "State machine definition";
export const INPUT = "Execution input";
export const MOCK = "Mock configuration";

/** The graph's node of a state, by its accessible name ("<state name>, <type>[, Retry]: <status>"). */
export function stateNode(page, name) {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const statuses = "not run|running|succeeded|failed|failed, error caught|succeeded after a retry";
  return page
    .locator(".graph")
    .getByRole("button", { name: new RegExp(`^${escaped}, \\S+(, Retry)?: (${statuses})$`) });
}

/** The "×n" visit count drawn beside a state's node. */
export const visitBadge = (page, name) => page.locator(`.graph .visits[data-for=${JSON.stringify(name)}]`);

/** A tab of the history pane (Execution history, Map runs, S3 objects), by the start of its name. */
export const viewTab = (page, name) => page.getByRole("tab", { name: new RegExp(`^${name}`) });

/** A share link's payload (`<format>.<deflate, base64url>`), made with node's zlib, independently of the page's encoder. */
export const linkPayload = (state, format = 1) =>
  `${format}.${deflateRawSync(Buffer.from(JSON.stringify(state))).toString("base64url")}`;

/** Presses Run. */
export const run = (page) => page.getByRole("button", { name: "Run", exact: true }).click();

/** The history events the page has so far. */
export const events = (page) => page.evaluate(() => globalThis.__aslplay.events());

/** Picks a gallery example. */
export async function loadExample(page, id) {
  await page.selectOption('[aria-label="Examples"]', id);
  await page.waitForTimeout(50);
}

/** Types a definition and an input (JSON values) into their editors; waits for the graph. */
export async function loadMachine(page, definition, input) {
  await setEditor(page, DEF, JSON.stringify(definition, null, 2));
  await setEditor(page, INPUT, JSON.stringify(input));
  await page.waitForTimeout(400); // the graph is redrawn once typing pauses
}

/** An editor's whole text (CodeMirror only renders the lines in view, so ask its view). */
export async function editorText(page, label) {
  return page.evaluate((label) => globalThis.__aslplay.text(label), label);
}

/** The text of the status element once it is no longer RUNNING/STARTING. */
export async function finalStatus(page, timeout = 20_000) {
  await page.waitForFunction(
    () => !["RUNNING", "STARTING"].includes(document.getElementById("status").textContent),
    null,
    { timeout },
  );
  return page.locator('[role="status"]').textContent();
}

export function shotPath(name) {
  mkdirSync(SHOTS, { recursive: true });
  return join(SHOTS, `${name}.png`);
}

// ---- accessibility (axe-core, injected from node_modules: no network) --------------------

const AXE = join(here, "..", "node_modules", "axe-core", "axe.min.js");
/** The WCAG rule sets the page is held to: 2.0 and 2.1, levels A and AA. */
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** One violation per line block: rule, impact, help, then each element's target and summary. */
export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 8)
        .map((n) => `    ${n.target.join(" ")}\n      ${(n.failureSummary ?? "").replace(/\n/g, "\n      ")}`)
        .join("\n");
      const more = v.nodes.length > 8 ? `\n    … and ${v.nodes.length - 8} more` : "";
      return `[${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} element${v.nodes.length === 1 ? "" : "s"})\n${nodes}${more}`;
    })
    .join("\n");
}

/**
 * Findings that are not violations, each with why: axe-core cannot see the keyboard access
 * these have. Kept to the element and the rule; everything else on the page is still checked.
 */
const NOT_VIOLATIONS = [
  {
    rule: "scrollable-region-focusable",
    selector: ".cm-tooltip-autocomplete > ul[role=listbox]",
    why:
      "CodeMirror's completion list keeps the focus in the editor (aria-activedescendant): the arrow " +
      "and Page keys move through the options and scroll the list",
  },
];

/**
 * Runs axe-core's WCAG 2.1 A and AA rules on the page as it is now (or inside `include`, a CSS
 * selector) and fails with a readable list of every violation. Any view's test can call it:
 * `await expectNoA11yViolations(page, "lesson pane, dark")`.
 */
export async function expectNoA11yViolations(page, label, { include } = {}) {
  if (!(await page.evaluate(() => "axe" in globalThis))) {
    // The page's Content-Security-Policy allows scripts from its own origin only: the script is
    // served (by the test, from node_modules) at a path of the page's origin.
    const url = new URL("/__tests__/axe.min.js", page.url()).href;
    await page.route(url, (route) => route.fulfill({ path: AXE, contentType: "text/javascript" }));
    await page.addScriptTag({ url });
  }
  // Wait for transitions to settle so colours are measured as a user sees them.
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
  const violations = await page.evaluate(
    async ({ tags, include, allowed }) => {
      const r = await globalThis.axe.run(include ? { include: [[include]] } : document, {
        runOnly: { type: "tag", values: tags },
        resultTypes: ["violations"],
        elementRef: true,
      });
      const excused = (id, el) => allowed.some((a) => a.rule === id && el?.matches?.(a.selector));
      return r.violations
        .map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes
            .filter((n) => !excused(v.id, n.element))
            .map((n) => ({ target: n.target.map(String), failureSummary: n.failureSummary })),
        }))
        .filter((v) => v.nodes.length);
    },
    { tags: WCAG_TAGS, include, allowed: NOT_VIOLATIONS },
  );
  if (violations.length)
    throw new Error(
      `${label}: ${violations.length} accessibility violation(s) (WCAG 2.1 AA)\n${formatViolations(violations)}`,
    );
}

// ---- keyboard ------------------------------------------------------------------------------

/** What has the focus: its role, accessible-ish name, and whether a focus indicator is drawn. */
export function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { role: "", name: "", tag: "body", cls: "", id: "", ring: false };
    const drawn = (e) => {
      if (!e) return false;
      const s = getComputedStyle(e);
      return s.outlineStyle !== "none" && Number.parseFloat(s.outlineWidth) >= 1;
    };
    const ringRect = el.querySelector?.(":scope > rect.focus-ring");
    const ring =
      el.matches(":focus-visible") &&
      (drawn(el) ||
        (el.classList.contains("cm-content") && drawn(el.closest(".cm-editor"))) ||
        (!!ringRect && getComputedStyle(ringRect).stroke !== "none"));
    const name = (
      el.getAttribute("aria-label") ||
      el.labels?.[0]?.textContent ||
      (el.tagName === "TR" ? el.cells[1]?.textContent : el.textContent) ||
      ""
    ).trim();
    return {
      role: el.getAttribute("role") ?? el.tagName.toLowerCase(),
      tag: el.tagName.toLowerCase(),
      id: el.id,
      cls: typeof el.className === "string" ? el.className : (el.getAttribute("class") ?? ""),
      name: name.slice(0, 80),
      ring,
    };
  });
}

/**
 * Presses Tab (Shift+Tab with `back`) until `wanted(focus)` holds, as a keyboard user moves to a
 * control; every stop on the way must show a focus indicator. In an editor, where Tab indents,
 * it leaves the documented way: Escape, then Tab. Returns the stops passed.
 */
export async function tabTo(page, wanted, { back = false, max = 120 } = {}) {
  const stops = [];
  for (let i = 0; i < max; i++) {
    const before = await focused(page);
    if (before.cls.includes("cm-content")) await page.keyboard.press("Escape");
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    let f = await focused(page);
    if (!f.ring) {
      await page.waitForTimeout(60); // CodeMirror marks its editor focused a moment later
      f = await focused(page);
    }
    stops.push(f);
    if (f.tag !== "body") assert.ok(f.ring, `no visible focus indicator on ${f.tag}.${f.cls} "${f.name}" (#${f.id})`);
    if (wanted(f)) return stops;
  }
  throw new Error(`not reached in ${max} presses; passed: ${stops.map((s) => s.name || s.tag).join(" | ")}`);
}

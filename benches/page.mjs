// The page's own figures in headless Chromium (Debian's chromium via playwright-core):
// time to interactive (navigation start to the engine ready and Run usable, cold cache,
// median of 7 loads) and the time from a click on Step to the new event on screen (the DOM
// updated, and the next animation frame), median and worst of 40 steps. Needs `make build`.
// Run with `make bench` (or `node benches/page.mjs` after `make build`).
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "www", "package.json"));
const { chromium } = require("playwright-core");
const { serve } = await import(join(root, "www", "serve.mjs"));

const server = await serve(join(root, "www", "dist"), 0);
const origin = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${ms.toFixed(1)} ms`;

try {
  const ready = [];
  const loaded = [];
  for (let i = 0; i < 7; i++) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(origin);
    await page.waitForFunction(
      () =>
        performance.getEntriesByName("aslplay:ready").length > 0 &&
        document.getElementById("run").getAttribute("aria-disabled") !== "true",
    );
    const t = await page.evaluate(() => ({
      ready: performance.getEntriesByName("aslplay:ready")[0].startTime,
      load: performance.getEntriesByType("navigation")[0].loadEventEnd,
    }));
    ready.push(t.ready);
    loaded.push(t.load);
    await context.close();
  }

  // A chain of 60 Pass states, stepped one event at a time.
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(origin);
  await page.waitForFunction(() => performance.getEntriesByName("aslplay:ready").length > 0);
  const states = {};
  for (let i = 0; i < 60; i++)
    states[`S${i}`] =
      i === 59
        ? { Type: "Pass", End: true }
        : { Type: "Pass", Result: { i }, ResultPath: `$.r${i}`, Next: `S${i + 1}` };
  const definition = JSON.stringify({ StartAt: "S0", States: states }, null, 2);
  const { setEditor } = await import(join(root, "www", "tests", "harness.mjs"));
  await setEditor(page, "State machine definition", definition);
  await page.waitForTimeout(300);
  const steps = await page.evaluate(async (count) => {
    const out = [];
    const step = document.getElementById("step");
    for (let i = 0; i < count; i++) {
      const before = globalThis.__aslplay.events().length;
      out.push(
        await new Promise((resolve) => {
          let dom;
          const obs = new MutationObserver(() => {
            if (dom !== undefined || globalThis.__aslplay.events().length <= before) return;
            dom = performance.now() - t0;
            obs.disconnect();
            requestAnimationFrame(() => resolve({ dom, frame: performance.now() - t0 }));
          });
          obs.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
          const t0 = performance.now();
          step.click();
        }),
      );
      await new Promise((r) => setTimeout(r, 20));
    }
    return out;
  }, 41);
  steps.shift(); // the first Step also starts the execution
  const seen = await page.evaluate(() =>
    globalThis.__aslplay
      .events()
      .map((e) => e.stateEnteredEventDetails?.name)
      .filter(Boolean),
  );
  if (!seen.includes("S10")) throw new Error(`the 60-state chain was not the one stepped: ${seen.join(", ")}`);
  const dom = steps.map((s) => s.dom);
  const frame = steps.map((s) => s.frame);
  console.log("page (headless Chromium, localhost)");
  console.log(
    `  time to interactive     median ${fmt(median(ready))}  (load event ${fmt(median(loaded))}; 7 cold loads)`,
  );
  console.log(`  Step -> event in DOM    median ${fmt(median(dom))}  worst ${fmt(Math.max(...dom))}  (40 steps)`);
  console.log(`  Step -> next frame      median ${fmt(median(frame))}  worst ${fmt(Math.max(...frame))}`);
} finally {
  await browser.close();
  server.close();
}

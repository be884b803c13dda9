// The official JSONata suite run by the wasm build (the browser's engine) under node: the same
// cases as tests/jsonata_suite.rs runs natively, to show the results are the same there.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const suite = join(root, "tests", "data", "jsonata-suite");

// Cases that must pass in wasm (natively 1,684; here one more file is skipped, for a lone UTF-16
// surrogate that a Rust string cannot hold).
const BASELINE = 1683;

function same(a, b, unordered) {
  if (unordered && Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    const used = new Array(b.length).fill(false);
    return a.every((x) => {
      const i = b.findIndex((y, j) => !used[j] && same(x, y, false));
      if (i < 0) return false;
      used[i] = true;
      return true;
    });
  }
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => same(x, b[i], false));
  const ka = Object.keys(a),
    kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && same(a[k], b[k], false));
}

function loneSurrogate(raw) {
  return /\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])/.test(raw);
}

function runCase(glue, c, groupDir) {
  const expr = c.expr ?? (c["expr-file"] ? readFileSync(join(groupDir, c["expr-file"]), "utf8") : null);
  if (expr === null) return "skip";
  let input = "";
  if (Object.hasOwn(c, "data")) input = JSON.stringify(c.data);
  else if (typeof c.dataset === "string") input = readFileSync(join(suite, "datasets", `${c.dataset}.json`), "utf8");
  const out = JSON.parse(
    glue.jsonata_evaluate(
      expr,
      input,
      JSON.stringify(c.bindings ?? {}),
      c.depth ?? 0,
      c.timelimit ? c.timelimit * 1000 : 0,
    ),
  );
  const code = c.code ?? c.error?.code;
  if (code) return out.error?.code === code ? "pass" : "fail";
  if (c.undefinedResult) return out.undefined ? "pass" : "fail";
  if (!Object.hasOwn(c, "result")) return "skip";
  return Object.hasOwn(out, "result") && same(out.result, c.result, c.unordered === true) ? "pass" : "fail";
}

test("the JSONata suite passes in the wasm build", {
  skip: !existsSync(join(root, "pkg", "aslplay_tools_bg.wasm")),
}, async () => {
  // jsonata_evaluate lives in the tools module: the same library code and build flags as the
  // page's engine module.
  const glue = await import(join(root, "pkg", "aslplay_tools.js"));
  glue.initSync({ module: readFileSync(join(root, "pkg", "aslplay_tools_bg.wasm")) });
  let passed = 0,
    failed = 0,
    skipped = 0;
  const failures = [];
  for (const group of readdirSync(join(suite, "groups")).sort()) {
    const dir = join(suite, "groups", group);
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .sort()) {
      const raw = readFileSync(join(dir, file), "utf8");
      if (loneSurrogate(raw)) {
        skipped++;
        continue;
      }
      const parsed = JSON.parse(raw);
      for (const c of Array.isArray(parsed) ? parsed : [parsed]) {
        const r = runCase(glue, c, dir);
        if (r === "pass") passed++;
        else if (r === "skip") skipped++;
        else {
          failed++;
          failures.push(`${group}/${file}`);
        }
      }
    }
  }
  console.log(`jsonata suite in wasm: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  if (failures.length) console.log(`failing: ${failures.slice(0, 40).join(", ")}`);
  assert.ok(passed >= BASELINE, `${passed} below ${BASELINE}`);
});

// The language module (pkg/aslplay_language_bg.wasm, what the page's worker loads on the first
// editor question) under node: a completion, a hover, signature help and a quick fix answered
// by the wasm build, with UTF-16 offsets as CodeMirror gives them. Needs `make wasm` first.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const glue = await import(join(root, "pkg", "aslplay_language.js"));
glue.initSync({ module: readFileSync(join(root, "pkg", "aslplay_language_bg.wasm")) });

/** The text without the `‸` marker and the marker's UTF-16 offset (JavaScript string index). */
function at(marked) {
  const offset = marked.indexOf("‸");
  return [marked.replace("‸", ""), offset];
}

// The texts cross as UTF-8 bytes, as www/src/backend/wasm.ts passes them.
const utf8 = new TextEncoder();
const none = utf8.encode("");
const complete = (doc, text, offset, explicit) => glue.complete(doc, utf8.encode(text), offset, none, explicit);
const hover = (doc, text, offset) => glue.hover(doc, utf8.encode(text), offset);
const signature = (doc, text, offset) => glue.signature(doc, utf8.encode(text), offset);

test("completes state names with UTF-16 offsets", () => {
  const [text, offset] = at(
    '{"StartAt": "😀 Start", "States": {"😀 Start": {"Type": "Pass", "Next": "‸"}, "Done": {"Type": "Succeed"}}}',
  );
  const answer = JSON.parse(complete("definition", text, offset, true));
  assert.equal(answer.from, offset);
  assert.equal(answer.to, offset);
  assert.deepEqual(
    answer.options.map((o) => o.label),
    ["Done", "😀 Start"],
  );
  assert.equal(answer.options[0].apply, "Done");
  assert.equal(answer.options[0].type, "variable");
});

test("completes field names as snippets", () => {
  const [text, offset] = at('{"StartAt": "A", "States": {"A": {"Type": "Task", "Ne‸"}}}');
  const answer = JSON.parse(complete("definition", text, offset, false));
  const next = answer.options.find((o) => o.label === "Next");
  assert.ok(next.snippet);
  assert.equal(text.slice(answer.from, answer.to), 'Ne"');
  assert.ok(!answer.options.some((o) => o.label === "Arguments"));
});

test("hovers a field with its documentation", () => {
  const [text, offset] = at('{"StartAt": "A", "States": {"A": {"Type": "Task", "Result‸Path": "$.x"}}}');
  const h = JSON.parse(hover("definition", text, offset));
  assert.equal(h.title, "ResultPath (Task state field)");
  assert.equal(text.slice(h.from, h.to), '"ResultPath"');
  assert.ok(h.text.length > 40 && h.link.startsWith("https://docs.aws.amazon.com/"));
  assert.equal(hover("definition", text, 0), "null");
});

test("signature help and quick fixes", () => {
  const [text, offset] = at(
    '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "States.Format(\'{}\', ‸"}}}}',
  );
  const s = JSON.parse(signature("definition", text, offset));
  assert.equal(s.active, 1);
  assert.ok(s.label.startsWith("States.Format("));
  const broken = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Bb"}, "B": {"Type": "Succeed"}}}';
  const diagnostics = [
    { code: "MISSING_TRANSITION_TARGET", message: "Missing 'Next' target: Bb", location: "/States/A/Next" },
  ];
  const fixes = JSON.parse(glue.quick_fixes("definition", utf8.encode(broken), JSON.stringify(diagnostics)));
  assert.equal(fixes.length, 1);
  assert.equal(fixes[0][0].name, 'Change to "B"');
  const [change] = fixes[0][0].changes;
  assert.equal(broken.slice(0, change.from) + change.insert + broken.slice(change.to), broken.replace('"Bb"', '"B"'));
});

test("answers nothing, never fails, on any offset of broken text", () => {
  const text = '{"States": {"A": {"Type": "Pa';
  for (let i = -1; i <= text.length + 1; i++) {
    for (const f of [complete, hover, signature]) {
      const answer = f("definition", text, Math.max(0, i), true);
      assert.doesNotThrow(() => JSON.parse(answer));
    }
  }
  assert.equal(complete("nonsense", text, 0, true), "null");
  // Bytes that are not UTF-8: nothing.
  assert.equal(glue.hover("definition", new Uint8Array([0x7b, 0xff, 0x22]), 1), "null");
});

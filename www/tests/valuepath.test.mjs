// www/src/valuepath.ts under node: which value an offset of JSON text is in, and its JSONPath
// and JSONata forms; every form is checked by running it in the engine (pkg/, the wasm build)
// against the value it names. The page's value-path panel is tested in editor.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, "..", "..", "pkg");
const bundled = buildSync({
  entryPoints: [join(here, "..", "src", "valuepath.ts")],
  bundle: true,
  format: "esm",
  write: false,
});
const { valueAt, toJsonPath, toJsonata, pathForms } = await import(
  `data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString("base64")}`
);

/** The path at the first occurrence of `marker` in `text` (plus `shift` characters). */
const pathAt = (text, marker, shift = 0) => valueAt(text, text.indexOf(marker) + shift)?.path;

const SAMPLE = JSON.stringify(
  {
    order: { total: 42.5, "odd key": "x", lines: [{ sku: "A-1", qty: 2 }, { sku: "B" }] },
    "it's": [true, null],
    matrix: [
      [1, 2],
      [3, [4, 5]],
    ],
    empty: {},
    none: [],
    and: 1,
    "": "blank",
    "a`b": 7,
    "both'\"": 8,
  },
  null,
  2,
);

test("an offset names the innermost value holding it", () => {
  assert.deepEqual(pathAt(SAMPLE, "42.5"), ["order", "total"]);
  assert.deepEqual(pathAt(SAMPLE, "42.5", 4), ["order", "total"], "just after the value");
  assert.deepEqual(pathAt(SAMPLE, '"A-1"', 2), ["order", "lines", 0, "sku"]);
  assert.deepEqual(pathAt(SAMPLE, '"B"'), ["order", "lines", 1, "sku"]);
  assert.deepEqual(pathAt(SAMPLE, "null"), ["it's", 1]);
  assert.deepEqual(pathAt(SAMPLE, "5\n"), ["matrix", 1, 1, 1]);
  assert.deepEqual(pathAt(SAMPLE, '"blank"'), [""]);
});

test("a key (or its colon) names its member's value; blanks between members name the container", () => {
  assert.deepEqual(pathAt(SAMPLE, '"order"', 3), ["order"]);
  assert.deepEqual(pathAt(SAMPLE, '"total":', 7), ["order", "total"], "on the colon");
  assert.deepEqual(pathAt(SAMPLE, '"odd key"', 1), ["order", "odd key"]);
  const lines = SAMPLE.indexOf('"lines"');
  const between = SAMPLE.indexOf("},", lines) + 2; // after the first line's object and its comma
  assert.deepEqual(valueAt(SAMPLE, between + 1).path, ["order", "lines"]);
  assert.deepEqual(pathAt(SAMPLE, "{}"), ["empty"]);
  assert.deepEqual(pathAt(SAMPLE, "[]", 1), ["none"]);
  assert.deepEqual(valueAt(SAMPLE, 0), { path: [], from: 0, to: SAMPLE.length });
  assert.deepEqual(valueAt(" 12 ", 2), { path: [], from: 1, to: 3 });
  assert.equal(valueAt(" 12 ", 4), null, "after the root value");
});

test("broken or cut text: what comes before the trouble is read; after it, nothing", () => {
  const cut = SAMPLE.slice(0, SAMPLE.indexOf('"B"') + 2);
  assert.deepEqual(pathAt(cut, "42.5"), ["order", "total"]);
  assert.deepEqual(valueAt(cut, cut.length).path, ["order", "lines", 1, "sku"], "a string cut short");
  const shown = `${SAMPLE.slice(0, 60)}\n… (900 more characters not shown)`;
  assert.deepEqual(pathAt(shown, "42"), ["order", "total"]);
  const bad = `{"a": [1, 2], "b": ], "c": 3}`;
  assert.deepEqual(pathAt(bad, "2]"), ["a", 1]);
  assert.equal(valueAt(bad, bad.indexOf("3}")), null, "after the trouble");
  assert.deepEqual(pathAt('{"a": {"b": ', '"b"', 1), ["a"], "a key whose value is missing: its object");
  for (const text of ["", "{", "[", '"', "{]", "}", '{"a"', '{"a":', "[1,,2]", "nul", "-", "\\"])
    for (let o = 0; o <= text.length + 1; o++) valueAt(text, o); // answers, never throws
});

test("a deep nest is read without recursion", () => {
  const deep = `${"[".repeat(100_000)}7${"]".repeat(100_000)}`;
  const found = valueAt(deep, 100_000);
  assert.equal(found.path.length, 100_000);
  assert.equal(found.from, 100_000);
});

test("JSONPath and JSONata forms: plain names, odd keys, indexes", () => {
  assert.equal(toJsonPath(["order", "total"]), "$.order.total");
  assert.equal(toJsonPath(["order", "odd key"]), "$.order['odd key']");
  assert.equal(toJsonPath(["it's", 0]), `$["it's"][0]`);
  assert.equal(toJsonPath(["both'\""]), null);
  assert.equal(toJsonPath(["total"], "$$.Execution.Input"), "$$.Execution.Input.total");
  assert.equal(toJsonPath([]), "$");
  assert.equal(toJsonata(["order", "total"]), "$states.input.order.total");
  assert.equal(toJsonata(["order", "odd key"]), "$states.input.order.`odd key`");
  assert.equal(toJsonata(["and"], "$states.result"), "$states.result.`and`");
  assert.equal(toJsonata(["a`b"]), '$lookup($states.input, "a`b")');
  assert.equal(toJsonata([]), "$states.input");
});

test("where a value was clicked decides its forms: input, a step's stages, variables, the output", () => {
  const forms = (source, path) => pathForms(source, path).map((f) => `${f.language} ${f.text}`);
  const total = ["order", "total"];
  assert.deepEqual(forms({ kind: "input" }, total), [
    "JSONPath $.order.total",
    "JSONata $states.input.order.total",
    "JSONPath $$.Execution.Input.order.total",
    "JSONata $states.context.Execution.Input.order.total",
  ]);
  assert.deepEqual(forms({ kind: "stage", stage: "result", label: "Result" }, ["Payload", "id"]), [
    "JSONPath $.Payload.id",
    "JSONata $states.result.Payload.id",
  ]);
  assert.deepEqual(forms({ kind: "stage", stage: "output", label: "Output" }, total), [
    "JSONPath $.order.total",
    "JSONata $states.input.order.total",
  ]);
  assert.deepEqual(forms({ kind: "stage", stage: "afterResultPath", label: "After ResultPath" }, total), [
    "JSONPath $.order.total",
  ]);
  assert.deepEqual(forms({ kind: "variables" }, ["order", "lines", 0]), [
    "JSONPath $order.lines[0]",
    "JSONata $order.lines[0]",
  ]);
  assert.deepEqual(forms({ kind: "variables" }, []), ["JSONPath null"]);
  assert.deepEqual(forms({ kind: "output" }, total), [
    "JSONPath $.Output.order.total",
    "JSONata $states.result.Output.order.total",
  ]);
  const odd = pathForms({ kind: "input" }, ["both'\""]);
  assert.equal(odd[0].text, null);
  assert.match(odd[0].note, /cannot be written/);
  assert.equal(odd[1].text, "$states.input.`both'\"`");
});

test("every value's paths evaluate to it in the engine (JSONPath, JSONata, the context object, a variable)", {
  skip: !existsSync(join(pkg, "index.js")) && "pkg/ is not built (make build)",
}, async () => {
  const { init, run } = await import(join(pkg, "index.js"));
  await init();
  const input = JSON.parse(SAMPLE);
  const cases = [];
  // Every offset of the text: each distinct path found once.
  const seen = new Set();
  for (let o = 0; o <= SAMPLE.length; o++) {
    const found = valueAt(SAMPLE, o);
    if (!found) continue;
    const key = JSON.stringify(found.path);
    if (seen.has(key)) continue;
    seen.add(key);
    cases.push(found);
  }
  assert.ok(cases.length >= 25, `${cases.length} values`);
  for (const { path, from, to } of cases) {
    const expected = JSON.parse(SAMPLE.slice(from, to));
    const jsonPath = toJsonPath(path);
    const label = JSON.stringify(path);
    // A state assigns the input to a variable; a JSONPath state reads the value from the input,
    // the context object and the variable; a JSONata state from the input and the variable.
    const paths =
      jsonPath === null
        ? {}
        : {
            "jsonPath.$": jsonPath,
            "context.$": toJsonPath(path, "$$.Execution.Input"),
            "variable.$": toJsonPath(path, "$v"),
          };
    const def = {
      StartAt: "Remember",
      States: {
        Remember: { Type: "Pass", Assign: { "v.$": "$" }, Next: "JSONPath" },
        JSONPath: { Type: "Pass", Parameters: { ...paths, "input.$": "$" }, Next: "JSONata" },
        JSONata: {
          Type: "Pass",
          QueryLanguage: "JSONata",
          Output: `{% { "got": $states.input, "jsonata": ${toJsonata(path, "$states.input.input")}, "variable": ${toJsonata(path, "$v")} } %}`,
          End: true,
        },
      },
    };
    const result = run(def, input);
    assert.equal(result.status, "SUCCEEDED", `${label}: ${result.error} ${result.cause}`);
    const { got, jsonata, variable } = result.output;
    if (jsonPath !== null) {
      assert.deepEqual(got.jsonPath, expected, `${jsonPath} (${label})`);
      assert.deepEqual(got.context, expected, `$$.Execution.Input (${label})`);
      assert.deepEqual(got.variable, expected, `$v (${label})`);
    }
    assert.deepEqual(variable, expected, `${toJsonata(path, "$v")} (${label})`);
    assert.deepEqual(jsonata, expected, `${toJsonata(path)} (${label})`);
  }
});

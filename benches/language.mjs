// The editor's language service in its wasm build (pkg/aslplay_language_bg.wasm, what the
// page's worker runs) on definitions of 1,000 and 10,000 states: the median time of a
// completion (a transition target, a field name, a variable in an expression) and a hover,
// each reading the whole text as a request from the page does (the text crosses into wasm
// every time). The budget: 50 ms at 1,000 states. Needs `make wasm` first.
// Same definitions as benches/language.rs.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const glue = await import(join(root, "pkg", "aslplay_language.js"));
glue.initSync({ module: readFileSync(join(root, "pkg", "aslplay_language_bg.wasm")) });

/** n Task states in a chain (see benches/language.rs), and the offsets asked about. */
function big(n) {
  let text = '{\n  "Comment": "benchmark",\n  "StartAt": "S0",\n  "States": {\n';
  const at = {};
  for (let i = 0; i < n; i++) {
    const middle = i === Math.floor(n / 2);
    text += `    "S${i}": {\n      "Type": "Task",\n`;
    text += '      "Resource": "arn:aws:states:::lambda:invoke",\n';
    if (middle) at.hover = text.length + 8;
    text += `      "Parameters": {"FunctionName": "f${i}", "Payload.$": "$`;
    if (middle) at.variable = text.length;
    text += '"},\n';
    text += '      "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2}],\n';
    if (i % 10 === 0) text += `      "Assign": {"v${i}": ${i}},\n`;
    if (middle) {
      at.field = text.length;
      text += "      \n";
    }
    if (i + 1 < n) {
      text += '      "Next": "';
      if (middle) at.next = text.length;
      text += `S${i + 1}"\n    },\n`;
    } else text += '      "End": true\n    }\n';
  }
  text += "  }\n}\n";
  return { text, ...at };
}

const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function time(f, runs) {
  f(); // warm up
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return median(times);
}

console.log("language service (wasm)      1,000 states   10,000 states");
const sizes = [1000, 10000].map(big);
// As www/src/backend/wasm.ts asks: the text encoded to UTF-8 on every request.
const utf8 = new TextEncoder();
const none = utf8.encode("");
const rows = [
  ["complete: Next target", (b) => glue.complete("definition", utf8.encode(b.text), b.next, none, true)],
  ["complete: field name", (b) => glue.complete("definition", utf8.encode(b.text), b.field, none, true)],
  ["complete: $variable", (b) => glue.complete("definition", utf8.encode(b.text), b.variable, none, true)],
  ["hover: field", (b) => glue.hover("definition", utf8.encode(b.text), b.hover)],
];
for (const [name, f] of rows) {
  for (const b of sizes) if (f(b) === "null") throw new Error(`${name}: no answer`);
  const ms = sizes.map((b) => time(() => f(b), 15));
  console.log(`${name.padEnd(28)} ${ms[0].toFixed(1).padStart(10)} ms ${ms[1].toFixed(1).padStart(12)} ms`);
}
console.log(
  `text: ${(sizes[0].text.length / 1024).toFixed(0)} KiB and ${(sizes[1].text.length / 1024).toFixed(0)} KiB`,
);

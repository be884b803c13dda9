// The benchmark workloads run by the wasm build under node (the same numbers as
// `cargo bench --bench workloads`, for the browser's engine). Needs `make wasm` first.
// Prints the median of 5 runs per workload; with PEER_DIR set to a folder where
// `npm install aws-local-stepfunctions@3.0.0` was run, also times that peer.
import { readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// The Workload binding lives in the tools module (pkg/aslplay_tools_bg.wasm): the same library
// code, built with the same flags as the page's engine module.
const glue = await import(join(root, "pkg", "aslplay_tools.js"));
glue.initSync({ module: readFileSync(join(root, "pkg", "aslplay_tools_bg.wasm")) });

const dir = join(root, "benches", "workloads");
const names = [
  "pass_chain",
  "choice_loop",
  "map_inline",
  "parallel_fanout",
  "big_payload",
  "intrinsics",
  "task_loop",
  "retry_catch",
  "choice_loop_jsonata",
  "map_inline_jsonata",
  "map_distributed",
];
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log("workload              wasm ms   transitions/s");
for (const name of names) {
  const def = readFileSync(join(dir, `${name}.asl.json`), "utf8");
  const input = readFileSync(join(dir, `${name}.input.json`), "utf8");
  const mockPath = join(dir, `${name}.mocks.json`);
  const mock = existsSync(mockPath) ? readFileSync(mockPath, "utf8") : "";
  const workload = new glue.Workload(def, input, mock);
  // Warm, untimed: at least 3 runs and 300 ms, so that V8 has optimized the hot wasm functions
  // (it compiles them with its baseline compiler first).
  for (let i = 0, t0 = performance.now(); i < 3 || performance.now() - t0 < 300; i++) workload.run();
  const times = [];
  let result;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    result = JSON.parse(workload.run());
    times.push(performance.now() - t0);
  }
  workload.free();
  if (result.status !== "SUCCEEDED") throw new Error(`${name}: ${JSON.stringify(result)}`);
  const ms = median(times);
  console.log(
    `${name.padEnd(20)} ${ms.toFixed(1).padStart(8)}   ${Math.round(result.transitions / (ms / 1000))
      .toLocaleString("en-US")
      .padStart(12)}`,
  );
}

// aslplay's wasm build and the peer, aws-local-stepfunctions 3.0.0 (the other ASL interpreter
// that runs in a browser), side by side in one node process: for each workload the two run in
// turn, RUNS rounds, both warm (untimed runs first; in each round each engine's timed run follows
// an untimed one of its own), and the table shows the median time of each and their ratio. Part
// of `make bench` (after `make wasm`); the README's ratios come from this table.
//
// The peer is installed with npm into target/peer/ when it is missing there. Its Task states
// are answered by local handlers doing what our mocks do (a result for task_loop, an error for
// retry_catch), and its retry waits are set to 0 ms, as our virtual clock costs nothing.
//
// Usage: node benches/peer.mjs [RUNS=5] [MIN_RATIO]   (exit 1 when a ratio is below MIN_RATIO)
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PEER = "aws-local-stepfunctions@3.0.0";
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.argv[2] ?? 5);
const minRatio = process.argv[3] === undefined ? 0 : Number(process.argv[3]);

// The peer calls Promise.withResolvers, which node 20 lacks: the standard shape.
Promise.withResolvers ??= () => {
  let resolve;
  let reject;
  const promise = new Promise((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
};

const peerDir = join(root, "target", "peer");
if (!existsSync(join(peerDir, "node_modules", "aws-local-stepfunctions", "package.json"))) {
  mkdirSync(peerDir, { recursive: true });
  console.error(`installing ${PEER} into ${peerDir}`);
  execFileSync("npm", ["install", "--prefix", peerDir, "--no-audit", "--no-fund", "--no-save", PEER], {
    stdio: ["ignore", "ignore", "inherit"],
  });
}
const { StateMachine } = createRequire(join(peerDir, "package.json"))("aws-local-stepfunctions");

// The same Workload binding as benches/wasm.mjs (the tools module, built like the page's engine).
const glue = await import(join(root, "pkg", "aslplay_tools.js"));
glue.initSync({ module: readFileSync(join(root, "pkg", "aslplay_tools_bg.wasm")) });

/** What the peer's Task states answer: task_loop's mocked result, retry_catch's error. */
class Transient extends Error {
  name = "Transient";
}
const handlers = {
  Call: async (input) => ({ ok: true, i: input.i }),
  Flaky: async () => {
    throw new Transient("flaky");
  },
};

const dir = join(root, "benches", "workloads");
const names = [
  "pass_chain",
  "parallel_fanout",
  "retry_catch",
  "intrinsics",
  "task_loop",
  "map_inline",
  "choice_loop",
  "big_payload",
];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const file = (name, ext) => join(dir, `${name}.${ext}`);

/** One run of the peer: its time in ms and its status. */
async function runPeer(machine, input) {
  const t0 = performance.now();
  const exec = machine.run(input, {
    overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides: { Flaky: 0 } },
  });
  let status = "SUCCEEDED";
  try {
    await exec.result;
  } catch (e) {
    status = `FAILED (${e.name ?? e})`;
  }
  return [performance.now() - t0, status];
}

/** One run of ours: its time in ms and its status. */
function runOurs(workload) {
  const t0 = performance.now();
  const result = JSON.parse(workload.run());
  return [performance.now() - t0, result.status];
}

console.log(`${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpus().length}× ${cpus()[0]?.model}`);
console.log(`median of ${runs}, alternating, one process; peer: ${PEER}`);
console.log("workload           aslplay wasm ms      peer ms    peer ÷ wasm");
let below = 0;
for (const name of names) {
  const definition = readFileSync(file(name, "asl.json"), "utf8");
  const inputText = readFileSync(file(name, "input.json"), "utf8");
  const mocks = existsSync(file(name, "mocks.json")) ? readFileSync(file(name, "mocks.json"), "utf8") : "";
  const workload = new glue.Workload(definition, inputText, mocks);
  const machine = new StateMachine(JSON.parse(definition), { validationOptions: { checkPaths: true, checkArn: true } });
  const input = JSON.parse(inputText);
  // Warm both, untimed: at least 3 runs and 300 ms of each, so that V8 has tiered up both the
  // peer's JavaScript and our WebAssembly (V8 compiles wasm with its baseline compiler first and
  // optimizes the hot functions while they run; a single warm-up left pass_chain 2x slower).
  for (let i = 0, t0 = performance.now(); i < 3 || performance.now() - t0 < 300; i++) runOurs(workload);
  for (let i = 0, t0 = performance.now(); i < 3 || performance.now() - t0 < 300; i++) await runPeer(machine, input);
  const ours = [];
  const theirs = [];
  let status = "";
  // Each round: ours twice, then the peer twice, timing the second of each pair. The first run
  // after the other engine's pays for what that one left in the CPU's caches (measured: our
  // pass_chain took 1.7 ms right after the peer, 0.6 ms right after itself); both engines get
  // the same treatment.
  for (let i = 0; i < runs; i++) {
    runOurs(workload);
    const [ms, s] = runOurs(workload);
    ours.push(ms);
    status = s;
    await runPeer(machine, input);
    theirs.push((await runPeer(machine, input))[0]);
  }
  workload.free();
  if (status !== "SUCCEEDED") throw new Error(`${name}: aslplay ended ${status}`);
  const [a, b] = [median(ours), median(theirs)];
  const ratio = b / a;
  if (ratio < minRatio) below++;
  const shown = ratio >= 1000 ? `${Math.round(ratio).toLocaleString("en-US")}×` : `${ratio.toFixed(1)}×`;
  console.log(`${name.padEnd(18)} ${a.toFixed(2).padStart(14)} ${b.toFixed(1).padStart(12)} ${shown.padStart(13)}`);
}
if (below > 0) {
  console.error(`${below} workload(s) below ${minRatio}×`);
  process.exit(1);
}

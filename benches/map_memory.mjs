// Memory of a distributed Map over 100,000 items in the wasm build, as the page runs it
// (a Session with inspection on, advanced in slices): the WebAssembly memory's size before and
// after, without and with a ResultWriter (whose result files stay in the mocked S3). Wasm
// memory never shrinks, so "after" is the peak. Each case runs in its own node process.
// Needs `make wasm`. Run by `make bench`, or `node benches/map_memory.mjs`.
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const which = process.argv[2];
if (!which) {
  console.log("distributed Map, 100,000 EXPRESS children, wasm memory (page settings)");
  for (const c of ["plain", "writer"])
    console.log(execFileSync(process.execPath, [fileURLToPath(import.meta.url), c], { encoding: "utf8" }).trimEnd());
  process.exit(0);
}
const glue = await import(join(root, "pkg", "aslplay.js"));
const exports = glue.initSync({ module: readFileSync(join(root, "pkg", "aslplay_bg.wasm")) });
const writer = which === "writer";
const items = 100_000;
const def = {
  StartAt: "Each",
  States: {
    Each: {
      Type: "Map",
      ItemReader: {
        Resource: "arn:aws:states:::s3:getObject",
        ReaderConfig: { InputType: "JSON" },
        Parameters: { Bucket: "b", Key: "k" },
      },
      ItemProcessor: {
        ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" },
        StartAt: "P",
        States: { P: { Type: "Pass", End: true } },
      },
      // Without a writer the Map's result (100,000 outputs) exceeds 256 KiB: ignore it.
      ...(writer
        ? { ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "out", Prefix: "r" } } }
        : { ResultPath: null }),
      End: true,
    },
  },
};
const mock = {
  S3Objects: [
    { Bucket: "b", Key: "k", Content: Array.from({ length: items }, (_, i) => ({ id: i, name: `item-${i}` })) },
  ],
};
const mib = (n) => `${(n / 2 ** 20).toFixed(0)} MiB`;
const before = exports.memory.buffer.byteLength;
const session = new glue.Session(JSON.stringify(def), "{}", JSON.stringify(mock), "", "", 0);
const t0 = performance.now();
while (session.status() === "RUNNING") session.run_slice(1000, 5000);
const ms = performance.now() - t0;
const after = exports.memory.buffer.byteLength;
if (session.status() !== "SUCCEEDED") throw new Error(session.result());
console.log(
  `  ${writer ? "with ResultWriter" : "no ResultWriter "}  ${session.status()}  ${ms.toFixed(0).padStart(5)} ms  memory ${mib(before)} -> ${mib(after)}  (${((after - before) / items / 1024).toFixed(2)} KiB per child)`,
);

// Builds the static site into dist/: bundles the page and the engine worker with esbuild,
// copies the HTML, CSS and the wasm module, and prints the gzip size of what a visitor loads.
// Two pages: the playground (index.html, main.js) and the embed (embed.html, embed.js).
// The lessons (www/lessons/) go to dist/lessons/ with tour.json, the list the Learn pane
// shows; Learn mode and its lessons are fetched on demand, not with the first load.
import * as esbuild from "esbuild";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";

const dist = "dist";
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist);
const wasm = "../pkg/aslplay_bg.wasm";
if (!existsSync(wasm)) {
  console.error("pkg/aslplay_bg.wasm is missing: run `make wasm` (or `make build`) first");
  process.exit(1);
}

const built = await esbuild.build({
  entryPoints: { main: "src/main.ts", worker: "src/worker.ts", embed: "src/embed.ts" },
  bundle: true,
  // Shared code goes into chunks, and what is loaded on demand (CodeMirror's search) into its own.
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  metafile: true,
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: "linked",
  outdir: dist,
  legalComments: "linked",
  logLevel: "warning",
});
copyFileSync("index.html", join(dist, "index.html"));
copyFileSync("embed.html", join(dist, "embed.html"));
writeFileSync(
  join(dist, "style.css"),
  (await esbuild.transform(readFileSync("src/style.css", "utf8"), { loader: "css", minify: true })).code,
);
writeFileSync(
  join(dist, "lessons.css"),
  (await esbuild.transform(readFileSync("src/lessons.css", "utf8"), { loader: "css", minify: true })).code,
);
copyFileSync(wasm, join(dist, "aslplay_bg.wasm"));
// The importer module (YAML, templates, history import): fetched by the worker on first use only.
copyFileSync("../pkg/aslplay_importer_bg.wasm", join(dist, "aslplay_importer_bg.wasm"));
// The tools module (TestState, for lesson checks that test one state): fetched on first use only.
copyFileSync("../pkg/aslplay_tools_bg.wasm", join(dist, "aslplay_tools_bg.wasm"));

// The lessons: every file index.json lists, in its order; a missing or unreadable one stops the build.
mkdirSync(join(dist, "lessons"));
const order = JSON.parse(readFileSync("lessons/index.json", "utf8"));
const tour = [];
for (const id of order) {
  const file = join("lessons", `${id}.json`);
  let lesson;
  try {
    lesson = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    console.error(`${file}: ${e.message}`);
    process.exit(1);
  }
  if (lesson.id !== id) {
    console.error(`${file}: its id is "${lesson.id}", not "${id}"`);
    process.exit(1);
  }
  writeFileSync(join(dist, "lessons", `${id}.json`), JSON.stringify(lesson));
  tour.push({ id, title: lesson.title, summary: lesson.summary });
}
writeFileSync(join(dist, "lessons", "tour.json"), JSON.stringify(tour));
const unlisted = readdirSync("lessons").filter((f) => f !== "index.json" && !order.includes(f.replace(/\.json$/, "")));
if (unlisted.length) console.warn(`note: lessons not in lessons/index.json (not built): ${unlisted.join(", ")}`);

// The language module (the editors' completions, hover docs, signature help, quick fixes): fetched
// by the worker on the first editor question, after the page is interactive.
copyFileSync("../pkg/aslplay_language_bg.wasm", join(dist, "aslplay_language_bg.wasm"));

const gz = (f) => gzipSync(readFileSync(join(dist, f)), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const files = [
  ...readdirSync(dist).filter((f) => /\.(js|wasm|css|html)$/.test(f)),
  ...readdirSync(join(dist, "chunks"))
    .filter((f) => f.endsWith(".js"))
    .map((f) => `chunks/${f}`),
];
for (const f of files)
  console.log(`  ${f.padEnd(32)} ${kb(statSync(join(dist, f)).size).padStart(10)}  gzip ${kb(gz(f)).padStart(9)}`);
/** A JS file and every chunk it imports statically (what loading it fetches at once). */
function staticClosure(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const i of built.metafile.outputs[join(dist, file)]?.imports ?? []) {
    if (i.kind === "import-statement") staticClosure(i.path.slice(dist.length + 1), seen);
  }
  return seen;
}
const wasmGz = gz("aslplay_bg.wasm");
// The engine's budget (250,000 bytes gzip) counts its wasm module and its wasm-bindgen glue as
// the page ships it: minified inside the worker's bundle.
const glue = await esbuild.transform(readFileSync("../pkg/aslplay.js", "utf8"), { minify: true, format: "esm" });
const glueGz = gzipSync(glue.code, { level: 9 }).length;
const engine = wasmGz + glueGz;
console.log(
  `gzip engine: wasm ${wasmGz.toLocaleString("en-US")} + glue ${glueGz.toLocaleString("en-US")} (minified) = ${engine.toLocaleString("en-US")} bytes (budget 250,000${engine > 250_000 ? ": OVER" : ""})`,
);
// A visitor loads one page: the playground (main.js) or an embed (embed.js), each with the worker.
for (const [page, entry, html] of [
  ["playground", "main.js", "index.html"],
  ["embed", "embed.js", "embed.html"],
]) {
  const js = new Set([...staticClosure(entry), ...staticClosure("worker.js")]);
  const jsGz = [...js].reduce((a, f) => a + gz(f), 0);
  const rest = gz(html) + gz("style.css");
  console.log(
    `gzip first load, ${page}: wasm ${kb(wasmGz)} + JS ${kb(jsGz)} (${js.size} files) + HTML/CSS ${kb(rest)} = ${kb(wasmGz + jsGz + rest)} (${(wasmGz + jsGz + rest).toLocaleString("en-US")} bytes)`,
  );
}
/** What loading `entry` (a dynamic import) fetches that the page has not loaded already. */
const extra = (entry, loaded) => [...staticClosure(entry)].filter((f) => !loaded.has(f));
const chunkOf = (source) =>
  Object.entries(built.metafile.outputs)
    .find(([, o]) => o.entryPoint === source)?.[0]
    .slice(dist.length + 1);
const learnJs = extra(
  chunkOf("src/lessons/learn.ts"),
  new Set([...staticClosure("main.js"), ...staticClosure("worker.js")]),
);
const lessonsGz = readdirSync(join(dist, "lessons")).reduce((a, f) => a + gz(join("lessons", f)), 0);
console.log(
  `gzip, on demand: importer wasm ${kb(gz("aslplay_importer_bg.wasm"))}; language wasm (editor) ${kb(gz("aslplay_language_bg.wasm"))}; tools wasm (TestState checks) ${kb(gz("aslplay_tools_bg.wasm"))}; Learn mode JS ${kb(learnJs.reduce((a, f) => a + gz(f), 0))} (${learnJs.length} files) + lessons.css ${kb(gz("lessons.css"))}; lessons ${kb(lessonsGz)} (${tour.length} lessons + tour.json, each fetched when opened)`,
);

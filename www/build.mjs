// Builds the static site into dist/: bundles the page and the engine worker with esbuild,
// copies the HTML, CSS and the wasm module, and prints the gzip size of what a visitor loads.
// Two pages: the playground (index.html, main.js) and the embed (embed.html, embed.js).
import * as esbuild from "esbuild";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
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

await esbuild.build({
  entryPoints: { main: "src/main.ts", worker: "src/worker.ts", embed: "src/embed.ts" },
  bundle: true,
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
copyFileSync("src/style.css", join(dist, "style.css"));
copyFileSync(wasm, join(dist, "aslplay_bg.wasm"));
// The importer module (YAML, templates, history import): fetched by the worker on first use only.
copyFileSync("../pkg/aslplay_importer_bg.wasm", join(dist, "aslplay_importer_bg.wasm"));

const sizes = readdirSync(dist)
  .filter((f) => /\.(js|wasm|css|html)$/.test(f))
  .map((f) => {
    const raw = readFileSync(join(dist, f));
    return { f, raw: statSync(join(dist, f)).size, gz: gzipSync(raw, { level: 9 }).length };
  });
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
for (const s of sizes) console.log(`  ${s.f.padEnd(18)} ${kb(s.raw).padStart(10)}  gzip ${kb(s.gz).padStart(9)}`);
const sum = (pick) => sizes.filter((s) => pick.test(s.f)).reduce((a, s) => a + s.gz, 0);
// A visitor loads one page: the playground (main.js) or an embed (embed.js), each with the worker.
for (const [page, js] of [["playground", /^(main|worker)\.js$/], ["embed", /^(embed|worker)\.js$/]]) {
  const engine = /^aslplay_bg\.wasm$/;
  console.log(`gzip total, ${page}: wasm ${kb(sum(engine))} + JS ${kb(sum(js))} = ${kb(sum(engine) + sum(js))}`);
}
console.log(`gzip, on demand: importer wasm ${kb(sum(/^aslplay_importer_bg\.wasm$/))}`);
console.log(`gzip, all files: ${kb(sum(/./))}`);

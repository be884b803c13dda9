#!/usr/bin/env bash
# Builds the library for wasm32 (optimised for size), generates the JS glue with
# wasm-bindgen into pkg/, and shrinks the module with wasm-opt -Oz (binaryen from npm).
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_PROFILE_RELEASE_OPT_LEVEL=z
cargo build --lib --release --target wasm32-unknown-unknown
wasm-bindgen --target web --no-typescript --out-dir pkg --out-name aslplay \
  target/wasm32-unknown-unknown/release/aslplay.wasm

opt=www/node_modules/.bin/wasm-opt
if [ -x "$opt" ] && [ "${WASM_OPT:-1}" != 0 ]; then
  "$opt" -Oz --strip-debug --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    -o pkg/aslplay_bg.opt.wasm pkg/aslplay_bg.wasm
  mv pkg/aslplay_bg.opt.wasm pkg/aslplay_bg.wasm
fi
echo "pkg/aslplay_bg.wasm: $(wc -c < pkg/aslplay_bg.wasm) bytes"
# pkg/ is also a JavaScript package: its API module, types and README.
cp scripts/pkg/package.json scripts/pkg/index.js scripts/pkg/index.d.ts scripts/pkg/README.md pkg/

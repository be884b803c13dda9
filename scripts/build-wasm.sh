#!/usr/bin/env bash
# Builds the library for wasm32 (optimised for size) twice: the engine's module
# (pkg/aslplay_bg.wasm, what every page load fetches) and the importer module
# (pkg/aslplay_importer_bg.wasm, `--features importer`: YAML, CloudFormation/SAM and history
# import, fetched only when needed). Generates the JS glue with wasm-bindgen into pkg/ and
# shrinks each module with wasm-opt -Oz (binaryen from npm).
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_PROFILE_RELEASE_OPT_LEVEL=z
opt=www/node_modules/.bin/wasm-opt

# build <out-name> <target-dir> [cargo args...]
build() {
  local name=$1 dir=$2
  shift 2
  cargo build --lib --release --target wasm32-unknown-unknown --target-dir "$dir" "$@"
  wasm-bindgen --target web --no-typescript --out-dir pkg --out-name "$name" \
    "$dir/wasm32-unknown-unknown/release/aslplay.wasm"
  if [ -x "$opt" ] && [ "${WASM_OPT:-1}" != 0 ]; then
    "$opt" -Oz --strip-debug --strip-producers \
      --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue \
      -o "pkg/${name}_bg.opt.wasm" "pkg/${name}_bg.wasm"
    mv "pkg/${name}_bg.opt.wasm" "pkg/${name}_bg.wasm"
  fi
  echo "pkg/${name}_bg.wasm: $(wc -c < "pkg/${name}_bg.wasm") bytes"
}

build aslplay target
build aslplay_importer target/importer --features importer
# pkg/ is also a JavaScript package: its API module, types and README.
cp scripts/pkg/package.json scripts/pkg/index.js scripts/pkg/index.d.ts scripts/pkg/README.md pkg/

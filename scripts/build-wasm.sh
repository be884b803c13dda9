#!/usr/bin/env bash
# Builds the library for wasm32 (optimised for size) four times: the engine's module
# (pkg/aslplay_bg.wasm, what every page load fetches), the importer module
# (pkg/aslplay_importer_bg.wasm, `--features importer`: YAML, CloudFormation/SAM and history
# import; the page fetches it only when needed), the tools module (pkg/aslplay_tools_bg.wasm,
# `--features tools`: TestState for the JS package, the benchmark and test bindings; never
# loaded by the page) and the language module (pkg/aslplay_language_bg.wasm, `--features
# language`: the editor's completions, hover docs, signature help and quick fixes; the page's
# worker fetches it on the first editor question). Generates the JS glue with wasm-bindgen
# into pkg/ and shrinks each module with wasm-opt (binaryen from npm).
#
# The modules are smallest when built with the dated nightly that Cargo.toml pins
# ([package.metadata.wasm] nightly): std is rebuilt for size and panics abort at once
# (no panic messages or formatting kept). Without that toolchain (scripts/install-tools.sh
# installs it), or with WASM_NIGHTLY=0, or if the nightly build fails, it builds with stable.
# The nightly build also sets `--cfg aslplay_speed`: the scheduler's loop (Execution's
# step_within, advance, schedule, spawn, continue_with/at, emit, push_event) carries
# #[optimize(speed)] in a crate otherwise optimized for size: 1.2 KB gzip for 1.05-1.6x per
# workload (measured A/B in one node process); so do a few leaves every state runs through
# (key lookup, JSONPath selection, payload templates, JSON reading and writing, the payload
# size bound, SHA-256's block): 0.6 KB more for 1.03-1.2x. The whole crate at opt-level 2 would be 2-2.5x
# faster but 115 KB gzip larger (357 KB), far over the page's budget.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_PROFILE_RELEASE_OPT_LEVEL=z
nightly=$(sed -n 's/^nightly = "\(nightly-[0-9-]*\)".*/\1/p' Cargo.toml)
use_nightly=
if [ "${WASM_NIGHTLY:-1}" != 0 ] && [ -n "$nightly" ] \
  && sysroot=$(RUSTUP_AUTO_INSTALL=0 rustup run "$nightly" rustc --print sysroot 2>/dev/null) \
  && [ -d "$sysroot/lib/rustlib/src/rust/library" ]; then
  use_nightly=1
elif [ "${WASM_NIGHTLY:-1}" != 0 ]; then
  echo "note: $nightly with rust-src is not installed (scripts/install-tools.sh installs it);" \
    "building with stable (a larger module)" >&2
fi
opt=www/node_modules/.bin/wasm-opt

# build <out-name> <target-dir suffix> [cargo args...]; WASM_ONLY="aslplay aslplay_language"
# (space-separated module names) builds only those.
build() {
  local name=$1 suffix=$2 built=
  shift 2
  if [ -n "${WASM_ONLY:-}" ] && [[ " $WASM_ONLY " != *" $name "* ]]; then return; fi
  if [ -n "$use_nightly" ]; then
    if RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort --cfg aslplay_speed" \
      cargo "+$nightly" build --lib --release --target wasm32-unknown-unknown \
        -Z build-std=std,panic_abort --target-dir "target/wasm-nightly$suffix" "$@"; then
      built=target/wasm-nightly$suffix/wasm32-unknown-unknown/release/aslplay.wasm
    else
      echo "warning: the $nightly build failed; building with stable instead (a larger module)" >&2
    fi
  fi
  if [ -z "$built" ]; then
    cargo build --lib --release --target wasm32-unknown-unknown --target-dir "target/wasm$suffix" "$@"
    built=target/wasm$suffix/wasm32-unknown-unknown/release/aslplay.wasm
  fi
  wasm-bindgen --target web --no-typescript --out-dir pkg --out-name "$name" "$built"
  # -O2 without inlining functions into their single caller: inlining makes the module
  # smaller raw but about 15 KB larger gzipped (measured), and gzip is what is served.
  # Functions of up to 6 bytes (wrappers, accessors, small drops the size-optimized code
  # calls everywhere) are inlined: +1.1 KB gzip for 1.04-1.13x per workload (A/B in one node
  # process); up to 8 bytes is +2.7 KB, up to 10 +4.7 KB, over the engine's budget.
  if [ -x "$opt" ] && [ "${WASM_OPT:-1}" != 0 ]; then
    "$opt" -O2 --one-caller-inline-max-function-size 0 --always-inline-max-function-size 6 --converge \
      --strip-debug --strip-producers \
      --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue \
      -o "pkg/${name}_bg.opt.wasm" "pkg/${name}_bg.wasm"
    mv "pkg/${name}_bg.opt.wasm" "pkg/${name}_bg.wasm"
  fi
  echo "pkg/${name}_bg.wasm: $(wc -c < "pkg/${name}_bg.wasm") bytes, $(gzip -9c "pkg/${name}_bg.wasm" | wc -c) gzipped"
}

build aslplay ""
build aslplay_importer "-importer" --features importer
build aslplay_tools "-tools" --features tools
# The language module at opt-level 3: it answers on every keystroke over the whole text, and
# the size-optimized code read a 10,000-state definition several times slower.
CARGO_PROFILE_RELEASE_OPT_LEVEL=3 build aslplay_language "-language" --features language
# pkg/ is also a JavaScript package: its API module, types and README.
cp scripts/pkg/package.json scripts/pkg/index.js scripts/pkg/index.d.ts scripts/pkg/README.md pkg/

#!/usr/bin/env bash
# Installs what building the page needs, each step only when it is missing:
# the wasm32 Rust target, the dated nightly toolchain with rust-src that Cargo.toml pins
# for the smallest wasm build ([package.metadata.wasm] nightly; optional: build-wasm.sh
# falls back to stable without it), wasm-bindgen-cli at the exact version Cargo.toml pins
# for the wasm-bindgen crate, and the page's npm packages (npm ci, from package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustc --print target-libdir --target wasm32-unknown-unknown 2>/dev/null | xargs -I{} test -d {}; then
  echo "==> rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

nightly=$(sed -n 's/^nightly = "\(nightly-[0-9-]*\)".*/\1/p' Cargo.toml)
if [ -n "$nightly" ] && ! { sysroot=$(RUSTUP_AUTO_INSTALL=0 rustup run "$nightly" rustc --print sysroot 2>/dev/null) \
    && [ -d "$sysroot/lib/rustlib/src/rust/library" ]; }; then
  echo "==> rustup toolchain install $nightly --profile minimal --component rust-src"
  rustup toolchain install "$nightly" --profile minimal --component rust-src \
    || echo "warning: could not install $nightly; scripts/build-wasm.sh will build with stable (a larger module)" >&2
fi

want=$(sed -n 's/^wasm-bindgen = .*"=\([0-9.]*\)".*/\1/p' Cargo.toml)
if [ -z "$want" ]; then echo "cannot find the pinned wasm-bindgen version in Cargo.toml" >&2; exit 1; fi
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "==> cargo install --locked --version $want wasm-bindgen-cli (have: ${have:-none})"
  cargo install --locked --version "$want" wasm-bindgen-cli
fi

stamp=www/node_modules/.package-lock.stamp
if [ ! -f "$stamp" ] || ! cmp -s www/package-lock.json "$stamp"; then
  echo "==> npm ci (www/)"
  (cd www && npm ci --no-audit --no-fund)
  cp www/package-lock.json "$stamp"
fi

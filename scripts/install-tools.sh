#!/usr/bin/env bash
# Installs what building the page needs, each step only when it is missing:
# the wasm32 Rust target, wasm-bindgen-cli at the exact version Cargo.toml pins for the
# wasm-bindgen crate, and the page's npm packages (npm ci, from package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustc --print target-libdir --target wasm32-unknown-unknown 2>/dev/null | xargs -I{} test -d {}; then
  echo "==> rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
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

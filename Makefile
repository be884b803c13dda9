# The commands the README names. `make serve` on a fresh machine installs what it needs,
# builds the wasm and the page, and serves it on 127.0.0.1:$(PORT).
PORT ?= 8080
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: all build tools wasm www serve test lint fmt test-rust test-browser bench clean

all: build

tools:
	scripts/install-tools.sh

wasm: tools
	scripts/build-wasm.sh

www: tools
	cd www && node build.mjs

## build: a static site in www/dist/ (wasm + JS + HTML), with gzip sizes printed
build: wasm www

## serve: build, then serve www/dist/ on 127.0.0.1:$(PORT)
serve: build
	cd www && PORT=$(PORT) node serve.mjs

## test: the formatters and linters, every Rust test (all targets, with and without --features cli),
## then the browser tests
test: lint test-rust test-browser

## lint: rustfmt and clippy (native, and each of the four wasm modules), Biome on the TypeScript
lint: tools
	cargo fmt --check
	cd fuzz && cargo fmt --check
	cargo clippy --all-targets --all-features -- -D warnings
	for f in "" "--features importer" "--features tools" "--features language"; do \
	  cargo clippy --lib --target wasm32-unknown-unknown --target-dir target/clippy-wasm $$f -- -D warnings || exit 1; done
	www/node_modules/.bin/biome ci --error-on-warnings .

## fmt: rewrites the Rust and TypeScript sources in the house style (what `make lint` checks)
fmt: tools
	cargo fmt
	cd fuzz && cargo fmt
	www/node_modules/.bin/biome format --write .

test-rust:
	cargo test --all-targets
	cargo test --doc
	@if [ -f src/bin/aslplay.rs ]; then cargo test --all-targets --features cli; \
	else echo "src/bin/aslplay.rs does not exist yet: skipping the --features cli run"; fi

test-browser: build
	scripts/install-browser.sh
	cd www && node_modules/.bin/tsc --noEmit -p .
	cd www && node --test --test-concurrency=1 tests/

## bench: the benchmarks: native (divan: time, transitions/s, allocations), the wasm build under node,
## the wasm build side by side with the peer aws-local-stepfunctions (installed into target/peer/),
## the editor's language service (native and wasm, 1,000 and 10,000 states), then the page in
## headless Chromium (time to interactive, Step to screen); build prints the gzip sizes
bench: build
	cargo bench --bench workloads
	node benches/wasm.mjs
	node benches/peer.mjs
	cargo bench --bench language
	node benches/language.mjs
	node benches/map_memory.mjs
	scripts/install-browser.sh
	node benches/page.mjs

clean:
	rm -rf pkg www/dist

# mpsocket: `make demo` to try it, `make test` to check everything.
# Each target installs what it needs first (scripts/setup.sh; idempotent, ~1 s when warm).

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
.DEFAULT_GOAL := help

.PHONY: help setup setup-browser pkg test test-native lint mutation-check demo bench soak clean

help:
	@echo "make demo            build the package, serve www/ + pkg/ on http://127.0.0.1:8080, Ctrl-C stops"
	@echo "make test            everything CI runs: lint, native tests, browser tests, page tests, mutants"
	@echo "make pkg             build the npm package into pkg/ (wasm-opt'd, with a size report)"
	@echo "make test-native     cargo test --workspace (no browser)"
	@echo "make lint            rustfmt --check + clippy -D warnings (native and wasm32)"
	@echo "make mutation-check  the page tests must fail against broken copies of pkg/"
	@echo "make bench           mpsocket vs raw WebSocket, reconnecting-websocket, partysocket, Taro H5 (~20 min; table in bench/results.md)"
	@echo "                     QUICK=1: every figure with fewer samples (~2 min)"
	@echo "make soak            fault soak of pkg/ in Chromium (default 10 min; SEED=N reproduces a schedule, DURATION=SECONDS)"
	@echo "make clean           remove target/, pkg/, .test-run/ and tools/node_modules/"

setup:
	@scripts/setup.sh

setup-browser:
	@scripts/setup.sh --browser

pkg: setup
	@scripts/build-pkg.sh

test: setup-browser
	@scripts/test.sh

test-native:
	cargo test --workspace

lint: setup
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p mpsocket --lib --target wasm32-unknown-unknown -- -D warnings

mutation-check: setup-browser pkg
	@scripts/mutation-check.sh

demo: setup pkg
	@scripts/demo.sh

bench: setup-browser pkg
	@scripts/bench.sh $(if $(QUICK),--quick)

soak: setup-browser pkg
	@cargo build -q -p mpsocket-server --release
	@node tests/soak/run.mjs --duration "$${DURATION:-600}" $${SEED:+--seed "$$SEED"}

clean:
	cargo clean
	rm -rf pkg .test-run tools/node_modules bench/node_modules bench/dist

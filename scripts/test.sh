#!/usr/bin/env bash
# The whole test suite, as `make test` and CI run it (after scripts/setup.sh --browser).
# Fails fast; each section prints its time. Warm: a few minutes. Cold: add ~5 min of compiling.
#   1. lint         cargo fmt --check, clippy (native + wasm32) with -D warnings
#   2. native       cargo test --workspace (core unit + property tests, server tests)
#   3. server       build + start mpsocket-server on a free port (stopped on exit)
#   4. package      make the npm package (pkg/): wasm + the JS edge, with a size report
#   5. page         black-box page tests of pkg/ in Chromium (the contract, resilience, shims)
#   6. mutants      the page tests must FAIL against deliberately broken copies of pkg/
#   then            every scripts/test.d/*.sh, in name order (sourced: each opens its own
#                   `section`; SERVER_PORT, MPSOCKET_TEST_DEAD_PORT and pkg/ are ready)
set -euo pipefail
cd "$(dirname "$0")/.."
LOG_TAG=test
. scripts/lib.sh
export PATH="$HOME/.cargo/bin:$PATH"

command -v wasm-bindgen >/dev/null && [ -x tools/node_modules/.bin/wasm-opt ] &&
  [ -x /usr/bin/chromium ] || die "tools are missing: run scripts/setup.sh --browser (or make test)"
wasm=wasm32-unknown-unknown

section "1/6 lint: rustfmt + clippy"
cargo fmt --all -- --check
say "clippy, native, all targets"
cargo clippy -q --workspace --all-targets -- -D warnings
say "clippy, $wasm, library"
cargo clippy -q -p mpsocket --lib --target "$wasm" -- -D warnings

section "2/6 native tests: cargo test --workspace"
cargo test --workspace

section "3/6 test server"
build_server
mkdir -p pkg .test-run/mutants
start_server --static www --mount /pkg=pkg --mount /tests=tests --mount /mutants=.test-run/mutants
dead_port=$(free_port)
export MPSOCKET_TEST_PORT=$SERVER_PORT MPSOCKET_TEST_DEAD_PORT=$dead_port
say "MPSOCKET_TEST_PORT=$MPSOCKET_TEST_PORT MPSOCKET_TEST_DEAD_PORT=$MPSOCKET_TEST_DEAD_PORT"

section "4/6 package: wasm + JS edge into pkg/"
scripts/build-pkg.sh

section "5/6 page tests (pkg/ in headless Chromium)"
node tests/page/run.mjs --base "http://127.0.0.1:$SERVER_PORT" --dead-port "$dead_port"

section "6/6 mutation check: the page tests must catch broken builds"
scripts/mutation-check.sh

for extra in scripts/test.d/*.sh; do
  [ -f "$extra" ] || continue
  # shellcheck source=/dev/null
  . "$extra"
done

end_sections
say "all sections passed"

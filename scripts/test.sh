#!/usr/bin/env bash
# The whole test suite, as `make test` and CI run it (after scripts/setup.sh --browser).
# Fails fast; each section prints its time. Warm: a few minutes. Cold: add ~5 min of compiling.
#   1. lint         cargo fmt --check, clippy (native + wasm32) with -D warnings
#   2. native       cargo test --workspace (core unit + property tests, server tests)
#   3. server       build + start mpsocket-server on a free port (stopped on exit)
#   4. browser      wasm-bindgen-test in headless Chromium against that server
#   5. page         make the npm package (pkg/), then black-box page tests of it in Chromium
#   6. mutants      the page tests must FAIL against deliberately broken copies of pkg/
#   then            every scripts/test.d/*.sh, in name order (sourced: each opens its own
#                   `section`; SERVER_PORT, MPSOCKET_TEST_DEAD_PORT and pkg/ are ready)
set -euo pipefail
cd "$(dirname "$0")/.."
LOG_TAG=test
. scripts/lib.sh
export PATH="$HOME/.cargo/bin:$PATH"

command -v wasm-bindgen-test-runner >/dev/null && [ -x tools/node_modules/.bin/wasm-opt ] &&
  [ -x /usr/bin/chromium ] || die "tools are missing: run scripts/setup.sh --browser (or make test)"
wasm=wasm32-unknown-unknown
# The browser test files: tests/*.rs that configure wasm-bindgen-test with run_in_browser.
browser_tests=()
for f in tests/*.rs; do
  if [ -f "$f" ] && grep -q 'run_in_browser' "$f"; then browser_tests+=(--test "$(basename "$f" .rs)"); fi
done

section "1/6 lint: rustfmt + clippy"
cargo fmt --all -- --check
say "clippy, native, all targets"
cargo clippy -q --workspace --all-targets -- -D warnings
say "clippy, $wasm, library"
cargo clippy -q -p mpsocket --lib --target "$wasm" -- -D warnings
if [ ${#browser_tests[@]} -gt 0 ]; then
  say "clippy, $wasm, browser tests (${browser_tests[*]})"
  cargo clippy -q -p mpsocket --target "$wasm" "${browser_tests[@]}" -- -D warnings
fi

section "2/6 native tests: cargo test --workspace"
cargo test --workspace

section "3/6 test server"
build_server
mkdir -p pkg .test-run/mutants
start_server --static www --mount /pkg=pkg --mount /tests=tests --mount /mutants=.test-run/mutants
dead_port=$(free_port)
export MPSOCKET_TEST_PORT=$SERVER_PORT MPSOCKET_TEST_DEAD_PORT=$dead_port
say "MPSOCKET_TEST_PORT=$MPSOCKET_TEST_PORT MPSOCKET_TEST_DEAD_PORT=$MPSOCKET_TEST_DEAD_PORT"

section "4/6 browser tests: wasm-bindgen-test in headless Chromium"
[ ${#browser_tests[@]} -gt 0 ] || die "no browser tests found (tests/*.rs with run_in_browser)"
say "cargo test --target $wasm ${browser_tests[*]} (one headless Chromium per file)"
cargo test -p mpsocket --target "$wasm" "${browser_tests[@]}"

section "5/6 package + page tests (pkg/ in headless Chromium)"
scripts/build-pkg.sh
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

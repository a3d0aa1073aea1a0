#!/usr/bin/env bash
# `make bench`: mpsocket against raw WebSocket, reconnecting-websocket, partysocket and Taro H5
# in headless Chromium, against a local mpsocket-server. First the "thin at the edge" targets
# (size, start-up with its breakdown, ns added per message over raw WebSocket, wasm memory),
# each PASS / MISS, then the network figures. `make test` runs the quick mode
# (scripts/test.d/60-bench-smoke.sh) and checks only that every figure comes out.
#
#   scripts/bench.sh [--quick] [--pkg DIR] [--out DIR] [run.mjs options: --rounds N --parts edge ...]
#
#   --quick      fewer samples, every figure still printed (about 2 minutes; full: about 20)
#                (`make bench QUICK=1`); --smoke is --quick writing to .test-run/bench-smoke/
#   --pkg DIR    the package to measure (default pkg/), e.g. /work/baseline-pkg
#   --out DIR    where results.md and results.json go (default bench/)
#
#   1. bench/node_modules from bench/package-lock.json (npm ci; skipped when up to date)
#   2. bench/build.mjs: esbuild bundles of every library (and the package) into OUT/dist
#      (bench/dist by default; each output folder has its own, so runs don't collide), and
#      their sizes (plus the package's classic single file)
#   3. mpsocket-server on a free port of 127.0.0.1 (bench/www at /, OUT/dist at /dist),
#      its own log in .test-run/bench-server.log, stopped on exit
#   4. bench/run.mjs: the tables to stdout and DIR/results.md, JSON to DIR/results.json
# Needs the package built and Chromium installed (make bench does both first).
set -euo pipefail
start_dir=$PWD
command="scripts/bench.sh${*:+ $*}"
[ -n "${MAKELEVEL:-}" ] && command="make bench (${command})"
cd "$(dirname "$0")/.."
LOG_TAG=bench
. scripts/lib.sh
export PATH="$HOME/.cargo/bin:$PATH"

smoke=0
out=""
pkg=pkg
pass=()
abs() { case "$1" in /*) echo "$1" ;; *) echo "$start_dir/$1" ;; esac; }
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) pass+=(--quick); shift ;;
    --smoke) smoke=1; pass+=(--quick); shift ;;
    --out) out=$(abs "$2"); shift 2 ;;
    --pkg) pkg=$(abs "$2"); shift 2 ;;
    -h | --help) sed -n '2,25p' "$0"; exit 0 ;;
    *) pass+=("$1"); shift ;;
  esac
done
if [ -z "$out" ]; then
  if [ "$smoke" = 1 ]; then out=.test-run/bench-smoke; else out=bench; fi
fi

[ -f "$pkg/package.json" ] || die "$pkg is not a built package: run make bench (or make pkg first)"
[ -x /usr/bin/chromium ] || [ -n "${CHROMIUM:-}" ] || die "chromium is missing: run make bench (or scripts/setup.sh --browser)"
[ -d tools/node_modules/playwright-core ] || die "tools/node_modules is missing: run scripts/setup.sh"

# 1. npm packages, exactly as the lock pins them; the stamp holds a hash of manifest + lock + node.
stamp=bench/node_modules/.mpsocket-installed
want_stamp=$(cat bench/package.json bench/package-lock.json <(node --version) | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want_stamp" ] || ! [ -x bench/node_modules/.bin/esbuild ]; then
  say "installing the compared libraries into bench/node_modules (a few seconds, once)"
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want_stamp" >"$stamp"
fi

# 2. bundles + sizes
dist="$out/dist"
say "bundling each library with esbuild (minified) into $dist"
node bench/build.mjs --pkg "$pkg" --dist "$dist"

# 3. a server of our own: /control/restart must not disturb anyone else's connections
build_server
mkdir -p .test-run
port_file=.test-run/bench-port.$$
rm -f "$port_file"
"$SERVER_BIN" --port 0 --port-file "$port_file" --static bench/www --mount "/dist=$dist" \
  >.test-run/bench-server.log 2>&1 &
bench_pid=$!
on_exit "kill $bench_pid 2>/dev/null; wait $bench_pid 2>/dev/null; rm -f $port_file"
for _ in $(seq 100); do
  [ -s "$port_file" ] && break
  kill -0 "$bench_pid" 2>/dev/null || { cat .test-run/bench-server.log >&2; die "mpsocket-server exited during start-up"; }
  sleep 0.1
done
[ -s "$port_file" ] || die "mpsocket-server wrote no port file within 10 s"
port=$(tr -d '[:space:]' <"$port_file")
say "mpsocket-server (pid $bench_pid) on http://127.0.0.1:$port"

# 4. the run
started=$SECONDS
node bench/run.mjs --base "http://127.0.0.1:$port" --out "$out" --dist "$dist" --command "$command" "${pass[@]}"
say "the benchmark took $((SECONDS - started)) s after bundling; results in $out/results.md and $out/results.json"

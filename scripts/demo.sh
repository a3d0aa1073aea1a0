#!/usr/bin/env bash
# Serves the demo page (www/: index.html, demo.js, demo.css) and the built package (/pkg)
# with mpsocket-server on http://127.0.0.1:8080 (or a free port if 8080 is taken), with the
# echo endpoint and the /control/* faults the page's buttons use. Ctrl-C stops it.
# `make demo` runs the set-up and `make pkg` first. Tested by tests/demo/run.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
LOG_TAG=demo
. scripts/lib.sh
export PATH="$HOME/.cargo/bin:$PATH"

[ -f pkg/index.js ] || die "pkg/ is not built: run make demo (or make pkg first)"
build_server
port=${PORT:-8080}
# Same socket options as the server (SO_REUSEADDR), so a port in TIME_WAIT counts as free.
if ! python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen()' "$port" 2>/dev/null; then
  say "port $port is busy: using a free port instead"
  port=0
fi
mkdir -p .test-run
port_file=.test-run/demo-port
rm -f "$port_file"
"$SERVER_BIN" --port "$port" --port-file "$port_file" --static www --mount /pkg=pkg &
pid=$!
on_exit "kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f $port_file"
for _ in $(seq 100); do [ -s "$port_file" ] && break; sleep 0.1; done
[ -s "$port_file" ] || die "the server did not start"
say "open http://127.0.0.1:$(tr -d '[:space:]' <"$port_file")/ in a browser (Ctrl-C stops the server)"
say "then break the server with its buttons (drop all, go silent, restart) and watch the two sockets"
wait "$pid"

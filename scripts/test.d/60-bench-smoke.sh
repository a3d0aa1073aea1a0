# shellcheck shell=bash
# `make bench` with tiny counts (a few seconds of measuring), so the harness can't rot: every
# library loads and every figure comes out as a number. No timing is asserted. It runs its own
# server (the benchmark restarts it), and writes to .test-run/bench-smoke/, never bench/.
section "bench smoke: make bench with tiny counts (numbers come out, no timing asserted)"
scripts/bench.sh --smoke --out .test-run/bench-smoke >.test-run/bench-smoke.log 2>&1 || {
  tail -n 40 .test-run/bench-smoke.log
  die "the benchmark smoke run failed (log: .test-run/bench-smoke.log)"
}
node bench/check-smoke.mjs .test-run/bench-smoke/results.json

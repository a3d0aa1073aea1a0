# shellcheck shell=bash
# `make bench QUICK=1` (scripts/bench.sh --quick: every figure of the benchmark, with fewer
# samples; about 2 minutes), so the harness can't rot: every library loads, every figure comes
# out as a finite number, every "thin at the edge" target is evaluated. Whether a target is met
# is reported in the results, never asserted here (no timing test). It runs its own server
# (the benchmark restarts it) and writes to .test-run/bench-smoke/, never bench/.
section "bench quick: every benchmark figure comes out (targets reported, not asserted)"
scripts/bench.sh --quick --out .test-run/bench-smoke >.test-run/bench-smoke.log 2>&1 || {
  tail -n 40 .test-run/bench-smoke.log
  die "the quick benchmark run failed (log: .test-run/bench-smoke.log)"
}
sed -n '/^## Thin at the edge/,/^Receive and send:/p' .test-run/bench-smoke/results.md | head -n 24
node bench/check-smoke.mjs .test-run/bench-smoke/results.json

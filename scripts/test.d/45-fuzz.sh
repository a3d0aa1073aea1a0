# shellcheck shell=bash
# Hostile-input fuzz and "Node never crashes" (the issue "Delivery you can trust"):
#   1. tests/fuzz/run.mjs   every public function, SocketTask method and option key with
#                           hostile values (tests/fuzz/values.js, doubles.js) in headless
#                           Chromium, against pkg/index.js
#   2. tests/fuzz/node.mjs  the same cases in plain Node on pkg/node.js with npm ws
#   3. tests/node/crash.mjs connect timeout, refused port, silent server, mid-handshake close,
#                           ...: the Node process must survive, hear onError/onClose, and exit
#   4. tests/fuzz/selftest.mjs  the fuzz must catch each defect of tests/fuzz/broken.mjs
# Each fuzz run prints `N calls, T traps, U uncaught, S sync-throws, P poisoned, K stuck,
# X unsettled` and fails on any non-zero count. All three run before the section fails, so
# one run shows every total. FUZZ_RANDOM=M [FUZZ_SEED=N] adds a seeded random run (M actions)
# in both runtimes.
section "fuzz: hostile input (Chromium + Node), Node never crashes"
fuzz_failed=()
say "Chromium: hostile values in every position (tests/fuzz/run.mjs)"
node tests/fuzz/run.mjs --base "http://127.0.0.1:$SERVER_PORT" --dead-port "$MPSOCKET_TEST_DEAD_PORT" || fuzz_failed+=(chromium)
say "Node + ws: the same cases on pkg/node.js (tests/fuzz/node.mjs)"
node tests/fuzz/node.mjs --port "$SERVER_PORT" --dead-port "$MPSOCKET_TEST_DEAD_PORT" || fuzz_failed+=(node)
# The seeded random mode (valid and hostile calls mixed with server faults) runs too: 300
# actions per runtime with a fixed seed by default (a failure replays exactly); set
# FUZZ_RANDOM / FUZZ_SEED for longer or other runs (FUZZ_SEED=random picks one and prints it).
FUZZ_RANDOM=${FUZZ_RANDOM:-300}
if [ "$FUZZ_RANDOM" != 0 ]; then
  fuzz_seed=${FUZZ_SEED:-20261203}
  [ "$fuzz_seed" = random ] && fuzz_seed=$(( $(date +%s) % 2147483647 ))
  say "random mode: seed $fuzz_seed, $FUZZ_RANDOM actions (replay: FUZZ_SEED=$fuzz_seed FUZZ_RANDOM=$FUZZ_RANDOM)"
  node tests/fuzz/run.mjs --base "http://127.0.0.1:$SERVER_PORT" --dead-port "$MPSOCKET_TEST_DEAD_PORT" --seed "$fuzz_seed" --random "$FUZZ_RANDOM" || fuzz_failed+=("chromium random seed $fuzz_seed")
  node tests/fuzz/node.mjs --port "$SERVER_PORT" --dead-port "$MPSOCKET_TEST_DEAD_PORT" --seed "$fuzz_seed" --random "$FUZZ_RANDOM" || fuzz_failed+=("node random seed $fuzz_seed")
fi
say "Node + ws: connection failures must not crash the process (tests/node/crash.mjs)"
node tests/node/crash.mjs --port "$SERVER_PORT" || fuzz_failed+=("node crash scenarios")
say "the fuzz itself must fail against a deliberately broken package (tests/fuzz/selftest.mjs)"
node tests/fuzz/selftest.mjs --port "$SERVER_PORT" || fuzz_failed+=("fuzz self-test")
[ ${#fuzz_failed[@]} -eq 0 ] || die "fuzz: failed: ${fuzz_failed[*]}"

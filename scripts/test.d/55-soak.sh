# shellcheck shell=bash
# Fault soak, quick mode (~60 s): tasks stream numbered messages through drops, silences,
# restarts, close codes, offline/online and hidden/visible; every message must settle once and
# arrive in order without duplicates. It starts its own server (its faults hit every connection).
# SOAK_SEED=N reproduces a run's schedule (the seed is printed); `make soak` is the long run.
section "soak: delivery through a seeded fault schedule (quick, ~60 s)"
node tests/soak/run.mjs --duration "${SOAK_DURATION:-50}" ${SOAK_SEED:+--seed "$SOAK_SEED"}

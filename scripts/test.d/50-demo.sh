# shellcheck shell=bash
# The demo page (www/) in headless Chromium against the test server (which serves www/ at /
# and the package at /pkg): load, a fault (drop all), counts, screenshots in .test-run/.
section "demo: www/ with a fault, counts and a screenshot (Playwright)"
node tests/demo/run.mjs --base "http://127.0.0.1:$SERVER_PORT" --out .test-run

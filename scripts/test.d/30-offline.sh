# shellcheck shell=bash
# Offline/online scenarios: Chromium's offline emulation, driven from Playwright.
section "offline/online: network status, paused reconnect, probe (Playwright)"
node tests/offline/run.mjs --base "http://127.0.0.1:$SERVER_PORT"

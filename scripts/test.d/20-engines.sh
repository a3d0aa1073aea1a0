# shellcheck shell=bash
# The black-box page suite (tests/page/) in the two other browser engines, through the driver
# layer tests/drivers/index.mjs: Firefox ESR (puppeteer-core over WebDriver BiDi) and WebKitGTK
# (MiniBrowser under WebKitWebDriver, on its own Xvfb display). Chromium ran it in section 5/6.
# Both engines always run; the section fails if either failed. Cases an engine cannot run are
# listed with their reason in tests/page/run.mjs (SKIP) and printed. JSON reports go to
# .test-run/page-<engine>.json. About 1.5 minutes.
section "engines: page tests in Firefox and WebKit"
for f in /usr/bin/firefox-esr /usr/bin/WebKitWebDriver /usr/bin/Xvfb; do
  [ -x "$f" ] || die "$f is missing: run scripts/setup.sh --browser"
done
engines_failed=()
for engine in firefox webkit; do
  say "page tests in $engine"
  if ! node tests/page/run.mjs --engine "$engine" --base "http://127.0.0.1:$SERVER_PORT" \
    --dead-port "$MPSOCKET_TEST_DEAD_PORT" --report ".test-run/page-$engine.json"; then
    engines_failed+=("$engine")
  fi
done
[ ${#engines_failed[@]} -eq 0 ] || die "page tests failed in: ${engines_failed[*]}"

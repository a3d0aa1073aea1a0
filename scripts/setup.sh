#!/usr/bin/env bash
# Idempotent set-up for `make pkg`, `make test` and `make demo` on a fresh Debian 12 machine
# (see docs: Rust via rustup, Node 20 + npm, Python 3 and gcc are assumed to be there).
#
#   scripts/setup.sh            wasm32 target, wasm-bindgen-cli, npm tooling in tools/
#   scripts/setup.sh --browser  the same, plus Debian's browsers: chromium + chromium-driver,
#                               firefox-esr, webkit2gtk-driver (WebKitGTK MiniBrowser) + xvfb
#
# Every step checks first and is skipped when already satisfied, so a warm run takes ~1 s.
#  1. rustup target wasm32-unknown-unknown, components rustfmt + clippy (seconds, once)
#  1b. the pinned nightly (scripts/nightly.env) with rust-src, for the size build of the wasm
#     (build-std + panic=immediate-abort; scripts/build-pkg.sh falls back to stable without it)
#  2. wasm-bindgen-cli at exactly the version in Cargo.lock      (about 2 minutes, once)
#     Installed WITHOUT --locked: the crate registry mirror lacks some of its locked deps.
#  3. with --browser, via apt-get, only what is missing        (about 3 minutes, ~1 GB, once)
#     chromium + chromium-driver (page and wasm-bindgen tests), firefox-esr and
#     webkit2gtk-driver + xvfb (the page tests in Firefox and WebKit, scripts/test.d/20-engines.sh)
#  4. tools/node_modules from tools/package-lock.json (npm ci)  (a few seconds, once)
#     binaryen (wasm-opt; never Debian's /usr/bin/wasm-opt, it breaks wasm-bindgen output),
#     playwright-core (drives /usr/bin/chromium; never downloads a browser), ws,
#     puppeteer-core (drives firefox-esr over WebDriver BiDi), selenium-webdriver (WebKitWebDriver).
set -euo pipefail
cd "$(dirname "$0")/.."
LOG_TAG=setup
. scripts/lib.sh

want_browser=0
for a in "$@"; do
  case "$a" in
    --browser) want_browser=1 ;;
    -h | --help) sed -n '2,19p' "$0"; exit 0 ;;
    *) die "unknown argument $a" ;;
  esac
done

export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo >/dev/null || die "cargo not found: install Rust with rustup first"
command -v node >/dev/null || die "node not found: install Node.js >= 18 first"
command -v npm >/dev/null || die "npm not found: install npm first"

# 1. wasm target (+ rustfmt and clippy for the lint step; a minimal rustup profile lacks them)
missing=()
for c in rustfmt clippy; do
  rustup component list --installed | grep -q "^$c-" || missing+=("$c")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "adding rust components ${missing[*]} (a few seconds)"
  rustup component add "${missing[@]}"
fi
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding rust target wasm32-unknown-unknown (a few seconds)"
  rustup target add wasm32-unknown-unknown
fi

# 1b. The pinned nightly for the release wasm: a toolchain already named `nightly` whose
# date matches is used as is; otherwise nightly-DATE is installed (minimal profile).
. scripts/nightly.env
if ! nightly_toolchain >/dev/null; then
  say "installing Rust $MPSOCKET_NIGHTLY (minimal, with rust-src) for the size build (about a minute, once)"
  rustup toolchain install "$MPSOCKET_NIGHTLY" --profile minimal --component rust-src ||
    say "could not install $MPSOCKET_NIGHTLY: the package will be built with stable (larger wasm)"
fi
if tc=$(nightly_toolchain); then
  if ! rustup component list --installed --toolchain "$tc" 2>/dev/null | grep -q '^rust-src'; then
    say "adding rust-src to $tc (a few seconds, once)"
    rustup component add rust-src --toolchain "$tc" || say "could not add rust-src to $tc"
  fi
fi

# 2. wasm-bindgen-cli at the locked version
if [ ! -f Cargo.lock ]; then
  say "no Cargo.lock yet: generating it"
  cargo generate-lockfile
fi
wbg_version=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
[ -n "$wbg_version" ] || die "could not read the wasm-bindgen version from Cargo.lock"
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
have_runner=$(wasm-bindgen-test-runner --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$wbg_version" ] || [ "$have_runner" != "$wbg_version" ]; then
  say "installing wasm-bindgen-cli $wbg_version (have: ${have:-none}; about 2 minutes, once)"
  cargo install wasm-bindgen-cli --version "$wbg_version" --force
fi

# 3. Browsers from Debian: each package is checked by a file it installs; only missing ones are
# installed (one apt-get update + install). MiniBrowser comes with webkit2gtk-driver's
# dependency libwebkit2gtk-4.1-0.
if [ "$want_browser" = 1 ]; then
  browser_files=(
    chromium:/usr/bin/chromium
    chromium-driver:/usr/bin/chromedriver
    firefox-esr:/usr/bin/firefox-esr
    webkit2gtk-driver:/usr/bin/WebKitWebDriver
    xvfb:/usr/bin/Xvfb
  )
  missing=()
  for pf in "${browser_files[@]}"; do
    [ -x "${pf#*:}" ] || missing+=("${pf%%:*}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} from Debian (about 1 minute per browser, once)"
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  for pf in "${browser_files[@]}"; do
    [ -x "${pf#*:}" ] || die "${pf#*:} (Debian package ${pf%%:*}) is missing after install"
  done
  minibrowser=$(dpkg -L libwebkit2gtk-4.1-0 2>/dev/null | grep '/MiniBrowser$' | head -n1 || true)
  [ -n "$minibrowser" ] && [ -x "$minibrowser" ] || die "WebKitGTK's MiniBrowser is missing (package libwebkit2gtk-4.1-0)"
fi

# 4. npm packages into tools/node_modules, exactly as tools/package-lock.json pins them.
# The stamp holds a hash of the manifest + lock + node version; a change re-installs.
stamp=tools/node_modules/.mpsocket-installed
want_stamp=$(cat tools/package.json tools/package-lock.json <(node --version) | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want_stamp" ] || ! [ -x tools/node_modules/.bin/wasm-opt ]; then
  say "installing npm packages into tools/node_modules (a few seconds, once)"
  (cd tools && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want_stamp" >"$stamp"
fi
say "ready (wasm-bindgen $wbg_version, $(tools/node_modules/.bin/wasm-opt --version | awk '{print $1, $3}'))"

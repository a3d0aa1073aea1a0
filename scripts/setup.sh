#!/usr/bin/env bash
# Idempotent set-up for `make test` / `make demo` on a fresh Debian 12 machine.
# Installs: the wasm32 target, wasm-bindgen-cli at the version locked in Cargo.lock,
# Debian's chromium + chromedriver (only when asked with --browser), and the project's
# npm packages into tools/node_modules. Every step is skipped when already satisfied.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
for a in "$@"; do
  case "$a" in
    --browser) want_browser=1 ;;
  esac
done

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# 1. wasm target
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli at the locked version (no --locked: the mirror lacks some pinned deps)
if [ ! -f Cargo.lock ]; then cargo generate-lockfile; fi
wbg_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
if [ -z "$wbg_version" ]; then
  echo "[setup] could not read the wasm-bindgen version from Cargo.lock" >&2
  exit 1
fi
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$wbg_version" ]; then
  say "installing wasm-bindgen-cli $wbg_version (about 2 minutes, once)"
  cargo install -q wasm-bindgen-cli --version "$wbg_version" --force
fi

# 3. Chromium + chromedriver from Debian
if [ "$want_browser" = 1 ]; then
  if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    say "installing chromium and chromium-driver from Debian"
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
fi

# 4. npm packages (binaryen for wasm-opt, playwright-core, ws, ...) into tools/
if [ ! -d tools/node_modules ] || [ tools/package.json -nt tools/node_modules/.installed ]; then
  say "installing npm packages into tools/node_modules"
  (cd tools && npm install --no-audit --no-fund --loglevel=error && touch node_modules/.installed)
fi
say "ready"

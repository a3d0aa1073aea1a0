#!/usr/bin/env bash
# Proves the page tests can fail: runs them against deliberately broken copies of pkg/ and
# REQUIRES every run to fail. Exits non-zero if any mutant survives.
#
#   scripts/mutation-check.sh [--pkg DIR]     (default pkg/; build it first with make pkg)
#
# Mutants (see scripts/mutants/README.md):
#   close-code, send-drop, complete-twice   one text replacement each in a copy's edge.js
#   wasm-reason                             one byte of "normal closure" flipped inside the .wasm
# For each mutant: first the sanity cases named in its file must PASS (the mutant loaded and
# works apart from its planted bug), then the whole suite (stopping at the first failure)
# must FAIL. Takes 10-30 s. Starts its own mpsocket-server on a free port.
set -euo pipefail
cd "$(dirname "$0")/.."
LOG_TAG=mutants
. scripts/lib.sh
export PATH="$HOME/.cargo/bin:$PATH"

pkg=pkg
while [ $# -gt 0 ]; do
  case "$1" in
    --pkg) pkg="$2"; shift 2 ;;
    *) die "unknown argument $1" ;;
  esac
done
[ -f "$pkg/index.js" ] && [ -f "$pkg/mpsocket_bg.wasm" ] || die "$pkg/ is not a built package: run make pkg first"

work=.test-run/mutants
rm -rf "$work"
mkdir -p "$work"

mutants=()
for f in scripts/mutants/*.txt; do
  name=$(basename "$f" .txt)
  cp -r "$pkg" "$work/$name"
  node - "$f" "$work/$name" "$work/$name.sanity" <<'JS'
const fs = require('fs');
const path = require('path');
const [spec, dir, sanityOut] = process.argv.slice(2);
const field = (k) => {
  const m = fs.readFileSync(spec, 'utf8').match(new RegExp(`^${k}: (.*)$`, 'm'));
  if (!m) throw new Error(`${spec}: no "${k}:" line`);
  return m[1].replace(/\\n/g, '\n');
};
const file = path.join(dir, field('file'));
const src = fs.readFileSync(file, 'utf8');
const from = field('from');
const n = src.split(from).length - 1;
if (n !== 1) throw new Error(`${spec}: "from" occurs ${n} times in ${file} (must be once): update the mutant`);
fs.writeFileSync(file, src.replace(from, () => field('to')));
fs.writeFileSync(sanityOut, field('sanity') + '\n');
JS
  mutants+=("$name")
done

# The wasm-level mutant: same-length byte flip inside a string of the data section.
name=wasm-reason
cp -r "$pkg" "$work/$name"
if python3 - "$work/$name/mpsocket_bg.wasm" <<'PY'; then
import sys
path = sys.argv[1]
data = open(path, 'rb').read()
needle = b'normal closure'
if data.count(needle) == 0:
    sys.exit(1)
open(path, 'wb').write(data.replace(needle, b'normal closurE'))
PY
  echo '^(import|echo: text)' >"$work/$name.sanity"
  mutants+=("$name")
else
  printf '\033[1;33m[mutants] warning:\033[0m "normal closure" is not in the .wasm: the wasm-reason mutant is skipped\n'
  rm -rf "${work:?}/$name"
fi

build_server
start_server --mount /tests=tests --mount /mutants="$work"
dead_port=$(free_port)
base="http://127.0.0.1:$SERVER_PORT"

survivors=()
for name in "${mutants[@]}"; do
  sanity=$(cat "$work/$name.sanity")
  say "mutant $name: sanity cases /$sanity/ must pass"
  if ! node tests/page/run.mjs --quiet --base "$base" --dead-port "$dead_port" \
    --pkg "/mutants/$name/index.js" --grep "$sanity"; then
    die "mutant $name is broken beyond its planted bug (its sanity cases failed): fix the mutant"
  fi
  say "mutant $name: the full suite must fail"
  report="$work/$name.report.json"
  if node tests/page/run.mjs --quiet --bail --base "$base" --dead-port "$dead_port" \
    --pkg "/mutants/$name/index.js" --report "$report"; then
    printf '\033[1;31m[mutants] mutant %s SURVIVED: the page tests passed against a broken package\033[0m\n' "$name"
    survivors+=("$name")
  else
    by=$(node -e 'const r = require(process.argv[1]); const f = (r.cases || []).filter((c) => !c.ok);
      console.log(f.length ? f.map((c) => `"${c.name}" (${String(c.error).split("\n")[0]})`).join("; ")
        : (r.pageErrors || []).length ? "an uncaught page error" : "the page not finishing")' "$PWD/$report")
    printf '\033[1;32m[mutants] mutant %s caught\033[0m by %s\n' "$name" "$by"
  fi
done

if [ ${#survivors[@]} -gt 0 ]; then
  die "${#survivors[@]} of ${#mutants[@]} mutants survived: ${survivors[*]}"
fi
say "all ${#mutants[@]} mutants caught"

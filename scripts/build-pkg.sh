#!/usr/bin/env bash
# Builds the npm package into pkg/ (or the folder given with --out DIR):
#   1. cargo build --lib --release --target wasm32-unknown-unknown   (15-60 s cold)
#   2. wasm-bindgen --target web                                      (a second)
#   3. wasm-opt -Oz from npm binaryen (tools/node_modules)            (a few seconds)
#      Never Debian's /usr/bin/wasm-opt: it silently breaks wasm-bindgen output.
#   4. merge pkg-template/ (index.js entry with top-level-await init, index.d.ts,
#      package.json with the version from Cargo.toml), README and licences
#   5. print the size report (raw and gzip) of the .wasm and of the JS glue
# Run scripts/setup.sh first (make pkg does).
set -euo pipefail
cd "$(dirname "$0")/.."
LOG_TAG=pkg
. scripts/lib.sh
export PATH="$HOME/.cargo/bin:$PATH"

out=pkg
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    *) die "unknown argument $1 (usage: build-pkg.sh [--out DIR])" ;;
  esac
done

wasm_opt=tools/node_modules/.bin/wasm-opt
[ -x "$wasm_opt" ] || die "$wasm_opt is missing: run scripts/setup.sh first"
command -v wasm-bindgen >/dev/null || die "wasm-bindgen is missing: run scripts/setup.sh first"

target=wasm32-unknown-unknown
say "cargo build --lib --release --target $target (15-60 s cold)"
cargo build -p mpsocket --lib --release --target "$target"
# Ask cargo where the target dir is and what the crate's version is (CARGO_TARGET_DIR aware).
read -r target_dir version < <(cargo metadata --no-deps --format-version 1 | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const m = JSON.parse(s);
    const p = m.packages.find((p) => p.name === "mpsocket");
    console.log(m.target_directory + " " + p.version);
  });')
wasm_in="$target_dir/$target/release/mpsocket.wasm"
[ -f "$wasm_in" ] || die "$wasm_in was not produced"

rm -rf "$out"
mkdir -p "$out"
say "wasm-bindgen --target web --out-dir $out"
wasm-bindgen --target web --out-dir "$out" "$wasm_in"

# wasm-opt must know every wasm feature rustc's output uses; read them from rustc itself
# so a toolchain update that turns a new one on fails loudly here, not in the browser.
features=()
while read -r f; do
  case "$f" in
    bulk-memory) features+=(--enable-bulk-memory) ;;
    bulk-memory-opt) features+=(--enable-bulk-memory-opt) ;;
    call-indirect-overlong) features+=(--enable-call-indirect-overlong) ;;
    multivalue) features+=(--enable-multivalue) ;;
    mutable-globals) features+=(--enable-mutable-globals) ;;
    nontrapping-fptoint) features+=(--enable-nontrapping-float-to-int) ;;
    reference-types) features+=(--enable-reference-types) ;;
    sign-ext) features+=(--enable-sign-ext) ;;
    simd128) features+=(--enable-simd) ;;
    extended-const) features+=(--enable-extended-const) ;;
    tail-call) features+=(--enable-tail-call) ;;
    exception-handling) features+=(--enable-exception-handling) ;;
    multimemory) features+=(--enable-multimemory) ;;
    *) die "rustc enables wasm feature '$f' that build-pkg.sh doesn't map to a wasm-opt flag" ;;
  esac
done < <(rustc --print cfg --target "$target" | sed -n 's/^target_feature="\(.*\)"$/\1/p')

wasm="$out/mpsocket_bg.wasm"
before=$(wc -c <"$wasm")
say "wasm-opt -Oz ${features[*]}"
"$wasm_opt" -Oz "${features[@]}" --strip-debug --strip-producers "$wasm" -o "$wasm.opt"
mv "$wasm.opt" "$wasm"

say "merging pkg-template/"
cp pkg-template/index.js pkg-template/index.d.ts "$out/"
for f in README.md LICENSE LICENSE-MIT LICENSE-APACHE; do
  if [ -f "$f" ]; then cp "$f" "$out/"; fi
done
node - "$out" "$version" <<'JS'
const fs = require('fs');
const path = require('path');
const [out, version] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync('pkg-template/package.json', 'utf8'));
pkg.version = version;
// Ship only what exists (README/licences are optional until they're written).
pkg.files = pkg.files.filter((f) => fs.existsSync(path.join(out, f)));
fs.writeFileSync(path.join(out, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
JS

for name in connectSocket createSocketTask sendSocketMessage closeSocket \
  onSocketOpen onSocketMessage onSocketError onSocketClose; do
  grep -q "^export function $name(" "$out/mpsocket.js" ||
    printf '\033[1;33m[pkg] warning:\033[0m %s is not exported by %s/mpsocket.js\n' "$name" "$out"
done

raw() { wc -c <"$1" | tr -d ' '; }
gz() { gzip -9 -c "$@" | wc -c | tr -d ' '; }
say "built $out/ (mpsocket $version)"
printf '  wasm     %7s B (gzip %6s B)   [before wasm-opt: %s B]\n' "$(raw "$wasm")" "$(gz "$wasm")" "$before"
glue_raw=$(cat "$out/mpsocket.js" "$out/index.js" | wc -c | tr -d ' ')
printf '  JS glue  %7s B (gzip %6s B)   [mpsocket.js + index.js]\n' "$glue_raw" "$(cat "$out/mpsocket.js" "$out/index.js" | gzip -9 | wc -c | tr -d ' ')"

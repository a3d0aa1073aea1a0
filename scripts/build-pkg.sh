#!/usr/bin/env bash
# Builds the npm package into pkg/ (or the folder given with --out DIR):
#   1. cargo build --lib --release --target wasm32-unknown-unknown   (15-60 s cold)
#   2. wasm-bindgen --target web                                      (a second)
#   3. wasm-opt -Oz from npm binaryen (tools/node_modules)            (a few seconds)
#      Never Debian's /usr/bin/wasm-opt: it silently breaks wasm-bindgen output.
#   4. merge pkg-template/: the entries (index.js: browsers and bundlers, top-level-await
#      init; node.js: the `node` condition, initSync from fs), index.d.ts, classic.d.ts,
#      the npm README (pkg-template/README.md) and the licence; package.json with version,
#      licence and repository from Cargo.toml
#   5. shim/: one thin module per platform of the generated `Platform` type (shim/wx.js runs
#      install(globalThis, {platform: 'wx'}); shim/index.js is wx), added to `exports`
#   6. mpsocket.classic.js: the wasm-bindgen --target no-modules glue, the edge and the wasm in
#      an IIFE (pkg-template/classic.js) that instantiates it synchronously; the JS minified
#      (esbuild from tools/node_modules), the wasm as an ASCII string of one character per
#      byte (gzips to 6 KB less than base64)
#   7. print the 15 largest items of the wasm, and the size report (raw and gzip) of the .wasm,
#      the JS and the classic file
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
# The release wasm: with the pinned nightly (scripts/nightly.env), std is rebuilt with
# panic=immediate-abort, so no panic or formatting machinery is linked in; without it,
# stable with panic=abort (a few KB larger). MPSOCKET_STABLE=1 forces stable.
. scripts/nightly.env
wasm_target_dir=""
if [ "${MPSOCKET_STABLE:-0}" != 1 ] && tc=$(nightly_toolchain --src); then
  wasm_target_dir=target/nightly
  say "cargo +$tc build -Zbuild-std, panic=immediate-abort (3-4 min cold, seconds warm)"
  RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none" \
    cargo "+$tc" build -p mpsocket --lib --release --target "$target" --target-dir "$wasm_target_dir" \
    -Zbuild-std=std,panic_abort
else
  say "cargo build --lib --release --target $target (stable: no pinned nightly with rust-src; 15-60 s cold)"
  cargo build -p mpsocket --lib --release --target "$target"
fi
# Ask cargo where the target dir is and what the crate's version, licence and repository
# are (CARGO_TARGET_DIR aware).
tmp=$(mktemp -d)
on_exit "rm -rf '$tmp'"
cargo metadata --no-deps --format-version 1 >"$tmp/metadata.json"
read -r target_dir version < <(node -e '
  const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const p = m.packages.find((p) => p.name === "mpsocket");
  console.log(m.target_directory + " " + p.version);' "$tmp/metadata.json")
[ -n "$wasm_target_dir" ] && target_dir=$wasm_target_dir
wasm_in="$target_dir/$target/release/mpsocket.wasm"
[ -f "$wasm_in" ] || die "$wasm_in was not produced"

rm -rf "$out"
mkdir -p "$out"
say "wasm-bindgen --target web --out-dir $out"
wasm-bindgen --target web --no-typescript --out-dir "$out" "$wasm_in"
cp "$out/mpsocket_bg.wasm" "$tmp/web_bg.wasm"

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
cp pkg-template/index.js pkg-template/index.d.ts pkg-template/node.js pkg-template/edge.js \
  pkg-template/fetch-wasm.js pkg-template/classic.d.ts pkg-template/README.md "$out/"
for f in LICENSE LICENSE-MIT LICENSE-APACHE; do
  if [ -f "$f" ]; then cp "$f" "$out/"; fi
done

# One shim per platform of the edge's install() (PLATFORMS_LIST in pkg-template/edge.js), in
# two flavours: shim/P.js (browsers, bundlers) and shim/P.node.js (the `node` condition). A
# shim never throws: where the platform object already has a native connectSocket, or where
# there is no WebAssembly (a mini-program build of shared code), it installs nothing, keeps
# the native API and leaves a console.debug note.
platforms=$(sed -n "s/^  const PLATFORMS_LIST = \[\(.*\)\];$/\1/p" pkg-template/edge.js | tr -d "',")
[ -n "$platforms" ] || die "no PLATFORMS_LIST in pkg-template/edge.js"
say "shim/ for:" $platforms
mkdir -p "$out/shim"
# shellcheck disable=SC2086 # one argument per platform
node - "$out/shim" $platforms <<'JS'
const fs = require('fs');
const path = require('path');
const [dir, ...platforms] = process.argv.slice(2);
const shim = (p, entry) => `// \`import 'mpsocket/shim/${p}'\` installs mpsocket on globalThis.${p} (creating it if missing;
// members it already has are kept) and exports that object. Where globalThis.${p} already has
// a native connectSocket, or where WebAssembly is missing, it installs nothing and never
// throws: the native API stays, and install() can still be called later.
const g = globalThis;
let native = true;
try {
  const ns = g.${p};
  native = ns !== null && (typeof ns === 'object' || typeof ns === 'function') && typeof ns.connectSocket === 'function';
} catch (_) {
  /* a hostile global: leave it alone */
}
let api;
if (!native && typeof WebAssembly === 'object') {
  try {
    api = (await import('../${entry}')).install(g, { platform: '${p}' });
  } catch (e) {
    try { console.debug('mpsocket: shim/${p} installed nothing:', e); } catch (_) { /* no console */ }
  }
} else {
  try {
    console.debug(native ? 'mpsocket: shim/${p} kept the native ${p}.connectSocket' : 'mpsocket: shim/${p}: no WebAssembly here, nothing installed');
  } catch (_) { /* no console */ }
}
export default api === undefined ? g.${p} : api;
`;
for (const p of platforms) {
  fs.writeFileSync(path.join(dir, `${p}.js`), shim(p, 'index.js'));
  fs.writeFileSync(path.join(dir, `${p}.node.js`), shim(p, 'node.js'));
  fs.writeFileSync(
    path.join(dir, `${p}.d.ts`),
    `import type { PlatformApis } from '../index.js';\n/** globalThis.${p}, as install() left it (or the native object, where one was kept). */\ndeclare const api: PlatformApis['${p}'];\nexport default api;\n`,
  );
}
fs.writeFileSync(path.join(dir, 'index.js'), "// `import 'mpsocket/shim'` is `import 'mpsocket/shim/wx'`.\nexport { default } from './wx.js';\n");
fs.writeFileSync(path.join(dir, 'index.node.js'), "export { default } from './wx.node.js';\n");
fs.writeFileSync(path.join(dir, 'index.d.ts'), "export { default } from './wx.js';\n");
JS

# The classic-script build. The .wasm that wasm-bindgen writes doesn't depend on --target:
# when it is byte-identical to the web one (it has been so far), the wasm-opt'd copy is reused.
say "classic build: wasm-bindgen --target no-modules, the wasm inlined"
wasm-bindgen --target no-modules --no-typescript --out-dir "$tmp/classic" "$wasm_in"
if cmp -s "$tmp/classic/mpsocket_bg.wasm" "$tmp/web_bg.wasm"; then
  cp "$wasm" "$tmp/classic/opt.wasm"
else
  say "the no-modules .wasm differs from the web one: wasm-opt'ing it too"
  "$wasm_opt" -Oz "${features[@]}" --strip-debug --strip-producers "$tmp/classic/mpsocket_bg.wasm" \
    -o "$tmp/classic/opt.wasm"
fi
node - "$out/mpsocket.classic.js" "$tmp/classic/mpsocket.js" "$tmp/classic/opt.wasm" "$tmp/metadata.json" <<'JS'
const fs = require('fs');
const path = require('path');
const [dest, glue, wasm, metadata] = process.argv.slice(2);
const edge = fs.readFileSync('pkg-template/edge.js', 'utf8');
if (!/^export function makeApi\(/m.test(edge)) throw new Error('pkg-template/edge.js: no `export function makeApi(`');
const crate = JSON.parse(fs.readFileSync(metadata, 'utf8')).packages.find((p) => p.name === 'mpsocket');
const glueSrc = fs.readFileSync(glue, 'utf8');
if (!/^let wasm_bindgen = /m.test(glueSrc)) throw new Error(`${glue}: not wasm-bindgen no-modules output`);
const parts = {
  '@VERSION@': crate.version,
  '@LICENSE@': crate.license,
  '/* @GLUE@ */': glueSrc.trim().replace(/\n(?=.)/g, '\n  '),
  '/* @EDGE@ */': edge.replace(/^export function makeApi\(/m, 'function makeApi(').trim().replace(/\n(?=.)/g, '\n  '),
};
let src = fs.readFileSync('pkg-template/classic.js', 'utf8');
for (const [k, v] of Object.entries(parts)) {
  if (!src.includes(k)) throw new Error(`pkg-template/classic.js has no ${k}`);
  src = src.split(k).join(v);
}
// Minify (the /*! header stays), then put the wasm in: byte b is the character
// (b + 0x30) & 0xff, written as itself when printable ASCII (most of a wasm's bytes, after
// the shift), else as \xHH, so the file stays ASCII whatever charset the page declares.
const esbuild = require(path.resolve('tools/node_modules/esbuild'));
src = esbuild.transformSync(src, { minify: true, target: 'es2020', legalComments: 'inline' }).code;
let lit = '';
for (const b of fs.readFileSync(wasm)) {
  const c = (b + 0x30) & 0xff;
  lit += c < 0x20 || c >= 0x7f || c === 0x27 || c === 0x5c || c === 0x3c ? '\\x' + c.toString(16).padStart(2, '0') : String.fromCharCode(c);
}
const holes = src.split(/["']@WASM@["']/);
if (holes.length !== 2) throw new Error('pkg-template/classic.js: expected one @WASM@ string');
src = holes[0] + "'" + lit + "'" + holes[1];
if (/[^\x00-\x7f]/.test(src)) throw new Error('mpsocket.classic.js is not ASCII');
fs.writeFileSync(dest, src);
JS
node --check "$out/mpsocket.classic.js"

# shellcheck disable=SC2086 # one argument per platform
node - "$out" "$tmp/metadata.json" $platforms <<'JS'
const fs = require('fs');
const path = require('path');
const [out, metadata, ...platforms] = process.argv.slice(2);
const crate = JSON.parse(fs.readFileSync(metadata, 'utf8')).packages.find((p) => p.name === 'mpsocket');
const pkg = JSON.parse(fs.readFileSync('pkg-template/package.json', 'utf8'));
pkg.version = crate.version;
pkg.license = crate.license;
if (crate.repository) pkg.repository = { type: 'git', url: crate.repository };
else delete pkg.repository;
// ./shim and ./shim/PLATFORM take the place of the template's "./shim" placeholder.
const exports = {};
for (const [k, v] of Object.entries(pkg.exports)) {
  if (k !== './shim') {
    exports[k] = v;
    continue;
  }
  exports['./shim'] = { types: './shim/index.d.ts', node: './shim/index.node.js', default: './shim/index.js' };
  for (const p of platforms) {
    exports[`./shim/${p}`] = { types: `./shim/${p}.d.ts`, node: `./shim/${p}.node.js`, default: `./shim/${p}.js` };
  }
}
pkg.exports = exports;
// Ship only what exists (snippets/ and the licence variants are optional).
pkg.files = pkg.files.filter((f) => fs.existsSync(path.join(out, f)));
// Every target of `exports` must be in the package, and `types` must come first.
const targets = (v) => (typeof v === 'string' ? [v] : Object.values(v).flatMap(targets));
for (const t of targets(pkg.exports)) {
  if (t !== './package.json' && !fs.existsSync(path.join(out, t))) throw new Error(`exports target ${t} is missing from ${out}/`);
}
for (const [k, v] of Object.entries(pkg.exports)) {
  if (typeof v === 'object' && 'types' in v && Object.keys(v)[0] !== 'types') throw new Error(`exports["${k}"]: types must come first`);
}
fs.writeFileSync(path.join(out, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
JS

for name in connectSocket createSocketTask sendSocketMessage closeSocket \
  onSocketOpen onSocketMessage onSocketError onSocketClose; do
  grep -q "^  $name,$" "$out/index.js" ||
    die "$name is not exported by $out/index.js"
done

# Where the bytes go: the same build with names kept, its largest items (like `twiggy top`).
wasm-bindgen --target web --no-typescript --keep-debug --out-dir "$tmp/names" "$wasm_in"
"$wasm_opt" -Oz "${features[@]}" --debuginfo --strip-producers "$tmp/names/mpsocket_bg.wasm" -o "$tmp/names/opt.wasm"
node scripts/wasm-top.mjs "$tmp/names/opt.wasm" 15

raw() { wc -c <"$1" | tr -d ' '; }
gz() { gzip -9 -c "$@" | wc -c | tr -d ' '; }
say "built $out/ (mpsocket $version)"
printf '  wasm     %7s B (gzip %6s B)   [before wasm-opt: %s B]\n' "$(raw "$wasm")" "$(gz "$wasm")" "$before"
glue_raw=$(cat "$out/mpsocket.js" "$out/edge.js" "$out/index.js" | wc -c | tr -d ' ')
printf '  JS       %7s B (gzip %6s B)   [mpsocket.js + edge.js + index.js, unminified]\n' "$glue_raw" "$(cat "$out/mpsocket.js" "$out/edge.js" "$out/index.js" | gzip -9 | wc -c | tr -d ' ')"
printf '  classic  %7s B (gzip %6s B)   [mpsocket.classic.js: minified glue + edge, the wasm inlined]\n' \
  "$(raw "$out/mpsocket.classic.js")" "$(gz "$out/mpsocket.classic.js")"

# shellcheck shell=bash
# Consumer tests: the package the way users get it. `npm pack` of pkg/, then an install of
# that tarball into scratch copies of the projects in tests/consumers/ (under
# .test-run/consumers/; their own pinned dependencies are installed with `npm ci` only when
# their lockfile changed, so a warm run installs nothing but the tarball):
#   0. the npm README's quick starts are exactly the files tested below (readme-check.mjs)
#   1. node/      Node 20 + ws: echo round trip, and the process exits by itself; require()
#                 and the `node` condition (checks.cjs)
#   2. ts/        tsc --strict over every API (bundler and node16 resolution), and with
#                 WeChat's miniprogram-api-typings: SocketTask assignable, options accepted
#   3. vite-app/  vite build: main page, module worker, mpsocket/shim page; the shim stays
#                 out of the main page's bundle, the .wasm is emitted as an asset
#   4. pages      headless Chromium: the three Vite pages, plus static/ (classic script with
#                 data-platform, <script type=module> with an import map, a plain module
#                 worker), served with an echo server by a second mpsocket-server
# Needs: pkg/ built, tools/node_modules (playwright-core), the server binary (test.sh).
section "consumers: npm pack → Vite app, classic script, module page, workers, Node, tsc"
consumers_run=.test-run/consumers
mkdir -p "$consumers_run/tarball"
rm -f "$consumers_run"/tarball/*.tgz
say "npm pack pkg/"
consumers_tgz=$(cd pkg && npm pack --silent --pack-destination "../$consumers_run/tarball")
consumers_tgz="$PWD/$consumers_run/tarball/$consumers_tgz"
[ -f "$consumers_tgz" ] || die "npm pack wrote no tarball"
say "$(basename "$consumers_tgz"): $(wc -c <"$consumers_tgz" | tr -d ' ') B, $(tar tzf "$consumers_tgz" | wc -l | tr -d ' ') files"

say "the npm README's code blocks are the tested files"
node tests/consumers/readme-check.mjs pkg/README.md

# consumers_project NAME: lay .test-run/consumers/NAME anew from tests/consumers/NAME (its
# node_modules kept), `npm ci` when its lockfile changed, then install the tarball.
consumers_project() {
  local name=$1 dir="$consumers_run/$1"
  mkdir -p "$dir"
  find "$dir" -mindepth 1 -maxdepth 1 ! -name node_modules -exec rm -rf {} +
  cp -r "tests/consumers/$name/." "$dir/"
  cp tests/consumers/.npmrc "$dir/"
  if [ -f "$dir/package-lock.json" ]; then
    local want have=""
    want=$(cat "$dir/package.json" "$dir/package-lock.json" <(node --version) | sha256sum | cut -d' ' -f1)
    [ -f "$dir/node_modules/.mpsocket-consumer" ] && have=$(cat "$dir/node_modules/.mpsocket-consumer")
    if [ "$want" != "$have" ]; then
      say "$name: npm ci"
      (cd "$dir" && npm ci --silent --no-audit --no-fund)
      echo "$want" >"$dir/node_modules/.mpsocket-consumer"
    fi
  fi
  (cd "$dir" && npm install --silent --no-save --no-audit --no-fund "$consumers_tgz")
  [ -f "$dir/node_modules/mpsocket/package.json" ] || die "$name: the tarball did not install"
}

for consumers_name in node ts vite-app static; do
  say "$consumers_name: install the tarball"
  consumers_project "$consumers_name"
done

say "node: echo round trip with ws, then the process must exit by itself (limit 5 s)"
consumers_start=$(date +%s%N)
consumers_out=$(cd "$consumers_run/node" && timeout 5 node echo.mjs "ws://127.0.0.1:$SERVER_PORT/echo" 2>&1) || {
  consumers_rc=$?
  printf '%s\n' "$consumers_out"
  [ "$consumers_rc" = 124 ] && die "node: echo.mjs was still running after 5 s (something keeps the event loop alive)"
  die "node: echo.mjs exited with $consumers_rc"
}
consumers_ms=$((($(date +%s%N) - consumers_start) / 1000000))
printf '  %s\n' "$consumers_out"
[ "$consumers_out" = "echo: hello from Node" ] || die "node: expected exactly 'echo: hello from Node'"
say "node: ok, exited by itself after $consumers_ms ms"
(cd "$consumers_run/node" && node checks.cjs)

for consumers_cfg in tsconfig.json tsconfig.node16.json tsconfig.wechat.json; do
  say "ts: tsc --strict --noEmit -p $consumers_cfg"
  (cd "$consumers_run/ts" && npx --no-install tsc -p "$consumers_cfg")
done
say "ts: ok ($(cd "$consumers_run/ts" && npx --no-install tsc --version))"

say "vite-app: vite build"
(cd "$consumers_run/vite-app" && rm -rf dist && npx --no-install vite build --logLevel warn)
node - "$consumers_run/vite-app/dist" <<'JS'
// The .wasm must be emitted as a file; the shim must be in the shim page's bundle and
// nowhere in the main page's (the default entry doesn't pull it in).
const fs = require('fs');
const path = require('path');
const dist = process.argv[2];
const assets = fs.readdirSync(path.join(dist, 'assets'));
const fail = (m) => { console.error(`vite-app: ${m}`); process.exit(1); };
if (!assets.some((f) => f.endsWith('.wasm'))) fail(`no .wasm among the built assets: ${assets}`);
const scriptsOf = (html) => {
  const src = fs.readFileSync(path.join(dist, html), 'utf8');
  const files = [...src.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  if (files.length === 0) fail(`${html} loads no script`);
  return files.map((f) => fs.readFileSync(path.join(dist, f), 'utf8')).join('\n');
};
const shimCall = /platform:\s*["'`]wx["'`]/;
if (shimCall.test(scriptsOf('index.html'))) fail('the main page bundle contains the wx shim');
if (!shimCall.test(scriptsOf('shim.html'))) fail('the shim page bundle lacks the wx shim (dropped as side-effect free?)');
console.log(`  dist/assets: ${assets.join(' ')}`);
JS

say "pages in headless Chromium, served by a second mpsocket-server (static .test-run/consumers)"
consumers_port_file="$consumers_run/port.$$"
rm -f "$consumers_port_file"
"$SERVER_BIN" --port 0 --port-file "$consumers_port_file" --static "$consumers_run" >"$consumers_run/server.log" 2>&1 &
consumers_server_pid=$!
on_exit "kill $consumers_server_pid 2>/dev/null; wait $consumers_server_pid 2>/dev/null"
for _ in $(seq 100); do
  [ -s "$consumers_port_file" ] && break
  kill -0 "$consumers_server_pid" 2>/dev/null || die "the consumers' mpsocket-server exited: $(cat "$consumers_run/server.log")"
  sleep 0.1
done
[ -s "$consumers_port_file" ] || die "the consumers' mpsocket-server wrote no port file within 10 s"
consumers_port=$(tr -d '[:space:]' <"$consumers_port_file")
node tests/consumers/run-pages.mjs --base "http://127.0.0.1:$consumers_port"
kill "$consumers_server_pid" 2>/dev/null || true
wait "$consumers_server_pid" 2>/dev/null || true

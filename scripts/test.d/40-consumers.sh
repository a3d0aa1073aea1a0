# shellcheck shell=bash
# Consumer tests: the package the way users get it. `npm pack` of pkg/, then an install of
# that tarball into scratch copies of the projects in tests/consumers/ (under
# .test-run/consumers/; their own pinned dependencies are installed with `npm ci` only when
# their lockfile changed, so a warm run installs nothing but the tarball):
#   0. both READMEs: every code block marked `<!-- file: … -->` is exactly a file that the
#      steps below run (readme-check.mjs), and the npm README shows all of them
#   1. node/      Node 20 + ws: the README's echo server (echo-server.mjs); echo round trips
#                 with connectSocket (against it) and with the wx shim (against the test
#                 server), each process exiting by itself; require() and the `node`
#                 condition (checks.cjs)
#   2. ts/        tsc --strict: every API (bundler and node16 resolution), the API's shape,
#                 a Node-only project without the DOM lib, WeChat's miniprogram-api-typings
#                 with and without the DOM lib
#   3. builds     Vite (the README's vite.config.js + test pages), webpack, esbuild and Rollup
#                 (each project's build.sh is the README's recipe), all bundling app/main.js
#   4. pages      headless Chromium: every build, plus static/ (classic script, <script
#                 type=module> with an import map, module and classic workers), served with an
#                 echo server by a second mpsocket-server
#   5. CSP        csp.mjs: the README's Content-Security-Policy is enough, and enforced
#   6. socket.io  socketio.mjs: weapp.socket.io (written for WeChat, calls wx.connectSocket)
#                 unchanged over mpsocket/shim against a real socket.io server, Node + Chromium
# Every check runs even when an earlier one failed (except when its input is missing); the
# stage fails at its end with the list of what failed.
# MPSOCKET_CONSUMERS_PKG=DIR tests another build of the package than pkg/ (e.g. an old one);
# MPSOCKET_CONSUMERS_RUN=DIR works in DIR instead of .test-run/consumers.
# Needs: pkg/ built, tools/node_modules (playwright-core, ws), the server binary (test.sh).
section "consumers: npm pack → Vite, webpack, esbuild, Rollup, classic script, workers, Node, tsc, CSP, socket.io"
consumers_run=${MPSOCKET_CONSUMERS_RUN:-.test-run/consumers}
consumers_pkg=${MPSOCKET_CONSUMERS_PKG:-pkg}
consumers_failed=()
# consumers_check NAME CMD...: run CMD; on failure remember NAME and go on.
consumers_check() {
  local name=$1
  shift
  if "$@"; then return 0; fi
  printf '\033[1;31m[%s] FAILED:\033[0m %s\n' "${LOG_TAG:-mpsocket}" "$name"
  consumers_failed+=("$name")
  return 1
}

mkdir -p "$consumers_run/tarball"
consumers_run=$(cd "$consumers_run" && pwd)
rm -f "$consumers_run"/tarball/*.tgz
say "npm pack $consumers_pkg/"
consumers_tgz=$(cd "$consumers_pkg" && npm pack --silent --pack-destination "$consumers_run/tarball")
consumers_tgz="$consumers_run/tarball/$consumers_tgz"
[ -f "$consumers_tgz" ] || die "npm pack wrote no tarball"
say "$(basename "$consumers_tgz"): $(wc -c <"$consumers_tgz" | tr -d ' ') B, $(tar tzf "$consumers_tgz" | wc -l | tr -d ' ') files"

# The README snippets the steps below run, as paths under tests/consumers/. The npm README
# must show every one; the top-level README may show some; neither may show anything else.
consumers_snippets="node/echo-server.mjs app/main.js vite-app/vite.config.js vite-app/src/worker.js vite-app/src/start-worker.js
  vite-app/src/shim.js webpack-app/build.sh esbuild-app/build.sh rollup-app/build.sh static/classic.html
  static/module.html node/echo.mjs node/shim.mjs"
say "README code blocks are the tested files"
consumers_check "readme-check pkg-template/README.md" \
  node tests/consumers/readme-check.mjs pkg-template/README.md --runs "$consumers_snippets" --require-all || true
consumers_check "readme-check README.md" \
  node tests/consumers/readme-check.mjs README.md --runs "$consumers_snippets" || true

# consumers_project NAME: lay .test-run/consumers/NAME anew from tests/consumers/NAME (its
# node_modules kept), `npm ci` when its lockfile changed, then install the tarball. The
# bundler projects get the shared app/main.js as src/main.js.
consumers_project() {
  local name=$1 dir="$consumers_run/$1"
  mkdir -p "$dir"
  find "$dir" -mindepth 1 -maxdepth 1 ! -name node_modules -exec rm -rf {} +
  cp -r "tests/consumers/$name/." "$dir/"
  cp tests/consumers/.npmrc "$dir/"
  case $name in *-app) mkdir -p "$dir/src" && cp tests/consumers/app/main.js "$dir/src/main.js" ;; esac
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

for consumers_name in node ts vite-app webpack-app esbuild-app rollup-app static csp socketio; do
  say "$consumers_name: install the tarball"
  consumers_project "$consumers_name"
done

# consumers_node_echo FILE URL EXPECTED: `node FILE URL` must print exactly EXPECTED and exit
# with 0 by itself within 5 s.
consumers_node_echo() {
  local file=$1 url=$2 expected=$3 out rc=0 start ms
  start=$(date +%s%N)
  out=$(cd "$consumers_run/node" && timeout 5 node "$file" "$url" 2>&1) || rc=$?
  ms=$((($(date +%s%N) - start) / 1000000))
  printf '%s\n' "$out" | head -20 | sed 's/^/  /'
  if [ "$rc" = 124 ]; then
    say "node $file: still running after 5 s (something keeps the event loop alive)"
    return 1
  fi
  [ "$rc" = 0 ] || { say "node $file: exited with $rc"; return 1; }
  [ "$out" = "$expected" ] || { say "node $file: expected exactly '$expected'"; return 1; }
  say "node $file: ok, exited by itself after $ms ms"
}
# The README's two-line echo server (node/echo-server.mjs) on a free port, for echo.mjs.
consumers_echo_url() {
  local out="$consumers_run/node/echo-server.out"
  : >"$out"
  (cd "$consumers_run/node" && exec node echo-server.mjs 0 >"$out" 2>&1) &
  consumers_echo_pid=$!
  on_exit "kill $consumers_echo_pid 2>/dev/null"
  for _ in $(seq 100); do
    grep -q '^echo server on ws://127\.0\.0\.1:[0-9]*$' "$out" && break
    kill -0 "$consumers_echo_pid" 2>/dev/null || break
    sleep 0.1
  done
  consumers_echo_url=$(sed -n 's/^echo server on //p' "$out")
  [ -n "$consumers_echo_url" ] || { cat "$out"; say "node echo-server.mjs 0 printed no 'echo server on ws://127.0.0.1:PORT'"; return 1; }
}
say "node: echo round trips with ws; each process must exit by itself (limit 5 s)"
if consumers_check "node echo-server.mjs" consumers_echo_url; then
  consumers_check "node echo.mjs (against echo-server.mjs)" \
    consumers_node_echo echo.mjs "$consumers_echo_url/echo" "echo: hello from Node" || true
  kill "$consumers_echo_pid" 2>/dev/null || true
fi
consumers_check "node shim.mjs (mpsocket/shim imported first, in Node)" \
  consumers_node_echo shim.mjs "ws://127.0.0.1:$SERVER_PORT/echo" "echo: hello from wx in Node" || true
consumers_check "node leancloud.mjs (LeanCloud's weapp adapter asks wx.canIUse, then echoes)" \
  consumers_node_echo leancloud.mjs "ws://127.0.0.1:$SERVER_PORT/echo" "echo: hello from LeanCloud" || true
consumers_check "node --no-expose-wasm miniprogram-runtime.mjs (native wx, no WebAssembly: the shims install nothing, never throw)" \
  bash -c "cd '$consumers_run/node' && node --no-expose-wasm miniprogram-runtime.mjs" || true
consumers_check "node checks.cjs" bash -c "cd '$consumers_run/node' && node checks.cjs" || true

say "ts: $(cd "$consumers_run/ts" && npx --no-install tsc --version)"
for consumers_cfg in tsconfig.json tsconfig.node16.json tsconfig.wechat.json tsconfig.shape.json \
  tsconfig.node-only.json tsconfig.wechat-nodom.json; do
  say "ts: tsc -p $consumers_cfg"
  consumers_check "ts $consumers_cfg" bash -c "cd '$consumers_run/ts' && npx --no-install tsc -p $consumers_cfg" || true
done

say "vite-app: vite build (the README's vite.config.js, merged into harness.config.js)"
if consumers_check "vite build" bash -c "cd '$consumers_run/vite-app' && rm -rf dist && npx --no-install vite build --config harness.config.js --logLevel warn"; then
  consumers_check "vite dist: .wasm emitted, shim only in the shim page" node - "$consumers_run/vite-app/dist" <<'JS' || true
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
  const files = [...src.matchAll(/(?:src|href)="(?:\.\.?\/)+(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  if (files.length === 0) fail(`${html} loads no script`);
  return files.map((f) => fs.readFileSync(path.join(dist, f), 'utf8')).join('\n');
};
const shimCall = /platform:\s*["'`]wx["'`]/;
if (shimCall.test(scriptsOf('index.html'))) fail('the main page bundle contains the wx shim');
if (!shimCall.test(scriptsOf('harness/shim.html'))) fail('the shim page bundle lacks the wx shim (dropped as side-effect free?)');
console.log(`  dist/assets: ${assets.join(' ')}`);
JS
fi
for consumers_name in webpack-app esbuild-app rollup-app socketio; do
  say "$consumers_name: sh build.sh ($(tr '\n' ';' <"tests/consumers/$consumers_name/build.sh" | sed 's/;$//; s/;/; /g'))"
  consumers_check "$consumers_name build.sh" bash -c "cd '$consumers_run/$consumers_name' && rm -rf dist && sh -e build.sh >build.log 2>&1 || { cat build.log; exit 1; }" || true
done

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
consumers_check "pages in Chromium (run-pages.mjs)" node tests/consumers/run-pages.mjs --base "http://127.0.0.1:$consumers_port" || true
kill "$consumers_server_pid" 2>/dev/null || true
wait "$consumers_server_pid" 2>/dev/null || true

say "CSP: script-src 'self' 'wasm-unsafe-eval' served by a Node server (csp.mjs)"
consumers_check "CSP (csp.mjs)" node tests/consumers/csp.mjs "$consumers_run" || true

say "socket.io: weapp.socket.io over mpsocket/shim against a socket.io server (socketio.mjs)"
consumers_check "socket.io (socketio.mjs)" node tests/consumers/socketio.mjs "$consumers_run/socketio" || true

if [ ${#consumers_failed[@]} -gt 0 ]; then
  die "consumers: ${#consumers_failed[@]} check(s) failed: $(printf '%s; ' "${consumers_failed[@]}")"
fi
say "consumers: every check passed"

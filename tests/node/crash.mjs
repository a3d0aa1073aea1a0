#!/usr/bin/env node
// "Node never crashes": each connection failure in plain Node (npm `ws` as the WebSocket
// option), with connectSocket and with createSocketTask, in a child process of its own that
// installs NO uncaughtException handler. For each, the child must
//   - survive (exit code 0, no "Unhandled error event" or any uncaught error on stderr),
//   - hear onError (where the failure is an error) and exactly one onClose, with the contract's
//     errMsg / code,
//   - exit by itself soon after onClose (nothing left holding the event loop).
//
//   node tests/node/crash.mjs --port PORT [--pkg pkg/node.js] [--grep REGEX] [--verbose]
//
// PORT is a running mpsocket-server (its /hang, /silent, /drop paths are used). The raw TCP
// servers (accept-and-never-answer, destroy-mid-handshake, answer HTTP 200) run in this
// parent process. Known 0.1.0 bug: a connect timeout kills the process, because the package
// removes the socket's onerror before closing a CONNECTING ws socket, and ws then emits an
// 'error' nobody listens to.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    pkg: { type: 'string', default: path.join(here, '../../pkg/node.js') },
    grep: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    // child mode
    child: { type: 'string' },
    api: { type: 'string' },
    url: { type: 'string' },
  },
});

// Scenarios: what to connect to, extra options, and what must be heard.
//   error: a RegExp the onError errMsg must match (null: onError is optional)
//   code:  the onClose code (null: any)
//   close: true if the child closes the task itself (at open, or right away while CONNECTING)
const SCENARIOS = [
  { name: 'connect timeout: timeout 200 against /hang', url: (p) => `ws://127.0.0.1:${p.server}/hang`, opts: { timeout: 200 }, error: /^connectSocket:fail timeout$/, code: null },
  { name: 'connect timeout: timeout 200 against a raw TCP server that accepts and never answers', url: (p) => `ws://127.0.0.1:${p.silentTcp}/`, opts: { timeout: 200 }, error: /^connectSocket:fail timeout$/, code: null },
  { name: 'refused port', url: (p) => `ws://127.0.0.1:${p.dead}/`, opts: {}, error: /^connectSocket:fail WebSocket connection failed$/, code: 1006 },
  { name: 'server closes mid-handshake (reads the request, destroys the socket)', url: (p) => `ws://127.0.0.1:${p.midHandshake}/`, opts: {}, error: /^connectSocket:fail /, code: 1006 },
  { name: 'server answers HTTP 200 instead of 101', url: (p) => `ws://127.0.0.1:${p.http200}/`, opts: {}, error: /^connectSocket:fail /, code: 1006 },
  { name: 'silent server (/silent): heartbeat 100/200 declares it dead', url: (p) => `ws://127.0.0.1:${p.server}/silent`, opts: { heartbeat: { interval: 100, timeout: 200 } }, error: null, code: null },
  { name: 'connection reset after open (/drop?after=50)', url: (p) => `ws://127.0.0.1:${p.server}/drop?after=50`, opts: {}, error: null, code: 1006 },
  { name: 'close() while CONNECTING to /hang', url: (p) => `ws://127.0.0.1:${p.server}/hang`, opts: {}, error: null, code: 1000, close: 'now' },
  { name: 'close() while CONNECTING to a raw server that never answers', url: (p) => `ws://127.0.0.1:${p.silentTcp}/`, opts: {}, error: null, code: 1000, close: 'now' },
];
const APIS = ['connectSocket', 'createSocketTask'];
// createSocketTask reconnects for ever by default; one retry keeps the run short while still
// going through the reconnect path before the final onError/onClose.
const RECONNECT = { maxRetries: 1, minDelay: 50, maxDelay: 50 };

if (args.child) await child();
else await parent();

// ------------------------------------------------------------------ child: one scenario
async function child() {
  const sc = SCENARIOS.find((s) => s.name === args.child);
  const require = createRequire(path.join(here, '../../tools/package.json'));
  const WebSocket = require('ws');
  const mp = await import(pathToFileURL(path.resolve(args.pkg)).href);
  const t0 = Date.now();
  const say = (ev, more = {}) => process.stdout.write(`${JSON.stringify({ ev, ms: Date.now() - t0, ...more })}\n`);
  process.on('exit', (code) => say('exit', { code }));
  const opts = { url: args.url, WebSocket, ...sc.opts };
  if (args.api === 'createSocketTask') opts.reconnect = sc.close ? false : RECONNECT;
  opts.success = (r) => say('success', { errMsg: r?.errMsg });
  opts.fail = (r) => say('fail', { errMsg: r?.errMsg });
  const task = mp[args.api](opts);
  if (!task) {
    say('no task');
    return;
  }
  task.onOpen(() => say('open'));
  task.onError((r) => say('error', { errMsg: r?.errMsg }));
  task.onClose((r) => say('close', { code: r?.code, reason: r?.reason }));
  task.onReconnecting?.((r) => say('reconnecting', { attempt: r?.attempt }));
  if (sc.close === 'now') task.close({ fail: (r) => say('close fail', { errMsg: r?.errMsg }) });
}

// ------------------------------------------------------------------ parent: servers, children, checks
async function parent() {
  if (!args.port) {
    console.error('usage: crash.mjs --port PORT [--pkg pkg/node.js] [--grep REGEX] [--verbose]');
    process.exit(2);
  }
  const sockets = new Set();
  const listen = (onConn) => new Promise((resolve) => {
    const srv = net.createServer((sock) => {
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
      sock.on('error', () => {});
      onConn(sock);
    });
    srv.listen(0, '127.0.0.1', () => resolve(srv));
  });
  const afterRequest = (sock, fn) => {
    let buf = '';
    sock.on('data', (d) => {
      buf += d;
      if (buf.includes('\r\n\r\n')) fn();
    });
  };
  const silentTcp = await listen(() => {}); // accepts, reads nothing back, never answers
  const midHandshake = await listen((sock) => afterRequest(sock, () => sock.destroy()));
  const http200 = await listen((sock) => afterRequest(sock, () => sock.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok')));
  const deadSrv = await listen(() => {});
  const dead = deadSrv.address().port;
  await new Promise((r) => deadSrv.close(r));
  const ports = {
    server: args.port,
    silentTcp: silentTcp.address().port,
    midHandshake: midHandshake.address().port,
    http200: http200.address().port,
    dead,
  };

  const LIMIT_MS = 8000; // a child still running after this did not exit by itself
  const EXIT_AFTER_CLOSE_MS = 2000;
  const runs = [];
  for (const sc of SCENARIOS) {
    for (const api of APIS) {
      const name = `${api}: ${sc.name}`;
      if (args.grep && !new RegExp(args.grep).test(name)) continue;
      runs.push({ sc, api, name });
    }
  }
  const runOne = ({ sc, api, name }) => new Promise((resolve) => {
    const started = Date.now();
    const cp = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', sc.name, '--api', api, '--url', sc.url(ports), '--pkg', args.pkg], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    cp.stdout.on('data', (d) => (out += d));
    cp.stderr.on('data', (d) => (err += d));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      cp.kill('SIGKILL');
    }, LIMIT_MS);
    cp.on('exit', (code, signal) => {
      clearTimeout(timer);
      setTimeout(() => resolve({ name, sc, api, code, signal, killed, out, err, ms: Date.now() - started }), 20);
    });
  });
  // a few at a time: the machine is shared
  const results = [];
  const queue = [...runs];
  await Promise.all([0, 1, 2].map(async () => {
    while (queue.length) results.push(await runOne(queue.shift()));
  }));
  for (const s of [silentTcp, midHandshake, http200]) s.close();
  for (const s of sockets) s.destroy();

  let failed = 0;
  const order = new Map(runs.map((r, i) => [r.name, i]));
  results.sort((a, b) => order.get(a.name) - order.get(b.name));
  for (const r of results) {
    const events = r.out.split('\n').filter(Boolean).map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        return { ev: 'garbage', line: l };
      }
    });
    const problems = [];
    const crash = r.err.split('\n').find((l) => /Error|Unhandled|uncaught|panicked|RuntimeError/i.test(l));
    const closedAt = events.find((e) => e.ev === 'close')?.ms;
    if (r.killed) problems.push(`did not exit by itself within ${LIMIT_MS / 1000} s${closedAt !== undefined ? ` (still running ${((r.ms - closedAt) / 1000).toFixed(1)} s after onClose)` : ''}`);
    else if (r.signal) problems.push(`killed by ${r.signal}`);
    else if (r.code !== 0) problems.push(`exit code ${r.code}`);
    if (crash) problems.push(`stderr: ${crash.trim().slice(0, 200)}`);
    else if (r.err.trim() && args.verbose) console.log(`      stderr: ${r.err.trim().slice(0, 300)}`);
    const errors = events.filter((e) => e.ev === 'error');
    const closes = events.filter((e) => e.ev === 'close');
    const exit = events.find((e) => e.ev === 'exit');
    if (r.sc.error) {
      if (!errors.length) problems.push('no onError');
      else if (!errors.some((e) => r.sc.error.test(e.errMsg ?? ''))) problems.push(`onError errMsg ${JSON.stringify(errors.map((e) => e.errMsg))}, expected ${r.sc.error}`);
    }
    if (errors.some((e) => typeof e.errMsg !== 'string' || !e.errMsg)) problems.push('an onError without an errMsg');
    if (closes.length !== 1) problems.push(`onClose heard ${closes.length} times`);
    else if (r.sc.code !== null && closes[0].code !== r.sc.code) problems.push(`onClose code ${closes[0].code}, expected ${r.sc.code}`);
    if (errors.length && closes.length && errors[errors.length - 1].ms > closes[0].ms) problems.push('onError after onClose');
    if (closes.length && exit && exit.ms - closes[0].ms > EXIT_AFTER_CLOSE_MS) problems.push(`exited ${exit.ms - closes[0].ms} ms after onClose (something held the event loop)`);
    if (!events.some((e) => e.ev === 'success' || e.ev === 'fail')) problems.push('connectSocket called neither success nor fail');
    const heard = events.filter((e) => e.ev !== 'exit').map((e) => `${e.ev}${e.errMsg ? ` "${e.errMsg}"` : ''}${e.code !== undefined && e.ev === 'close' ? ` ${e.code}` : ''}@${e.ms}`).join(', ');
    const exitNote = exit && closes.length ? `, exited ${exit.ms - closes[0].ms} ms after onClose` : '';
    if (problems.length) {
      failed++;
      console.log(`FAIL  ${r.name}: ${problems.join('; ')}`);
      console.log(`        heard: ${heard || '(nothing)'}`);
    } else {
      console.log(`ok    ${r.name}: ${heard}${exitNote}`);
    }
  }
  console.log(`node crash scenarios: ${results.length} run, ${failed} failed`);
  process.exit(failed || results.length === 0 ? 1 : 0);
}

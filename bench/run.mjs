#!/usr/bin/env node
// The benchmark driver: headless Chromium (playwright-core + Debian's chromium) against a
// running mpsocket-server that serves bench/www at / and bench/dist at /dist (scripts/bench.sh
// starts it). Compares raw WebSocket, mpsocket (connectSocket, and createSocketTask with
// heartbeat + queue + reconnect), reconnecting-websocket, partysocket and Taro H5.
//
//   node bench/run.mjs --base http://127.0.0.1:PORT [--out DIR] [--dist DIR] [--quick] [--command TEXT]
//        [--parts edge,network,memory] [--rounds N] [--libs a,b,...] [--text N] [--binary N]
//        [--pings N] [--cycles N] [--down MS] [--startup-rounds N] [--edge-trials N] [--edge-chunk N] [--edge-reps N]
//
// Three parts, in this order:
//   edge     the "thin at the edge" targets (bench/edge.mjs, bench/www/edge.js): size, start-up
//            with its breakdown, ns added per received / sent message over raw WebSocket on an
//            in-page fake socket, wasm memory over a burst of sends and connect/close cycles
//   network  per library and round: import, text / binary throughput, round trip, CPU per
//            echo, recovery after a server restart, against the real server
//   memory   per library: JS heap and wasm memory over open/close cycles on the real server
// Every figure is the median over its samples; each round and library runs in a fresh
// browser context (cold caches), libraries interleaved within a round. Progress goes to
// stderr; the markdown goes to stdout and DIR/results.md, everything to DIR/results.json.
// --quick (alias --smoke): fewer samples, every figure still printed (about 2 minutes);
// `make test` runs it and checks only that the numbers come out (bench/check-smoke.mjs).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { edgeConfig, runEdge, edgeSummarize, edgeMarkdown } from './edge.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const require = createRequire(path.join(root, 'tools/package.json'));
const { chromium } = require('playwright-core');

const { values: args } = parseArgs({
  options: {
    base: { type: 'string' },
    out: { type: 'string', default: here },
    dist: { type: 'string' },
    rounds: { type: 'string' },
    libs: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    command: { type: 'string' },
    parts: { type: 'string', default: 'edge,network,memory' },
    'startup-rounds': { type: 'string' },
    'edge-trials': { type: 'string' },
    'edge-chunk': { type: 'string' },
    'edge-reps': { type: 'string' },
    text: { type: 'string' },
    binary: { type: 'string' },
    pings: { type: 'string' },
    cycles: { type: 'string' },
    down: { type: 'string', default: '100' },
    'memory-rounds': { type: 'string' },
    chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
  },
});
if (!args.base) {
  console.error('usage: run.mjs --base http://127.0.0.1:PORT [--out DIR] [--rounds N] [--smoke] [--libs a,b]');
  process.exit(2);
}
const base = args.base.replace(/\/$/, '');
const smoke = args.smoke || args.quick;
const num = (v, full, tiny) => Number(v ?? (smoke ? tiny : full));
const PARTS = new Set(args.parts.split(','));
const EDGE_CFG = edgeConfig({ quick: smoke, num: (name, full, quick) => num(args[name], full, quick) });
const command = args.command ?? `node bench/run.mjs ${process.argv.slice(2).join(' ')}`;
const CFG = {
  rounds: num(args.rounds, 5, 1),
  memoryRounds: num(args['memory-rounds'], 3, 1),
  text: { count: num(args.text, 100000, 2000), bytes: 32, binary: false, window: 1000 },
  binary: { count: num(args.binary, 2000, 40), bytes: 65536, binary: true, window: 16 },
  rtt: { pings: num(args.pings, 5000, 200), bytes: 32, warmup: smoke ? 20 : 200 },
  overhead: { count: smoke ? 5000 : 200000, window: 1000 },
  cycles: { n: num(args.cycles, 1000, 20), warmup: smoke ? 5 : 50 },
  recovery: { down: Number(args.down), k: 20 },
};
const ALL = ['raw', 'mpsocket-connectSocket', 'mpsocket-createSocketTask', 'reconnecting-websocket', 'partysocket', 'taro'];
const LIBS = args.libs ? args.libs.split(',') : ALL;
if (!LIBS.includes('raw')) LIBS.unshift('raw'); // every ratio is to raw, measured in the same run
const LABEL = {
  raw: 'raw WebSocket',
  'mpsocket-connectSocket': 'mpsocket connectSocket',
  'mpsocket-createSocketTask': 'mpsocket createSocketTask',
  'reconnecting-websocket': 'reconnecting-websocket',
  partysocket: 'partysocket',
  taro: 'Taro H5 connectSocket',
};
const SIZE_KEY = {
  'mpsocket-connectSocket': 'mpsocket',
  'mpsocket-createSocketTask': 'mpsocket',
  'reconnecting-websocket': 'reconnecting-websocket',
  partysocket: 'partysocket',
  taro: 'taro',
};
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-extensions', '--disable-default-apps',
  // The page's document is fulfilled by Playwright (to add COOP/COEP, below); Chromium then
  // treats it as a public-network page and blocks its WebSockets to 127.0.0.1.
  '--disable-features=LocalNetworkAccessChecks'];

const log = (...a) => console.error(...a);
const readJson = (p) => JSON.parse(fs.readFileSync(p, 'utf8'));
// the bundles' folder (build.mjs --dist), which the server serves at /dist
const sizes = readJson(path.join(args.dist ? path.resolve(args.dist) : path.join(here, 'dist'), 'sizes.json'));
const versions = {};
for (const [name, dir] of [['reconnecting-websocket', 'reconnecting-websocket'], ['partysocket', 'partysocket'],
  ['taro', '@tarojs/taro-h5'], ['esbuild', 'esbuild']]) {
  try { versions[name] = readJson(path.join(here, 'node_modules', dir, 'package.json')).version; } catch { /* absent */ }
}
try { versions.mpsocket = readJson(path.resolve(root, sizes.pkg, 'package.json')).version; } catch { /* absent */ }
try {
  const lock = fs.readFileSync(path.join(root, 'Cargo.lock'), 'utf8');
  versions['wasm-bindgen'] = lock.match(/name = "wasm-bindgen"\nversion = "([^"]+)"/)?.[1];
} catch { /* absent */ }

// results[lib][metric] = [per-round values]; errors[lib] = [messages]
const results = Object.fromEntries(LIBS.map((l) => [l, {}]));
const errors = Object.fromEntries(LIBS.map((l) => [l, []]));
const push = (lib, key, v) => (results[lib][key] ??= []).push(v);
const median = (xs) => {
  if (!xs || xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const loadStart = os.loadavg()[0];
let loadPeak = loadStart; // sampled after every library's round
const sampleLoad = () => { loadPeak = Math.max(loadPeak, os.loadavg()[0]); };
const browser = await chromium.launch({ executablePath: args.chromium, args: FLAGS, headless: true });
const chromiumVersion = browser.version();
const started = Date.now();
let isolated = true;

/** A fresh context and page with the bench page loaded (cross-origin isolated: 5 µs timers). */
async function freshPage(lib) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e?.message || e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/WebSocket connection to .* failed/.test(m.text())) pageErrors.push(`console.error: ${m.text()}`);
  });
  // COOP + COEP on the page itself (the server can't add headers): performance.now() then
  // has 5 µs resolution instead of 100 µs, which matters for a ~150 µs round trip.
  await page.route((url) => url.pathname === '/' || url.pathname === '/index.html', async (route) => {
    const response = await route.fetch();
    await route.fulfill({
      response,
      headers: { ...response.headers(), 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' },
    });
  });
  await page.goto(`${base}/index.html`);
  await page.waitForFunction(() => window.bench?.ready === true, null, { timeout: 10000 });
  if (!(await page.evaluate(() => window.bench.crossOriginIsolated))) isolated = false;
  const cdp = await context.newCDPSession(page);
  return { context, page, cdp, pageErrors, lib };
}

async function step(lib, what, fn) {
  try {
    return await fn();
  } catch (e) {
    const msg = `${what}: ${String(e?.message || e).split('\n')[0]}`;
    errors[lib].push(msg);
    log(`  ${lib}: ${msg}`);
    return undefined;
  }
}

async function heap(cdp, page) {
  for (let i = 0; i < 3; i++) {
    await cdp.send('HeapProfiler.collectGarbage');
    await new Promise((r) => setTimeout(r, 100)); // FinalizationRegistry callbacks run after GC
  }
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const wasm = await page.evaluate(() => window.bench.wasmBytes());
  return { js: usedSize, wasm };
}

const fmtMs = (ms) => `${(ms / 1000).toFixed(1)} s`;
log(`bench: ${LIBS.join(', ')}; ${CFG.rounds} round(s)${smoke ? ' (quick: fewer samples)' : ''}; parts ${[...PARTS].join(', ')}; Chromium ${chromiumVersion}`);
let edge = null;
if (PARTS.has('edge')) {
  const t0 = Date.now();
  edge = await runEdge({ freshPage, log, cfg: EDGE_CFG });
  sampleLoad();
  log(`edge part took ${fmtMs(Date.now() - t0)}`);
}
// The order of the libraries rotates every round, so none always runs first (cold browser).
const order = (round) => LIBS.map((_, i) => LIBS[(i + round - 1) % LIBS.length]);
for (let round = 1; round <= (PARTS.has('network') ? CFG.rounds : 0); round++) {
  for (const lib of order(round)) {
    const t0 = Date.now();
    const p = await freshPage(lib);
    const ev = (fn, arg) => p.page.evaluate(fn, arg);
    const load = await step(lib, 'load', () => ev(([id]) => window.bench.load(id), [lib]));
    if (load) {
      push(lib, 'importReadyMs', load.readyMs);
      push(lib, 'importMs', load.importMs);
      push(lib, 'importOpenMs', load.openMs);
      push(lib, 'firstCallMs', load.readyMs - load.importMs);
      if (load.jsFetchMs !== undefined) push(lib, 'jsFetchMs', load.jsFetchMs);
      if (load.wasmFetchMs !== undefined) push(lib, 'wasmFetchMs', load.wasmFetchMs);
      const text = await step(lib, 'text throughput', () => ev((c) => window.bench.pipelined(c), CFG.text));
      if (text) push(lib, 'textMsgsPerSec', text.msgsPerSec);
      const bin = await step(lib, 'binary throughput', () => ev((c) => window.bench.pipelined(c), CFG.binary));
      if (bin) {
        push(lib, 'binaryMsgsPerSec', bin.msgsPerSec);
        push(lib, 'binaryMBps', bin.mbPerSec);
      }
      const rtt = await step(lib, 'round trip', () => ev((c) => window.bench.rtt(c), CFG.rtt));
      if (rtt) {
        push(lib, 'rttP50Us', rtt.p50Us);
        push(lib, 'rttP99Us', rtt.p99Us);
        push(lib, 'rttMeanUs', rtt.meanUs);
      }
      const over = await step(lib, 'overhead', () => ev((c) => window.bench.overhead(c), CFG.overhead));
      if (over) push(lib, 'overheadUs', over.usPerMsg);
      if (await ev((id) => window.bench.reconnects(id), lib)) {
        const rec = await step(lib, 'recovery', () => ev((c) => window.bench.recovery(c), CFG.recovery));
        if (rec) {
          push(lib, 'recoveryMs', rec.ms);
          push(lib, 'recoverySinceDropMs', rec.sinceDropMs);
          results[lib].recoveryMinDelay = rec.minDelay;
        }
      }
    }
    for (const e of p.pageErrors) errors[lib].push(`page: ${e}`);
    await p.context.close();
    sampleLoad();
    log(`round ${round}/${CFG.rounds} ${lib.padEnd(26)} ${fmtMs(Date.now() - t0)}` +
      (results[lib].textMsgsPerSec ? `  text ${Math.round(results[lib].textMsgsPerSec.at(-1))}/s` : '') +
      (results[lib].rttP50Us ? `  rtt p50 ${Math.round(results[lib].rttP50Us.at(-1))} µs` : ''));
  }
}

// Memory: a fresh page per library, `warmup` cycles, then the heaps (after GC) before and
// after `n` open/close cycles.
for (let round = 1; round <= (PARTS.has('memory') ? CFG.memoryRounds : 0); round++) {
  for (const lib of order(round)) {
    const t0 = Date.now();
    const p = await freshPage(lib);
    const ev = (fn, arg) => p.page.evaluate(fn, arg);
    const ok = await step(lib, 'load (memory)', () => ev(([id]) => window.bench.load(id), [lib]));
    if (ok) {
      await step(lib, 'memory cycles', async () => {
        await ev((c) => window.bench.cycles({ n: c.warmup }), CFG.cycles);
        const start = await heap(p.cdp, p.page);
        const run = await ev((c) => window.bench.cycles(c), CFG.cycles);
        const end = await heap(p.cdp, p.page);
        push(lib, 'heapStart', start.js);
        push(lib, 'heapDelta', end.js - start.js);
        push(lib, 'wasmStart', start.wasm);
        push(lib, 'wasmDelta', end.wasm - start.wasm);
        push(lib, 'cycleMs', run.ms / CFG.cycles.n);
      });
    }
    for (const e of p.pageErrors) errors[lib].push(`page: ${e}`);
    await p.context.close();
    sampleLoad();
    log(`memory ${round}/${CFG.memoryRounds} ${lib.padEnd(24)} ${fmtMs(Date.now() - t0)}` +
      (results[lib].heapDelta ? `  JS heap Δ ${results[lib].heapDelta.at(-1)} B, wasm Δ ${results[lib].wasmDelta.at(-1)} B` : ''));
  }
}
await browser.close();

// ---- summary ----
const M = Object.fromEntries(LIBS.map((l) => [l, Object.fromEntries(
  Object.entries(results[l]).map(([k, v]) => [k, Array.isArray(v) ? median(v) : v]),
)]));
const raw = M.raw;
const ratio = (lib, key) => (M[lib][key] !== undefined && raw[key] ? M[lib][key] / raw[key] : undefined);
const sizeOf = (lib) => (lib === 'raw' ? { totalGzip: 0, js: { gzip: 0 }, wasm: [] } : sizes.libs[SIZE_KEY[lib]]);

const k1 = (n) => (n >= 10000 ? `${(n / 1000).toFixed(1)} k` : `${Math.round(n)}`);
const x = (r) => (r === undefined ? '' : ` (${r.toFixed(2)}×)`);
const kb = (b) => `${(b / 1000).toFixed(1)} KB`;
const signedKb = (b) => `${b >= 0 ? '+' : '−'}${(Math.abs(b) / 1024).toFixed(1)} KiB`;
const na = (lib, why) => (errors[lib].length && why === undefined ? 'failed' : why ?? '—');

const rows = [
  ['text 32 B, pipelined: msgs/s', (l) => (M[l].textMsgsPerSec ? `${k1(M[l].textMsgsPerSec)}${x(ratio(l, 'textMsgsPerSec'))}` : na(l))],
  ['binary 64 KiB, pipelined: MB/s', (l) => (M[l].binaryMBps ? `${M[l].binaryMBps.toFixed(0)}${x(ratio(l, 'binaryMBps'))}` : na(l))],
  ['round trip p50, µs', (l) => (M[l].rttP50Us ? `${M[l].rttP50Us.toFixed(0)}${x(ratio(l, 'rttP50Us'))}` : na(l))],
  ['round trip p99, µs', (l) => (M[l].rttP99Us ? `${M[l].rttP99Us.toFixed(0)}${x(ratio(l, 'rttP99Us'))}` : na(l))],
  ['CPU per echo, in-page fake socket (no network), µs', (l) => (M[l].overheadUs !== undefined
    ? `${M[l].overheadUs.toFixed(2)}${l === 'raw' ? '' : ` (${M[l].overheadUs >= raw.overheadUs ? '+' : '−'}${Math.abs(M[l].overheadUs - raw.overheadUs).toFixed(2)})`}` : na(l))],
  ['import → usable connectSocket, ms (cold)', (l) => (M[l].importReadyMs !== undefined ? M[l].importReadyMs.toFixed(1) : na(l))],
  ['bundle, min+gzip', (l) => {
    const s = sizeOf(l);
    if (!s || s.error) return `not bundled${s?.error ? `: ${s.error}` : ''}`;
    if (l === 'raw') return '0';
    return s.wasm.length ? `${kb(s.totalGzip)} (JS ${kb(s.js.gzip)} + wasm ${kb(s.wasm.reduce((a, w) => a + w.gzip, 0))})` : kb(s.totalGzip);
  }],
  [`JS heap after ${CFG.cycles.n} open/close, vs start`, (l) => (M[l].heapDelta !== undefined ? signedKb(M[l].heapDelta) : na(l))],
  [`wasm memory after ${CFG.cycles.n} open/close, vs start`, (l) => (M[l].wasmStart ? `${signedKb(M[l].wasmDelta)} (of ${(M[l].wasmStart / 1024).toFixed(0)} KiB)` : M[l].heapDelta !== undefined ? 'no wasm' : na(l))],
  [`recovery after restart (down ${CFG.recovery.down} ms), ms`, (l) => (M[l].recoveryMs !== undefined ? M[l].recoveryMs.toFixed(0) : na(l, ['raw', 'mpsocket-connectSocket', 'taro'].includes(l) ? 'no reconnect' : undefined))],
];

const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const cpus = os.cpus();
const machine = {
  date,
  nproc: os.availableParallelism?.() ?? cpus.length,
  cpu: cpus[0]?.model?.trim() ?? 'unknown',
  memGiB: Math.round(os.totalmem() / 2 ** 30),
  os: `${os.type()} ${os.release()}`,
  chromium: chromiumVersion,
  node: process.version,
  crossOriginIsolated: isolated,
  // Other work on the machine skews every figure: the 1-minute load average, at start and end.
  loadavg: [loadStart, os.loadavg()[0]].map((l) => Math.round(l * 100) / 100),
  loadavgPeak: Math.round(loadPeak * 100) / 100,
};

// Targets (issue 5). `by` is how far from the line, in the unit of the target.
const targets = [];
const target = (name, lib, value, ok, by) => targets.push({ name, lib, value, met: value === undefined ? null : ok, by });
const mp = LIBS.filter((l) => l.startsWith('mpsocket-'));
for (const l of mp) {
  for (const [key, what] of [['textMsgsPerSec', 'text throughput'], ['binaryMBps', 'binary throughput']]) {
    const r = ratio(l, key);
    target(`${what} ≥ 0.90× raw`, l, r === undefined ? undefined : `${r.toFixed(3)}×`, r >= 0.9, r === undefined ? '' : `${((r - 0.9) * 100).toFixed(1)} points`);
  }
  const r = ratio(l, 'rttP50Us');
  target('round trip p50 within 5% of raw', l, r === undefined ? undefined : `${((r - 1) * 100).toFixed(1)}% (${M[l].rttP50Us.toFixed(0)} vs ${raw.rttP50Us.toFixed(0)} µs)`,
    r <= 1.05, r === undefined ? '' : `${((1.05 - r) * 100).toFixed(1)} points`);
}
const mpLoad = mp.map((l) => M[l].importReadyMs).filter((v) => v !== undefined);
if (mpLoad.length) {
  const v = median(results['mpsocket-connectSocket']?.importReadyMs ?? results[mp[0]].importReadyMs);
  target('import → ready under 15 ms', 'mpsocket', v === undefined ? undefined : `${v.toFixed(1)} ms`, v < 15, v === undefined ? '' : `${(15 - v).toFixed(1)} ms`);
}
if (sizes.libs.mpsocket && !sizes.libs.mpsocket.error) {
  const g = sizes.libs.mpsocket.totalGzip;
  target('gzip bundle (wasm + JS) under 30 KB', 'mpsocket', `${g} B`, g < 30000, `${30000 - g} B`);
}
for (const l of mp) {
  if (M[l].heapDelta === undefined) continue;
  // "Zero growth": wasm memory must not grow at all; the JS heap after GC moves by a few KiB
  // even for raw WebSocket, so growth within raw's + 16 KiB counts as zero.
  const noise = Math.max(0, raw.heapDelta ?? 0) + 16 * 1024;
  const ok = M[l].wasmDelta === 0 && M[l].heapDelta <= noise;
  target('zero memory growth over the cycles', l, `wasm ${signedKb(M[l].wasmDelta)}, JS heap ${signedKb(M[l].heapDelta)} (raw ${signedKb(raw.heapDelta ?? 0)})`,
    ok, `JS heap ${signedKb(noise - M[l].heapDelta)} of margin, wasm ${signedKb(-M[l].wasmDelta)}`);
}
if (M['mpsocket-createSocketTask']?.recoveryMs !== undefined) {
  const v = M['mpsocket-createSocketTask'].recoveryMs;
  const line = M['mpsocket-createSocketTask'].recoveryMinDelay + 100;
  target(`recovery under minDelay + 100 ms (${line} ms)`, 'mpsocket-createSocketTask', `${v.toFixed(0)} ms`, v < line, `${(line - v).toFixed(0)} ms`);
}

const machineLine = `${machine.date} · ${machine.nproc} × ${machine.cpu}, ${machine.memGiB} GiB · ${machine.os} · Chromium ${machine.chromium} (headless) · Node ${machine.node} · load average ${machine.loadavg.join(' → ')} (peak ${machine.loadavgPeak}${machine.loadavgPeak > machine.nproc ? `, above ${machine.nproc} cores: other work competed for the CPU` : ''})`;
const pkgLine = `package: ${sizes.pkg} (mpsocket ${versions.mpsocket ?? '?'}) · reconnecting-websocket ${versions['reconnecting-websocket'] ?? '?'} · partysocket ${versions.partysocket ?? '?'} · bundles by esbuild ${versions.esbuild ?? '?'}`;
const edgeSummary = edge ? edgeSummarize(edge, sizes) : null;
const md = [];
if (edge) md.push(edgeMarkdown(edge, edgeSummary, { command, machineLine, pkgLine, quick: smoke }), '');
md.push(`## Benchmark results: network and the earlier targets${smoke ? ' (QUICK RUN: tiny counts, not figures)' : ''}`);
md.push('');
md.push(`${machine.date} · ${machine.nproc} × ${machine.cpu}, ${machine.memGiB} GiB · ${machine.os} · Chromium ${machine.chromium} (headless) · Node ${machine.node} · load average ${machine.loadavg.join(' → ')} (peak ${machine.loadavgPeak}${machine.loadavgPeak > machine.nproc ? `, above ${machine.nproc} cores: other work competed for the CPU, so read ratios, not absolutes` : ''})`);
md.push(`mpsocket ${versions.mpsocket ?? '?'} (wasm-bindgen ${versions['wasm-bindgen'] ?? '?'}) · reconnecting-websocket ${versions['reconnecting-websocket'] ?? '?'} · partysocket ${versions.partysocket ?? '?'} · @tarojs/taro-h5 ${versions.taro ?? '?'} · bundles by esbuild ${versions.esbuild ?? '?'}`);
md.push('');
md.push(`Medians of ${CFG.rounds} round(s) (memory: ${CFG.memoryRounds}), each library in a fresh browser context, against the same local mpsocket-server \`/echo\`; (×) is the ratio to raw \`WebSocket\` in the same run.`);
md.push('');
md.push(`| | ${LIBS.map((l) => LABEL[l] ?? l).join(' | ')} |`);
md.push(`|---|${LIBS.map(() => '---').join('|')}|`);
for (const [name, cell] of rows) md.push(`| ${name} | ${LIBS.map((l) => cell(l)).join(' | ')} |`);
md.push('');
md.push(`Text: ${CFG.text.count.toLocaleString('en')} × ${CFG.text.bytes} B, at most ${CFG.text.window} in flight; binary: ${CFG.binary.count.toLocaleString('en')} × 64 KiB, at most ${CFG.binary.window} in flight; ` +
  `CPU per echo: ${CFG.overhead.count.toLocaleString('en')} pipelined 32 B messages through an in-page stand-in socket that echoes them as tasks (each library's own cost, plus the same event creation for all; (+) is the cost above raw); ` +
  `round trip: ${CFG.rtt.pings.toLocaleString('en')} sequential ${CFG.rtt.bytes} B pings after ${CFG.rtt.warmup} unrecorded ones` +
  (machine.crossOriginIsolated ? ' (cross-origin isolated page: 5 µs timer)' : ' (page NOT cross-origin isolated: 100 µs timer)') + '; ' +
  `import: fresh context, \`import()\` of the bundle until connectSocket (or the constructor) returned; ` +
  `bundle: esbuild --minify, gzip -9, plus the gzipped .wasm; memory: heap after forced GC (CDP) before and after ${CFG.cycles.n.toLocaleString('en')} sequential open → close cycles, after ${CFG.cycles.warmup} warm-up ones; ` +
  `recovery: \`/control/restart?down=${CFG.recovery.down}\` to all of ${CFG.recovery.k} messages sent while down echoed back, reconnect min delay ${M['mpsocket-createSocketTask']?.recoveryMinDelay ?? 250} ms for all three resilient libraries.`);
md.push('');
md.push('### Targets (mpsocket)');
md.push('');
md.push('| target | variant | measured | | margin |');
md.push('|---|---|---|---|---|');
for (const t of targets) md.push(`| ${t.name} | ${t.lib} | ${t.value ?? 'not measured'} | ${t.met === null ? '?' : t.met ? 'met' : '**missed**'} | ${t.by} |`);
const errLines = LIBS.flatMap((l) => [...new Set(errors[l])].map((e) => `- ${LABEL[l] ?? l}: ${e}`));
const notes = [];
for (const [name, s] of Object.entries(sizes.libs)) {
  if (s.error) notes.push(`- ${name} could not be bundled: ${s.error}`);
  if (s.note) notes.push(`- ${name} bundle: ${s.note}`);
}
if (errLines.length) {
  md.push('');
  md.push('### Errors');
  md.push('');
  md.push(...errLines);
}
if (notes.length) md.push('', ...notes);
md.push('');
const table = md.join('\n');

fs.mkdirSync(args.out, { recursive: true });
fs.writeFileSync(path.join(args.out, 'results.md'), table);
fs.writeFileSync(path.join(args.out, 'results.json'), JSON.stringify({
  command, machine, versions, config: CFG, smoke, quick: smoke, parts: [...PARTS], libs: LIBS, medians: M, rounds: results, errors, sizes, targets,
  edge: edge ? { ...edge, summary: edgeSummary } : null,
  seconds: Math.round((Date.now() - started) / 1000),
}, null, 2) + '\n');
console.log(table);
log(`bench took ${fmtMs(Date.now() - started)}; wrote ${path.join(args.out, 'results.md')} and results.json`);

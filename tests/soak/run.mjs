#!/usr/bin/env node
// Fault soak: several createSocketTask tasks in headless Chromium each send a numbered stream
// to the test server's /echo while a seeded random schedule breaks things:
//   drop          /control/drop-all (all tasks, or one): TCP reset, no Close frame
//   silence       /control/silence: the server stops reading (half-open); at the end every
//                 socket is reset (silence?on=0&drop=1), so what it was sent is never read
//   restart       /control/restart: everything reset, then down for N ms, either refusing
//                 connections or accepting and ignoring them (reset when back up)
//   close         /control/close: a Close frame with a code (1000, 1001, 1011, 4xxx, none…)
//   offline       context.setOffline(true) for a while, then online
//   offline-drop  offline, with a drop-all in the middle (the network died meanwhile)
//   hidden        document.visibilityState 'hidden' + visibilitychange, then visible
// Then it checks, for every message: exactly one of success/fail (and one complete); the server
// received each task's stream in order without duplicates; everything received had success;
// nothing that got fail reached the server; a success that never reached the server is only
// allowed in a fault's window (sent to the OS before a connection died: the at-most-once
// window, counted and printed). Also: never two live sockets for one task (every socket
// construction in the page, and server-side open counts sampled outside silence/offline), no
// uncaught page error or wasm trap, no task closed for good, no success while offline, and
// timing: dead-peer detection ≤ interval+timeout+100 ms, recovery after a restart ≤
// minDelay+100 ms, online → OPEN ≤ 1 s. With mpsocket's __stats(): wasm heap bytes,
// externrefs and live tasks back to the baseline after every task closed.
//
//   node tests/soak/run.mjs [--seed N] [--duration SECONDS] [--pkg DIR] [--server BIN]
//                           [--schedule-only] [--verbose]
// Env SEED and DURATION are the defaults of --seed/--duration (duration default 50 s; `make
// soak` runs 600). The seed (random when not given) is printed; the same seed and duration give
// the same schedule and the same per-task message rhythms. --pkg is the package folder
// (default: the repo's pkg/). The script starts its own mpsocket-server (default
// target/release/mpsocket-server), since its faults hit every connection of a server.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const require = createRequire(path.join(repo, 'tools/package.json'));

const { values: args } = parseArgs({
  options: {
    seed: { type: 'string', default: process.env.SEED || '' },
    duration: { type: 'string', default: process.env.DURATION || '50' },
    pkg: { type: 'string', default: path.join(repo, 'pkg') },
    server: { type: 'string', default: path.join(repo, 'target/release/mpsocket-server') },
    'schedule-only': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});
const seed = args.seed === '' ? (Math.random() * 2 ** 31) >>> 0 : Number(args.seed) >>> 0;
const durationMs = Math.round(Number(args.duration) * 1000);
if (!Number.isFinite(durationMs) || durationMs < 10000) {
  console.error('--duration must be at least 10 (seconds)');
  process.exit(2);
}

// ---- configuration -------------------------------------------------------------------------
const HB = { interval: 1000, timeout: 1000, message: 'hb', pong: 'hb', deliverPongs: true };
const RC = { minDelay: 250, maxDelay: 250, factor: 1, jitter: 0, minUptime: 1000 };
const DETECT_BOUND = HB.interval + HB.timeout + 100;
const RECOVERY_BOUND = RC.minDelay + 100;
const ONLINE_BOUND = 1000;
/** A success that never reached the server is "at most once" if it was within a fault's window. */
const WINDOW_BEFORE = 500;
const WINDOW_AFTER = 1000;

function rng(s) {
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeTasks(seed) {
  const r = rng(seed ^ 0x7a5c);
  const base = [
    { name: 'text-hb', kind: 'text', heartbeat: HB, queue: true },
    { name: 'text-nohb', kind: 'text', heartbeat: false, queue: true },
    { name: 'bin-hb', kind: 'binary', heartbeat: HB, queue: true },
    { name: 'bin-nohb', kind: 'binary', heartbeat: false, queue: true },
    { name: 'text-hb-q8', kind: 'text', heartbeat: HB, queue: { maxMessages: 8, policy: 'drop-oldest' } },
    { name: 'text-hb-noqueue', kind: 'text', heartbeat: HB, queue: false },
  ];
  return base.map((t) => ({
    ...t,
    reconnect: RC,
    periodMs: 25 + Math.floor(r() * 40),
    maxBinary: 256 * 1024,
    seed: (r() * 2 ** 31) | 0,
  }));
}

const CLOSE_CODES = [1000, 1001, 1011, 1012, 1013, 4000, 4321, 4999, null];
const KINDS = ['drop', 'silence', 'restart', 'close', 'offline', 'offline-drop', 'hidden'];
/** Faults are drawn from shuffled bags of this multiset, so every kind comes up early on. */
const BAG = ['drop', 'drop', 'silence', 'restart', 'close', 'close', 'offline', 'offline-drop', 'hidden'];

function makeSchedule(seed, durationMs, taskNames) {
  const r = rng(seed);
  let bag = [];
  const pickKind = () => {
    if (!bag.length) {
      bag = [...BAG];
      for (let i = bag.length - 1; i > 0; i--) {
        const j = Math.floor(r() * (i + 1));
        [bag[i], bag[j]] = [bag[j], bag[i]];
      }
    }
    return bag.pop();
  };
  const target = () => (r() < 0.3 ? taskNames[Math.floor(r() * taskNames.length)] : null);
  const out = [];
  let t = 3000;
  for (;;) {
    const f = { kind: pickKind(), at: Math.round(t), dur: 0 };
    switch (f.kind) {
      case 'drop':
        f.target = target();
        break;
      case 'silence':
        f.dur = Math.round(DETECT_BOUND + 600 + r() * 1800);
        break;
      case 'restart':
        f.dur = Math.round(300 + r() * 1200);
        f.mode = r() < 0.5 ? 'refuse' : 'ignore';
        break;
      case 'close':
        f.code = CLOSE_CODES[Math.floor(r() * CLOSE_CODES.length)];
        f.reason = r() < 0.5 ? '' : 'soak';
        f.target = target();
        break;
      case 'offline':
        f.dur = Math.round(500 + r() * 2500);
        break;
      case 'offline-drop':
        f.dur = Math.round(1000 + r() * 2000);
        f.dropAfter = Math.round(f.dur * (0.3 + r() * 0.4));
        break;
      case 'hidden':
        f.dur = Math.round(500 + r() * 3500);
        break;
    }
    if (f.at + f.dur + 2500 > durationMs) break;
    out.push(f);
    t = f.at + f.dur + 1500 + r() * 2000;
  }
  return out;
}

const tasksCfg = makeTasks(seed);
const schedule = makeSchedule(seed, durationMs, tasksCfg.map((t) => t.name));
const scheduleHash = createHash('sha256').update(JSON.stringify({ tasksCfg, schedule })).digest('hex').slice(0, 12);
const byKind = (list) => Object.fromEntries(KINDS.map((k) => [k, list.filter((f) => f.kind === k).length]));
console.log(`soak: seed ${seed}, duration ${durationMs / 1000} s, ${schedule.length} faults ${JSON.stringify(byKind(schedule))}, schedule ${scheduleHash}`);
console.log(`soak: reproduce with SEED=${seed} DURATION=${durationMs / 1000}`);
if (args.verbose || args['schedule-only']) {
  for (const f of schedule) console.log(`  ${String(f.at).padStart(7)} ms  ${JSON.stringify(f)}`);
}
if (args['schedule-only']) process.exit(0);

// ---- the server ----------------------------------------------------------------------------
if (!existsSync(args.server)) {
  console.error(`no server binary at ${args.server} (cargo build -p mpsocket-server --release)`);
  process.exit(2);
}
const tmp = mkdtempSync(path.join(os.tmpdir(), 'mpsocket-soak-'));
const portFile = path.join(tmp, 'port');
const server = spawn(args.server, ['--port', '0', '--port-file', portFile, '--static', path.join(repo, 'www'),
  '--mount', `/pkg=${path.resolve(args.pkg)}`, '--mount', `/tests=${path.join(repo, 'tests')}`],
{ stdio: ['ignore', 'ignore', 'inherit'] });
const cleanup = () => {
  try {
    server.kill('SIGTERM');
  } catch {}
  rmSync(tmp, { recursive: true, force: true });
};
process.on('exit', cleanup);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let port = 0;
for (let i = 0; i < 100 && !port; i++) {
  if (existsSync(portFile)) port = Number(readFileSync(portFile, 'utf8').trim());
  else await sleep(100);
}
if (!port) {
  console.error('soak: the server wrote no port file');
  process.exit(1);
}
const base = `http://127.0.0.1:${port}`;

async function control(p, { retryMs = 3000 } = {}) {
  const until = Date.now() + retryMs;
  for (;;) {
    try {
      return await (await fetch(`${base}${p}`)).json();
    } catch (e) {
      if (Date.now() > until) throw new Error(`control ${p}: ${e.message}`);
      await sleep(50);
    }
  }
}

// ---- the browser ---------------------------------------------------------------------------
const { chromium } = require('playwright-core');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: FLAGS });
const violations = [];
const violate = (what) => violations.push(what);
const pageErrors = [];
const traps = [];
const consoleErrors = [];
let summary;
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  page.on('pageerror', (e) => {
    pageErrors.push(String(e && e.stack || e));
    if (/RuntimeError|unreachable|wasm/i.test(String(e))) traps.push(String(e));
  });
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    if (/RuntimeError|unreachable executed|wasm trap/i.test(text)) traps.push(text);
    // The browser's own network error lines are expected under faults.
    if (!/^WebSocket connection to|net::ERR_|Failed to load resource/.test(text)) consoleErrors.push(text);
  });
  await page.goto(`${base}/tests/soak/index.html?pkg=/pkg/index.js`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 15000 });
  const pageNow = () => page.evaluate(() => performance.now());
  const gc = async () => {
    for (let i = 0; i < 3; i++) {
      await cdp.send('HeapProfiler.collectGarbage');
      await sleep(50);
    }
  };

  // Warm-up: the same set of tasks at once through open/send/close, so that lazily made state
  // and grown-once capacity are in the memory baseline.
  const warm = await page.evaluate(async (cfgs) => {
    if (typeof window.mp.configure === 'function') window.mp.configure({ maxConnections: 32 });
    const ts = cfgs.map((c) => window.mp.createSocketTask({ url: `ws://${location.host}/echo?id=warm-${c.name}`,
      queue: c.queue, heartbeat: c.heartbeat, reconnect: c.reconnect }));
    await Promise.all(ts.map((t) => new Promise((r) => t.onOpen(r))));
    await Promise.all(ts.flatMap((t) => [
      new Promise((r) => t.send({ data: 'warm', complete: r })),
      new Promise((r) => t.send({ data: new ArrayBuffer(64), complete: r })),
    ]));
    await Promise.all(ts.map((t) => new Promise((r) => { t.onClose(r); t.close({}); })));
    return true;
  }, tasksCfg);
  if (!warm) throw new Error('warm-up failed');
  await gc();
  const memBefore = await page.evaluate(() => window.soak.memory());

  for (const t of tasksCfg) await page.evaluate((cfg) => window.soak.addTask(cfg), t);
  await page.waitForFunction(() => window.soak.status().every((s) => s.readyState === 1), null, { timeout: 10000 });

  const t0Node = Date.now();
  // Server-side sampling of open connections per id, outside silence/offline (see the header).
  let exempt = 0;
  let exemptUntil = 0;
  let serverDown = false;
  const samples = { taken: 0, maxOpen: 0, over: [] };
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await sleep(250);
      if (serverDown) continue;
      const quiet = exempt === 0 && Date.now() > exemptUntil;
      let s;
      try {
        s = await (await fetch(`${base}/control/stats?brief=1`)).json();
      } catch {
        continue;
      }
      if (!(quiet && exempt === 0 && Date.now() > exemptUntil)) continue;
      samples.taken++;
      for (const [id, v] of Object.entries(s.byId)) {
        samples.maxOpen = Math.max(samples.maxOpen, v.open);
        if (v.open > 1) samples.over.push({ id, open: v.open, t: Date.now() - t0Node });
      }
    }
  })();
  const beginExempt = () => exempt++;
  const endExempt = () => {
    exempt--;
    exemptUntil = Date.now() + 1000;
  };

  // ---- run the schedule
  const faults = []; // executed: {kind, ..., start, end (page ms)}
  const t0 = await page.evaluate(() => window.soak.start());
  const at = (ms) => sleep(Math.max(0, t0Node + ms - Date.now()));
  for (const f of schedule) {
    await at(f.at);
    const rec = { ...f, start: await pageNow() };
    const q = f.target ? `id=${encodeURIComponent(f.target)}` : '';
    switch (f.kind) {
      case 'drop':
        rec.hit = (await control(`/control/drop-all${q ? `?${q}` : ''}`)).dropped;
        rec.end = await pageNow();
        break;
      case 'close': {
        const p = new URLSearchParams();
        if (f.code !== null) p.set('code', String(f.code));
        if (f.reason) p.set('reason', f.reason);
        if (f.target) p.set('id', f.target);
        rec.hit = (await control(`/control/close?${p}`)).closed;
        rec.end = await pageNow();
        break;
      }
      case 'silence':
        beginExempt();
        await control('/control/silence?on=1');
        rec.start = await pageNow();
        await sleep(f.dur);
        rec.end = await pageNow();
        await control('/control/silence?on=0&drop=1');
        rec.end2 = await pageNow();
        endExempt();
        break;
      case 'restart':
        serverDown = true;
        // The server is down for `dur` ms from its answer, so back no sooner than this.
        rec.up = rec.start + f.dur;
        await control(`/control/restart?down=${f.dur}&mode=${f.mode}`);
        await sleep(f.dur + 50);
        serverDown = false;
        rec.end = rec.up;
        break;
      case 'offline':
        beginExempt();
        await context.setOffline(true);
        await sleep(f.dur);
        await context.setOffline(false);
        rec.end = await pageNow();
        endExempt();
        break;
      case 'offline-drop':
        beginExempt();
        await context.setOffline(true);
        await sleep(f.dropAfter);
        rec.hit = (await control('/control/drop-all')).dropped;
        await sleep(f.dur - f.dropAfter);
        await context.setOffline(false);
        rec.end = await pageNow();
        endExempt();
        break;
      case 'hidden':
        rec.start = await page.evaluate(() => window.soak.setHidden(true));
        await sleep(f.dur);
        rec.end = await page.evaluate(() => window.soak.setHidden(false));
        break;
    }
    faults.push(rec);
    if (args.verbose) console.log(`  fault ${rec.kind} at ${Math.round(rec.start - t0)} ms ${JSON.stringify(f)}`);
  }
  await at(durationMs);
  const stopAt = await page.evaluate(() => window.soak.stop());

  // ---- drain: every task open, queues empty, every message settled (or 20 s)
  let status;
  const drainUntil = Date.now() + 20000;
  for (;;) {
    status = await page.evaluate(() => window.soak.status());
    if (status.every((s) => s.readyState === 1 && !s.queueLength && !s.unsettled)) break;
    if (Date.now() > drainUntil) break;
    await sleep(200);
  }
  const drained = status.every((s) => s.readyState === 1 && !s.queueLength && !s.unsettled);
  if (!drained) violate(`not drained 20 s after the streams stopped: ${JSON.stringify(status)}`);
  await sleep(500); // the server reads the last frames
  const closeAt = await pageNow();
  await page.evaluate(() => window.soak.closeAll());
  await sleep(300);
  sampling = false;
  await sampler;
  const report = await page.evaluate(() => window.soak.report());
  const pageSide = await page.evaluate(() => ({
    errors: window.soak.errors,
    net: window.soak.net,
    liveViolations: window.soak.liveViolations,
    sockets: window.soak.sockets,
    badSends: window.soak.badSends,
    badSendLog: window.soak.badSendLog,
    pings: window.soak.pings,
  }));
  await page.evaluate(() => window.soak.release());
  await gc();
  await sleep(200);
  await gc();
  await sleep(200);
  const memAfter = await page.evaluate(() => window.soak.memory());
  const stats = await control('/control/stats');

  summary = analyse({ report, pageSide, faults, stats, samples, t0, stopAt, closeAt, memBefore, memAfter });
} finally {
  await browser.close();
}

// ---- analysis ------------------------------------------------------------------------------
function analyse({ report, pageSide, faults, stats, samples, t0, stopAt, closeAt, memBefore, memAfter }) {
  const killing = faults.filter((f) => f.kind !== 'hidden')
    .map((f) => [f.start - WINDOW_BEFORE, (f.end2 ?? f.end) + WINDOW_AFTER, f.kind]);
  const windowOf = (t) => killing.find(([a, b]) => t >= a && t <= b)?.[2];
  const lostByKind = {};
  const offlineSpans = [];
  for (let i = 0; i < pageSide.net.length; i++) {
    const e = pageSide.net[i];
    if (!e.online) {
      const back = pageSide.net.slice(i + 1).find((x) => x.online);
      offlineSpans.push([e.t, back ? back.t : Infinity]);
    }
  }
  const tot = { messages: 0, success: 0, fail: 0, lost: 0, lostUnexplained: 0, duplicates: 0, reordered: 0,
    successOffline: 0, successOfflineEarly: 0, unsettled: 0, multiSettled: 0, badComplete: 0, failDelivered: 0, foreign: 0 };
  const failReasons = {};
  const perTask = [];
  for (const k of report) {
    const name = k.name;
    let seqs;
    if (k.cfg.kind === 'text') {
      seqs = (stats.receivedTexts[name] || []).filter((s) => s.startsWith(`${name}#`))
        .map((s) => Number(s.slice(name.length + 1, s.indexOf('|'))));
    } else {
      seqs = [];
      for (const h of stats.receivedBinary?.[name] || []) {
        if (h.length < 16 || parseInt(h.slice(0, 8), 16) !== k.index) {
          tot.foreign++;
          continue;
        }
        seqs.push(parseInt(h.slice(8, 16), 16));
      }
    }
    const seen = new Map();
    let dup = 0;
    let reord = 0;
    let max = -1;
    const odd = []; // the first duplicates / reorderings, for the verbose report
    const where = (s) => `${s}@${Math.round((k.succT[s] ?? k.sendT[s]) - t0)}ms${windowOf(k.succT[s] ?? k.sendT[s]) ? `(${windowOf(k.succT[s] ?? k.sendT[s])})` : ''}`;
    for (const s of seqs) {
      seen.set(s, (seen.get(s) || 0) + 1);
      if (seen.get(s) > 1) {
        dup++;
        if (odd.length < 10) odd.push(`dup ${where(s)}`);
      } else if (s < max) {
        reord++;
        if (odd.length < 10) odd.push(`reordered ${where(s)} after ${max}`);
      }
      max = Math.max(max, s);
    }
    const t = { name, sent: k.sent, success: 0, fail: 0, lost: 0, lostUnexplained: [], unsettled: [], multi: [],
      badComplete: 0, failDelivered: [], successOffline: 0, received: seqs.length };
    for (let i = 0; i < k.sent; i++) {
      const s = k.nSucc[i];
      const f = k.nFail[i];
      if (s + f === 0) t.unsettled.push(i);
      else if (s + f > 1) t.multi.push(i);
      if (k.nComp[i] !== 1) t.badComplete++;
      if (s) t.success++;
      if (f) {
        t.fail++;
        const why = k.failMsg[i] || '?';
        failReasons[why] = (failReasons[why] || 0) + 1;
      }
      const got = seen.has(i);
      if (got && !s) t.failDelivered.push(i);
      if (s && !got) {
        t.lost++;
        const kind = windowOf(k.succT[i]);
        if (kind) lostByKind[kind] = (lostByKind[kind] || 0) + 1;
        else t.lostUnexplained.push(i);
      }
    }
    // Offline is from the 'offline' event to the 'online' event (the page's listeners run
    // before the package's). navigator.onLine turns false a moment before the event is
    // dispatched: successes in that gap are counted apart, as information.
    const offlineAt = (x) => x !== undefined && offlineSpans.some(([a, b]) => x >= a && x < b);
    t.successOfflineEarly = 0;
    for (let i = 0; i < k.sent; i++) {
      if (offlineAt(k.succT[i])) {
        t.successOffline++;
        if (odd.length < 10) odd.push(`success offline ${where(i)}`);
      }
    }
    for (const i of k.succOffline) if (!offlineAt(k.succT[i])) t.successOfflineEarly++;
    for (const c of k.closes) if (c.t < closeAt) violate(`${name}: closed for good during the soak (onClose ${c.code} ${c.reason} at ${Math.round(c.t - t0)} ms)`);
    tot.messages += k.sent;
    tot.success += t.success;
    tot.fail += t.fail;
    tot.lost += t.lost;
    tot.lostUnexplained += t.lostUnexplained.length;
    tot.duplicates += dup;
    tot.reordered += reord;
    tot.successOffline += t.successOffline;
    tot.successOfflineEarly += t.successOfflineEarly;
    tot.unsettled += t.unsettled.length;
    tot.multiSettled += t.multi.length;
    tot.badComplete += t.badComplete;
    tot.failDelivered += t.failDelivered.length;
    t.badSends = pageSide.badSends[name] || 0;
    perTask.push({ ...t, dup, reord, odd });
  }

  // Dead-peer detection (heartbeat tasks, during silences).
  const detections = [];
  const undetected = [];
  for (const f of faults.filter((x) => x.kind === 'silence')) {
    for (const k of report.filter((x) => x.cfg.heartbeat)) {
      // Up to the end of the silence only: then every socket is reset, which is no detection.
      const ds = k.detections.filter((d) => d.t >= f.start && d.t <= f.end);
      for (const d of ds) detections.push({ task: k.name, ms: Math.round(d.since) });
      if (!ds.length && f.end - f.start > DETECT_BOUND + 200) undetected.push(`${k.name} (silence at ${Math.round(f.start - t0)} ms for ${Math.round(f.end - f.start)} ms)`);
    }
  }
  // Recovery after restarts: first open after the server is back.
  // The bound is on the package's part: when the attempt that opened was started. Chromium then
  // runs WebSocket handshakes to one host one at a time, so with six tasks reconnecting at once
  // the last OPEN can come later; that is reported beside it.
  const recoveries = [];
  const recoveryOpens = [];
  for (const f of faults.filter((x) => x.kind === 'restart')) {
    for (const k of report) {
      const i = k.opens.findIndex((x) => x > f.start);
      const attempt = i < 0 ? Infinity : Math.max(0, Math.round(k.attempts[i] - f.up));
      recoveries.push({ task: k.name, ms: attempt, mode: f.mode });
      recoveryOpens.push({ task: k.name, ms: i < 0 ? Infinity : Math.round(k.opens[i] - f.up), mode: f.mode });
    }
  }
  // online → OPEN for tasks that were not open when the page came back online.
  const onlines = [];
  for (const e of pageSide.net.filter((x) => x.online)) {
    for (const k of report) {
      if (e.states[k.name] === 1) continue;
      const o = k.opens.find((x) => x > e.t);
      onlines.push({ task: k.name, ms: o === undefined ? Infinity : Math.round(o - e.t) });
    }
  }
  // hidden → visible: did each heartbeat task that was open send a ping soon after (informational:
  // with traffic flowing, a package may see the connection is alive without one).
  let probes = 0;
  let probeChances = 0;
  for (const f of faults.filter((x) => x.kind === 'hidden')) {
    for (const k of report.filter((x) => x.cfg.heartbeat)) {
      probeChances++;
      if ((pageSide.pings[k.name] || []).some((p) => p >= f.end && p <= f.end + 500)) probes++;
    }
  }
  const stat = (xs) => {
    if (!xs.length) return 'none';
    const v = xs.map((x) => x.ms).sort((a, b) => a - b);
    return `n=${v.length} min ${v[0]} median ${v[v.length >> 1]} max ${v[v.length - 1]} ms`;
  };

  // Violations.
  if (tot.unsettled) violate(`${tot.unsettled} message(s) never settled (no success, no fail)`);
  if (tot.multiSettled) violate(`${tot.multiSettled} message(s) settled more than once`);
  if (tot.badComplete) violate(`${tot.badComplete} message(s) without exactly one complete`);
  if (tot.duplicates) violate(`${tot.duplicates} duplicate(s) at the server`);
  if (tot.reordered) violate(`${tot.reordered} message(s) out of order at the server`);
  if (tot.failDelivered) violate(`${tot.failDelivered} message(s) reached the server without success (fail or nothing)`);
  if (tot.foreign) violate(`${tot.foreign} binary message(s) at the server with another task's header`);
  if (tot.lostUnexplained) violate(`${tot.lostUnexplained} success(es) never reached the server outside any fault window`);
  if (tot.successOffline) violate(`${tot.successOffline} success(es) fired while the page was offline`);
  const badSends = perTask.reduce((n, t) => n + t.badSends, 0);
  if (badSends) {
    const when = pageSide.badSendLog.slice(0, 8).map((b) => `${b.task} readyState ${b.readyState} at ${Math.round(b.t - t0)} ms${windowOf(b.t) ? ` (${windowOf(b.t)})` : ''}`);
    violate(`the package called send() on a WebSocket that was not OPEN ${badSends} time(s) (the browser drops or refuses those bytes): ${when.join('; ')}`);
  }
  if (pageSide.liveViolations.length) violate(`two live sockets for one task, ${pageSide.liveViolations.length} time(s): ${JSON.stringify(pageSide.liveViolations.slice(0, 5))}`);
  if (samples.over.length) violate(`server saw >1 open connection per id outside silence/offline, ${samples.over.length} sample(s): ${JSON.stringify(samples.over.slice(0, 5))}`);
  if (pageErrors.length) violate(`${pageErrors.length} uncaught page error(s): ${pageErrors.slice(0, 3).join(' / ')}`);
  if (traps.length) violate(`wasm trap: ${traps[0]}`);
  if (pageSide.errors.length) violate(`page-side errors: ${pageSide.errors.slice(0, 3).join(' / ')}`);
  const slowDetect = detections.filter((d) => d.ms > DETECT_BOUND);
  if (slowDetect.length) violate(`dead peer detected later than ${DETECT_BOUND} ms: ${JSON.stringify(slowDetect.slice(0, 5))}`);
  if (undetected.length) violate(`dead peer never detected: ${undetected.slice(0, 5).join(', ')}`);
  const slowRecover = recoveries.filter((d) => d.ms > RECOVERY_BOUND);
  if (slowRecover.length) violate(`reconnect attempt after restart later than ${RECOVERY_BOUND} ms: ${JSON.stringify(slowRecover.slice(0, 6))}`);
  const slowOnline = onlines.filter((d) => d.ms > ONLINE_BOUND);
  if (slowOnline.length) violate(`online → OPEN slower than ${ONLINE_BOUND} ms: ${JSON.stringify(slowOnline.slice(0, 6))}`);
  let memLine = 'mp.__stats: not exported by this package (skipped)';
  if (memBefore && memAfter) {
    memLine = `mp.__stats: before ${JSON.stringify(memBefore)} after ${JSON.stringify(memAfter)}`;
    if (memAfter.externrefs > memBefore.externrefs) violate(`externrefs not back to baseline: ${memBefore.externrefs} → ${memAfter.externrefs}`);
    // Allowed: 1 KiB, plus the externref slab's kept capacity (4-byte slots, doubled as a Vec
    // grows) for the peak number of live handles (queued payloads and replies, bounded by the
    // queue limits). Anything beyond is Rust state that outlived its task.
    const slab = 8 * Math.max(0, memAfter.externrefPeak - memBefore.externrefs);
    if (memAfter.heapBytes > memBefore.heapBytes + 1024 + slab) {
      violate(`heapBytes not back to baseline: ${memBefore.heapBytes} → ${memAfter.heapBytes} (allowed +${1024 + slab}: 1 KiB + the externref slab for a peak of ${memAfter.externrefPeak} handles)`);
    }
    if (memAfter.liveTasks !== 0) violate(`liveTasks ${memAfter.liveTasks} after every task closed`);
  }

  const kinds = byKind(faults);
  const lines = [];
  lines.push(`soak summary (seed ${seed}, ${durationMs / 1000} s, schedule ${scheduleHash})`);
  lines.push(`  messages         ${tot.messages} (${perTask.map((t) => `${t.name} ${t.sent}`).join(', ')})`);
  lines.push(`  faults           ${faults.length} ${JSON.stringify(kinds)}; sockets made by the page: ${pageSide.sockets}`);
  lines.push(`  successes        ${tot.success}`);
  lines.push(`  fails            ${tot.fail} ${JSON.stringify(failReasons)}`);
  lines.push(`  at-most-once lost ${tot.lost} (success, never reached the server, inside a fault window: ${tot.lost - tot.lostUnexplained}; outside: ${tot.lostUnexplained})`);
  lines.push(`                   by fault: ${JSON.stringify(lostByKind)}; per task: ${perTask.map((t) => `${t.name} ${t.lost}`).join(', ')}`);
  lines.push(`  duplicates       ${tot.duplicates}`);
  lines.push(`  reordered        ${tot.reordered}`);
  lines.push(`  success-offline  ${tot.successOffline} (${perTask.map((t) => `${t.name} ${t.successOffline}`).join(', ')}); while navigator.onLine was already false but before the 'offline' event: ${tot.successOfflineEarly}`);
  lines.push(`  unsettled        ${tot.unsettled}; settled twice ${tot.multiSettled}; complete≠1 ${tot.badComplete}; fail/unsettled but received ${tot.failDelivered}`);
  const early = detections.filter((d) => d.ms < HB.timeout).length;
  lines.push(`  dead-peer detect ${stat(detections)} (bound ${DETECT_BOUND}); never detected ${undetected.length}; sooner than timeout ${early} (informational: measured from the page's own listener)`);
  lines.push(`  restart recovery ${stat(recoveries)} (bound ${RECOVERY_BOUND}): server up → the attempt that opened began`);
  lines.push(`                   ${stat(recoveryOpens)}: server up → OPEN (informational)`);
  lines.push(`  online → OPEN    ${stat(onlines)} (bound ${ONLINE_BOUND})`);
  lines.push(`  visible → ping   ${probes} of ${probeChances} (heartbeat task × visible event, ping within 500 ms; informational)`);
  lines.push(`  send on closing  ${badSends} (WebSocket.send while not OPEN)`);
  lines.push(`  live sockets     page-side violations ${pageSide.liveViolations.length}; server samples ${samples.taken}, max open per id ${samples.maxOpen}, over 1: ${samples.over.length}`);
  lines.push(`  page errors      ${pageErrors.length}; wasm traps ${traps.length}; console errors ${consoleErrors.length}${consoleErrors.length ? ` (${[...new Set(consoleErrors)].slice(0, 3).join(' / ')})` : ''}`);
  lines.push(`  ${memLine}`);
  if (args.verbose) {
    for (const t of perTask) {
      lines.push(`  ${t.name}: ${JSON.stringify({ ...t, lostUnexplained: t.lostUnexplained.slice(0, 10), unsettled: t.unsettled.slice(0, 10), multi: t.multi.slice(0, 10), failDelivered: t.failDelivered.slice(0, 10) })}`);
    }
  }
  return lines.join('\n');
}

console.log(summary);
if (violations.length) {
  console.log(`soak: ${violations.length} violation(s):`);
  for (const v of violations) console.log(`FAIL  ${v}`);
  console.log(`soak: FAILED (seed ${seed}; reproduce with SEED=${seed} DURATION=${durationMs / 1000})`);
  process.exit(1);
}
console.log('soak: all checks passed');
process.exit(0);

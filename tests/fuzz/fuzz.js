// Hostile-input fuzz of every public function and SocketTask method of the mpsocket package.
// Runtime-neutral: tests/fuzz/page.js runs it in headless Chromium, tests/fuzz/node.mjs in
// plain Node (with npm `ws`). Both print the same summary:
//
//   N calls, T traps, U uncaught, S sync-throws, P poisoned, K stuck, X unsettled
//
//   calls        package calls made (cases, re-entrant calls from callbacks, getter reads)
//   traps        WebAssembly.RuntimeError, or wasm-bindgen's "recursive use of an object" /
//                "already borrowed" / "closure invoked ... after being dropped", seen anywhere:
//                thrown, uncaught, in a rejection, an errMsg or a console.error argument
//   uncaught     uncaught errors and unhandled rejections (the page's error/unhandledrejection,
//                Node's uncaughtException/unhandledRejection, incl. ws's 'Unhandled error event')
//   sync-throws  a package call threw synchronously (WeChat's rule: bad input goes to
//                fail/complete or a rejected Promise, never a throw). Calls with a wrong `this`
//                (a SocketTask method called on something else) may throw a TypeError; they
//                count only if they trap.
//   poisoned     after a batch, a fresh connectSocket must open and echo on /echo, 5 tasks must
//                open at once (the live-task limit is not leaked), Object/Array/Function
//                prototypes must be unchanged
//   stuck        a task not CLOSED (readyState 3) 3 s after close()/closeSocket(), or a
//                connection the server still holds open after every task was closed
//   unsettled    a callback trio where neither success nor fail ran, complete never ran, or
//                anything ran twice; or a returned Promise that never settled
//
// Modes: deterministic (every value in every position; the default), or random
// (`{random: M, seed: N}`: M calls mixing valid and invalid ones with server faults, all choices
// from a seeded PRNG so a seed replays the same call sequence).
import {
  FuzzError, generalValues, dataValues, callbackValues, urlValues, headerValues, protocolValues,
  numberValues, codeValues, reasonValues, throwingProxy, revokedProxy, oneTrapProxy, REENTRY_KINDS,
} from './values.js';
import { socketDoubles } from './doubles.js';

const TRAP_RE = /RuntimeError|recursive use of an object|already (mutably )?borrowed|BorrowMutError|BorrowError|closure invoked (recursively )?(or )?after being dropped|while it was borrowed|memory access out of bounds|table index is out of bounds|function signature mismatch/;
const STUCK_MS = 3000;
const TRIO_MS = 1000;
const PROBE_MS = 4000;
const FUZZ_LIMIT = 64; // live-task limit while a batch runs (the probe checks the real 5)
const GETTERS = ['readyState', 'queueLength', 'reconnectAttempt', 'lastRtt', 'socketTaskId', 'socket', 'url', 'CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'];
const METHODS = ['send', 'close', 'onOpen', 'onMessage', 'onError', 'onClose', 'onReconnecting', 'offOpen', 'offMessage', 'offError', 'offClose', 'offReconnecting'];
const LEGACY_ON = ['onSocketOpen', 'onSocketMessage', 'onSocketError', 'onSocketClose'];
const PLATFORMS = ['wx', 'qq', 'tt', 'swan', 'uni', 'my', 'taro'];
const TRIO_KEYS = ['success', 'fail', 'complete'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const noop = () => {};

/** A printable, never-throwing description of any thrown value. */
export function errText(e) {
  try {
    if (e !== null && (typeof e === 'object' || typeof e === 'function')) {
      let name = '';
      let msg = '';
      try { name = String(e.name ?? ''); } catch { /* hostile */ }
      try { msg = String(e.message ?? ''); } catch { /* hostile */ }
      if (name || msg) return `${name}: ${msg}`;
      try { if (typeof e.errMsg === 'string') return `{errMsg: ${e.errMsg}}`; } catch { /* hostile */ }
      try { return JSON.stringify(e).slice(0, 300); } catch { /* hostile */ }
      return '<object>';
    }
    return typeof e === 'symbol' ? e.toString() : String(e);
  } catch {
    return '<unprintable>';
  }
}
function isTrap(e, text) {
  try {
    if (typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError) return true;
  } catch { /* hostile */ }
  return TRAP_RE.test(text);
}
function norm(text) {
  return String(text)
    .replace(/wss?:\/\/[^\s"'`]*/gi, 'ws://…')
    .replace(/x{20,}|y{20,}|a{20,}|q{20,}|r{20,}/g, '…')
    .replace(/connect count \d+/g, 'connect count N')
    .replace(/task \d\/5/g, 'task i/5')
    .replace(/\s+/g, ' ')
    .slice(0, 220);
}
function snapshotPrototypes() {
  const names = (o) => Reflect.ownKeys(o).map(String).sort().join(',');
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype].map(names).join('|');
}
const isTaskLike = (t) => {
  try {
    return t !== null && typeof t === 'object' && typeof t.send === 'function' && typeof t.close === 'function' && typeof t.onOpen === 'function';
  } catch {
    return false;
  }
};

// Mulberry32: a tiny seeded PRNG, the same in every runtime.
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Fuzzer {
  /**
   * env: { mp (the package module), port, deadPort, httpBase, wsBase, WebSocketClass (the real
   * class), passWebSocket (Node: give it as the WebSocket option), foreign(expr) (a value from
   * another realm, optional), log(line), verbose, grep (RegExp on case labels), runtime }
   */
  constructor(env) {
    this.env = env;
    this.mp = env.mp;
    this.n = { calls: 0, traps: 0, uncaught: 0, syncThrows: 0, poisoned: 0, stuck: 0, unsettled: 0, harness: 0 };
    this.failures = new Map();
    this.errMsgs = new Map();
    this.seenErrors = new WeakSet();
    this.freed = new WeakSet();
    this.tracked = new WeakSet();
    this.batchId = 0;
    this.caseIndex = 0;
    this.batch = this.newBatch();
    this.label = '(setup)';
    this.dead = false;
    this.consecutivePoisoned = 0;
    this.extraLimit = 0;
    this.batchTasks = env.batchTasks ?? 16;
    this.probeEvery = env.probeEvery ?? 2;
    this.batchesSinceProbe = 0;
    this.consoleCalls = 0;
    this.lastConsoleErrors = [];
    this.protoSnapshot = snapshotPrototypes();
    this.realConsole = {};
    for (const k of ['error', 'warn', 'debug', 'log', 'info']) this.realConsole[k] = console[k];
    this.realConsoleObject = globalThis.console;
    this.realWebSocketGlobal = globalThis.WebSocket;
    this.groupName = '';
    this.started = Date.now();
    this.waits = { dwell: 0, close: 0, trios: 0, server: 0, probe: 0 };
    this.groupTimes = [];
    this.installConsole();
  }

  // ---------------------------------------------------------------- bookkeeping
  log(line) {
    this.env.log(line);
  }
  record(cat, text, where) {
    const t = norm(text);
    const key = `${cat}: ${t}`;
    let f = this.failures.get(key);
    if (!f) this.failures.set(key, (f = { cat, text: t, count: 0, where: [] }));
    f.count++;
    if (f.where.length < 6 && where && !f.where.includes(where)) f.where.push(String(where).slice(0, 160));
  }
  trap(e, text, where) {
    if (e !== null && typeof e === 'object') {
      if (this.seenErrors.has(e)) return;
      this.seenErrors.add(e);
    }
    this.n.traps++;
    this.record('trap', text, where);
  }
  scanText(text, where) {
    if (typeof text === 'string' && TRAP_RE.test(text)) this.trap(null, text, where);
  }
  /** An error seen somewhere. kind: 'sync-throw' | 'uncaught' | 'allowed' */
  error(kind, e, where) {
    const text = errText(e);
    if (kind === 'sync-throw') {
      this.n.syncThrows++;
      this.record('sync-throw', text, where);
    } else if (kind === 'uncaught') {
      this.n.uncaught++;
      this.record('uncaught', text, where);
    }
    if (isTrap(e, text)) this.trap(e, text, where);
  }
  /** Runtimes call this for uncaught errors and unhandled rejections. */
  uncaught(kind, e) {
    const where = `${kind} during ${this.groupName}: ${this.label}`;
    this.error('uncaught', e, where);
  }
  scanPayload(res, where) {
    let m;
    try { m = res?.errMsg; } catch { return; }
    if (typeof m !== 'string') return;
    this.scanText(m, where);
    const k = norm(m.replace(/"[^"]*"/g, '"…"')).slice(0, 120);
    this.errMsgs.set(k, (this.errMsgs.get(k) ?? 0) + 1);
  }
  installConsole() {
    const F = this;
    const rec = (k) => function (...args) {
      F.consoleCalls++;
      for (const a of args) {
        const text = errText(a);
        if (isTrap(a, text)) F.trap(a, text, `console.${k} during ${F.label}`);
      }
      if (k === 'error') {
        F.lastConsoleErrors.push(args.map(errText).join(' ').slice(0, 200));
        if (F.lastConsoleErrors.length > 5) F.lastConsoleErrors.shift();
      }
      if (F.env.verbose) F.realConsole[k].apply(F.realConsoleObject, args);
    };
    globalThis.console = this.realConsoleObject;
    for (const k of ['error', 'warn', 'debug', 'info']) console[k] = rec(k);
    console.log = this.env.keepConsoleLog ? this.realConsole.log : rec('log');
  }
  restoreConsole() {
    globalThis.console = this.realConsoleObject;
    for (const k of Object.keys(this.realConsole)) console[k] = this.realConsole[k];
  }

  // ---------------------------------------------------------------- calls, trios, tasks
  /** A per-case context: re-entrant callbacks made for this case close over it. */
  ctx(label) {
    const c = { label, ref: { task: undefined }, budget: 12 };
    c.reenter = (kind, args, extra) => this.reenter(c, kind, args, extra);
    return c;
  }
  /** Call the package. A synchronous throw is counted; a returned task or Promise is adopted. */
  call(label, fn, trio, { allowThrow = false } = {}) {
    this.n.calls++;
    let r;
    try {
      r = fn();
    } catch (e) {
      if (trio) trio.skip = true;
      this.error(allowThrow ? 'allowed' : 'sync-throw', e, label);
      return undefined;
    }
    this.adopt(r, label, trio);
    return r;
  }
  adopt(r, label, trio) {
    if (r === null || (typeof r !== 'object' && typeof r !== 'function')) return;
    let then;
    try { then = r.then; } catch { then = undefined; }
    if (typeof then === 'function') {
      const rec = trio && !trio.promise ? trio : this.newTrio(label, { success: false, fail: false, complete: false });
      rec.promise = 'pending';
      try {
        then.call(r, (v) => {
          rec.promise = 'resolved';
          this.scanPayload(v, label);
          if (isTaskLike(v)) this.track(v, label);
        }, (e) => {
          rec.promise = 'rejected';
          this.scanPayload(e, label);
          if (!(e && typeof e === 'object' && 'errMsg' in e)) this.error('allowed', e, label);
        });
      } catch (e) {
        this.error('sync-throw', e, `${label} (then)`);
      }
      return;
    }
    if (isTaskLike(r)) this.track(r, label);
  }
  track(t, label) {
    if (this.tracked.has(t)) return;
    this.tracked.add(t);
    this.batch.tasks.push({ task: t, label });
  }
  newTrio(label, obs = { success: true, fail: true, complete: true }) {
    const rec = { label, s: 0, f: 0, c: 0, obs, promise: null, skip: false };
    this.batch.trios.push(rec);
    return rec;
  }
  /** Spy callbacks for a trio. variant 'throw': each records, then throws. */
  spies(label, variant = 'plain') {
    const rec = this.newTrio(label);
    const mk = (k) => (res) => {
      rec[k[0]]++;
      this.scanPayload(res, label);
      if (variant === 'throw') throw new FuzzError(`${k} callback throws`);
    };
    return { rec, cbs: { success: mk('success'), fail: mk('fail'), complete: mk('complete') } };
  }
  freeTask(t, label) {
    // free() is wasm-bindgen's; a package without it has nothing to test here
    if (typeof t.free !== 'function') return;
    this.call(`${label}: free()`, () => t.free());
    this.freed.add(t);
  }
  readGetters(t, label) {
    for (const g of GETTERS) this.call(`${label}: .${g}`, () => t[g]);
  }
  validConnect(extra = {}) {
    const o = { url: `${this.env.wsBase}/echo?id=fz`, ...extra };
    if (this.env.passWebSocket) o.WebSocket = this.env.WebSocketClass;
    return o;
  }
  reenter(c, kind, args = [], extra = {}) {
    // A bounded number of re-entries per case: a listener that sends on every echo would
    // otherwise ping-pong with the echo server for the whole batch.
    if (c.budget-- <= 0) return undefined;
    const label = `${c.label} → re-entered ${kind}`;
    const t = c.ref.task;
    const live = isTaskLike(t) && !this.freed.has(t);
    const mp = this.mp;
    switch (kind) {
      case 'task.send': if (live) this.call(label, () => t.send({ data: 're-entered' })); break;
      case 'task.send x50': if (live) for (let i = 0; i < 50; i++) this.call(label, () => t.send({ data: `re ${i}` })); break;
      case 'task.close': if (live) this.call(label, () => t.close({})); break;
      case 'task.close(4000)': if (live) this.call(label, () => t.close({ code: 4000, reason: 're-entered' })); break;
      case 'connectSocket': this.call(label, () => mp.connectSocket(this.validConnect(extra))); break;
      case 'createSocketTask': this.call(label, () => mp.createSocketTask(this.validConnect({ reconnect: false, ...extra }))); break;
      case 'closeSocket': this.call(label, () => mp.closeSocket({})); break;
      case 'sendSocketMessage': this.call(label, () => mp.sendSocketMessage({ data: 're-entered' })); break;
      case 'task.onMessage+onClose': if (live) { this.call(label, () => t.onMessage(noop)); this.call(label, () => t.onClose(noop)); } break;
      case 'task.offAll': if (live) for (const m of ['offOpen', 'offMessage', 'offError', 'offClose', 'offReconnecting']) this.call(label, () => t[m]()); break;
      case 'task.free': if (live) this.freeTask(t, label); break;
      case 'read every getter': if (live) this.readGetters(t, label); break;
      default: throw new Error(`unknown re-entry ${kind}`);
    }
    return undefined;
  }

  // ---------------------------------------------------------------- batches
  newBatch() {
    return { id: ++this.batchId, labels: [], tasks: [], trios: [], dwell: 0, slots: 0, shared: {} };
  }
  /** Run one case; batches are closed, checked and probed between cases. */
  async run(label, slots, fn) {
    if (this.dead) return;
    if (this.env.grep && !this.env.grep.test(label)) return;
    // Cases are numbered in run order; a runner that lost its page (a renderer crash) resumes
    // after the crashing case with env.skip.
    const index = ++this.caseIndex;
    if (index <= (this.env.skip ?? 0)) return;
    this.env.onCase?.(index, label);
    if (this.batch.labels.length && (this.batch.slots + slots > this.batchTasks || this.batch.labels.length >= 120)) await this.flush();
    if (this.dead) return;
    if (slots && this.env.maxPending) {
      // Chromium delays a new WebSocket exponentially in the number of connections still
      // CONNECTING in the page (up to seconds): keep that number small.
      const pending = () => this.batch.tasks.filter((e) => !this.freed.has(e.task) && this.readyState(e.task) === 0).length;
      await this.waitFor(() => pending() < this.env.maxPending, 100);
    }
    if (this.env.trace) this.log(`    ${((Date.now() - this.started) / 1000).toFixed(3)} ${label}`);
    this.batch.labels.push(label);
    this.batch.slots += slots;
    this.label = label;
    const c = this.ctx(label);
    try {
      await fn(c);
    } catch (e) {
      this.n.harness++;
      this.record('harness', `${errText(e)} ${String(e?.stack ?? '').split('\n').slice(1, 3).join(' ')}`, label);
    }
    // a case may have replaced console methods (on purpose, or through a hostile callback)
    this.restoreConsole();
    this.installConsole();
  }
  dwell(ms) {
    this.batch.dwell = Math.max(this.batch.dwell, ms);
  }
  async group(name) {
    if (this.batch.labels.length) await this.flush();
    const now = Date.now();
    const waited = Object.entries(this.waits).map(([k, ms]) => [k, ms - (this.groupWaits?.[k] ?? 0)]).filter(([, ms]) => ms >= 500)
      .map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)}`).join(', ');
    if (this.groupName) this.groupTimes.push([this.groupName, (now - this.groupStart) / 1000, this.n.calls - this.groupCalls, waited]);
    this.groupWaits = { ...this.waits };
    this.groupStart = now;
    this.groupCalls = this.n.calls;
    this.groupName = name;
    const w = Object.entries(this.waits).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)}`).join(', ');
    if (!this.dead && name !== '(end)') this.log(`  ${name} … (${this.n.calls} calls so far, ${((now - this.started) / 1000).toFixed(1)} s${this.env.trace ? `; waits so far: ${w} s` : ''})`);
  }
  /** Internal (setup/cleanup) call: a throw counts as a sync-throw, but not as a call. */
  internal(label, fn) {
    try {
      const r = fn();
      if (r && typeof r.then === 'function') r.then(noop, noop);
      return r;
    } catch (e) {
      this.error('sync-throw', e, `(cleanup) ${label}`);
      return undefined;
    }
  }
  readyState(t) {
    try {
      return t.readyState;
    } catch {
      return 'throws';
    }
  }
  async waitFor(cond, ms) {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) return false;
      await sleep(5);
    }
    return true;
  }
  async control(path) {
    try {
      const r = await fetch(`${this.env.httpBase}${path}`);
      return await r.json();
    } catch (e) {
      this.n.harness++;
      this.record('harness', `control ${path}: ${errText(e)}`, this.label);
      return null;
    }
  }
  resetGlobals() {
    this.restoreConsole();
    this.installConsole();
    if (globalThis.WebSocket !== this.realWebSocketGlobal) globalThis.WebSocket = this.realWebSocketGlobal;
    const mp = this.mp;
    for (const f of LEGACY_ON) this.internal(`${f}(noop)`, () => mp[f](noop));
    this.internal('offNetworkStatusChange()', () => mp.offNetworkStatusChange());
    this.internal('offNetworkWeakChange()', () => mp.offNetworkWeakChange());
  }
  async flush() {
    const b = this.batch;
    if (this.dead || (!b.labels.length && !b.tasks.length)) return;
    const where = `batch ${b.id} (${b.labels[0]}${b.labels.length > 1 ? ` … ${b.labels[b.labels.length - 1]}` : ''})`;
    this.label = `${where}: cleanup`;
    let t0 = Date.now();
    const lap = (k) => {
      const now = Date.now();
      this.waits[k] += now - t0;
      t0 = now;
    };
    await sleep(Math.max(b.dwell, 10));
    lap('dwell');
    this.resetGlobals();
    // Close every task, then closeSocket(); callbacks may open new tasks while they close.
    const closed = new Set();
    const closeLate = () => {
      for (const e of b.tasks) {
        if (closed.has(e) || this.freed.has(e.task)) continue;
        closed.add(e);
        this.internal(`close() of ${e.label}`, () => e.task.close());
      }
    };
    for (let round = 0; round < 5; round++) {
      const fresh = b.tasks.filter((e) => !closed.has(e) && !this.freed.has(e.task));
      if (!fresh.length) break;
      for (const e of fresh) {
        closed.add(e);
        this.internal(`close() of ${e.label}`, () => e.task.close());
      }
      this.internal('closeSocket()', () => this.mp.closeSocket({ success: noop, fail: noop }));
      const live = () => b.tasks.filter((e) => !this.freed.has(e.task) && this.readyState(e.task) !== 3 && this.readyState(e.task) !== 'throws');
      await this.waitFor(() => live().length === 0, round === 0 ? STUCK_MS : 1000);
      if (b.tasks.some((e) => !closed.has(e) && !this.freed.has(e.task))) continue;
      for (const e of live()) {
        this.n.stuck++;
        this.extraLimit++;
        this.record('stuck', `readyState ${this.readyState(e.task)} ${STUCK_MS / 1000} s after close()/closeSocket()`, e.label);
        this.freed.add(e.task); // don't wait on it again
      }
      break;
    }
    lap('close');
    // Every trio settles once.
    const unsettled = (r) => !r.skip && ((r.promise === 'pending') || (r.obs.success && r.obs.fail && r.s + r.f === 0) || (r.obs.complete && r.c === 0));
    await this.waitFor(() => !b.trios.some(unsettled), TRIO_MS);
    for (const r of b.trios) {
      if (r.skip) continue;
      let why = null;
      if (r.promise === 'pending') why = 'returned Promise never settled';
      else if (r.s > 1 || r.f > 1 || r.c > 1) why = `a callback ran twice (success ${r.s}, fail ${r.f}, complete ${r.c})`;
      else if (r.s && r.f) why = 'both success and fail ran';
      else if (r.obs.success && r.obs.fail && r.s + r.f === 0) why = `neither success nor fail ran (complete ${r.c})`;
      else if (r.obs.complete && r.c === 0) why = `complete never ran (success ${r.s}, fail ${r.f})`;
      if (why) {
        this.n.unsettled++;
        this.record('unsettled', why, r.label);
      }
    }
    lap('trios');
    // The server must have seen every fuzz connection close.
    const st = await this.control('/control/stats');
    let open = st?.byId?.fz?.open ?? 0;
    if (open > 0) {
      const end = Date.now() + 2000;
      while (open > 0 && Date.now() < end) {
        closeLate(); // a callback may have opened a task after the close rounds above
        await sleep(100);
        open = (await this.control('/control/stats'))?.byId?.fz?.open ?? 0;
      }
      if (open > 0) {
        this.n.stuck += open;
        this.extraLimit += open;
        this.record('stuck', `${open} connection(s) still open on the server after every task of the batch was closed`, where);
      }
    }
    if (b.id % 10 === 0) await this.control('/control/reset');
    lap('server');
    this.resetGlobals();
    if (++this.batchesSinceProbe >= this.probeEvery) {
      this.batchesSinceProbe = 0;
      await this.probe(where);
    }
    lap('probe');
    this.internal('configure', () => this.mp.configure({ maxConnections: FUZZ_LIMIT + this.extraLimit }));
    this.batch = this.newBatch();
    // tasks that late callbacks opened after the checks: the next batch closes them
    this.batch.tasks.push(...b.tasks.filter((e) => !closed.has(e) && !this.freed.has(e.task)));
  }
  /** Is the package still alive? A fresh task opens and echoes; 5 open at once; prototypes clean. */
  async probe(where) {
    let r = await this.probeOnce(where);
    if (r.problems.length && !r.leaked) {
      // One retry before calling the package poisoned: a loaded machine (or Chromium's
      // throttling of new WebSockets after many failed ones) can delay a handshake; a broken
      // package fails the retry too.
      if (this.env.trace) this.log(`    probe failed (${r.problems[0]}); retrying`);
      await sleep(500);
      r = await this.probeOnce(where);
    }
    const { problems, leaked } = r;
    for (const e of problems.filter((p) => /threw|RuntimeError/.test(p))) this.scanText(e, where);
    if (problems.length) {
      this.n.poisoned++;
      this.record('poisoned', leaked ? `${leaked} live-task slot(s) leaked: ${problems[0]}` : problems[0], where);
      if (leaked === problems.length) this.consecutivePoisoned = 0;
      else if (++this.consecutivePoisoned >= 3) {
        this.dead = true;
        this.record('poisoned', 'three probes in a row failed: the package is unusable; later cases were skipped', where);
        this.log(`  !! the package is unusable after ${where}; stopping`);
      }
    } else {
      this.consecutivePoisoned = 0;
    }
  }
  async probeOnce(where) {
    const mp = this.mp;
    const problems = [];
    const snap = snapshotPrototypes();
    if (snap !== this.protoSnapshot) {
      problems.push('a built-in prototype gained or lost properties');
      this.protoSnapshot = snap;
    }
    this.label = `${where}: probe`;
    try {
      mp.configure({ maxConnections: 5 + this.extraLimit });
    } catch (e) {
      problems.push(`configure({maxConnections}) threw ${errText(e)}`);
    }
    const tasks = [];
    const one = (i) => new Promise((resolve) => {
      let t;
      const timer = setTimeout(() => resolve(`task ${i + 1}/5 did not echo within ${PROBE_MS / 1000} s (readyState ${this.readyState(t)})`), PROBE_MS);
      const done = (v) => {
        clearTimeout(timer);
        resolve(v);
      };
      try {
        const o = { url: `${this.env.wsBase}/echo?id=probe`, fail: (r) => done(`task ${i + 1}/5: connectSocket fail: ${errText(r)}`) };
        if (this.env.passWebSocket) o.WebSocket = this.env.WebSocketClass;
        t = mp.connectSocket(o);
        if (!isTaskLike(t)) return done(`task ${i + 1}/5: connectSocket returned ${typeof t}`);
        tasks.push(t);
        t.onOpen(() => t.send({ data: `probe ${i}`, fail: (r) => done(`task ${i + 1}/5: send fail: ${errText(r)}`) }));
        t.onMessage((m) => (m?.data === `probe ${i}` ? done(null) : undefined));
        t.onError((r) => done(`task ${i + 1}/5: onError ${errText(r)}`));
      } catch (e) {
        done(`task ${i + 1}/5: threw ${errText(e)}`);
      }
      return undefined;
    });
    const res = (await Promise.all([0, 1, 2, 3, 4].map(one))).filter(Boolean);
    // A leaked live-task slot: counted, then allowed for, so that later batches still run.
    const leaked = res.filter((p) => /max websocket connect count/.test(p)).length;
    this.extraLimit += leaked;
    problems.push(...res);
    for (const t of tasks) {
      try {
        t.close();
      } catch (e) {
        problems.push(`close() threw ${errText(e)}`);
      }
    }
    const ok = await this.waitFor(() => tasks.every((t) => this.readyState(t) === 3), STUCK_MS);
    if (!ok) problems.push(`probe tasks not CLOSED ${STUCK_MS / 1000} s after close() (readyStates ${tasks.map((t) => this.readyState(t))})`);
    return { problems, leaked };
  }

  // ---------------------------------------------------------------- shared task states
  /** A task that is OPEN (created by an internal, uncounted call). */
  async openTask(label, extra = {}, fn = 'connectSocket') {
    if (fn === 'connectSocket' && Object.keys(extra).length === 0) {
      // Plain open tasks come from a per-batch pool opened in parallel (much faster than one
      // by one); the pool holds as many as the batch has task slots left.
      const pool = (this.batch.pool ??= []);
      while (pool.length) {
        const t = pool.shift();
        if (this.readyState(t) === 1) return t;
      }
      // (Chromium delays new WebSocket connections exponentially in the number pending, so
      // the page opens a few at a time.)
      const n = Math.max(1, Math.min(this.env.openParallel ?? 16, this.batchTasks - this.batch.slots + 1));
      const made = [];
      for (let i = 0; i < n; i++) {
        let t;
        try {
          t = this.mp.connectSocket(this.validConnect());
        } catch (e) {
          this.error('sync-throw', e, `(setup for ${label}) connectSocket`);
        }
        if (isTaskLike(t)) {
          this.track(t, `(setup) ${label}`);
          made.push(t);
        }
      }
      await this.waitFor(() => made.every((t) => this.readyState(t) !== 0), 3000);
      const open = made.filter((t) => this.readyState(t) === 1);
      if (!open.length) {
        this.record('setup', `valid connectSocket calls did not open (readyStates ${made.map((t) => this.readyState(t))})`, label);
        return undefined;
      }
      pool.push(...open.slice(1));
      return open[0];
    }
    let t;
    try {
      t = this.mp[fn](this.validConnect(extra));
    } catch (e) {
      this.error('sync-throw', e, `(setup for ${label}) ${fn}`);
      return undefined;
    }
    if (!isTaskLike(t)) return undefined;
    this.track(t, `(setup) ${label}`);
    const opened = await this.waitFor(() => this.readyState(t) !== 0, 3000);
    if (!opened || this.readyState(t) !== 1) {
      this.record('setup', `a valid ${fn} did not open (readyState ${this.readyState(t)})`, label);
      return undefined;
    }
    return t;
  }
  async shared(kind, label) {
    const s = this.batch.shared;
    const ok = (t) => isTaskLike(t) && !this.freed.has(t) && this.readyState(t) === (kind === 'queued' ? 0 : 1);
    if (ok(s[kind])) return s[kind];
    if (kind === 'queued') {
      try {
        s.queued = this.mp.createSocketTask(this.validConnect({ reconnect: false }));
        this.track(s.queued, `(setup) ${label}`);
      } catch (e) {
        this.error('sync-throw', e, `(setup for ${label}) createSocketTask`);
      }
      return s.queued;
    }
    s[kind] = await this.openTask(label);
    return s[kind];
  }

  // ---------------------------------------------------------------- result
  summary() {
    const n = this.n;
    return {
      ...n,
      line: `${n.calls} calls, ${n.traps} traps, ${n.uncaught} uncaught, ${n.syncThrows} sync-throws, ${n.poisoned} poisoned, ${n.stuck} stuck, ${n.unsettled} unsettled`,
      failures: [...this.failures.values()].sort((a, b) => b.count - a.count),
      errMsgs: [...this.errMsgs.entries()].sort((a, b) => b[1] - a[1]),
      dead: this.dead,
      seconds: (Date.now() - this.started) / 1000,
      groupTimes: this.groupTimes,
      batches: this.batchId,
      waits: this.waits,
      ok: !(n.traps || n.uncaught || n.syncThrows || n.poisoned || n.stuck || n.unsettled || n.harness || this.dead),
    };
  }
}

// ==================================================================== deterministic mode

/** Valid-content option objects in hostile shapes. */
function shapes(makeValid) {
  const v = [];
  const add = (name, make) => v.push({ name: `valid options, ${name}`, make });
  add('frozen', () => Object.freeze(makeValid()));
  add('null prototype', () => Object.assign(Object.create(null), makeValid()));
  add('frozen, null prototype', () => Object.freeze(Object.assign(Object.create(null), makeValid())));
  add('inherited through the prototype', () => Object.create(makeValid()));
  for (const trap of ['get', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'set', 'defineProperty']) {
    add(`behind a Proxy throwing on ${trap}`, () => oneTrapProxy(makeValid(), trap));
  }
  add('plus an unknown key with a throwing getter', () => Object.defineProperty(makeValid(), 'zzz', { get: () => { throw new FuzzError('unknown key getter throws'); }, enumerable: true }));
  add('plus an own __proto__ key holding a throwing Proxy', () => Object.assign(JSON.parse('{"__proto__": 1}'), makeValid(), { ['__proto__']: throwingProxy() }));
  add('plus Symbol keys', () => Object.assign(makeValid(), { [Symbol('k')]: throwingProxy() }));
  add("plus then: a throwing function", () => Object.assign(makeValid(), { then: () => { throw new FuzzError('then throws'); } }));
  return v;
}
/** Ways to set a key besides plain assignment. */
const KEY_SPECIALS = [
  { name: 'a throwing getter', apply: (o, k) => Object.defineProperty(o, k, { get: () => { throw new FuzzError(`getter ${k} throws`); }, enumerable: true, configurable: true }) },
  { name: 'a getter: valid once, then a Symbol', apply: (o, k, valid) => { let n = 0; Object.defineProperty(o, k, { get: () => (n++ ? Symbol('flip') : valid), enumerable: true, configurable: true }); } },
  { name: 'a getter that re-enters closeSocket() and connectSocket()', apply: (o, k, valid, c) => Object.defineProperty(o, k, { get: () => { c.reenter('closeSocket'); c.reenter('connectSocket'); return valid; }, enumerable: true, configurable: true }) },
];
function setKey(o, k, v, c, valid) {
  if (v.apply) v.apply(o, k, valid, c);
  else o[k] = v.make(c);
  return o;
}
const isBufferish = (x) => {
  try { return x instanceof ArrayBuffer || ArrayBuffer.isView(x); } catch { return false; }
};
function detach(x) {
  try {
    const buf = x instanceof ArrayBuffer ? x : x.buffer;
    if (buf instanceof ArrayBuffer && !buf.detached) structuredClone(buf, { transfer: [buf] });
  } catch { /* unstructured, shared, already detached */ }
}

export async function deterministic(F) {
  const E = F.env;
  const mp = F.mp;
  const G = generalValues(E);
  const GC = G.filter((v) => v.c);
  const D = dataValues(E);
  const CB = callbackValues(E);
  const CBF = CB.filter((v) => !GC.some((g) => g.name === v.name)); // the function-typed ones
  const CBS = CB.filter((v) => /^(undefined|null|Symbol\(\)|\{\}|revoked Proxy|throwing function|revoked function Proxy|re-enters: everything, then throws|re-enters: task.close|re-enters: connectSocket)$/.test(v.name));
  const trioVals = (path) => (path === 'ok' ? CB : CBS);
  const U = urlValues(E);
  const DB = socketDoubles(E);
  const NUM = numberValues();
  const vname = (v) => v.name;
  const WS = E.wsBase;

  // The legacy globals act on the bound task, which a task stuck in CLOSING (found later,
  // by hostile WebSocket doubles) keeps bound for good: run them first, on a clean slate.
  // ---- legacy globals
  await F.group('legacy onSocket*(<hostile>) with a bound task');
  for (const m of LEGACY_ON) {
    for (const v of CB) {
      const label = `${m}(${vname(v)})`;
      await F.run(label, 1, async (c) => {
        F.call(label, () => mp[m](v.make(c)));
        const url = m === 'onSocketError' ? `ws://127.0.0.1:${E.deadPort}/echo`
          : m === 'onSocketMessage' ? `${WS}/close?code=4001&after=20&id=fz` : `${WS}/close?code=4001&id=fz`;
        let t;
        try { t = mp.connectSocket(F.validConnect({ url })); } catch (e) { F.error('sync-throw', e, `(setup) ${label}`); return; }
        F.track(t, label);
        c.ref.task = t;
        if (m === 'onSocketMessage') F.call(label, () => t.onOpen(() => F.call(`${label}: send`, () => t.send({ data: 'x' }))));
        await F.waitFor(() => F.freed.has(t) || F.readyState(t) === 3, 1500);
      });
    }
  }
  await F.group('sendSocketMessage(<hostile>)');
  const ssmVals = [
    ...[...D, ...GC].map((v) => ({ name: `{data: ${v.name}}`, make: (c) => ({ data: v.make(c) }), trio: true })),
    ...G, ...shapes(() => ({ data: 'shaped' })),
    ...['!!!', '', 'aGk=', 42].map((d) => ({ name: `{data: ${JSON.stringify(d)}, isBuffer: true}`, make: () => ({ data: d, isBuffer: true }), trio: true })),
  ];
  for (const v of ssmVals) {
    const label = `sendSocketMessage(${vname(v)})`;
    await F.run(label, 0, async (c) => {
      await F.shared('open', label); // the batch's first task is the bound one
      const arg = v.make(c);
      let rec;
      if (v.trio) {
        const s = F.spies(label);
        Object.assign(arg, s.cbs);
        rec = s.rec;
      }
      F.call(label, () => mp.sendSocketMessage(arg), rec);
    });
  }
  for (const path of ['ok', 'fail']) {
    for (const key of TRIO_KEYS) {
      for (const v of trioVals(path)) {
        const label = `sendSocketMessage({${key}: ${vname(v)}}) [${path} path]`;
        await F.run(label, 0, async (c) => {
          c.ref.task = await F.shared('open', label);
          const { rec, cbs } = F.spies(label);
          rec.obs[key] = false;
          F.call(label, () => mp.sendSocketMessage({ data: path === 'ok' ? 'x' : Symbol('bad'), ...cbs, [key]: v.make(c) }), rec);
        });
      }
    }
  }
  await F.group('closeSocket(<hostile>)');
  const csVals = [
    ...GC, ...shapes(() => ({ code: 1000 })),
    ...codeValues().map((v) => ({ name: `{${v.name}}`, make: (c) => ({ code: v.make(c) }), trio: true })),
    ...reasonValues().map((v) => ({ name: `{code: 4000, ${v.name}}`, make: (c) => ({ code: 4000, reason: v.make(c) }), trio: true })),
    ...TRIO_KEYS.flatMap((key) => CBF.map((v) => ({ name: `{${key}: ${v.name}}`, key, make: (c) => ({ [key]: v.make(c) }), trio: true }))),
  ];
  for (const v of csVals) {
    const label = `closeSocket(${vname(v)})`;
    await F.run(label, 1, async (c) => {
      c.ref.task = await F.openTask(label);
      const arg = v.make(c);
      let rec;
      if (v.trio) {
        const s = F.spies(label);
        for (const k of TRIO_KEYS) if (k !== v.key) arg[k] = s.cbs[k];
        if (v.key) s.rec.obs[v.key] = false;
        rec = s.rec;
      }
      F.call(label, () => mp.closeSocket(arg), rec);
    });
  }
  await F.run('closeSocket / sendSocketMessage with no bound task', 0, async () => {
    const a = F.spies('closeSocket({}) with no task');
    F.call(a.rec.label, () => mp.closeSocket({ ...a.cbs }), a.rec);
    F.call('closeSocket() with no task', () => mp.closeSocket());
    F.call('sendSocketMessage() with no task', () => mp.sendSocketMessage());
    const b = F.spies('sendSocketMessage({data}) with no task');
    F.call(b.rec.label, () => mp.sendSocketMessage({ data: 'x', ...b.cbs }), b.rec);
  });

  // ---- connectSocket / createSocketTask: the whole options argument
  for (const fn of ['connectSocket', 'createSocketTask']) {
    await F.group(`${fn}(<hostile options>)`);
    const vals = [...(fn === 'connectSocket' ? G : GC), ...shapes(() => F.validConnect())];
    for (const v of vals) {
      const label = `${fn}(${vname(v)})`;
      await F.run(label, 1, async (c) => {
        const t = F.call(label, () => mp[fn](v.make(c)));
        c.ref.task = t;
      });
    }
    await F.run(`${fn}()`, 0, async () => { F.call(`${fn}()`, () => mp[fn]()); });
    await F.run(`${fn}(valid, extra args)`, 1, async () => { F.call(`${fn}(valid, extra args)`, () => mp[fn](F.validConnect(), throwingProxy(), revokedProxy())); });
  }

  // ---- every option key
  const keyPlan = [
    ['connectSocket', 'url', [...U, ...G], {}],
    ['createSocketTask', 'url', [...U.filter((u) => /fn|drop|close|hang|2 MiB/.test(u.name)), ...GC], {}],
    ['connectSocket', 'header', [...headerValues(), ...GC], {}],
    ['connectSocket', 'protocols', [...protocolValues(), ...GC], {}],
    ['connectSocket', 'timeout', [...NUM, ...GC], {}],
    ['connectSocket', 'timeout (against /hang)', [...NUM, ...GC], { url: `${WS}/hang` }, 'timeout'],
    ...['tcpNoDelay', 'perMessageDeflate', 'forceCellularNetwork', 'sslVerify', 'debug', 'multiple'].map((k) => ['connectSocket', k, GC, {}]),
    ['connectSocket', 'queue', [...GC, { name: 'true', make: () => true }, { name: '{}', make: () => ({}) }], {}],
    ['connectSocket', 'heartbeat', [...GC, { name: 'true', make: () => true }], {}],
    ['connectSocket', 'reconnect', [...GC, { name: 'true', make: () => true }], { url: `${WS}/drop?after=10&id=fz` }],
    ['createSocketTask', 'queue', GC, {}],
    ['createSocketTask', 'reconnect', GC, {}],
  ];
  // hostile WebSocket classes leave tasks stuck (and bound) on a buggy package: run them late
  const keyPlanLate = [
    ['connectSocket', 'WebSocket', [...DB, ...GC], {}],
    ['createSocketTask', 'WebSocket', DB, { url: `${WS}/drop?after=20&id=fz`, reconnect: { minDelay: 5, maxDelay: 10, maxRetries: 2 } }],
  ];
  const runKeyPlan = async (plan) => {
    for (const [fn, keyLabel, values, base, key = keyLabel] of plan) {
      await F.group(`${fn}({${keyLabel}: <hostile>})`);
      const validOf = { url: `${WS}/echo?id=fz`, timeout: 1000, header: {}, protocols: [], WebSocket: E.WebSocketClass }[key] ?? false;
      for (const v of [...values, ...KEY_SPECIALS]) {
        const label = `${fn}({${keyLabel}: ${vname(v)}})`;
        await F.run(label, 1, async (c) => {
          const { rec, cbs } = F.spies(label);
          const o = setKey(F.validConnect({ timeout: 1000, ...base, ...cbs }), key, v, c, validOf);
          const t = F.call(label, () => mp[fn](o), rec);
          c.ref.task = t;
          F.dwell(key === 'WebSocket' || /hang|drop/.test(String(base.url)) ? 120 : 20);
        });
      }
    }
  };
  await runKeyPlan(keyPlan);

  // ---- nested resilience options, with their feature live during the batch
  const nested = [
    ['connectSocket', 'heartbeat', { interval: 20, timeout: 60 }, {
      interval: [...NUM, ...GC], timeout: [...NUM, ...GC], deliverPongs: GC,
      message: [...D.filter((d) => !/10 MiB/.test(d.name)), ...GC, ...CBF,
        { name: 'fn -> detached buffer', make: () => () => { const b = new ArrayBuffer(4); structuredClone(b, { transfer: [b] }); return b; } },
        { name: 'fn -> Symbol', make: () => () => Symbol('m') }, { name: 'fn -> throwing Proxy', make: () => () => throwingProxy() }],
      pong: [{ name: "'pong'", make: () => 'pong' }, { name: "''", make: () => '' }, ...GC, ...CBF],
    }, {}],
    ['createSocketTask', 'queue', { maxMessages: 2, maxBytes: 64 }, {
      maxMessages: [...NUM, ...GC], maxBytes: [...NUM, ...GC],
      policy: [...['reject', 'drop-oldest', 'DROP-OLDEST', 'drop', '__proto__'].map((p) => ({ name: JSON.stringify(p), make: () => p })), ...GC],
    }, { reconnect: false }],
    ['createSocketTask', 'reconnect', { minDelay: 5, maxDelay: 20, maxRetries: 2, minUptime: 0 }, {
      minDelay: [...NUM, ...GC], maxDelay: [...NUM, ...GC], factor: [...NUM, ...GC], jitter: [...NUM, ...GC],
      maxRetries: [...NUM, ...GC], minUptime: [...NUM, ...GC],
      shouldReconnect: [...GC, ...CBF, { name: 'fn -> Symbol', make: () => () => Symbol('s') }, { name: 'fn -> throwing Proxy', make: () => () => throwingProxy() }],
    }, { url: `${WS}/drop?after=10&id=fz` }],
  ];
  for (const [fn, outer, baseInner, keys, base] of nested) {
    for (const [key, values] of Object.entries(keys)) {
      await F.group(`${fn}({${outer}: {${key}: <hostile>}})`);
      for (const v of [...values, ...KEY_SPECIALS]) {
        const label = `${fn}({${outer}: {${key}: ${vname(v)}}})`;
        await F.run(label, 1, async (c) => {
          const { rec, cbs } = F.spies(label);
          const inner = setKey({ ...baseInner }, key, v, c, baseInner[key] ?? 'pong');
          const t = F.call(label, () => mp[fn](F.validConnect({ ...base, [outer]: inner, ...cbs })), rec);
          c.ref.task = t;
          if (outer === 'queue' && isTaskLike(t)) {
            for (let i = 0; i < 4; i++) {
              const s = F.spies(`${label}: send #${i + 1} while CONNECTING`);
              F.call(s.rec.label, () => t.send({ data: `queued ${i}`, ...s.cbs }), s.rec);
            }
          }
          F.dwell(outer === 'queue' ? 20 : 100);
        });
      }
    }
  }

  // ---- the trio callbacks of connectSocket / createSocketTask
  for (const fn of ['connectSocket', 'createSocketTask']) {
    await F.group(`${fn}({success|fail|complete: <hostile>})`);
    for (const path of ['ok', 'fail']) {
      for (const key of TRIO_KEYS) {
        for (const v of fn === 'connectSocket' ? trioVals(path) : path === 'ok' ? CBF : []) {
          const label = `${fn}({${key}: ${vname(v)}}) [${path} path]`;
          await F.run(label, 1, async (c) => {
            const { rec, cbs } = F.spies(label);
            rec.obs[key] = false;
            const o = F.validConnect({ ...cbs, [key]: v.make(c) });
            if (path === 'fail') o.url = 42;
            c.ref.task = F.call(label, () => mp[fn](o), rec);
            F.dwell(30);
          });
        }
      }
    }
  }

  // ---- SocketTask.send: data, options, callbacks; on an OPEN task and on a queued CONNECTING one
  for (const state of ['open', 'queued']) {
    await F.group(`task.send(<hostile>) on a ${state === 'open' ? 'OPEN task' : 'CONNECTING task with a queue'}`);
    const sendVals = [
      ...[...D, ...G].map((v) => ({ name: `{data: ${v.name}}`, make: (c) => ({ data: v.make(c) }), trio: true })),
      ...GC.map((v) => ({ name: v.name, make: (c) => v.make(c) })),
      ...shapes(() => ({ data: 'shaped' })).map((v) => ({ ...v, trio: false })),
    ];
    for (const v of sendVals) {
      const label = `task.send(${vname(v)}) [${state}]`;
      await F.run(label, state === 'open' ? 0 : 0, async (c) => {
        const t = await F.shared(state, label);
        if (!t) return;
        c.ref.task = t;
        const arg = v.make(c);
        let rec;
        if (v.trio && arg && typeof arg === 'object') {
          const s = F.spies(label);
          Object.assign(arg, s.cbs);
          rec = s.rec;
        }
        F.call(label, () => t.send(arg), rec);
        if (state === 'queued' && arg && typeof arg === 'object') {
          let d;
          try { d = arg.data; } catch { d = undefined; }
          if (isBufferish(d)) detach(d); // the queue must have copied the bytes
          F.dwell(80); // let the task open during the batch, so the queue is flushed
        }
      });
    }
    for (const path of ['ok', 'fail']) {
      for (const key of TRIO_KEYS) {
        for (const v of trioVals(path)) {
          const label = `task.send({${key}: ${vname(v)}}) [${state}, ${path} path]`;
          await F.run(label, 0, async (c) => {
            const t = await F.shared(state, label);
            if (!t) return;
            c.ref.task = t;
            const { rec, cbs } = F.spies(label);
            rec.obs[key] = false;
            F.call(label, () => t.send({ data: path === 'ok' ? 'x' : Symbol('bad'), ...cbs, [key]: v.make(c) }), rec);
          });
        }
      }
    }
  }

  // ---- SocketTask.close: each on its own OPEN task (and some on CONNECTING ones)
  await F.group('task.close(<hostile>)');
  const closeVals = [
    ...GC.map((v) => ({ name: v.name, make: v.make })),
    ...shapes(() => ({ code: 1000 })),
    ...codeValues().map((v) => ({ name: `{${v.name}}`, make: (c) => ({ code: v.make(c) }), trio: true })),
    ...[...reasonValues(), ...GC.filter((g) => !/number|^-?\d|^NaN|Infinity|^-0$/.test(g.name)).map((g) => ({ name: `reason ${g.name}`, make: g.make }))].map((v) => ({ name: `{code: 4000, ${v.name}}`, make: (c) => ({ code: 4000, reason: v.make(c) }), trio: true })),
    ...KEY_SPECIALS.map((s) => ({ name: `{code: ${s.name}}`, make: (c) => setKey({}, 'code', s, c, 1000), trio: true })),
  ];
  for (const v of closeVals) {
    const label = `task.close(${vname(v)})`;
    await F.run(label, 1, async (c) => {
      const t = await F.openTask(label);
      if (!t) return;
      c.ref.task = t;
      const arg = v.make(c);
      let rec;
      if (v.trio) {
        const s = F.spies(label);
        Object.assign(arg, s.cbs);
        rec = s.rec;
      }
      F.call(label, () => t.close(arg), rec);
    });
  }
  for (const v of codeValues()) {
    const label = `task.close({${v.name}}) while CONNECTING`;
    await F.run(label, 1, async (c) => {
      let t;
      try { t = mp.connectSocket(F.validConnect()); } catch (e) { F.error('sync-throw', e, `(setup) ${label}`); return; }
      F.track(t, label);
      c.ref.task = t;
      const s = F.spies(label);
      F.call(label, () => t.close({ code: v.make(c), reason: 'connecting', ...s.cbs }), s.rec);
    });
  }
  for (const path of ['ok', 'fail']) {
    for (const key of TRIO_KEYS) {
      for (const v of path === 'ok' ? CBF : CBS) {
        const label = `task.close({${key}: ${vname(v)}}) [${path} path]`;
        await F.run(label, 1, async (c) => {
          const t = await F.openTask(label);
          if (!t) return;
          c.ref.task = t;
          const { rec, cbs } = F.spies(label);
          rec.obs[key] = false;
          F.call(label, () => t.close({ code: path === 'ok' ? 1000 : 999, ...cbs, [key]: v.make(c) }), rec);
        });
      }
    }
  }
  for (const seq of ['close twice', 'close after CLOSED', 'close then send', 'close(999) then close()']) {
    const label = `task: ${seq}`;
    await F.run(label, 1, async (c) => {
      const t = await F.openTask(label);
      if (!t) return;
      c.ref.task = t;
      const s1 = F.spies(`${label} #1`);
      const s2 = F.spies(`${label} #2`);
      if (seq === 'close(999) then close()') F.call(label, () => t.close({ code: 999, ...s1.cbs }), s1.rec);
      else F.call(label, () => t.close({ ...s1.cbs }), s1.rec);
      if (seq === 'close after CLOSED') await F.waitFor(() => F.readyState(t) === 3, 2000);
      if (seq === 'close then send') F.call(label, () => t.send({ data: 'after close', ...s2.cbs }), s2.rec);
      else F.call(label, () => t.close({ ...s2.cbs }), s2.rec);
    });
  }

  // ---- listeners: on* with hostile values on tasks that open, receive, error and close
  const listenerVals = [...CB, ...G.filter((g) => !g.c && typeof g.make() !== 'function').slice(0, 12)];
  for (const m of ['onOpen', 'onMessage', 'onError', 'onClose', 'onReconnecting']) {
    await F.group(`task.${m}(<hostile>)`);
    for (const v of listenerVals) {
      const label = `task.${m}(${vname(v)})`;
      await F.run(label, 1, async (c) => {
        let t;
        const url = m === 'onError' ? `ws://127.0.0.1:${E.deadPort}/echo`
          : m === 'onReconnecting' ? `${WS}/drop?after=5&id=fz`
            : `${WS}/close?code=4001&reason=bye&after=30&id=fz`;
        const fn = m === 'onReconnecting' ? 'createSocketTask' : 'connectSocket';
        try {
          t = mp[fn](F.validConnect({ url, reconnect: m === 'onReconnecting' ? { minDelay: 5, maxDelay: 10, maxRetries: 1 } : false }));
        } catch (e) {
          F.error('sync-throw', e, `(setup) ${label}`);
          return;
        }
        F.track(t, label);
        c.ref.task = t;
        F.call(label, () => t[m](v.make(c)));
        F.call(`${label} (second listener)`, () => t[m](noop));
        if (m === 'onMessage') F.call(`${label}: onOpen(send)`, () => t.onOpen(() => F.call(`${label}: send`, () => t.send({ data: 'hi' }))));
        F.dwell(80);
      });
    }
  }
  for (const m of ['offOpen', 'offMessage', 'offError', 'offClose', 'offReconnecting']) {
    await F.group(`task.${m}(<hostile>)`);
    const vals = [{ name: '(no argument)', none: true }, { name: 'the registered listener', same: true }, ...CB, ...G.filter((g) => !g.c).slice(0, 10)];
    for (const v of vals) {
      const label = `task.${m}(${vname(v)})`;
      await F.run(label, 0, async (c) => {
        const t = await F.shared('open', label);
        if (!t) return;
        c.ref.task = t;
        const on = `on${m.slice(3)}`;
        const l = () => {};
        F.call(`${label}: ${on}(l)`, () => t[on](l));
        F.call(label, () => (v.none ? t[m]() : t[m](v.same ? l : v.make(c))));
        if (v.same) F.call(`${label} again`, () => t[m](l));
      });
    }
  }

  // ---- getters, free(), Symbol.dispose, wrong `this`, in every state
  await F.group('getters, free(), [Symbol.dispose]() in every state');
  const states = {
    CONNECTING: async (label) => { const t = F.call(`(state) ${label}`, () => mp.connectSocket(F.validConnect())); return t; },
    OPEN: (label) => F.openTask(label),
    CLOSING: async (label) => { const t = await F.openTask(label); if (t) F.call(`(state) ${label}`, () => t.close()); return t; },
    CLOSED: async (label) => { const t = await F.openTask(label); if (t) { F.call(`(state) ${label}`, () => t.close()); await F.waitFor(() => F.readyState(t) === 3, 2000); } return t; },
    'RECONNECTING (createSocketTask, /drop)': async (label) => { const t = F.call(`(state) ${label}`, () => mp.createSocketTask(F.validConnect({ url: `${WS}/drop?after=5&id=fz`, reconnect: { minDelay: 50, maxRetries: 3 } }))); await sleep(30); return t; },
    'over the live-task limit': async (label) => {
      F.internal('configure', () => mp.configure({ maxConnections: 0 }));
      const t = F.call(`(state) ${label}`, () => mp.connectSocket(F.validConnect({ fail: noop })));
      F.internal('configure', () => mp.configure({ maxConnections: FUZZ_LIMIT + F.extraLimit }));
      return t;
    },
  };
  for (const [state, make] of Object.entries(states)) {
    const base = `[${state}]`;
    await F.run(`getters ${base}`, 1, async (c) => { const t = await make(`getters ${base}`); if (isTaskLike(t)) F.readGetters(t, `getters ${base}`); });
    await F.run(`free() ${base}`, 1, async (c) => {
      const label = `free() ${base}`;
      const t = await make(label);
      if (!isTaskLike(t)) return;
      if (typeof t.free !== 'function') return;
      F.freeTask(t, label);
      F.call(`${label} twice`, () => t.free());
      F.readGetters(t, `${label}, then`);
      for (const m of METHODS) F.call(`${label}, then ${m}`, () => t[m](m === 'send' ? { data: 'x' } : m === 'close' ? {} : noop));
    });
    if (typeof Symbol.dispose === 'symbol') {
      await F.run(`[Symbol.dispose]() ${base}`, 1, async () => {
        const label = `[Symbol.dispose]() ${base}`;
        const t = await make(label);
        if (!isTaskLike(t) || typeof t[Symbol.dispose] !== 'function') return;
        F.call(label, () => t[Symbol.dispose]());
        F.freed.add(t);
        F.call(`${label}, then send`, () => t.send({ data: 'x' }));
      });
    }
  }
  // ---- re-entrancy scenarios
  await F.group('re-entrancy from listeners and callbacks');
  for (const event of ['onOpen', 'onMessage', 'onClose', 'onError']) {
    for (const kind of REENTRY_KINDS) {
      const label = `${event} listener re-enters ${kind}`;
      await F.run(label, 2, async (c) => {
        const url = event === 'onError' ? `ws://127.0.0.1:${E.deadPort}/echo` : `${WS}/echo?id=fz`;
        let t;
        try { t = mp.connectSocket(F.validConnect({ url })); } catch (e) { F.error('sync-throw', e, `(setup) ${label}`); return; }
        F.track(t, label);
        c.ref.task = t;
        F.call(label, () => t[event](() => c.reenter(kind)));
        if (event === 'onMessage') F.call(label, () => t.onOpen(() => F.call(`${label}: send`, () => t.send({ data: 'trigger' }))));
        if (event !== 'onError') F.call(label, () => t.onOpen(() => setTimeout(() => F.call(`${label}: close`, () => t.close()), 30)));
        F.dwell(80);
      });
    }
  }

  // ---- network status
  await F.group('getNetworkType / on|offNetworkStatusChange / on|offNetworkWeakChange');
  for (const v of [...G, ...shapes(() => ({}))]) {
    const label = `getNetworkType(${vname(v)})`;
    await F.run(label, 0, async (c) => { F.call(label, () => mp.getNetworkType(v.make(c))); });
  }
  for (const key of TRIO_KEYS) {
    for (const v of CB) {
      const label = `getNetworkType({${key}: ${vname(v)}})`;
      await F.run(label, 0, async (c) => {
        const { rec, cbs } = F.spies(label);
        rec.obs[key] = false;
        F.call(label, () => mp.getNetworkType({ ...cbs, [key]: v.make(c) }), rec);
      });
    }
  }
  for (const m of ['onNetworkStatusChange', 'offNetworkStatusChange', 'onNetworkWeakChange', 'offNetworkWeakChange']) {
    for (const v of [...CB, ...G.filter((g) => !g.c).slice(0, 10)]) {
      const label = `${m}(${vname(v)})`;
      await F.run(label, 0, async (c) => {
        F.call(label, () => mp[m](v.make(c)));
        if (typeof globalThis.dispatchEvent === 'function' && typeof Event === 'function') {
          // no real change (navigator.onLine stays true), but the package's handlers run
          globalThis.dispatchEvent(new Event('online'));
          navigator.connection?.dispatchEvent?.(new Event('change'));
        }
      });
    }
  }

  // ---- install, and the installed platform objects
  await F.group('install(<hostile target>, <hostile options>)');
  const hostileTargets = [
    ...G.map((v) => ({ name: v.name, make: v.make })),
    { name: '{wx: frozen {}}', make: () => ({ wx: Object.freeze({}) }) },
    { name: '{wx: throwing Proxy}', make: () => ({ wx: throwingProxy() }) },
    { name: '{wx: revoked Proxy}', make: () => ({ wx: revokedProxy() }) },
    { name: '{wx: 5}', make: () => ({ wx: 5 }) },
    { name: '{get wx() throws}', make: () => Object.defineProperty({}, 'wx', { get: () => { throw new FuzzError('getter wx throws'); } }) },
    { name: 'sealed {}', make: () => Object.seal({}) },
    { name: 'Proxy throwing on set/defineProperty', make: () => new Proxy({}, { set: () => { throw new FuzzError('set throws'); }, defineProperty: () => { throw new FuzzError('defineProperty throws'); } }) },
    { name: '{wx: {connectSocket: throwing getter}}', make: () => ({ wx: Object.defineProperty({}, 'connectSocket', { get: () => { throw new FuzzError('getter throws'); }, enumerable: true }) }) },
    { name: 'a function', make: () => function target() {} },
  ];
  for (const v of hostileTargets) {
    for (const platform of ['wx', 'my']) {
      const label = `install(${vname(v)}, {platform: '${platform}'})`;
      await F.run(label, 0, async (c) => { F.call(label, () => mp.install(v.make(c), { platform })); });
    }
  }
  const platformVals = [
    ...PLATFORMS, 'WX', 'rtc', '__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', 'globalThis', 'window',
  ].map((p) => ({ name: JSON.stringify(p), make: () => p }));
  for (const v of [...G, ...shapes(() => ({ platform: 'wx' }))]) {
    const label = `install({}, ${vname(v)})`;
    await F.run(label, 0, async (c) => { F.call(label, () => mp.install({}, v.make(c))); });
  }
  for (const [key, vals] of [['platform', [...platformVals, ...G]], ['overwrite', GC]]) {
    for (const v of [...vals, ...KEY_SPECIALS]) {
      const label = `install({wx: {connectSocket: 1}}, {${key}: ${vname(v)}})`;
      await F.run(label, 0, async (c) => { F.call(label, () => mp.install({ wx: { connectSocket: 1 } }, setKey({ overwrite: true }, key, v, c, 'wx'))); });
    }
  }
  await F.run('install() with no arguments', 0, async () => { F.call('install()', () => mp.install()); });

  await F.group('installed platform objects (wx, qq, tt, swan, uni, my, taro, wx.rtc)');
  for (const platform of PLATFORMS) {
    const api = F.internal(`install({}, {platform: '${platform}'})`, () => mp.install({}, { platform }));
    if (!api || typeof api !== 'object') {
      F.record('harness', `install({}, {platform: '${platform}'}) returned ${typeof api}`, platform);
      continue;
    }
    const fns = [];
    for (const [k, f] of Object.entries(api)) if (typeof f === 'function') fns.push([`${platform}.${k}`, f, api]);
    if (api.rtc && typeof api.rtc === 'object') for (const [k, f] of Object.entries(api.rtc)) if (typeof f === 'function') fns.push([`${platform}.rtc.${k}`, f, api.rtc]);
    for (const [name, f, self] of fns) {
      const hasTrio = /(connectSocket|createSocketTask|sendSocketMessage|closeSocket|getNetworkType)$/.test(name);
      const creates = /(connectSocket|createSocketTask)$/.test(name);
      // (thin wrappers over the functions fuzzed above: one value of each kind is enough)
      const vals = [
        ...GC.filter((g) => /^(undefined|null|-1|Symbol\(\)|10 MiB string|\{\}|Object.create\(null\)|frozen \{\}|throwing getters on every key|Proxy whose every trap throws|revoked Proxy|function \(\) \{\}|detached ArrayBuffer)$/.test(g.name)),
        { name: 'valid options with spies', trio: hasTrio, make: () => F.validConnect({ multiple: true, data: 'x' }) },
        { name: 'valid options, data and a throwing success', make: () => F.validConnect({ multiple: true, data: 'x', success: () => { throw new FuzzError('success throws'); } }) },
      ];
      for (const v of vals) {
        const label = `${name}(${vname(v)})`;
        await F.run(label, creates ? 1 : 0, async (c) => {
          const arg = v.make(c);
          let rec;
          if (v.trio) {
            const s = F.spies(label);
            Object.assign(arg, s.cbs);
            rec = s.rec;
          }
          c.ref.task = F.call(label, () => f.call(self, arg), rec);
          F.dwell(20);
        });
      }
    }
  }

  // ---- console.* replaced by throwing functions while the package reports things
  await F.group('console.error/warn/debug/log replaced by throwing functions');
  for (const which of ['error', 'warn', 'debug', 'log', 'all', 'console is a throwing Proxy']) {
    const label = `console ${which} throws: throwing listeners, debug: true, header, sslVerify: false`;
    await F.run(label, 2, async (c) => {
      const thrower = () => { throw new FuzzError(`console.${which} throws`); };
      if (which === 'console is a throwing Proxy') globalThis.console = throwingProxy();
      else for (const k of which === 'all' ? ['error', 'warn', 'debug', 'log', 'info'] : [which]) console[k] = thrower;
      const t = F.call(label, () => mp.connectSocket(F.validConnect({ url: `${WS}/close?code=4001&after=30&id=fz`, debug: true, header: { a: 'b' }, sslVerify: false })));
      c.ref.task = t;
      if (isTaskLike(t)) {
        for (const m of ['onOpen', 'onMessage', 'onError', 'onClose']) F.call(label, () => t[m](() => { throw new FuzzError(`${m} listener throws`); }));
        F.call(label, () => t.onOpen(() => F.call(`${label}: send`, () => t.send({ data: 'x' }))));
        F.call(`${label}: send(Symbol)`, () => t.send({ data: Symbol('bad') }));
      }
      F.call(`${label}: connectSocket(5)`, () => mp.connectSocket(5));
      F.call(`${label}: refused`, () => mp.connectSocket(F.validConnect({ url: `ws://127.0.0.1:${E.deadPort}/x`, debug: true })));
      F.call(`${label}: closeSocket() with no callbacks`, () => mp.closeSocket());
      await sleep(120); // let the events fire while console is hostile
      F.restoreConsole();
      F.installConsole();
    });
  }

  // ---- late: the groups that can leave tasks stuck on a buggy package
  await runKeyPlan(keyPlanLate);

  // ---- configure
  await F.group('configure(<hostile>)');
  const cfgVals = [
    ...G, ...shapes(() => ({ maxConnections: 5 })),
    ...[...NUM, ...GC, ...KEY_SPECIALS].map((v) => ({ name: `{maxConnections: ${v.name}}`, make: (c) => setKey({}, 'maxConnections', v, c, 5) })),
    ...[...DB, ...GC].map((v) => ({ name: `{WebSocket: ${v.name}}`, make: (c) => ({ WebSocket: v.make(c) }) })),
  ];
  for (const v of cfgVals) {
    const label = `configure(${vname(v)})`;
    await F.run(label, 1, async (c) => {
      F.call(label, () => mp.configure(v.make(c)));
      // a valid task after it: the configured WebSocket double (if any) must not break it
      const t = F.call(`${label}, then connectSocket`, () => mp.connectSocket({ url: `${WS}/echo?id=fz`, fail: noop }));
      c.ref.task = t;
      F.dwell(40);
      F.internal('configure', () => mp.configure({ maxConnections: FUZZ_LIMIT + F.extraLimit, WebSocket: E.WebSocketClass }));
    });
  }

  // ---- server faults
  await F.group('server faults: drop-all, silence, /silent, /hang');
  await F.run('drop-all under queued sends with reconnect', 6, async () => {
    const ts = [];
    for (let i = 0; i < 3; i++) {
      const t = F.call('fault: createSocketTask', () => mp.createSocketTask(F.validConnect({ reconnect: { minDelay: 10, maxRetries: 3 }, heartbeat: { interval: 30, timeout: 60 } })));
      if (isTaskLike(t)) ts.push(t);
    }
    await sleep(50);
    for (let k = 0; k < 5; k++) {
      for (const t of ts) {
        const s = F.spies('fault: send around drop-all');
        F.call(s.rec.label, () => t.send({ data: new Uint8Array([k, 1, 2]), ...s.cbs }), s.rec);
      }
      await F.control('/control/drop-all');
      await sleep(20);
    }
    F.dwell(200);
  });
  await F.run('silence on: heartbeat declares the peer dead', 2, async () => {
    await F.control('/control/silence?on=1');
    F.call('fault: connectSocket + heartbeat under silence', () => mp.connectSocket(F.validConnect({ heartbeat: { interval: 20, timeout: 40 } })));
    F.call('fault: createSocketTask + heartbeat under silence', () => mp.createSocketTask(F.validConnect({ heartbeat: { interval: 20, timeout: 40 }, reconnect: { minDelay: 10, maxRetries: 1 } })));
    await sleep(200);
    await F.control('/control/silence?on=0');
  });
  await F.run('close() on a task whose peer is silent (/silent)', 1, async (c) => {
    const t = await F.openTask('silent peer', { url: `${WS}/silent` });
    if (!t) return;
    c.ref.task = t;
    const s = F.spies('close() on a silent peer');
    F.call(s.rec.label, () => t.close({ ...s.cbs }), s.rec);
  });
  await F.run('close() while CONNECTING to /hang', 2, async () => {
    for (const fn of ['connectSocket', 'createSocketTask']) {
      const t = F.call(`${fn}(/hang)`, () => mp[fn](F.validConnect({ url: `${WS}/hang` })));
      if (isTaskLike(t)) F.call(`${fn}(/hang) close()`, () => t.close());
    }
  });
  await F.run('connect timeout (timeout: 50 against /hang)', 2, async () => {
    for (const fn of ['connectSocket', 'createSocketTask']) {
      const s = F.spies(`${fn}({timeout: 50}) against /hang`);
      F.call(s.rec.label, () => mp[fn](F.validConnect({ url: `${WS}/hang`, timeout: 50, reconnect: false, ...s.cbs })), s.rec);
    }
    F.dwell(300);
  });
  await F.run('the live-task limit: 7 tasks at maxConnections 5', 7, async () => {
    F.internal('configure', () => mp.configure({ maxConnections: 5 }));
    for (let i = 0; i < 7; i++) {
      const s = F.spies(`limit: connectSocket #${i + 1}`);
      F.call(s.rec.label, () => mp.connectSocket(F.validConnect({ ...s.cbs })), s.rec);
    }
    F.internal('configure', () => mp.configure({ maxConnections: FUZZ_LIMIT + F.extraLimit }));
  });
  // Last, because a wrong `this` can corrupt the package's state for everything after it:
  // SocketTask.prototype.free.call(Object.create(task)) frees the state `task` still uses.
  await F.group('SocketTask methods with a wrong this');
  await F.run('SocketTask methods with a wrong this', 1, async () => {
    const t = await F.openTask('wrong this');
    if (!t) return;
    const proto = Object.getPrototypeOf(t);
    const thisVals = [undefined, null, {}, proto, throwingProxy(), revokedProxy(), Object.create(t)];
    for (const self of thisVals) {
      for (const m of [...METHODS, 'free']) {
        const f = proto[m];
        if (typeof f === 'function') F.call(`SocketTask.prototype.${m}.call(<hostile this>)`, () => f.call(self, { data: 'x' }), undefined, { allowThrow: true });
      }
      for (const g of GETTERS) {
        const d = Object.getOwnPropertyDescriptor(proto, g);
        if (d?.get) F.call(`SocketTask.prototype get ${g} on a hostile this`, () => d.get.call(self), undefined, { allowThrow: true });
      }
    }
    F.call('task still sends after the wrong-this calls', () => t.send({ data: 'still alive' }));
  });

  await F.flush();
}

// ==================================================================== random mode

export async function random(F, seed, count) {
  const E = F.env;
  const mp = F.mp;
  const rnd = prng(seed);
  const int = (n) => Math.floor(rnd() * n);
  const pick = (a) => a[int(a.length)];
  const chance = (p) => rnd() < p;
  const G = generalValues(E);
  const D = dataValues(E).filter((d) => !/10 MiB/.test(d.name));
  const CB = callbackValues(E);
  const U = urlValues(E).filter((u) => !/MiB/.test(u.name));
  const DB = socketDoubles(E);
  const WS = E.wsBase;
  const created = []; // every create call, in order (undefined when it returned no task)
  const validUrls = [
    `${WS}/echo?id=fz`, `${WS}/echo?id=fz`, `${WS}/drop?after=${int(100)}&id=fz`, `${WS}/close?code=${pick([1000, 4001, 1011])}&after=${int(80)}&id=fz`,
    `${WS}/silent`, `${WS}/hang`, `ws://127.0.0.1:${E.deadPort}/echo`,
  ];
  const goodData = () => pick([() => 'r', () => new Uint8Array([1, 2, 3]), () => new ArrayBuffer(5), () => 'ü'.repeat(int(50))])();
  const hostile = (c) => pick(G).make(c);
  let step = 0;
  const actions = [
    [6, 'create', async (c, label) => {
      const fn = chance(0.5) ? 'connectSocket' : 'createSocketTask';
      const desc = [];
      const url = pick(validUrls);
      desc.push(url.replace(WS, '').replace(/\?id=fz|&id=fz/, '') || url);
      const o = F.validConnect({ url, timeout: pick([200, 1000, 60000]) });
      desc.push(`timeout ${o.timeout}`);
      if (chance(0.3)) o.heartbeat = { interval: 20 + int(60), timeout: 30 + int(100) };
      if (fn === 'createSocketTask' || chance(0.3)) o.reconnect = chance(0.2) ? false : { minDelay: int(30), maxDelay: 50, maxRetries: int(4) };
      if (chance(0.3)) o.queue = { maxMessages: int(5), policy: pick(['reject', 'drop-oldest']) };
      if (o.heartbeat) desc.push('heartbeat');
      if (o.queue) desc.push('queue');
      if (chance(0.25)) {
        const u = pick(U);
        o.url = u.make(c);
        desc.push(u.name);
      }
      if (chance(0.15)) {
        const d = pick(DB);
        o.WebSocket = d.make(c);
        desc.push(d.name);
      }
      if (chance(0.2)) {
        const k = pick(['url', 'timeout', 'protocols', 'header', 'queue', 'heartbeat', 'reconnect', 'WebSocket', 'debug']);
        const g = pick(G);
        o[k] = g.make(c);
        desc.push(`${k}: ${g.name}`);
      }
      const name = `${label} ${fn}({${desc.join(', ')}})`;
      const { rec, cbs } = F.spies(name);
      if (chance(0.15)) {
        const k = pick(TRIO_KEYS);
        const v = pick(CB);
        cbs[k] = v.make(c);
        rec.obs[k] = false;
        rec.label = `${name} with ${k}: ${v.name}`;
      }
      const t = F.call(rec.label, () => mp[fn]({ ...o, ...cbs }), rec);
      created.push(isTaskLike(t) ? t : undefined);
      c.ref.task = t;
      if (isTaskLike(t)) {
        for (const m of ['onOpen', 'onMessage', 'onError', 'onClose']) {
          if (chance(0.4)) {
            const v = chance(0.5) ? pick(CB) : { name: 'noop', make: () => noop };
            F.call(`${label} task #${created.length}.${m}(${v.name})`, () => t[m](v.make(c)));
          }
        }
      }
    }],
    [6, 'send', async (c, label) => {
      const i = created.length ? int(created.length) : -1;
      const t = created[i];
      const v = chance(0.6) ? { name: 'valid data', make: goodData } : chance(0.5) ? pick(D) : pick(G);
      const data = v.make(c);
      const name = `${label} task #${i + 1}.send({data: ${v.name}})`;
      const { rec, cbs } = F.spies(name);
      if (isTaskLike(t) && !F.freed.has(t)) {
        c.ref.task = t;
        F.call(name, () => t.send({ data, ...cbs }), rec);
      } else {
        rec.skip = true;
      }
    }],
    [3, 'close', async (c, label) => {
      const i = created.length ? int(created.length) : -1;
      const t = created[i];
      const cv = chance(0.6) ? pick([undefined, 1000, 3000, 4999].map((x) => ({ name: `code ${x}`, make: () => x }))) : pick(codeValues());
      const rv = chance(0.7) ? pick([undefined, '', 'bye'].map((x) => ({ name: `reason ${JSON.stringify(x)}`, make: () => x }))) : pick(reasonValues());
      const code = cv.make(c);
      const reason = rv.make(c);
      const name = `${label} task #${i + 1}.close({${cv.name}, ${rv.name}})`;
      const { rec, cbs } = F.spies(name);
      if (isTaskLike(t) && !F.freed.has(t)) {
        c.ref.task = t;
        F.call(name, () => t.close({ code, reason, ...cbs }), rec);
      } else {
        rec.skip = true;
      }
    }],
    [2, 'legacy', async (c, label) => {
      const which = pick(['sendSocketMessage', 'closeSocket', ...LEGACY_ON]);
      if (which === 'sendSocketMessage') {
        const { rec, cbs } = F.spies(`${label} sendSocketMessage`);
        F.call(`${label} sendSocketMessage`, () => mp.sendSocketMessage({ data: chance(0.7) ? goodData() : pick(D).make(c), ...cbs }), rec);
      } else if (which === 'closeSocket') {
        const { rec, cbs } = F.spies(`${label} closeSocket`);
        F.call(`${label} closeSocket`, () => mp.closeSocket({ code: chance(0.7) ? 1000 : pick(codeValues()).make(c), ...cbs }), rec);
      } else {
        F.call(`${label} ${which}`, () => mp[which](chance(0.5) ? noop : pick(CB).make(c)));
      }
    }],
    [1, 'hostile call', async (c, label) => {
      const which = pick(['connectSocket', 'createSocketTask', 'sendSocketMessage', 'closeSocket', 'getNetworkType', 'configure', 'install', 'onNetworkStatusChange', 'offNetworkStatusChange']);
      const t = F.call(`${label} ${which}(hostile)`, () => mp[which](hostile(c)));
      if (which.endsWith('Task') || which === 'connectSocket') created.push(isTaskLike(t) ? t : undefined);
      F.internal('configure', () => mp.configure({ maxConnections: chance(0.3) ? 5 : FUZZ_LIMIT + F.extraLimit }));
    }],
    [1, 'listener churn', async (c, label) => {
      const t = created.length ? created[int(created.length)] : undefined;
      const m = pick(METHODS.slice(2));
      const arg = chance(0.5) ? pick(CB).make(c) : undefined;
      if (isTaskLike(t) && !F.freed.has(t)) {
        c.ref.task = t;
        F.call(`${label} task.${m}`, () => t[m](arg));
      }
    }],
    [1, 'getters/free', async (c, label) => {
      const t = created.length ? created[int(created.length)] : undefined;
      const free = chance(0.15);
      if (isTaskLike(t) && !F.freed.has(t)) {
        if (free) F.freeTask(t, label);
        else F.readGetters(t, label);
      }
    }],
    [1, 'server fault', async (c, label) => {
      const f = pick(['/control/drop-all', '/control/drop-all', '/control/silence?on=1', '/control/silence?on=0']);
      F.label = `${label} ${f}`;
      await F.control(f);
    }],
    [2, 'wait', async () => {
      await sleep(int(40));
    }],
  ];
  const total = actions.reduce((s, a) => s + a[0], 0);
  await F.group(`random (seed ${seed}, ${count} actions)`);
  // `count` random actions (each one or more package calls): the same seed replays the same
  // actions with the same arguments; only timing-dependent outcomes can differ.
  while (step < count && !F.dead) {
    step++;
    let r = int(total);
    let act = actions[0];
    for (const a of actions) {
      if (r < a[0]) {
        act = a;
        break;
      }
      r -= a[0];
    }
    const label = `#${step} ${act[1]}`;
    await F.run(label, act[1] === 'create' ? 1 : 0, (c) => act[2](c, label));
    if (step % 40 === 0) {
      await F.control('/control/silence?on=0');
      await F.flush();
      created.length = 0;
      F.log(`  step ${step}/${count}: ${F.n.calls} calls`);
    }
  }
  await F.control('/control/silence?on=0');
  await F.flush();
}

/** Run a whole fuzz session and return the summary. */
export async function runFuzz(env) {
  const F = new Fuzzer(env);
  env.hookUncaught?.((kind, e) => F.uncaught(kind, e));
  F.internal('configure', () => env.mp.configure({ maxConnections: FUZZ_LIMIT }));
  try {
    if (env.random) await random(F, env.seed, env.random);
    else await deterministic(F);
  } finally {
    F.restoreConsole();
    await F.control('/control/silence?on=0'); // never leave the shared server silenced
  }
  await F.group('(end)');
  return F.summary();
}

/** Merge summaries of several runs (the page runner restarts after a renderer crash). */
export function mergeSummaries(parts, crashes = []) {
  const keys = ['calls', 'traps', 'uncaught', 'syncThrows', 'poisoned', 'stuck', 'unsettled', 'harness'];
  const m = Object.fromEntries(keys.map((k) => [k, parts.reduce((s, p) => s + (p[k] ?? 0), 0)]));
  const failures = new Map();
  for (const f of parts.flatMap((p) => p.failures ?? [])) {
    const key = `${f.cat}: ${f.text}`;
    const g = failures.get(key);
    if (g) {
      g.count += f.count;
      for (const w of f.where) if (g.where.length < 3 && !g.where.includes(w)) g.where.push(w);
    } else {
      failures.set(key, { ...f, where: [...f.where] });
    }
  }
  for (const c of crashes) {
    // A renderer crash kills every socket of the page: the worst kind of trap.
    m.traps++;
    const key = `trap: the page crashed (renderer gone)`;
    const g = failures.get(key) ?? { cat: 'trap', text: 'the page crashed (renderer gone)', count: 0, where: [] };
    g.count++;
    if (g.where.length < 3) g.where.push(c);
    failures.set(key, g);
  }
  const dead = parts.some((p) => p.dead);
  return {
    ...m,
    line: `${m.calls} calls, ${m.traps} traps, ${m.uncaught} uncaught, ${m.syncThrows} sync-throws, ${m.poisoned} poisoned, ${m.stuck} stuck, ${m.unsettled} unsettled`,
    failures: [...failures.values()].sort((a, b) => b.count - a.count),
    errMsgs: [],
    groupTimes: parts.flatMap((p) => p.groupTimes ?? []),
    batches: parts.reduce((s, p) => s + (p.batches ?? 0), 0),
    dead,
    seconds: parts.reduce((s, p) => s + (p.seconds ?? 0), 0),
    ok: !(m.traps || m.uncaught || m.syncThrows || m.poisoned || m.stuck || m.unsettled || m.harness || dead),
  };
}

/** Print a summary (shared by both runners). */
export function report(sum, { log, runtime, mode, top = 30 }) {
  log(`fuzz ${runtime} (${mode}) took ${sum.seconds.toFixed(1)} s`);
  if (sum.failures.length) {
    log(`distinct failures (top ${Math.min(top, sum.failures.length)} of ${sum.failures.length}):`);
    for (const f of sum.failures.slice(0, top)) {
      log(`  ${String(f.count).padStart(5)}× ${f.cat}: ${f.text}`);
      log(`         e.g. ${f.where.join(' | ')}`);
    }
  }
  if (sum.groupTimes?.length) {
    const slow = [...sum.groupTimes].sort((a, b) => b[1] - a[1]).slice(0, 5);
    log(`slowest groups: ${slow.map(([g, sec, n, w]) => `${g} ${sec.toFixed(1)} s (${n} calls${w ? `; waits: ${w}` : ''})`).join('; ')}`);
  }
  if (sum.harness) log(`harness errors (bugs in the fuzz test itself, or a package value it could not handle): ${sum.harness}`);
  if (sum.dead) log('the package became unusable during the run; later cases were skipped');
  log(sum.line);
}

// Test harness for the page tests: loads the package, runs the cases from cases.js one at a
// time, and reports to window.__results (and, when run.mjs exposed it, window.__mpReport).
import { cases } from './cases.js';

const params = new URLSearchParams(location.search);
const pkgPath = params.get('pkg') || '/pkg/index.js';
const deadPort = params.get('dead');
const grep = params.get('grep') ? new RegExp(params.get('grep')) : null;
const bail = params.get('bail') === '1';
const CASE_TIMEOUT_MS = 10000;

const results = { done: false, pkg: pkgPath, cases: [] };
window.__results = results;

const statusEl = document.getElementById('status');
const logEl = document.getElementById('log');

export class AssertionError extends Error {}

function show(v) {
  if (v instanceof ArrayBuffer) return `ArrayBuffer[${[...new Uint8Array(v)]}]`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === undefined) return 'undefined';
  try {
    return JSON.stringify(v, (k, x) => (x instanceof ArrayBuffer ? show(x) : x === undefined ? '<undefined>' : x));
  } catch {
    return String(v);
  }
}

function deepEqual(a, b) {
  if (Object.is(a, b)) return true;
  if (a instanceof ArrayBuffer && b instanceof ArrayBuffer) {
    return deepEqual([...new Uint8Array(a)], [...new Uint8Array(b)]);
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Per-case helpers. Everything a case creates is tracked, checked and cleaned up. */
class Harness {
  constructor(mp, name) {
    this.mp = mp;
    this.name = name;
    this.port = location.port;
    this.deadPort = deadPort;
    this.tasks = [];
    this.trios = [];
    this.sleep = sleep;
  }

  ws(path) {
    return `ws://127.0.0.1:${this.port}${path}`;
  }

  deadUrl() {
    if (!this.deadPort) throw new AssertionError('the page needs ?dead=PORT (a port nobody listens on)');
    return `ws://127.0.0.1:${this.deadPort}/echo`;
  }

  // ---- assertions ----
  ok(cond, what) {
    if (!cond) throw new AssertionError(`expected: ${what}`);
  }
  eq(actual, expected, what) {
    if (!deepEqual(actual, expected)) {
      throw new AssertionError(`${what}: expected ${show(expected)}, got ${show(actual)}`);
    }
  }
  /** Check fields of `actual` (other fields may exist). */
  has(actual, fields, what) {
    this.ok(actual !== null && typeof actual === 'object', `${what} is an object (got ${show(actual)})`);
    for (const [k, v] of Object.entries(fields)) this.eq(actual[k], v, `${what}.${k}`);
  }
  /** Polls `cond` every 5 ms for up to `ms`. `what` may be a function (evaluated on timeout). */
  async waitFor(cond, what, ms = 3000) {
    const end = performance.now() + ms;
    while (!cond()) {
      if (performance.now() > end) {
        throw new AssertionError(`timed out after ${ms} ms waiting for ${typeof what === 'function' ? what() : what}`);
      }
      await sleep(5);
    }
  }

  /**
   * A success/fail/complete trio that records its calls. At the end of the case the harness
   * checks that exactly one of success/fail ran, then complete, each exactly once.
   * `trio.opts` spreads into an options object; `await trio.done` waits for complete.
   */
  cb(label) {
    const trio = { label, calls: [] };
    let resolve;
    const done = new Promise((r) => (resolve = r));
    const rec = (kind) => (res) => {
      trio.calls.push({ kind, res, at: performance.now() });
      if (kind === 'complete') resolve(res);
    };
    trio.opts = { success: rec('success'), fail: rec('fail'), complete: rec('complete') };
    trio.wait = async (ms = 3000) => {
      await this.waitFor(() => trio.calls.some((c) => c.kind === 'complete'), `${label}: complete`, ms);
      return trio.result();
    };
    trio.done = done;
    /** {kind: 'success'|'fail', res} of the first success/fail call. */
    trio.result = () => trio.calls.find((c) => c.kind !== 'complete') || { kind: 'none', res: undefined };
    this.trios.push(trio);
    return trio;
  }
  async expectSuccess(trio, errMsg) {
    const r = await trio.wait();
    this.eq(r.kind, 'success', `${trio.label}: callback (res ${show(r.res)})`);
    this.eq(r.res?.errMsg, errMsg, `${trio.label}: success errMsg`);
    return r.res;
  }
  async expectFail(trio, errMsg) {
    const r = await trio.wait();
    this.eq(r.kind, 'fail', `${trio.label}: callback (res ${show(r.res)})`);
    if (errMsg instanceof RegExp) {
      this.ok(errMsg.test(r.res?.errMsg), `${trio.label}: fail errMsg ${show(r.res?.errMsg)} matches ${errMsg}`);
    } else {
      this.eq(r.res?.errMsg, errMsg, `${trio.label}: fail errMsg`);
    }
    return r.res;
  }
  checkTrios() {
    for (const t of this.trios) {
      const kinds = t.calls.map((c) => c.kind);
      const main = t.calls.filter((c) => c.kind !== 'complete');
      const comp = t.calls.filter((c) => c.kind === 'complete');
      this.ok(
        main.length === 1 && comp.length === 1 && kinds[kinds.length - 1] === 'complete',
        `${t.label}: exactly one success/fail, then complete, each once (calls: ${kinds.join(', ') || 'none'})`,
      );
      this.eq(comp[0].res?.errMsg, main[0].res?.errMsg, `${t.label}: complete gets the same errMsg`);
    }
  }

  // ---- sockets ----
  /** connectSocket, tracked for clean-up. */
  connect(opts) {
    const t = this.mp.connectSocket(opts);
    if (t && typeof t === 'object') this.tasks.push(t);
    return t;
  }
  /**
   * Registers onOpen/onMessage/onError/onClose listeners (do it in the connectSocket tick)
   * and records every event. `rec.next(type)` waits for the next unconsumed event of that type.
   */
  record(task, label = 'task') {
    const rec = { events: [], cursor: {} };
    for (const type of ['open', 'message', 'error', 'close']) {
      const on = 'on' + type[0].toUpperCase() + type.slice(1);
      task[on]((res) => rec.events.push({ type, res, readyState: task.readyState, at: performance.now() }));
    }
    rec.of = (type) => rec.events.filter((e) => e.type === type);
    rec.types = () => rec.events.map((e) => e.type);
    rec.next = async (type, ms = 3000) => {
      const i = rec.cursor[type] || 0;
      await this.waitFor(() => rec.of(type).length > i, `${label}: ${type} event #${i + 1} (events so far: ${rec.types().join(', ') || 'none'})`, ms);
      rec.cursor[type] = i + 1;
      return rec.of(type)[i].res;
    };
    return rec;
  }
  /** connect + record + wait for open. */
  async open(path = '/echo', extra = {}) {
    const t = this.connect({ url: this.ws(path), ...extra });
    this.ok(t && typeof t === 'object', `connectSocket(${path}) returns a task`);
    const rec = this.record(t, path);
    await rec.next('open');
    this.eq(t.readyState, 1, `${path}: readyState after onOpen`);
    return { t, rec };
  }
  /** Sends `data` and returns the next message echoed back. */
  async echo(t, rec, data) {
    const trio = this.cb(`send(${show(data)})`);
    t.send({ data, ...trio.opts });
    await this.expectSuccess(trio, 'sendSocketMessage:ok');
    return rec.next('message');
  }

  // ---- helpers of the ported wasm-bindgen-test suites (cases-browser/-resilience/-install.js) ----
  /**
   * An ordered log of named calls, like `Log` of the Rust tests: `log.cb(name)` returns a
   * function that records its argument under `name`; names(), count(name), get(name) (first
   * call), all(name), and `await log.wait(name, n, ms)` for `n` calls.
   */
  log(label = 'log') {
    const h = this;
    const entries = [];
    const log = {
      entries,
      cb: (name) => (v) => {
        entries.push([name, v]);
      },
      names: () => entries.map(([n]) => n),
      count: (name) => entries.filter(([n]) => n === name).length,
      get: (name) => entries.find(([n]) => n === name)?.[1],
      all: (name) => entries.filter(([n]) => n === name).map(([, v]) => v),
      wait: (name, n = 1, ms = 4000) =>
        h.waitFor(() => log.count(name) >= n, () => `${label}: ${n} × ${name} (saw: ${log.names().join(', ') || 'nothing'})`, ms),
    };
    return log;
  }
  /** Registers `task.on<Event>(log.cb(event))` for each event, in this order. */
  listen(task, log, events = ['open', 'message', 'error', 'close']) {
    for (const ev of events) task['on' + ev[0].toUpperCase() + ev.slice(1)](log.cb(ev));
  }
  /** createSocketTask, tracked for clean-up like connect(). */
  create(opts) {
    const t = this.mp.createSocketTask(opts);
    if (t && typeof t === 'object') this.tasks.push(t);
    return t;
  }
  /** GET a control endpoint of the test server (`/control/...`) and return its JSON. */
  async control(path) {
    const res = await fetch(`http://127.0.0.1:${this.port}${path}`, { cache: 'no-store' });
    if (!res.ok) throw new AssertionError(`${path}: HTTP ${res.status}`);
    return res.json();
  }
  /** The texts the server recorded for `?id=ID&record=1` connections, in receive order. */
  async received(id) {
    return (await this.control('/control/stats')).receivedTexts?.[id] ?? [];
  }
  /** A fresh id for `?id=` (server stats are grouped by it). */
  uid(prefix) {
    return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e9).toString(36)}`;
  }
  /** The package's debug counters `__stats()` ({wasmBytes, heapBytes, externrefs, liveTasks}), or null without it. */
  stats() {
    return typeof this.mp.__stats === 'function' ? { ...this.mp.__stats() } : null;
  }
  /** A line run.mjs prints (it forwards console warnings): measurements and skipped checks. */
  note(msg) {
    const short = this.name.length > 40 ? `${this.name.slice(0, 40)}…` : this.name;
    console.warn(`[note] ${short}: ${msg}`);
  }
  /** Makes garbage and yields, so that collected handles' FinalizationRegistry callbacks get a chance to run. */
  async gcNudge(rounds = 4) {
    for (let r = 0; r < rounds; r++) {
      let junk = [];
      for (let i = 0; i < 32; i++) junk.push(new ArrayBuffer(1 << 20), Array.from({ length: 2000 }, (_, j) => ({ j })));
      junk = null;
      await sleep(20);
    }
  }
  /** Puts no-op listeners in the one-slot legacy globals, so that a case's listeners can't leak into later cases. */
  resetLegacy(ns = this.mp) {
    const noop = () => {};
    for (const name of ['onSocketOpen', 'onSocketMessage', 'onSocketError', 'onSocketClose']) {
      if (typeof ns[name] === 'function') ns[name](noop);
    }
  }

  async cleanup() {
    for (const t of this.tasks) {
      try {
        if (t.readyState !== 3) t.close({});
      } catch (e) {
        console.error(`cleanup: close() threw: ${e}`);
      }
    }
    await this.waitFor(
      () => this.tasks.every((t) => t.readyState === 3),
      `clean-up: every task of the case to reach CLOSED (readyStates ${this.tasks.map((t) => t.readyState)})`,
    );
  }
}

async function runCase(mp, name, fn, timeoutMs = CASE_TIMEOUT_MS) {
  const h = new Harness(mp, name);
  const t0 = performance.now();
  let error = null;
  try {
    let timer;
    const timeout = new Promise((_, rej) => {
      timer = setTimeout(() => rej(new AssertionError(`case timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([fn(h), timeout]);
    } finally {
      clearTimeout(timer);
    }
    await sleep(30); // late or duplicate callbacks show up here
    h.checkTrios();
  } catch (e) {
    error = e instanceof AssertionError ? e.message : `${e?.name || 'Error'}: ${e?.message ?? e}\n${e?.stack || ''}`;
  }
  try {
    await h.cleanup();
  } catch (e) {
    error = error || e.message;
  }
  return { name, ok: !error, error, ms: Math.round(performance.now() - t0) };
}

function report(r) {
  results.cases.push(r);
  const li = document.createElement('li');
  li.className = r.ok ? 'ok' : 'fail';
  li.textContent = r.ok ? `ok   ${r.name} (${r.ms} ms)` : `FAIL ${r.name}: ${r.error}`;
  logEl.append(li);
  if (typeof window.__mpReport === 'function') window.__mpReport(r);
}

async function main() {
  statusEl.textContent = `importing ${pkgPath}`;
  let mp;
  const t0 = performance.now();
  try {
    mp = await import(pkgPath);
  } catch (e) {
    report({ name: `import ${pkgPath}`, ok: false, error: `${e?.name}: ${e?.message}`, ms: 0 });
    return;
  }
  results.importMs = Math.round(performance.now() - t0);
  const selected = cases.filter(([name]) => !grep || grep.test(name));
  // A case is [name, fn] or [name, fn, {timeout: ms}] (default CASE_TIMEOUT_MS).
  for (const [name, fn, opts] of selected) {
    statusEl.textContent = `running: ${name}`;
    const r = await runCase(mp, name, fn, opts?.timeout);
    report(r);
    if (bail && !r.ok) break;
  }
}

main()
  .catch((e) => report({ name: 'harness', ok: false, error: String(e?.stack || e), ms: 0 }))
  .finally(() => {
    const failed = results.cases.filter((c) => !c.ok).length;
    statusEl.textContent = `done: ${results.cases.length - failed} passed, ${failed} failed`;
    results.done = true;
  });

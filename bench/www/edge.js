// "Thin at the edge": what each library adds, in ns per message, over a raw WebSocket user on
// an in-page fake socket (no network, no server, no browser socket machinery), plus what the
// start-up and the wasm memory cost. bench/edge.mjs drives these through window.bench.edge*.
//
// The fake is a class the libraries take through their `WebSocket` option. Its `onmessage`
// (and any `message` listener) is called directly with ONE event object, made once per
// variant and reused for every message: building a MessageEvent and dispatching it through
// an EventTarget costs 2–4 µs here and would hide a library's own cost.

const now = () => performance.now();

// ---- start-up timing and wasm capture ----------------------------------------------------

/** Every compile / instantiate the page asked for: {kind, api, t0, t1} (performance.now). */
export const wasmEvents = [];
/** Memories and tables exported by every instance created on this page. */
export const memories = [];
export const tables = [];
let hooked = false;

/**
 * Wraps the WebAssembly entry points, from outside the package, to time compiling and
 * instantiating separately. `instantiateStreaming(r)` becomes `compileStreaming(r)` then
 * `instantiate(module)`: the same work, so "compile" includes the download it overlaps.
 */
export function hookWasm() {
  if (hooked) return;
  hooked = true;
  const W = WebAssembly;
  const orig = {
    compile: W.compile, compileStreaming: W.compileStreaming, instantiate: W.instantiate,
    instantiateStreaming: W.instantiateStreaming, Module: W.Module, Instance: W.Instance,
  };
  const keep = (instance) => {
    for (const v of Object.values(instance.exports ?? {})) {
      if (v instanceof W.Memory) memories.push(v);
      else if (v instanceof W.Table) tables.push(v);
    }
    return instance;
  };
  const timed = async (kind, api, fn) => {
    const e = { kind, api, t0: now() };
    wasmEvents.push(e);
    try {
      return await fn();
    } finally {
      e.t1 = now();
    }
  };
  W.compile = (bytes) => timed('compile', 'compile', () => orig.compile.call(W, bytes));
  if (orig.compileStreaming) {
    W.compileStreaming = (source) => timed('compile', 'compileStreaming', () => orig.compileStreaming.call(W, source));
  }
  W.instantiate = async (source, imports) => {
    if (source instanceof orig.Module) {
      return keep(await timed('instantiate', 'instantiate(module)', () => orig.instantiate.call(W, source, imports)));
    }
    const module = await timed('compile', 'instantiate(bytes)', () => orig.compile.call(W, source));
    const instance = keep(await timed('instantiate', 'instantiate(bytes)', () => orig.instantiate.call(W, module, imports)));
    return { module, instance };
  };
  if (orig.instantiateStreaming) {
    W.instantiateStreaming = async (source, imports) => {
      const module = await timed('compile', 'instantiateStreaming', () => orig.compileStreaming.call(W, source));
      const instance = keep(await timed('instantiate', 'instantiateStreaming', () => orig.instantiate.call(W, module, imports)));
      return { module, instance };
    };
  }
  const syncTimed = (kind, api, fn) => {
    const e = { kind, api, t0: now() };
    const r = fn();
    e.t1 = now();
    wasmEvents.push(e);
    return r;
  };
  W.Module = new Proxy(orig.Module, {
    construct: (t, args) => syncTimed('compile', 'new Module', () => Reflect.construct(t, args)),
  });
  W.Instance = new Proxy(orig.Instance, {
    construct: (t, args) => keep(syncTimed('instantiate', 'new Instance', () => Reflect.construct(t, args))),
  });
}

/**
 * Where the time from `import()` (at t0) to a usable first socket (at tReady) went, from the
 * outside: resource timing for the fetches, the wasm hooks above, and any performance marks
 * or measures whose name mentions mpsocket (the package may add its own).
 */
export function startupBreakdown(t0, tImported, tReady) {
  const res = performance.getEntriesByType('resource').filter((e) => e.startTime >= t0 - 1 && e.startTime <= tReady);
  const js = res.filter((e) => /\.m?js(\?|$)/.test(e.name));
  const wasm = res.filter((e) => /\.wasm(\?|$)/.test(e.name));
  const jsEnd = js.length ? Math.max(...js.map((e) => e.responseEnd)) : t0;
  const ev = wasmEvents.filter((e) => e.t0 >= t0 && e.t1 !== undefined && e.t1 <= tReady);
  const compile = ev.filter((e) => e.kind === 'compile');
  const inst = ev.filter((e) => e.kind === 'instantiate');
  const span = (es) => es.reduce((a, e) => a + (e.t1 - e.t0), 0);
  // Contiguous segments from t0 to tReady (they add up to totalMs, give or take the gaps
  // between awaits): graph fetch | JS eval | wasm fetch until compiling starts | compile |
  // instantiate | init | first call.
  const b = {
    totalMs: tReady - t0,
    graphFetchMs: jsEnd - t0,
    jsFiles: js.length,
    jsBytes: js.reduce((a, e) => a + (e.encodedBodySize || 0), 0),
    firstCallMs: tReady - tImported,
  };
  if (ev.length) {
    const first = Math.min(...ev.map((e) => e.t0));
    const lastInst = inst.length ? Math.max(...inst.map((e) => e.t1)) : Math.max(...ev.map((e) => e.t1));
    const fetchStart = wasm.length ? Math.min(...wasm.map((e) => e.startTime)) : first;
    b.jsEvalMs = Math.min(fetchStart, first) - jsEnd; // module evaluation until it fetched the wasm
    b.wasmWaitMs = Math.max(0, first - fetchStart); // the glue awaits the response before compiling
    b.wasmCompileMs = span(compile); // streaming: includes the rest of the download
    b.instantiateMs = span(inst);
    b.initMs = tImported - lastInst; // start function, the rest of module evaluation
    b.wasmApi = [...new Set(ev.map((e) => e.api))].join(', ');
  } else {
    b.jsEvalMs = tImported - jsEnd;
  }
  if (wasm.length) {
    b.wasmDownloadMs = wasm.reduce((a, e) => a + (e.responseEnd - e.startTime), 0);
    b.wasmBytes = wasm.reduce((a, e) => a + (e.encodedBodySize || 0), 0);
  }
  const marks = [...performance.getEntriesByType('mark'), ...performance.getEntriesByType('measure')]
    .filter((m) => /mpsocket/i.test(m.name));
  if (marks.length) {
    b.marks = marks.map((m) => ({ name: m.name, type: m.entryType, atMs: m.startTime - t0, durationMs: m.duration }));
  }
  return b;
}

// ---- the fake socket and the measured loops ------------------------------------------------

/**
 * One variant's kit: its own fake socket class, its own loops, its own user handler and its
 * own reused event. `freshKit()` evaluates this function's source again for every variant,
 * so no two variants share a function (and V8's type feedback): raw's handler and
 * mpsocket's don't turn one call site polymorphic for both. It must use only globals.
 */
function edgeKit(payload) {
  'use strict';
  const channel = new MessageChannel();
  let jobs = [];
  channel.port1.onmessage = () => {
    const run = jobs;
    jobs = [];
    for (const f of run) f();
  };
  /** Runs f as a task of its own (after every pending microtask). */
  const later = (f) => {
    if (jobs.push(f) === 1) channel.port2.postMessage(0);
  };
  const tick = () => new Promise((resolve) => later(resolve));

  class EdgeSocket {
    constructor(url, protocols) {
      this.url = String(url);
      this.protocols = protocols;
      this.protocol = '';
      this.extensions = '';
      this.binaryType = 'blob';
      this.bufferedAmount = 0;
      this.readyState = 0;
      this.onopen = null;
      this.onmessage = null;
      this.onerror = null;
      this.onclose = null;
      this._ls = { open: [], message: [], error: [], close: [] };
      this.sent = 0;
      this.last = null;
      EdgeSocket.made++;
      EdgeSocket.live++;
      EdgeSocket.last = this;
      later(() => {
        if (this.readyState !== 0) return;
        this.readyState = 1;
        this._fire('open', new Event('open'));
      });
    }
    addEventListener(type, f, options) {
      const ls = this._ls[type];
      if (!ls || !f || ls.some((l) => l.f === f)) return;
      const once = typeof options === 'object' && options !== null && options.once === true;
      const call = typeof f === 'function' ? f : (e) => f.handleEvent(e);
      ls.push({ f, call, once });
    }
    removeEventListener(type, f) {
      const ls = this._ls[type];
      if (!ls) return;
      const i = ls.findIndex((l) => l.f === f);
      if (i >= 0) ls.splice(i, 1);
    }
    dispatchEvent(e) {
      this._fire(e.type, e);
      return true;
    }
    _fire(type, e) {
      const h = this['on' + type];
      if (typeof h === 'function') h.call(this, e);
      const ls = this._ls[type];
      if (!ls || ls.length === 0) return;
      for (const l of ls.slice()) {
        if (l.once) this.removeEventListener(type, l.f);
        l.call.call(this, e);
      }
    }
    /** n messages, back to back, each with the same event object (the hot path measured). */
    deliver(e, n) {
      const ls = this._ls.message;
      for (let i = 0; i < n; i++) {
        const h = this.onmessage;
        if (h !== null) h.call(this, e);
        for (let j = 0; j < ls.length; j++) ls[j].call.call(this, e);
      }
    }
    send(data) {
      if (this.readyState !== 1) throw new DOMException('EdgeSocket is not open', 'InvalidStateError');
      this.sent++;
      this.last = data;
    }
    close(code, reason) {
      if (this.readyState >= 2) return;
      this.readyState = 2;
      later(() => {
        this.readyState = 3;
        EdgeSocket.live--;
        this._fire('close', new CloseEvent('close', { code: code ?? 1005, reason: reason ?? '', wasClean: true }));
      });
    }
  }
  ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'].forEach((name, i) => {
    EdgeSocket[name] = i;
    EdgeSocket.prototype[name] = i;
  });
  EdgeSocket.made = 0;
  EdgeSocket.live = 0;
  EdgeSocket.last = null;

  // What the user's code does with a message: count it, keep it (so nothing is optimised away).
  const got = { n: 0, last: null, cb: 0 };
  const onEvent = (e) => {
    got.n++;
    got.last = e.data;
  };
  const onSuccess = () => {
    got.cb++;
  };
  // Each loop is written the way the library's documentation says to send.
  const loops = {
    raw: (ws, data, n) => {
      for (let i = 0; i < n; i++) ws.send(data);
    },
    task: (task, data, n) => {
      for (let i = 0; i < n; i++) task.send({ data });
    },
    taskSuccess: (task, data, n) => {
      for (let i = 0; i < n; i++) task.send({ data, success: onSuccess });
    },
  };
  // Real events (partysocket clones them with `new e.constructor(type, e)`), never dispatched
  // through an EventTarget: the fake calls the handlers itself.
  const event = new MessageEvent('message', { data: payload });
  return { EdgeSocket, later, tick, got, onEvent, onSuccess, loops, event };
}
const kitSource = `return (${edgeKit.toString()})`;
const freshKit = (payload) => new Function(kitSource)()(payload);

// ---- variants ------------------------------------------------------------------------------

const URL = 'ws://edge.invalid/echo';
const mods = {};
async function loadMods() {
  const [mp, rws, ps] = await Promise.all([
    import('/dist/mpsocket.js'), import('/dist/reconnecting-websocket.js'), import('/dist/partysocket.js'),
  ]);
  Object.assign(mods, { mp, rws: rws.default, ps: ps.default });
}

async function until(kit, cond, what, ms = 10000) {
  const t0 = now();
  while (!cond()) {
    if (now() - t0 > ms) throw new Error(`${what}: not within ${ms} ms`);
    await kit.tick();
  }
}

/** A connection of kind `kind` on kit's fake class, open, with kit.onEvent as its message handler. */
async function openConn(kind, kit, options = {}) {
  const WS = kit.EdgeSocket;
  let target;
  let opened = false;
  let failed = null;
  const rwsOptions = { WebSocket: WS, minReconnectionDelay: 250, maxReconnectionDelay: 5000, reconnectionDelayGrowFactor: 2 };
  switch (kind) {
    case 'raw':
      target = new WS(URL);
      target.binaryType = 'arraybuffer';
      target.onmessage = kit.onEvent;
      target.onopen = () => { opened = true; };
      break;
    case 'connectSocket':
    case 'createSocketTask':
      target = mods.mp[kind]({ url: URL, WebSocket: WS, ...options, fail: (e) => { failed = e.errMsg; } });
      if (!target) throw new Error(`${kind} returned no task${failed ? `: ${failed}` : ''}`);
      target.onMessage(kit.onEvent);
      target.onOpen(() => { opened = true; });
      target.onError((e) => { failed = e?.errMsg ?? 'onError'; });
      break;
    case 'rws':
    case 'partysocket':
      target = new (kind === 'rws' ? mods.rws : mods.ps)(URL, [], rwsOptions);
      target.binaryType = 'arraybuffer';
      target.addEventListener('message', kit.onEvent);
      target.addEventListener('open', () => { opened = true; });
      break;
    default:
      throw new Error(`unknown connection kind ${kind}`);
  }
  await until(kit, () => opened || failed, `${kind} open`);
  if (failed) throw new Error(`${kind}: ${failed}`);
  const sock = WS.last;
  if (!sock || sock.readyState !== 1) throw new Error(`${kind}: its fake socket is not open`);
  return { kind, kit, target, sock };
}

/** Closes a connection and waits for its fake socket to be closed. */
async function closeConn(c) {
  if (typeof c.target.close === 'function' && c.kind !== 'connectSocket' && c.kind !== 'createSocketTask') c.target.close(1000);
  else {
    let closed = false;
    c.target.onClose(() => { closed = true; });
    c.target.close({ code: 1000 });
    await until(c.kit, () => closed, `${c.kind} onClose`);
  }
  await until(c.kit, () => c.sock.readyState === 3, `${c.kind} socket closed`);
}

const HEARTBEAT = { interval: 30000, timeout: 10000 };
// Receive variants: [name, connection kind, options]. `raw` is the line everything is measured from.
const RECV = [
  ['raw', 'raw'],
  ['mp-connectSocket', 'connectSocket'],
  ['mp-createSocketTask', 'createSocketTask', { heartbeat: false }],
  ['mp-createSocketTask-heartbeat', 'createSocketTask', { heartbeat: HEARTBEAT }],
  ['reconnecting-websocket', 'rws'],
  ['partysocket', 'partysocket'],
];
// Send variants: [name, receive variant whose connection it uses, payload, loop, raw line].
const SEND = [
  ['raw-string', 'raw', 'string', 'raw'],
  ['raw-view', 'raw', 'view', 'raw'],
  ['mp-string', 'mp-connectSocket', 'string', 'task', 'raw-string'],
  ['mp-success', 'mp-connectSocket', 'string', 'taskSuccess', 'raw-string'],
  ['mp-view', 'mp-connectSocket', 'view', 'task', 'raw-view'],
  ['mp-queue-string', 'mp-createSocketTask', 'string', 'task', 'raw-string'],
  ['mp-queue-view', 'mp-createSocketTask', 'view', 'task', 'raw-view'],
  ['rws-string', 'reconnecting-websocket', 'string', 'raw', 'raw-string'],
  ['partysocket-string', 'partysocket', 'string', 'raw', 'raw-string'],
];

const payloads = () => {
  const string = 'x'.repeat(32);
  const view = new Uint8Array(new ArrayBuffer(96), 16, 32); // a view into a larger buffer
  for (let i = 0; i < view.length; i++) view[i] = i;
  return { string, view };
};

const micro = { conns: {}, sends: {}, P: null };

export const edge = {
  /** Loads the three bundles and opens one connection per receive variant. */
  async microSetup({ warm }) {
    await loadMods();
    micro.P = payloads();
    for (const [name, kind, options] of RECV) {
      micro.conns[name] = await openConn(kind, freshKit(micro.P.string), options);
    }
    for (const [name, conn, payload, loop, line] of SEND) {
      micro.sends[name] = { conn: micro.conns[conn], kit: freshKit(micro.P.string), data: micro.P[payload], loop, line };
    }
    // Warm every path up (JIT tiers, lazily compiled wasm functions) before any is measured.
    for (const name of Object.keys(micro.conns)) await edge.recvTrial(name, warm);
    for (const name of Object.keys(micro.sends)) await edge.sendTrial(name, warm);
    return { recv: RECV.map((r) => r[0]), send: SEND.map((s) => s[0]), lines: Object.fromEntries(SEND.map((s) => [s[0], s[4] ?? null])) };
  },

  /**
   * One trial: every variant in the given order, each as the best (lowest ns per message) of
   * `reps` chunks of `chunk` messages. On a shared machine the best chunk is the one that was
   * not preempted or paused for GC; raw gets the same treatment.
   */
  async trial({ rOrder, sOrder, chunk, reps }) {
    const best = async (fn, name) => {
      let b = Infinity;
      for (let i = 0; i < reps; i++) b = Math.min(b, await fn(name, chunk));
      return b;
    };
    const r = {};
    const s = {};
    for (const v of rOrder) r[v] = await best(edge.recvTrial, v);
    for (const v of sOrder) s[v] = await best(edge.sendTrial, v);
    return { r, s };
  },

  /** ns per message for n messages delivered to variant `name` (its handler runs n times). */
  async recvTrial(name, n) {
    const c = micro.conns[name];
    const { kit } = c;
    await kit.tick();
    // (a heartbeat that found 40 s of silence would have dropped it: trials are much shorter)
    if (c.sock.readyState !== 1 || kit.EdgeSocket.last !== c.sock) throw new Error(`receive ${name}: its socket was closed or replaced`);
    const g0 = kit.got.n;
    const t0 = now();
    c.sock.deliver(kit.event, n);
    await kit.tick(); // anything the library deferred runs before the clock stops
    const ms = now() - t0;
    const got = kit.got.n - g0;
    if (got !== n) throw new Error(`receive ${name}: ${got} of ${n} messages reached the handler`);
    if (kit.got.last !== micro.P.string) throw new Error(`receive ${name}: the handler got ${typeof kit.got.last}, not the payload`);
    return (ms * 1e6) / n;
  },

  /** ns per message for n sends through variant `name`, until every callback has run. */
  async sendTrial(name, n) {
    const s = micro.sends[name];
    const { kit, conn } = s;
    await kit.tick();
    const sent0 = conn.sock.sent;
    const cb0 = kit.got.cb;
    const t0 = now();
    kit.loops[s.loop](conn.target, s.data, n);
    await kit.tick();
    if (s.loop === 'taskSuccess') await until(kit, () => kit.got.cb - cb0 >= n, `send ${name}: ${n} success callbacks`, 60000);
    const ms = now() - t0;
    const sent = conn.sock.sent - sent0;
    if (sent !== n) throw new Error(`send ${name}: ${sent} of ${n} sends reached the socket`);
    const last = conn.sock.last;
    const ok = typeof s.data === 'string' ? last === s.data : last && last.byteLength === s.data.byteLength;
    if (!ok) throw new Error(`send ${name}: the socket got ${Object.prototype.toString.call(last)} (${last?.byteLength ?? last?.length} bytes), not the payload`);
    return (ms * 1e6) / n;
  },

  // ---- memory (a page of its own; wasm memory never shrinks) ----

  /** mpsocket's own figures when it has `__stats()`, else what can be seen from outside. */
  stats() {
    const tableSlots = tables.reduce((a, t) => a + t.length, 0);
    const wasmSeen = memories.reduce((a, m) => a + m.buffer.byteLength, 0);
    const mp = mods.mp;
    if (mp && typeof mp.__stats === 'function') {
      const s = mp.__stats();
      return { source: '__stats', wasmBytes: s.wasmBytes, heapBytes: s.heapBytes, externrefs: s.externrefs, liveTasks: s.liveTasks, tableSlots, wasmSeen };
    }
    return { source: 'outside', wasmBytes: wasmSeen, tableSlots, wasmSeen };
  },

  async memorySetup() {
    hookWasm();
    await loadMods();
    micro.P = payloads();
    if (!memories.length) throw new Error('no wasm memory was seen while mpsocket loaded');
    return edge.stats();
  },

  /** Opens the burst's connection (connectSocket or createSocketTask) on a fresh kit. */
  async burstOpen(kind) {
    micro.burst = await openConn(kind, freshKit(micro.P.string), kind === 'createSocketTask' ? { heartbeat: false } : {});
    return edge.stats();
  },

  /**
   * n sends with a `success` callback, back to back; stats every `sample` sends and right
   * after the loop (callbacks still pending), then waits for every callback.
   */
  async burst({ n, sample }) {
    const c = micro.burst;
    const { kit } = c;
    const cb0 = kit.got.cb;
    const sent0 = c.sock.sent;
    const data = micro.P.string;
    const samples = [];
    const t0 = now();
    for (let done = 0; done < n;) {
      const k = Math.min(sample, n - done);
      kit.loops.taskSuccess(c.target, data, k);
      done += k;
      samples.push(edge.stats());
    }
    const tLoop = now();
    const afterLoop = edge.stats();
    await until(kit, () => kit.got.cb - cb0 >= n, `burst: ${n} success callbacks`, 120000);
    const ms = now() - t0;
    if (c.sock.sent - sent0 !== n) throw new Error(`burst: ${c.sock.sent - sent0} of ${n} sends reached the socket`);
    const peak = {};
    for (const k of ['wasmBytes', 'heapBytes', 'externrefs', 'tableSlots']) {
      const vs = samples.map((s) => s[k]).filter((v) => typeof v === 'number');
      if (vs.length) peak[k] = Math.max(...vs);
    }
    return { loopMs: tLoop - t0, ms, afterLoop, peak, callbacks: kit.got.cb - cb0 };
  },

  async burstClose() {
    await closeConn(micro.burst);
    micro.burst = null;
    return edge.stats();
  },

  /** n open → close cycles of `kind` on fake sockets, one after the other. */
  async cycles({ n, kind }) {
    const kit = micro.cycleKit ??= freshKit(micro.P.string);
    const t0 = now();
    for (let i = 0; i < n; i++) {
      const c = await openConn(kind, kit, kind === 'createSocketTask' ? { heartbeat: false } : {});
      await closeConn(c);
    }
    if (kit.EdgeSocket.live !== 0) throw new Error(`cycles: ${kit.EdgeSocket.live} fake sockets still open`);
    return { ms: now() - t0 };
  },
};

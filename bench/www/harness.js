// The benchmark's page side. bench/run.mjs drives it through Playwright: one fresh page (in a
// fresh browser context) per library and round, then `window.bench.*` calls.
//
// Every library gets the same page, the same echo server, the same payloads and the same
// message handler: an adapter turns each library's events into one call `onData(data)` and
// its send into `send(data)`, written the way that library's documentation says to use it.
// Libraries are loaded from /dist/*.js, the esbuild bundles that bench/build.mjs also sizes.
// The "thin at the edge" figures (in-page fake socket, start-up breakdown, wasm memory) live
// in edge.js and are reached as window.bench.edge.*.
import { hookWasm, memories, startupBreakdown, edge } from './edge.js';

/** Options that make the resilient libraries comparable: same first reconnect delay. */
const RESILIENCE = { minDelay: 250, maxDelay: 5000, factor: 2 };
// The echo server returns a ping as it is, so the ping and the pong are the same string:
// the heartbeat is on, and its echoes never reach onData.
const HEARTBEAT = { interval: 2000, timeout: 2000, message: '__hb__', pong: '__hb__' };

const wsBase = `ws://${location.host}`;
const now = () => performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function closeRaw(ws) {
  return new Promise((resolve) => {
    if (ws.readyState === 3) return resolve();
    ws.addEventListener('close', () => resolve(), { once: true });
    ws.close();
  });
}

/**
 * An in-page stand-in for WebSocket that echoes every message back as a task (as a network
 * socket's messages arrive), with real MessageEvents through EventTarget. With it, the
 * "overhead" scenario measures each library's own CPU cost per message, without the network,
 * the server or the browser's socket machinery (which dominate the real figures).
 */
const tick = new MessageChannel();
const drains = [];
tick.port1.onmessage = () => {
  const ds = drains.splice(0);
  for (const d of ds) d._drain();
};
class FakeSocket extends EventTarget {
  constructor(url, protocols) {
    super();
    this.url = url;
    this.protocols = protocols;
    this.readyState = 0;
    this.binaryType = 'blob';
    this.bufferedAmount = 0;
    this.protocol = '';
    this.extensions = '';
    this._q = [];
    this._h = {};
    setTimeout(() => {
      if (this.readyState !== 0) return;
      this.readyState = 1;
      this.dispatchEvent(new Event('open'));
    }, 0);
  }
  send(data) {
    if (this.readyState !== 1) throw new DOMException('FakeSocket is not open', 'InvalidStateError');
    if (this._q.push(data) === 1) {
      drains.push(this);
      tick.port2.postMessage(0);
    }
  }
  _drain() {
    const q = this._q;
    this._q = [];
    for (const data of q) {
      if (this.readyState !== 1) return;
      this.dispatchEvent(new MessageEvent('message', { data }));
    }
  }
  close(code = 1000, reason = '') {
    if (this.readyState >= 2) return;
    this.readyState = 2;
    setTimeout(() => {
      this.readyState = 3;
      this.dispatchEvent(new CloseEvent('close', { code, reason, wasClean: true }));
    }, 0);
  }
}
['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'].forEach((name, i) => {
  FakeSocket[name] = i;
  FakeSocket.prototype[name] = i;
});
for (const type of ['open', 'message', 'error', 'close']) {
  Object.defineProperty(FakeSocket.prototype, `on${type}`, {
    get() { return this._h[type] ?? null; },
    set(f) {
      if (this._h[type]) this.removeEventListener(type, this._h[type]);
      this._h[type] = typeof f === 'function' ? f : null;
      if (this._h[type]) this.addEventListener(type, this._h[type]);
    },
  });
}

/** Adapter constructors by library id: (module) => { open(url, onData) → Promise<conn> }. */
const ADAPTERS = {
  raw: {
    file: null,
    reconnects: false,
    create(url) {
      const ws = new WebSocket(url);
      ws.binaryType = 'arraybuffer';
      return ws;
    },
    make: (_mod, WS = WebSocket) => ({
      open: (url, onData) =>
        new Promise((resolve, reject) => {
          const ws = new WS(url);
          ws.binaryType = 'arraybuffer';
          ws.addEventListener('message', (e) => onData(e.data));
          const conn = { send: (d) => ws.send(d), state: () => ws.readyState, close: () => closeRaw(ws) };
          ws.addEventListener('open', () => resolve(conn), { once: true });
          ws.addEventListener('error', () => reject(new Error('connection failed')), { once: true });
        }),
    }),
  },
  'mpsocket-connectSocket': mpsocket('connectSocket', {}),
  'mpsocket-createSocketTask': mpsocket('createSocketTask', {
    heartbeat: HEARTBEAT,
    reconnect: { minDelay: RESILIENCE.minDelay, maxDelay: RESILIENCE.maxDelay, factor: RESILIENCE.factor },
  }),
  'reconnecting-websocket': rwsLike('reconnecting-websocket.js'),
  partysocket: rwsLike('partysocket.js'),
  taro: {
    file: 'taro.js',
    reconnects: false,
    // Taro's connectSocket returns a Promise of the task (not the task, as WeChat does).
    create: (mod, url) => mod.connectSocket({ url }),
    make: (mod, WS) => ({
      open: async (url, onData) => {
        // Taro calls the global WebSocket and takes no class: swap it in for the call.
        const global = globalThis.WebSocket;
        if (WS) globalThis.WebSocket = WS;
        let task;
        try {
          task = await mod.connectSocket({ url });
        } finally {
          globalThis.WebSocket = global;
        }
        // Taro leaves binaryType at 'blob'; WeChat delivers ArrayBuffers. Set it on the
        // underlying socket so the binary figures compare the same work.
        task.ws.binaryType = 'arraybuffer';
        return new Promise((resolve, reject) => {
          const conn = {
            send: (d) => task.send({ data: d }),
            state: () => task.readyState,
            close: () => new Promise((r) => { task.onClose(() => r()); task.close({}); }),
          };
          task.onMessage((e) => onData(e.data));
          task.onOpen(() => resolve(conn));
          task.onError(() => reject(new Error('connection failed')));
        });
      },
    }),
  },
};

function mpsocket(fn, options) {
  return {
    file: 'mpsocket.js',
    reconnects: fn === 'createSocketTask',
    create: (mod, url) => mod[fn]({ url, ...options }),
    make: (mod, WS) => ({
      open: (url, onData) =>
        new Promise((resolve, reject) => {
          const extra = WS ? { WebSocket: WS } : {};
          const task = mod[fn]({ url, ...options, ...extra, fail: (e) => reject(new Error(e.errMsg)) });
          if (!task) return;
          const conn = {
            send: (d) => task.send({ data: d }),
            state: () => task.readyState,
            close: () => new Promise((r) => { task.onClose(() => r()); task.close({}); }),
            task,
          };
          task.onMessage((r) => onData(r.data));
          task.onOpen(() => resolve(conn));
          task.onError((e) => reject(new Error(e.errMsg)));
        }),
    }),
  };
}

function rwsLike(file) {
  const options = {
    minReconnectionDelay: RESILIENCE.minDelay,
    maxReconnectionDelay: RESILIENCE.maxDelay,
    reconnectionDelayGrowFactor: RESILIENCE.factor,
  };
  return {
    file,
    reconnects: true,
    create: (mod, url) => new mod.default(url, [], options),
    make: (mod, WS) => ({
      open: (url, onData) =>
        new Promise((resolve, reject) => {
          const ws = new mod.default(url, [], WS ? { ...options, WebSocket: WS } : options);
          ws.binaryType = 'arraybuffer';
          ws.addEventListener('message', (e) => onData(e.data));
          const conn = {
            send: (d) => ws.send(d),
            state: () => ws.readyState,
            close: () => new Promise((r) => {
              if (ws.readyState === 3) return r();
              ws.addEventListener('close', () => r(), { once: true });
              ws.close();
            }),
          };
          ws.addEventListener('open', () => resolve(conn), { once: true });
          ws.addEventListener('error', () => reject(new Error('connection failed')), { once: true });
        }),
    }),
  };
}

let lib = null;
let mod = null;
let api = null;

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

function payloadFor(bytes, binary) {
  if (!binary) return 'x'.repeat(bytes);
  const u8 = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) u8[i] = i & 255;
  return u8.buffer;
}

window.bench = {
  ready: true,
  crossOriginIsolated: globalThis.crossOriginIsolated === true,
  libs: Object.keys(ADAPTERS),
  reconnects: (id) => ADAPTERS[id].reconnects,

  edge,

  /**
   * Cold start, on a fresh page: from `import()` of the library's bundle until its
   * connectSocket (or constructor) has returned a usable task. Also waits for that task to
   * open (reported separately) and closes it. `breakdown` says where the time went
   * (edge.js startupBreakdown: fetches, wasm compile / instantiate, init, first call).
   */
  async load(id) {
    const a = ADAPTERS[id];
    if (!a) throw new Error(`unknown library ${id}`);
    hookWasm(); // times compile / instantiate from outside, and finds the wasm memory
    lib = id;
    const url = `${wsBase}/echo?id=bench-load`;
    const t0 = now();
    mod = a.file ? await import(`/dist/${a.file}`) : null;
    const tImported = now();
    const first = await (a.file ? a.create(mod, url) : a.create(url));
    const tReady = now();
    api = a.make(mod);
    // Let it open, then close it: a usable task is one that does connect.
    await withTimeout(new Promise((resolve, reject) => {
      const done = () => resolve();
      if (first.addEventListener) {
        first.addEventListener('open', done, { once: true });
        first.addEventListener('error', () => reject(new Error('first connection failed')), { once: true });
      } else {
        first.onOpen(done);
        first.onError?.((e) => reject(new Error(e?.errMsg ?? 'first connection failed')));
      }
    }), 10000, 'first open');
    const tOpen = now();
    if (first.addEventListener) await closeRaw(first);
    else await new Promise((r) => { first.onClose(() => r()); first.close({}); });
    // Where the time went: the HTTP fetches of the bundle and of any .wasm (resource timing).
    const fetched = performance.getEntriesByType('resource').filter((e) => e.name.includes('/dist/'));
    const sum = (re) => {
      const es = fetched.filter((e) => re.test(e.name));
      return es.length ? es.reduce((acc, e) => acc + e.duration, 0) : undefined;
    };
    return {
      importMs: tImported - t0,
      readyMs: tReady - t0,
      openMs: tOpen - t0,
      jsFetchMs: sum(/\.js$/),
      wasmFetchMs: sum(/\.wasm$/),
      breakdown: startupBreakdown(t0, tImported, tReady),
    };
  },

  /** `count` echoes of `bytes`-byte messages, at most `window` in flight. */
  async pipelined({ count, bytes, binary, window }) {
    let sink = () => {};
    const conn = await withTimeout(api.open(`${wsBase}/echo?id=bench-${lib}`, (d) => sink(d)), 10000, 'open');
    const payload = payloadFor(bytes, binary);
    let sent = 0;
    let got = 0;
    let bad = 0;
    const done = new Promise((resolve) => {
      sink = (d) => {
        if ((binary ? d.byteLength : d.length) !== bytes) bad++;
        got++;
        if (sent < count) {
          sent++;
          conn.send(payload);
        }
        if (got === count) resolve();
      };
    });
    const t0 = now();
    const first = Math.min(window, count);
    while (sent < first) {
      sent++;
      conn.send(payload);
    }
    await withTimeout(done, 300000, `${count} echoes (${got} arrived)`);
    const ms = now() - t0;
    sink = () => {};
    await conn.close();
    if (bad) throw new Error(`${bad} echoes had the wrong size or type`);
    return { ms, msgsPerSec: (count / ms) * 1000, mbPerSec: (count * bytes) / ms / 1000 };
  },

  /**
   * The library's own CPU cost: `count` pipelined 32 B echoes through FakeSocket (no network).
   * Returns µs per message (one send + one receive), everything included (the fake's
   * MessageEvent and dispatch too, which raw pays as well).
   */
  async overhead({ count, window }) {
    const fakeApi = ADAPTERS[lib].make(mod, FakeSocket);
    let sink = () => {};
    const conn = await withTimeout(fakeApi.open('ws://fake.invalid/echo', (d) => sink(d)), 5000, 'fake open');
    const payload = payloadFor(32, false);
    let sent = 0;
    let got = 0;
    const done = new Promise((resolve) => {
      sink = () => {
        got++;
        if (sent < count) {
          sent++;
          conn.send(payload);
        }
        if (got === count) resolve();
      };
    });
    const t0 = now();
    while (sent < Math.min(window, count)) {
      sent++;
      conn.send(payload);
    }
    await withTimeout(done, 60000, `${count} fake echoes (${got} arrived)`);
    const ms = now() - t0;
    sink = () => {};
    await conn.close();
    return { usPerMsg: (ms * 1000) / count };
  },

  /** `pings` sequential round trips of a `bytes`-byte text (after `warmup` unrecorded ones). */
  async rtt({ pings, bytes, warmup }) {
    let sink = () => {};
    const conn = await withTimeout(api.open(`${wsBase}/echo?id=bench-${lib}`, (d) => sink(d)), 10000, 'open');
    const payload = payloadFor(bytes, false);
    const total = pings + warmup;
    const samples = new Float64Array(total);
    let i = 0;
    let t = 0;
    const done = new Promise((resolve) => {
      sink = () => {
        samples[i++] = now() - t;
        if (i === total) return resolve();
        t = now();
        conn.send(payload);
      };
    });
    const t0 = now();
    t = t0;
    conn.send(payload);
    await withTimeout(done, 120000, `${total} pings (${i} answered)`);
    const ms = now() - t0;
    sink = () => {};
    await conn.close();
    const s = Array.from(samples.subarray(warmup)).sort((a, b) => a - b);
    const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
    return { p50Us: q(0.5) * 1000, p99Us: q(0.99) * 1000, meanUs: (ms / total) * 1000 };
  },

  /** `n` open → close cycles, one after the other (each waits for its close event). */
  async cycles({ n }) {
    const t0 = now();
    for (let i = 0; i < n; i++) {
      const conn = await withTimeout(api.open(`${wsBase}/echo?id=bench-cycles`, () => {}), 10000, `cycle ${i} open`);
      await withTimeout(conn.close(), 10000, `cycle ${i} close`);
    }
    return { ms: now() - t0 };
  },

  /** Bytes of every wasm memory instantiated on this page (0 when there is none). */
  wasmBytes: () => memories.reduce((a, m) => a + m.buffer.byteLength, 0),

  /**
   * Server restart: the server resets every connection and stays down `down` ms. As soon as
   * the library reports the socket is no longer OPEN, `k` messages are sent (they must be
   * queued); measured until all k echoes are back.
   */
  async recovery({ down, k }) {
    let sink = () => {};
    const conn = await withTimeout(api.open(`${wsBase}/echo?id=bench-recovery`, (d) => sink(d)), 10000, 'open');
    const tAsk = now();
    const res = await fetch(`/control/restart?down=${down}`);
    await res.text();
    const tRestart = now();
    while (conn.state() === 1) {
      if (now() - tRestart > 5000) throw new Error('the drop was not noticed within 5 s');
      await sleep(1);
    }
    const tDrop = now();
    let got = 0;
    const done = new Promise((resolve) => {
      sink = (d) => {
        if (typeof d === 'string' && d.startsWith('queued-') && ++got === k) resolve();
      };
    });
    for (let i = 0; i < k; i++) conn.send(`queued-${i}`);
    await withTimeout(done, 20000, `the ${k} queued messages (${got} came back)`);
    const tEnd = now();
    sink = () => {};
    await conn.close();
    return { ms: tEnd - tRestart, sinceDropMs: tEnd - tDrop, askMs: tRestart - tAsk, minDelay: RESILIENCE.minDelay };
  },
};

// mpsocket's JavaScript edge: the public API, carried in JS, decided in Rust.
//
// Rust (the wasm module `w`) makes every decision: validation and every errMsg, the queue and
// its policy, heartbeat, reconnect, network awareness, the live-task limit and the bound task.
// This file only carries objects: it reads option objects once (each key in its own try),
// holds listener arrays and calls them, builds {data} and the other payloads, owns the
// sockets' event handlers, and settles success/fail/complete or a Promise in a microtask.
//
// Hot paths. A received message costs no wasm call: a counter is bumped for the heartbeat and
// the listeners are called here. A send on an OPEN task without a queue costs none either (Rust
// keeps a flag, `_direct`, saying that is allowed); otherwise one call, `w.send`, decides.
//
// Exception safety. Nothing foreign runs while Rust is on the stack: listeners and callbacks
// run only from `drain()` and the microtask queue, and what touches a socket (open, with a
// `url` function called first; send; close; the heartbeat message) is queued by Rust and
// carried out by `flush()` after Rust has returned (a timer passes the socket's
// bufferedAmount in; only an online/offline change has Rust read it, with nothing borrowed
// and no task running). Everything foreign (user callbacks,
// getters, Proxies, an injected WebSocket's constructor, methods and getters, console) is
// called inside a try. The three "busy" flags below are reset in `finally`.

export function makeApi(w, node) {
  'use strict';
  const G = globalThis;
  const THREW = { threw: true }; // an option whose getter threw
  const OBJ = { obj: true }; // an object option, snapshotted in a sub-array slot
  w.boot(makeEdge(), THREW, OBJ, !!node);
  const OK = w.msgs(); // connectSocket:ok, sendSocketMessage:ok, closeSocket:ok, getNetworkType:ok
  const noop = () => {};

  const report = (...parts) => {
    try {
      console.error(...parts);
    } catch (_) {
      /* console itself threw */
    }
  };
  const errText = (e) => {
    try {
      return e && typeof e.message === 'string' ? e.message : String(e);
    } catch (_) {
      return '';
    }
  };
  const read = (o, k) => {
    try {
      return o[k];
    } catch (_) {
      return THREW;
    }
  };
  const fn = (f) => (typeof f === 'function' ? f : undefined);
  const tryRead = (get) => {
    try {
      return get();
    } catch (_) {
      return undefined;
    }
  };

  // ------------------------------------------------------------ settling callbacks (async)
  const jobs = [];
  let jobsScheduled = false;
  const schedule =
    typeof G.queueMicrotask === 'function' ? (f) => G.queueMicrotask(f) : (f) => Promise.resolve().then(f);
  function runJobs() {
    try {
      for (let i = 0; i < jobs.length; i += 3) {
        try {
          jobs[i](jobs[i + 1]);
        } catch (e) {
          report(jobs[i + 2], e);
        }
      }
    } finally {
      jobs.length = 0;
      jobsScheduled = false;
    }
  }
  function later(f, arg, ctx) {
    jobs.push(f, arg, ctx);
    if (!jobsScheduled) {
      jobsScheduled = true;
      schedule(runJobs);
    }
  }
  // A reply is {s, f, c} (callbacks) or {p, j} (Promise), or null: nobody listens.
  function ok(r, res) {
    if (!r) return;
    if (r.p) return later(r.p, res, 'mpsocket: resolve threw');
    if (r.s) later(r.s, res, 'mpsocket: success callback threw');
    if (r.c) later(r.c, res, 'mpsocket: complete callback threw');
  }
  function log(level, msg) {
    try {
      if (level === 0) console.error(msg);
      else if (level === 1) console.warn(msg);
      else console.debug(msg);
    } catch (_) {
      /* console itself threw */
    }
  }
  function ko(r, msg) {
    const res = { errMsg: msg };
    if (!r) return later(() => log(0, 'mpsocket: ' + msg), undefined, ''); // never silent
    if (r.p) return later(r.j, res, 'mpsocket: reject threw');
    if (r.f) later(r.f, res, 'mpsocket: fail callback threw');
    if (r.c) later(r.c, res, 'mpsocket: complete callback threw');
  }
  function replyOf(o) {
    if (o === null || (typeof o !== 'object' && typeof o !== 'function')) return null;
    const s = fn(read(o, 'success'));
    const f = fn(read(o, 'fail'));
    const c = fn(read(o, 'complete'));
    return s || f || c ? { s, f, c } : null;
  }
  // For the APIs that return a Promise when no callback is given.
  function replyOrPromise(o) {
    const r = replyOf(o);
    if (r) return [r, undefined];
    let p, j;
    const promise = new Promise((res, rej) => {
      p = res;
      j = rej;
    });
    return [{ p, j }, promise];
  }
  const settle = (r, rc, okMsg) => (rc < 0 ? ko(r, w.err()) : ok(r, { errMsg: okMsg }));

  // ------------------------------------------------------------ events (run by drain)
  const LISTS = 5; // open, message, error, close, reconnecting
  const CTX = [
    'mpsocket: an onOpen listener threw',
    'mpsocket: an onMessage listener threw',
    'mpsocket: an onError listener threw',
    'mpsocket: an onClose listener threw',
    'mpsocket: an onReconnecting listener threw',
  ];
  const legacy = [null, null, null, null]; // onSocketOpen/Message/Error/Close: one slot each
  let boundTask = null;
  const netLs = [[], []]; // onNetworkStatusChange, onNetworkWeakChange
  const box = []; // queued events: task, list, payload, bound
  let draining = false;
  function call(f, p, ctx) {
    try {
      f(p);
    } catch (e) {
      report(ctx, e);
    }
  }
  function dispatch(t, i, p, bound) {
    if (t === null) {
      const ls = netLs[i];
      for (let k = 0; k < ls.length; k++) call(ls[k], p, 'mpsocket: a network listener threw');
      return;
    }
    if (i === 0) p = openPayload(t, p);
    const ls = t._ls[i];
    for (let k = 0; k < ls.length; k++) call(ls[k], p, CTX[i]);
    if (bound && i < 4 && legacy[i]) call(legacy[i], p, CTX[i]);
    if (i === 3) {
      // Final: every listener goes; later calls on the task fail or are ignored.
      t._dead = true;
      t._ls = emptyLists();
      t._sock = null;
      for (let k = 0; k < 4; k++) clearTimeout(t._tm[k]);
    }
  }
  // Socket actions first, then the events; a listener's own calls flush theirs on return.
  function drain() {
    flush();
    if (draining || box.length === 0) return;
    draining = true;
    try {
      for (let i = 0; i < box.length; i += 4) dispatch(box[i], box[i + 1], box[i + 2], box[i + 3]);
    } finally {
      box.length = 0;
      draining = false;
    }
  }
  const emptyLists = () => [[], [], [], [], []];

  // ------------------------------------------------------------ payload types
  const AB = ArrayBuffer;
  const getter = (proto, k) => {
    const d = proto && Object.getOwnPropertyDescriptor(proto, k);
    return d && d.get;
  };
  // Brand-checked accessors: a shadowed `byteLength` or a spoofed Symbol.toStringTag can't
  // fool them, and a Proxy fails them without running user code.
  const abLen = getter(AB.prototype, 'byteLength');
  const SAB = G.SharedArrayBuffer;
  const sabLen = SAB && getter(SAB.prototype, 'byteLength');
  const TA = Object.getPrototypeOf(Uint8Array.prototype);
  const taBuf = getter(TA, 'buffer');
  const taOff = getter(TA, 'byteOffset');
  const taLen = getter(TA, 'byteLength');
  const dvBuf = getter(DataView.prototype, 'buffer');
  const dvOff = getter(DataView.prototype, 'byteOffset');
  const dvLen = getter(DataView.prototype, 'byteLength');
  let LEN = 0; // the length found by kindOf
  // 0 string, 1 ArrayBuffer, 2 not sendable, 3 unreadable, 4 view, 5 SharedArrayBuffer
  function kindOf(d) {
    if (typeof d === 'string') {
      LEN = d.length;
      return 0;
    }
    if (d === THREW) return 3;
    if (d === null || typeof d !== 'object') return 2;
    // Views first: a failed brand check throws, and throwing per message is slow.
    if (AB.isView(d)) {
      try {
        LEN = taLen.call(d);
      } catch (_) {
        try {
          LEN = dvLen.call(d);
        } catch (_) {
          return 2; // a DataView on a detached buffer
        }
      }
      return 4;
    }
    try {
      LEN = abLen.call(d);
      return 1;
    } catch (_) {
      /* not an ArrayBuffer */
    }
    if (sabLen) {
      try {
        LEN = sabLen.call(d);
        return 5;
      } catch (_) {
        /* not a SharedArrayBuffer */
      }
    }
    return 2;
  }
  // A fresh ArrayBuffer holding exactly the bytes of `d` (kind 1, 4 or 5). May throw (a
  // detached buffer): callers catch.
  function copyOf(d, k) {
    if (k !== 4) return new Uint8Array(d, 0, LEN).slice().buffer;
    let buf, off;
    try {
      buf = taBuf.call(d);
      off = taOff.call(d);
    } catch (_) {
      buf = dvBuf.call(d);
      off = dvOff.call(d);
    }
    return new Uint8Array(buf, off, LEN).slice().buffer;
  }
  function utf8(s) {
    let n = s.length;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdbff) ? 2 : 1;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          n += 1; // 4 bytes for the pair: 1 (above) + 1 + the pair's 2 units
          i++;
        }
      }
    }
    return n;
  }
  function buffered(t) {
    try {
      const b = t._sock ? t._sock.bufferedAmount : 0;
      return typeof b === 'number' ? b : 0;
    } catch (_) {
      return 0;
    }
  }

  // ------------------------------------------------------------ sending
  // The socket still reports OPEN (a close may be on its way: the browser would drop bytes
  // sent now after reporting them sent). Unreadable or odd values count as open.
  function sockOpen(t) {
    try {
      const r = t._sock.readyState;
      return r === 1 || typeof r !== 'number';
    } catch (_) {
      return true;
    }
  }
  function sendOn(t, d, r, legacyCall) {
    const k = kindOf(d);
    const closing = t !== null && t._rs === 1 && t._sock !== null && !sockOpen(t);
    if (t !== null && t._direct && !acting && !closing && k !== 2 && k !== 3 && k !== 5) {
      // OPEN, nothing queued or held, no queue: straight to the socket.
      try {
        t._sock.send(d);
      } catch (e) {
        return ko(r, w.sendError(errText(e)));
      }
      if (r !== null) ok(r, { errMsg: OK[1] });
      return;
    }
    const queued = t !== null && (t._f & 1) !== 0;
    let data = d;
    let kind = k === 0 ? 0 : k === 2 || k === 3 ? k : 1;
    if (k === 5 || (queued && (k === 1 || k === 4))) {
      // Kept for a resend (or not sendable as is): a copy of exactly the bytes sent now.
      try {
        data = copyOf(d, k);
      } catch (e) {
        return ko(r, w.sendError(errText(e)));
      }
    }
    // While socket actions are being carried out, the message queues behind them (flag 8).
    const flags = legacyCall | (queued ? 2 : 0) | (closing ? 4 : 0) | (acting ? 8 : 0);
    const rc = w.send(t === null ? 0 : t._id, kind, LEN, data, r, flags, queued ? buffered(t) : 0);
    if (rc > 0) {
      try {
        t._sock.send(k === 5 ? data : d);
      } catch (e) {
        ko(r, w.unsent(t._id, rc, errText(e)));
        return drain();
      }
      if (r !== null) ok(r, { errMsg: OK[1] });
    } else if (rc < 0) {
      ko(r, w.err());
    }
    drain();
  }
  function send(t, o, legacyCall, r) {
    let d;
    if (o !== null && typeof o === 'object') {
      try {
        d = o.data;
      } catch (_) {
        d = THREW;
      }
    }
    return sendOn(t, d, r, legacyCall);
  }

  // ------------------------------------------------------------ sockets
  function ended(t, conn, isClose, code, reason) {
    if (t._conn !== conn) return;
    let allow = true;
    if (t._should && w.wouldReconnect(t._id, conn)) {
      try {
        allow = !!t._should(isClose ? code : 1006, isClose ? reason : '');
      } catch (e) {
        report('mpsocket: shouldReconnect threw; reconnecting anyway', e);
      }
    }
    w.ended(t._id, conn, isClose, typeof code === 'number' ? code : NaN, typeof reason === 'string' ? reason : '', buffered(t), allow);
    drain();
  }
  function isPong(t, d) {
    const p = t._pong;
    if (typeof p === 'string') return d === p;
    try {
      return !!p(d);
    } catch (e) {
      report('mpsocket: the heartbeat pong predicate threw', e);
      return false;
    }
  }
  function attach(t, s, conn) {
    s.binaryType = 'arraybuffer';
    s.onopen = () => {
      if (t._conn !== conn) return;
      t._end = Date.now();
      w.opened(t._id, conn);
      drain();
    };
    s.onmessage = (ev) => {
      if (t._conn !== conn) return;
      let d;
      try {
        d = ev.data;
      } catch (_) {
        return;
      }
      t._rx++;
      if ((t._f & 2) !== 0) {
        const pong = isPong(t, d);
        if (pong || t._notify) {
          w.inbound(t._id, pong);
          drain();
          if (pong && (t._f & 4) === 0) return;
        }
      }
      const p = { data: d };
      const ls = t._ls[1];
      for (let i = 0; i < ls.length; i++) {
        try {
          ls[i](p);
        } catch (e) {
          report(CTX[1], e);
        }
      }
      if (t._bound && legacy[1]) call(legacy[1], p, CTX[1]);
    };
    s.onerror = () => ended(t, conn, false, 1006, '');
    s.onclose = (ev) => {
      let code = 1006;
      let reason = '';
      try {
        code = ev.code;
        reason = ev.reason;
      } catch (_) {
        /* no event, or a throwing getter: an abnormal closure */
      }
      ended(t, conn, true, code, reason);
    };
  }
  function nodeOptions(t) {
    const o = {};
    if (t._hdr) o.headers = t._hdr;
    if (t._insecure) o.rejectUnauthorized = false;
    return o;
  }

  // ------------------------------------------------------------ socket actions
  // Queued by Rust (open, close, abandon, transmit, ping), carried out here in order once
  // Rust has returned: a socket or a url function that re-enters finds Rust idle, and what
  // it asks for queues behind the action in progress.
  const acts = []; // kind, task, a, b, c, d
  let acting = false;
  function flush() {
    if (acting || acts.length === 0) return;
    acting = true;
    try {
      for (let i = 0; i < acts.length; i += 6) {
        try {
          act(acts[i], acts[i + 1], acts[i + 2], acts[i + 3], acts[i + 4], acts[i + 5]);
        } catch (e) {
          report('mpsocket: internal error', e);
        }
      }
    } finally {
      acts.length = 0;
      acting = false;
    }
  }
  function act(k, t, a, b, c, d) {
    if (k === 0) return openSocket(t, a, b, c, d);
    const s = t._sock;
    if (k === 1) {
      // close socket a with code b, reason c
      if (s !== null && t._conn === a) {
        try {
          return s.close(b, c);
        } catch (e) {
          report('mpsocket: WebSocket.close threw', e);
        }
      }
      // Nothing to wait for: the close is complete.
      return w.ended(t._id, a, true, b, c, 0, false);
    }
    if (k === 2) {
      t._sock = null;
      t._conn = -1; // its late events are ignored; its handlers stay, so it can't throw on them
      if (s !== null) {
        try {
          // Don't wait for a close handshake a dead peer never answers: Node's ws can drop
          // the connection at once (browsers have no such call; they close in the background).
          if (typeof s.terminate === 'function') s.terminate();
          else s.close();
        } catch (_) {
          /* already closed, or hostile */
        }
      }
      return;
    }
    if (k === 3) {
      // transmit data a, reply b, message c
      try {
        s.send(a);
      } catch (e) {
        return ko(b || null, w.unsent(t._id, c, errText(e)));
      }
      return ok(b || null, { errMsg: OK[1] });
    }
    // k === 4: the heartbeat message
    if (s === null) return;
    let m = t._ping;
    if (typeof m === 'function') {
      try {
        m = m();
      } catch (e) {
        return report('mpsocket: the heartbeat message function threw', e);
      }
    }
    try {
      s.send(m);
    } catch (e) {
      report('mpsocket: sending the heartbeat failed', e);
    }
  }
  function openSocket(t, conn, url, protocols, Ctor) {
    if (typeof url === 'function') {
      // A fresh URL per attempt (a token refresh); Rust checks what it returned.
      let u;
      try {
        u = url();
      } catch (e) {
        report('mpsocket: the url function threw', e);
        return failLater(t, conn);
      }
      const rc = w.opening(t._id, conn, u);
      if (rc < 0) return failLater(t, conn);
      if (rc === 0) return;
      url = u;
    }
    t._conn = conn;
    t._url = url;
    t._start = Date.now();
    t._end = 0;
    let s = null;
    try {
      s =
        (t._f & 8) !== 0
          ? new Ctor(url, protocols, nodeOptions(t))
          : protocols === undefined
            ? new Ctor(url)
            : new Ctor(url, protocols);
      if (s === null || (typeof s !== 'object' && typeof s !== 'function')) {
        throw new TypeError('the WebSocket constructor did not return an object');
      }
      attach(t, s, conn);
      t._sock = s;
    } catch (e) {
      report('mpsocket: could not create the WebSocket', e);
      if (s !== null && typeof s === 'object') {
        try {
          s.onerror = noop; // Node's ws throws on an 'error' nobody listens to
          s.close();
        } catch (_) {
          /* a hostile object */
        }
      }
      failLater(t, conn);
    }
  }
  // Connection `conn` failed: reported from a microtask (listeners registered in the same
  // tick as connectSocket must hear it).
  function failLater(t, conn) {
    t._conn = conn;
    later(() => ended(t, conn, false, 1006, ''), undefined, 'mpsocket:');
  }
  // The open event's payload, read from the socket when it is dispatched.
  function openPayload(t, p) {
    let proto = '';
    let ext = '';
    try {
      proto = String(p.s.protocol || '');
      ext = String(p.s.extensions || '');
    } catch (_) {
      /* unreadable: empty */
    }
    const end = t._end || Date.now();
    return {
      header: { 'sec-websocket-protocol': proto, 'sec-websocket-extensions': ext },
      profile: {
        fetchStart: t._start,
        domainLookUpStart: 0,
        domainLookUpEnd: 0,
        connectStart: t._start,
        connectEnd: end,
        rtt: 0,
        handshakeCost: 0,
        cost: t._start > 0 ? end - t._start : 0,
      },
      isReconnect: p.a === 1,
    };
  }

  // What Rust calls (see src/web/edge.rs). None of these throws or runs foreign code.
  function makeEdge() {
    return {
      setup(t, id, flags, ping, pong, should) {
        t._id = id;
        t._f = flags;
        t._ping = ping;
        t._pong = pong;
        t._should = should;
      },
      state(t, rs, direct) {
        t._rs = rs;
        t._direct = direct;
      },
      notify(t, on) {
        t._notify = on;
      },
      bind(t, on) {
        t._bound = on;
        if (on) boundTask = t;
        else if (boundTask === t) boundTask = null;
      },
      open(t, conn, url, protocols, Ctor) {
        acts.push(0, t, conn, url, protocols, Ctor);
      },
      setTimer(t, k, ms) {
        clearTimeout(t._tm[k]);
        t._tm[k] = setTimeout(() => {
          t._tm[k] = 0;
          // The socket's bufferedAmount (a getter: read here, not from Rust) and the inbound count.
          w.fire(t._id, k, buffered(t), t._rx >>> 0);
          drain();
        }, ms);
      },
      clearTimer(t, k) {
        clearTimeout(t._tm[k]);
        t._tm[k] = 0;
      },
      watch() {
        // One set of listeners per page, kept for its life: 0 offline, 1 online, 2 a
        // connection change, 3 visibility.
        const on = (target, type, kind) => {
          try {
            if (target && typeof target.addEventListener === 'function') {
              target.addEventListener(type, () => {
                w.netEvent(kind);
                drain();
              });
            }
          } catch (e) {
            report('mpsocket: addEventListener failed', e);
          }
        };
        let nav, doc;
        try {
          nav = G.navigator;
          doc = G.document;
        } catch (_) {
          /* no such globals */
        }
        on(G, 'offline', 0);
        on(G, 'online', 1);
        try {
          on(nav && nav.connection, 'change', 2);
        } catch (_) {
          /* unreadable */
        }
        on(doc, 'visibilitychange', 3);
      },
      // The runtime's signals, read here so that Rust reads no property by name.
      onLine() {
        const v = tryRead(() => G.navigator.onLine);
        return typeof v === 'boolean' ? v : undefined;
      },
      connType() {
        const v = tryRead(() => G.navigator.connection.type);
        return typeof v === 'string' ? v : undefined;
      },
      effectiveType() {
        const v = tryRead(() => G.navigator.connection.effectiveType);
        return typeof v === 'string' ? v : undefined;
      },
      visible: () => tryRead(() => G.document.visibilityState) === 'visible',
      globalSocket: () => tryRead(() => G.WebSocket),
      urlOk(url) {
        const URL_ = tryRead(() => G.URL);
        if (typeof URL_ !== 'function') return true;
        try {
          new URL_(url);
          return true;
        } catch (_) {
          return false;
        }
      },
      close(t, conn, code, reason) {
        acts.push(1, t, conn, code, reason, undefined);
      },
      abandon(t) {
        acts.push(2, t, undefined, undefined, undefined, undefined);
      },
      transmit(t, data, r, seq) {
        acts.push(3, t, data, r, seq, undefined);
      },
      ping(t) {
        acts.push(4, t, undefined, undefined, undefined, undefined);
      },
      log: (level, msg) => later(() => log(level, msg), undefined, ''),
      fail(r, msg) {
        ko(r || null, msg);
      },
      buffered,
      utf8: (d) => (typeof d === 'string' ? utf8(d) : 0),
      emit(t, kind, a, b, c, s) {
        let p;
        if (kind === 0) p = { s: t._sock, a }; // read when dispatched (see openPayload)
        else if (kind === 1) p = { errMsg: s };
        else if (kind === 2) p = { code: a, reason: s };
        else p = { attempt: a, delay: b, code: c, reason: s };
        const list = kind === 0 ? 0 : kind === 1 ? 2 : kind === 2 ? 3 : 4;
        box.push(t, list, p, t._bound);
      },
      net(connected, type, weakNet, status, weak) {
        if (status) box.push(null, 0, { isConnected: connected, networkType: type }, false);
        if (weak) box.push(null, 1, { weakNet, networkType: type }, false);
      },
      drain,
    };
  }

  // ------------------------------------------------------------ the task
  // Copy-on-write: a dispatch in progress keeps iterating its own array. (No concat: it
  // reads Symbol.isConcatSpreadable, which a Proxy listener can make throw.)
  const added = (a, f) => {
    const b = a.slice();
    b.push(f);
    return b;
  };
  const listen = (t, i, f, name) => {
    if (typeof f !== 'function') return report('mpsocket: ' + name + ' expects a function; ignored');
    if (!t._dead) t._ls[i] = added(t._ls[i], f);
  };
  // Without a listener: all of them go; otherwise its first registration.
  const removed = (a, f) => {
    if (f === undefined || f === null) return [];
    const j = a.indexOf(f);
    if (j < 0) return a;
    const b = a.slice();
    b.splice(j, 1);
    return b;
  };
  const unlisten = (t, i, f) => {
    t._ls[i] = removed(t._ls[i], f);
  };
  function closeOptions(o) {
    if (o === null || (typeof o !== 'object' && typeof o !== 'function')) return [undefined, undefined];
    return [read(o, 'code'), read(o, 'reason')];
  }

  /** A WebSocket connection with the mini-program `SocketTask` interface. */
  class SocketTask {
    constructor() {
      this._id = 0;
      this._f = 0;
      this._ls = emptyLists();
      this._sock = null;
      this._conn = -1;
      this._rx = 0;
      this._rs = 0;
      this._direct = false;
      this._notify = false;
      this._bound = false;
      this._dead = false;
      this._url = null;
      this._start = 0;
      this._end = 0;
      this._ping = undefined;
      this._pong = undefined;
      this._should = undefined;
      this._hdr = undefined;
      this._insecure = false;
      this._tm = [0, 0, 0, 0]; // timer handles: connect, close, backoff, heartbeat
    }
    send(o) {
      send(this, o, 0, replyOf(o));
    }
    close(o) {
      const [code, reason] = closeOptions(o);
      const r = replyOf(o);
      settle(r, w.close(this._id, code, reason), OK[2]);
      drain();
    }
    onOpen(f) {
      listen(this, 0, f, 'SocketTask.onOpen');
    }
    onMessage(f) {
      listen(this, 1, f, 'SocketTask.onMessage');
    }
    onError(f) {
      listen(this, 2, f, 'SocketTask.onError');
    }
    onClose(f) {
      listen(this, 3, f, 'SocketTask.onClose');
    }
    onReconnecting(f) {
      listen(this, 4, f, 'SocketTask.onReconnecting');
    }
    offOpen(f) {
      unlisten(this, 0, f);
    }
    offMessage(f) {
      unlisten(this, 1, f);
    }
    offError(f) {
      unlisten(this, 2, f);
    }
    offClose(f) {
      unlisten(this, 3, f);
    }
    offReconnecting(f) {
      unlisten(this, 4, f);
    }
    get readyState() {
      return this._rs;
    }
    get queueLength() {
      return this._dead ? 0 : w.info(this._id, 0);
    }
    get reconnectAttempt() {
      return this._dead ? 0 : w.info(this._id, 1);
    }
    get lastRtt() {
      const r = this._dead ? NaN : w.info(this._id, 2);
      return r === r ? r : undefined;
    }
    get url() {
      return this._url;
    }
    get socketTaskId() {
      return this._id;
    }
    get socket() {
      return this._sock;
    }
    /** `using task = connectSocket(...)` closes the task at the end of the scope. */
    [Symbol.dispose || Symbol.for('Symbol.dispose')]() {
      if (!this._dead && this._rs !== 3) this.close();
    }
  }
  for (const [k, v] of [
    ['CONNECTING', 0],
    ['OPEN', 1],
    ['CLOSING', 2],
    ['CLOSED', 3],
  ]) {
    Object.defineProperty(SocketTask.prototype, k, { value: v, enumerable: true });
  }

  // ------------------------------------------------------------ option snapshot
  const KEYS = ['url', 'header', 'protocols', 'timeout', 'queue', 'heartbeat', 'reconnect', 'WebSocket', 'debug', 'sslVerify'];
  const SUBS = [
    ['maxMessages', 'maxBytes', 'policy'],
    ['interval', 'timeout', 'message', 'pong', 'deliverPongs'],
    ['minDelay', 'maxDelay', 'factor', 'jitter', 'maxRetries', 'minUptime', 'shouldReconnect'],
  ];
  const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  function snapshot(o, t) {
    try {
      if (!isPlainObject(o)) return [o];
    } catch (_) {
      return [THREW]; // a revoked Proxy
    }
    const a = new Array(13);
    for (let i = 0; i < KEYS.length; i++) a[i] = read(o, KEYS[i]);
    try {
      const h = a[1];
      if (isPlainObject(h)) {
        const copy = {};
        for (const k of Object.keys(h)) copy[k] = String(h[k]);
        t._hdr = copy;
        a[1] = Object.keys(copy).length;
      }
    } catch (_) {
      a[1] = THREW;
    }
    try {
      const p = a[2];
      if (p !== THREW && Array.isArray(p)) {
        const n = p.length;
        if (!(n <= 1024)) throw new RangeError('too many protocols');
        const copy = [];
        for (let i = 0; i < n; i++) copy.push(read(p, i));
        a[2] = copy;
      }
    } catch (_) {
      a[2] = THREW;
    }
    for (let i = 0; i < 3; i++) {
      const v = a[4 + i];
      try {
        if (isPlainObject(v)) {
          a[4 + i] = OBJ;
          a[10 + i] = SUBS[i].map((k) => read(v, k));
        }
      } catch (_) {
        a[4 + i] = THREW;
      }
    }
    t._insecure = a[9] === false;
    return a;
  }

  // ------------------------------------------------------------ the API
  let lastFail = '';
  function connect(o, resilient) {
    const t = new SocketTask();
    const a = snapshot(o, t);
    const r = replyOf(o);
    const id = w.connect(t, a, resilient);
    if (id > 0) {
      if (typeof a[0] === 'string') t._url = t._url || a[0];
      ok(r, { errMsg: OK[0], socketTaskId: id });
      drain();
      return t;
    }
    const msg = (lastFail = w.err());
    ko(r, msg);
    drain();
    if (id === 0) return undefined;
    // Over the live-task limit: a CLOSED task, as WeChat returns.
    t._id = -id;
    t._rs = 3;
    t._dead = true;
    t._ls = emptyLists();
    return t;
  }
  const connectSocket = (o) => connect(o, false);
  const createSocketTask = (o) => connect(o, true);
  function sendSocketMessage(o) {
    const [r, promise] = replyOrPromise(o);
    send(boundTask, o, 1, r);
    return promise;
  }
  function closeSocket(o) {
    const [r, promise] = replyOrPromise(o);
    const [code, reason] = closeOptions(o);
    settle(r, w.closeAll(code, reason), OK[2]);
    drain();
    return promise;
  }
  const setLegacy = (i, name) => (f) => {
    if (typeof f === 'function') legacy[i] = f;
    else report('mpsocket: ' + name + ' expects a function; ignored');
  };
  const onSocketOpen = setLegacy(0, 'onSocketOpen');
  const onSocketMessage = setLegacy(1, 'onSocketMessage');
  const onSocketError = setLegacy(2, 'onSocketError');
  const onSocketClose = setLegacy(3, 'onSocketClose');
  function getNetworkType(o) {
    const [r, promise] = replyOrPromise(o);
    const s = w.netStatus();
    ok(r, { errMsg: OK[3], networkType: s[1], signalStrength: 0, hasSystemProxy: false, weakNet: s[2] });
    return promise;
  }
  const onNet = (i, name) => (f) => {
    if (typeof f !== 'function') return report('mpsocket: ' + name + ' expects a function; ignored');
    netLs[i] = added(netLs[i], f);
    w.watchNetwork();
  };
  const offNet = (i) => (f) => {
    netLs[i] = removed(netLs[i], f);
  };
  const onNetworkStatusChange = onNet(0, 'onNetworkStatusChange');
  const offNetworkStatusChange = offNet(0);
  const onNetworkWeakChange = onNet(1, 'onNetworkWeakChange');
  const offNetworkWeakChange = offNet(1);
  function configure(o) {
    if (o === null || typeof o !== 'object') return;
    if (w.configure(read(o, 'maxConnections'), read(o, 'WebSocket')) < 0) report('mpsocket: configure:', w.err());
  }
  const canIUse = (schema) => w.canIUse(schema);
  function stats() {
    const s = w.stats();
    return { heapBytes: s[0], externrefs: s[1], liveTasks: s[2], wasmBytes: s[3] };
  }

  // ------------------------------------------------------------ platform shims
  const WECHAT = {
    connectSocket,
    createSocketTask,
    getNetworkType,
    onNetworkStatusChange,
    offNetworkStatusChange,
    onNetworkWeakChange,
    offNetworkWeakChange,
    canIUse,
  };
  const LEGACY = { sendSocketMessage, closeSocket, onSocketOpen, onSocketMessage, onSocketError, onSocketClose };
  // Alipay: {error, errorMessage} failures, `multiple`, base64 legacy binary, offSocket*.
  function alipayResult(res) {
    let msg = '';
    try {
      msg = String(res.errMsg);
    } catch (_) {
      /* not ours */
    }
    const code = w.alipayCode(msg);
    return code === 0 ? res : { error: code, errorMessage: msg };
  }
  function alipayOptions(o) {
    if (o === null || typeof o !== 'object') return o;
    const copy = {};
    for (const k of ['url', 'header', 'protocols', 'timeout', 'queue', 'heartbeat', 'reconnect', 'WebSocket', 'debug', 'sslVerify', 'data', 'code', 'reason', 'success']) {
      const v = read(o, k);
      if (v !== undefined) copy[k] = v;
    }
    for (const k of ['fail', 'complete']) {
      const f = fn(read(o, k));
      if (f) copy[k] = (res) => f(alipayResult(res));
    }
    return copy;
  }
  const ALIPAY = {
    connectSocket: (o) => {
      const task = connect(alipayOptions(o), false);
      return o !== null && typeof o === 'object' && read(o, 'multiple') === true ? task : undefined;
    },
    createSocketTask: (o) => connect(alipayOptions(o), true),
    sendSocketMessage(o) {
      const c = alipayOptions(o);
      if (c !== null && typeof c === 'object' && read(o, 'isBuffer') === true) {
        const bytes = typeof c.data === 'string' ? w.b64dec(c.data) : undefined;
        c.data = bytes === undefined ? null : bytes.buffer;
      }
      return sendSocketMessage(c);
    },
    closeSocket: (o) => closeSocket(alipayOptions(o)),
    onSocketOpen,
    onSocketMessage(f) {
      if (typeof f !== 'function') return onSocketMessage(f);
      onSocketMessage((res) => {
        const d = res.data;
        f(typeof d === 'string' ? { data: d, isBuffer: false } : { data: w.b64enc(new Uint8Array(d)), isBuffer: true });
      });
    },
    onSocketError,
    onSocketClose,
    offSocketOpen: () => (legacy[0] = null),
    offSocketMessage: () => (legacy[1] = null),
    offSocketError: () => (legacy[2] = null),
    offSocketClose: () => (legacy[3] = null),
    getNetworkType: (o) => getNetworkType(alipayOptions(o)),
    onNetworkStatusChange,
    offNetworkStatusChange,
    canIUse,
  };
  // Taro: connectSocket returns a Promise of the task, rejected with {errMsg} on failure.
  const TARO = Object.assign({}, WECHAT, LEGACY, {
    connectSocket(o) {
      const t = connect(o, false);
      return t === undefined || t._dead ? Promise.reject({ errMsg: lastFail }) : Promise.resolve(t);
    },
  });
  // build-pkg.sh makes one shim per entry of this list.
  const PLATFORMS_LIST = ['wx', 'qq', 'tt', 'swan', 'uni', 'my', 'taro'];
  const PLATFORMS = {
    wx: Object.assign({}, WECHAT, LEGACY),
    qq: Object.assign({}, WECHAT, LEGACY),
    swan: Object.assign({}, WECHAT, LEGACY),
    uni: Object.assign({}, WECHAT, LEGACY),
    tt: WECHAT,
    my: ALIPAY,
    taro: TARO,
  };
  function put(ns, k, v, overwrite) {
    try {
      if (overwrite || !(k in ns)) ns[k] = v;
    } catch (_) {
      /* a frozen or hostile object: leave it */
    }
  }
  /**
   * Puts the API on `target[platform]` (default `globalThis.wx`), creating the object if
   * missing and keeping the members it already has unless `overwrite`. Returns that object,
   * or undefined (with a console.error) for an unknown platform or a bad target.
   */
  function install(target, options) {
    try {
      const tgt = target === undefined || target === null ? G : target;
      if (typeof tgt !== 'object' && typeof tgt !== 'function') {
        report('mpsocket:', 'install(target) needs an object (or nothing, for globalThis)');
        return undefined;
      }
      const name = options !== null && typeof options === 'object' ? read(options, 'platform') : undefined;
      const p = name === undefined ? 'wx' : name;
      const fns = typeof p === 'string' && Object.prototype.hasOwnProperty.call(PLATFORMS, p) ? PLATFORMS[p] : null;
      if (fns === null) {
        report('mpsocket:', 'install: platform must be one of ' + PLATFORMS_LIST.join(', '));
        return undefined;
      }
      const overwrite = options !== null && typeof options === 'object' && read(options, 'overwrite') === true;
      let ns = tgt[p];
      if (ns === null || (typeof ns !== 'object' && typeof ns !== 'function')) {
        ns = {};
        tgt[p] = ns;
      }
      for (const k of Object.keys(fns)) put(ns, k, fns[k], overwrite);
      if (p === 'wx') {
        let rtc = ns.rtc;
        if (rtc === null || typeof rtc !== 'object') {
          rtc = {};
          put(ns, 'rtc', rtc, true);
        }
        put(rtc, 'createSocketTask', createSocketTask, overwrite);
        put(rtc, 'sendSocketMessage', sendSocketMessage, overwrite);
        put(rtc, 'onSocketMessage', onSocketMessage, overwrite);
        put(rtc, '__mpsocketAlias', 'wx.rtc is not a WeChat API: it is mpsocket\'s alias for the article\'s code', overwrite);
      }
      return ns;
    } catch (e) {
      report('mpsocket: install failed', e);
      return undefined;
    }
  }

  return {
    connectSocket,
    createSocketTask,
    sendSocketMessage,
    closeSocket,
    onSocketOpen,
    onSocketMessage,
    onSocketError,
    onSocketClose,
    getNetworkType,
    onNetworkStatusChange,
    offNetworkStatusChange,
    onNetworkWeakChange,
    offNetworkWeakChange,
    configure,
    canIUse,
    install,
    SocketTask,
    __stats: stats,
  };
}

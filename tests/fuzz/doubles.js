// Hostile WebSocket classes for the `WebSocket` option and configure({WebSocket}).
// Runtime-neutral; `env.WebSocketClass` is the real class (the browser's, or npm `ws` in Node)
// that the wrapping doubles delegate to.
import { FuzzError, throwingGetters, throwingProxy, revokedProxy } from './values.js';

const boom = (what) => () => {
  throw new FuzzError(what);
};
const later = (fn, ms = 0) => setTimeout(fn, ms);
const EVENTS = ['open', 'message', 'error', 'close'];

/** A wrapper over the real class with overridable behaviour. */
function wrapper(Real, { send, close, ignoreNull = false, lateEvents = false, id } = {}) {
  return class WrappedSocket {
    static CONNECTING = 0;
    static OPEN = 1;
    static CLOSING = 2;
    static CLOSED = 3;
    constructor(url, protocols, opts) {
      // a socket whose close() throws can't be closed by anyone: keep it out of the
      // server-side leak count (which looks at ?id=fz)
      if (id && typeof url === 'string') url = url.replace('id=fz', `id=${id}`);
      const ws = opts === undefined ? new Real(url, protocols) : new Real(url, protocols, opts);
      this._ws = ws;
      const handlers = {};
      for (const ev of EVENTS) {
        ws[`on${ev}`] = (e) => {
          handlers[ev]?.call(this, e);
          if (lateEvents && ev === 'close') {
            // fire everything again, later, to whatever handlers are still held
            later(() => {
              handlers.message?.call(this, { data: 'late message after close' });
              handlers.error?.call(this, {});
              handlers.close?.call(this, { code: 1006, reason: '', wasClean: false });
            }, 5);
          }
        };
        Object.defineProperty(this, `on${ev}`, {
          get: () => handlers[ev] ?? null,
          set: (f) => {
            if (!ignoreNull || f != null) handlers[ev] = f;
          },
        });
      }
    }
    get readyState() { return this._ws.readyState; }
    get bufferedAmount() { return this._ws.bufferedAmount; }
    get protocol() { return this._ws.protocol; }
    get extensions() { return this._ws.extensions; }
    get url() { return this._ws.url; }
    get binaryType() { return this._ws.binaryType; }
    set binaryType(v) { this._ws.binaryType = v; }
    send(d) {
      if (send) return send.call(this, d);
      return this._ws.send(d);
    }
    close(c, r) {
      if (close) return close.call(this, c, r);
      return this._ws.close(c, r);
    }
  };
}

/** A fake socket with no network: opens on a timer, behaviour overridable. */
function fake({ open = (s) => s.onopen?.({}), send = () => {}, close, init } = {}) {
  return class FakeSocket {
    static CONNECTING = 0;
    static OPEN = 1;
    static CLOSING = 2;
    static CLOSED = 3;
    constructor(url, protocols) {
      this.url = String(url);
      this.protocols = protocols;
      this.readyState = 0;
      this.bufferedAmount = 0;
      this.protocol = '';
      this.extensions = '';
      this.binaryType = 'blob';
      this.onopen = this.onmessage = this.onerror = this.onclose = null;
      init?.(this);
      later(() => {
        if (this.readyState !== 0) return;
        this.readyState = 1;
        open(this);
      });
    }
    send(d) {
      return send(this, d);
    }
    close(code, reason) {
      if (close) return close(this, code, reason);
      if (this.readyState === 3) return undefined;
      this.readyState = 3;
      later(() => this.onclose?.({ code: code ?? 1005, reason: reason ?? '', wasClean: true }));
      return undefined;
    }
  };
}

export function socketDoubles(env) {
  const Real = env.WebSocketClass;
  const v = [];
  const add = (name, make) => v.push({ name: `WebSocket: ${name}`, make });

  add('constructor throws', () => class { constructor() { throw new FuzzError('WebSocket constructor throws'); } });
  add('constructor returns a frozen object', () => class {
    constructor() { return Object.freeze({ readyState: 0, bufferedAmount: 0, send() {}, close() {} }); }
  });
  add('every getter and setter throws', () => class {
    constructor() {
      const o = throwingGetters();
      for (const k of ['readyState', 'bufferedAmount', 'protocol', 'extensions', 'binaryType', 'onopen', 'onmessage', 'onerror', 'onclose']) {
        Object.defineProperty(o, k, { get: boom(`socket.${k} getter throws`), set: boom(`socket.${k} setter throws`) });
      }
      o.send = boom('socket.send throws');
      o.close = boom('socket.close throws');
      return o;
    }
  });
  add('ignores onX = null and fires late events', () => wrapper(Real, { ignoreNull: true, lateEvents: true }));
  add('calls every handler with no event', () => fake({
    open: (s) => {
      s.onopen?.();
      s.onmessage?.();
      s.onerror?.();
    },
    close: (s) => {
      s.readyState = 3;
      later(() => s.onclose?.());
    },
  }));
  add('send throws', () => wrapper(Real, { send: boom('socket.send throws') }));
  add('close throws', () => wrapper(Real, { close: boom('socket.close throws'), id: 'unclosable' }));
  add('synchronous echo and close (events fire inside send/close)', () => fake({
    send: (s, d) => s.onmessage?.({ data: d }),
    close: (s, code, reason) => {
      s.readyState = 3;
      s.onclose?.({ code: code ?? 1005, reason: reason ?? '', wasClean: true });
    },
  }));
  add('send fires onerror and onclose synchronously, then throws', () => fake({
    send: (s) => {
      s.readyState = 3;
      s.onerror?.({});
      s.onclose?.({ code: 1006, reason: '' });
      throw new FuzzError('socket.send throws after closing');
    },
  }));
  add('close() never fires onclose', () => fake({
    close: (s) => {
      s.readyState = 2;
    },
  }));
  add('hostile event objects and data', () => fake({
    open: (s) => {
      s.onopen?.(throwingGetters());
      for (const data of [Symbol('d'), {}, throwingProxy(), revokedProxy(), 12, null, undefined, new DataView(new ArrayBuffer(2)), new Uint16Array(3)]) {
        s.onmessage?.({ data });
      }
      s.onmessage?.(throwingGetters());
      s.onerror?.(throwingGetters());
      s.readyState = 3;
      s.onclose?.({ code: NaN, reason: Symbol('r'), wasClean: 'yes' });
      s.onclose?.({ code: 99999, reason: throwingProxy() });
      s.onclose?.(throwingGetters());
    },
  }));
  add('lying readyState/bufferedAmount/protocol', () => fake({
    init: (s) => {
      s.readyState = 1;
      s.bufferedAmount = NaN;
      s.protocol = Symbol('p');
      s.extensions = throwingProxy();
      Promise.resolve().then(() => s.onopen?.({}));
    },
    send: (s) => {
      s.bufferedAmount = Number.isNaN(s.bufferedAmount) ? -1 : 2 ** 53;
    },
  }));
  add('constructor re-enters connectSocket and closeSocket', (ctx) => class {
    constructor(url, protocols) {
      ctx.reenter('connectSocket');
      ctx.reenter('closeSocket');
      return new Real(url, protocols);
    }
  });
  add('constructor re-enters close() of its task (on reconnect)', (ctx) => class {
    constructor(url, protocols) {
      ctx.reenter('task.close');
      ctx.reenter('read every getter');
      return new Real(url, protocols);
    }
  });
  add('arrow function (not a constructor)', () => () => ({}));
  add('class {} (no send, no close)', () => class {});
  add('function returning 5 (new gives an empty object)', () => function F() { return 5; });
  add('class Proxy whose every trap throws', () => throwingProxy(function () {}));
  add('revoked class Proxy', () => revokedProxy(class {}));
  add('real class with throwing static constants', () => {
    class S extends Real {}
    for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Object.defineProperty(S, k, { get: boom(`WebSocket.${k} getter throws`) });
    return S;
  });
  return v;
}

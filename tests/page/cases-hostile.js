// Regression cases for the exception-safety defects of 0.1.0 (the JS<->wasm boundary rework),
// with hostile doubles rather than the happy path:
// - a console.error that throws must not stop later callbacks from settling;
// - a WebSocket class returning a frozen object: no throw, onError + onClose, no leaked slot;
// - a socket whose getters throw (bufferedAmount, readyState, protocol): the task still works
//   and closes;
// - a socket that ignores `onX = null` and calls stale handlers later: nothing breaks;
// - onclose called with no event: the task ends CLOSED with 1006;
// - a re-entrant send from inside a getter: the message is settled, never lost;
// - hostile send data (throwing Symbol.toStringTag, spoofed tag, shadowed byteLength) and a
//   Proxy as protocols: never a synchronous throw, a clear errMsg or the exact bytes;
// - the heartbeat is opt-in: no heartbeat timer unless `heartbeat` is given.

const CONNECT_FAILED = 'connectSocket:fail WebSocket connection failed';

/** A WebSocket class around the real one, with `tweak(socket)` applied to each instance. */
function wrapped(tweak) {
  return function Hostile(url, protocols) {
    const real = protocols === undefined ? new WebSocket(url) : new WebSocket(url, protocols);
    return tweak(real) || real;
  };
}

/** Creates `n` tasks with hostile constructors, then checks a fresh task still opens and echoes. */
async function stillWorks(h, what) {
  const { t, rec } = await h.open('/echo');
  const got = await h.echo(t, rec, `after ${what}`);
  h.eq(got.data, `after ${what}`, `after ${what}: a fresh task still echoes`);
}

export const hostileCases = [
  [
    'hostile: a console.error that throws does not stop later callbacks from settling',
    async (h) => {
      const { t, rec } = await h.open('/echo');
      t.onMessage(() => {
        throw new Error('listener boom');
      });
      const original = console.error;
      let reported = 0;
      console.error = () => {
        reported += 1;
        throw new Error('console.error boom');
      };
      try {
        await h.echo(t, rec, 'one'); // the throwing listener is reported through the throwing console
        await h.sleep(20);
      } finally {
        console.error = original;
      }
      h.ok(reported >= 1, `the throwing listener was reported (${reported})`);
      const got = await h.echo(t, rec, 'two');
      h.eq(got.data, 'two', 'a later send still settles and echoes');
    },
  ],
  [
    'hostile: a WebSocket class returning a frozen object fails the task cleanly, six times, and leaks no slot',
    async (h) => {
      for (let i = 0; i < 6; i++) {
        const log = h.log(`frozen #${i}`);
        let t;
        try {
          t = h.connect({ url: h.ws('/echo'), WebSocket: function () { return Object.freeze({}); } });
        } catch (e) {
          h.ok(false, `connectSocket threw synchronously: ${e}`);
        }
        h.ok(t && typeof t === 'object', 'a task is returned');
        t.onError(log.cb('error'));
        t.onClose(log.cb('close'));
        await log.wait('close', 1, 2000);
        h.eq(log.names(), ['error', 'close'], `frozen #${i}: events`);
        h.eq(log.get('error').errMsg, CONNECT_FAILED, 'errMsg');
        h.eq(log.get('close'), { code: 1006, reason: 'abnormal closure' }, 'close payload');
        h.eq(t.readyState, 3, 'readyState');
      }
      await stillWorks(h, 'six frozen sockets');
    },
  ],
  [
    'hostile: throwing getters on the socket (bufferedAmount, readyState, protocol) do not wedge the task',
    async (h) => {
      const Cls = wrapped((real) => {
        for (const k of ['bufferedAmount', 'readyState', 'protocol', 'extensions']) {
          Object.defineProperty(real, k, {
            get() {
              throw new Error(`${k} boom`);
            },
          });
        }
      });
      const t = h.mp.createSocketTask({ url: h.ws('/echo'), WebSocket: Cls });
      h.tasks.push(t);
      const rec = h.record(t);
      const open = await rec.next('open');
      h.eq(open.header['sec-websocket-protocol'], '', 'an unreadable protocol reads as empty');
      const trio = h.cb('send');
      t.send({ data: 'through', ...trio.opts });
      await h.expectSuccess(trio, 'sendSocketMessage:ok');
      h.eq((await rec.next('message')).data, 'through', 'echo');
      const c = h.cb('close');
      t.close({ code: 4001, ...c.opts });
      await h.expectSuccess(c, 'closeSocket:ok');
      h.eq(await rec.next('close'), { code: 4001, reason: '' }, 'close payload');
      h.eq(t.readyState, 3, 'readyState');
    },
  ],
  [
    'hostile: a socket that ignores onX = null and fires stale handlers later breaks nothing',
    async (h) => {
      const made = [];
      function Sticky(url) {
        const s = {
          readyState: 0,
          bufferedAmount: 0,
          protocol: '',
          extensions: '',
          sent: [],
          send(d) {
            this.sent.push(d);
          },
          close() {
            this.readyState = 3;
          },
        };
        // Handlers can be set but never cleared.
        for (const k of ['onopen', 'onmessage', 'onerror', 'onclose']) {
          let f = null;
          Object.defineProperty(s, k, {
            get: () => f,
            set: (v) => {
              if (v) f = v;
            },
          });
        }
        s.url = url;
        made.push(s);
        return s;
      }
      const t = h.mp.createSocketTask({ url: h.ws('/echo'), WebSocket: Sticky, reconnect: { minDelay: 10, maxDelay: 10 } });
      h.tasks.push(t);
      const rec = h.record(t);
      await h.waitFor(() => made.length === 1, 'first socket');
      made[0].readyState = 1;
      made[0].onopen({});
      await rec.next('open');
      made[0].onclose({ code: 1006, reason: '' }); // a drop: the task reconnects
      await h.waitFor(() => made.length === 2, 'a second socket after the drop');
      h.eq(t.socket, made[1], 'task.socket is the new socket');
      // The first socket keeps firing into its stale handlers.
      made[0].onopen({});
      made[0].onmessage({ data: 'stale' });
      made[0].onerror({});
      made[0].onclose({ code: 1000, reason: '' });
      made[1].readyState = 1;
      made[1].onopen({});
      await rec.next('open');
      made[1].onmessage({ data: 'fresh' });
      h.eq((await rec.next('message')).data, 'fresh', 'only the live socket delivers');
      h.eq(rec.of('message').length, 1, 'the stale message was ignored');
      h.eq(rec.of('close').length, 0, 'no close from stale events');
      h.eq(t.readyState, 1, 'still OPEN');
      t.close({});
      made[1].onclose({ code: 1000, reason: '' });
      await rec.next('close');
    },
  ],
  [
    'hostile: onclose called with no event ends the task CLOSED with 1006',
    async (h) => {
      let sock;
      function NoEvent() {
        sock = { readyState: 0, bufferedAmount: 0, send() {}, close() {} };
        return sock;
      }
      const t = h.connect({ url: h.ws('/echo'), WebSocket: NoEvent });
      const rec = h.record(t);
      await h.waitFor(() => sock && typeof sock.onopen === 'function', 'handlers attached');
      sock.onopen();
      await rec.next('open');
      sock.onclose();
      h.eq(await rec.next('close'), { code: 1006, reason: 'abnormal closure' }, 'close payload');
      h.eq(t.readyState, 3, 'readyState');
    },
  ],
  [
    'hostile: a re-entrant send from inside the bufferedAmount getter is settled, not lost',
    async (h) => {
      let task;
      let inner = null;
      const Cls = wrapped((real) => {
        let entered = false;
        Object.defineProperty(real, 'bufferedAmount', {
          get() {
            if (!entered && task && task.readyState === 1) {
              entered = true;
              inner = h.cb('inner send');
              task.send({ data: 'inner', ...inner.opts });
            }
            return 0;
          },
        });
      });
      task = h.mp.createSocketTask({ url: h.ws('/echo'), WebSocket: Cls });
      h.tasks.push(task);
      const rec = h.record(task);
      await rec.next('open');
      const outer = h.cb('outer send');
      task.send({ data: 'outer', ...outer.opts });
      await h.expectSuccess(outer, 'sendSocketMessage:ok');
      h.ok(inner !== null, 'the getter ran and re-entered send');
      await h.expectSuccess(inner, 'sendSocketMessage:ok');
      await rec.next('message');
      await rec.next('message');
      h.eq(rec.of('message').map((m) => m.res.data).sort(), ['inner', 'outer'], 'both reached the server once');
    },
  ],
  [
    'hostile: send data with throwing/spoofed tags or a shadowed byteLength, and a Proxy as protocols, never throw',
    async (h) => {
      const { t, rec } = await h.open('/echo');
      const throwingTag = {
        get [Symbol.toStringTag]() {
          throw new Error('tag boom');
        },
      };
      const spoofed = { [Symbol.toStringTag]: 'SharedArrayBuffer', byteLength: 1e12 };
      for (const [what, data] of [
        ['a throwing Symbol.toStringTag', throwingTag],
        ['a spoofed SharedArrayBuffer tag', spoofed],
        ['a spoofed ArrayBuffer tag', { [Symbol.toStringTag]: 'ArrayBuffer' }],
      ]) {
        const trio = h.cb(what);
        try {
          t.send({ data, ...trio.opts });
        } catch (e) {
          h.ok(false, `${what}: send threw ${e}`);
        }
        await h.expectFail(trio, 'sendSocketMessage:fail data must be string or ArrayBuffer');
      }
      // A view whose byteLength is shadowed still sends exactly its own bytes.
      const view = new Uint8Array([9, 1, 2, 3, 9]).subarray(1, 4);
      Object.defineProperty(view, 'byteLength', { value: 1000 });
      const trio = h.cb('shadowed byteLength');
      t.send({ data: view, ...trio.opts });
      await h.expectSuccess(trio, 'sendSocketMessage:ok');
      const got = await rec.next('message');
      h.eq([...new Uint8Array(got.data)], [1, 2, 3], 'exactly the view bytes');
      // A Proxy as protocols, and a revoked one.
      const { proxy, revoke } = Proxy.revocable([], {});
      revoke();
      for (const [what, protocols] of [
        ['a Proxy array', new Proxy(['chat'], {})],
        ['a revoked Proxy', proxy],
        ['an array whose index getter throws', Object.defineProperty([], 0, { get: () => { throw new Error('idx'); } })],
      ]) {
        const c = h.cb(what);
        let task;
        try {
          task = h.connect({ url: h.ws('/echo'), protocols, ...c.opts });
        } catch (e) {
          h.ok(false, `${what}: connectSocket threw ${e}`);
        }
        await h.waitFor(() => c.calls.length >= 2, `${what}: settled`);
        h.ok(task === undefined || typeof task === 'object', `${what}: a task or undefined`);
      }
    },
  ],
  [
    'heartbeat is opt-in: createSocketTask sets no heartbeat timer unless `heartbeat` is given',
    async (h) => {
      const original = globalThis.setTimeout;
      const delays = [];
      globalThis.setTimeout = function (f, ms, ...rest) {
        delays.push(ms);
        return original.call(this, f, ms, ...rest);
      };
      try {
        const plain = h.mp.createSocketTask({ url: h.ws('/echo') });
        h.tasks.push(plain);
        await h.record(plain).next('open');
        h.ok(!delays.includes(15000), `no heartbeat tick without \`heartbeat\` (timers: ${delays.join(', ')})`);
        h.eq(plain.lastRtt, undefined, 'no ping, no RTT');
        delays.length = 0;
        const beating = h.mp.createSocketTask({ url: h.ws('/echo'), heartbeat: true });
        h.tasks.push(beating);
        await h.record(beating).next('open');
        h.ok(delays.includes(15000), `heartbeat: true ticks every interval/2 = 15000 ms (timers: ${delays.join(', ')})`);
      } finally {
        globalThis.setTimeout = original;
      }
    },
  ],
  [
    'hostile: a socket whose send throws for one queued message fails only that one, and resends only the others after a drop',
    async (h) => {
      const made = [];
      function Picky(url) {
        const s = {
          url,
          readyState: 0,
          bufferedAmount: 0, // nothing leaves: every sent byte stays buffered
          protocol: '',
          extensions: '',
          sent: [],
          send(d) {
            if (d === 'm2' && made.length === 1) throw new Error('m2 refused');
            this.sent.push(d);
            this.bufferedAmount += 64;
          },
          close() {
            this.readyState = 3;
          },
        };
        made.push(s);
        return s;
      }
      const t = h.mp.createSocketTask({ url: h.ws('/echo'), WebSocket: Picky, reconnect: { minDelay: 10, maxDelay: 10 } });
      h.tasks.push(t);
      const rec = h.record(t);
      const trios = ['m1', 'm2', 'm3'].map((m) => {
        const c = h.cb(m);
        t.send({ data: m, ...c.opts });
        return c;
      });
      h.eq(made.length, 1, 'one socket');
      made[0].readyState = 1;
      made[0].onopen({});
      await rec.next('open');
      await h.expectSuccess(trios[0], 'sendSocketMessage:ok');
      await h.expectFail(trios[1], 'sendSocketMessage:fail m2 refused');
      await h.expectSuccess(trios[2], 'sendSocketMessage:ok');
      h.eq(made[0].sent, ['m1', 'm3'], 'the first socket got m1 and m3');
      // The connection drops with all of it still buffered: the copies of m1 and m3 (not m2,
      // which was reported failed) are sent again on the next socket.
      made[0].readyState = 3;
      made[0].onclose({ code: 1006, reason: '' });
      await h.waitFor(() => made.length === 2, 'a reconnect socket', 3000);
      made[1].readyState = 1;
      made[1].onopen({});
      await rec.next('open');
      await h.waitFor(() => made[1].sent.length >= 2, 'the resends', 3000);
      await h.sleep(20);
      h.eq(made[1].sent, ['m1', 'm3'], 'resent: m1 and m3, never the failed m2');
    },
  ],
  [
    'hostile: a url function that closes its own task and sends from inside opens nothing and settles everything',
    async (h) => {
      const made = [];
      function Fake(url) {
        const s = { url, readyState: 0, bufferedAmount: 0, protocol: '', extensions: '', send() {}, close() { this.readyState = 3; } };
        made.push(s);
        return s;
      }
      let t;
      let calls = 0;
      const inner = h.cb('send from the url function');
      const closed = h.cb('close from the url function');
      const url = () => {
        calls += 1;
        if (calls === 2) {
          t.send({ data: 'late', ...inner.opts });
          t.close({ code: 4000, reason: 'from url', ...closed.opts });
        }
        return h.ws('/echo');
      };
      t = h.mp.createSocketTask({ url, WebSocket: Fake, reconnect: { minDelay: 10, maxDelay: 10 } });
      h.tasks.push(t);
      const rec = h.record(t);
      made[0].readyState = 1;
      made[0].onopen({});
      await rec.next('open');
      made[0].readyState = 3;
      made[0].onclose({ code: 1006, reason: '' });
      await h.waitFor(() => calls === 2, 'the url function, again', 3000);
      await h.expectSuccess(closed, 'closeSocket:ok');
      h.eq(await rec.next('close'), { code: 4000, reason: 'from url' }, 'the close from inside the url function');
      const r = await inner.wait();
      h.ok(r.kind === 'fail' || r.kind === 'success', `the send made inside the url function settled (${r.kind})`);
      h.eq(made.length, 1, 'no socket was opened for the closed task');
      h.eq(t.readyState, 3, 'readyState');
    },
  ],
];

export const deliveryCases = [
  [
    'delivery: a queued ArrayBuffer or view is sent with the bytes it had at send(), even if the app reuses the buffer',
    async (h) => {
      const id = h.uid('reuse');
      const t = h.mp.createSocketTask({ url: h.ws(`/echo?id=${id}`) });
      h.tasks.push(t);
      const rec = h.record(t);
      const buf = new Uint8Array([1, 2, 3, 4]);
      const a = h.cb('queued buffer');
      const b = h.cb('queued view');
      t.send({ data: buf.buffer, ...a.opts }); // CONNECTING: queued
      t.send({ data: buf.subarray(1, 3), ...b.opts });
      buf.fill(9); // the app reuses its buffer right away
      await rec.next('open');
      await h.expectSuccess(a, 'sendSocketMessage:ok');
      await h.expectSuccess(b, 'sendSocketMessage:ok');
      const first = await rec.next('message');
      const second = await rec.next('message');
      h.eq([...new Uint8Array(first.data)], [1, 2, 3, 4], 'the buffer as it was at send()');
      h.eq([...new Uint8Array(second.data)], [2, 3], 'the view as it was at send()');
    },
  ],
  [
    'delivery: a peer close abandons the socket: task.socket is null while waiting to reconnect, then the new socket',
    async (h) => {
      const id = h.uid('between');
      const t = h.mp.createSocketTask({ url: h.ws(`/echo?id=${id}`), reconnect: { minDelay: 400, maxDelay: 400, jitter: 0 } });
      h.tasks.push(t);
      const log = h.log('between');
      h.listen(t, log, ['open', 'reconnecting', 'close']);
      await log.wait('open', 1, 3000);
      const first = t.socket;
      h.ok(first !== null && typeof first === 'object', 'a socket while OPEN');
      await h.control(`/control/drop-all?id=${id}`);
      await log.wait('reconnecting', 1, 3000);
      h.eq(t.socket, null, 'task.socket while waiting to reconnect');
      h.eq(t.readyState, 0, 'readyState while waiting to reconnect');
      await log.wait('open', 2, 3000);
      h.ok(t.socket !== null && t.socket !== first, 'a new socket after the reconnect');
    },
  ],
  [
    'delivery: closeSocket reads {code, reason} once: a getter that turns invalid later still closes every task with the first value',
    async (h) => {
      const a = await h.open('/echo');
      const b = await h.open('/echo');
      let reads = 0;
      const opts = {
        get code() {
          reads += 1;
          return reads === 1 ? 4321 : 999; // valid once, invalid afterwards
        },
        reason: 'once',
      };
      const r = await h.mp.closeSocket(opts);
      h.eq(r.errMsg, 'closeSocket:ok', 'closeSocket resolves ok');
      h.eq(reads, 1, 'the code getter was read once');
      h.eq(await a.rec.next('close'), { code: 4321, reason: 'once' }, 'the bound task closed with the first value');
      h.eq(await b.rec.next('close'), { code: 4321, reason: 'once' }, 'the other task closed with the same value');
    },
  ],
  [
    'legacy: with no bound task, sendSocketMessage reports "not connected" before looking at its data',
    async (h) => {
      for (const data of [42, undefined, 'fine']) {
        const r = await h.mp.sendSocketMessage({ data }).then(
          () => ({ ok: true }),
          (e) => e,
        );
        h.eq(r.errMsg, 'sendSocketMessage:fail WebSocket is not connected', `data ${String(data)}`);
      }
    },
  ],
];

// The page test cases: black-box checks of the built package against the behaviour contract
// (shared docs, api-reference.md, part A1–A3). Each case gets a Harness `h` (harness.js):
// h.mp is the imported package; every callback trio made with h.cb() is checked for
// "exactly one of success/fail, then complete, each once" when the case ends; every task made
// with h.connect()/h.open() is closed and must reach CLOSED before the next case starts.
// The cases ported from the wasm-bindgen-test suites (tests/browser.rs, resilience.rs,
// install.rs) live in cases-browser.js, cases-resilience.js and cases-install.js and are
// appended at the end.
import { hostileCases, deliveryCases } from './cases-hostile.js';
import { browserCases } from './cases-browser.js';
import { resilienceCases } from './cases-resilience.js';
import { installCases } from './cases-install.js';

const EXPORTS = [
  'connectSocket',
  'createSocketTask',
  'sendSocketMessage',
  'closeSocket',
  'onSocketOpen',
  'onSocketMessage',
  'onSocketError',
  'onSocketClose',
];
const NOT_OPEN = 'SocketTask.send:fail SocketTask.readyState is not OPEN';
const BAD_DATA = 'sendSocketMessage:fail data must be string or ArrayBuffer';
const CONNECT_FAILED = 'connectSocket:fail WebSocket connection failed';
const NOT_CONNECTED = (api) => `${api}:fail WebSocket is not connected`;
const isArrayBuffer = (v) => Object.prototype.toString.call(v) === '[object ArrayBuffer]';
const bytes = (buf) => [...new Uint8Array(buf)];
const noop = () => {};

/** Resets the one-slot legacy listeners so they can't leak into later cases. */
function resetLegacySlots(mp) {
  for (const name of ['onSocketOpen', 'onSocketMessage', 'onSocketError', 'onSocketClose']) mp[name](noop);
}

/** Calls fn and expects it to return a thenable that rejects; returns the rejection value. */
async function expectRejects(h, what, fn) {
  const p = fn();
  h.ok(p && typeof p.then === 'function', `${what} returns a Promise (got ${typeof p})`);
  let outcome;
  await p.then(
    (v) => (outcome = { resolved: v }),
    (e) => (outcome = { rejected: e }),
  );
  h.ok('rejected' in outcome, `${what} rejects (it resolved with ${JSON.stringify(outcome.resolved)})`);
  return outcome.rejected;
}

export const cases = [
  // ---------------------------------------------------------------- A1: import + connectSocket
  [
    'import: every named export is a ready-to-use function (no init call)',
    async (h) => {
      for (const name of EXPORTS) h.eq(typeof h.mp[name], 'function', `typeof ${name}`);
    },
  ],
  [
    'connectSocket: returns the task synchronously, readyState 0 → 1, constants on the task',
    async (h) => {
      const c = h.cb('connectSocket');
      const t = h.connect({ url: h.ws('/echo'), ...c.opts });
      h.ok(t !== null && typeof t === 'object', `connectSocket returns an object (got ${typeof t})`);
      h.ok(typeof t.then !== 'function', 'the task is not a Promise (no .then)');
      h.eq(t.readyState, 0, 'readyState right after connectSocket');
      h.eq([t.CONNECTING, t.OPEN, t.CLOSING, t.CLOSED], [0, 1, 2, 3], '[CONNECTING, OPEN, CLOSING, CLOSED]');
      h.eq(c.calls.length, 0, 'number of callbacks called synchronously');
      const rec = h.record(t);
      const open = await rec.next('open');
      h.eq(t.readyState, 1, 'readyState after onOpen');
      h.ok(open && typeof open === 'object', 'onOpen gets an object');
      h.ok(open.header && typeof open.header === 'object', `onOpen payload has a header object (got ${JSON.stringify(open)})`);
      h.ok(open.profile && typeof open.profile === 'object', `onOpen payload has a profile object (got ${JSON.stringify(open)})`);
    },
  ],
  [
    'connectSocket: success is async with {errMsg: "connectSocket:ok", socketTaskId}, then complete',
    async (h) => {
      const c1 = h.cb('connectSocket #1');
      const c2 = h.cb('connectSocket #2');
      h.connect({ url: h.ws('/echo'), ...c1.opts });
      h.connect({ url: h.ws('/echo'), ...c2.opts });
      h.eq(c1.calls.length + c2.calls.length, 0, 'callbacks called synchronously');
      const r1 = await h.expectSuccess(c1, 'connectSocket:ok');
      const r2 = await h.expectSuccess(c2, 'connectSocket:ok');
      h.eq(typeof r1.socketTaskId, 'number', 'typeof socketTaskId');
      h.ok(r1.socketTaskId !== r2.socketTaskId, `two tasks get different socketTaskIds (${r1.socketTaskId}, ${r2.socketTaskId})`);
      h.eq(c1.calls.map((x) => x.kind), ['success', 'complete'], 'callback order');
    },
  ],
  [
    'connectSocket: a ws:// url in upper case is accepted',
    async (h) => {
      const c = h.cb('connectSocket');
      const url = h.ws('/echo').replace('ws://', 'WS://');
      const t = h.connect({ url, ...c.opts });
      const rec = h.record(t);
      await h.expectSuccess(c, 'connectSocket:ok');
      await rec.next('open');
    },
  ],
  [
    'validation: missing, number and object url → exact errMsg, fail + complete, returns undefined',
    async (h) => {
      const table = [
        [{}, 'Undefined'],
        [{ url: 42 }, 'Number'],
        [{ url: {} }, 'Object'],
      ];
      for (const [opts, type] of table) {
        const c = h.cb(`connectSocket(${JSON.stringify(opts)})`);
        const ret = h.connect({ ...opts, ...c.opts });
        h.eq(ret, undefined, `return value of connectSocket(${JSON.stringify(opts)})`);
        await h.expectFail(c, `connectSocket:fail parameter error: parameter.url should be String instead of ${type};`);
      }
    },
  ],
  [
    'validation: url that is not ws:// or wss:// → connectSocket:fail invalid url "<url>"',
    async (h) => {
      for (const url of ['http://x', 'ftp://127.0.0.1/', '127.0.0.1:80', '']) {
        const c = h.cb(`connectSocket({url: ${JSON.stringify(url)}})`);
        const ret = h.connect({ url, ...c.opts });
        h.eq(ret, undefined, `return value for url ${JSON.stringify(url)}`);
        await h.expectFail(c, `connectSocket:fail invalid url "${url}"`);
      }
    },
  ],
  [
    'validation: options that are not an object → undefined, no exception',
    async (h) => {
      for (const arg of [undefined, 'ws://127.0.0.1/', 42, null]) {
        let ret;
        try {
          ret = h.mp.connectSocket(arg);
        } catch (e) {
          throw new Error(`connectSocket(${JSON.stringify(arg)}) threw ${e}`);
        }
        h.eq(ret, undefined, `connectSocket(${JSON.stringify(arg)})`);
      }
    },
  ],
  [
    'createSocketTask: returns a task synchronously that opens and echoes',
    async (h) => {
      const t = h.mp.createSocketTask({ url: h.ws('/echo') });
      h.ok(t !== null && typeof t === 'object' && typeof t.then !== 'function', 'createSocketTask returns a task');
      h.tasks.push(t);
      const rec = h.record(t);
      await rec.next('open');
      h.eq(await h.echo(t, rec, 'via createSocketTask'), { data: 'via createSocketTask' }, 'echo');
    },
  ],

  // ---------------------------------------------------------------- A2: data
  [
    'echo: text (ASCII, non-ASCII, empty) arrives in order as strings; send success errMsg',
    async (h) => {
      const { t, rec } = await h.open();
      const texts = ['hello', '你好, 🌍!', ''];
      const trios = texts.map((data, i) => {
        const c = h.cb(`send #${i}`);
        t.send({ data, ...c.opts });
        return c;
      });
      for (const c of trios) await h.expectSuccess(c, 'sendSocketMessage:ok');
      for (const text of texts) {
        const m = await rec.next('message');
        h.eq(typeof m.data, 'string', `typeof data of ${JSON.stringify(text)}`);
        h.eq(m.data, text, 'echoed text');
      }
    },
  ],
  [
    'echo: binary ArrayBuffer arrives as an ArrayBuffer with the same bytes',
    async (h) => {
      const { t, rec } = await h.open();
      const sent = Uint8Array.from([0, 1, 2, 127, 128, 254, 255]);
      const m = await h.echo(t, rec, sent.buffer);
      h.ok(isArrayBuffer(m.data), `binary arrives as ArrayBuffer (got ${Object.prototype.toString.call(m.data)})`);
      h.eq(bytes(m.data), [...sent], 'echoed bytes');
    },
  ],
  [
    'echo: an ArrayBufferView sends exactly its own bytes (subarray, DataView, Int16Array)',
    async (h) => {
      const { t, rec } = await h.open();
      const base = Uint8Array.from({ length: 16 }, (_, i) => i);
      const sub = await h.echo(t, rec, base.subarray(3, 7));
      h.ok(isArrayBuffer(sub.data), 'subarray echo is an ArrayBuffer');
      h.eq(bytes(sub.data), [3, 4, 5, 6], 'bytes of base.subarray(3, 7)');
      const dv = await h.echo(t, rec, new DataView(base.buffer, 10, 2));
      h.eq(bytes(dv.data), [10, 11], 'bytes of new DataView(buf, 10, 2)');
      const i16 = new Int16Array(new ArrayBuffer(8), 2, 1);
      i16[0] = 0x0201;
      const r16 = await h.echo(t, rec, i16);
      h.eq(bytes(r16.data), [1, 2], 'bytes of an Int16Array at offset 2 (little-endian 0x0201)');
    },
  ],
  [
    'send: data that is not string/ArrayBuffer fails with the exact errMsg; the socket stays usable',
    async (h) => {
      const { t, rec } = await h.open();
      for (const data of [123, {}, null, undefined, true]) {
        const c = h.cb(`send({data: ${String(data)}})`);
        t.send({ data, ...c.opts });
        await h.expectFail(c, BAD_DATA);
      }
      h.eq(t.readyState, 1, 'readyState after invalid sends');
      h.eq(await h.echo(t, rec, 'still alive'), { data: 'still alive' }, 'echo after invalid sends');
    },
  ],
  [
    'send: while CONNECTING and after CLOSED fails with "readyState is not OPEN"',
    async (h) => {
      const t = h.connect({ url: h.ws('/echo') });
      const rec = h.record(t);
      const c1 = h.cb('send while CONNECTING');
      t.send({ data: 'too early', ...c1.opts });
      await h.expectFail(c1, NOT_OPEN);
      await rec.next('open');
      t.close({});
      await rec.next('close');
      const c2 = h.cb('send after CLOSED');
      t.send({ data: 'too late', ...c2.opts });
      await h.expectFail(c2, NOT_OPEN);
      h.eq(rec.of('message').length, 0, 'messages received (the early send must not have been sent)');
    },
  ],

  // ---------------------------------------------------------------- A2: close
  [
    'close: an invalid code (1001, 2999, 5000) fails with closeSocket:fail…; the socket stays OPEN',
    async (h) => {
      const { t, rec } = await h.open();
      for (const code of [1001, 2999, 5000]) {
        const c = h.cb(`close({code: ${code}})`);
        t.close({ code, ...c.opts });
        await h.expectFail(c, /^closeSocket:fail ./);
        h.eq(t.readyState, 1, `readyState after close({code: ${code}})`);
      }
      h.eq(await h.echo(t, rec, 'after bad close'), { data: 'after bad close' }, 'echo after invalid closes');
      h.eq(rec.of('close').length, 0, 'close events');
    },
  ],
  [
    'close: a reason over 123 UTF-8 bytes fails and the socket stays OPEN; 123 bytes is fine',
    async (h) => {
      const { t, rec } = await h.open();
      for (const [label, reason] of [
        ['124 ASCII bytes', 'a'.repeat(124)],
        ['42 CJK chars = 126 bytes', '你'.repeat(42)],
      ]) {
        const c = h.cb(`close(reason: ${label})`);
        t.close({ code: 4000, reason, ...c.opts });
        await h.expectFail(c, /^closeSocket:fail ./);
        h.eq(t.readyState, 1, `readyState after close with ${label}`);
      }
      h.eq(await h.echo(t, rec, 'after long reason'), { data: 'after long reason' }, 'echo after invalid closes');
      const ok = h.cb('close(reason: 123 bytes)');
      const reason = 'b'.repeat(123);
      t.close({ code: 4000, reason, ...ok.opts });
      await h.expectSuccess(ok, 'closeSocket:ok');
      h.eq(await rec.next('close'), { code: 4000, reason }, 'onClose payload');
    },
  ],
  [
    'close(): success closeSocket:ok, onClose {1000, "normal closure"}, readyState 3',
    async (h) => {
      const { t, rec } = await h.open();
      const c = h.cb('close()');
      t.close({ ...c.opts });
      h.ok([2, 3].includes(t.readyState), `readyState right after close() is CLOSING or CLOSED (got ${t.readyState})`);
      await h.expectSuccess(c, 'closeSocket:ok');
      h.eq(await rec.next('close'), { code: 1000, reason: 'normal closure' }, 'onClose payload');
      h.eq(t.readyState, 3, 'readyState after onClose');
      h.eq(rec.of('close')[0].readyState, 3, 'readyState seen inside onClose');
      await h.sleep(100);
      h.eq(rec.types(), ['open', 'close'], 'events');
    },
  ],
  [
    'close({code: 4000, reason: "bye"}) → onClose {4000, "bye"}',
    async (h) => {
      const { t, rec } = await h.open();
      const c = h.cb('close(4000, bye)');
      t.close({ code: 4000, reason: 'bye', ...c.opts });
      await h.expectSuccess(c, 'closeSocket:ok');
      h.eq(await rec.next('close'), { code: 4000, reason: 'bye' }, 'onClose payload');
    },
  ],
  [
    'close while CONNECTING → onClose with the requested code and reason',
    async (h) => {
      const t = h.connect({ url: h.ws('/echo') });
      const rec = h.record(t);
      const c = h.cb('close while CONNECTING');
      t.close({ code: 4002, reason: 'early', ...c.opts });
      await h.expectSuccess(c, 'closeSocket:ok');
      h.eq(await rec.next('close'), { code: 4002, reason: 'early' }, 'onClose payload');
      await h.sleep(100);
      h.eq(rec.of('close').length, 1, 'close events');
      h.eq(rec.of('open').length, 0, 'open events');
    },
  ],
  [
    'server close 4001 "bye" → onClose {4001, "bye"}, no onError',
    async (h) => {
      const t = h.connect({ url: h.ws('/close?code=4001&reason=bye') });
      const rec = h.record(t);
      h.eq(await rec.next('close'), { code: 4001, reason: 'bye' }, 'onClose payload');
      h.eq(t.readyState, 3, 'readyState');
      h.eq(rec.types(), ['open', 'close'], 'events');
    },
  ],
  [
    'server close without a status → onClose {1005, "no status rcvd"}',
    async (h) => {
      const t = h.connect({ url: h.ws('/close') });
      const rec = h.record(t);
      h.eq(await rec.next('close'), { code: 1005, reason: 'no status rcvd' }, 'onClose payload');
    },
  ],

  // ---------------------------------------------------------------- A2: connection errors
  [
    'refused port → onError "connectSocket:fail WebSocket connection failed", then onClose {1006, "abnormal closure"}',
    async (h) => {
      const c = h.cb('connectSocket (refused)');
      const t = h.connect({ url: h.deadUrl(), ...c.opts });
      const rec = h.record(t);
      await h.expectSuccess(c, 'connectSocket:ok'); // success = task created, not connected
      h.has(await rec.next('error'), { errMsg: CONNECT_FAILED }, 'onError payload');
      h.eq(await rec.next('close'), { code: 1006, reason: 'abnormal closure' }, 'onClose payload');
      await h.sleep(100);
      h.eq(rec.types(), ['error', 'close'], 'events, in order');
      h.eq(t.readyState, 3, 'readyState');
    },
  ],
  [
    'connect timeout: /hang with timeout 300 → onError "connectSocket:fail timeout", then onClose',
    async (h) => {
      const t0 = performance.now();
      const t = h.connect({ url: h.ws('/hang'), timeout: 300 });
      const rec = h.record(t);
      h.has(await rec.next('error', 4000), { errMsg: 'connectSocket:fail timeout' }, 'onError payload');
      const after = performance.now() - t0;
      h.ok(after >= 250 && after < 3000, `onError after ~300 ms (after ${Math.round(after)} ms)`);
      const close = await rec.next('close');
      h.ok(typeof close.code === 'number' && typeof close.reason === 'string', `onClose payload ${JSON.stringify(close)}`);
      h.eq(t.readyState, 3, 'readyState');
      h.eq(rec.types(), ['error', 'close'], 'events, in order');
      // The hung handshake must not block the next connection to the same host.
      await h.open('/echo');
    },
  ],
  [
    'a 6th live task → fail "…max websocket connect count 5", task CLOSED; closing one frees a slot',
    async (h) => {
      const five = [];
      for (let i = 0; i < 5; i++) {
        const c = h.cb(`connectSocket #${i + 1}`);
        const t = h.connect({ url: h.ws('/echo'), ...c.opts });
        five.push({ t, c, rec: h.record(t, `task #${i + 1}`) });
      }
      const c6 = h.cb('connectSocket #6');
      const t6 = h.connect({ url: h.ws('/echo'), ...c6.opts });
      h.ok(t6 !== null && typeof t6 === 'object', `the 6th call still returns a task (got ${typeof t6})`);
      h.eq(t6.readyState, 3, 'readyState of the 6th task');
      await h.expectFail(c6, 'connectSocket:fail fail reach max websocket connect count 5');
      for (const { c, rec } of five) {
        await h.expectSuccess(c, 'connectSocket:ok');
        await rec.next('open');
      }
      five[0].t.close({});
      await five[0].rec.next('close');
      const c7 = h.cb('connectSocket after one closed');
      const t7 = h.connect({ url: h.ws('/echo'), ...c7.opts });
      const rec7 = h.record(t7);
      await h.expectSuccess(c7, 'connectSocket:ok');
      await rec7.next('open');
    },
  ],

  // ---------------------------------------------------------------- A2: listeners
  [
    'listeners stack in order; a throwing one is reported by console.error and the rest still run',
    async (h) => {
      const { t } = await h.open();
      const order = [];
      const logged = [];
      const origError = console.error;
      console.error = (...args) => {
        logged.push(args.map(String).join(' '));
        origError.apply(console, args);
      };
      try {
        t.onMessage(() => {
          order.push('a');
          throw new Error('listener a throws on purpose');
        });
        t.onMessage((m) => order.push('b:' + m.data));
        t.onMessage((m) => order.push('c:' + m.data));
        t.send({ data: 'one' });
        await h.waitFor(() => order.length >= 3, 'three listeners to run');
        h.eq(order, ['a', 'b:one', 'c:one'], 'listener calls');
        h.ok(logged.length >= 1, 'the throwing listener was reported with console.error');
        h.eq(t.readyState, 1, 'readyState after a listener threw');
        order.length = 0;
        t.send({ data: 'two' });
        await h.waitFor(() => order.length >= 3, 'three listeners to run again');
        h.eq(order, ['a', 'b:two', 'c:two'], 'listener calls for the second message');
      } finally {
        console.error = origError;
      }
    },
  ],
  [
    'offMessage(fn) removes that listener; offMessage() removes all',
    async (h) => {
      const { t, rec } = await h.open();
      const got = [];
      const a = (m) => got.push('a:' + m.data);
      const b = (m) => got.push('b:' + m.data);
      t.onMessage(a);
      t.onMessage(b);
      await h.echo(t, rec, '1');
      await h.waitFor(() => got.length >= 2, 'both listeners');
      h.eq(got, ['a:1', 'b:1'], 'calls with two listeners');
      t.offMessage(a);
      got.length = 0;
      await h.echo(t, rec, '2');
      await h.sleep(50);
      h.eq(got, ['b:2'], 'calls after offMessage(a)');
      t.offMessage();
      got.length = 0;
      t.send({ data: '3' });
      await h.sleep(300);
      h.eq(got, [], 'calls after offMessage()');
      h.eq(rec.of('message').length, 2, "the recorder's own listener was removed by offMessage() too");
    },
  ],
  [
    'onOpen/onClose listeners stack; nothing is replayed to a listener added after the event',
    async (h) => {
      const t = h.connect({ url: h.ws('/echo') });
      const seen = [];
      t.onOpen(() => seen.push('open1'));
      t.onOpen(() => seen.push('open2'));
      t.onClose(() => seen.push('close1'));
      t.onClose(() => seen.push('close2'));
      await h.waitFor(() => seen.length >= 2, 'both onOpen listeners');
      t.onOpen(() => seen.push('late-open'));
      await h.sleep(150);
      h.eq(seen, ['open1', 'open2'], 'events after open (a late onOpen gets no replay)');
      t.close({});
      await h.waitFor(() => seen.length >= 4, 'both onClose listeners');
      t.onClose(() => seen.push('late-close'));
      await h.sleep(150);
      h.eq(seen, ['open1', 'open2', 'close1', 'close2'], 'all events');
    },
  ],

  // ---------------------------------------------------------------- A2: re-entrancy
  [
    're-entrant: send from onOpen, send and close from onMessage',
    async (h) => {
      const t = h.connect({ url: h.ws('/echo') });
      const got = [];
      const sends = [];
      t.onOpen(() => {
        const c = h.cb('send inside onOpen');
        sends.push(c);
        t.send({ data: 'from-open', ...c.opts });
      });
      t.onMessage(({ data }) => {
        got.push(data);
        if (data === 'from-open') {
          const c = h.cb('send inside onMessage');
          sends.push(c);
          t.send({ data: 'from-message', ...c.opts });
        } else if (data === 'from-message') {
          const c = h.cb('close inside onMessage');
          sends.push(c);
          t.close({ code: 4000, reason: 'reentrant', ...c.opts });
        }
      });
      const closes = [];
      t.onClose((res) => closes.push(res));
      await h.waitFor(() => closes.length === 1, 'onClose');
      h.eq(got, ['from-open', 'from-message'], 'messages');
      h.eq(closes[0], { code: 4000, reason: 'reentrant' }, 'onClose payload');
      h.eq(sends.map((c) => c.result().kind), ['success', 'success', 'success'], 'outcome of send, send, close');
    },
  ],
  [
    're-entrant: close from onOpen; send from onClose fails cleanly',
    async (h) => {
      const t = h.connect({ url: h.ws('/echo') });
      t.onOpen(() => t.close({}));
      const inClose = h.cb('send inside onClose');
      const closes = [];
      t.onClose((res) => {
        closes.push(res);
        t.send({ data: 'from-close', ...inClose.opts });
      });
      await h.waitFor(() => closes.length === 1, 'onClose');
      h.eq(closes[0], { code: 1000, reason: 'normal closure' }, 'onClose payload');
      await h.expectFail(inClose, NOT_OPEN);
      h.eq(t.readyState, 3, 'readyState');
    },
  ],

  // ---------------------------------------------------------------- A3: legacy globals
  [
    'legacy: with no task, sendSocketMessage/closeSocket fail "WebSocket is not connected"',
    async (h) => {
      const e1 = await expectRejects(h, 'sendSocketMessage({data})', () => h.mp.sendSocketMessage({ data: 'x' }));
      h.has(e1, { errMsg: NOT_CONNECTED('sendSocketMessage') }, 'sendSocketMessage rejection');
      const e2 = await expectRejects(h, 'closeSocket()', () => h.mp.closeSocket());
      h.has(e2, { errMsg: NOT_CONNECTED('closeSocket') }, 'closeSocket rejection');
      const c1 = h.cb('sendSocketMessage with callbacks');
      h.eq(h.mp.sendSocketMessage({ data: 'x', ...c1.opts }), undefined, 'sendSocketMessage with callbacks returns');
      await h.expectFail(c1, NOT_CONNECTED('sendSocketMessage'));
      const c2 = h.cb('closeSocket with callbacks');
      h.eq(h.mp.closeSocket({ ...c2.opts }), undefined, 'closeSocket with callbacks returns');
      await h.expectFail(c2, NOT_CONNECTED('closeSocket'));
    },
  ],
  [
    'legacy: onSocketOpen/onSocketMessage have one slot; sendSocketMessage Promise resolves ok',
    async (h) => {
      const calls = [];
      try {
        h.mp.onSocketOpen(() => calls.push('open-a'));
        h.mp.onSocketOpen(() => calls.push('open-b'));
        h.mp.onSocketMessage((m) => calls.push('msg-a:' + m.data));
        h.mp.onSocketMessage((m) => calls.push('msg-b:' + m.data));
        const { t, rec } = await h.open();
        await h.waitFor(() => calls.includes('open-b'), 'onSocketOpen (second registration)');
        const p = h.mp.sendSocketMessage({ data: 'legacy' });
        h.ok(p && typeof p.then === 'function', 'sendSocketMessage without callbacks returns a Promise');
        h.has(await p, { errMsg: 'sendSocketMessage:ok' }, 'resolved value');
        h.eq((await rec.next('message')).data, 'legacy', 'the task got the echo too');
        await h.waitFor(() => calls.includes('msg-b:legacy'), 'onSocketMessage (second registration)');
        const c = h.cb('sendSocketMessage with success');
        h.eq(h.mp.sendSocketMessage({ data: 'cb', ...c.opts }), undefined, 'sendSocketMessage with callbacks returns');
        await h.expectSuccess(c, 'sendSocketMessage:ok');
        await h.waitFor(() => calls.includes('msg-b:cb'), 'second legacy message');
        h.eq(calls, ['open-b', 'msg-b:legacy', 'msg-b:cb'], 'legacy listener calls (first registrations replaced)');
        h.eq(t.readyState, 1, 'readyState');
      } finally {
        resetLegacySlots(h.mp);
      }
    },
  ],
  [
    'legacy: slots fire only for the bound task (the first one created)',
    async (h) => {
      const calls = [];
      try {
        const first = await h.open();
        const second = await h.open();
        h.mp.onSocketMessage((m) => calls.push(m.data));
        await h.echo(second.t, second.rec, 'to-second');
        await h.sleep(150);
        h.eq(calls, [], 'onSocketMessage calls for a message of the second task');
        await h.echo(first.t, first.rec, 'to-first');
        await h.waitFor(() => calls.length === 1, 'onSocketMessage for the bound task');
        h.eq(calls, ['to-first'], 'onSocketMessage calls');
      } finally {
        resetLegacySlots(h.mp);
      }
    },
  ],
  [
    'legacy: closeSocket closes the bound task and every other live task; the next task binds anew',
    async (h) => {
      const closes = [];
      const opens = [];
      try {
        const a = await h.open();
        const b = await h.open();
        h.mp.onSocketClose((res) => closes.push(res));
        const p = h.mp.closeSocket();
        h.ok(p && typeof p.then === 'function', 'closeSocket without callbacks returns a Promise');
        h.has(await p, { errMsg: 'closeSocket:ok' }, 'resolved value');
        h.eq(await a.rec.next('close'), { code: 1000, reason: 'normal closure' }, 'bound task onClose');
        h.eq(await b.rec.next('close'), { code: 1000, reason: 'normal closure' }, 'other task onClose');
        await h.sleep(50);
        h.eq(closes, [{ code: 1000, reason: 'normal closure' }], 'onSocketClose calls');
        h.mp.onSocketOpen(() => opens.push('open'));
        const c = await h.open();
        await h.waitFor(() => opens.length === 1, 'onSocketOpen for the newly bound task');
        h.has(await h.mp.sendSocketMessage({ data: 'rebound' }), { errMsg: 'sendSocketMessage:ok' }, 'send to new bound task');
        h.eq((await c.rec.next('message')).data, 'rebound', 'echo on the new bound task');
      } finally {
        resetLegacySlots(h.mp);
      }
    },
  ],
  [
    'legacy: onSocketError/onSocketClose fire for a refused bound task',
    async (h) => {
      const errors = [];
      const closes = [];
      try {
        h.mp.onSocketError((e) => errors.push(e));
        h.mp.onSocketClose((c) => closes.push(c));
        const t = h.connect({ url: h.deadUrl() });
        h.record(t);
        await h.waitFor(() => closes.length === 1, 'onSocketClose');
        h.eq(errors.length, 1, 'onSocketError calls');
        h.has(errors[0], { errMsg: CONNECT_FAILED }, 'onSocketError payload');
        h.eq(closes[0], { code: 1006, reason: 'abnormal closure' }, 'onSocketClose payload');
      } finally {
        resetLegacySlots(h.mp);
      }
    },
  ],
  ...browserCases,
  ...resilienceCases,
  ...installCases,
  ...hostileCases,
  ...deliveryCases,
];

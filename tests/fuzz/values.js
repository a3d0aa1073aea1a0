// Hostile values for the fuzz test (tests/fuzz/fuzz.js). Runtime-neutral: the same module
// runs in the page (headless Chromium) and in plain Node.
//
// Every value is a factory `{name, make(ctx)}`: values that must be fresh (detached buffers,
// re-entrant callbacks that need the task under test) are built per use. `ctx` is the case
// helper of fuzz.js (ctx.ref.task is the task the call is about, ctx.reenter(kind) runs a
// package call from inside a callback and counts it).

export class FuzzError extends Error {
  constructor(what) {
    super(`fuzz: ${what}`);
    this.name = 'FuzzError';
  }
}
const boom = (what) => () => {
  throw new FuzzError(what);
};

const MiB = 1024 * 1024;
let bigString;
const big = () => (bigString ??= 'x'.repeat(10 * MiB));
let bigSurrogate;
const bigLone = () => (bigSurrogate ??= `${'y'.repeat(10 * MiB - 1)}\ud800`);

/** A Proxy whose every trap throws (get, has, ownKeys, apply, construct, ...). */
export function throwingProxy(target = {}) {
  const handler = new Proxy(
    {},
    {
      get: (_, trap) => () => {
        throw new FuzzError(`proxy ${String(trap)} trap throws`);
      },
    },
  );
  return new Proxy(target, handler);
}
/** A revoked Proxy: every operation on it throws a TypeError. */
export function revokedProxy(target = {}) {
  const r = Proxy.revocable(target, {});
  r.revoke();
  return r.proxy;
}
/** A Proxy that throws on one trap only and forwards the rest to `target`. */
export function oneTrapProxy(target, trap) {
  return new Proxy(target, { [trap]: boom(`proxy ${trap} trap throws`) });
}

// Every key the package might read, on options, payloads and buffers.
export const READ_KEYS = [
  'url', 'header', 'protocols', 'tcpNoDelay', 'perMessageDeflate', 'timeout', 'forceCellularNetwork',
  'sslVerify', 'queue', 'heartbeat', 'reconnect', 'WebSocket', 'debug', 'success', 'fail', 'complete',
  'data', 'code', 'reason', 'multiple', 'platform', 'overwrite', 'maxConnections', 'maxMessages',
  'maxBytes', 'policy', 'interval', 'message', 'pong', 'deliverPongs', 'minDelay', 'maxDelay', 'factor',
  'jitter', 'maxRetries', 'minUptime', 'shouldReconnect', 'then', 'length', 'byteLength', 'byteOffset',
  'buffer', 'constructor', 'valueOf', 'toString', 'handleEvent', 'isBuffer', 'readyState',
];

/** An object whose every known key (and the well-known symbols) is a throwing getter. */
export function throwingGetters() {
  const o = {};
  for (const k of READ_KEYS) Object.defineProperty(o, k, { get: boom(`getter ${k} throws`), enumerable: true });
  for (const s of [Symbol.toPrimitive, Symbol.toStringTag, Symbol.iterator]) {
    Object.defineProperty(o, s, { get: boom(`getter ${String(s)} throws`) });
  }
  return o;
}

const typedArrayClasses = () =>
  [
    'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
    'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'Float16Array',
  ].filter((n) => typeof globalThis[n] === 'function');

function detached(buf) {
  structuredClone(buf, { transfer: [buf] });
  return buf;
}
const hasSAB = () => typeof SharedArrayBuffer === 'function';

/**
 * Values that go in any position. `c` marks the compact subset used where a full sweep
 * would be too slow (it still holds one of every kind the brief names).
 */
export function generalValues(env) {
  const v = [];
  const add = (name, make, c = false) => v.push({ name, make, c });
  // primitives
  add('undefined', () => undefined, true);
  add('null', () => null, true);
  add('NaN', () => NaN, true);
  add('Infinity', () => Infinity, true);
  add('-Infinity', () => -Infinity, true);
  add('-0', () => -0, true);
  add('0', () => 0);
  add('-1', () => -1, true);
  add('2**53', () => 2 ** 53, true);
  add('2**32+1000', () => 2 ** 32 + 1000);
  add('1e308', () => 1e308);
  add('5e-324', () => 5e-324);
  add('true', () => true, true);
  add('false', () => false);
  add('BigInt 1000n', () => 1000n, true);
  add('BigInt 2**64', () => 2n ** 64n);
  add('Symbol()', () => Symbol('fuzz'), true);
  add('Symbol.iterator', () => Symbol.iterator);
  add("''", () => '', true);
  add("'x'", () => 'x');
  add('lone high surrogate', () => '\ud800', true);
  add('lone low surrogate', () => 'a\udc00b');
  add('NUL string', () => '\u0000');
  add('10 MiB string', big, true);
  add('10 MiB string ending in a lone surrogate', bigLone);
  add("'__proto__'", () => '__proto__');
  add("'constructor'", () => 'constructor');
  add("'toString'", () => 'toString');
  // objects
  add('{}', () => ({}), true);
  add('[]', () => []);
  add('[1, 2]', () => [1, 2]);
  add('sparse array of length 2**32-1', () => {
    const a = [];
    a.length = 2 ** 32 - 1;
    return a;
  });
  add('Object.create(null)', () => Object.create(null), true);
  add('frozen {}', () => Object.freeze({}), true);
  add('frozen null-prototype object', () => Object.freeze(Object.create(null)));
  add('throwing getters on every key', throwingGetters, true);
  add('Proxy whose every trap throws', () => throwingProxy(), true);
  add('revoked Proxy', () => revokedProxy(), true);
  add('Proxy throwing on get', () => oneTrapProxy({}, 'get'));
  add('Proxy throwing on has', () => oneTrapProxy({}, 'has'));
  add('Proxy throwing on ownKeys', () => oneTrapProxy({}, 'ownKeys'));
  add('Proxy throwing on getPrototypeOf', () => oneTrapProxy({}, 'getPrototypeOf'), true);
  add('Proxy throwing on getOwnPropertyDescriptor', () => oneTrapProxy({}, 'getOwnPropertyDescriptor'));
  add('object with throwing valueOf/toString', () => ({ valueOf: boom('valueOf throws'), toString: boom('toString throws') }), true);
  add('object with throwing Symbol.toPrimitive', () => ({ [Symbol.toPrimitive]: boom('toPrimitive throws') }));
  add('object with throwing Symbol.toStringTag getter', () =>
    Object.defineProperty({}, Symbol.toStringTag, { get: boom('toStringTag getter throws') }), true);
  add("object whose toStringTag says 'ArrayBuffer'", () => ({ [Symbol.toStringTag]: 'ArrayBuffer', byteLength: 8 }));
  add("object whose toStringTag says 'SharedArrayBuffer'", () => ({ [Symbol.toStringTag]: 'SharedArrayBuffer', byteLength: 8 }));
  add('thenable whose then throws', () => ({ then: boom('then throws') }));
  add('new String(url)', () => new String(env.echoUrl));
  add('new Number(1000)', () => new Number(1000));
  add('Date', () => new Date(0));
  add('RegExp', () => /x/g);
  add('Error', () => new Error('an error value'));
  add('Promise.resolve()', () => Promise.resolve());
  add('Map', () => new Map([['url', env.echoUrl]]));
  add('globalThis', () => globalThis);
  // functions passed where data or options are expected
  add('function () {}', () => function () {}, true);
  add('throwing function', () => boom('function throws'));
  add('class {}', () => class {});
  add('revoked function Proxy (typeof function)', () => revokedProxy(function () {}), true);
  // buffers
  add('ArrayBuffer(0)', () => new ArrayBuffer(0));
  add('ArrayBuffer(16)', () => new ArrayBuffer(16), true);
  add('detached ArrayBuffer', () => detached(new ArrayBuffer(16)), true);
  add('Uint8Array over a detached buffer', () => {
    const b = new ArrayBuffer(16);
    const u = new Uint8Array(b, 4, 8);
    detached(b);
    return u;
  }, true);
  add('DataView(buf, 4, 8)', () => new DataView(new ArrayBuffer(16), 4, 8), true);
  if (hasSAB()) add('SharedArrayBuffer(16)', () => new SharedArrayBuffer(16), true);
  add('10 MiB ArrayBuffer', () => new ArrayBuffer(10 * MiB));
  return v;
}

/** Every data shape for send/sendSocketMessage/heartbeat.message. */
export function dataValues(env) {
  const v = [];
  const add = (name, make) => v.push({ name, make });
  add("'hello'", () => 'hello');
  add("''", () => '');
  add('lone surrogates in text', () => 'a\ud800b\udc00c');
  add('10 MiB text', big);
  for (const T of typedArrayClasses()) {
    const C = globalThis[T];
    const n = C.BYTES_PER_ELEMENT;
    add(`${T}(buf, ${n}, 2)`, () => new C(new ArrayBuffer(8 * n), n, 2));
    add(`${T}(0)`, () => new C(0));
  }
  add('DataView(buf, 3, 5)', () => new DataView(new ArrayBuffer(16), 3, 5));
  add('ArrayBuffer(7)', () => new ArrayBuffer(7));
  add('detached ArrayBuffer', () => detached(new ArrayBuffer(8)));
  add('Uint8Array over a detached buffer', () => {
    const b = new ArrayBuffer(8);
    const u = new Uint8Array(b, 2, 4);
    detached(b);
    return u;
  });
  add('DataView over a detached buffer', () => {
    const b = new ArrayBuffer(8);
    const d = new DataView(b, 1, 3);
    detached(b);
    return d;
  });
  if (typeof ArrayBuffer.prototype.resize === 'function') {
    add('resizable ArrayBuffer', () => new ArrayBuffer(4, { maxByteLength: 64 }));
    add('length-tracking view of a resizable buffer shrunk to 0', () => {
      const b = new ArrayBuffer(8, { maxByteLength: 64 });
      const u = new Uint8Array(b);
      b.resize(0);
      return u;
    });
    add('view out of bounds after its buffer shrank', () => {
      const b = new ArrayBuffer(16, { maxByteLength: 64 });
      const u = new Uint8Array(b, 8, 8);
      b.resize(4);
      return u;
    });
  }
  if (hasSAB()) {
    add('SharedArrayBuffer(8)', () => new SharedArrayBuffer(8));
    add('Uint8Array over a SharedArrayBuffer', () => new Uint8Array(new SharedArrayBuffer(8), 2, 4));
    add('DataView over a SharedArrayBuffer', () => new DataView(new SharedArrayBuffer(8)));
  }
  add('view with shadowed byteLength (1e9)', () =>
    Object.defineProperty(new Uint8Array(8), 'byteLength', { value: 1e9 }));
  add('view with a throwing byteLength getter', () =>
    Object.defineProperty(new Uint8Array(8), 'byteLength', { get: boom('byteLength getter throws') }));
  add('view with a throwing buffer getter', () =>
    Object.defineProperty(new Uint8Array(8), 'buffer', { get: boom('buffer getter throws') }));
  add('view with a throwing Symbol.toStringTag getter', () =>
    Object.defineProperty(new Uint8Array(8), Symbol.toStringTag, { get: boom('toStringTag getter throws') }));
  add("ArrayBuffer whose toStringTag says 'SharedArrayBuffer'", () =>
    Object.defineProperty(new ArrayBuffer(8), Symbol.toStringTag, { value: 'SharedArrayBuffer' }));
  add("plain object whose toStringTag says 'ArrayBuffer'", () => ({ [Symbol.toStringTag]: 'ArrayBuffer', byteLength: 8, slice: () => new ArrayBuffer(8) }));
  add('fake view {buffer, byteOffset, byteLength}', () => ({ buffer: new ArrayBuffer(8), byteOffset: 0, byteLength: 8 }));
  add('Uint8Array with Array.prototype as prototype', () => Object.setPrototypeOf(new Uint8Array(4), Array.prototype));
  add('Proxy of a Uint8Array (instanceof true, no slots)', () => new Proxy(new Uint8Array(4), {}));
  add('Proxy of an ArrayBuffer', () => new Proxy(new ArrayBuffer(4), {}));
  add('Uint8Array of 10 MiB', () => new Uint8Array(10 * MiB));
  if (env.foreign) {
    add('ArrayBuffer from another realm', () => env.foreign('new ArrayBuffer(6)'));
    add('Uint8Array from another realm', () => env.foreign('new Uint8Array([1,2,3])'));
    add('string object from another realm', () => env.foreign('new String("x")'));
  }
  if (typeof Blob === 'function') add('Blob', () => new Blob(['blob']));
  return v;
}

/** Callback positions: non-functions, throwing, re-entrant, hostile function objects. */
export function callbackValues(env) {
  const v = [];
  const add = (name, make) => v.push({ name, make });
  // non-functions: the kinds that matter where a function is expected (numbers are all alike)
  const keep = new Set(['undefined', 'null', 'NaN', 'true', 'BigInt 1000n', 'Symbol()', "''", '10 MiB string', '{}',
    'Object.create(null)', 'frozen {}', 'throwing getters on every key', 'Proxy whose every trap throws', 'revoked Proxy',
    'Proxy throwing on getPrototypeOf', 'object with throwing Symbol.toStringTag getter', 'detached ArrayBuffer']);
  for (const g of generalValues(env).filter((x) => keep.has(x.name))) add(g.name, g.make);
  add('throwing function', () => boom('callback throws'));
  add('class constructor (throws when called)', () => class Nope {});
  add('revoked function Proxy', () => revokedProxy(function () {}));
  add('function Proxy whose every trap throws', () => throwingProxy(function () {}));
  add('bound function', () => function () {}.bind(null));
  add('generator function', () => function* () {});
  add('function returning a throwing Proxy', () => () => throwingProxy());
  add('function with throwing name/length getters', () =>
    Object.defineProperties(function () {}, { name: { get: boom('name getter throws') }, length: { get: boom('length getter throws') } }));
  for (const kind of REENTRY_KINDS) add(`re-enters: ${kind}`, (ctx) => (...args) => ctx.reenter(kind, args));
  add('re-enters: everything, then throws', (ctx) => (...args) => {
    for (const kind of REENTRY_KINDS) ctx.reenter(kind, args);
    throw new FuzzError('callback throws after re-entering');
  });
  return v;
}
// What a re-entrant callback does (fuzz.js implements each).
export const REENTRY_KINDS = [
  'task.send', 'task.send x50', 'task.close', 'task.close(4000)', 'connectSocket', 'createSocketTask',
  'closeSocket', 'sendSocketMessage', 'task.onMessage+onClose', 'task.offAll', 'task.free',
  'read every getter',
];

export const CLOSE_CODES = [
  999, 1000, 1001, 1002, 1005, 1006, 1015, 2999, 3000, 3001, 4999, 5000, 3000.5, -0, 0, -1000,
  65536 + 1000, 2 ** 32 + 1000, 2 ** 53, 1e21, NaN, Infinity, -Infinity, '1000', '3000', ' 1000', '0x3e8',
  '', true, null, undefined, 1000n, Symbol('code'),
];
export function codeValues() {
  const v = CLOSE_CODES.map((c) => ({ name: `code ${typeof c === 'string' ? JSON.stringify(c) : typeof c === 'bigint' ? `${c}n` : Object.is(c, -0) ? '-0' : String(c)}`, make: () => c }));
  v.push({ name: 'code {valueOf: () => 1000}', make: () => ({ valueOf: () => 1000 }) });
  v.push({ name: 'code with throwing valueOf', make: () => ({ valueOf: boom('valueOf throws') }) });
  v.push({ name: 'code new Number(3000)', make: () => new Number(3000) });
  return v;
}
export function reasonValues() {
  const v = [];
  const add = (name, make) => v.push({ name, make });
  add('reason of 123 ASCII bytes', () => 'r'.repeat(123));
  add('reason of 124 ASCII bytes', () => 'r'.repeat(124));
  add("reason of 41 '€' (123 UTF-8 bytes)", () => '€'.repeat(41));
  add("reason of 41 '€' + 'x' (124 UTF-8 bytes)", () => `${'€'.repeat(41)}x`);
  add("reason of 62 'é' (124 UTF-8 bytes)", () => 'é'.repeat(62));
  add("reason of 30 '😀' + 'abc' (123 UTF-8 bytes)", () => `${'😀'.repeat(30)}abc`);
  add('reason of 41 lone surrogates (123 bytes as U+FFFD)', () => '\ud800'.repeat(41));
  add('reason of 42 lone surrogates (126 bytes as U+FFFD)', () => '\udc00'.repeat(42));
  add('reason with NUL', () => 'a\u0000b');
  add("reason ''", () => '');
  add('reason 10 MiB', big);
  add('reason 123 (number)', () => 123);
  add('reason Symbol', () => Symbol('r'));
  add('reason {toString: () => "x"}', () => ({ toString: () => 'x' }));
  add('reason with throwing toString', () => ({ toString: boom('toString throws') }));
  add('reason new String("bye")', () => new String('bye'));
  add('reason null', () => null);
  return v;
}

/** URL values: strings (malformed, ports, paths the server treats specially) and functions. */
export function urlValues(env) {
  const P = env.port;
  const D = env.deadPort;
  const host = `127.0.0.1:${P}`;
  const v = [];
  const add = (name, make) => v.push({ name, make });
  const strs = [
    '', 'ws', 'ws:', 'ws://', 'ws:///echo', 'wss://', 'ws://:80/', `http://${host}/echo`, 'ftp://x/',
    'javascript:alert(1)', `WS://${host}/echo`, `Ws://${host}/echo?id=fz`, ` ws://${host}/echo`, `ws://${host}/echo `,
    `ws://${host}/echo\n`, `ws://${host}/echo#frag`, `ws://${host}/ec ho`, 'ws://127.0.0.1:0/echo',
    'ws://127.0.0.1:65536/echo', 'ws://127.0.0.1:99999999999/echo', 'ws://127.0.0.1:-1/echo',
    'ws://127.0.0.1:abc/echo', `ws://${host}:${P}/echo`, 'ws://[::1/echo', `ws://[::1]:${P}/echo`,
    `ws://user:pass@${host}/echo?id=fz`, `ws://127.0.0.1:${D}/echo`, `ws://${host}/hang`,
    `ws://${host}/drop?id=fz`, `ws://${host}/drop?after=5&id=fz`, `ws://${host}/close?code=4001&reason=bye&id=fz`,
    `ws://${host}/close?id=fz`, `ws://${host}/close?code=1011&after=5&id=fz`, `ws://${host}/nope`,
    `wss://${host}/echo`, 'ws://\u0000/', `ws://${host}/\ud800`, `ws://${host}/echo?\udc00=1`, 'ws://%zz/',
    `ws://${host}/echo?${'q'.repeat(1000)}`, 'ws://127.0.0.1:65535/echo',
  ];
  for (const s of strs) add(`url ${JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s)}`, () => s);
  add('url > 2 MiB', () => `ws://${host}/echo?id=fz&pad=${'a'.repeat(2 * MiB + 100)}`);
  add('url 10 MiB (not a ws url)', big);
  add('url new String(valid)', () => new String(`ws://${host}/echo?id=fz`));
  add('url URL object', () => new URL(`ws://${host}/echo?id=fz`));
  // functions (the package accepts url: () => string)
  add('url fn -> valid', () => () => `ws://${host}/echo?id=fz`);
  add('url fn throws', () => boom('url function throws'));
  add('url fn -> undefined', () => () => undefined);
  add('url fn -> 42', () => () => 42);
  add('url fn -> Symbol', () => () => Symbol('u'));
  add('url fn -> throwing Proxy', () => () => throwingProxy());
  add('url fn -> 10 MiB string', () => big);
  add('url fn -> another function', () => () => () => `ws://${host}/echo?id=fz`);
  add('url fn -> Promise', () => async () => `ws://${host}/echo?id=fz`);
  add('url fn -> invalid url', () => () => 'http://nope/');
  add('url fn valid first, then throws (reconnect)', () => {
    let n = 0;
    return () => {
      if (n++ === 0) return `ws://${host}/drop?after=5&id=fz`;
      throw new FuzzError('url function throws on the second call');
    };
  });
  add('url fn valid first, then garbage (reconnect)', () => {
    let n = 0;
    return () => (n++ === 0 ? `ws://${host}/drop?after=5&id=fz` : { nope: true });
  });
  add('url fn re-enters connectSocket (3 deep)', (ctx) => {
    let depth = 0;
    const fn = () => {
      if (depth < 3) {
        depth++;
        ctx.reenter('connectSocket', [], { url: fn });
        depth--;
      }
      return `ws://${host}/echo?id=fz`;
    };
    return fn;
  });
  add('url fn re-enters closeSocket and createSocketTask', (ctx) => () => {
    ctx.reenter('closeSocket');
    ctx.reenter('createSocketTask');
    return `ws://${host}/echo?id=fz`;
  });
  add('url fn replaces console.error with a thrower', () => () => {
    console.error = boom('console.error throws');
    return 'not a url';
  });
  add('url revoked function Proxy', () => revokedProxy(() => 'x'));
  return v;
}

/** Extra header values (Node's ws sends them; browsers ignore them). */
export function headerValues() {
  const v = [];
  const add = (name, make) => v.push({ name, make });
  add('header {a: "b"}', () => ({ a: 'b' }));
  add('header {"": "x"}', () => ({ '': 'x' }));
  add('header with CRLF injection in a value', () => ({ 'x-a': 'b\r\nInjected: 1' }));
  add('header with a space in a name', () => ({ 'a b': 'c' }));
  add('header Host/Sec-WebSocket-Key overrides', () => ({ Host: 'evil', 'Sec-WebSocket-Key': 'x', Upgrade: 'nope' }));
  add('header values Symbol/number/null/object', () => ({ a: Symbol('h'), b: 5, c: null, d: {} }));
  add('header value 10 MiB', () => ({ big: big() }));
  add('header value lone surrogate', () => ({ a: '\ud800' }));
  add('header name lone surrogate', () => ({ '\ud800': 'x' }));
  add('header with a throwing getter', () => Object.defineProperty({}, 'x', { get: boom('header getter throws'), enumerable: true }));
  add('header with 5000 keys', () => Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, 'v'])));
  add('header array', () => [['a', 'b']]);
  return v;
}

export function protocolValues() {
  const v = [];
  const add = (name, make) => v.push({ name, make });
  add("protocols 'chat'", () => 'chat');
  add("protocols ['chat', 'chat'] (duplicate)", () => ['chat', 'chat']);
  add("protocols ['a b'] (not a token)", () => ['a b']);
  add("protocols ['']", () => ['']);
  add("protocols ['chat', 5]", () => ['chat', 5]);
  add('protocols [Symbol()]', () => [Symbol('p')]);
  add('protocols sparse [,]', () => [, 'x']); // eslint-disable-line no-sparse-arrays
  add('protocols array with a throwing element getter', () => Object.defineProperty(['a'], 0, { get: boom('element getter throws') }));
  add('protocols array-like {length: 2**32}', () => ({ length: 2 ** 32 }));
  add('protocols Proxy array with throwing get', () => oneTrapProxy(['a'], 'get'));
  add('protocols 10 MiB', big);
  add("protocols ['\\ud800']", () => ['\ud800']);
  add('protocols 1000 entries', () => Array.from({ length: 1000 }, (_, i) => `p${i}`));
  add('protocols Set', () => new Set(['chat']));
  return v;
}

export function numberValues() {
  return [0, -1, 1, 5, 0.5, 2 ** 31, 2 ** 31 - 1, 2 ** 32, 2 ** 53, 1e21, NaN, Infinity, -Infinity, -0, '100', 10n]
    .map((n) => ({ name: typeof n === 'bigint' ? `${n}n` : typeof n === 'string' ? JSON.stringify(n) : Object.is(n, -0) ? '-0' : String(n), make: () => n }));
}

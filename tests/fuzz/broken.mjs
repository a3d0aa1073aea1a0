// A deliberately broken copy of the package's API, for the fuzz's self-test
// (tests/fuzz/selftest.mjs): the real Node entry (MPSOCKET_PKG, default pkg/node.js) with one
// defect per counter, each hit by a few of the fuzz's cases:
//   sync-throws  connectSocket throws when timeout is 0
//   traps        sendSocketMessage throws a WebAssembly.RuntimeError for data ''
//   uncaught     sendSocketMessage throws from a timer when its data has lone surrogates
//   unsettled    sendSocketMessage with data 'hello' runs complete twice;
//                getNetworkType(undefined) returns a Promise that never settles
//   stuck        after task.close({code: 4000, ...}), the task stays CLOSING and close() does nothing
//   poisoned     from the 30th connectSocket on, new tasks drop what they are asked to send
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const real = await import(pathToFileURL(path.resolve(process.env.MPSOCKET_PKG || path.join(here, '../../pkg/node.js'))).href);

class BrokenTask {
  constructor(t) {
    this.t = t;
  }
  close(o) {
    let code;
    try { code = o?.code; } catch { code = undefined; }
    if (code === 4000) this.deaf = true; // from then on, close() does nothing
    if (this.deaf) return undefined;
    return this.t.close(o);
  }
}
BrokenTask.prototype.send = function (o) {
  if (this.mute) return undefined;
  return this.t.send(o);
};
for (const k of ['onOpen', 'onMessage', 'onError', 'onClose', 'onReconnecting', 'offOpen', 'offMessage', 'offError', 'offClose', 'offReconnecting', 'free']) {
  BrokenTask.prototype[k] = function (...a) {
    return this.t[k](...a);
  };
}
// a task that was asked to close with 4000 stays CLOSING for good
Object.defineProperty(BrokenTask.prototype, 'readyState', { get() { return this.deaf ? 2 : this.t.readyState; } });
for (const k of ['queueLength', 'reconnectAttempt', 'lastRtt', 'socketTaskId', 'socket', 'url', 'CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) {
  Object.defineProperty(BrokenTask.prototype, k, { get() { return this.t[k]; } });
}
const wrap = (t) => (t && typeof t === 'object' ? new BrokenTask(t) : t);
const timeoutOf = (o) => {
  try { return o?.timeout; } catch { return undefined; }
};
const dataOf = (o) => {
  try { return o?.data; } catch { return undefined; }
};

let connects = 0;
export const connectSocket = (o) => {
  if (timeoutOf(o) === 0) throw new Error('broken: connectSocket throws for timeout 0');
  const t = wrap(real.connectSocket(o));
  if (++connects >= 30 && t) t.mute = true;
  return t;
};
export const createSocketTask = (o) => wrap(real.createSocketTask(o));
export const sendSocketMessage = (o) => {
  const d = dataOf(o);
  if (d === '') throw new WebAssembly.RuntimeError('unreachable');
  if (d === 'a\ud800b\udc00c') setTimeout(() => { throw new Error('broken: uncaught from a timer'); });
  if (d === 'hello' && o && typeof o.complete === 'function') {
    const c = o.complete;
    return real.sendSocketMessage({ ...o, complete: (r) => { c(r); c(r); } });
  }
  return real.sendSocketMessage(o);
};
export const getNetworkType = (o) => {
  if (o === undefined) return new Promise(() => {});
  return real.getNetworkType(o);
};
export const { configure } = real;
export const {
  closeSocket, install, onSocketOpen, onSocketMessage, onSocketError, onSocketClose,
  onNetworkStatusChange, offNetworkStatusChange, onNetworkWeakChange, offNetworkWeakChange,
} = real;

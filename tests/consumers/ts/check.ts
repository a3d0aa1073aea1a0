// tsc --strict over every API of mpsocket, as a TypeScript user sees it through the npm
// package (tsconfig.json: DOM lib, skipLibCheck off, so the package's .d.ts files are
// checked too). Compiled only. `@ts-expect-error` lines make sure the types are not `any`:
// each must be an error, or tsc fails. wechat.ts checks the compatibility with WeChat's
// own typings.
import {
  closeSocket,
  configure,
  connectSocket,
  createSocketTask,
  getNetworkType,
  install,
  offNetworkStatusChange,
  offNetworkWeakChange,
  onNetworkStatusChange,
  onNetworkWeakChange,
  onSocketClose,
  onSocketError,
  onSocketMessage,
  onSocketOpen,
  sendSocketMessage,
  SocketTask,
} from 'mpsocket';
import type {
  AlipayApi,
  ConnectSocketOption,
  GeneralCallbackResult,
  GetNetworkTypeResult,
  NetworkStatusResult,
  NetworkWeakResult,
  PlatformApis,
  SocketCloseResult,
  SocketData,
  SocketMessageResult,
  SocketOpenResult,
  SocketReconnectingResult,
  TaroApi,
  ToutiaoApi,
  WechatApi,
} from 'mpsocket';
import shimDefault from 'mpsocket/shim';
import shimWx from 'mpsocket/shim/wx';
import shimQq from 'mpsocket/shim/qq';
import shimTt from 'mpsocket/shim/tt';
import shimSwan from 'mpsocket/shim/swan';
import shimUni from 'mpsocket/shim/uni';
import shimMy from 'mpsocket/shim/my';
import shimTaro from 'mpsocket/shim/taro';
import type {} from 'mpsocket/classic';

/** Compiles only when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | undefined {
  return undefined;
}
const log = (...args: unknown[]): void => console.log(...args);

// ---- connectSocket / createSocketTask: every option -------------------------------------
const options: ConnectSocketOption = {
  url: 'wss://example.com/socket',
  header: { 'x-token': 't' },
  protocols: ['chat'],
  tcpNoDelay: true,
  perMessageDeflate: false,
  timeout: 5000,
  forceCellularNetwork: false,
  sslVerify: true,
  queue: { maxMessages: 10, maxBytes: 1024, policy: 'drop-oldest' },
  heartbeat: {
    interval: 1000,
    timeout: 500,
    message: () => 'ping',
    pong: (data: SocketData) => data === 'pong',
    deliverPongs: false,
  },
  reconnect: {
    minDelay: 100,
    maxDelay: 1000,
    factor: 2,
    jitter: 0.5,
    maxRetries: 3,
    minUptime: 1000,
    shouldReconnect: (code: number, reason: string) => code !== 4000 && reason !== 'bye',
  },
  WebSocket: globalThis.WebSocket,
  debug: false,
  success: (res) => log(res.errMsg, res.socketTaskId),
  fail: (res) => log(res.errMsg),
  complete: (res) => log(res.errMsg),
};
const maybeTask: SocketTask | undefined = connectSocket(options);
if (!maybeTask) throw new Error('invalid options');
const task: SocketTask = maybeTask;
createSocketTask({ url: () => 'wss://example.com/fresh-token', queue: true, heartbeat: false, reconnect: true });
// @ts-expect-error url is required
connectSocket({});
// @ts-expect-error policy is 'reject' or 'drop-oldest'
connectSocket({ url: 'wss://x', queue: { policy: 'never' } });

// ---- SocketTask ----------------------------------------------------------------------------
const onOpen = (res: SocketOpenResult): void => log(res.header, res.profile.cost, res.profile.domainLookUpStart, res.isReconnect);
const onMessage = (res: SocketMessageResult): void => log(typeof res.data === 'string' ? res.data : res.data.byteLength);
const onError = (res: GeneralCallbackResult): void => log(res.errMsg);
const onClose = (res: SocketCloseResult): void => log(res.code, res.reason);
const onReconnecting = (res: SocketReconnectingResult): void => log(res.attempt, res.delay, res.code, res.reason);
task.onOpen(onOpen);
task.onMessage(onMessage);
task.onError(onError);
task.onClose(onClose);
task.onReconnecting(onReconnecting);
task.offOpen(onOpen);
task.offMessage(onMessage);
task.offError(onError);
task.offClose(onClose);
task.offReconnecting(onReconnecting);
task.offMessage();
task.send({ data: 'text', success: (r) => log(r.errMsg), fail: (r) => log(r.errMsg), complete: (r) => log(r.errMsg) });
task.send({ data: new ArrayBuffer(2) });
task.send({ data: new Uint8Array([1, 2, 3]) });
// @ts-expect-error data must be a string, an ArrayBuffer or a view
task.send({ data: 42 });
task.close({ code: 4000, reason: 'bye', success: (r) => log(r.errMsg) });
task.close();
const state: number = task.readyState + task.CONNECTING + task.OPEN + task.CLOSING + task.CLOSED;
const queued: number = task.queueLength + task.reconnectAttempt + task.socketTaskId;
const rtt: number | undefined = task.lastRtt;
const url: string | null = task.url;
// `socket` is the underlying socket (the browser's WebSocket, or Node's ws): its common
// members are typed, and a browser WebSocket fits the type.
const socket = task.socket;
const socketState: number | undefined = socket ? socket.readyState + socket.bufferedAmount : undefined;
socket?.send('raw');
const browserSocket: NonNullable<SocketTask['socket']> = new WebSocket('wss://example.com');
log(state, queued, rtt, url, socketState, browserSocket);
// @ts-expect-error readyState is read-only
task.readyState = 1;

// ---- the legacy global functions -----------------------------------------------------------
onSocketOpen((res) => log(res.header));
onSocketMessage((res) => log(res.data));
onSocketError((res) => log(res.errMsg));
onSocketClose((res) => log(res.code, res.reason));
const sent: Promise<GeneralCallbackResult> = sendSocketMessage({ data: 'hi' });
const sentCb: undefined = sendSocketMessage({ data: 'hi', success: (r) => log(r.errMsg) });
const closed: Promise<GeneralCallbackResult> = closeSocket();
const closedCode: Promise<GeneralCallbackResult> = closeSocket({ code: 1000, reason: 'done' });
const closedCb: undefined = closeSocket({ complete: (r) => log(r.errMsg) });
log(sent, sentCb, closed, closedCode, closedCb);

// ---- network status -------------------------------------------------------------------------
const net: Promise<GetNetworkTypeResult> = getNetworkType();
const netCb: undefined = getNetworkType({ success: (r) => log(r.networkType, r.signalStrength, r.hasSystemProxy, r.weakNet) });
net.then((r) => log(r.networkType === 'wifi' || r.networkType === 'none'));
log(netCb);
const onStatus = (res: NetworkStatusResult): void => log(res.isConnected, res.networkType);
const onWeak = (res: NetworkWeakResult): void => log(res.weakNet, res.networkType);
onNetworkStatusChange(onStatus);
offNetworkStatusChange(onStatus);
offNetworkStatusChange();
onNetworkWeakChange(onWeak);
offNetworkWeakChange(onWeak);
offNetworkWeakChange();
// @ts-expect-error a listener is required
onNetworkStatusChange();

// ---- configure, install and the platform objects --------------------------------------------
configure({ maxConnections: 10 });
const wxApi = install(globalThis, { platform: 'wx' });
assertType<Equal<typeof wxApi, PlatformApis['wx'] | undefined>>();
wxApi?.rtc.createSocketTask({ url: 'wss://x', sslVerify: false });
const byDefault = install();
assertType<Equal<typeof byDefault, PlatformApis['wx'] | undefined>>();
const taroApi = install({}, { platform: 'taro', overwrite: true });
assertType<Equal<typeof taroApi, TaroApi | undefined>>();
taroApi?.connectSocket({ url: 'wss://x' }).then((t: SocketTask) => t.close());
const ttApi: ToutiaoApi | undefined = install(globalThis, { platform: 'tt' });
// @ts-expect-error tt has no legacy global functions
ttApi?.sendSocketMessage({ data: 'x' });
const myApi: AlipayApi | undefined = install(globalThis, { platform: 'my' });
myApi?.connectSocket({ url: 'wss://x', multiple: true, fail: (e) => log(e.error, e.errorMessage) });
myApi?.sendSocketMessage({ data: 'AQID', isBuffer: true });
myApi?.onSocketMessage((res) => log(res.isBuffer ? atob(res.data) : res.data));
myApi?.offSocketMessage();
// @ts-expect-error no such platform
install(globalThis, { platform: 'xx' });

// The shims' default exports are the installed objects.
const shims: [WechatApi, WechatApi, WechatApi, ToutiaoApi, WechatApi, WechatApi, AlipayApi, TaroApi] = [
  shimDefault,
  shimWx,
  shimQq,
  shimTt,
  shimSwan,
  shimUni,
  shimMy,
  shimTaro,
];
shimWx.rtc.onSocketMessage((res) => log(res.data));
log(shims);

// The classic script's global.
globalThis.mpsocket.connectSocket({ url: 'wss://x' });

export { task };

// mpsocket: the WeChat mini-program socket API on the standard WebSocket, with a send queue,
// heartbeats and reconnect decided in Rust/WebAssembly. These declarations cover every entry
// of the package (browser, Node, the shims, the classic script's global). They use no DOM
// type, so a Node-only tsconfig compiles them.

/** `{errMsg}`: every callback and Promise result carries one. */
export interface GeneralCallbackResult { errMsg: string }
export interface ConnectSocketSuccessResult extends GeneralCallbackResult { socketTaskId: number }
export interface QueueOptions {
  /** Default 1000. */ maxMessages?: number;
  /** Default 1048576 (1 MiB); text counts its UTF-8 bytes. */ maxBytes?: number;
  /** Default 'reject'. */ policy?: 'reject' | 'drop-oldest';
}
export type SocketData = string | ArrayBuffer;
export interface HeartbeatOptions {
  /** Silence (ms) after which `message` is sent. Default 30000. */ interval?: number;
  /** Time (ms) a ping may go unanswered before the connection is declared dead. Default 10000. */ timeout?: number;
  /** Default 'ping'. */ message?: SocketData | (() => SocketData);
  /** Default 'pong'. */ pong?: string | ((data: SocketData) => boolean);
  /** Deliver pongs to onMessage too. Default false. */ deliverPongs?: boolean;
}
export interface ReconnectOptions {
  /** Default 1000. */ minDelay?: number;
  /** Default 30000. */ maxDelay?: number;
  /** Default 2. */ factor?: number;
  /** 0–1, default 0.5. */ jitter?: number;
  /** Default Infinity. */ maxRetries?: number;
  /** Default 5000. */ minUptime?: number;
  shouldReconnect?: (code: number, reason: string) => boolean;
}
/** A WebSocket class: the browser's, Node's `ws`, or any compatible constructor. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[], options?: any) => unknown;
export interface ConnectSocketOption {
  url: string | (() => string);
  /** Sent by Node's `ws` (as its `headers` option); browsers cannot send handshake headers, so there it is ignored with a warning printed once. */
  header?: Record<string, string>;
  protocols?: string[] | string;
  /** Accepted; the browser decides. */ tcpNoDelay?: boolean;
  /** Accepted; the browser decides. */ perMessageDeflate?: boolean;
  /** Connect timeout in ms. Default 60000. */ timeout?: number;
  /** Accepted; no effect on the web. */ forceCellularNetwork?: boolean;
  /** `false` becomes `rejectUnauthorized: false` for Node's `ws`; browsers always verify certificates (a warning is printed once). */ sslVerify?: boolean;
  queue?: boolean | QueueOptions;
  heartbeat?: boolean | HeartbeatOptions;
  reconnect?: boolean | ReconnectOptions;
  WebSocket?: WebSocketConstructor;
  /** Log state transitions (never payloads) with console.debug. */ debug?: boolean;
  success?: (res: ConnectSocketSuccessResult) => void;
  fail?: (res: GeneralCallbackResult) => void;
  complete?: (res: GeneralCallbackResult) => void;
}
export interface SocketProfile {
  /** Times in ms since the epoch, and durations; fields the web cannot know (`domainLookUp*`, `rtt`, `handshakeCost`; WeChat's spelling) are 0. */
  fetchStart: number; domainLookUpStart: number; domainLookUpEnd: number; connectStart: number;
  connectEnd: number; rtt: number; handshakeCost: number; cost: number;
}
export interface SocketOpenResult {
  header: Record<string, string>;
  profile: SocketProfile;
  /** true for every open after the first (reconnect). */
  isReconnect: boolean;
}
export interface SocketMessageResult { data: SocketData }
export interface SocketCloseResult { code: number; reason: string }
export interface SocketReconnectingResult { attempt: number; delay: number; code: number; reason: string }
export interface SendSocketMessageOption {
  data: string | ArrayBuffer | ArrayBufferView;
  success?: (res: GeneralCallbackResult) => void;
  fail?: (res: GeneralCallbackResult) => void;
  complete?: (res: GeneralCallbackResult) => void;
}
export interface CloseSocketOption {
  /** 1000 or 3000–4999. Default 1000. */ code?: number;
  /** At most 123 UTF-8 bytes. */ reason?: string;
  success?: (res: GeneralCallbackResult) => void;
  fail?: (res: GeneralCallbackResult) => void;
  complete?: (res: GeneralCallbackResult) => void;
}
export interface GetNetworkTypeResult extends GeneralCallbackResult {
  networkType: 'wifi' | '2g' | '3g' | '4g' | '5g' | 'unknown' | 'none';
  signalStrength: number;
  hasSystemProxy: boolean;
  weakNet: boolean;
}
export interface GetNetworkTypeOption {
  success?: (res: GetNetworkTypeResult) => void;
  fail?: (res: GeneralCallbackResult) => void;
  complete?: (res: GeneralCallbackResult) => void;
}
export interface NetworkStatusResult { isConnected: boolean; networkType: GetNetworkTypeResult['networkType'] }
export interface NetworkWeakResult { weakNet: boolean; networkType: GetNetworkTypeResult['networkType'] }
export type Platform = 'wx' | 'qq' | 'tt' | 'swan' | 'uni' | 'my' | 'taro';
export interface InstallOption {
  /** Default 'wx'. */ platform?: Platform;
  /** Replace members the platform object already has. Default false. */ overwrite?: boolean;
}
export interface ConfigureOption {
  /** Live tasks allowed at once. Default 5. */ maxConnections?: number;
  /** The default WebSocket class for every task (e.g. Node's `ws`), also for libraries that call `wx.connectSocket` themselves. Default `globalThis.WebSocket`. */
  WebSocket?: WebSocketConstructor;
}

/**
 * What an API that "returns a Promise when no callback key is given" returns for options of
 * type `O`: `undefined` when `O` surely has a `success`, `fail` or `complete` key, a Promise
 * of `R` when it surely has none, and either when that is only known at run time.
 */
export type AsyncResult<O, R> =
  O extends { success: unknown } | { fail: unknown } | { complete: unknown } ? undefined
  : [Extract<keyof O, 'success' | 'fail' | 'complete'>] extends [never] ? Promise<R>
  : Promise<R> | undefined;
/** The API that `install` puts on `wx`, `qq`, `swan` and `uni`: WeChat's shape. */
export interface WechatApi {
  canIUse: typeof canIUse;
  connectSocket: typeof connectSocket;
  createSocketTask: typeof createSocketTask;
  sendSocketMessage: typeof sendSocketMessage;
  closeSocket: typeof closeSocket;
  onSocketOpen: typeof onSocketOpen;
  onSocketMessage: typeof onSocketMessage;
  onSocketError: typeof onSocketError;
  onSocketClose: typeof onSocketClose;
  getNetworkType: typeof getNetworkType;
  onNetworkStatusChange: typeof onNetworkStatusChange;
  offNetworkStatusChange: typeof offNetworkStatusChange;
  onNetworkWeakChange: typeof onNetworkWeakChange;
  offNetworkWeakChange: typeof offNetworkWeakChange;
}
/** `wx.rtc`: not a WeChat API; mpsocket's labelled alias for the article's code. */
export interface RtcAlias extends Pick<WechatApi, 'createSocketTask' | 'sendSocketMessage' | 'onSocketMessage'> {
  readonly __mpsocketAlias: string;
}
/** `tt`: WeChat's shape without the legacy global functions. */
export type ToutiaoApi = Omit<WechatApi, 'sendSocketMessage' | 'closeSocket' | 'onSocketOpen' | 'onSocketMessage' | 'onSocketError' | 'onSocketClose'>;
/** `taro`: `connectSocket` returns a Promise of the task, as `Taro.connectSocket` does. */
export interface TaroApi extends Omit<WechatApi, 'connectSocket'> {
  connectSocket(options: ConnectSocketOption): Promise<SocketTask>;
}
/** Alipay's failure object: `{error, errorMessage}` instead of `{errMsg}`. */
export interface AlipayError { error: number; errorMessage: string }
/** Options `O` with Alipay's `fail`/`complete` arguments. */
export type AlipayOption<O> = Omit<O, 'fail' | 'complete'> & {
  fail?: (err: AlipayError) => void;
  complete?: (res: GeneralCallbackResult | AlipayError) => void;
};
export type AlipayConnectSocketOption = AlipayOption<ConnectSocketOption> & {
  /** `my.connectSocket` returns the task only with `multiple: true`. */ multiple?: boolean;
};
export type AlipaySendSocketMessageOption = AlipayOption<SendSocketMessageOption> & {
  /** `data` is base64 of binary data. */ isBuffer?: boolean;
};
/** Binary arrives as base64 with `isBuffer: true`. */
export interface AlipaySocketMessageResult { data: string; isBuffer: boolean }
/** The API that `install` puts on `my`: Alipay's own shape. */
export interface AlipayApi {
  connectSocket(options: AlipayConnectSocketOption): SocketTask | undefined;
  createSocketTask(options: AlipayOption<ConnectSocketOption>): SocketTask | undefined;
  sendSocketMessage(options: AlipaySendSocketMessageOption): Promise<GeneralCallbackResult> | undefined;
  closeSocket(options?: AlipayOption<CloseSocketOption>): Promise<GeneralCallbackResult> | undefined;
  onSocketOpen: typeof onSocketOpen;
  onSocketMessage(listener: (res: AlipaySocketMessageResult) => void): void;
  onSocketError: typeof onSocketError;
  onSocketClose: typeof onSocketClose;
  /** Each removes the one listener of its event (the argument is ignored). */ offSocketOpen(listener?: unknown): void;
  offSocketMessage(listener?: unknown): void;
  offSocketError(listener?: unknown): void;
  offSocketClose(listener?: unknown): void;
  getNetworkType(options?: AlipayOption<GetNetworkTypeOption>): Promise<GetNetworkTypeResult> | undefined;
  onNetworkStatusChange: typeof onNetworkStatusChange;
  offNetworkStatusChange: typeof offNetworkStatusChange;
  canIUse: typeof canIUse;
}
/** What `install(target, {platform})` returns, per platform. */
export interface PlatformApis {
  wx: WechatApi & { rtc: RtcAlias };
  qq: WechatApi;
  swan: WechatApi;
  uni: WechatApi;
  tt: ToutiaoApi;
  my: AlipayApi;
  taro: TaroApi;
}

/** Options `O`, with any key that `T` doesn't have turned into an error. */
export type Exact<O, T> = O & Record<Exclude<keyof O, keyof T>, never>;

/** The underlying socket object: the browser's WebSocket, Node's `ws`, or what `WebSocket` made. */
export interface RawSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  readonly protocol: string;
  readonly extensions: string;
  send(data: unknown): void;
  close(code?: number, reason?: string): void;
}

/**
 * A WebSocket connection with the mini-program `SocketTask` interface. Listeners stack
 * (`onMessage` adds, it does not replace) and are dropped when the task finally closes.
 */
export declare class SocketTask {
  private constructor();
  /** Sends a string, an ArrayBuffer or an ArrayBufferView (exactly its bytes). Fails through `fail` with `sendSocketMessage:fail data must be string or ArrayBuffer` for other data, `SocketTask.send:fail SocketTask.readyState is not OPEN` when not open and without a queue, and `sendSocketMessage:fail queue full` / `task closed` with one. */
  send<O extends SendSocketMessageOption>(options: Exact<O, SendSocketMessageOption>): void;
  /** Closes the task (`code` 1000 or 3000–4999, `reason` at most 123 UTF-8 bytes). An invalid code or reason fails with `closeSocket:fail …` and closes nothing; a closed task fails with `closeSocket:fail WebSocket is not connected`. */
  close<O extends CloseSocketOption>(options?: Exact<O, CloseSocketOption>): void;
  onOpen(listener: (res: SocketOpenResult) => void): void;
  onMessage(listener: (res: SocketMessageResult) => void): void;
  onError(listener: (res: GeneralCallbackResult) => void): void;
  onClose(listener: (res: SocketCloseResult) => void): void;
  /** Called before each reconnect wait (with `reconnect` on). */
  onReconnecting(listener: (res: SocketReconnectingResult) => void): void;
  /** Removes one listener, or all of them without an argument. */
  offOpen(listener?: (res: SocketOpenResult) => void): void;
  offMessage(listener?: (res: SocketMessageResult) => void): void;
  offError(listener?: (res: GeneralCallbackResult) => void): void;
  offClose(listener?: (res: SocketCloseResult) => void): void;
  offReconnecting(listener?: (res: SocketReconnectingResult) => void): void;
  /** 0 CONNECTING (also while waiting to reconnect or paused offline), 1 OPEN, 2 CLOSING, 3 CLOSED. */
  readonly readyState: 0 | 1 | 2 | 3;
  readonly CONNECTING: 0;
  readonly OPEN: 1;
  readonly CLOSING: 2;
  readonly CLOSED: 3;
  /** Messages waiting in the send queue. */
  readonly queueLength: number;
  /** The current reconnect attempt (0 when stably connected). */
  readonly reconnectAttempt: number;
  /** Round-trip time (ms) of the last answered heartbeat, or undefined before the first. */
  readonly lastRtt: number | undefined;
  /** The URL of the current (or last) connection; null before the first attempt of a function `url`. */
  readonly url: string | null;
  /** The id reported to `success` as `socketTaskId`. */
  readonly socketTaskId: number;
  /** The current underlying socket, or null while there is none (between connections, after close). */
  readonly socket: RawSocket | null;
  /** `using task = connectSocket(...)` closes the task at the end of the scope. */
  [Symbol.dispose](): void;
}

/**
 * Opens a WebSocket and returns its task synchronously; WeChat semantics by default.
 * `success` means "task created". With invalid options it calls `fail` with the contract's
 * `errMsg` and returns `undefined` (as WeChat does; the return type says `SocketTask`, as
 * WeChat's typings do). Over the live-task limit it returns a CLOSED task and fails with
 * `connectSocket:fail fail reach max websocket connect count N`.
 */
export function connectSocket(options: ConnectSocketOption): SocketTask;
/** `connectSocket` with `queue` and `reconnect` on at their defaults (each can be turned off with `false`). Fails exactly like `connectSocket`. */
export function createSocketTask(options: ConnectSocketOption): SocketTask;
/** Sends on the bound task; a Promise when no callback is given. Fails with `sendSocketMessage:fail WebSocket is not connected` when nothing is bound, or it is not OPEN and has no queue. */
export function sendSocketMessage<O extends SendSocketMessageOption>(options: Exact<O, SendSocketMessageOption>): AsyncResult<O, GeneralCallbackResult>;
/** Closes the bound task and every other live task; a Promise when no callback is given. Fails with `closeSocket:fail WebSocket is not connected` with nothing bound, and `closeSocket:fail …` for an invalid code or reason (nothing is closed then). */
export function closeSocket(): Promise<GeneralCallbackResult>;
export function closeSocket<O extends CloseSocketOption>(options: Exact<O, CloseSocketOption>): AsyncResult<O, GeneralCallbackResult>;
/** Sets the one listener of the bound task's event (replacing the previous one). */
export function onSocketOpen(listener: (res: SocketOpenResult) => void): void;
export function onSocketMessage(listener: (res: SocketMessageResult) => void): void;
export function onSocketError(listener: (res: GeneralCallbackResult) => void): void;
export function onSocketClose(listener: (res: SocketCloseResult) => void): void;
/** The network type; a Promise when no callback is given. Never fails. */
export function getNetworkType(): Promise<GetNetworkTypeResult>;
export function getNetworkType<O extends GetNetworkTypeOption>(options: Exact<O, GetNetworkTypeOption>): AsyncResult<O, GetNetworkTypeResult>;
/** Called with `{isConnected, networkType}` once per real change. */
export function onNetworkStatusChange(listener: (res: NetworkStatusResult) => void): void;
/** Removes one listener, or all of them without an argument. */
export function offNetworkStatusChange(listener?: (res: NetworkStatusResult) => void): void;
/** Called with `{weakNet, networkType}` when either changes. */
export function onNetworkWeakChange(listener: (res: NetworkWeakResult) => void): void;
export function offNetworkWeakChange(listener?: (res: NetworkWeakResult) => void): void;
/** Page-wide settings. A bad value is reported with console.error and changes nothing. */
export function configure(options: ConfigureOption): void;
/** `true` for the APIs, options and members mpsocket implements (`'connectSocket.object.protocols'`, `'SocketTask.onReconnecting'` …). */
export function canIUse(schema: string): boolean;
/** Puts the API on `target[platform]` (default `globalThis.wx`), keeping members it already has unless `overwrite`. Returns that object; `undefined` (with a console.error) for an unknown platform or a target that is not an object. */
export function install<P extends Platform = 'wx'>(target?: object | null, options?: InstallOption & { platform?: P }): PlatformApis[P] | undefined;
/** What the wasm module holds, for leak tests: Rust heap bytes, live JS values held by wasm, live tasks, wasm memory bytes. */
export function __stats(): { heapBytes: number; externrefs: number; liveTasks: number; wasmBytes: number };

declare global {
  // Keeps `[Symbol.dispose]` valid for projects whose `lib` predates esnext.disposable (it
  // merges with TypeScript's own declaration and @types/node's).
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

//! TypeScript declarations for the option and event objects, which are plain JS objects
//! rather than Rust types, and for the platform objects `install` fills. The functions and
//! the `SocketTask` class are declared by wasm-bindgen from their Rust signatures; a few
//! generic overloads below refine them (Promise-or-not, the platform `install` returns).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
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
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => unknown;
export interface ConnectSocketOption {
  url: string | (() => string);
  /** Ignored in browsers (they cannot send handshake headers); a warning is printed once. */
  header?: Record<string, string>;
  protocols?: string[] | string;
  /** Accepted; the browser decides. */ tcpNoDelay?: boolean;
  /** Accepted; the browser decides. */ perMessageDeflate?: boolean;
  /** Connect timeout in ms. Default 60000. */ timeout?: number;
  /** Accepted; no effect on the web. */ forceCellularNetwork?: boolean;
  /** Accepted; browsers always verify certificates. */ sslVerify?: boolean;
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
export interface ConfigureOption { /** Live tasks allowed at once. Default 5. */ maxConnections?: number }

/**
 * What an API that "returns a Promise when no callback key is given" returns for options of
 * type `O`: `undefined` when `O` surely has a `success`, `fail` or `complete` key, a Promise
 * of `R` when it surely has none, and either when that is only known at run time.
 */
export type AsyncResult<O, R> =
  O extends { success: unknown } | { fail: unknown } | { complete: unknown } ? undefined
  : [Extract<keyof O, 'success' | 'fail' | 'complete'>] extends [never] ? Promise<R>
  : Promise<R> | undefined;
// Overloads that refine the declarations wasm-bindgen generates from the Rust signatures
// (which follow, and stay valid as the general case).
export function getNetworkType(): Promise<GetNetworkTypeResult>;
export function getNetworkType<O extends GetNetworkTypeOption = GetNetworkTypeOption>(options: O): AsyncResult<O, GetNetworkTypeResult>;
export function sendSocketMessage<O extends SendSocketMessageOption = SendSocketMessageOption>(options: O): AsyncResult<O, GeneralCallbackResult>;
export function closeSocket(): Promise<GeneralCallbackResult>;
export function closeSocket<O extends CloseSocketOption = CloseSocketOption>(options: O): AsyncResult<O, GeneralCallbackResult>;
/** `install` with the shape of the object it returns for `platform` (default `wx`). */
export function install<P extends Platform = 'wx'>(target?: object | null, options?: InstallOption & { platform?: P }): PlatformApis[P] | undefined;

/** The API that `install` puts on `wx`, `qq`, `swan` and `uni`: WeChat's shape. */
export interface WechatApi {
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
"#;

//! TypeScript declarations for the option and event objects, which are plain JS objects
//! rather than Rust types. The functions and the `SocketTask` class are declared by
//! wasm-bindgen from their Rust signatures.

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
  fetchStart: number; domainLookupStart: number; domainLookupEnd: number; connectStart: number;
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
"#;

// The package's entry for browsers, workers and bundlers: ready on import, no init() call.
// Top-level await instantiates the .wasm next to this file (bundlers emit it as an asset).
// Node resolves the `node` export condition to node.js instead, which reads it from disk.
import { wasmResponse } from './fetch-wasm.js'; // first: the download starts before the rest runs
import init, * as wasm from './mpsocket.js';
import { makeApi } from './edge.js';

await init({ module_or_path: wasmResponse });

const api = makeApi(wasm, false);
export const {
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
  __stats,
} = api;

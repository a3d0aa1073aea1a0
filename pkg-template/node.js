// The package's entry for Node (the `node` export condition): the .wasm next to this file is
// read with fs and instantiated synchronously, so there is no top-level await (which lets
// `require('mpsocket')` load it on Node >= 20.19) and no fetch().
// Node 20 has no global WebSocket: pass one once with `configure({ WebSocket })` (e.g. the
// ws package) or per task with the `WebSocket` option. `header` and `sslVerify: false` are
// passed to that constructor as ws's `headers` and `rejectUnauthorized: false`.
import { readFileSync } from 'node:fs';
import { initSync } from './mpsocket.js';
import * as wasm from './mpsocket.js';
import { makeApi } from './edge.js';

initSync({ module: readFileSync(new URL('./mpsocket_bg.wasm', import.meta.url)) });

const api = makeApi(wasm, true);
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

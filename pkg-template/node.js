// The package's entry for Node (the `node` export condition): the .wasm next to this file
// is read with fs and instantiated synchronously, so there is no top-level await (which
// also lets `require('mpsocket')` load it on Node >= 20.19) and no fetch().
// Node 20 has no global WebSocket: pass one, e.g. `connectSocket({url, WebSocket})` with
// `import WebSocket from 'ws'`. Where a global WebSocket exists (Node >= 22), it is used.
import { readFileSync } from 'node:fs';
import { initSync } from './mpsocket.js';

initSync({ module: readFileSync(new URL('./mpsocket_bg.wasm', import.meta.url)) });

export * from './mpsocket.js';

// A real mini-program library that asks canIUse before using a feature: LeanCloud's weapp
// platform adapter (@leancloud/platform-adapters-weapp). Its WebSocket class throws
// "subprotocol not supported in weapp" unless wx.canIUse('connectSocket.object.protocols').
// It runs unchanged on the mpsocket shim, in Node with ws, against a real echo server.
//   node leancloud.mjs ws://127.0.0.1:PORT/echo
import WebSocket from 'ws';
import { createRequire } from 'node:module';
import { configure } from 'mpsocket';
import 'mpsocket/shim';

configure({ WebSocket }); // for the library's own wx.connectSocket calls
const { WebSocket: LeanCloudWebSocket } = createRequire(import.meta.url)('@leancloud/platform-adapters-weapp');
const ws = new LeanCloudWebSocket(process.argv[2], 'lc.json.3');
ws.addEventListener('open', () => ws.send('hello from LeanCloud'));
ws.addEventListener('message', (e) => {
  console.log(`echo: ${e.data}`);
  ws.close();
});
ws.addEventListener('error', (e) => {
  console.log(`error: ${e.message}`);
  process.exitCode = 1;
});

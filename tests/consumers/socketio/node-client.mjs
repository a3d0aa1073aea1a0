// weapp.socket.io, a library written for WeChat mini-programs (it opens its socket with
// wx.connectSocket and drives the SocketTask), unchanged, over mpsocket's wx shim in Node.
//   node node-client.mjs http://127.0.0.1:PORT
// prints `ack: hello from Node` once the server acknowledged the event, then exits by itself.
import WebSocket from 'ws';
import { configure } from 'mpsocket';
import 'mpsocket/shim';

configure({ WebSocket }); // Node 20 has no global WebSocket: every task uses ws's
// The library's UMD wrapper reads a global `window` (mini-program runtimes and browsers have
// one); Node doesn't, so lend it globalThis before loading the library.
globalThis.window ??= globalThis;
const { default: io } = await import('weapp.socket.io');

const socket = io(process.argv[2], { reconnection: false });
socket.on('connect', () => {
  socket.emit('hello', 'hello from Node', (answer) => {
    console.log(answer);
    socket.close();
  });
});
socket.on('connect_error', (err) => {
  console.error(`connect_error: ${err.message}`);
  process.exitCode = 1;
});

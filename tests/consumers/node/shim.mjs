import WebSocket from 'ws';
import 'mpsocket/shim'; // installs `wx` on globalThis, in Node too

// node shim.mjs ws://127.0.0.1:8080/echo
wx.connectSocket({ url: process.argv[2], WebSocket });
wx.onSocketOpen(() => wx.sendSocketMessage({ data: 'hello from wx in Node' }));
wx.onSocketMessage((res) => {
  console.log(`echo: ${res.data}`);
  wx.closeSocket();
});

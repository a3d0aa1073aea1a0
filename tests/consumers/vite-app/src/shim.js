import 'mpsocket/shim'; // installs `wx` on globalThis: the mini-program code below runs unchanged

wx.connectSocket({ url: `ws://${location.host}/echo` });
wx.onSocketOpen(() => wx.sendSocketMessage({ data: 'hello from wx' }));
wx.onSocketMessage((res) => {
  document.body.append(`echo: ${res.data}`);
  wx.closeSocket();
});

wx.connectSocket({ url: 'ws://' + location.host + '/echo' });
wx.onSocketOpen(function () {
  wx.sendSocketMessage({ data: 'hello from a classic script under a CSP' });
});
wx.onSocketMessage(function (res) {
  document.body.append('echo: ' + res.data);
  wx.closeSocket();
});

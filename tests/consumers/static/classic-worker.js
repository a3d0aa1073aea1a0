importScripts('node_modules/mpsocket/mpsocket.classic.js');

var task = mpsocket.connectSocket({ url: 'ws://' + location.host + '/echo' });
task.onOpen(function () {
  task.send({ data: 'hello from a classic worker' });
});
task.onMessage(function (res) {
  postMessage('echo: ' + res.data);
  task.close({});
});

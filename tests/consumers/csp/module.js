import { connectSocket } from './node_modules/mpsocket/index.js';

const task = connectSocket({ url: `ws://${location.host}/echo` });
task.onOpen(() => task.send({ data: 'hello under a CSP' }));
task.onMessage(({ data }) => {
  document.body.append(`echo: ${data}`);
  task.close({});
});

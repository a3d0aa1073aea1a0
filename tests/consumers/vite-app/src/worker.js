import { connectSocket } from 'mpsocket';

const task = connectSocket({ url: `ws://${location.host}/echo` });
task.onOpen(() => task.send({ data: 'hello from a worker' }));
task.onMessage(({ data }) => {
  postMessage(`echo: ${data}`);
  task.close({});
});

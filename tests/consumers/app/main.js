import { connectSocket } from 'mpsocket';

const task = connectSocket({ url: `ws://${location.host}/echo` });
task.onOpen(() => task.send({ data: 'hello from a bundled app' }));
task.onMessage(({ data }) => {
  document.body.append(`echo: ${data}`);
  task.close({});
});

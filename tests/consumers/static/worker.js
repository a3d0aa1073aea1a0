// Import maps don't apply inside workers: import the entry by its path.
import { connectSocket } from './node_modules/mpsocket/index.js';

const task = connectSocket({ url: `ws://${location.host}/echo` });
task.onOpen(() => task.send({ data: 'hello from a plain module worker' }));
task.onMessage(({ data }) => {
  postMessage(`echo: ${data}`);
  task.close({});
});

import WebSocket from 'ws';
import { connectSocket } from 'mpsocket';

// node echo.mjs ws://127.0.0.1:8080/echo
const task = connectSocket({ url: process.argv[2], WebSocket });
task.onOpen(() => task.send({ data: 'hello from Node' }));
task.onMessage(({ data }) => {
  console.log(`echo: ${data}`);
  task.close({});
});

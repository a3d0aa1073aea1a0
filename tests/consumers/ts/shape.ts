// The API's shape as a TypeScript user meets it (tsconfig.shape.json: strict, DOM lib, the
// package's .d.ts checked). Each `@ts-expect-error` line must be an error, or tsc fails.
import { closeSocket, configure, connectSocket, sendSocketMessage, SocketTask } from 'mpsocket';
// The raw wasm-bindgen loaders are not part of the API: every entry initialises itself.
// @ts-expect-error initSync is not exported
import { initSync } from 'mpsocket';
// @ts-expect-error InitOutput is not exported
import type { InitOutput } from 'mpsocket';

// connectSocket returns the task, as WeChat's typings say: no `| undefined` to narrow away.
const task: SocketTask = connectSocket({ url: 'wss://example.com/socket' });
task.send({ data: 'hi' });

// Misspelled option keys are errors, in every function that takes options.
// @ts-expect-error `reasn` is not an option of closeSocket
closeSocket({ code: 1000, reasn: 'x' });
// @ts-expect-error `sucess` is not an option of sendSocketMessage
sendSocketMessage({ data: 'x', sucess() {} });
// @ts-expect-error `sucess` is not an option of SocketTask.send
task.send({ data: 'x', sucess() {} });
// @ts-expect-error `reasn` is not an option of SocketTask.close
task.close({ code: 1000, reasn: 'x' });
// @ts-expect-error `protocol` is not an option of connectSocket (`protocols` is)
connectSocket({ url: 'wss://x', protocol: ['chat'] });
// @ts-expect-error `maxConnection` is not an option of configure
configure({ maxConnection: 3 });

// configure() takes the default WebSocket class (Node: the `ws` package's).
configure({ WebSocket: globalThis.WebSocket });

export type Unused = [typeof initSync, InitOutput];

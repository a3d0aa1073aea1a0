// A Node project's view of mpsocket (tsconfig.node-only.json: @types/node, lib es2022 without
// the DOM, skipLibCheck off): the package's declarations must not need the DOM lib.
import { connectSocket, getNetworkType, SocketTask } from 'mpsocket';
import shim from 'mpsocket/shim';

const task: SocketTask | undefined = connectSocket({ url: 'ws://127.0.0.1:8080/echo' });
task?.onMessage(({ data }) => console.log(typeof data === 'string' ? data : data.byteLength));
task?.send({ data: new Uint8Array([1, 2, 3]) });
shim.connectSocket({ url: 'ws://127.0.0.1:8080/echo' });
getNetworkType().then(({ networkType }) => console.log(networkType));

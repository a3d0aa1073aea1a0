import { WebSocketServer } from 'ws';

// node echo-server.mjs [PORT]: sends every message back, on ws://127.0.0.1:PORT (default 8080)
const server = new WebSocketServer({ host: '127.0.0.1', port: Number(process.argv[2] ?? 8080) });
server.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
server.on('listening', () => console.log(`echo server on ws://127.0.0.1:${server.address().port}`));

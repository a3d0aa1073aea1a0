#!/usr/bin/env node
// wss:// and handshake headers from Node, through the package's Node entry with `ws`
// (tools/node_modules) as the WebSocket class, against the test server's TLS port and its
// self-signed certificate:
//   - control: `ws` itself refuses the certificate (self-signed), and accepts it given it as `ca`
//     (so the server's certificate is fine and the refusal below is about trust);
//   - connectSocket({url: wss://…, WebSocket: ws}) FAILS by default (onError + onClose, no open):
//     certificates are verified unless asked otherwise;
//   - with sslVerify: false it connects and echoes text and binary;
//   - header {'x-token': 'abc'} reaches the server (the server's /echo-headers sends the
//     handshake headers back as its first message), on ws:// and on wss:// (with sslVerify:false).
//
//   node tests/tls/node.mjs --port N --tls-port N --cert-dir DIR [--pkg DIR]
// --pkg is the package folder (default: the repo's pkg/); its node.js entry is imported.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../tools/package.json'));
const WebSocket = require('ws');
const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    'tls-port': { type: 'string' },
    'cert-dir': { type: 'string' },
    pkg: { type: 'string', default: path.join(here, '../../pkg') },
  },
});
if (!args.port || !args['tls-port'] || !args['cert-dir']) {
  console.error('usage: node.mjs --port N --tls-port N --cert-dir DIR [--pkg DIR]');
  process.exit(2);
}
const mp = await import(pathToFileURL(path.join(path.resolve(args.pkg), 'node.js')).href);
const certPem = readFileSync(path.join(args['cert-dir'], 'cert.pem'), 'utf8');
const wssBase = `wss://127.0.0.1:${args['tls-port']}`;
const wsBase = `ws://127.0.0.1:${args.port}`;

let failures = 0;
const check = (cond, what) => {
  console.log(`${cond ? 'ok  ' : 'FAIL'}  ${what}`);
  if (!cond) failures++;
};

/** Opens a raw `ws` socket: resolves 'open' or the error's code/message. */
function rawOpen(url, opts) {
  return new Promise((resolve) => {
    const s = new WebSocket(url, opts);
    s.on('open', () => { s.terminate(); resolve('open'); });
    s.on('error', (e) => resolve(e.code || e.message));
  });
}

/**
 * connectSocket with `ws`; on open sends a text and a binary message (unless `headers`, which
 * waits for the server's first message instead); resolves with what happened.
 */
function run(options, { headers = false, waitMs = 5000 } = {}) {
  return new Promise((resolve) => {
    const out = { events: [], texts: [], binary: [] };
    let task;
    const done = (end) => {
      if (out.end) return;
      out.end = end;
      clearTimeout(timer);
      if (task && task.readyState !== 3) task.close({});
      resolve(out);
    };
    const timer = setTimeout(() => done('timeout'), waitMs);
    task = mp.connectSocket({ WebSocket, ...options });
    if (!task) return done('no task');
    task.onOpen(() => {
      out.events.push('open');
      if (headers) return;
      task.send({ data: 'hi from node' });
      task.send({ data: new Uint8Array([1, 2, 3, 250]).buffer });
    });
    task.onMessage(({ data }) => {
      if (typeof data === 'string') out.texts.push(data);
      else out.binary.push(Array.from(new Uint8Array(data)));
      if (headers || (out.texts.length && out.binary.length)) done('done');
    });
    task.onError((r) => out.events.push(`error ${r.errMsg}`));
    task.onClose((r) => {
      out.events.push(`close ${r.code}`);
      done('closed');
    });
  });
}

// Control: the certificate is self-signed, and valid for 127.0.0.1 once trusted.
const bare = await rawOpen(`${wssBase}/echo`);
check(bare === 'DEPTH_ZERO_SELF_SIGNED_CERT', `ws alone refuses the self-signed certificate (${bare})`);
const withCa = await rawOpen(`${wssBase}/echo`, { ca: certPem });
check(withCa === 'open', `ws with the certificate as ca connects (${withCa})`);

// Default: verified, so it fails.
let r = await run({ url: `${wssBase}/echo` });
check(!r.events.includes('open') && r.events.some((e) => e.startsWith('error ')) && r.events.some((e) => e.startsWith('close ')),
  `default: the self-signed certificate is refused: no open, onError, onClose (${r.events.join(' | ')})`);

// sslVerify: false → connects and echoes.
r = await run({ url: `${wssBase}/echo`, sslVerify: false });
check(r.events[0] === 'open', `sslVerify:false: onOpen (${r.events.join(' | ') || r.end})`);
check(r.texts[0] === 'hi from node' && JSON.stringify(r.binary[0]) === '[1,2,3,250]',
  `sslVerify:false: text and binary echoed (${JSON.stringify(r.texts)}, ${JSON.stringify(r.binary)})`);

// header → handshake headers, plain and TLS.
const headerOf = (res) => {
  try {
    return JSON.parse(res.texts[0]);
  } catch {
    return null;
  }
};
r = await run({ url: `${wsBase}/echo-headers`, header: { 'x-token': 'abc' } }, { headers: true });
let h = headerOf(r);
check(h !== null, `ws:// /echo-headers answered with the headers (${r.events.join(' | ') || r.end})`);
check(h?.['x-token'] === 'abc', `ws://: header {'x-token': 'abc'} reached the server (x-token: ${JSON.stringify(h?.['x-token'])})`);
r = await run({ url: `${wssBase}/echo-headers`, header: { 'x-token': 'abc' }, sslVerify: false }, { headers: true });
h = headerOf(r);
check(h?.['x-token'] === 'abc',
  `wss:// with sslVerify:false: header {'x-token': 'abc'} reached the server (x-token: ${JSON.stringify(h?.['x-token'])}, ${r.events.join(' | ') || r.end})`);

console.log(failures ? `tls (node): ${failures} check(s) failed` : 'tls (node): all checks passed');
process.exit(failures ? 1 : 0);

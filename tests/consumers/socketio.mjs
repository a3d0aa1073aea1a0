#!/usr/bin/env node
// A real third-party mini-program client over mpsocket: weapp.socket.io (socket.io's client
// for WeChat mini-programs; it opens its socket with wx.connectSocket and drives the
// SocketTask) against a real socket.io server, with nothing changed in the library.
//
//   node tests/consumers/socketio.mjs .test-run/consumers/socketio
//
// The folder is tests/consumers/socketio/ with its dependencies, the mpsocket tarball and
// dist/ (build.sh) installed. This script runs a socket.io server on 127.0.0.1 that also
// serves the folder's page.html and dist/, then:
//   1. Node:     `node node-client.mjs ws://…` must print exactly `ack: hello from Node` and
//                exit with 0 by itself (limit 10 s);
//   2. Chromium: page.html (browser-client.js bundled by esbuild) must show exactly
//                `ack: hello from Chromium`, with no uncaught error;
// and for each, the server must have received the `hello` event over a WebSocket transport
// and acknowledged it (the acknowledgement is what the client prints).
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.resolve(process.argv[2] ?? '');
if (!process.argv[2]) {
  console.error('usage: socketio.mjs PROJECT_DIR');
  process.exit(2);
}
const { Server } = createRequire(path.join(dir, 'package.json'))('socket.io');
const { chromium } = createRequire(path.join(here, '../../tools/package.json'))('playwright-core');

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const http = createServer(async (req, res) => {
  const rel = new URL(req.url, 'http://x').pathname;
  const file = path.join(dir, rel);
  if ((rel !== '/page.html' && !rel.startsWith('/dist/')) || !file.startsWith(dir)) {
    res.writeHead(404).end();
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
const received = []; // [message, transport name]
const io = new Server(http);
io.on('connection', (socket) => {
  socket.on('hello', (message, ack) => {
    received.push([message, socket.conn.transport.name]);
    ack(`ack: ${message}`);
  });
});
await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
const url = `ws://127.0.0.1:${http.address().port}`;

let failed = 0;
const report = (name, problems, ms) => {
  if (problems.length === 0) {
    console.log(`ok    ${name} (${ms} ms)`);
    return;
  }
  failed++;
  console.log(`FAIL  ${name}`);
  for (const p of problems) console.log(`        ${p}`);
};
const serverSaw = (message, problems) => {
  const hit = received.find(([m]) => m === message);
  if (!hit) problems.push(`the server received no hello event ${JSON.stringify(message)}: ${JSON.stringify(received)}`);
  else if (hit[1] !== 'websocket') problems.push(`the event came over ${hit[1]}, not a WebSocket`);
};

// 1. Node
{
  const started = Date.now();
  const problems = [];
  const child = spawn(process.execPath, ['node-client.mjs', url], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const [code, signal] = await new Promise((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  clearTimeout(timer);
  if (signal) problems.push(`still running after 10 s (killed): something keeps the event loop alive or the ack never came`);
  else if (code !== 0) problems.push(`exited with ${code}`);
  if (out.trim() !== 'ack: hello from Node') problems.push(`printed ${JSON.stringify(out.trim())}, expected exactly "ack: hello from Node"`);
  if (err.trim()) problems.push(`stderr: ${err.trim().split('\n').slice(0, 6).join(' | ').slice(0, 600)}`);
  serverSaw('hello from Node', problems);
  report('weapp.socket.io over mpsocket/shim in Node (ws)', problems, Date.now() - started);
}

// 2. Chromium
{
  const started = Date.now();
  const problems = [];
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => problems.push(`uncaught page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console.error: ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`HTTP ${r.status()} ${r.url()}`);
    });
    const expected = 'ack: hello from Chromium';
    await page.goto(`http://127.0.0.1:${http.address().port}/page.html`);
    try {
      await page.waitForFunction((t) => document.body?.innerText.includes(t), expected, { timeout: 10_000, polling: 50 });
      const text = (await page.evaluate(() => document.body.innerText)).trim();
      if (text !== expected) problems.push(`the page says ${JSON.stringify(text)}, expected exactly ${JSON.stringify(expected)}`);
    } catch (e) {
      const text = await page.evaluate(() => document.body?.innerText ?? '').catch(() => '?');
      problems.push(`${e.message.split('\n')[0]} (the page says ${JSON.stringify(text.trim())})`);
    }
    serverSaw('hello from Chromium', problems);
  } finally {
    await browser.close();
  }
  report('weapp.socket.io over mpsocket/shim in Chromium (esbuild bundle)', problems, Date.now() - started);
}

io.close();
http.close();
console.log(`socket.io consumers: ${2 - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

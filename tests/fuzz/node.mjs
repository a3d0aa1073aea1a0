#!/usr/bin/env node
// The hostile-input fuzz (tests/fuzz/fuzz.js) in plain Node, on the package's Node entry and
// the npm `ws` class (tools/node_modules), given both as the `WebSocket` option and as the
// global WebSocket. Same cases and summary as the Chromium run (tests/fuzz/run.mjs).
//
//   node tests/fuzz/node.mjs --port PORT [--dead-port N] [--pkg pkg/node.js]
//        [--seed N --random M] [--grep REGEX] [--batch TASKS] [--report FILE] [--trace] [--verbose]
//
// Uncaught exceptions (including ws's "Unhandled error event") and unhandled rejections are
// counted, not fatal, so that one run sees them all; tests/node/crash.mjs checks that the
// process survives without such handlers.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import vm from 'node:vm';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runFuzz, report } from './fuzz.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../tools/package.json'));
const WS = require('ws');

const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    'dead-port': { type: 'string' },
    pkg: { type: 'string', default: path.join(here, '../../pkg/node.js') },
    seed: { type: 'string' },
    random: { type: 'string' },
    grep: { type: 'string' },
    batch: { type: 'string' },
    report: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    trace: { type: 'boolean', default: false },
  },
});
if (!args.port) {
  console.error('usage: node.mjs --port PORT [--dead-port N] [--pkg pkg/node.js] [--seed N --random M] [--grep RE]');
  process.exit(2);
}
const freePort = () => new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});

const hooks = [];
process.on('uncaughtException', (e) => {
  for (const h of hooks) h('uncaughtException', e);
});
process.on('unhandledRejection', (e) => {
  for (const h of hooks) h('unhandledRejection', e);
});

const log = console.log.bind(console);
globalThis.WebSocket ??= WS;
const mp = await import(pathToFileURL(path.resolve(args.pkg)).href);
const random = Number(args.random) || 0;
const seed = random ? Number(args.seed ?? Date.now() % 2 ** 31) : 0;
const mode = random ? `random, seed ${seed}, ${random} actions` : 'deterministic';
if (random) log(`random mode: seed ${seed}, ${random} actions (replay: --seed ${seed} --random ${random})`);
log(`fuzz node ${process.version} (${mode}) of ${args.pkg}`);
const sum = await runFuzz({
  mp,
  runtime: 'node',
  port: args.port,
  deadPort: args['dead-port'] ?? String(await freePort()),
  httpBase: `http://127.0.0.1:${args.port}`,
  wsBase: `ws://127.0.0.1:${args.port}`,
  WebSocketClass: WS,
  passWebSocket: true,
  foreign: (expr) => vm.runInNewContext(expr),
  log,
  keepConsoleLog: true,
  hookUncaught: (h) => hooks.push(h),
  random,
  seed,
  grep: args.grep ? new RegExp(args.grep) : null,
  verbose: args.verbose,
  trace: args.trace,
  batchTasks: Number(args.batch) || undefined,
});
report(sum, { log, runtime: 'node', mode });
if (args.report) writeFileSync(args.report, JSON.stringify(sum, null, 2));
// Stuck tasks or hostile doubles may hold the event loop; the exit itself is
// tests/node/crash.mjs's subject, not this test's.
process.exit(sum.ok ? 0 : 1);

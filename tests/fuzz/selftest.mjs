#!/usr/bin/env node
// Self-test of the fuzz: it must FAIL against a deliberately broken package
// (tests/fuzz/broken.mjs: one defect per counter). Runs tests/fuzz/node.mjs on a subset of
// cases and checks that every counter (traps, uncaught, sync-throws, poisoned, stuck,
// unsettled) is non-zero and that the run exits non-zero.
//
//   node tests/fuzz/selftest.mjs --port PORT [--pkg pkg/node.js]
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({ options: { port: { type: 'string' }, pkg: { type: 'string', default: path.join(here, '../../pkg/node.js') } } });
if (!args.port) {
  console.error('usage: selftest.mjs --port PORT [--pkg pkg/node.js]');
  process.exit(2);
}
const report = path.join(os.tmpdir(), `mpsocket-fuzz-selftest-${process.pid}.json`);
const grep = '^(sendSocketMessage\\(\\{data|getNetworkType\\(undefined\\)|task\\.close\\(\\{code: 4000|connectSocket\\(\\{timeout: 0\\}|closeSocket\\(\\{code 1000)';
const r = spawnSync(process.execPath, [path.join(here, 'node.mjs'), '--port', args.port, '--pkg', path.join(here, 'broken.mjs'), '--grep', grep, '--report', report], {
  env: { ...process.env, MPSOCKET_PKG: path.resolve(args.pkg) },
  encoding: 'utf8',
  timeout: 120000,
});
let sum;
try {
  sum = JSON.parse(readFileSync(report, 'utf8'));
} catch (e) {
  console.log(r.stdout, r.stderr);
  console.log(`fuzz self-test: no report (${e.message})`);
  process.exit(1);
}
rmSync(report, { force: true });
const counters = ['traps', 'uncaught', 'syncThrows', 'poisoned', 'stuck', 'unsettled'];
const missing = counters.filter((k) => !(sum[k] > 0));
console.log(`fuzz self-test against tests/fuzz/broken.mjs: ${sum.line}`);
if (r.status === 0) console.log('  FAIL: the fuzz exited 0 against a broken package');
for (const k of missing) console.log(`  FAIL: the broken package's ${k} defect went unnoticed`);
if (missing.length || r.status === 0) process.exit(1);
console.log('  ok: every counter caught its defect, and the run failed');

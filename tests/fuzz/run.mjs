#!/usr/bin/env node
// The hostile-input fuzz (tests/fuzz/fuzz.js) in headless Debian Chromium via playwright-core.
//
//   node tests/fuzz/run.mjs --base http://127.0.0.1:PORT [--dead-port N] [--pkg /pkg/index.js]
//        [--seed N --random M] [--grep REGEX] [--batch TASKS] [--timeout SECONDS] [--report FILE]
//        [--trace] [--verbose]
//
// The server must serve tests/ at /tests and the package at /pkg (scripts/test.sh does).
// Deterministic by default; --random M runs M actions chosen by a PRNG seeded with --seed
// (default: the clock; the seed is printed, and the same seed replays the same actions).
// Prints progress, the distinct failures and the summary line
//   N calls, T traps, U uncaught, S sync-throws, P poisoned, K stuck, X unsettled
// and exits non-zero when any count is non-zero or the run did not finish. A renderer crash
// counts as a trap; a deterministic run then resumes in a new page after the crashing case.
// --trace prints every case label; --verbose forwards the page's console.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../tools/package.json'));
const { chromium } = require('playwright-core');
const { mergeSummaries, report } = await import('./fuzz.js');

const { values: args } = parseArgs({
  options: {
    base: { type: 'string' },
    'dead-port': { type: 'string' },
    pkg: { type: 'string', default: '/pkg/index.js' },
    seed: { type: 'string' },
    random: { type: 'string' },
    grep: { type: 'string' },
    batch: { type: 'string' },
    timeout: { type: 'string', default: '600' },
    report: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    trace: { type: 'boolean', default: false },
    chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
  },
});
if (!args.base) {
  console.error('usage: run.mjs --base http://127.0.0.1:PORT [--dead-port N] [--pkg /pkg/index.js] [--seed N --random M] [--grep RE]');
  process.exit(2);
}
const freePort = () => new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});

const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-extensions',
  '--disable-default-apps',
  // SharedArrayBuffer without cross-origin isolation, so SAB-backed data reaches the package
  // (the test server sends no COOP/COEP headers; an isolated production page has SAB anyway)
  '--enable-features=SharedArrayBuffer',
];

const q = new URLSearchParams({ pkg: args.pkg, dead: args['dead-port'] ?? String(await freePort()) });
if (args.random) {
  const seed = args.seed ?? String(Date.now() % 2 ** 31);
  q.set('random', args.random);
  q.set('seed', seed);
  console.log(`random mode: seed ${seed}, ${args.random} actions (replay: --seed ${seed} --random ${args.random})`);
}
if (args.grep) q.set('grep', args.grep);
if (args.batch) q.set('batch', args.batch);
if (args.verbose) q.set('verbose', '1');
if (args.trace) q.set('trace', '1');
const base = args.base.replace(/\/$/, '');

const parts = [];
const crashes = [];
let failure = null;
let skip = 0;
const browser = await chromium.launch({ executablePath: args.chromium, args: FLAGS, headless: true });
try {
  // One page normally. If the renderer crashes, the crash is counted (as a trap) and a new page
  // resumes after the case that was running; a random run can't resume (its choices depend on
  // the calls before) and stops there.
  for (;;) {
    const page = await browser.newPage();
    let crashed = false;
    let current = { index: skip, label: '(loading)' };
    page.on('crash', () => {
      crashed = true;
    });
    page.on('console', (msg) => {
      if (args.verbose) console.log(`  [page console.${msg.type()}] ${msg.text().slice(0, 300)}`);
    });
    await page.exposeFunction('__fuzzLog', (line) => console.log(line));
    await page.exposeFunction('__fuzzCase', (index, label) => {
      current = { index, label, prev: current.label };
    });
    const q2 = new URLSearchParams(q);
    if (skip) q2.set('skip', String(skip));
    await page.goto(`${base}/tests/fuzz/index.html?${q2}`);
    let result = null;
    try {
      await page.waitForFunction(() => window.__fuzz && window.__fuzz.done, null, { timeout: Number(args.timeout) * 1000, polling: 250 });
      result = await page.evaluate(() => ({ error: window.__fuzz.error, summary: window.__fuzz.summary }));
    } catch (e) {
      if (!crashed) failure = `the fuzz did not finish within ${args.timeout} s: ${e.message.split('\n')[0]}`;
    }
    if (crashed) {
      // (a crash can land a little after the call that caused it)
      const what = `case ${current.index}: ${current.label} (or just before it: ${current.prev})`;
      console.log(`  !! the page crashed during ${what}`);
      crashes.push(what);
      await page.close().catch(() => {});
      if (args.random || crashes.length >= 5 || current.index <= skip) {
        failure = args.random ? 'the page crashed (a random run cannot resume)' : 'the page kept crashing';
        break;
      }
      skip = current.index;
      continue;
    }
    if (result?.error) failure = result.error;
    if (result?.summary) parts.push(result.summary);
    break;
  }
} finally {
  await browser.close();
}
const sum = mergeSummaries(parts, crashes);
report(sum, { log: console.log, runtime: 'chromium', mode: args.random ? `random, seed ${q.get('seed')}` : 'deterministic' });
if (failure) console.log(`fuzz chromium FAILED: ${failure}`);
if (args.report) writeFileSync(args.report, JSON.stringify({ ...sum, crashes, failure }, null, 2));
process.exit(sum.ok && !failure && parts.length ? 0 : 1);

#!/usr/bin/env node
// Runs the page tests (tests/page/index.html) in headless Debian Chromium via playwright-core.
//
//   node tests/page/run.mjs --base http://127.0.0.1:PORT --dead-port N
//        [--pkg /pkg/index.js] [--grep REGEX] [--bail] [--report FILE] [--quiet] [--timeout SECONDS]
//
// The server must serve tests/ at /tests and the package at /pkg (see scripts/test.sh).
// --pkg points the page at another copy of the package (the mutation check uses it).
// Prints each case as ok/FAIL, forwards the page's console errors and warnings, and exits
// non-zero on any failing case, any uncaught page error, or a timeout.
// --bail stops at the first failing case. --quiet prints only failures' names and a one-line
// count; --report writes the results as JSON.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../tools/package.json'));
const { chromium } = require('playwright-core');

const { values: args } = parseArgs({
  options: {
    base: { type: 'string' },
    'dead-port': { type: 'string' },
    pkg: { type: 'string', default: '/pkg/index.js' },
    grep: { type: 'string' },
    report: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    bail: { type: 'boolean', default: false },
    timeout: { type: 'string', default: '240' },
    chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
  },
});
if (!args.base || !args['dead-port']) {
  console.error('usage: run.mjs --base http://127.0.0.1:PORT --dead-port N [--pkg /pkg/index.js] [--grep RE] [--report FILE] [--quiet]');
  process.exit(2);
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--disable-default-apps',
];

const q = new URLSearchParams({ pkg: args.pkg, dead: args['dead-port'] });
if (args.grep) q.set('grep', args.grep);
if (args.bail) q.set('bail', '1');
const url = `${args.base.replace(/\/$/, '')}/tests/page/index.html?${q}`;
const quiet = args.quiet;
const log = (...a) => console.log(...a);
const red = (s) => (process.stdout.isTTY ? `\x1b[31m${s}\x1b[0m` : s);

const pageErrors = [];
const started = Date.now();
const browser = await chromium.launch({ executablePath: args.chromium, args: FLAGS, headless: true });
let results;
try {
  const page = await browser.newPage();
  page.on('console', (msg) => {
    const type = msg.type();
    if (!quiet && (type === 'error' || type === 'warning')) log(`  [page console.${type}] ${msg.text()}`);
  });
  page.on('pageerror', (err) => {
    pageErrors.push(String(err?.stack || err));
    if (!quiet) log(red(`  [page uncaught error] ${err?.stack || err}`));
  });
  page.on('requestfailed', (req) => {
    if (!req.url().startsWith('ws') && !quiet) log(`  [page request failed] ${req.url()} ${req.failure()?.errorText ?? ''}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && !quiet) log(`  [page HTTP ${res.status()}] ${res.url()}`);
  });
  await page.exposeFunction('__mpReport', (r) => {
    if (r.ok) {
      if (!quiet) log(`ok    ${r.name} (${r.ms} ms)`);
    } else if (quiet) {
      log(`  failed: ${r.name}: ${String(r.error).split('\n')[0]}`);
    } else {
      log(red(`FAIL  ${r.name}`));
      log(`        ${String(r.error).replace(/\n/g, '\n        ')}`);
    }
  });
  if (!quiet) log(`page tests: ${url}`);
  await page.goto(url);
  try {
    await page.waitForFunction(() => window.__results && window.__results.done, null, {
      timeout: Number(args.timeout) * 1000,
      polling: 100,
    });
  } catch (e) {
    log(red(`page tests did not finish within ${args.timeout} s: ${e.message.split('\n')[0]}`));
  }
  results = await page.evaluate(() => window.__results);
} finally {
  await browser.close();
}

const cases = results?.cases ?? [];
const failed = cases.filter((c) => !c.ok);
const passed = cases.length - failed.length;
const finished = Boolean(results?.done);
if (args.report) writeFileSync(args.report, JSON.stringify({ finished, pageErrors, ...results }, null, 2));
const secs = ((Date.now() - started) / 1000).toFixed(1);
if (quiet) {
  log(`${cases.length} cases ran, ${failed.length} of them failed, ${pageErrors.length} uncaught page errors (${secs} s)`);
} else {
  if (results?.importMs !== undefined) log(`(package import + wasm init took ${results.importMs} ms)`);
  for (const e of pageErrors) log(red(`uncaught page error: ${e.split('\n')[0]}`));
  if (!finished) log(red('the page did not finish running its cases'));
  if (cases.length === 0) log(red('no case ran'));
  log(`page tests took ${secs} s`);
  log(`page: ${passed} passed, ${failed.length} failed`);
}
process.exit(failed.length || pageErrors.length || !finished || cases.length === 0 ? 1 : 0);

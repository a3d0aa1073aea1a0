#!/usr/bin/env node
// Runs the page tests (tests/page/index.html) in a headless browser engine: Debian Chromium
// (default), Firefox ESR or WebKitGTK, through the driver layer in tests/drivers/index.mjs.
//
//   node tests/page/run.mjs --base http://127.0.0.1:PORT --dead-port N [--engine chromium|firefox|webkit]
//        [--pkg /pkg/index.js] [--grep REGEX] [--bail] [--report FILE] [--quiet] [--timeout SECONDS]
//
// The server must serve tests/ at /tests and the package at /pkg (see scripts/test.sh).
// --pkg points the page at another copy of the package (the mutation check uses it).
// Prints each case as ok/FAIL, forwards the page's console errors and warnings, and exits
// non-zero on any failing case, any uncaught page error, or a timeout.
// --bail stops at the first failing case. --quiet prints only failures' names and a one-line
// count; --report writes the results as JSON.
// Cases are printed as they finish: chromium and firefox call back into Node (exposeFunction),
// webkit (classic WebDriver) is polled. For webkit the page records its own uncaught errors and
// console messages from its first line (index.html, ?capture=1), since WebKitWebDriver has no
// event channel for them.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { launch, ENGINES } from '../drivers/index.mjs';

const { values: args } = parseArgs({
  options: {
    base: { type: 'string' },
    'dead-port': { type: 'string' },
    engine: { type: 'string', default: 'chromium' },
    pkg: { type: 'string', default: '/pkg/index.js' },
    grep: { type: 'string' },
    report: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    bail: { type: 'boolean', default: false },
    timeout: { type: 'string', default: '240' },
    chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
  },
});
if (!args.base || !args['dead-port'] || !ENGINES.includes(args.engine)) {
  console.error(
    `usage: run.mjs --base http://127.0.0.1:PORT --dead-port N [--engine ${ENGINES.join('|')}] [--pkg /pkg/index.js] [--grep RE] [--report FILE] [--quiet]`,
  );
  process.exit(2);
}
const engine = args.engine;

// Cases skipped per engine: [regex on the case name, why]. Every entry must say why the case
// cannot run on that engine (a real engine limitation, not a package bug); the run prints them.
// Engine differences that are package bugs are NOT skipped here: they fail, and get fixed.
const DROP_SOAK = /^soak: 1,000 drop\/reconnect cycles/;
const SKIP = {
  chromium: [],
  firefox: [
    [
      DROP_SOAK,
      // Even with network.websocket.delay-failed-reconnects off (tests/drivers), a Firefox
      // drop/reconnect cycle takes 35-85 ms on this 2-core machine (measured: 594 of 1,000
      // opens in the case's 50 s under load). Leaks are engine-independent state of the
      // package: Chromium runs this case.
      'a Firefox drop/reconnect cycle takes 35-85 ms here: 1,000 of them do not fit the case timeout',
    ],
  ],
  webkit: [
    [
      DROP_SOAK,
      // WebKitGTK 2.50 reports the close of a server-reset connection 20-100 ms after its open
      // (Chromium: 1-15 ms), so one drop/reconnect cycle takes ~70 ms: 652 of the 1,000 opens
      // in the case's 50 s (measured). Not a package difference; Chromium runs this case.
      'WebKitGTK reports a reset connection 20-100 ms late: 1,000 drop/reconnect cycles take ~75 s, over the case timeout',
    ],
  ],
};
const skips = SKIP[engine];

const q = new URLSearchParams({ pkg: args.pkg, dead: args['dead-port'] });
// The page's grep: the user's --grep, minus this engine's skips.
let grep = args.grep ?? null;
if (skips.length) {
  const not = skips.map(([re]) => `(?:${re.source})`).join('|');
  grep = `^(?![\\s\\S]*(?:${not}))[\\s\\S]*(?:${args.grep ?? ''})`;
}
if (grep) q.set('grep', grep);
if (args.bail) q.set('bail', '1');
const url0 = `${args.base.replace(/\/$/, '')}/tests/page/index.html?${q}`;
const quiet = args.quiet;
const log = (...a) => console.log(...a);
const red = (s) => (process.stdout.isTTY ? `\x1b[31m${s}\x1b[0m` : s);
const yellow = (s) => (process.stdout.isTTY ? `\x1b[33m${s}\x1b[0m` : s);

const pageErrors = [];
function onEvent(e) {
  if (e.type === 'pageerror') {
    pageErrors.push(e.text);
    if (!quiet) log(red(`  [page uncaught error] ${e.text}`));
  } else if (e.type === 'console') {
    if (!quiet && (e.level === 'error' || e.level === 'warning')) log(`  [page console.${e.level}] ${e.text}`);
  } else if (e.type === 'requestfailed') {
    if (!e.url.startsWith('ws') && !quiet) log(`  [page request failed] ${e.url} ${e.text}`);
  } else if (e.type === 'http') {
    if (!quiet) log(`  [page HTTP ${e.status}] ${e.url}`);
  }
}
function printCase(r) {
  if (r.ok) {
    if (!quiet) log(`ok    ${r.name} (${r.ms} ms)`);
  } else if (quiet) {
    log(`  failed: ${r.name}: ${String(r.error).split('\n')[0]}`);
  } else {
    log(red(`FAIL  ${r.name}`));
    log(`        ${String(r.error).replace(/\n/g, '\n        ')}`);
  }
}

const started = Date.now();
const browser = await launch(engine, { onEvent, chromium: args.chromium });
const launchMs = Date.now() - started;
// Without an error event channel, the page records errors itself from its first line on.
const url = browser.caps.liveErrors ? url0 : `${url0}&capture=1`;
let results;
let printed = 0;
try {
  if (!quiet) log(`engine: ${browser.version} (${engine}; started in ${(launchMs / 1000).toFixed(1)} s)`);
  for (const [re, why] of skips) log(yellow(`skipped on ${engine}: cases matching /${re.source}/: ${why}`));
  const live = Boolean(browser.exposeFunction);
  if (live) await browser.exposeFunction('__mpReport', printCase);
  if (!quiet) log(`page tests: ${url}`);
  await browser.open(url);
  const deadline = Date.now() + Number(args.timeout) * 1000;
  let finished = false;
  while (Date.now() < deadline) {
    let s = null;
    try {
      s = await browser.evaluate(
        (from, wantCases) => {
          const r = globalThis.__results;
          if (!r) return null;
          return { done: r.done, n: r.cases.length, cases: wantCases ? r.cases.slice(from) : [] };
        },
        printed,
        !live,
      );
    } catch (e) {
      if (!quiet) log(`  [driver] polling the page failed: ${String(e?.message || e).split('\n')[0]}`);
    }
    if (s && !live) {
      for (const r of s.cases) printCase(r);
      printed += s.cases.length;
    }
    if (s?.done) {
      finished = true;
      break;
    }
    await new Promise((r) => setTimeout(r, live ? 100 : 250));
  }
  if (!finished) log(red(`page tests did not finish within ${args.timeout} s`));
  results = await browser.evaluate(() => globalThis.__results);
  if (!live && results) for (const r of results.cases.slice(printed)) printCase(r);
} finally {
  await browser.close();
}

const cases = results?.cases ?? [];
const failed = cases.filter((c) => !c.ok);
const passed = cases.length - failed.length;
const finished = Boolean(results?.done);
if (args.report) {
  writeFileSync(
    args.report,
    JSON.stringify({ engine, version: browser.version, finished, pageErrors, skipped: skips.map(([re, why]) => ({ re: re.source, why })), ...results }, null, 2),
  );
}
const secs = ((Date.now() - started) / 1000).toFixed(1);
if (quiet) {
  const on = engine === 'chromium' ? '' : ` [${engine}]`;
  log(`${cases.length} cases ran, ${failed.length} of them failed, ${pageErrors.length} uncaught page errors (${secs} s)${on}`);
} else {
  if (results?.importMs !== undefined) log(`(package import + wasm init took ${results.importMs} ms)`);
  for (const e of pageErrors) log(red(`uncaught page error: ${e.split('\n')[0]}`));
  if (!finished) log(red('the page did not finish running its cases'));
  if (cases.length === 0) log(red('no case ran'));
  log(`page tests took ${secs} s (${browser.version})`);
  log(`page: ${passed} passed, ${failed.length} failed${skips.length ? `, ${skips.length} skip rule(s) on ${engine}` : ''}`);
}
process.exit(failed.length || pageErrors.length || !finished || cases.length === 0 ? 1 : 0);

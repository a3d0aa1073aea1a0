#!/usr/bin/env node
// Loads the consumer pages in headless Debian Chromium (playwright-core from tools/) and
// checks that each one did a real echo round trip with the server that serves it.
//
//   node tests/consumers/run-pages.mjs --base http://127.0.0.1:PORT [--only NAME]
//
// The server must serve .test-run/consumers/ at / (an mpsocket-server with --static) and
// answer /echo and /control/stats. Each page's own code (the README's quick starts) writes
// `echo: …` into the page (its only visible text); this runner waits for that exact text, asks the server whether an
// /echo connection really received a message, and fails on any uncaught page or worker error.
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../tools/package.json'));
const { chromium } = require('playwright-core');

const { values: args } = parseArgs({
  options: {
    base: { type: 'string' },
    only: { type: 'string' },
    chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
  },
});
if (!args.base) {
  console.error('usage: run-pages.mjs --base http://127.0.0.1:PORT [--only NAME]');
  process.exit(2);
}
const base = args.base.replace(/\/$/, '');

// name, path under the server root, the text the page's code writes when the echo came back,
// and an optional extra check run in the page afterwards (must return true).
const PAGES = [
  ['vite: bundled app', '/vite-app/dist/index.html', 'echo: hello from a bundled app'],
  ['vite: module worker', '/vite-app/dist/harness/worker.html', 'echo: hello from a worker'],
  ['vite: mpsocket/shim (wx)', '/vite-app/dist/harness/shim.html', 'echo: hello from wx',
    () => typeof wx.rtc.createSocketTask === 'function'],
  ['webpack: bundled app (no config)', '/webpack-app/index.html', 'echo: hello from a bundled app'],
  ['esbuild: bundled app (.wasm copied)', '/esbuild-app/index.html', 'echo: hello from a bundled app'],
  ['Rollup: bundled app (node-resolve, .wasm copied)', '/rollup-app/index.html', 'echo: hello from a bundled app'],
  ['classic script + data-platform="wx"', '/static/classic.html', 'echo: hello from a classic script',
    () => typeof mpsocket.connectSocket === 'function' && typeof wx.rtc === 'object'],
  ['<script type=module> + import map', '/static/module.html', 'echo: hello from a module script'],
  ['plain module worker', '/static/worker.html', 'echo: hello from a plain module worker'],
  ['classic worker + importScripts', '/static/classic-worker.html', 'echo: hello from a classic worker'],
].filter(([name]) => !args.only || name.includes(args.only));

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

const stats = async () => (await fetch(`${base}/control/stats`)).json();
const red = (s) => (process.stdout.isTTY ? `\x1b[31m${s}\x1b[0m` : s);

let passed = 0;
let failed = 0;
const browser = await chromium.launch({ executablePath: args.chromium, args: FLAGS, headless: true });
try {
  for (const [name, url, expected, extra] of PAGES) {
    const started = Date.now();
    const problems = [];
    await fetch(`${base}/control/reset`);
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`uncaught page error: ${e.message}`));
    page.on('console', (m) => {
      // Failed loads are reported by the response handler below (and Chromium's own
      // favicon.ico request, which no page here has, must not count).
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console.error: ${m.text()}`);
    });
    page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && problems.push(`worker console.error: ${m.text()}`)));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`);
    });
    try {
      await page.goto(base + url);
      await page.waitForFunction((t) => document.body?.innerText.includes(t), expected, { timeout: 10_000, polling: 50 });
      const text = (await page.evaluate(() => document.body.innerText)).trim();
      if (text !== expected) problems.push(`the page says ${JSON.stringify(text)}, expected exactly ${JSON.stringify(expected)}`);
      if (extra && !(await page.evaluate(extra))) problems.push(`extra check failed: ${extra}`);
      const s = await stats();
      if (!s.connections.some((c) => c.path === '/echo' && c.received >= 1)) {
        problems.push(`the server saw no message on /echo: ${JSON.stringify(s.connections)}`);
      }
    } catch (e) {
      const text = await page.evaluate(() => document.body?.innerText ?? '').catch(() => '?');
      problems.push(`${e.message.split('\n')[0]} (the page says ${JSON.stringify(text.trim())})`);
    } finally {
      await context.close();
    }
    const ms = Date.now() - started;
    if (problems.length === 0) {
      passed++;
      console.log(`ok    ${name} (${url}, ${ms} ms)`);
    } else {
      failed++;
      console.log(red(`FAIL  ${name} (${url})`));
      for (const p of problems) console.log(`        ${p}`);
    }
  }
} finally {
  await browser.close();
}
console.log(`consumers: ${passed} passed, ${failed} failed`);
process.exit(failed || passed === 0 ? 1 : 0);

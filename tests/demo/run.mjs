#!/usr/bin/env node
// The demo page (www/) in headless Chromium, against a running mpsocket-server that serves
// www/ at / and the package at /pkg (scripts/test.sh's server; scripts/test.d/50-demo.sh):
//   - it loads with both sockets open and no console error;
//   - three messages go out and come back on both sides; markup in them is shown as text;
//   - "drop all connections": the bare WebSocket shows CLOSED, mpsocket waits to reconnect;
//     four messages sent during the outage queue in mpsocket and are lost on the bare side;
//   - after the reconnect every mpsocket message is echoed exactly once (the page's counts and
//     the server's record agree), the heartbeat shows a round trip;
//   - screenshots: .test-run/demo.png (desktop) and .test-run/demo-phone.png (390 px wide,
//     which must not scroll sideways).
//
//   node tests/demo/run.mjs --base http://127.0.0.1:PORT [--out DIR]
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const require = createRequire(path.join(root, 'tools/package.json'));
const { chromium } = require('playwright-core');
const { values: args } = parseArgs({
  options: { base: { type: 'string' }, out: { type: 'string', default: path.join(root, '.test-run') } },
});
if (!args.base) {
  console.error('usage: run.mjs --base http://127.0.0.1:PORT [--out DIR]');
  process.exit(2);
}
const base = args.base.replace(/\/$/, '');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let passed = 0;
let failed = 0;
const check = (cond, what) => {
  console.log(`${cond ? 'ok  ' : 'FAIL'}  ${what}`);
  if (cond) passed++;
  else failed++;
  return cond;
};

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: FLAGS });
const problems = [];
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e?.message || e}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`);
  });

  const wait = (fn, arg, ms = 8000) =>
    page.waitForFunction(fn, arg, { timeout: ms, polling: 50 }).then(() => true, () => false);
  const counts = (panel) =>
    page.evaluate((p) => Object.fromEntries(
      [...document.querySelectorAll(`#${p} [data-c]`)].map((b) => [b.dataset.c, Number(b.textContent)]),
    ), panel);
  const stateText = (panel) => page.evaluate((p) => document.querySelector(`#${p} [data-k="state"]`).textContent, panel);
  const sendN = async (n) => {
    for (let i = 0; i < n; i++) await page.click('#send');
  };

  await page.goto(`${base}/`);
  check(await wait(() => window.demo?.task.readyState === 1 && window.demo.ws?.readyState === 1),
    'the page loads and both sockets open');
  check(await wait(() => document.querySelector('#mp [data-k="state"]').textContent === 'OPEN'),
    'the status panel shows OPEN');

  // 1. Messages go out and come back; markup stays text.
  await page.fill('#text', '<b>not bold</b> & <img src=x onerror=alert(1)>');
  await sendN(3);
  check(await wait(() => window.demo.mp.echoed === 3 && window.demo.bare.echoed === 3),
    'three messages echoed on both sides');
  const markup = await page.evaluate(() => ({
    elements: document.querySelectorAll('.log b, .log img').length,
    shown: [...document.querySelectorAll('#mp .log li')].some((li) => li.textContent.includes('← #1 <b>not bold</b> & <img src=x onerror=alert(1)>')),
  }));
  check(markup.elements === 0 && markup.shown, `received markup is shown as text (${JSON.stringify(markup)})`);

  // 2. Fault: the server resets every connection.
  await page.fill('#text', 'during the outage');
  await page.click('#drop');
  check(await wait(() => window.demo.task.readyState !== 1 && window.demo.ws.readyState === 3, null, 5000),
    'drop all: mpsocket leaves OPEN and the bare WebSocket is CLOSED');
  check(await wait(() => /waiting to reconnect|CONNECTING/.test(document.querySelector('#mp [data-k="state"]').textContent), null, 2000),
    `mpsocket shows it is reconnecting ("${await stateText('mp')}")`);
  await sendN(4);
  const queued = await page.evaluate(() => window.demo.task.queueLength);
  check(queued === 4, `the four messages sent during the outage are queued (queueLength ${queued})`);
  check(await wait(() => document.querySelector('#mp [data-k="queue"]').textContent.startsWith('4 ')
    && document.querySelector('#bare [data-c="lost"]').textContent === '4', null, 2000),
  'the page shows 4 queued in mpsocket and 4 lost on the bare side');

  // 3. Recovery: everything queued is flushed and echoed exactly once.
  check(await wait(() => window.demo.mp.echoed === 7 && window.demo.mp.outstanding.size === 0, null, 10000),
    'after the reconnect all 7 mpsocket messages are echoed');
  await page.waitForTimeout(300); // one more render tick, and time for stray duplicates
  const mp = await counts('mp');
  check(mp.sent === 7 && mp.echoed === 7 && mp.pending === 0 && mp.lost === 0 && mp.dupes === 0,
    `mpsocket counts: ${JSON.stringify(mp)}`);
  const bare = await counts('bare');
  check(bare.sent === 7 && bare.echoed === 3 && bare.lost === 4 && bare.dupes === 0, `bare counts: ${JSON.stringify(bare)}`);
  check(await stateText('bare') === 'CLOSED' && await stateText('mp') === 'OPEN', 'status: mpsocket OPEN, bare CLOSED');
  const id = await page.evaluate(() => new URL(window.demo.MP_URL).searchParams.get('id'));
  const stats = await (await fetch(`${base}/control/stats`)).json();
  const texts = (stats.receivedTexts?.[id] ?? []).filter((t) => t.startsWith('#'));
  const ids = texts.map((t) => Number(/^#(\d+)/.exec(t)[1])).sort((a, b) => a - b);
  check(JSON.stringify(ids) === JSON.stringify([1, 2, 3, 4, 5, 6, 7]),
    `the server received each mpsocket message exactly once (${JSON.stringify(ids)})`);
  check((stats.byId?.[id]?.connections ?? 0) >= 2, `mpsocket reconnected (${stats.byId?.[id]?.connections} connections)`);

  // 4. The heartbeat (1.5 s of silence) and the timeline.
  check(await wait(() => typeof window.demo.task.lastRtt === 'number', null, 6000), 'a heartbeat round trip is shown');
  await page.waitForTimeout(300);
  const timeline = await page.evaluate(() => ({
    opens: document.querySelectorAll('#timeline circle[r="4.5"]').length,
    drops: document.querySelectorAll('#timeline path').length,
    waits: document.querySelectorAll('#timeline line[stroke-width="5"]').length,
    fault: [...document.querySelectorAll('#timeline text')].some((t) => t.textContent === 'drop all'),
  }));
  check(timeline.opens >= 3 && timeline.drops >= 2 && timeline.waits >= 1 && timeline.fault,
    `the timeline shows opens, drops, a reconnect wait and the fault (${JSON.stringify(timeline)})`);
  const rttText = await page.evaluate(() => document.querySelector('#mp [data-k="rtt"]').textContent);
  check(/^\d+(\.\d)? ms/.test(rttText), `the status shows the heartbeat RTT ("${rttText}")`);
  const net = await page.evaluate(() => document.querySelector('#mp [data-k="network"]').textContent);
  check(/^online · \w+/.test(net), `the status shows online/offline and networkType ("${net}")`);

  fs.mkdirSync(args.out, { recursive: true });
  const shot = path.join(args.out, 'demo.png');
  await page.screenshot({ path: shot, fullPage: true });
  check(fs.statSync(shot).size > 10000, `screenshot saved: ${path.relative(process.cwd(), shot)}`);

  // 5. Phone width: one column, no sideways scrolling.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  const layout = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    width: window.innerWidth,
    columns: getComputedStyle(document.querySelector('.panels')).gridTemplateColumns.split(' ').length,
  }));
  check(layout.scrollWidth <= layout.width && layout.columns === 1, `phone width: ${JSON.stringify(layout)}`);
  const phone = path.join(args.out, 'demo-phone.png');
  await page.screenshot({ path: phone, fullPage: true });
  console.log(`      phone screenshot: ${path.relative(process.cwd(), phone)}`);

  await page.evaluate(() => window.demo.task.close({}));
  await context.close();
} finally {
  await browser.close();
}
check(problems.length === 0, `no console errors or warnings, no failed requests${problems.length ? `: ${problems.join(' | ')}` : ''}`);
console.log(`demo: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

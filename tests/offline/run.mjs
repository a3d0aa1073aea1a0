#!/usr/bin/env node
// Offline/online scenarios in headless Chromium, driven through the DevTools protocol
// (playwright's context.setOffline), against the real test server:
//   - onNetworkStatusChange hears {isConnected:false, networkType:'none'} once, then comes back;
//     getNetworkType follows
//   - while offline, reconnect waits pause and use up no retries (the server sees no attempt)
//   - on online, the task reconnects at once (well under a second)
//   - on online, an open socket is probed with a heartbeat ping (Chromium holds open sockets
//     across offline emulation rather than closing them)
//
//   node tests/offline/run.mjs --base http://127.0.0.1:PORT
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../tools/package.json'));
const { chromium } = require('playwright-core');
const { values: args } = parseArgs({ options: { base: { type: 'string' } } });
if (!args.base) {
  console.error('usage: run.mjs --base http://127.0.0.1:PORT');
  process.exit(2);
}
const base = args.base.replace(/\/$/, '');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const control = async (p) => (await fetch(`${base}${p}`)).json();
let failures = 0;
const check = (cond, what) => {
  console.log(`${cond ? 'ok  ' : 'FAIL'}  ${what}`);
  if (!cond) failures++;
};

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: FLAGS });
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    failures++;
    console.log(`FAIL  uncaught page error: ${e}`);
  });
  await page.goto(`${base}/tests/offline/index.html`);
  await page.waitForFunction(() => window.ready === true);

  // 1. Network status follows the emulation, once per real change.
  await context.setOffline(true);
  await page.waitForFunction(() => window.rec.status.length >= 1, null, { timeout: 3000 }).catch(() => {});
  await sleep(200);
  let status = await page.evaluate(() => window.rec.status);
  check(JSON.stringify(status) === JSON.stringify([{ isConnected: false, networkType: 'none' }]),
    `offline: onNetworkStatusChange heard {isConnected:false, networkType:'none'} once (${JSON.stringify(status)})`);
  const nt = await page.evaluate(() => window.mp.getNetworkType());
  check(nt.errMsg === 'getNetworkType:ok' && nt.networkType === 'none' && nt.weakNet === false,
    `offline: getNetworkType() resolves networkType 'none' (${JSON.stringify(nt)})`);
  await context.setOffline(false);
  await page.waitForFunction(() => window.rec.status.length >= 2, null, { timeout: 3000 }).catch(() => {});
  status = await page.evaluate(() => window.rec.status);
  check(status.length === 2 && status[1].isConnected === true && status[1].networkType !== 'none',
    `online: onNetworkStatusChange heard isConnected:true (${JSON.stringify(status[1])})`);

  // 2. Offline pauses reconnect attempts; online reconnects at once.
  const id = `offline${Date.now()}`;
  await page.evaluate((id) => {
    window.task = window.open(`/echo?id=${id}`, {
      heartbeat: false,
      reconnect: { minDelay: 1500, maxDelay: 1500, jitter: 0, maxRetries: 5 },
    });
  }, id);
  await page.waitForFunction(() => window.rec.events.some((e) => e.e === 'open'), null, { timeout: 3000 });
  await control('/control/drop-all');
  await page.waitForFunction(() => window.rec.events.some((e) => e.e === 'reconnecting'), null, { timeout: 3000 });
  await context.setOffline(true);
  const before = (await control('/control/stats')).byId?.[id]?.connections ?? 0;
  await sleep(3500); // well past the 1.5 s wait
  const during = (await control('/control/stats')).byId?.[id]?.connections ?? 0;
  check(during === before, `offline: no reconnect attempt reached the server in 3.5 s (${before} → ${during} connections)`);
  const attempt = await page.evaluate(() => window.task.reconnectAttempt);
  check(attempt === 0, `offline: the paused wait used up no retry (reconnectAttempt ${attempt})`);
  check(await page.evaluate(() => window.task.readyState) === 0, 'offline: the task reports CONNECTING while paused');
  const onlineAt = await page.evaluate(() => performance.now());
  await context.setOffline(false);
  await page.waitForFunction(() => window.rec.events.filter((e) => e.e === 'open').length >= 2, null, { timeout: 5000 })
    .catch(() => {});
  const reopened = await page.evaluate(() => window.rec.events.filter((e) => e.e === 'open')[1]);
  const took = reopened ? Math.round(reopened.t - onlineAt) : NaN;
  check(reopened?.isReconnect === true && took < 1000, `online: reconnected at once (${took} ms after 'online', isReconnect ${reopened?.isReconnect})`);
  const events = await page.evaluate(() => window.rec.events.map((e) => e.e));
  check(!events.includes('close') && !events.includes('error'), `no onClose/onError during the outage (${events.join(',')})`);
  await page.evaluate(() => window.task.close({}));

  // 3. Online probes an open socket with a ping (the echo answers it: message = pong = 'pong').
  await page.evaluate(() => {
    window.rec.events = [];
    window.probe = window.open('/echo', {
      reconnect: { minDelay: 100 },
      heartbeat: { interval: 60000, timeout: 2000, message: 'pong', pong: 'pong' },
    });
  });
  await page.waitForFunction(() => window.rec.events.some((e) => e.e === 'open'), null, { timeout: 3000 });
  check(await page.evaluate(() => window.probe.lastRtt) === undefined, 'no ping before the probe (interval is 60 s)');
  await context.setOffline(true);
  await sleep(300);
  await context.setOffline(false);
  await page.waitForFunction(() => window.probe.lastRtt !== undefined, null, { timeout: 3000 }).catch(() => {});
  const rtt = await page.evaluate(() => window.probe.lastRtt);
  check(typeof rtt === 'number', `online: the open socket was probed with a ping (lastRtt ${rtt} ms)`);
  check(await page.evaluate(() => window.probe.readyState) === 1, 'the probed socket is still open');
  await page.evaluate(() => window.probe.close({}));

  // 3b. Sends made while offline are held, never reported delivered, and arrive after online:
  //     without a heartbeat the socket is closed at `offline` and reopened at `online`; with one
  //     it is kept, probed at `online`, and the queue waits for the probe's answer.
  for (const hb of [false, true]) {
    const sid = `held${hb ? 'hb' : ''}${Date.now()}`;
    const what = hb ? 'with a heartbeat' : 'without a heartbeat';
    await page.evaluate(({ sid, hb }) => {
      window.held = { outcome: {}, got: [] };
      window.ht = window.mp.createSocketTask({
        url: `ws://${location.host}/echo?id=${sid}&record=1`,
        reconnect: { minDelay: 100, maxDelay: 100 },
        ...(hb ? { heartbeat: { interval: 60000, timeout: 2000, message: 'pong', pong: 'pong' } } : {}),
      });
      window.ht.onMessage((m) => window.held.got.push(m.data));
    }, { sid, hb });
    await page.waitForFunction(() => window.ht.readyState === 1, null, { timeout: 3000 });
    await context.setOffline(true);
    await sleep(100);
    await page.evaluate(() => {
      for (const m of ['m1', 'm2', 'm3']) {
        window.ht.send({
          data: m,
          success: () => (window.held.outcome[m] = `success offline=${!navigator.onLine}`),
          fail: (e) => (window.held.outcome[m] = `fail ${e.errMsg}`),
        });
      }
    });
    await sleep(800);
    const offlineState = await page.evaluate(() => ({ o: { ...window.held.outcome }, q: window.ht.queueLength, rs: window.ht.readyState }));
    check(Object.keys(offlineState.o).length === 0 && offlineState.q === 3,
      `${what}: sends made offline wait in the queue, no success (${JSON.stringify(offlineState)})`);
    check(offlineState.rs === (hb ? 1 : 0), `${what}: readyState while offline is ${hb ? 'OPEN (kept)' : 'CONNECTING (closed, paused)'} (${offlineState.rs})`);
    const onAt = Date.now();
    await context.setOffline(false);
    await page.waitForFunction(() => window.held.got.filter((d) => d !== 'pong').length >= 3, null, { timeout: 3000 }).catch(() => {});
    const after = await page.evaluate(() => ({ o: window.held.outcome, got: window.held.got.filter((d) => d !== 'pong') }));
    check(JSON.stringify(after.got) === '["m1","m2","m3"]', `${what}: all three echoed after online, in order, ${Date.now() - onAt} ms (${JSON.stringify(after.got)})`);
    check(['m1', 'm2', 'm3'].every((m) => after.o[m] === 'success offline=false'), `${what}: each success fired once online (${JSON.stringify(after.o)})`);
    const server = (await control('/control/stats')).receivedTexts?.[sid] ?? [];
    check(JSON.stringify(server.filter((d) => d !== 'pong')) === '["m1","m2","m3"]', `${what}: the server received each exactly once (${JSON.stringify(server)})`);
    await page.evaluate(() => window.ht.close({}));
  }

  // 4. Listener count on globalThis and document stays flat however many tasks come and go.
  const cdp = await context.newCDPSession(page);
  const listeners = async (expr) => {
    const { result } = await cdp.send('Runtime.evaluate', { expression: expr });
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
    return listeners.length;
  };
  const count = async () => (await listeners('window')) + (await listeners('document'));
  const first = await count();
  await page.evaluate(async () => {
    for (let i = 0; i < 20; i++) {
      const t = window.mp.createSocketTask({ url: `ws://${location.host}/echo` });
      await new Promise((r) => t.onOpen(r));
      await new Promise((r) => { t.onClose(r); t.close({}); });
    }
  });
  const after = await count();
  check(after === first, `20 resilient tasks later, listeners on window+document: ${first} → ${after}`);
} finally {
  await browser.close();
}
console.log(failures ? `offline: ${failures} check(s) failed` : 'offline: all checks passed');
process.exit(failures ? 1 : 0);

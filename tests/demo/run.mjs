#!/usr/bin/env node
// The demo page (www/) in headless Chromium, against a running mpsocket-server that serves
// www/ at / and the package at /pkg (scripts/test.sh's server; scripts/test.d/50-demo.sh):
//   - it loads with both sockets open and no console error; the intro is there and the wording
//     never says left/right (the panels stack on phones);
//   - three messages go out and come back on both sides; markup in them is shown as text;
//   - one round per fault button (drop all, go silent then vanish, go silent then resume,
//     restart): each starts with both sides
//     open (the bare WebSocket reopened by hand when the last fault closed it, and labelled so)
//     and fresh counts, and is scored per side. Checked per round: both sides sent the same
//     messages, sent = echoed + lost, no duplicates, the panel's "this round" row shows the
//     round's score, and
//       drop, restart: mpsocket loses 0, notices at once and is back within seconds, and the
//         server received each of its messages exactly once; the bare socket notices, is not
//         back (CLOSED) and loses every message sent after the fault;
//       go silent, then vanish (the server resets every connection unread after the silence):
//         mpsocket's heartbeat notices within interval + timeout (+ slack), it is back after the
//         reset and loses less than the bare socket, which learns of the fault only from the
//         reset, stays CLOSED and loses every message sent after the fault;
//       go silent, then resume: mpsocket's heartbeat notices, it is back once the server speaks
//         again; the bare socket never notices (stays OPEN);
//       (vanish: the server got no mpsocket message twice; resume: a message it got twice is
//       printed as a note, since a re-queued message may have left on the old connection);
//   - the running totals are the sums of the rounds (plus the three messages before them);
//   - offline during a reconnect wait shows "paused: offline", not CONNECTING / attempt 0,
//     and online reopens;
//   - at 1280 px the panels sit side by side, at 360 px they stack with no sideways scrolling;
//     at both widths no two timeline labels overlap (bounding boxes), every label stays inside
//     the strip, and the score tables fit their cards;
//   - screenshots: DIR/demo.png (1280 px) and DIR/demo-phone.png (360 px), full page, and
//     DIR/demo-detail.png, DIR/demo-phone-detail.png (the scores and the timeline).
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
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const control = async (p) => (await fetch(`${base}${p}`)).json();

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
  // The panel's counts table: {round: {sent, …}, total: {sent, …}, label}.
  const counts = (panel) =>
    page.evaluate((p) => {
      const row = (r) => Object.fromEntries([...document.querySelectorAll(`#${p} tr[data-row="${r}"] [data-c]`)]
        .map((td) => [td.dataset.c, Number(td.textContent)]));
      return { round: row('round'), total: row('total'), label: document.querySelector(`#${p} [data-label="round"]`).textContent };
    }, panel);
  const stateText = (panel) => page.evaluate((p) => document.querySelector(`#${p} [data-k="state"]`).textContent, panel);
  // A score card as shown: per side {sent, echoed, lost, dupes, noticed, back (ms or null), who}.
  const scoreCard = (n) =>
    page.evaluate((n) => {
      const li = document.querySelector(`#scores li[data-round="${n}"]`);
      if (!li) return null;
      const side = (k) => {
        const td = (c) => li.querySelector(`tr[data-k="${c}"] td[data-side="${k}"]`);
        const ms = (c) => (td(c).dataset.ms === '' ? null : Number(td(c).dataset.ms));
        return {
          who: li.querySelector(`thead th[data-side="${k}"]`).textContent,
          sent: Number(td('sent').textContent),
          echoed: parseInt(td('echoed').textContent, 10),
          dupes: Number(td('echoed').dataset.dupes),
          lost: Number(td('lost').textContent),
          noticed: ms('noticed'),
          noticedText: td('noticed').textContent,
          back: ms('back'),
          backText: td('back').textContent,
        };
      };
      return { title: li.querySelector('h3').textContent, mp: side('mp'), bare: side('bare'), verdict: li.querySelector('.verdict').textContent };
    }, n);
  const show = (s) => `sent ${s.sent}, echoed ${s.echoed}, lost ${s.lost}, dupes ${s.dupes}, noticed ${s.noticedText}, back ${s.backText}`;

  await page.goto(`${base}/`);
  check(await wait(() => globalThis.demo?.task.readyState === 1 && globalThis.demo.ws?.readyState === 1),
    'the page loads and both sockets open');
  check(await wait(() => document.querySelector('#mp [data-k="state"]').textContent === 'OPEN'
    && document.querySelector('#bare [data-k="state"]').textContent === 'OPEN'), 'both status panels show OPEN');
  const words = await page.evaluate(() => ({
    intro: document.querySelector('#intro')?.textContent.replace(/\s+/g, ' ').trim() ?? '',
    firstBlock: document.querySelector('header p')?.id,
    leftRight: (document.body.innerText.match(/\b(left|right)\b/gi) ?? []),
  }));
  check(words.firstBlock === 'intro' && /createSocketTask/.test(words.intro) && /bare/.test(words.intro) && /fault/.test(words.intro),
    `a one-line intro opens the page ("${words.intro}")`);
  check(words.leftRight.length === 0, `no left/right wording (${JSON.stringify(words.leftRight)})`);
  const settings = await page.evaluate(() => globalThis.demo.SETTINGS);
  const hb = settings.heartbeat;
  check(hb.interval > 0 && hb.timeout > 0 && hb.interval + hb.timeout <= 3000,
    `the demo passes a short heartbeat explicitly (${JSON.stringify(hb)})`);

  // 1. Messages go out and come back; markup stays text.
  await page.fill('#text', '<b>not bold</b> & <img src=x onerror=alert(1)>');
  for (let i = 0; i < 3; i++) await page.click('#send');
  check(await wait(() => globalThis.demo.tally(globalThis.demo.mp).echoed === 3 && globalThis.demo.tally(globalThis.demo.bare).echoed === 3),
    'three messages echoed on both sides');
  const markup = await page.evaluate(() => ({
    elements: document.querySelectorAll('.log b, .log img').length,
    shown: [...document.querySelectorAll('#mp .log li')].some((li) => li.textContent.includes('← #1 <b>not bold</b> & <img src=x onerror=alert(1)>')),
  }));
  check(markup.elements === 0 && markup.shown, `received markup is shown as text (${JSON.stringify(markup)})`);
  await sleep(300);
  const before = await counts('mp');
  check(before.total.sent === 3 && before.total.echoed === 3 && before.round.sent === 0 && before.label === 'no round yet',
    `before any round: total 3 sent and echoed, no round counts (${JSON.stringify(before)})`);

  // 2. One round per fault.
  const mpId = await page.evaluate(() => new URL(globalThis.demo.MP_URL).searchParams.get('id'));
  const rounds = [];
  const slack = 700; // timers and rendering
  const plan = [[1, '#drop', 'drop'], [2, '#silence', 'silent'], [3, '#silence-resume', 'silent-resume'], [4, '#restart', 'restart']];
  for (const [n, button, kind] of plan) {
    const t = Date.now();
    let sawWaiting = false;
    await page.click(button);
    check(await wait((n) => globalThis.demo.round?.n === n, n, 12000), `round ${n} (${kind}) starts`);
    // Watch mpsocket's state while the round runs.
    while (!(await page.evaluate((n) => globalThis.demo.rounds[n - 1]?.done, n)) && Date.now() - t < 30000) {
      if (/waiting to reconnect|CONNECTING/.test(await stateText('mp'))) sawWaiting = true;
      await sleep(100);
    }
    const took = Date.now() - t;
    const card = await scoreCard(n);
    if (!check(card !== null, `round ${n} (${kind}) finished with a score card in ${(took / 1000).toFixed(1)} s`)) continue;
    await sleep(300); // one more render tick
    const info = await page.evaluate((n) => {
      const d = globalThis.demo;
      const r = d.rounds[n - 1];
      const ids = [...d.msgs].filter(([, m]) => m.round === n).map(([id]) => id);
      return { reopened: r.bare.reopenedByHand, ids, afterFault: [...d.msgs].filter(([, m]) => m.round === n && m.afterFault).length };
    }, n);
    rounds.push({ n, kind, card, info });
    const { mp, bare } = card;
    console.log(`      round ${n} ${kind}: mpsocket ${show(mp)} | bare ${show(bare)}`);
    console.log(`      verdict: ${card.verdict}`);
    check(mp.sent === info.ids.length && bare.sent === info.ids.length && mp.sent >= 6,
      `round ${n}: both sides sent the round's ${info.ids.length} messages and only those (fresh counts)`);
    check(mp.sent === mp.echoed + mp.lost && bare.sent === bare.echoed + bare.lost,
      `round ${n}: sent = echoed + lost on both sides`);
    check(mp.dupes === 0 && bare.dupes === 0, `round ${n}: no duplicate echoes`);
    const c = { mp: await counts('mp'), bare: await counts('bare') };
    check(['mp', 'bare'].every((k) => c[k].label === `round ${n}` && c[k].round.sent === card[k].sent
      && c[k].round.echoed === card[k].echoed && c[k].round.lost === card[k].lost && c[k].round.pending === 0),
    `round ${n}: each panel's "this round" row shows the round's score (${JSON.stringify(c.mp.round)} | ${JSON.stringify(c.bare.round)})`);
    const last = rounds.find((x) => x.n === n - 1);
    if (last) {
      const closedBefore = last.card.bare.backText.includes('CLOSED');
      check(info.reopened === closedBefore && /reopened by hand/.test(bare.who) === closedBefore,
        `round ${n}: the bare WebSocket was ${closedBefore ? '' : 'not '}reopened by hand, and the score says so ("${bare.who}")`);
    }
    const stats = await control('/control/stats');
    const received = (stats.receivedTexts?.[mpId] ?? []).map((s) => Number(/^#(\d+)/.exec(s)?.[1]));
    const times = info.ids.map((id) => received.filter((x) => x === id).length);
    if (kind.startsWith('silent')) {
      check(mp.noticed !== null && mp.noticed <= hb.interval + hb.timeout + slack,
        `${kind}: mpsocket's heartbeat noticed within interval + timeout (${mp.noticedText})`);
      check(mp.back !== null && (await stateText('mp')) === 'OPEN', `${kind}: mpsocket is back (${mp.backText}) and OPEN`);
      check(sawWaiting, `${kind}: mpsocket showed it was reconnecting`);
      if (kind === 'silent') {
        check(times.every((k) => k <= 1), `${kind}: the server received no mpsocket message twice (${JSON.stringify(times)})`);
      } else if (times.some((k) => k > 1)) {
        // Not a check: a message sent just before the heartbeat gave up can still count in
        // Chromium's bufferedAmount, so it is re-queued and re-sent, while the abandoned
        // connection had already carried it; a server that resumes reading then gets it twice.
        const twice = info.ids.filter((id, i) => times[i] > 1);
        console.log(`      note: the server received mpsocket message(s) #${twice.join(', #')} twice (re-sent after the heartbeat gave up; the old connection had carried it)`);
      }
    }
    if (kind === 'silent') {
      check(bare.noticed !== null && bare.noticed >= settings.silenceMs - 300 && bare.back === null && (await stateText('bare')) === 'CLOSED',
        `silent, then vanish: the bare WebSocket learned of it only at the reset (${bare.noticedText}) and stays CLOSED (${bare.backText})`);
      check(bare.lost >= info.afterFault, `silent, then vanish: the bare WebSocket lost every message sent after the fault (${bare.lost} ≥ ${info.afterFault})`);
      check(mp.lost < bare.lost, `silent, then vanish: mpsocket lost fewer (${mp.lost}) than the bare WebSocket (${bare.lost})`);
    } else if (kind === 'silent-resume') {
      check(bare.noticed === null && (await stateText('bare')) === 'OPEN', `silent, then resume: the bare WebSocket never noticed (${bare.noticedText}) and is OPEN`);
    } else {
      check(mp.lost === 0 && mp.echoed === mp.sent, `${kind}: mpsocket loses nothing (${mp.echoed}/${mp.sent} echoed)`);
      check(mp.noticed !== null && mp.noticed <= slack, `${kind}: mpsocket noticed at once (${mp.noticedText})`);
      check(mp.back !== null && mp.back <= 5000, `${kind}: mpsocket is back within seconds (${mp.backText})`);
      check(sawWaiting, `${kind}: mpsocket showed it was reconnecting`);
      check(times.every((k) => k === 1), `${kind}: the server received each mpsocket message exactly once (${JSON.stringify(times)})`);
      check(bare.noticed !== null && bare.back === null && /CLOSED/.test(bare.backText) && (await stateText('bare')) === 'CLOSED',
        `${kind}: the bare WebSocket noticed (${bare.noticedText}) and stays CLOSED (${bare.backText})`);
      check(bare.lost >= info.afterFault, `${kind}: the bare WebSocket lost every message sent after the fault (${bare.lost} ≥ ${info.afterFault})`);
    }
  }
  check(rounds.length === plan.length, `${plan.length} rounds ran`);

  // 3. Running totals.
  for (const k of ['mp', 'bare']) {
    const c = await counts(k);
    const sum = (f) => 3 + rounds.reduce((a, r) => a + r.card[k][f], 0);
    check(c.total.sent === sum('sent') && c.total.sent === c.total.echoed + c.total.lost + c.total.pending && c.total.pending === 0,
      `${k}: the running total adds the rounds up (${JSON.stringify(c.total)}, rounds + 3 sent = ${sum('sent')})`);
  }
  check(await page.evaluate(() => document.querySelectorAll('#scores li').length) === plan.length, `${plan.length} score cards`);

  // 4. The timeline shows the rounds.
  const timeline = await page.evaluate(() => ({
    opens: document.querySelectorAll('#timeline circle.open').length,
    drops: document.querySelectorAll('#timeline path.drop').length,
    waits: document.querySelectorAll('#timeline line.wait').length,
    pings: document.querySelectorAll('#timeline line.ping').length,
    faults: [...document.querySelectorAll('#timeline text.fault')].map((t) => t.textContent),
  }));
  check(timeline.opens >= 4 && timeline.drops >= 4 && timeline.waits >= 2 && timeline.pings >= 1 && timeline.faults.includes('restart'),
    `the timeline shows opens, drops, reconnect waits, pings and the faults (${JSON.stringify(timeline)})`);
  const rttText = await page.evaluate(() => document.querySelector('#mp [data-k="rtt"]').textContent);
  check(/^\d+(\.\d)? ms/.test(rttText), `the status shows the heartbeat RTT ("${rttText}")`);
  const net = await page.evaluate(() => document.querySelector('#mp [data-k="network"]').textContent);
  check(/^online · \w+/.test(net), `the status shows online/offline and networkType ("${net}")`);

  // 5. Offline while mpsocket waits to reconnect: "paused: offline", then online reopens.
  await control('/control/drop-all');
  check(await wait(() => globalThis.demo.task.readyState === 0, null, 3000), 'offline step: mpsocket is reconnecting after a drop');
  await context.setOffline(true);
  await sleep(2000); // past the reconnect wait
  const paused = await page.evaluate(() => ({
    state: document.querySelector('#mp [data-k="state"]').textContent,
    reconnect: document.querySelector('#mp [data-k="reconnect"]').textContent,
    network: document.querySelector('#mp [data-k="network"]').textContent,
  }));
  check(paused.state === 'paused: offline' && /^paused/.test(paused.reconnect) && /^offline/.test(paused.network),
    `offline: the status shows a paused state (${JSON.stringify(paused)})`);
  await context.setOffline(false);
  check(await wait(() => document.querySelector('#mp [data-k="state"]').textContent === 'OPEN', null, 5000),
    `online: mpsocket is OPEN again ("${await stateText('mp')}")`);

  // 6. Layout at 1280 and 360 px: columns, no sideways scroll, no overlapping labels.
  const layout = () => page.evaluate(() => {
    const svg = document.querySelector('#timeline').getBoundingClientRect();
    const boxes = [...document.querySelectorAll('#timeline text')].map((t) => ({ text: t.textContent, r: t.getBoundingClientRect() }));
    const overlaps = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].r;
        const b = boxes[j].r;
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps.push(`${boxes[i].text} × ${boxes[j].text}`);
      }
    }
    const outside = boxes.filter(({ r }) => r.left < svg.left || r.right > svg.right || r.top < svg.top || r.bottom > svg.bottom).map((b) => b.text);
    const tables = [...document.querySelectorAll('#scores table, .counts')];
    return {
      labels: boxes.length,
      faultLabels: boxes.filter((b) => !/^(now|−\d+s|mpsocket|bare WS)$/.test(b.text)).map((b) => b.text),
      overlaps,
      outside,
      // Each table inside its parent's content box.
      tablesOverflow: tables.map((t) => {
        const p = t.parentElement;
        const cs = getComputedStyle(p);
        const right = p.getBoundingClientRect().right - parseFloat(cs.paddingRight) - parseFloat(cs.borderRightWidth);
        return { t, over: t.getBoundingClientRect().right - right };
      }).filter(({ over }) => over > 0.5).map(({ t, over }) => `${t.closest('[id]').id} ${t.className || 'table'} ${over.toFixed(1)} px over`),
      scrollWidth: document.documentElement.scrollWidth,
      width: globalThis.innerWidth,
      columns: getComputedStyle(document.querySelector('.panels')).gridTemplateColumns.split(' ').length,
    };
  });
  fs.mkdirSync(args.out, { recursive: true });
  for (const [width, height, file, columns] of [[1280, 900, 'demo.png', 2], [360, 780, 'demo-phone.png', 1]]) {
    await page.setViewportSize({ width, height });
    await sleep(500); // a redraw at the new width
    const l = await layout();
    check(l.columns === columns && l.scrollWidth <= l.width,
      `${width} px: ${columns} column(s), no sideways scrolling (scrollWidth ${l.scrollWidth})`);
    check(l.labels >= 8 && l.faultLabels.length >= 2 && l.overlaps.length === 0 && l.outside.length === 0,
      `${width} px: ${l.labels} timeline labels (faults: ${l.faultLabels.join(', ')}), none overlapping (${l.overlaps.join('; ') || 'none'}), none outside (${l.outside.join(', ') || 'none'})`);
    check(l.tablesOverflow.length === 0, `${width} px: every score/count table fits its box (${l.tablesOverflow.join('; ') || 'all fit'})`);
    const shot = path.join(args.out, file);
    await page.screenshot({ path: shot, fullPage: true });
    check(fs.statSync(shot).size > 10000, `${width} px screenshot saved: ${path.relative(process.cwd(), shot)}`);
    // The timeline and the newest score at full size, where the full page is too tall to read.
    const detail = path.join(args.out, file.replace('.png', '-detail.png'));
    const box = await page.evaluate(() => {
      const a = document.querySelector('.scores-section').getBoundingClientRect();
      const b = document.querySelector('.timeline').getBoundingClientRect();
      return { x: 0, y: a.top + scrollY, width: innerWidth, height: b.bottom - a.top + 8 };
    });
    await page.screenshot({ path: detail, fullPage: true, clip: box });
    console.log(`      detail: ${path.relative(process.cwd(), detail)}`);
  }

  await page.evaluate(() => globalThis.demo.task.close({}));
  await context.close();
} finally {
  await browser.close();
}
check(problems.length === 0, `no console errors or warnings, no failed requests${problems.length ? `: ${problems.join(' | ')}` : ''}`);
console.log(`demo: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

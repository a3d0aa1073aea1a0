// The mpsocket demo: a createSocketTask and a bare WebSocket side by side, against the
// mpsocket-server echo. Each fault button runs one round: both sides start open with fresh
// counts (the bare socket is reopened by hand if a fault closed it), two messages go out, the
// server is broken through its /control/* endpoints, a message goes out every 0.5 s, and the
// round is scored per side (sent, echoed, lost, noticed, back after).
// Everything received is shown with textContent: data is never parsed as HTML.
import { createSocketTask, getNetworkType, onNetworkStatusChange } from '/pkg/index.js';

// Short settings, so that a round takes a few seconds.
const SETTINGS = {
  // The heartbeat is opt-in (contract B1): without it "go silent" would never be noticed.
  heartbeat: { interval: 1000, timeout: 1000 },
  reconnect: { minDelay: 1000, maxDelay: 8000, factor: 2, jitter: 0.2, minUptime: 2000 },
  restartDownMs: 600, // shorter than the first reconnect wait: the first attempt finds the server up
  silenceMs: 4000,
  tickMs: 500, // one message to both sides every tick while a round runs
  warmup: 2, // messages sent (and echoed) before the fault
  settleMs: 3000, // after the traffic: how long to wait for the last echoes
  prepareMs: 10000, // how long a round waits for both sides to be open before it starts
  windowMs: 40000, // the timeline's span
  logLines: 200,
};
const FAULTS = {
  drop: {
    label: 'drop all connections',
    mark: 'drop all',
    path: '/control/drop-all',
    trafficMs: 3000,
    describe: (b) => `the server reset ${b.dropped} connection(s), without a close frame`,
  },
  // Half-open: the server stops reading and echoing. Then either its side of every
  // connection is gone (reset: what it was sent is never read, as with a peer that went away),
  // or it reads and echoes again on the same connections (a peer that was only stalled).
  silent: {
    label: 'go silent, then vanish',
    mark: 'silent',
    path: '/control/silence?on=1',
    endPath: '/control/silence?on=0&drop=1',
    endMark: 'gone',
    trafficMs: SETTINGS.silenceMs + 2000,
    describe: () => `the server stops reading and echoing (half-open); in ${SETTINGS.silenceMs / 1000} s it resets every connection unread`,
  },
  'silent-resume': {
    label: 'go silent, then resume',
    mark: 'silent',
    path: '/control/silence?on=1',
    endPath: '/control/silence?on=0',
    endMark: 'speaks again',
    trafficMs: SETTINGS.silenceMs + 2000,
    describe: () => `the server stops reading and echoing (half-open); in ${SETTINGS.silenceMs / 1000} s it reads and echoes again`,
  },
  restart: {
    label: 'restart server',
    mark: 'restart',
    path: `/control/restart?down=${SETTINGS.restartDownMs}`,
    trafficMs: 3500,
    describe: () => `the server drops every connection and is down for ${SETTINGS.restartDownMs} ms`,
  },
};
const HB = 'hb'; // the ping; the echo server returns it, and it is the pong too
const STATES = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'];

const $ = (sel, root = document) => root.querySelector(sel);
const now = () => performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const secs = (ms) => `${(ms / 1000).toFixed(1)}\u00a0s`; // never broken between number and unit
const wsUrl = (path) => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`;
const run = Math.random().toString(36).slice(2, 8);
const MP_URL = wsUrl(`/echo?id=demo-mp-${run}&record=1`);
const BARE_URL = wsUrl(`/echo?id=demo-bare-${run}&record=1`);
$('#url').textContent = wsUrl('/echo');
$('#hb-settings').textContent = `heartbeat: { interval: ${SETTINGS.heartbeat.interval}, timeout: ${SETTINGS.heartbeat.timeout} }`;

// ---- timeline ----------------------------------------------------------------------------
const events = []; // {t, lane: 'mp' | 'bare' | 'all', kind, until?, label?}
function mark(lane, kind, extra = {}) {
  events.push({ t: now(), lane, kind, ...extra });
  soon();
}
function prune(t0) {
  const keep = events.filter((e) => (e.until ?? e.t) >= t0);
  if (keep.length !== events.length) events.splice(0, events.length, ...keep);
}

const SVG = 'http://www.w3.org/2000/svg';
const svg = $('#timeline');
const H = 112;
const X0 = 64; // lane labels on the left
const LANE = { mp: 58, bare: 86 };
const LABEL_ROWS = [11, 24, 37]; // baselines of the fault labels (13 px: one text box), above the lanes
const AXIS_Y = H - 4;
const GAP = 6; // the least space between two labels
function el(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}
// Places labels (already in the SVG, so they can be measured) right to left, each at its
// wanted x or as near as the edges allow, in the first row where it overlaps nothing. A label
// that fits in no row is removed: newer labels win, and no two labels ever overlap.
function placeLabels(items, rows, minX, maxX) {
  const starts = rows.map(() => Infinity); // left edge of the leftmost label placed in each row
  items.sort((a, b) => b.x - a.x);
  for (const it of items) {
    const w = it.el.getComputedTextLength();
    const left = Math.max(minX, Math.min(it.x, maxX - w));
    const row = rows.findIndex((_, i) => left + w + GAP <= starts[i] && left >= minX);
    if (row < 0 || w > maxX - minX) {
      it.el.remove();
      continue;
    }
    it.el.setAttribute('x', left.toFixed(1));
    it.el.setAttribute('y', rows[row]);
    starts[row] = left;
  }
}
function drawTimeline() {
  const t1 = now();
  const t0 = t1 - SETTINGS.windowMs;
  prune(t0);
  const W = Math.max(200, Math.round(svg.clientWidth || 600)); // CSS pixels: text is never stretched
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const x = (t) => X0 + ((Math.max(t, t0) - t0) / SETTINGS.windowMs) * (W - X0 - 6);
  const nodes = [];
  const faultLabels = [];
  const axisLabels = [];
  for (const [lane, y] of Object.entries(LANE)) {
    nodes.push(el('line', { x1: X0, x2: W - 6, y1: y, y2: y, stroke: '#d0d7de', 'stroke-width': 1 }));
    nodes.push(el('text', { x: 4, y: y + 3, class: 'lane' }, lane === 'mp' ? 'mpsocket' : 'bare WS'));
  }
  for (let s = 0; s <= SETTINGS.windowMs / 1000; s += 10) {
    const t = el('text', { x: 0, y: AXIS_Y, class: 'axis' }, s === 0 ? 'now' : `−${s}s`);
    nodes.push(t);
    axisLabels.push({ el: t, x: x(t1 - s * 1000), center: true });
  }
  for (const e of events) {
    if (e.kind === 'wait') {
      const y = LANE[e.lane];
      nodes.push(el('line', { x1: x(e.t), x2: x(Math.min(e.until, t1)), y1: y, y2: y, stroke: 'var(--wait)', 'stroke-width': 5, 'stroke-linecap': 'butt', opacity: 0.75, class: 'wait' }));
      continue;
    }
    if (e.t < t0) continue;
    const ex = x(e.t);
    if (e.kind === 'fault') {
      nodes.push(el('line', { x1: ex, x2: ex, y1: 3, y2: H - 16, stroke: 'var(--fault)', 'stroke-dasharray': '3 2', 'stroke-width': 1, class: 'fault' }));
      const t = el('text', { x: 0, y: LABEL_ROWS[0], class: 'fault' }, e.label);
      nodes.push(t);
      faultLabels.push({ el: t, x: ex + 3 });
      continue;
    }
    const y = LANE[e.lane];
    if (e.kind === 'open') nodes.push(el('circle', { cx: ex, cy: y, r: 4.5, fill: 'var(--open)', class: 'open' }));
    else if (e.kind === 'drop') {
      nodes.push(el('path', { d: `M${ex - 4},${y - 4}L${ex + 4},${y + 4}M${ex - 4},${y + 4}L${ex + 4},${y - 4}`, stroke: 'var(--drop)', 'stroke-width': 2.2, class: 'drop' }));
    } else if (e.kind === 'ping') nodes.push(el('line', { x1: ex, x2: ex, y1: y - 11, y2: y - 5, stroke: 'var(--hb)', 'stroke-width': 1.5, class: 'ping' }));
    else if (e.kind === 'pong') nodes.push(el('circle', { cx: ex, cy: y - 13, r: 1.8, fill: 'var(--hb)', class: 'pong' }));
  }
  svg.replaceChildren(...nodes);
  // Axis labels centred on their tick, kept inside the strip; fault labels right of their line.
  for (const a of axisLabels) a.x -= a.el.getComputedTextLength() / 2;
  placeLabels(axisLabels, [AXIS_Y], 2, W - 3);
  placeLabels(faultLabels, LABEL_ROWS, X0, W - 3);
}

// ---- messages and counts -----------------------------------------------------------------
// Every message goes to both sides with the same id. Per side, each id is 'pending',
// 'echoed' or 'lost'; a late echo turns 'lost' into 'echoed'.
const msgs = new Map(); // id -> {round: n (0 = between rounds), afterFault}
function makeSide(key, root) {
  return {
    key,
    root,
    log: $('.log', root),
    st: new Map(), // id -> 'pending' | 'echoed' | 'lost'
    dupes: new Map(), // round n -> duplicate echoes
  };
}
const mp = makeSide('mp', $('#mp'));
const bare = makeSide('bare', $('#bare'));

// Counts of one side: of one round, or of everything (round undefined).
function tally(side, n) {
  const c = { sent: 0, echoed: 0, pending: 0, lost: 0, dupes: 0 };
  for (const [id, s] of side.st) {
    if (n !== undefined && msgs.get(id).round !== n) continue;
    c.sent++;
    c[s]++;
  }
  for (const [r, d] of side.dupes) if (n === undefined || r === n) c.dupes += d;
  return c;
}
function lose(side, ids) {
  let k = 0;
  for (const id of ids) {
    if (side.st.get(id) === 'pending') {
      side.st.set(id, 'lost');
      k++;
    }
  }
  return k;
}

function log(side, kind, text) {
  const li = document.createElement('li');
  li.className = kind;
  li.textContent = `${new Date().toLocaleTimeString([], { hour12: false })}  ${text}`;
  side.log.prepend(li);
  while (side.log.childElementCount > SETTINGS.logLines) side.log.lastElementChild.remove();
  soon();
}
// Re-render on the next frame after anything happens (and every 200 ms for the countdowns).
let frame = 0;
function soon() {
  if (!frame) frame = requestAnimationFrame(() => { frame = 0; render(); });
}

function echo(side, data) {
  const text = typeof data === 'string' ? data : `(binary, ${data.byteLength} bytes)`;
  const m = /^#(\d+) /.exec(text);
  const id = m ? Number(m[1]) : NaN;
  let note = '';
  if (side.st.has(id)) {
    const msg = msgs.get(id);
    const was = side.st.get(id);
    if (was === 'echoed') {
      side.dupes.set(msg.round, (side.dupes.get(msg.round) ?? 0) + 1);
      note = '   (duplicate)';
    } else {
      side.st.set(id, 'echoed');
      if (was === 'lost') note = '   (late: counted as echoed after all)';
      const r = round;
      if (r && r.t0 !== null && msg.round === r.n && msg.afterFault && r[side.key].back === null) {
        r[side.key].back = now() - r.t0;
      }
    }
  }
  log(side, 'in', `← ${text}${note}`);
}

// The running round sees when a side learns that its connection is broken.
function noticed(side) {
  const r = round;
  if (r && r.t0 !== null && r[side.key].noticed === null) r[side.key].noticed = now() - r.t0;
}

// ---- mpsocket ----------------------------------------------------------------------------
let task = null;
let mpWasOpen = false;
let mpWait = null; // {attempt, delay, until}
const handed = new Set(); // ids handed to the current connection (their success ran)
function makeTask() {
  const t = createSocketTask({
    url: MP_URL,
    // Passed explicitly: the heartbeat is what notices a silent (half-open) server.
    heartbeat: {
      ...SETTINGS.heartbeat,
      message: () => {
        mark('mp', 'ping');
        return HB;
      },
      pong: (data) => {
        if (data !== HB) return false;
        mark('mp', 'pong');
        return true;
      },
    },
    reconnect: SETTINGS.reconnect,
  });
  mpWasOpen = false;
  mpWait = null;
  handed.clear();
  t.onOpen(({ isReconnect }) => {
    if (t !== task) return;
    mpWasOpen = true;
    mpWait = null;
    mark('mp', 'open');
    const queued = t.queueLength;
    log(mp, 'info', isReconnect ? `reopened by itself${queued ? `: flushing ${queued} queued message(s)` : ''}` : 'open');
  });
  t.onReconnecting(({ attempt, delay, code, reason }) => {
    if (t !== task) return;
    noticed(mp);
    // What was handed to the connection that died and has not come back is gone (mpsocket
    // re-queues only what the browser had not transmitted yet; those are re-sent and echo).
    const gone = lose(mp, handed);
    handed.clear();
    if (gone) log(mp, 'warn', `${gone} message(s) were on the wire of the dead connection: lost`);
    if (mpWasOpen) mark('mp', 'drop');
    mpWasOpen = false;
    const at = now();
    mpWait = { attempt, delay, until: at + delay };
    events.push({ t: at, lane: 'mp', kind: 'wait', until: at + delay });
    log(mp, 'warn', `connection lost (${code} ${reason}): reconnect attempt ${attempt} in ${Math.round(delay)} ms`);
  });
  t.onMessage(({ data }) => {
    if (t === task) echo(mp, data);
  });
  t.onError(({ errMsg }) => {
    if (t === task) log(mp, 'warn', `error: ${errMsg}`);
  });
  t.onClose(({ code, reason }) => {
    if (t !== task) return;
    noticed(mp);
    lose(mp, [...mp.st.keys()]);
    mark('mp', 'drop');
    log(mp, 'warn', `closed for good: ${code} ${reason}`);
  });
  return t;
}

function sendMp(id, text) {
  const data = `#${id} ${text}`;
  mp.st.set(id, 'pending');
  const queued = task.readyState !== 1;
  task.send({
    data,
    success: () => handed.add(id),
    fail: ({ errMsg }) => {
      lose(mp, [id]);
      log(mp, 'warn', `✕ #${id} ${errMsg}`);
    },
  });
  log(mp, 'out', `→ ${data}${queued ? '   (queued)' : ''}`);
}

// ---- bare WebSocket ----------------------------------------------------------------------
let ws = null;
function openBare(why) {
  if (ws && ws.readyState < 2) return false;
  const s = new WebSocket(BARE_URL);
  ws = s;
  s.binaryType = 'arraybuffer';
  log(bare, 'info', `opening${why ? ` (${why})` : ''}`);
  s.onopen = () => {
    if (s !== ws) return;
    mark('bare', 'open');
    log(bare, 'info', 'open');
  };
  s.onmessage = (e) => {
    if (s === ws) echo(bare, e.data);
  };
  s.onclose = (e) => {
    if (s !== ws) return;
    noticed(bare);
    mark('bare', 'drop');
    const gone = lose(bare, [...bare.st.keys()]);
    log(bare, 'warn', `closed (${e.code}${e.reason ? ` ${e.reason}` : ''})${gone ? `: ${gone} message(s) in flight lost` : ''}; nothing reopens it`);
  };
  s.onerror = () => {
    if (s !== ws) return;
    noticed(bare);
    log(bare, 'warn', 'error event');
  };
  return true;
}

function sendBare(id, text) {
  const data = `#${id} ${text}`;
  bare.st.set(id, 'pending');
  if (!ws || ws.readyState !== 1) {
    lose(bare, [id]);
    log(bare, 'warn', `✕ ${data}   (not sent: the socket is ${STATES[ws ? ws.readyState : 3]})`);
    return;
  }
  ws.send(data);
  log(bare, 'out', `→ ${data}`);
}

// ---- sending -----------------------------------------------------------------------------
let nextId = 1;
function sendBoth(text) {
  const id = nextId++;
  const r = round;
  msgs.set(id, { round: r ? r.n : 0, afterFault: !!r && r.t0 !== null });
  sendMp(id, text);
  sendBare(id, text);
  return id;
}
$('#chat').addEventListener('submit', (e) => {
  e.preventDefault();
  sendBoth($('#text').value.trim() || 'hello');
});
$('#reopen').addEventListener('click', () => {
  if (!openBare('reopened by hand')) log(bare, 'info', 'already open or opening');
});

// ---- rounds ------------------------------------------------------------------------------
const rounds = [];
let round = null; // the running round
let busy = false;
const roundStatus = $('#round-status');
const faultButtons = [...document.querySelectorAll('[data-fault]')];
function status(text) {
  roundStatus.textContent = text;
}
async function control(path) {
  const res = await fetch(path, { cache: 'no-store' });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}
async function until(cond, ms) {
  const end = now() + ms;
  while (!cond()) {
    if (now() >= end) return false;
    await sleep(50);
  }
  return true;
}
const pendingIn = (side, n) => tally(side, n).pending;

let silenceOn = false;
async function endSilence(f) {
  silenceOn = false;
  mark('all', 'fault', { label: f?.endMark ?? 'speaks again' });
  await control(f?.endPath ?? '/control/silence?on=0');
}
// Never leave the shared server silent when the page goes away.
addEventListener('pagehide', () => {
  if (silenceOn) fetch('/control/silence?on=0', { keepalive: true }).catch(() => {});
});

async function runRound(kind) {
  const f = FAULTS[kind];
  if (busy || !f) return null;
  busy = true;
  for (const b of faultButtons) b.disabled = true;
  const n = rounds.length + 1;
  try {
    // 1. Both sides open, with nothing left over from before.
    status(`Round ${n} · ${f.label}: getting both sides open…`);
    if (silenceOn) await endSilence(null);
    if (!task || task.readyState === 3) {
      task = makeTask();
      log(mp, 'info', 'a new task for this round (the last one was closed for good)');
    }
    const reopened = openBare(`reopened by hand for round ${n}: a bare WebSocket never reopens itself`);
    const ready = await until(() => task.readyState === 1 && task.queueLength === 0 && ws.readyState === 1, SETTINGS.prepareMs);
    if (!ready) {
      status(`Round ${n} · ${f.label} did not start: ${task.readyState !== 1 ? 'mpsocket' : 'the bare WebSocket'} did not open within ${SETTINGS.prepareMs / 1000} s`);
      return null;
    }
    // The same backoff every round: the reconnect counter is back to 0 after minUptime open.
    await until(() => task.reconnectAttempt === 0, SETTINGS.reconnect.minUptime + 1000);

    const r = {
      n,
      kind,
      label: f.label,
      startedAt: now(),
      t0: null,
      done: false,
      mp: { noticed: null, back: null },
      bare: { noticed: null, back: null, reopenedByHand: reopened },
      score: null,
    };
    rounds.push(r);
    round = r;
    soon();

    // 2. Warm-up: a couple of messages echo on both sides.
    status(`Round ${n} · ${f.label}: ${SETTINGS.warmup} messages before the fault`);
    for (let i = 0; i < SETTINGS.warmup; i++) {
      sendBoth('before the fault');
      await sleep(SETTINGS.tickMs / 2);
    }
    await until(() => pendingIn(mp, n) === 0 && pendingIn(bare, n) === 0, 2000);

    // 3. The fault, then a message every tick (the first half a tick after the fault).
    r.t0 = now();
    mark('all', 'fault', { label: f.mark });
    let silenceEnd = null;
    try {
      status(`Round ${n} · ${f.label}: ${f.describe(await control(f.path))}`);
    } catch (e) {
      status(`Round ${n} · ${f.label}: the server did not answer ${f.path}: ${e.message}`);
    }
    if (f.endPath) {
      silenceOn = true;
      silenceEnd = sleep(r.t0 + SETTINGS.silenceMs - now()).then(() => endSilence(f));
    }
    const end = r.t0 + f.trafficMs;
    for (let next = r.t0 + SETTINGS.tickMs / 2; next < end; next += SETTINGS.tickMs) {
      await sleep(next - now());
      sendBoth('tick');
      const left = silenceOn ? ` (the server is silent for ${secs(Math.max(0, r.t0 + SETTINGS.silenceMs - now()))} more)` : '';
      status(`Round ${n} · ${f.label}: a message every ${SETTINGS.tickMs / 1000} s${left}`);
    }
    if (silenceEnd) await silenceEnd.catch(() => {});

    // 4. The last echoes, then the score.
    status(`Round ${n} · ${f.label}: waiting for the last echoes`);
    await until(() => pendingIn(mp, n) === 0 && pendingIn(bare, n) === 0, SETTINGS.settleMs);
    finish(r);
    status(`Round ${n} · ${f.label}: done, see its score.`);
    return r;
  } finally {
    round = null;
    busy = false;
    for (const b of faultButtons) b.disabled = false;
    soon();
  }
}
for (const b of faultButtons) b.addEventListener('click', () => runRound(b.dataset.fault));

function finish(r) {
  const score = {};
  for (const side of [mp, bare]) {
    const c = tally(side, r.n);
    score[side.key] = {
      sent: c.sent,
      echoed: c.echoed,
      // A message with no echo by the end of the round counts as lost in its score.
      lost: c.lost + c.pending,
      unanswered: c.pending,
      dupes: c.dupes,
      noticed: r[side.key].noticed,
      back: r[side.key].back,
      state: side === mp ? task.readyState : ws ? ws.readyState : 3,
    };
  }
  r.score = score;
  r.durationMs = now() - r.startedAt;
  r.done = true;
  renderScore(r);
}

function verdict(r) {
  const { mp: m, bare: b } = r.score;
  const silent = r.kind !== 'drop' && r.kind !== 'restart';
  const out = [];
  if (silent && m.noticed !== null) out.push(`mpsocket’s heartbeat noticed the silence after ${secs(m.noticed)}.`);
  out.push(m.lost
    ? `Its ${m.lost} lost were on connections that went silent or died before their echo came back (at-most-once).`
    : 'mpsocket lost nothing.');
  if (r.kind === 'silent' && b.noticed !== null) {
    out.push(`The bare WebSocket learned of it only from the server’s reset after ${secs(b.noticed)} (a peer that vanishes without one would leave it OPEN)${b.state === 3 ? ', and stays CLOSED' : ''}.`);
  } else if (b.state === 3) out.push('The bare WebSocket stays CLOSED: nothing reopens it (the next round reopens it by hand).');
  else if (b.noticed === null) {
    out.push(b.lost
      ? 'The bare WebSocket never noticed: it stayed OPEN.'
      : 'The bare WebSocket lost nothing only because the server spoke again on the same connection; it never noticed (it stayed OPEN).');
  }
  return out.join(' ');
}

function renderScore(r) {
  const li = document.createElement('li');
  li.className = 'score';
  li.dataset.round = String(r.n);
  li.dataset.fault = r.kind;
  const h = document.createElement('h3');
  h.textContent = `Round ${r.n} · ${r.label} `;
  const dur = document.createElement('span');
  dur.className = 'dur';
  dur.textContent = secs(r.durationMs);
  h.append(dur);
  // Metrics down, sides across: three columns fit a phone.
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  head.append(document.createElement('th'));
  for (const [key, name] of [['mp', 'mpsocket'], ['bare', 'bare WebSocket']]) {
    const th = document.createElement('th');
    th.dataset.side = key;
    th.textContent = name;
    if (key === 'bare' && r.bare.reopenedByHand) {
      const small = document.createElement('small');
      small.textContent = 'reopened by hand';
      th.append(document.createElement('br'), small);
    }
    head.append(th);
  }
  const body = table.createTBody();
  const row = (k, name, fill) => {
    const tr = body.insertRow();
    tr.dataset.k = k;
    const th = document.createElement('th');
    th.textContent = name;
    tr.append(th);
    for (const key of ['mp', 'bare']) {
      const td = tr.insertCell();
      td.dataset.side = key;
      fill(td, r.score[key]);
    }
  };
  const time = (td, ms, none) => {
    td.dataset.ms = ms === null ? '' : String(Math.round(ms));
    td.textContent = ms === null ? none : secs(ms);
  };
  row('sent', 'sent', (td, s) => { td.textContent = String(s.sent); });
  row('echoed', 'echoed', (td, s) => {
    td.textContent = s.dupes ? `${s.echoed} (+${s.dupes} dup.)` : String(s.echoed);
    td.dataset.dupes = String(s.dupes);
  });
  row('lost', 'lost', (td, s) => {
    td.textContent = String(s.lost);
    td.classList.toggle('bad', s.lost > 0);
  });
  row('noticed', 'noticed', (td, s) => time(td, s.noticed, s.state === 1 ? 'never (OPEN)' : 'never'));
  row('back', 'back after', (td, s) => {
    time(td, s.back, `no (${STATES[s.state]})`);
    td.classList.toggle('bad', s.back === null);
  });
  const p = document.createElement('p');
  p.className = 'verdict';
  p.textContent = verdict(r);
  li.append(h, table, p);
  $('#scores').prepend(li);
  $('#scores-empty').hidden = true;
}

// ---- network status ----------------------------------------------------------------------
let network = '…';
getNetworkType().then(({ networkType }) => {
  network = `${navigator.onLine === false ? 'offline' : 'online'} · ${networkType}`;
});
onNetworkStatusChange(({ isConnected, networkType }) => {
  network = `${isConnected ? 'online' : 'offline'} · ${networkType}`;
  mark('all', 'fault', { label: isConnected ? 'online' : 'offline' });
});

// ---- status rendering --------------------------------------------------------------------
function setText(root, key, text, cls) {
  const dd = $(`[data-k="${key}"]`, root);
  if (dd.firstChild?.nodeType === Node.TEXT_NODE && dd.childNodes.length > 1) dd.firstChild.textContent = text;
  else dd.textContent = text;
  if (cls !== undefined) dd.className = cls;
}
function renderCounts(side) {
  const shown = round ?? rounds[rounds.length - 1];
  let c = { sent: 0, echoed: 0, pending: 0, lost: 0, dupes: 0 };
  let label = 'no round yet';
  if (shown?.done) {
    const s = shown.score[side.key];
    c = { sent: s.sent, echoed: s.echoed, pending: 0, lost: s.lost, dupes: s.dupes };
    label = `round ${shown.n}`;
  } else if (shown) {
    c = tally(side, shown.n);
    label = `round ${shown.n} (running)`;
  }
  const rows = { round: c, total: tally(side) };
  for (const [row, counts] of Object.entries(rows)) {
    const tr = $(`tr[data-row="${row}"]`, side.root);
    for (const [k, v] of Object.entries(counts)) {
      const td = $(`[data-c="${k}"]`, tr);
      td.textContent = String(v);
      td.classList.toggle('bad', (k === 'lost' || k === 'dupes') && v > 0);
    }
  }
  $('[data-label="round"]', side.root).textContent = label;
}
function render() {
  const t = now();
  const offline = navigator.onLine === false;
  const rs = task.readyState;
  const attempt = task.reconnectAttempt;
  // Offline, a reconnecting task is paused until the network is back (contract B1): say so,
  // rather than CONNECTING and a countdown that means nothing.
  if (rs === 0 && offline) setText(mp.root, 'state', 'paused: offline', 'state-wait');
  else if (rs === 0 && mpWait && mpWait.until > t) {
    setText(mp.root, 'state', `waiting to reconnect: ${((mpWait.until - t) / 1000).toFixed(1)} s`, 'state-wait');
  } else {
    const name = STATES[rs] ?? String(rs);
    setText(mp.root, 'state', rs === 1 && offline ? `${name} · network offline` : name,
      rs === 1 ? 'state-open' : rs === 3 ? 'state-closed' : 'state-wait');
  }
  setText(mp.root, 'queue', `${task.queueLength} message(s)`);
  let reconnect = 'attempt 0 (stable)';
  if (rs === 0 && offline) reconnect = `paused until the network is back${attempt ? ` (attempt ${attempt})` : ''}`;
  else if (rs === 3) reconnect = 'none: the task is closed for good';
  else if (mpWait) reconnect = `attempt ${mpWait.attempt}, delay ${Math.round(mpWait.delay)} ms`;
  else if (attempt > 0) reconnect = `attempt ${attempt} (back to 0 after ${SETTINGS.reconnect.minUptime / 1000} s open)`;
  setText(mp.root, 'reconnect', reconnect);
  const rtt = task.lastRtt;
  setText(mp.root, 'rtt', typeof rtt === 'number'
    ? `${rtt.toFixed(1)} ms (ping after ${SETTINGS.heartbeat.interval / 1000} s of silence)`
    : '— (no ping yet)');
  setText(mp.root, 'network', network);
  const brs = ws ? ws.readyState : 3;
  setText(bare.root, 'state', STATES[brs], brs === 1 ? 'state-open' : brs === 3 ? 'state-closed' : 'state-wait');
  renderCounts(mp);
  renderCounts(bare);
  drawTimeline();
}
setInterval(render, 200);
addEventListener('online', soon);
addEventListener('offline', soon);

task = makeTask();
openBare();
render();

// For tests and the curious (devtools): the live objects.
globalThis.demo = {
  get task() { return task; },
  get ws() { return ws; },
  get round() { return round; },
  get busy() { return busy; },
  mp,
  bare,
  msgs,
  rounds,
  tally,
  runRound,
  sendBoth,
  SETTINGS,
  MP_URL,
  BARE_URL,
};

// The mpsocket demo: a createSocketTask and a bare WebSocket side by side, against the
// mpsocket-server echo, with buttons that break the server (its /control/* endpoints).
// Everything received is shown with textContent: data is never parsed as HTML.
import { createSocketTask, getNetworkType, onNetworkStatusChange } from '/pkg/index.js';

// Short settings, so that every effect shows within seconds.
const SETTINGS = {
  heartbeat: { interval: 1500, timeout: 1500 },
  reconnect: { minDelay: 1000, maxDelay: 8000, factor: 2, jitter: 0.2, minUptime: 3000 },
  restartDownMs: 800, // shorter than minDelay: the first reconnect attempt finds the server up
  silenceMs: 5000,
  autoSendMs: 500,
  windowMs: 40000, // the timeline's span
  logLines: 200,
};
const HB = 'hb'; // the ping; the echo server returns it, and it is the pong too
const STATES = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'];

const $ = (sel, root = document) => root.querySelector(sel);
const now = () => performance.now();
const wsUrl = (path) => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`;
const run = Math.random().toString(36).slice(2, 8);
const MP_URL = wsUrl(`/echo?id=demo-mp-${run}&record=1`);
const BARE_URL = wsUrl(`/echo?id=demo-bare-${run}&record=1`);
$('#url').textContent = wsUrl('/echo');

// ---- timeline ----------------------------------------------------------------------------
const events = []; // {t, lane: 'mp' | 'bare' | 'all', kind, until?, label?}
function mark(lane, kind, extra = {}) {
  events.push({ t: now(), lane, kind, ...extra });
}
function prune(t0) {
  const keep = events.filter((e) => (e.until ?? e.t) >= t0);
  if (keep.length !== events.length) events.splice(0, events.length, ...keep);
}

const SVG = 'http://www.w3.org/2000/svg';
const svg = $('#timeline');
const H = 84;
let W = 600; // the strip's width in CSS pixels, read at every draw so text is never stretched
const X0 = 62; // lane labels on the left
const LANE = { mp: 30, bare: 62 };
function el(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}
function drawTimeline() {
  const t1 = now();
  const t0 = t1 - SETTINGS.windowMs;
  prune(t0);
  W = Math.max(240, Math.round(svg.clientWidth || 600));
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const x = (t) => X0 + ((Math.max(t, t0) - t0) / SETTINGS.windowMs) * (W - X0 - 4);
  const nodes = [];
  for (const [lane, y] of Object.entries(LANE)) {
    nodes.push(el('line', { x1: X0, x2: W - 4, y1: y, y2: y, stroke: '#d0d7de', 'stroke-width': 1 }));
    nodes.push(el('text', { x: 4, y: y + 3 }, lane === 'mp' ? 'mpsocket' : 'bare WS'));
  }
  const step = W < 420 ? 20 : 10;
  for (let s = 0; s <= SETTINGS.windowMs / 1000; s += step) {
    const gx = x(t1 - s * 1000);
    nodes.push(el('text', { x: Math.min(gx - 6, W - 22), y: H - 2 }, s === 0 ? 'now' : `−${s}s`));
  }
  for (const e of events) {
    if (e.kind === 'wait') {
      if ((e.until ?? t1) < t0) continue;
      const y = LANE[e.lane];
      nodes.push(el('line', { x1: x(e.t), x2: x(Math.min(e.until, t1)), y1: y, y2: y, stroke: 'var(--wait)', 'stroke-width': 5, 'stroke-linecap': 'butt', opacity: 0.75 }));
      continue;
    }
    if (e.t < t0) continue;
    const ex = x(e.t);
    if (e.kind === 'fault') {
      nodes.push(el('line', { x1: ex, x2: ex, y1: 10, y2: H - 12, stroke: 'var(--fault)', 'stroke-dasharray': '3 2', 'stroke-width': 1 }));
      nodes.push(el('text', { x: Math.min(ex + 2, W - 70), y: 9 }, e.label));
      continue;
    }
    const y = LANE[e.lane];
    if (e.kind === 'open') nodes.push(el('circle', { cx: ex, cy: y, r: 4.5, fill: 'var(--open)' }));
    else if (e.kind === 'drop') {
      nodes.push(el('path', { d: `M${ex - 4},${y - 4}L${ex + 4},${y + 4}M${ex - 4},${y + 4}L${ex + 4},${y - 4}`, stroke: 'var(--drop)', 'stroke-width': 2.2 }));
    } else if (e.kind === 'ping') nodes.push(el('line', { x1: ex, x2: ex, y1: y - 11, y2: y - 5, stroke: 'var(--hb)', 'stroke-width': 1.5 }));
    else if (e.kind === 'pong') nodes.push(el('circle', { cx: ex, cy: y - 13, r: 1.8, fill: 'var(--hb)' }));
  }
  svg.replaceChildren(...nodes);
}

// ---- panels ------------------------------------------------------------------------------
function makePanel(root) {
  return {
    root,
    log: $('.log', root),
    sent: 0,
    echoed: 0,
    failed: 0, // refused by send (fail callback, or the bare socket was not open)
    dupes: 0,
    seen: new Set(), // ids echoed
    outstanding: new Set(), // ids sent, echo not back yet (mpsocket: queued or in flight)
    handed: new Set(), // mpsocket: ids handed to the current connection (success called)
    lostIds: new Set(), // ids in flight on a connection that died
    get lost() {
      return this.failed + this.lostIds.size;
    },
  };
}
const mp = makePanel($('#mp'));
const bare = makePanel($('#bare'));

function log(panel, kind, text) {
  const li = document.createElement('li');
  li.className = kind;
  li.textContent = `${new Date().toLocaleTimeString([], { hour12: false })}  ${text}`;
  panel.log.prepend(li);
  while (panel.log.childElementCount > SETTINGS.logLines) panel.log.lastElementChild.remove();
  soon();
}
// Re-render on the next frame after anything happens (and every 200 ms for the countdowns).
let frame = 0;
function soon() {
  if (!frame) frame = requestAnimationFrame(() => { frame = 0; render(); });
}

function echo(panel, data) {
  const text = typeof data === 'string' ? data : `(binary, ${data.byteLength} bytes)`;
  const m = /^#(\d+) /.exec(text);
  if (m) {
    const id = Number(m[1]);
    if (panel.seen.has(id)) panel.dupes++;
    else {
      panel.seen.add(id);
      panel.echoed++;
      panel.outstanding.delete(id);
      panel.handed.delete(id);
      panel.lostIds.delete(id); // a late echo: it was not lost after all
    }
  }
  log(panel, 'in', `← ${text}`);
}

// ---- mpsocket ----------------------------------------------------------------------------
let mpWasOpen = false;
let mpWait = null; // {attempt, delay, until}
const task = createSocketTask({
  url: MP_URL,
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
task.onOpen(({ isReconnect }) => {
  mpWasOpen = true;
  mpWait = null;
  mark('mp', 'open');
  const queued = mp.outstanding.size;
  log(mp, 'info', isReconnect ? `reopened${queued ? `: ${queued} queued message(s) flushed` : ''}` : 'open');
});
task.onReconnecting(({ attempt, delay, code, reason }) => {
  // What was handed to the connection that died and has not come back is gone (mpsocket
  // re-queues only what the browser had not transmitted yet; those are re-sent and echo).
  const gone = [...mp.handed].filter((id) => !mp.seen.has(id));
  for (const id of gone) {
    mp.lostIds.add(id);
    mp.outstanding.delete(id);
  }
  mp.handed.clear();
  if (gone.length) log(mp, 'warn', `${gone.length} message(s) were in flight on the dead connection`);
  if (mpWasOpen) mark('mp', 'drop');
  mpWasOpen = false;
  const t = now();
  mpWait = { attempt, delay, until: t + delay };
  events.push({ t, lane: 'mp', kind: 'wait', until: t + delay });
  log(mp, 'warn', `connection lost (${code} ${reason}): reconnect attempt ${attempt} in ${Math.round(delay)} ms`);
});
task.onMessage(({ data }) => echo(mp, data));
task.onError(({ errMsg }) => log(mp, 'warn', `error: ${errMsg}`));
task.onClose(({ code, reason }) => {
  mark('mp', 'drop');
  log(mp, 'warn', `closed for good: ${code} ${reason}`);
});

function sendMp(id, text) {
  const data = `#${id} ${text}`;
  mp.sent++;
  mp.outstanding.add(id);
  const queued = task.readyState !== 1;
  task.send({
    data,
    success: () => mp.handed.add(id),
    fail: ({ errMsg }) => {
      mp.failed++;
      mp.outstanding.delete(id);
      log(mp, 'warn', `✕ #${id} ${errMsg}`);
    },
  });
  log(mp, 'out', `→ ${data}${queued ? '   (queued)' : ''}`);
}

// ---- bare WebSocket ----------------------------------------------------------------------
let ws = null;
function openBare() {
  if (ws && ws.readyState < 2) return;
  const s = new WebSocket(BARE_URL);
  ws = s;
  s.binaryType = 'arraybuffer';
  s.onopen = () => {
    mark('bare', 'open');
    log(bare, 'info', 'open');
  };
  s.onmessage = (e) => echo(bare, e.data);
  s.onclose = (e) => {
    mark('bare', 'drop');
    const inFlight = bare.outstanding.size;
    for (const id of bare.outstanding) bare.lostIds.add(id);
    bare.outstanding.clear();
    log(bare, 'warn', `closed (${e.code}${e.reason ? ` ${e.reason}` : ''})${inFlight ? `: ${inFlight} message(s) in flight lost` : ''}; nothing reconnects it`);
  };
  s.onerror = () => log(bare, 'warn', 'error event');
}

function sendBare(id, text) {
  const data = `#${id} ${text}`;
  bare.sent++;
  if (!ws || ws.readyState !== 1) {
    bare.failed++;
    log(bare, 'warn', `✕ ${data}   (not sent: the socket is ${STATES[ws ? ws.readyState : 3]})`);
    return;
  }
  ws.send(data);
  bare.outstanding.add(id);
  log(bare, 'out', `→ ${data}`);
}

// ---- sending -----------------------------------------------------------------------------
let nextId = 1;
function sendBoth(text) {
  const id = nextId++;
  sendMp(id, text);
  sendBare(id, text);
}
$('#chat').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = $('#text').value.trim() || 'hello';
  sendBoth(text);
});
let autoTimer = null;
$('#auto').addEventListener('change', (e) => {
  clearInterval(autoTimer);
  autoTimer = e.target.checked ? setInterval(() => sendBoth('tick'), SETTINGS.autoSendMs) : null;
});
$('#reopen').addEventListener('click', openBare);

// ---- faults ------------------------------------------------------------------------------
const faultStatus = $('#fault-status');
async function control(path) {
  const res = await fetch(path, { cache: 'no-store' });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}
async function fault(label, path, describe) {
  mark('all', 'fault', { label });
  try {
    const body = await control(path);
    faultStatus.textContent = describe(body);
  } catch (e) {
    faultStatus.textContent = `the server did not answer ${path}: ${e.message}`;
  }
}
$('#drop').addEventListener('click', () =>
  fault('drop all', '/control/drop-all', (b) => `the server reset ${b.dropped} connection(s), without a close frame`));
$('#restart').addEventListener('click', () =>
  fault('restart', `/control/restart?down=${SETTINGS.restartDownMs}`, () => `the server is down for ${SETTINGS.restartDownMs} ms and drops every connection`));
let silenceUntil = 0;
let silenceTimer = null;
const silenceButton = $('#silence');
silenceButton.addEventListener('click', async () => {
  silenceButton.disabled = true;
  silenceUntil = now() + SETTINGS.silenceMs;
  await fault('silent', '/control/silence?on=1', () => 'the server stops reading and echoing (half-open)');
  clearTimeout(silenceTimer);
  silenceTimer = setTimeout(endSilence, SETTINGS.silenceMs);
});
async function endSilence() {
  silenceUntil = 0;
  silenceButton.disabled = false;
  await fault('speaks again', '/control/silence?on=0', () => 'the server reads and echoes again');
}
// Never leave the shared server silent when the page goes away.
addEventListener('pagehide', () => {
  if (silenceUntil) fetch('/control/silence?on=0', { keepalive: true }).catch(() => {});
});

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
function renderCounts(panel) {
  const c = {
    sent: panel.sent,
    echoed: panel.echoed,
    pending: panel.outstanding.size,
    lost: panel.lost,
    dupes: panel.dupes,
  };
  for (const [k, v] of Object.entries(c)) {
    const b = $(`[data-c="${k}"]`, panel.root);
    b.textContent = String(v);
    b.classList.toggle('bad', (k === 'lost' || k === 'dupes') && v > 0);
  }
}
function render() {
  const t = now();
  const rs = task.readyState;
  if (rs === 0 && mpWait && mpWait.until > t) {
    setText(mp.root, 'state', `waiting to reconnect: ${((mpWait.until - t) / 1000).toFixed(1)} s`, 'state-wait');
  } else {
    setText(mp.root, 'state', STATES[rs] ?? String(rs), rs === 1 ? 'state-open' : rs === 3 ? 'state-closed' : 'state-wait');
  }
  setText(mp.root, 'queue', `${task.queueLength} message(s)`);
  const attempt = task.reconnectAttempt;
  let reconnect = 'attempt 0 (stable)';
  if (mpWait) reconnect = `attempt ${mpWait.attempt}, delay ${Math.round(mpWait.delay)} ms`;
  else if (attempt > 0) reconnect = `attempt ${attempt} (back to 0 after ${SETTINGS.reconnect.minUptime / 1000} s open)`;
  setText(mp.root, 'reconnect', reconnect);
  const rtt = task.lastRtt;
  setText(mp.root, 'rtt', typeof rtt === 'number' ? `${rtt.toFixed(1)} ms (ping every ${SETTINGS.heartbeat.interval / 1000} s of silence)` : '— (no ping yet)');
  setText(mp.root, 'network', network);
  const brs = ws ? ws.readyState : 3;
  setText(bare.root, 'state', STATES[brs], brs === 1 ? 'state-open' : brs === 3 ? 'state-closed' : 'state-wait');
  renderCounts(mp);
  renderCounts(bare);
  if (silenceUntil) faultStatus.textContent = `the server is silent (half-open) for ${Math.max(0, (silenceUntil - t) / 1000).toFixed(1)} s more`;
  drawTimeline();
}
setInterval(render, 200);

openBare();
render();

// For tests and the curious (devtools): the live objects.
window.demo = { task, mp, bare, get ws() { return ws; }, sendBoth, SETTINGS, MP_URL, BARE_URL };

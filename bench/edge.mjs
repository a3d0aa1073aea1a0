// "Thin at the edge": the figures of the issue of that name, each measured in the run that
// prints it and reported as ns (or ms, or bytes) added over raw WebSocket, with the
// comparison libraries beside it. bench/run.mjs calls runEdge() and edgeReport(); the page
// side is bench/www/edge.js.
//
//   size      what a bundler user ships (esbuild bundle of the entry, min+gzip, + .wasm gzip),
//             and the classic single file gzipped, from bench/dist/sizes.json (build.mjs)
//   startup   import() → first connectSocket returned, fresh browser context per sample,
//             with where the time went (edge.js startupBreakdown)
//   receive   ns per message over raw, in-page fake socket, one reused event object
//   send      ns per message over raw: string, with `success`, a Uint8Array view, queue on
//   memory    a burst of sends with callbacks, and connect/close cycles: wasm memory, heap
//             and externrefs from mpsocket's __stats() when it has one
//
// Targets are reported PASS / MISS; nothing here fails a run because a target is missed.

const median = (xs) => {
  const s = xs.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (!s.length) return undefined;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function edgeConfig({ quick, num }) {
  return {
    startup: { rounds: num('startup-rounds', 15, 5), libs: ['raw', 'mpsocket-connectSocket', 'reconnecting-websocket', 'partysocket'] },
    // per trial and variant: the best of `reps` chunks of `chunk` messages
    micro: { trials: num('edge-trials', 21, 7), chunk: num('edge-chunk', 20000, 10000), reps: num('edge-reps', 5, 4), warm: quick ? 20000 : 50000 },
    burst: { n: 200000, sample: 10000 },
    cycles: { n: 1000, warmup: 50 },
  };
}

/** Forced GC (three times, letting FinalizationRegistry callbacks run), then the JS heap. */
async function gc(cdp) {
  for (let i = 0; i < 3; i++) {
    await cdp.send('HeapProfiler.collectGarbage');
    await sleep(100);
  }
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

export async function runEdge({ freshPage, log, cfg }) {
  const errors = [];
  const out = { config: cfg, errors, startup: { samples: {} }, micro: {}, memory: {} };
  const step = async (what, fn) => {
    try {
      return await fn();
    } catch (e) {
      const msg = `${what}: ${String(e?.message || e).split('\n')[0]}`;
      errors.push(msg);
      log(`  edge ${msg}`);
      return undefined;
    }
  };
  const closePage = async (p, what) => {
    for (const e of p.pageErrors) errors.push(`${what}: page: ${e}`);
    await p.context.close();
  };

  // ---- start-up: a fresh context per sample, libraries interleaved, order rotating ----
  const { libs, rounds } = cfg.startup;
  for (const l of libs) out.startup.samples[l] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const lib of libs.map((_, i) => libs[(i + round - 1) % libs.length])) {
      const p = await freshPage(lib);
      const r = await step(`startup ${lib}`, () => p.page.evaluate((id) => window.bench.load(id), lib));
      if (r) out.startup.samples[lib].push({ readyMs: r.readyMs, openMs: r.openMs, ...r.breakdown });
      await closePage(p, `startup ${lib}`);
    }
    log(`edge startup ${round}/${rounds}: ` + libs.map((l) => `${l} ${out.startup.samples[l].at(-1)?.readyMs?.toFixed(1) ?? '?'} ms`).join(', '));
  }

  // ---- receive and send: one page, every variant interleaved within each trial ----
  {
    const p = await freshPage('edge-micro');
    const ev = (fn, arg) => p.page.evaluate(fn, arg);
    const { trials, chunk, reps, warm } = cfg.micro;
    const setup = await step('micro setup', () => ev((c) => window.bench.edge.microSetup(c), { warm }));
    if (setup) {
      out.micro.lines = setup.lines;
      const recv = Object.fromEntries(setup.recv.map((v) => [v, []]));
      const send = Object.fromEntries(setup.send.map((v) => [v, []]));
      for (let t = 1; t <= trials; t++) {
        const rOrder = setup.recv.map((_, i) => setup.recv[(i + t - 1) % setup.recv.length]);
        const sOrder = setup.send.map((_, i) => setup.send[(i + t - 1) % setup.send.length]);
        const res = await step(`micro trial ${t}`, () => ev((c) => window.bench.edge.trial(c), { rOrder, sOrder, chunk, reps }));
        if (!res) break;
        for (const v of setup.recv) recv[v].push(res.r[v]);
        for (const v of setup.send) send[v].push(res.s[v]);
        log(`edge micro trial ${t}/${trials}: receive raw ${res.r.raw.toFixed(0)} ns, mp ${res.r['mp-connectSocket'].toFixed(0)} ns, rws ${res.r['reconnecting-websocket'].toFixed(0)} ns; ` +
          `send raw ${res.s['raw-string'].toFixed(0)} ns, mp ${res.s['mp-string'].toFixed(0)} ns`);
      }
      out.micro.recv = recv;
      out.micro.send = send;
    }
    await closePage(p, 'micro');
  }

  // ---- memory: a page per mpsocket entry point: cycles first, then the burst ----
  for (const kind of ['connectSocket', 'createSocketTask']) {
    const p = await freshPage(`edge-memory-${kind}`);
    const ev = (fn, arg) => p.page.evaluate(fn, arg);
    const m = (out.memory[kind] = {});
    await step(`memory ${kind}`, async () => {
      m.loaded = await ev(() => window.bench.edge.memorySetup());
      const stats = async () => ({ ...(await ev(() => window.bench.edge.stats())), jsHeap: await gc(p.cdp) });
      const { n, warmup } = cfg.cycles;
      await ev((c) => window.bench.edge.cycles(c), { n: warmup, kind });
      m.cyclesBefore = await stats();
      const run = await ev((c) => window.bench.edge.cycles(c), { n, kind });
      m.cyclesAfter = await stats();
      m.cycleMs = run.ms / n;
      await ev((k) => window.bench.edge.burstOpen(k), kind);
      m.burstBefore = await stats();
      const b = await ev((c) => window.bench.edge.burst(c), cfg.burst);
      m.burstAfterLoop = b.afterLoop;
      m.burstPeak = b.peak;
      m.burstMs = b.ms;
      m.burstLoopMs = b.loopMs;
      m.burstAfter = await stats();
      await ev(() => window.bench.edge.burstClose());
      m.burstClosed = await stats();
      m.source = m.burstAfter.source;
    });
    log(`edge memory ${kind}: ` + (m.cyclesAfter ? `cycles wasm ${m.cyclesBefore.wasmBytes} → ${m.cyclesAfter.wasmBytes} B; ` +
      `burst wasm ${m.burstBefore?.wasmBytes} → peak ${m.burstPeak?.wasmBytes} → ${m.burstAfter?.wasmBytes} B (${m.source})` : 'failed'));
    await closePage(p, `memory ${kind}`);
  }
  return out;
}

// ---- the report ------------------------------------------------------------------------------

const kb = (b) => `${(b / 1000).toFixed(1)} KB`;
const ns = (v) => (v === undefined ? '?' : `${Math.round(v)} ns`);
const plusNs = (v) => (v === undefined ? '?' : `${v >= 0 ? '+' : '−'}${Math.abs(Math.round(v))} ns`);
const ms = (v) => (v === undefined ? '—' : `${v.toFixed(1)}`);
const kib = (b) => (b === undefined ? '—' : `${(b / 1024).toFixed(0)} KiB`);
const signed = (v, unit = '') => (v === undefined ? '—' : `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v)}${unit}`);

/** Medians, derived figures and targets from runEdge's output (and the bundle sizes). */
export function edgeSummarize(edge, sizes) {
  const S = {};
  // start-up
  S.startup = {};
  for (const [lib, samples] of Object.entries(edge.startup.samples)) {
    const keys = [...new Set(samples.flatMap((s) => Object.keys(s)))].filter((k) => samples.some((s) => typeof s[k] === 'number'));
    S.startup[lib] = Object.fromEntries(keys.map((k) => [k, median(samples.map((s) => s[k]))]));
    S.startup[lib].samples = samples.length;
    const totals = samples.map((s) => s.totalMs).filter((v) => Number.isFinite(v));
    if (totals.length) S.startup[lib].bestTotalMs = Math.min(...totals);
    const api = samples.find((s) => s.wasmApi)?.wasmApi;
    if (api) S.startup[lib].wasmApi = api;
    const marks = samples.find((s) => s.marks)?.marks;
    if (marks) S.startup[lib].marks = marks;
  }
  // receive / send: median of per-trial differences to the raw line measured in the same trial
  const paired = (table, v, line) => {
    if (!table?.[v] || !table?.[line]) return undefined;
    return median(table[v].map((x, i) => x - table[line][i]));
  };
  S.recv = {};
  for (const v of Object.keys(edge.micro.recv ?? {})) {
    S.recv[v] = { ns: median(edge.micro.recv[v]), added: v === 'raw' ? 0 : paired(edge.micro.recv, v, 'raw') };
  }
  S.heartbeatAdds = paired(edge.micro.recv, 'mp-createSocketTask-heartbeat', 'mp-createSocketTask');
  S.send = {};
  for (const v of Object.keys(edge.micro.send ?? {})) {
    const line = edge.micro.lines?.[v];
    S.send[v] = { ns: median(edge.micro.send[v]), line, added: line ? paired(edge.micro.send, v, line) : 0 };
  }
  S.successAdds = paired(edge.micro.send, 'mp-success', 'mp-string');
  S.queueStringAdds = paired(edge.micro.send, 'mp-queue-string', 'mp-string');
  S.queueViewAdds = paired(edge.micro.send, 'mp-queue-view', 'mp-view');

  // targets
  const T = [];
  const target = (id, what, value, line, met, extra = {}) => T.push({ id, what, value, line, status: met === undefined ? 'n/a' : met ? 'PASS' : 'MISS', ...extra });
  const mpSize = sizes.libs?.mpsocket;
  const rwsSize = sizes.libs?.['reconnecting-websocket'];
  const psSize = sizes.libs?.partysocket;
  const cmpSizes = [rwsSize && !rwsSize.error ? `reconnecting-websocket ${kb(rwsSize.totalGzip)}` : null, psSize && !psSize.error ? `partysocket ${kb(psSize.totalGzip)}` : null].filter(Boolean).join(', ');
  if (mpSize && !mpSize.error) {
    const w = mpSize.wasm.reduce((a, x) => a + x.gzip, 0);
    target('size-bundle', 'size: wasm + JS, min+gzip (what a bundler user ships)',
      `${kb(mpSize.totalGzip)} (JS ${kb(mpSize.js.gzip)} + wasm ${kb(w)})`, '≤ 20 KB (moonshot ≤ 15 KB)', mpSize.totalGzip <= 20000,
      { compare: cmpSizes, bytes: mpSize.totalGzip, moonshot: mpSize.totalGzip <= 15000 });
  } else target('size-bundle', 'size: wasm + JS, min+gzip', mpSize?.error ?? 'not bundled', '≤ 20 KB', undefined);
  const c = sizes.classic;
  if (c && !c.error) {
    target('size-classic', 'size: classic single file, gzip', `${kb(c.gzip)} (as shipped; minified ${kb(c.minGzip)})`, '≤ 30 KB', c.gzip <= 30000,
      { compare: cmpSizes, bytes: c.gzip });
  } else target('size-classic', 'size: classic single file, gzip', c?.error ?? 'not found', '≤ 30 KB', undefined);

  const mpUp = S.startup['mpsocket-connectSocket']?.totalMs;
  const rwsUp = S.startup['reconnecting-websocket']?.totalMs;
  const rawUp = S.startup.raw?.totalMs;
  if (mpUp !== undefined && rwsUp) {
    const r = mpUp / rwsUp;
    const mpBest = S.startup['mpsocket-connectSocket'].bestTotalMs;
    const rwsBest = S.startup['reconnecting-websocket'].bestTotalMs;
    target('startup', 'startup: import → ready (connectSocket returned), median', `${ms(mpUp)} ms (+${ms(mpUp - (rawUp ?? 0))} ms over raw)`, '≤ 1.5× reconnecting-websocket', r <= 1.5,
      { compare: `reconnecting-websocket ${ms(rwsUp)} ms (+${ms(rwsUp - (rawUp ?? 0))}): ${r.toFixed(2)}×; best of ${S.startup['mpsocket-connectSocket'].samples}: ${ms(mpBest)} vs ${ms(rwsBest)} ms, ${(mpBest / rwsBest).toFixed(2)}×`, ratio: r });
  } else target('startup', 'startup: import → ready', 'not measured', '≤ 1.5× reconnecting-websocket', undefined);

  const rwsRecv = S.recv['reconnecting-websocket']?.added;
  for (const [v, label] of [['mp-connectSocket', 'connectSocket'], ['mp-createSocketTask-heartbeat', 'createSocketTask + heartbeat']]) {
    const a = S.recv[v]?.added;
    const ok = a === undefined || rwsRecv === undefined ? undefined : a <= 2 * rwsRecv;
    target(`recv-${v}`, `receive: ns added per message, ${label}`, plusNs(a), `≤ 2× reconnecting-websocket (${rwsRecv === undefined ? '?' : plusNs(2 * rwsRecv)})`, ok,
      { compare: `reconnecting-websocket ${plusNs(rwsRecv)}, partysocket ${plusNs(S.recv.partysocket?.added)}`, ns: a });
  }
  target('recv-heartbeat', 'receive: what the heartbeat adds (createSocketTask with vs without)', plusNs(S.heartbeatAdds), '≤ 50 ns',
    S.heartbeatAdds === undefined ? undefined : S.heartbeatAdds <= 50, { compare: `createSocketTask without heartbeat ${plusNs(S.recv['mp-createSocketTask']?.added)} over raw`, ns: S.heartbeatAdds });

  const rwsSend = S.send['rws-string']?.added;
  const a = S.send['mp-string']?.added;
  target('send-string', 'send: ns added per message, string (connectSocket)', plusNs(a), `≤ 2× reconnecting-websocket (${rwsSend === undefined ? '?' : plusNs(2 * rwsSend)})`,
    a === undefined || rwsSend === undefined ? undefined : a <= 2 * rwsSend, { compare: `reconnecting-websocket ${plusNs(rwsSend)}, partysocket ${plusNs(S.send['partysocket-string']?.added)}`, ns: a });
  const sa = S.send['mp-success']?.added;
  target('send-success', 'send: with a `success` callback, ns added over raw', plusNs(sa), '≤ +300 ns', sa === undefined ? undefined : sa <= 300,
    { compare: `${plusNs(S.successAdds)} over the same send without a callback`, ns: sa });
  const va = S.send['mp-view']?.added;
  target('send-view', 'send: a Uint8Array view (32 B of a 96 B buffer), ns added over raw', plusNs(va), '≤ +300 ns', va === undefined ? undefined : va <= 300,
    { compare: `raw ws.send(view) ${ns(S.send['raw-view']?.ns)}`, ns: va });
  target('send-queue', 'send: queue on (createSocketTask), ns added over raw: string / view', `${plusNs(S.send['mp-queue-string']?.added)} / ${plusNs(S.send['mp-queue-view']?.added)}`,
    'reported', undefined, { compare: `${plusNs(S.queueStringAdds)} / ${plusNs(S.queueViewAdds)} over connectSocket` });

  for (const kind of ['connectSocket', 'createSocketTask']) {
    const m = edge.memory[kind];
    if (!m?.cyclesAfter) {
      target(`cycles-${kind}`, `memory: ${edge.config.cycles.n.toLocaleString('en')} connect/close cycles flat, ${kind}`, 'not measured', 'flat', undefined);
      continue;
    }
    const b = m.cyclesBefore;
    const e = m.cyclesAfter;
    const pages = (x) => Math.round(x.wasmBytes / 65536);
    const d = (k) => (typeof b[k] === 'number' && typeof e[k] === 'number' ? e[k] - b[k] : undefined);
    const full = b.source === '__stats';
    const flat = pages(e) === pages(b) && (!full || (d('externrefs') <= 0 && d('heapBytes') <= 0 && d('liveTasks') <= 0));
    const value = `wasm pages ${signed(pages(e) - pages(b))}` + (full
      ? `, externrefs ${signed(d('externrefs'))}, heapBytes ${signed(d('heapBytes'), ' B')}, liveTasks ${signed(d('liveTasks'))}`
      : `; no __stats(): wasm memory only (externref table capacity ${signed(d('tableSlots'))} slots, not live count, not part of the line)`);
    target(`cycles-${kind}`, `memory: ${edge.config.cycles.n.toLocaleString('en')} connect/close cycles flat, ${kind}`, value, 'flat', flat,
      { compare: `JS heap ${signed(d('jsHeap'), ' B')} (forced GC; not part of the line)`, source: b.source });
  }
  for (const kind of ['connectSocket', 'createSocketTask']) {
    const m = edge.memory[kind];
    if (!m?.burstAfter) continue;
    const f = (x, k) => (typeof x?.[k] === 'number' ? x[k] : undefined);
    const full = m.source === '__stats';
    const value = `wasm ${kib(f(m.burstBefore, 'wasmBytes'))} → peak ${kib(f(m.burstPeak, 'wasmBytes'))} → ${kib(f(m.burstAfter, 'wasmBytes'))}` + (full
      ? `; externrefs ${f(m.burstBefore, 'externrefs')} → peak ${f(m.burstPeak, 'externrefs')} → ${f(m.burstAfter, 'externrefs')}; heap ${kib(f(m.burstBefore, 'heapBytes'))} → peak ${kib(f(m.burstPeak, 'heapBytes'))} → ${kib(f(m.burstAfter, 'heapBytes'))}`
      : `; externref table ${f(m.burstBefore, 'tableSlots')} → ${f(m.burstAfter, 'tableSlots')} slots (no __stats(): live externrefs not visible)`);
    target(`burst-${kind}`, `memory: burst of ${edge.config.burst.n.toLocaleString('en')} sends with \`success\`, ${kind} (before → peak → after)`, value, 'reported', undefined, { source: m.source });
  }
  S.targets = T;
  return S;
}

/** Markdown: the short targets table, then where the figures come from. */
export function edgeMarkdown(edge, S, { command, machineLine, pkgLine, quick }) {
  const md = [];
  md.push(`## Thin at the edge${quick ? ' (QUICK RUN: fewer samples)' : ''}`);
  md.push('');
  md.push(`\`${command}\` · ${machineLine}`);
  md.push(pkgLine);
  md.push('');
  md.push('| target | mpsocket | compared with | line | |');
  md.push('|---|---|---|---|---|');
  for (const t of S.targets) md.push(`| ${t.what} | ${t.value} | ${t.compare ?? ''} | ${t.line} | ${t.status === 'MISS' ? '**MISS**' : t.status}${t.moonshot ? ' (moonshot met)' : ''} |`);
  md.push('');
  const C = edge.config;
  md.push(`Receive and send: ${C.micro.trials} trials, all variants interleaved in one page, each variant's figure in a trial the best of ${C.micro.reps} chunks of ${C.micro.chunk.toLocaleString('en')} messages; ` +
    'the fake socket (bench/www/edge.js) is passed as the `WebSocket` option and calls `onmessage` / listeners with one reused MessageEvent; ' +
    '"added" is the median over trials of (variant − raw WebSocket in the same trial), 32 B payloads; send includes running every callback. ' +
    `Start-up: median of ${C.startup.rounds} fresh browser contexts per library, interleaved. Memory: forced GC (CDP) before each reading; ` +
    (edge.memory.connectSocket?.source === '__stats' ? 'figures from mpsocket `__stats()`.' : 'this package has no `__stats()`: wasm memory from outside only.'));
  md.push('');
  md.push('### Start-up breakdown (median ms)');
  md.push('');
  md.push('| | import → ready (best) | = module graph fetch | + JS eval | + wasm response wait | + wasm compile (streaming) | + instantiate | + init | + first connectSocket | (wasm download, overlaps) | (until open) |');
  md.push('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const [lib, s] of Object.entries(S.startup)) {
    md.push(`| ${lib} | ${ms(s.totalMs)} (${ms(s.bestTotalMs)}) | ${ms(s.graphFetchMs)} | ${ms(s.jsEvalMs)} | ${ms(s.wasmWaitMs)} | ${ms(s.wasmCompileMs)} | ${ms(s.instantiateMs)} | ${ms(s.initMs)} | ${ms(s.firstCallMs)} | ${ms(s.wasmDownloadMs)} | ${ms(s.openMs)} |`);
  }
  const withMarks = Object.entries(S.startup).filter(([, s]) => s.marks);
  for (const [lib, s] of withMarks) md.push('', `${lib} performance marks: ${s.marks.map((m) => `${m.name} @${m.atMs.toFixed(1)} ms${m.durationMs ? ` (${m.durationMs.toFixed(1)} ms)` : ''}`).join(', ')}`);
  md.push('');
  md.push('### Per message (median ns; added = over raw in the same trial)');
  md.push('');
  md.push('| receive | ns/msg | added | | send | ns/msg | added |');
  md.push('|---|---|---|---|---|---|---|');
  const rv = Object.keys(S.recv);
  const sv = Object.keys(S.send);
  for (let i = 0; i < Math.max(rv.length, sv.length); i++) {
    const r = rv[i] ? [rv[i], ns(S.recv[rv[i]].ns), rv[i] === 'raw' ? '—' : plusNs(S.recv[rv[i]].added)] : ['', '', ''];
    const s = sv[i] ? [sv[i], ns(S.send[sv[i]].ns), S.send[sv[i]].line ? `${plusNs(S.send[sv[i]].added)} (vs ${S.send[sv[i]].line})` : '—'] : ['', '', ''];
    md.push(`| ${r.join(' | ')} | | ${s.join(' | ')} |`);
  }
  md.push('');
  const mem = Object.entries(edge.memory).filter(([, m]) => m.burstBefore || m.cyclesBefore);
  if (mem.length) {
    md.push('### Memory');
    md.push('');
    md.push('| | reading | wasmBytes | heapBytes | externrefs | liveTasks | externref table slots | JS heap |');
    md.push('|---|---|---|---|---|---|---|---|');
    const cell = (v) => (typeof v === 'number' ? String(v) : '—');
    for (const [kind, m] of mem) {
      for (const [label, x] of [['cycles: before', m.cyclesBefore], [`cycles: after ${C.cycles.n}`, m.cyclesAfter], ['burst: before', m.burstBefore],
        ['burst: peak (sampled)', m.burstPeak], ['burst: loop done, callbacks pending', m.burstAfterLoop], ['burst: callbacks run', m.burstAfter], ['burst: task closed', m.burstClosed]]) {
        if (!x) continue;
        md.push(`| ${kind} | ${label} | ${cell(x.wasmBytes)} | ${cell(x.heapBytes)} | ${cell(x.externrefs)} | ${cell(x.liveTasks)} | ${cell(x.tableSlots)} | ${cell(x.jsHeap)} |`);
      }
    }
    md.push('');
  }
  if (edge.errors.length) md.push('### Errors (edge)', '', ...[...new Set(edge.errors)].map((e) => `- ${e}`), '');
  return md.join('\n');
}

#!/usr/bin/env node
// Checks a results.json (and the results.md beside it) from `scripts/bench.sh --quick`: every
// figure came out as a finite number, nothing errored, every target was evaluated (PASS or
// MISS) and the markdown holds no NaN / undefined. It asserts nothing about speed or size:
// a missed target is a result, not a failure.
//   node bench/check-smoke.mjs .test-run/bench-smoke/results.json
import fs from 'node:fs';

const file = process.argv[2];
const r = JSON.parse(fs.readFileSync(file, 'utf8'));
const mdFile = file.replace(/results\.json$/, 'results.md');
const md = fs.existsSync(mdFile) ? fs.readFileSync(mdFile, 'utf8') : '';
let passed = 0;
let failed = 0;
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'}  ${what}`);
  if (ok) passed++;
  else failed++;
};
const finite = (v) => typeof v === 'number' && Number.isFinite(v);
const missing = (obj, keys, test = finite) => keys.filter((k) => !test(obj?.[k]));

// ---- the edge part ----
const e = r.edge;
check(e && e.summary, 'the edge part ran');
if (e && e.summary) {
  const S = e.summary;
  check(e.errors.length === 0, `edge: no errors${e.errors.length ? `: ${e.errors.join(' | ')}` : ''}`);
  // start-up: every library, and the breakdown adds up to the total
  for (const lib of e.config.startup.libs) {
    const s = S.startup[lib] ?? {};
    const keys = ['totalMs', 'graphFetchMs', 'jsEvalMs', 'firstCallMs'];
    const wasm = lib.startsWith('mpsocket') ? ['wasmWaitMs', 'wasmCompileMs', 'instantiateMs', 'initMs'] : [];
    const miss = missing(s, [...keys, ...wasm]);
    check(miss.length === 0 && s.totalMs > 0, `startup ${lib}: ${s.samples ?? 0} samples, ${keys.length + wasm.length} figures${miss.length ? `; missing ${miss.join(', ')}` : ` (${s.totalMs.toFixed(1)} ms)`}`);
    if (!miss.length) {
      // per sample (medians don't add up): the segments are contiguous from import() to ready
      const bad = e.startup.samples[lib].filter((x) => {
        const sum = [...keys.slice(1), ...wasm].reduce((a, k) => a + x[k], 0);
        return !(Math.abs(sum - x.totalMs) <= 0.1 * x.totalMs + 2);
      });
      check(bad.length === 0, `startup ${lib}: the breakdown adds up to import → ready in every sample${bad.length ? ` (not in ${bad.length})` : ''}`);
    }
  }
  // per message
  for (const [kind, table] of [['receive', S.recv], ['send', S.send]]) {
    const vs = Object.keys(table ?? {});
    check(vs.length >= (kind === 'receive' ? 6 : 9), `${kind}: ${vs.length} variants measured`);
    for (const v of vs) {
      const x = table[v];
      check(finite(x.ns) && x.ns > 0 && x.ns < 1e7 && finite(x.added), `${kind} ${v}: ${x.ns?.toFixed?.(0)} ns/msg, added ${x.added?.toFixed?.(0)} ns`);
    }
  }
  check(finite(S.heartbeatAdds) && finite(S.successAdds), `heartbeat adds ${S.heartbeatAdds?.toFixed?.(0)} ns, success adds ${S.successAdds?.toFixed?.(0)} ns`);
  // memory
  for (const kind of ['connectSocket', 'createSocketTask']) {
    const m = e.memory[kind] ?? {};
    const readings = ['cyclesBefore', 'cyclesAfter', 'burstBefore', 'burstPeak', 'burstAfterLoop', 'burstAfter', 'burstClosed'];
    const noWasm = readings.filter((k) => !(finite(m[k]?.wasmBytes) && m[k].wasmBytes > 0));
    check(noWasm.length === 0, `memory ${kind}: wasm memory in all ${readings.length} readings${noWasm.length ? `; missing in ${noWasm.join(', ')}` : ''}`);
    check(!noWasm.length && m.burstPeak.wasmBytes >= m.burstBefore.wasmBytes && m.burstAfter.wasmBytes >= m.burstBefore.wasmBytes,
      `memory ${kind}: burst peak ≥ before (wasm memory never shrinks)`);
    if (m.source === '__stats') {
      const bad = readings.filter((k) => k !== 'burstPeak' && missing(m[k], ['heapBytes', 'externrefs', 'liveTasks'], (v) => finite(v) && v >= 0).length);
      check(bad.length === 0, `memory ${kind}: __stats() gave heapBytes, externrefs, liveTasks${bad.length ? `; not in ${bad.join(', ')}` : ''}`);
    } else {
      check(m.source === 'outside', `memory ${kind}: no __stats() in this package, wasm memory read from outside (said so)`);
    }
  }
  // targets
  const unevaluated = S.targets.filter((t) => t.line !== 'reported' && t.status !== 'PASS' && t.status !== 'MISS');
  check(S.targets.length >= 14 && unevaluated.length === 0,
    `${S.targets.length} edge targets, every one PASS or MISS${unevaluated.length ? `; not evaluated: ${unevaluated.map((t) => `${t.id} (${t.value})`).join(', ')}` : ''}`);
  const notInMd = S.targets.filter((t) => !md.includes(t.what));
  check(md.includes('## Thin at the edge') && notInMd.length === 0, `results.md has the edge table with every target${notInMd.length ? `; missing ${notInMd.map((t) => t.id).join(', ')}` : ''}`);
}

// ---- sizes ----
const mpSize = r.sizes.libs.mpsocket;
check(mpSize && !mpSize.error && mpSize.totalGzip > 0 && mpSize.wasm.length > 0,
  `mpsocket bundle sized (${mpSize?.totalGzip ?? mpSize?.error} B min+gzip)`);
check(r.sizes.classic && r.sizes.classic.gzip > 0 && r.sizes.classic.minGzip > 0, `classic single file sized (${r.sizes.classic?.gzip ?? r.sizes.classic?.error} B gzip)`);
for (const lib of ['reconnecting-websocket', 'partysocket']) check(r.sizes.libs[lib]?.totalGzip > 0, `${lib} bundle sized`);

// ---- the network part (when it ran) ----
if (r.parts?.includes('network') ?? true) {
  const ALWAYS = ['importReadyMs', 'textMsgsPerSec', 'binaryMBps', 'rttP50Us', 'rttP99Us', 'overheadUs', 'heapDelta', 'wasmDelta'];
  const RESILIENT = ['mpsocket-createSocketTask', 'reconnecting-websocket', 'partysocket'];
  for (const lib of r.libs) {
    const m = r.medians[lib] ?? {};
    const keys = RESILIENT.includes(lib) ? [...ALWAYS, 'recoveryMs'] : ALWAYS;
    const miss = missing(m, keys);
    check(miss.length === 0, `${lib}: ${keys.length} figures measured${miss.length ? `; missing ${miss.join(', ')}` : ''}`);
    check((r.errors[lib] ?? []).length === 0, `${lib}: no errors${r.errors[lib]?.length ? `: ${r.errors[lib].join(' | ')}` : ''}`);
  }
  for (const lib of r.libs.filter((l) => l.startsWith('mpsocket-'))) {
    check(r.medians[lib]?.wasmStart > 0, `${lib}: its wasm memory was found (${r.medians[lib]?.wasmStart} B)`);
  }
  check(r.targets.length >= 6 && r.targets.every((t) => t.met !== null), `${r.targets.length} network targets evaluated`);
}

check(md.length > 0, 'results.md written');
const junk = md.match(/.{0,40}\b(NaN|undefined|Infinity)\b.{0,40}/);
check(!junk, `results.md has no NaN / undefined / Infinity${junk ? `: …${junk[0]}…` : ''}`);
check(typeof r.command === 'string' && md.includes(r.command), `results.md names the command (${r.command})`);
console.log(`bench smoke: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

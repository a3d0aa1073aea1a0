#!/usr/bin/env node
// Checks a results.json from `scripts/bench.sh --smoke`: every library measured every figure
// that applies to it as a finite number, with no errors. It asserts nothing about speed.
//   node bench/check-smoke.mjs .test-run/bench-smoke/results.json
import fs from 'node:fs';

const file = process.argv[2];
const r = JSON.parse(fs.readFileSync(file, 'utf8'));
let passed = 0;
let failed = 0;
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'}  ${what}`);
  if (ok) passed++;
  else failed++;
};
const finite = (v) => typeof v === 'number' && Number.isFinite(v);
const ALWAYS = ['importReadyMs', 'textMsgsPerSec', 'binaryMBps', 'rttP50Us', 'rttP99Us', 'overheadUs', 'heapDelta', 'wasmDelta'];
const RESILIENT = ['mpsocket-createSocketTask', 'reconnecting-websocket', 'partysocket'];
for (const lib of r.libs) {
  const m = r.medians[lib] ?? {};
  const keys = RESILIENT.includes(lib) ? [...ALWAYS, 'recoveryMs'] : ALWAYS;
  const missing = keys.filter((k) => !finite(m[k]));
  check(missing.length === 0, `${lib}: ${keys.length} figures measured${missing.length ? `; missing ${missing.join(', ')}` : ''}`);
  check((r.errors[lib] ?? []).length === 0, `${lib}: no errors${r.errors[lib]?.length ? `: ${r.errors[lib].join(' | ')}` : ''}`);
}
for (const lib of r.libs.filter((l) => l.startsWith('mpsocket-'))) {
  check(r.medians[lib].wasmStart > 0, `${lib}: its wasm memory was found (${r.medians[lib].wasmStart} B)`);
}
const mpSize = r.sizes.libs.mpsocket;
check(mpSize && !mpSize.error && mpSize.totalGzip > 0 && mpSize.wasm.length > 0,
  `mpsocket bundle sized (${mpSize?.totalGzip ?? mpSize?.error} B min+gzip)`);
check(r.targets.length >= 6 && r.targets.every((t) => t.met !== null), `${r.targets.length} targets evaluated`);
check(fs.existsSync(file.replace(/results\.json$/, 'results.md')), 'results.md written');
console.log(`bench smoke: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

// The page side of the fuzz: imports the package under test and runs tests/fuzz/fuzz.js.
// Results go to window.__fuzz (and progress lines to window.__fuzzLog when run.mjs exposed it).
import { runFuzz } from './fuzz.js';

const params = new URLSearchParams(location.search);
const pkg = params.get('pkg') || '/pkg/index.js';
const out = { done: false, lines: [] };
window.__fuzz = out;
const logEl = document.getElementById('log');
logEl.textContent = '';
const log = (line) => {
  out.lines.push(line);
  logEl.textContent += `${line}\n`;
  window.__fuzzLog?.(line);
};

// Uncaught errors and unhandled rejections, whatever their source, are the fuzz's to count.
const hooks = [];
addEventListener('error', (e) => {
  for (const h of hooks) h('uncaught error', e.error ?? e.message);
});
addEventListener('unhandledrejection', (e) => {
  for (const h of hooks) h('unhandled rejection', e.reason);
});

(async () => {
  let mp;
  try {
    mp = await import(pkg);
  } catch (e) {
    out.error = `import of ${pkg} failed: ${e}`;
    out.done = true;
    return;
  }
  // values from another realm (an ArrayBuffer from an iframe fails instanceof)
  const frame = document.createElement('iframe');
  frame.style.display = 'none';
  document.body.append(frame);
  const foreign = (expr) => frame.contentWindow.eval(expr);
  const random = Number(params.get('random')) || 0;
  const seed = Number(params.get('seed')) || 0;
  const mode = random ? `random, seed ${seed}, ${random} actions` : 'deterministic';
  const skip = Number(params.get('skip')) || 0;
  log(skip ? `  (resuming after case ${skip})` : `fuzz chromium (${mode}) of ${pkg}`);
  const sum = await runFuzz({
    mp,
    runtime: 'chromium',
    port: location.port,
    deadPort: params.get('dead'),
    httpBase: location.origin,
    wsBase: `ws://${location.host}`,
    WebSocketClass: globalThis.WebSocket,
    passWebSocket: false,
    foreign,
    log,
    hookUncaught: (h) => hooks.push(h),
    random,
    seed,
    grep: params.get('grep') ? new RegExp(params.get('grep')) : null,
    verbose: params.has('verbose'),
    trace: params.has('trace'),
    batchTasks: Number(params.get('batch')) || 16,
    probeEvery: 3,
    openParallel: 4,
    maxPending: 8,
    skip,
    onCase: (i, label) => window.__fuzzCase?.(i, label),
  });
  out.summary = sum; // run.mjs prints it (merged with earlier pages' after a crash)
  out.done = true;
})().catch((e) => {
  out.error = `the fuzz page failed: ${e?.stack ?? e}`;
  out.done = true;
});

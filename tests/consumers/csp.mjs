#!/usr/bin/env node
// mpsocket under a Content-Security-Policy: the policy the README documents must be enough for
// every entry, and must really be enforced (without 'wasm-unsafe-eval' the pages must fail).
//
//   node tests/consumers/csp.mjs .test-run/consumers
//
// A tiny Node server (http + a ws echo on /echo) serves the folder; each page's HTML response
// carries the policy under test in a Content-Security-Policy header. The pages have no inline
// script: csp/module.html (the ES module entry as is), csp/classic.html (mpsocket.classic.js,
// which compiles its inlined WebAssembly synchronously), and the Vite and webpack builds of the
// other consumer projects (built before this runs).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const toolsRequire = createRequire(path.join(here, '../../tools/package.json'));
const { chromium } = toolsRequire('playwright-core');
const { WebSocketServer } = toolsRequire('ws');
if (!process.argv[2]) {
  console.error('usage: csp.mjs CONSUMERS_DIR');
  process.exit(2);
}
const root = path.resolve(process.argv[2]);

// The policy the README documents, the same inside a strict default-src policy (connect-src
// falls back to 'self', which covers a same-origin ws:), and one that must break every page.
const WORKS = ["script-src 'self' 'wasm-unsafe-eval'", "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'"];
const BREAKS = "script-src 'self'";
const PAGES = [
  ['ES module entry, no bundler', '/csp/module.html', 'echo: hello under a CSP'],
  ['classic script + data-platform="wx"', '/csp/classic.html', 'echo: hello from a classic script under a CSP'],
  ['Vite build', '/vite-app/dist/index.html', 'echo: hello from a bundled app'],
  ['webpack build', '/webpack-app/index.html', 'echo: hello from a bundled app'],
];

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const http = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  const file = path.join(root, decodeURIComponent(url.pathname));
  if (!file.startsWith(root + path.sep)) {
    res.writeHead(404).end();
    return;
  }
  try {
    const body = await readFile(file);
    const headers = { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' };
    if (file.endsWith('.html')) headers['content-security-policy'] = url.searchParams.get('csp');
    res.writeHead(200, headers).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
let echoed = 0;
new WebSocketServer({ server: http, path: '/echo' }).on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    echoed++;
    ws.send(data, { binary: isBinary });
  });
});
await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${http.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let passed = 0;
let failed = 0;
// Loads one page under one policy; returns [what the page says, the errors it reported].
async function load(url, policy, expected) {
  const errors = [];
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`uncaught page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(`console.error: ${m.text()}`));
  page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && errors.push(`HTTP ${r.status()} ${r.url()}`));
  try {
    await page.goto(`${base}${url}?csp=${encodeURIComponent(policy)}`);
    // Until the page shows the echo, or reported an error (then a moment more for the rest).
    const deadline = Date.now() + 10_000;
    let text = '';
    while (Date.now() < deadline) {
      text = (await page.evaluate(() => document.body?.innerText ?? '')).trim();
      if (text.includes(expected)) break;
      if (errors.length > 0) {
        await page.waitForTimeout(300);
        text = (await page.evaluate(() => document.body?.innerText ?? '')).trim();
        break;
      }
      await page.waitForTimeout(50);
    }
    return [text, errors];
  } finally {
    await context.close();
  }
}
function report(name, problems) {
  if (problems.length === 0) {
    passed++;
    console.log(`ok    ${name}`);
  } else {
    failed++;
    console.log(`FAIL  ${name}`);
    for (const p of problems) console.log(`        ${p}`);
  }
}
try {
  for (const policy of WORKS) {
    for (const [name, url, expected] of PAGES) {
      const before = echoed;
      const [text, errors] = await load(url, policy, expected);
      const problems = [...errors];
      if (text !== expected) problems.push(`the page says ${JSON.stringify(text)}, expected exactly ${JSON.stringify(expected)}`);
      if (echoed === before) problems.push('the echo server received no message');
      report(`${name} under "${policy}"`, problems);
    }
  }
  // The header must really be enforced: without 'wasm-unsafe-eval' compiling is refused.
  for (const [name, url, expected] of PAGES.slice(0, 2)) {
    const [text, errors] = await load(url, BREAKS, expected);
    const problems = [];
    if (text.includes('echo:')) problems.push(`the page echoed (${JSON.stringify(text)}): the policy was not enforced`);
    if (!errors.some((e) => e.includes('Content Security Policy'))) problems.push(`no Content Security Policy error was reported: ${JSON.stringify(errors)}`);
    report(`${name} fails under "${BREAKS}"`, problems);
  }
} finally {
  await browser.close();
  http.close();
}
console.log(`CSP: ${passed} passed, ${failed} failed`);
process.exit(failed || passed === 0 ? 1 : 0);

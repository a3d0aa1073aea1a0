#!/usr/bin/env node
// wss:// end to end in headless Chromium: the package page is loaded over plain http, and a
// connectSocket task echoes a text and a binary message through the test server's TLS port.
// The server's self-signed certificate is trusted with Chromium's
// --ignore-certificate-errors-spki-list (its SPKI hash only; not a blanket
// --ignore-certificate-errors). Checks:
//   - the SPKI hash the server wrote matches the certificate it serves (recomputed here);
//   - with the flag: open, text echo, binary echo (exact bytes of a view), the server saw the
//     connection on its TLS port (stats tls:true), and https:// on that port serves the page;
//   - without the flag (a second browser): the same connection fails with onError + onClose 1006,
//     so the flag is what makes it work (the test can fail).
//
//   node tests/tls/run.mjs --base http://127.0.0.1:PORT --tls-port N --cert-dir DIR [--pkg /pkg/index.js]
// DIR holds cert.pem and spki.txt (the server's --tls-cert-out). The server must mount tests/ at
// /tests and the package at /pkg.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { X509Certificate, createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../tools/package.json'));
const { chromium } = require('playwright-core');
const { values: args } = parseArgs({
  options: {
    base: { type: 'string' },
    'tls-port': { type: 'string' },
    'cert-dir': { type: 'string' },
    pkg: { type: 'string', default: '/pkg/index.js' },
  },
});
if (!args.base || !args['tls-port'] || !args['cert-dir']) {
  console.error('usage: run.mjs --base http://127.0.0.1:PORT --tls-port N --cert-dir DIR [--pkg /pkg/index.js]');
  process.exit(2);
}
const base = args.base.replace(/\/$/, '');
const tlsPort = Number(args['tls-port']);
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let failures = 0;
const check = (cond, what) => {
  console.log(`${cond ? 'ok  ' : 'FAIL'}  ${what}`);
  if (!cond) failures++;
};

// 1. The SPKI hash is the one of the certificate the server serves.
const certPem = readFileSync(path.join(args['cert-dir'], 'cert.pem'), 'utf8');
const spki = readFileSync(path.join(args['cert-dir'], 'spki.txt'), 'utf8').trim();
const x509 = new X509Certificate(certPem);
const spkiDer = x509.publicKey.export({ type: 'spki', format: 'der' });
const recomputed = createHash('sha256').update(spkiDer).digest('base64');
check(recomputed === spki, `spki.txt is sha256(SubjectPublicKeyInfo) of cert.pem (${spki})`);
check(x509.checkIP('127.0.0.1') === '127.0.0.1' && x509.checkHost('localhost') === 'localhost',
  `the certificate names 127.0.0.1 and localhost (${x509.subjectAltName})`);

const launch = (extra) => chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [...FLAGS, ...extra],
});

async function openPage(browser) {
  const page = await browser.newPage();
  page.on('pageerror', (e) => {
    failures++;
    console.log(`FAIL  uncaught page error: ${e}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`      page console.error: ${m.text()}`);
  });
  await page.goto(`${base}/tests/tls/index.html?pkg=${encodeURIComponent(args.pkg)}`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 10000 });
  return page;
}

const id = `tls${Date.now()}`;
const wss = `wss://127.0.0.1:${tlsPort}/echo?id=${id}&record=1`;
const expectBytes = Array.from({ length: 255 }, (_, i) => i + 1);

// 2. With the SPKI flag: echo over wss.
const trusting = await launch([`--ignore-certificate-errors-spki-list=${spki}`]);
try {
  const page = await openPage(trusting);
  check(page.url().startsWith('http://'), `the page itself is plain http (${page.url()})`);
  const r = await page.evaluate((url) => window.echo(url), wss);
  check(r.events[0] === 'open', `wss: onOpen (events: ${r.events.join(' | ')})`);
  check(r.texts[0] === 'hello over wss', `wss: text echoed (${JSON.stringify(r.texts)})`);
  check(JSON.stringify(r.binary[0]) === JSON.stringify(expectBytes),
    `wss: binary echoed, exactly the view's 255 bytes (${r.binary[0]?.length} bytes)`);
  check(r.end === 'echoed' && r.events.at(-1) === 'close 1000', `wss: closed cleanly (${r.end}, ${r.events.at(-1)})`);
  const stats = await (await fetch(`${base}/control/stats`)).json();
  const conns = stats.connections.filter((c) => c.id === id);
  check(conns.length === 1 && conns[0].tls === true && conns[0].received === 2,
    `the server saw one TLS connection with 2 messages (${JSON.stringify(conns)})`);
  check(JSON.stringify(stats.receivedTexts[id]) === '["hello over wss"]', 'the server recorded the text');
  check(JSON.stringify(stats.receivedBinary?.[id]) === '["0102030405060708"]',
    `the server recorded the binary message's first bytes (${JSON.stringify(stats.receivedBinary?.[id])})`);

  // The TLS port serves https too (same paths): the page loads and echoes from an https origin.
  const page2 = await trusting.newPage();
  const resp = await page2.goto(`https://127.0.0.1:${tlsPort}/tests/tls/index.html?pkg=${encodeURIComponent(args.pkg)}`);
  check(resp?.status() === 200 && page2.url().startsWith('https://'), `https page load on the TLS port (${resp?.status()})`);
  await page2.waitForFunction(() => window.ready === true, null, { timeout: 10000 });
  const r2 = await page2.evaluate((url) => window.echo(url), `wss://localhost:${tlsPort}/echo`);
  check(r2.texts[0] === 'hello over wss' && r2.binary.length === 1,
    `https page → wss://localhost echo (${r2.events.join(' | ')})`);
} finally {
  await trusting.close();
}

// 3. Without the flag the certificate is refused: the flag is what made it work.
const strict = await launch([]);
try {
  const page = await openPage(strict);
  const r = await page.evaluate((url) => window.echo(url, { waitMs: 6000 }), wss);
  check(!r.events.includes('open') && r.events.some((e) => e.startsWith('error ')) && r.events.includes('close 1006'),
    `without the SPKI flag: no open, onError then onClose 1006 (${r.events.join(' | ')})`);
} finally {
  await strict.close();
}

console.log(failures ? `tls (chromium): ${failures} check(s) failed` : 'tls (chromium): all checks passed');
process.exit(failures ? 1 : 0);

// A thin driver layer over three browser engines, for black-box page tests.
//
//   import { launch, ENGINES } from '../drivers/index.mjs';
//   const b = await launch('firefox', { onEvent: (e) => console.log(e) });
//   await b.open('http://127.0.0.1:PORT/tests/page/index.html');
//   const v = await b.evaluate(() => document.title);   // or a string: an expression
//   b.errors;       // [{type:'pageerror'|'console', level?, text}] uncaught errors + console errors
//   await b.close();
//
// Engines (all from Debian packages; Playwright cannot drive them, it only drives its own builds):
//   chromium  /usr/bin/chromium via playwright-core (CDP)                  env CHROMIUM
//   firefox   /usr/bin/firefox-esr via puppeteer-core over WebDriver BiDi  env FIREFOX
//             (no geckodriver needed)
//   webkit    MiniBrowser (WebKitGTK) via WebKitWebDriver + selenium-webdriver (classic
//             WebDriver). MiniBrowser has no headless mode: launch() starts its own Xvfb on a
//             free display (Xvfb -displayfd) and stops it in close() or when Node exits.
//             env MINIBROWSER, WEBKITWEBDRIVER
//
// What each engine reports (b.caps):
//   liveErrors    uncaught page errors are seen from the first script on (CDP / BiDi events).
//                 WebKitWebDriver 2.50 has no BiDi and MiniBrowser does not print console
//                 messages under automation, so for webkit a hook is injected after each
//                 open() (after the load event): errors and console.error/warn from then on
//                 are seen, earlier ones are NOT. Pages that must be checked from the first
//                 line should record their own errors (tests/page/harness.js does).
//   network       requestfailed / HTTP >= 400 events (chromium, firefox).
//   exposeFunction  b.exposeFunction(name, fn) before open() (chromium, firefox).
// Events passed to onEvent: {type:'console', level:'error'|'warning'|..., text},
// {type:'pageerror', text}, {type:'requestfailed', url, text}, {type:'http', status, url}.
import { createRequire } from 'node:module';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../tools/package.json'));

export const ENGINES = ['chromium', 'firefox', 'webkit'];

/** Chromium flags: headless, no sandbox (root), and no traffic to the internet. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--disable-default-apps',
];

/**
 * Firefox prefs on top of puppeteer's automation defaults: no update checks, telemetry,
 * safe-browsing or captive-portal probes (the machine has no internet).
 */
const FIREFOX_PREFS = {
  // Firefox delays a WebSocket connect to a host:port after failed connects there (RFC 6455
  // 7.2.3), 200 ms growing to 60 s. The page suite checks the package's own reconnect timing
  // (delays of 10-40 ms against a dead port), so the engine's extra throttle is turned off
  // here; the README tells users about it.
  'network.websocket.delay-failed-reconnects': false,
  'app.update.enabled': false,
  'app.update.auto': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.http.http3.enable': false,
  'extensions.update.enabled': false,
  'browser.ping-centre.telemetry': false,
};

/**
 * Launches `engine` and returns
 *   { engine, version, caps, errors, open(url), evaluate(fnOrString, ...args),
 *     exposeFunction?(name, fn), close(), raw }
 * opts: { onEvent(e), chromium, firefox, minibrowser, webkitdriver (executable paths),
 *         firefoxPrefs (extra about:config prefs) }
 */
export async function launch(engine, opts = {}) {
  switch (engine) {
    case 'chromium':
      return launchChromium(opts);
    case 'firefox':
      return launchFirefox(opts);
    case 'webkit':
      return launchWebKit(opts);
    default:
      throw new Error(`unknown engine ${JSON.stringify(engine)} (one of ${ENGINES.join(', ')})`);
  }
}

function recorder(opts) {
  const errors = [];
  const emit = (e) => {
    if (e.type === 'pageerror' || (e.type === 'console' && e.level === 'error')) errors.push(e);
    if (opts.onEvent) opts.onEvent(e);
  };
  return { errors, emit };
}

function need(file, what) {
  if (!existsSync(file)) throw new Error(`${what} not found at ${file}: run scripts/setup.sh --browser`);
  return file;
}

// ---------------------------------------------------------------- chromium (playwright-core)
async function launchChromium(opts) {
  const { chromium } = require('playwright-core');
  const exe = need(opts.chromium || process.env.CHROMIUM || '/usr/bin/chromium', 'chromium');
  const { errors, emit } = recorder(opts);
  const browser = await chromium.launch({ executablePath: exe, args: CHROMIUM_FLAGS, headless: true });
  try {
    const page = await browser.newPage();
    page.on('console', (m) => emit({ type: 'console', level: m.type(), text: m.text() }));
    page.on('pageerror', (err) => emit({ type: 'pageerror', text: String(err?.stack || err) }));
    page.on('requestfailed', (r) => emit({ type: 'requestfailed', url: r.url(), text: r.failure()?.errorText ?? '' }));
    page.on('response', (r) => {
      if (r.status() >= 400) emit({ type: 'http', status: r.status(), url: r.url() });
    });
    return {
      engine: 'chromium',
      version: `Chromium ${browser.version()}`,
      caps: { liveErrors: true, network: true, exposeFunction: true },
      errors,
      raw: page,
      open: async (url) => {
        await page.goto(url);
      },
      evaluate: (fn, ...args) => evaluatePuppeteerLike(page, fn, args),
      exposeFunction: (name, fn) => page.exposeFunction(name, fn),
      close: () => browser.close(),
    };
  } catch (e) {
    await browser.close();
    throw e;
  }
}

/** playwright's evaluate takes one argument, puppeteer's several: normalise to "fn(...args)". */
function evaluatePuppeteerLike(page, fn, args) {
  if (typeof fn === 'string') return page.evaluate(fn);
  if (args.length === 0) return page.evaluate(fn);
  return page.evaluate(`(${fn}).apply(null, ${JSON.stringify(args)})`);
}

// ---------------------------------------------------------------- firefox (puppeteer-core, BiDi)
/**
 * Firefox's own WebSocket network messages (dom.properties ConnectionFailure / NetInterrupt,
 * en-US): they arrive as script errors but are not exceptions of the page.
 */
const FIREFOX_WS_NOISE = [
  /^Firefox can.t establish a connection to the server at wss?:\/\/\S+\.$/,
  /^The connection to wss?:\/\/\S+ was interrupted while the page was loading\.$/,
];

async function launchFirefox(opts) {
  const puppeteer = require('puppeteer-core');
  const exe = need(opts.firefox || process.env.FIREFOX || '/usr/bin/firefox-esr', 'firefox-esr');
  const { errors, emit } = recorder(opts);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: exe,
    headless: true,
    extraPrefsFirefox: { ...FIREFOX_PREFS, ...opts.firefoxPrefs },
    // Firefox writes a lot of harmless noise to stderr; keep it out of the test output.
    dumpio: false,
  });
  try {
    const page = (await browser.pages())[0] || (await browser.newPage());
    page.on('console', (m) => emit({ type: 'console', level: m.type() === 'warn' ? 'warning' : m.type(), text: m.text() }));
    page.on('pageerror', (err) => {
      const msg = String(err?.message ?? err);
      // Firefox reports a failed or dropped WebSocket connection as a script error (BiDi
      // log.entryAdded type "javascript", no stack), which puppeteer turns into a pageerror.
      // Chromium logs the same thing as a console error: treat it as one.
      if (FIREFOX_WS_NOISE.some((re) => re.test(msg))) emit({ type: 'console', level: 'error', text: msg });
      else emit({ type: 'pageerror', text: String(err?.stack || err) });
    });
    page.on('requestfailed', (r) => emit({ type: 'requestfailed', url: r.url(), text: r.failure()?.errorText ?? '' }));
    page.on('response', (r) => {
      if (r.status() >= 400) emit({ type: 'http', status: r.status(), url: r.url() });
    });
    const version = (await browser.version()).replace(/^firefox\//i, 'Firefox ');
    return {
      engine: 'firefox',
      version,
      caps: { liveErrors: true, network: true, exposeFunction: true },
      errors,
      raw: page,
      open: async (url) => {
        await page.goto(url, { waitUntil: 'load' });
      },
      evaluate: (fn, ...args) => (typeof fn === 'string' ? page.evaluate(fn) : page.evaluate(fn, ...args)),
      exposeFunction: (name, fn) => page.exposeFunction(name, fn),
      close: () => browser.close(),
    };
  } catch (e) {
    await browser.close();
    throw e;
  }
}

// ---------------------------------------------------------------- webkit (WebKitWebDriver)
function minibrowserPath() {
  if (process.env.MINIBROWSER) return process.env.MINIBROWSER;
  for (const p of [
    '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
    '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
    '/usr/libexec/webkit2gtk-4.1/MiniBrowser',
  ]) {
    if (existsSync(p)) return p;
  }
  try {
    const out = execFileSync('dpkg', ['-L', 'libwebkit2gtk-4.1-0'], { encoding: 'utf8' });
    const hit = out.split('\n').find((l) => l.endsWith('/MiniBrowser'));
    if (hit) return hit;
  } catch {
    // no dpkg or no such package: fall through
  }
  return '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Children to kill if Node exits without close() (a crash, an uncaught error). */
const orphans = new Set();
let exitHookInstalled = false;
function adopt(child) {
  orphans.add(child);
  child.once('exit', () => orphans.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of orphans) {
        try {
          c.kill('SIGKILL');
        } catch {
          // already gone
        }
      }
    });
  }
}

async function stopChild(child, ms = 3000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), ms);
  await gone;
  clearTimeout(t);
}

/** Starts Xvfb on the first free display; resolves to { child, display: ':N' }. */
async function startXvfb() {
  const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  adopt(child);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const display = await new Promise((resolve, reject) => {
    let buf = '';
    const t = setTimeout(() => reject(new Error(`Xvfb did not report a display within 10 s: ${stderr}`)), 10000);
    child.once('error', (e) => {
      clearTimeout(t);
      reject(new Error(`cannot start Xvfb (${e.message}): run scripts/setup.sh --browser`));
    });
    child.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`Xvfb exited (${code}): ${stderr}`));
    });
    child.stdio[3].on('data', (d) => {
      buf += d;
      if (buf.includes('\n')) {
        clearTimeout(t);
        resolve(`:${buf.trim()}`);
      }
    });
  });
  child.removeAllListeners('exit');
  child.once('exit', () => orphans.delete(child));
  return { child, display };
}

/**
 * Injected after every open(): records uncaught errors, unhandled rejections and
 * console.error/warn into a buffer that poll() drains. Idempotent per document.
 */
const WEBKIT_HOOK = `
  if (!window.__driverHook) {
    const buf = [];
    window.__driverHook = buf;
    addEventListener('error', (e) => buf.push({ type: 'pageerror',
      text: String(e.error && e.error.stack ? e.error + '\\n' + e.error.stack : e.message) }));
    addEventListener('unhandledrejection', (e) => buf.push({ type: 'pageerror',
      text: 'unhandled rejection: ' + (e.reason && e.reason.stack ? e.reason + '\\n' + e.reason.stack : e.reason) }));
    for (const [m, level] of [['error', 'error'], ['warn', 'warning']]) {
      const orig = console[m];
      console[m] = function (...a) {
        try { buf.push({ type: 'console', level, text: a.map(String).join(' ') }); } catch (_) {}
        return orig.apply(this, a);
      };
    }
  }
  return true;`;

async function launchWebKit(opts) {
  const { Builder, Capabilities } = require('selenium-webdriver');
  const driverExe = need(opts.webkitdriver || process.env.WEBKITWEBDRIVER || '/usr/bin/WebKitWebDriver', 'WebKitWebDriver');
  const binary = need(opts.minibrowser || minibrowserPath(), 'MiniBrowser');
  const { errors, emit } = recorder(opts);

  const xvfb = await startXvfb();
  let wd;
  let driver;
  const cleanup = async () => {
    if (driver) {
      try {
        await driver.quit();
      } catch {
        // the browser may already be gone
      }
      driver = null;
    }
    await stopChild(wd);
    await stopChild(xvfb.child);
  };
  try {
    const port = await freePort();
    let wdLog = '';
    wd = spawn(driverExe, ['--host=127.0.0.1', `--port=${port}`], {
      env: { ...process.env, DISPLAY: xvfb.display },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    adopt(wd);
    const keep = (d) => (wdLog = (wdLog + d).slice(-4000));
    wd.stdout.on('data', keep);
    wd.stderr.on('data', keep);
    const server = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if (wd.exitCode !== null) throw new Error(`WebKitWebDriver exited (${wd.exitCode}): ${wdLog}`);
      try {
        const r = await fetch(`${server}/status`);
        if (r.ok) break;
      } catch {
        // not listening yet
      }
      if (i > 100) throw new Error(`WebKitWebDriver did not answer within 10 s: ${wdLog}`);
      await sleep(100);
    }
    const caps = new Capabilities({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary, args: ['--automation'] },
    });
    driver = await new Builder().usingServer(server).withCapabilities(caps).build();
    await driver.manage().setTimeouts({ script: 60000, pageLoad: 60000 });
    const got = await driver.getCapabilities();
    const version = `WebKitGTK ${got.get('browserVersion')} (MiniBrowser)`;

    const poll = async () => {
      if (!driver) return;
      let items = [];
      try {
        items = await driver.executeScript('const b = window.__driverHook || []; return b.splice(0, b.length);');
      } catch {
        return;
      }
      for (const e of items || []) emit(e);
    };
    const run = async (fn, args) => {
      const body = typeof fn === 'string' ? `return (${fn});` : `return (${fn}).apply(null, arguments);`;
      return driver.executeScript(body, ...args);
    };
    return {
      engine: 'webkit',
      version,
      caps: { liveErrors: false, network: false, exposeFunction: false },
      errors,
      raw: driver,
      open: async (url) => {
        await driver.get(url);
        await driver.executeScript(WEBKIT_HOOK);
      },
      evaluate: async (fn, ...args) => {
        const v = await run(fn, args);
        await poll();
        return v;
      },
      close: async () => {
        await poll();
        await cleanup();
      },
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

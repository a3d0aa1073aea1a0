#!/usr/bin/env node
// Bundles what a user ships of each library with esbuild (ESM, minified, browser) into
// bench/dist/, and measures it: min+gzip (level 9) of the JS, plus gzip of any .wasm.
//
//   node bench/build.mjs [--pkg DIR] [--dist DIR]   (defaults: pkg/, the built npm package;
//                                                    bench/dist; scripts/bench.sh uses OUT/dist)
//
// The benchmark page imports these same bundles, so the code measured for speed is the code
// measured for size. Writes bench/dist/sizes.json. A library that fails to bundle is
// recorded with its error instead of failing the build. Also sizes the package's classic
// single file (mpsocket.classic.js, the wasm inlined): gzip as shipped, and minified + gzip.
import { build, transform } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const { values: args } = parseArgs({ options: { pkg: { type: 'string', default: 'pkg' }, dist: { type: 'string' } } });
const pkgDir = path.resolve(root, args.pkg);
const dist = args.dist ? path.resolve(root, args.dist) : path.join(here, 'dist');
const entries = path.join(dist, 'entries');
fs.rmSync(dist, { recursive: true, force: true });
fs.mkdirSync(entries, { recursive: true });

// mpsocket is imported by its package name, as a user's bundler sees it: dist/entries/
// node_modules/mpsocket is a link to the package, so its package.json `exports` decide the
// entry (browser conditions: import/default, never node).
fs.mkdirSync(path.join(entries, 'node_modules'));
fs.symlinkSync(pkgDir, path.join(entries, 'node_modules', 'mpsocket'), 'dir');

// What each library's user writes to get a socket; `export *` for mpsocket because its glue
// can't be tree-shaken anyway (every wasm import must exist).
const LIBS = {
  mpsocket: `export * from 'mpsocket';`,
  'reconnecting-websocket': `export { default } from 'reconnecting-websocket';`,
  partysocket: `export { WebSocket as default } from 'partysocket';`,
  taro: `export { connectSocket } from '@tarojs/taro-h5';`,
};

const gz = (buf) => {
  try {
    return execFileSync('gzip', ['-9', '-c', '-n'], { input: buf, maxBuffer: 1 << 28 }).length;
  } catch {
    return gzipSync(buf, { level: 9 }).length;
  }
};
const inRepo = !path.relative(root, pkgDir).startsWith('..');
const sizes = { pkg: inRepo ? path.relative(root, pkgDir) || '.' : pkgDir, libs: {} };
for (const [name, source] of Object.entries(LIBS)) {
  const entry = path.join(entries, `${name}.js`);
  fs.writeFileSync(entry, source + '\n');
  const out = path.join(dist, `${name}.js`);
  try {
    const options = {
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outfile: out,
      nodePaths: [path.join(here, 'node_modules')],
      metafile: true,
      logLevel: 'silent',
    };
    let res;
    let note;
    try {
      res = await build(options);
    } catch (e) {
      // A `node:` import that a browser bundle can't resolve: what a user must do then is
      // mark it external. Say so in the results rather than failing.
      const text = e.errors?.map((x) => x.text).join('; ') ?? '';
      if (!/Could not resolve "node:/.test(text)) throw e;
      res = await build({ ...options, external: ['node:*'] });
      note = `esbuild --platform=browser needs --external:node:* (${text})`;
    }
    const js = fs.readFileSync(out);
    const s = { js: { min: js.length, gzip: gz(js) }, wasm: [], warnings: res.warnings.length };
    if (note) s.note = note;
    s.inputs = Object.keys(res.metafile.inputs).map((f) => path.relative(root, fs.realpathSync(f)));
    // Any .wasm the bundle's code loads (new URL('./x.wasm', import.meta.url)) sits next to the
    // package's entry and ships with it: copy it beside the bundle and count it.
    const wasmDirs = new Set(s.inputs.filter((f) => /\.m?js$/.test(f)).map((f) => path.dirname(path.join(root, f))));
    for (const dir of wasmDirs) {
      for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.wasm'))) {
        if (!js.includes(f)) continue;
        const w = fs.readFileSync(path.join(dir, f));
        fs.copyFileSync(path.join(dir, f), path.join(dist, f));
        s.wasm.push({ file: f, raw: w.length, gzip: gz(w) });
      }
    }
    s.totalGzip = s.js.gzip + s.wasm.reduce((a, w) => a + w.gzip, 0);
    s.totalRaw = s.js.min + s.wasm.reduce((a, w) => a + w.raw, 0);
    sizes.libs[name] = s;
    console.log(`bundled ${name.padEnd(24)} ${String(s.js.min).padStart(7)} B min, ${String(s.totalGzip).padStart(6)} B min+gzip` +
      (s.wasm.length ? ` (JS ${s.js.gzip} + wasm ${s.wasm.map((w) => w.gzip).join('+')})` : '') +
      (note ? `\n  note: ${note}` : ''));
  } catch (e) {
    const msg = (e.errors?.map((x) => x.text).join('; ') || e.message || String(e)).split('\n')[0];
    sizes.libs[name] = { error: msg };
    console.log(`could not bundle ${name}: ${msg}`);
  }
}
// The classic single file, as a <script src> user gets it from a CDN (the package's `unpkg`
// field), and minified by esbuild for comparison.
try {
  const name = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).unpkg ?? 'mpsocket.classic.js';
  const code = fs.readFileSync(path.join(pkgDir, name));
  const min = (await transform(code.toString('utf8'), { minify: true, target: 'es2022', legalComments: 'none' })).code;
  sizes.classic = { file: name, raw: code.length, gzip: gz(code), min: Buffer.byteLength(min), minGzip: gz(Buffer.from(min)) };
  console.log(`sized    ${name.padEnd(24)} ${String(code.length).padStart(7)} B, ${String(sizes.classic.gzip).padStart(6)} B gzip (minified: ${sizes.classic.minGzip} B gzip)`);
} catch (e) {
  sizes.classic = { error: String(e?.message || e).split('\n')[0] };
  console.log(`could not size the classic file: ${sizes.classic.error}`);
}
fs.writeFileSync(path.join(dist, 'sizes.json'), JSON.stringify(sizes, null, 2) + '\n');

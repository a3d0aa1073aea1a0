// A mini-program runtime, simulated: run with `node --no-expose-wasm` (no WebAssembly), no
// window, and a native `wx` whose connectSocket must survive. Shared uni-app/Taro code imports
// the shim in its mini-program build too; there it must install nothing and never throw.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const fail = (m) => {
  console.error(`miniprogram-runtime: ${m}`);
  process.exit(1);
};
if (typeof WebAssembly !== 'undefined') fail('run me with node --no-expose-wasm');
if (typeof window !== 'undefined') fail('there must be no window');

const native = () => 'native';
globalThis.wx = { connectSocket: native };
const pkgDir = createRequire(import.meta.url).resolve('mpsocket/package.json').replace(/package\.json$/, '');
// Both flavours of the shim: what a bundler picks (shim/wx.js) and what Node picks.
for (const file of ['shim/wx.js', 'shim/wx.node.js', 'shim/index.js']) {
  let api;
  try {
    api = (await import(pathToFileURL(pkgDir + file).href + '?native')).default;
  } catch (e) {
    fail(`importing ${file} with a native wx threw: ${e}`);
  }
  if (globalThis.wx.connectSocket !== native) fail(`${file} replaced the native wx.connectSocket`);
  if (api !== globalThis.wx) fail(`${file} did not export the native wx`);
}
// No native object at all, and no WebAssembly: still no throw, nothing installed.
delete globalThis.wx;
for (const file of ['shim/uni.js', 'shim/uni.node.js']) {
  try {
    await import(pathToFileURL(pkgDir + file).href + '?nowasm');
  } catch (e) {
    fail(`importing ${file} without WebAssembly threw: ${e}`);
  }
}
if (globalThis.uni !== undefined) fail('a shim installed something without WebAssembly');
console.log('miniprogram-runtime: ok');

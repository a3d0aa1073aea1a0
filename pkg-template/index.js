// The package's default entry for browsers, workers and bundlers: the module is ready on
// import, no init() call needed. Top-level await instantiates the .wasm that sits next to
// this file (bundlers emit it as an asset). Node resolves the `node` export condition to
// node.js instead, which reads the .wasm from disk.
import init from './mpsocket.js';

await init({ module_or_path: new URL('./mpsocket_bg.wasm', import.meta.url) });

export * from './mpsocket.js';

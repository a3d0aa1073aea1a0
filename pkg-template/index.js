// The package's default entry: the module is ready on import, no init() call needed.
// Top-level await instantiates the .wasm that sits next to this file.
import init from './mpsocket.js';

const wasmUrl = new URL('./mpsocket_bg.wasm', import.meta.url);
if (wasmUrl.protocol === 'file:') {
  // Node (and other runtimes importing from disk): fetch() can't read file: URLs.
  // getBuiltinModule keeps bundlers from seeing a node: import (Node >= 20.16 / 22.3).
  const fs =
    globalThis.process?.getBuiltinModule?.('node:fs') ??
    (await import(/* webpackIgnore: true */ /* @vite-ignore */ `${'node'}:fs`));
  await init({ module_or_path: fs.readFileSync(wasmUrl) });
} else {
  await init({ module_or_path: wasmUrl });
}

export * from './mpsocket.js';

// Types are generated from the Rust sources by wasm-bindgen (mpsocket.d.ts).
// The default entry (index.js) initialises the module on import, so use the named exports.
export * from './mpsocket.js';

// Types are generated from the Rust sources by wasm-bindgen (mpsocket.d.ts); every entry of
// the package (browser, Node, the shims, the classic script's global) shares them.
// The entries initialise the module on import, so use the named exports; `initSync` and
// the default `init` of the raw bindings are not needed.
export * from './mpsocket.js';

declare global {
  // wasm-bindgen declares `[Symbol.dispose]()` on SocketTask. This keeps that declaration
  // valid for projects whose `lib` predates `esnext.disposable` (the same as TypeScript's
  // own declaration and @types/node's; they merge).
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

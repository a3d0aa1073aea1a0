// Starts downloading the .wasm as soon as the package's module graph is loaded, before the
// glue and the edge are evaluated (index.js imports this module first), so the download
// overlaps their evaluation instead of following it.
export const wasmResponse = fetch(new URL('./mpsocket_bg.wasm', import.meta.url));

import { defineConfig } from 'vite';

export default defineConfig({
  // Workers that import mpsocket must be ES module workers: its entry initialises the
  // WebAssembly module with top-level await (Vite bundles workers as classic scripts unless told).
  worker: { format: 'es' },
});

import { defineConfig } from 'vite';

export default defineConfig({
  // mpsocket's entry initialises the WebAssembly module with top-level await, which
  // workers support only as ES modules (Vite bundles workers as IIFEs unless told).
  worker: { format: 'es' },
  // For the test: the built app is served from a sub-folder, with three pages.
  base: './',
  build: { rollupOptions: { input: ['index.html', 'worker.html', 'shim.html'] } },
});

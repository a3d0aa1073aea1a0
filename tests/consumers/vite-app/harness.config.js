// Test harness only (not in the README): the README's vite.config.js as it is, plus what the
// test needs to serve the build from a sub-folder with two more pages (a module worker and the
// mini-program shim). 40-consumers.sh builds with `vite build --config harness.config.js`.
import { mergeConfig } from 'vite';
import readmeConfig from './vite.config.js';

export default mergeConfig(readmeConfig, {
  base: './',
  build: { rollupOptions: { input: ['index.html', 'harness/worker.html', 'harness/shim.html'] } },
});

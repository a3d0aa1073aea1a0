npx esbuild src/main.js --bundle --format=esm --outdir=dist
cp node_modules/mpsocket/mpsocket_bg.wasm dist/

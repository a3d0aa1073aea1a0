npx esbuild browser-client.js --bundle --format=esm --outdir=dist
cp node_modules/mpsocket/mpsocket_bg.wasm dist/

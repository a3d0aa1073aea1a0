npx rollup src/main.js --plugin node-resolve --format es --dir dist
cp node_modules/mpsocket/mpsocket_bg.wasm dist/

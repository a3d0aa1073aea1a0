// CommonJS consumers: require() of the package loads the `node` entry, which has no
// top-level await, so Node >= 20.19 can require() it. Node 20 has no window or navigator:
// the network status API answers "unknown", connected.
const assert = require('node:assert/strict');

assert.match(require.resolve('mpsocket'), /[/\\]mpsocket[/\\]node\.js$/);
const mpsocket = require('mpsocket');
assert.equal(typeof mpsocket.connectSocket, 'function');
assert.equal(typeof globalThis.window, 'undefined');
mpsocket.getNetworkType().then((res) => {
  assert.equal(res.errMsg, 'getNetworkType:ok');
  assert.equal(res.networkType, 'unknown');
  // The shim installs on globalThis in Node too.
  import('mpsocket/shim/tt').then(({ default: tt }) => {
    assert.equal(globalThis.tt, tt);
    assert.equal(typeof tt.connectSocket, 'function');
    assert.equal(tt.sendSocketMessage, undefined, 'tt has no legacy global functions');
    console.log('node checks: ok');
  });
});

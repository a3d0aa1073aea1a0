/*! mpsocket @VERSION@, classic-script build: `<script src="mpsocket.classic.js">` defines the
 * global `mpsocket`, ready on the next line (the WebAssembly module is inlined and
 * instantiated synchronously). `data-platform="wx"` (or qq, tt, swan, uni, my, taro; several
 * separated by spaces) on the script tag also runs mpsocket.install(globalThis, {platform}).
 * Needs a Content-Security-Policy that allows 'wasm-unsafe-eval' where one is set.
 * License: @LICENSE@. */
(function () {
  'use strict';
  var script = typeof document !== 'undefined' ? document.currentScript : null;
  // wasm-bindgen --target no-modules: defines `wasm_bindgen` in this function's scope.
  /* @GLUE@ */
  // The edge (edge.js, without its `export`): defines `makeApi`.
  /* @EDGE@ */
  var b64 = '@WASM_BASE64@';
  var bytes;
  if (typeof Uint8Array.fromBase64 === 'function') {
    bytes = Uint8Array.fromBase64(b64);
  } else {
    var bin = atob(b64);
    bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  }
  wasm_bindgen.initSync({ module: bytes });
  var api = makeApi(wasm_bindgen, false);
  globalThis.mpsocket = api;
  var platforms = script ? (script.getAttribute('data-platform') || '').split(/[\s,]+/) : [];
  platforms.forEach(function (p) {
    if (p) api.install(globalThis, { platform: p });
  });
})();

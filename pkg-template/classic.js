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
  // The .wasm, one character per byte: (byte + 0x30) & 0xff (see scripts/build-pkg.sh).
  var s = '@WASM@';
  var bytes = new Uint8Array(s.length);
  for (var i = 0; i < s.length; i++) bytes[i] = (s.charCodeAt(i) - 0x30) & 0xff;
  wasm_bindgen.initSync({ module: bytes });
  var api = makeApi(wasm_bindgen, false);
  globalThis.mpsocket = api;
  var platforms = script ? (script.getAttribute('data-platform') || '').split(/[\s,]+/) : [];
  platforms.forEach(function (p) {
    if (p) api.install(globalThis, { platform: p });
  });
})();
